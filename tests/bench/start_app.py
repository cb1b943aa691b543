"""Run in a fresh process by the start-up and memory benchmarks (``test_startup_bench.py``).

``python start_app.py bare [--settle]``
    the baseline: a bare PySide6 main window holding one QTableView (100 × 8 cells); with
    ``--settle`` it also prints ``VMHWM <kB>`` once painted.
``python start_app.py app DATABASE_FILE [--sign-in] [--settle] [--backup]``
    Center Desk exactly as ``center-app --database-url sqlite:///DATABASE_FILE`` starts it
    (``center_app.app.main``), watched from outside by an event filter on the application.

Both print ``READY <cpu seconds>`` once their first window (the bare window; the app's sign-in
dialog) has painted: the process's CPU time up to then. The parent measures the wall time from
spawning the process to that line.

``--sign-in``: then, once the dialog has the database (``LoginDialog.ready``), type the bench
administrator's name and password (:data:`dataset.ADMIN_PASSWORD`) and press Enter, and print
``SIGNED_IN <cpu seconds> <wall seconds>`` from the Enter to the main window's first paint.
``--settle``: then wait until the 予約 screen's data has arrived and is painted (day view, then
week view of the main center) and print ``VMHWM <kB>``, the peak resident set size.
``--backup``: before exiting, wait until the day's backup is in the backups folder (the first
start of a day takes it in the background).

The same event filter watches the bare window, so both pay for it alike. Nothing here is part
of the app.
"""

from __future__ import annotations

import os
import sys
import time

_WALL0 = time.perf_counter()


def _peak_rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _exit() -> None:
    sys.stdout.flush()
    os._exit(0)  # skip teardown: only the times and the peak matter


def _probe(window_class: str, on_painted):
    """An event filter that calls ``on_painted(widget)`` once, right after the first paint of a
    top-level widget of class ``window_class`` has been handled."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        def __init__(self):
            super().__init__()
            self.done = False
            self.watch = window_class

        def eventFilter(self, watched, event):  # noqa: N802
            if not self.done and event.type() == QEvent.Type.Paint and type(watched).__name__ == self.watch:
                self.done = True
                QTimer.singleShot(0, lambda: on_painted(watched))
            return False

    return Probe()


def bare(settle: bool) -> int:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])

    def painted(_widget) -> None:
        _say(f"READY {time.process_time():.4f}")
        if settle:
            _say(f"VMHWM {_peak_rss_kb()}")
        _exit()

    probe = _probe("QMainWindow", painted)
    app.installEventFilter(probe)
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
    return app.exec()


def _backups_done() -> bool:
    folder = os.path.join(os.environ["CENTER_APP_DATA_DIR"], "backups")
    return os.path.isdir(folder) and any("-daily-" in name and name.endswith(".sqlite3") for name in os.listdir(folder))


def app(database_file: str, sign_in: bool, settle: bool, backup: bool) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    qt_app = QApplication(sys.argv[:1])  # the app takes this instance (application.qt_application)
    state: dict = {}

    def every(msecs: int, condition, then) -> None:
        """Call ``then()`` once ``condition()`` holds, checking every ``msecs`` ms."""
        timer = QTimer(qt_app)
        timer.setInterval(msecs)

        def tick() -> None:
            if condition():
                timer.stop()
                then()

        timer.timeout.connect(tick)
        timer.start()
        state.setdefault("timers", []).append(timer)

    def finish() -> None:
        if backup:
            every(20, _backups_done, _exit)
        else:
            _exit()

    def main_window_painted(window) -> None:
        cpu, wall = time.process_time() - state["cpu"], time.perf_counter() - state["wall"]
        _say(f"SIGNED_IN {cpu:.4f} {wall:.4f}")
        if not settle:
            finish()
            return
        screen = window.screen("bookings")
        runner = window.state.runner

        def idle() -> bool:
            return runner._pending == 0 and screen is not None and screen.controller.data is not None

        def week() -> None:
            from center_app.ui.screens.bookings.model import WEEK

            screen.grab()
            screen.controller.data = None
            screen.controller.set_mode(WEEK)
            every(5, idle, peak)

        def peak() -> None:
            screen.grab()
            _say(f"VMHWM {_peak_rss_kb()}")
            finish()

        every(5, idle, week)

    def dialog_painted(dialog) -> None:
        _say(f"READY {time.process_time():.4f}")
        if not sign_in:
            finish()
            return
        import dataset

        def submit() -> None:
            dialog.login_name.setText(dataset.ADMIN_LOGIN)
            dialog.password.setText(dataset.ADMIN_PASSWORD)
            state["window_probe"] = _probe("MainWindow", main_window_painted)
            qt_app.installEventFilter(state["window_probe"])
            state["cpu"], state["wall"] = time.process_time(), time.perf_counter()
            dialog.submit()

        every(5, lambda: getattr(dialog, "ready", lambda: dialog.db is not None)(), submit)

    probe = _probe("LoginDialog", dialog_painted)
    qt_app.installEventFilter(probe)
    from center_app.app import main

    return main(["--database-url", f"sqlite:///{database_file}"])


if __name__ == "__main__":
    flags = {a for a in sys.argv[1:] if a.startswith("--")}
    argv = [a for a in sys.argv[1:] if not a.startswith("--")]
    if argv[0] == "bare":
        sys.exit(bare("--settle" in flags))
    sys.exit(app(argv[1], "--sign-in" in flags or "--settle" in flags, "--settle" in flags, "--backup" in flags))
