"""Run in a fresh process by the cold-start and memory benchmarks (``test_startup_bench.py``).

``python start_app.py bare``
    the baseline: a bare PySide6 main window holding one QTableView (100 × 8 cells).
``python start_app.py app DATABASE_FILE``
    Center Desk the way ``center-app`` starts it (the same entry module, argument parser,
    language setting, fonts and translators, database checks and the day's backup, default
    configuration, background runner, main window with the idle lock) on DATABASE_FILE, with
    the bench administrator signed in WITHOUT the sign-in dialog, on the 予約 screen.

Both print ``READY`` as soon as the window is shown and the event loop has processed its events
once ("interactive"); the parent measures the time from spawning the process to that line.
With ``--settle`` the process then waits until the screen's data has arrived and is painted
(the day view, then the week view of the main center), and prints ``VMHWM <kB>``: the peak
resident set size from /proc/self/status. Otherwise it exits at once.

Nothing here is part of the app: signing in without a password exists only in this file.
"""

from __future__ import annotations

import os
import sys
import time

_T0 = time.perf_counter()
_phases: list[tuple[str, float]] = []


def _mark(name: str) -> None:
    """End of a phase of the start (printed as ``PHASE name seconds-since-this-script-started``)."""
    _phases.append((name, time.perf_counter() - _T0))


def _peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _ready() -> None:
    sys.stdout.write("READY\n")
    for name, at in _phases:
        sys.stdout.write(f"PHASE {name} {at:.4f}\n")
    sys.stdout.flush()


def _finish(settle: bool) -> int:
    if settle:
        sys.stdout.write(f"VMHWM {_peak_rss_kb()}\n")
        sys.stdout.flush()
    sys.stdout.flush()
    os._exit(0)  # skip teardown: only the time to READY and the peak matter


def bare(settle: bool) -> int:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(100, 8)
    for row in range(100):
        for column in range(8):
            model.setItem(row, column, QStandardItem(f"{row}-{column}"))
    window = QMainWindow()
    table = QTableView()
    table.setModel(model)
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    _mark("bare window shown")
    _ready()
    if settle:
        app.processEvents()
    return _finish(settle)


def _bench_user(db):
    """The bench administrator, signed in without a password (bench only)."""
    from sqlalchemy import select

    from center_app.db.models import StaffUser
    from center_app.domain.roles import Role
    from center_app.services.context import CurrentUser

    with db.read() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.role == Role.ADMIN.value).order_by(StaffUser.id)).first()
        return CurrentUser(user.id, user.login_name, user.display_name, Role(user.role))


def app(database_file: str, settle: bool) -> int:
    # What center_app.app.main() does before it hands over to application.run().
    from center_app import app as entry

    args = entry.build_parser().parse_args(["--database-url", f"sqlite:///{database_file}"])
    from center_app import i18n
    from center_app.ui import settings

    i18n.set_language(settings.get(settings.LANGUAGE))
    _mark("entry module, command line, settings")
    from center_app.ui import application

    _mark("import the Qt application")
    # application.run() up to the sign-in dialog …
    qt_app = application._application()
    if application.prepare(qt_app):
        print("missing shipped files", file=sys.stderr)
        return 1
    _mark("QApplication, shipped-file check, fonts, translators")
    db = application._open_with_recovery(entry.resolve_database_url(args.database_url))
    _mark("open the database (checks incl. quick_check, default configuration, day's backup)")
    from center_app.services.context import ServiceContext
    from center_app.ui.runner import Runner
    from center_app.ui.state import AppState

    runner = Runner()
    session = application.Session(qt_app, db, runner)
    # … then what Session.sign_in() does once the dialog has accepted a user.
    session.state = AppState(ServiceContext(db, _bench_user(db)), runner)
    session.state.database_replaced.connect(session.after_restore)
    _mark("signed-in user")
    window = session.open_window("bookings")
    _mark("build the main window and the booking screen")
    qt_app.processEvents()
    _mark("show: event loop once")
    _ready()
    if settle:
        screen = window.screen("bookings")

        def wait_idle() -> None:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                qt_app.processEvents()
                if runner._pending == 0 and screen.controller.data is not None:
                    break
                time.sleep(0.005)
            qt_app.processEvents()
            screen.grab()

        wait_idle()
        from center_app.ui.screens.bookings.model import WEEK

        screen.controller.data = None
        screen.controller.set_mode(WEEK)
        wait_idle()
    return _finish(settle)


if __name__ == "__main__":
    settle = "--settle" in sys.argv
    argv = [a for a in sys.argv[1:] if a != "--settle"]
    if argv[0] == "bare":
        sys.exit(bare(settle))
    sys.exit(app(argv[1], settle))
