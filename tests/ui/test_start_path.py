"""The start of the desktop app: the sign-in dialog comes first, the database is opened the way
every command opens it (migrated, with the default configuration) in the background meanwhile,
and the whole-file check and the day's backup run once the main window is up — a damaged file
or a failed backup still stops work with the same message as before."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import func, select

from center_app.db import backup
from center_app.db.database import sqlite_url
from center_app.db.models import Facility
from center_app.domain.errors import DatabaseUnavailable
from center_app.ui import application, settings
from center_app.ui.login import LoginDialog
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner

DAMAGE = "*** in database main ***\nPage 7: btreeInitPage() returns error code 11"


def _facilities(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Facility))


def _shown(kind):
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)


class Script:
    """Steps run on the GUI thread while ``application.run`` runs: each step waits (every 20 ms)
    until its condition holds, then acts. A step that never comes closes every window, so the
    test fails instead of hanging."""

    def __init__(self, *steps, timeout: float = 30):
        self.steps, self.done, self.failed = list(steps), [], ""
        self.deadline = time.monotonic() + timeout
        QTimer.singleShot(0, self._tick)

    def _tick(self) -> None:
        if not self.steps:
            return
        condition, action = self.steps[0]
        found = condition()
        if found:
            self.steps.pop(0)
            self.done.append(action(found))
        elif time.monotonic() > self.deadline:
            self.failed = f"step {len(self.done) + 1} never came"
            for widget in QApplication.topLevelWidgets():
                widget.close()
            QApplication.instance().exit(99)
            return
        QTimer.singleShot(20, self._tick)


def _ready_dialog():
    dialog = _shown(LoginDialog)
    return dialog if dialog is not None and dialog.ready() else None


def _sign_in(dialog):
    dialog.login_name.setText("admin")
    dialog.password.setText("admin-password-1")
    dialog.submit()


def test_the_sign_in_comes_first_and_a_new_database_gets_its_facilities_and_the_administrator_form(qapp, tmp_path):
    def look(dialog):
        seen = (_facilities(dialog.db), dialog.first_run, dialog.display_name.isVisible())
        dialog.reject()
        return seen

    script = Script((_ready_dialog, look))
    assert application.run(sqlite_url(tmp_path / "center.sqlite3")) == 0
    assert script.failed == "" and script.done == [(7, True, True)]


def test_a_sign_in_asked_for_before_the_database_is_open_waits_for_it(qtbot, admin_ctx):
    dialog = LoginDialog(None, ImmediateRunner(), first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login_name, "admin")
    qtbot.keyClicks(dialog.password, "admin-password-1")
    dialog.submit()
    assert dialog.user is None and not dialog.ok_button.isEnabled()
    assert "データベース" in dialog.status.text()
    dialog.set_database(admin_ctx.db, first_run=False)
    assert dialog.result() == LoginDialog.DialogCode.Accepted and dialog.user.login_name == "admin"


def test_an_empty_database_turns_the_dialog_into_the_administrator_form_keeping_the_input(qtbot, db):
    dialog = LoginDialog(None, ImmediateRunner(), first_run=False)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.login_name, "kanri")
    dialog.submit()  # waits for the database
    dialog.set_database(db, first_run=True)
    assert dialog.user is None and dialog.ok_button.isEnabled()
    assert dialog.display_name.isVisible() and dialog.password_again.isVisible()
    assert dialog.login_name.text() == "kanri" and "管理者" in dialog.windowTitle()


@pytest.fixture
def signed_in_file(admin_ctx):
    """The SQLite file of a database with the administrator, closed (the app opens it)."""
    if not admin_ctx.db.url.startswith("sqlite"):
        pytest.skip("SQLite file behaviour")
    admin_ctx.db.dispose()
    return Path(admin_ctx.db.url.removeprefix("sqlite:///"))


def _main_window():
    return _shown(MainWindow)


def test_the_checks_run_after_the_main_window_with_a_note_and_take_the_days_backup(qapp, signed_in_file):
    notes = []

    def note_then_close(window):
        notes.append(window.check_label.text())
        return window

    def checked(window=None):
        window = _main_window()
        return window if window is not None and window.check_label.text() != notes[0] else None

    def close(window):
        notes.append(window.check_label.text())
        window.close()

    script = Script((_ready_dialog, _sign_in), (_main_window, note_then_close), (checked, close))
    assert application.run(sqlite_url(signed_in_file)) == 0
    assert script.failed == ""
    assert notes[0] == "データベースを確認しています…" and notes[1] == "データベースを確認し、本日のバックアップを作成しました。"
    assert [b.kind for b in backup.list_backups(signed_in_file.stem)] == ["daily"]


def test_a_damaged_file_found_after_the_start_stops_work_with_the_offer_of_the_newest_good_backup(qapp, signed_in_file, monkeypatch):
    good = backup.create_backup(signed_in_file, "manual")
    asked = []

    def answer_yes(parent, title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    monkeypatch.setattr("center_app.db.database.quick_check", lambda path: [DAMAGE] if path == signed_in_file else [])

    def restored_dialog():
        dialog = _ready_dialog()
        return dialog if dialog is not None and "restored" in dialog.db.url else None

    script = Script((_ready_dialog, _sign_in), (restored_dialog, lambda dialog: dialog.reject()))
    assert application.run(sqlite_url(signed_in_file)) == 0  # signed in again on the copy, then cancelled
    assert script.failed == ""
    assert len(asked) == 1 and str(signed_in_file) in asked[0] and "壊れています" in asked[0] and "Page 7" in asked[0]
    restored = [p for p in signed_in_file.parent.iterdir() if "-restored-" in p.name and p.suffix == ".sqlite3"]
    assert len(restored) == 1 and settings.get(settings.DATABASE_URL) == sqlite_url(restored[0])
    assert good.exists()


def test_declining_the_backup_of_a_damaged_file_quits(qapp, signed_in_file, monkeypatch):
    backup.create_backup(signed_in_file, "manual")
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No)
    monkeypatch.setattr("center_app.db.database.quick_check", lambda path: [DAMAGE])
    script = Script((_ready_dialog, _sign_in))
    assert application.run(sqlite_url(signed_in_file)) == 1
    assert script.failed == "" and _main_window() is None


def test_a_backup_that_fails_its_check_stops_work_with_the_reason(qapp, signed_in_file, monkeypatch):
    shown = []

    def fail(source, today=None):
        raise DatabaseUnavailable(f"The backup of {source} failed its check: page 3", str(source))

    monkeypatch.setattr(backup, "daily_backup_if_due", fail)
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *args, **kwargs: shown.append(text))
    script = Script((_ready_dialog, _sign_in))
    assert application.run(sqlite_url(signed_in_file)) == 1
    assert script.failed == "" and _main_window() is None
    assert shown == [f"The backup of {signed_in_file} failed its check: page 3"]


def _refused_with(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *args, **kwargs: shown.append(text))
    return shown


def test_a_newer_schema_found_while_the_dialog_is_up_is_refused_with_its_message(qapp, signed_in_file, monkeypatch):
    import hashlib
    import sqlite3

    conn = sqlite3.connect(signed_in_file)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = hashlib.sha256(signed_in_file.read_bytes()).hexdigest()
    shown = _refused_with(monkeypatch)
    assert application.run(sqlite_url(signed_in_file)) == 1
    assert len(shown) == 1 and "新しい" in shown[0] and str(signed_in_file) in shown[0]
    assert hashlib.sha256(signed_in_file.read_bytes()).hexdigest() == before and _shown(LoginDialog) is None


def test_a_file_on_a_network_drive_is_refused_with_its_message(qapp, signed_in_file, monkeypatch):
    monkeypatch.setattr("center_app.db.database.is_network_path", lambda path: True)
    shown = _refused_with(monkeypatch)
    assert application.run(sqlite_url(signed_in_file)) == 1
    assert len(shown) == 1 and "PostgreSQL" in shown[0] and str(signed_in_file) in shown[0]


def test_a_damaged_migration_found_while_the_dialog_is_up_stops_the_start_naming_it_before_the_file_is_made(qapp, tmp_path, monkeypatch):
    import shutil

    from center_app import paths

    migrations = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), migrations, ignore=shutil.ignore_patterns("__pycache__"))
    env = migrations / "env.py"
    env.write_text("from alembic import context\ndef broken(:\n", encoding="utf-8")
    monkeypatch.setattr(paths, "migrations_dir", lambda: migrations)
    shown = _refused_with(monkeypatch)
    database = tmp_path / "center.sqlite3"
    assert application.run(sqlite_url(database)) == 1
    assert len(shown) == 1 and str(env) in shown[0] and "入れ直してください" in shown[0]
    assert not database.exists() and _shown(LoginDialog) is None


def test_the_screenshot_database_has_its_facilities(qapp, tmp_path, monkeypatch):
    from center_app.services import demo

    monkeypatch.setattr(demo, "generate", lambda db, profile, seed: None)  # the demo data would load them too
    from center_app.ui import screenshot

    db, ctx = screenshot.throwaway_session(tmp_path)
    try:
        assert _facilities(db) == 7
        assert ctx.user.login_name == "screenshot"
    finally:
        db.dispose()


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    return set(out.stdout.split())


def test_the_desktop_start_loads_neither_the_commands_nor_the_storage_layer_before_the_sign_in_dialog():
    loaded = _loaded_after(
        "from center_app.app import parse_arguments\n"
        "parse_arguments(['--database-url', 'sqlite:////tmp/x.sqlite3'])\n"
        "from center_app.ui import application, login\n"
    )
    assert "center_app.ui.login" in loaded
    assert not {m for m in loaded if m.startswith(("sqlalchemy", "alembic", "center_app.cli", "center_app.commands", "center_app.db.database", "center_app.services"))}


#: Run in a fresh process: the modules loaded when the first window paints — the sign-in dialog of
#: ``center-app ARGS`` ("app"), or a bare QDialog ("bare") — one line, sorted.
_FIRST_PAINT = """
import json, os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog

WINDOW = "LoginDialog" if sys.argv[1] == "app" else "QDialog"


class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and type(watched).__name__ == WINDOW:
            print(" ".join(sorted(sys.modules)), flush=True)
            os._exit(0)
        return False


app = QApplication(sys.argv[:1])
watch = Watch()
app.installEventFilter(watch)
if sys.argv[1] == "app":
    from center_app.ui import application

    application.OPEN_AFTER_MS = 600_000  # the database opens after the first paint only, however slow the machine
    from center_app.app import main

    main(json.loads(sys.argv[2]))
else:
    dialog = QDialog()
    dialog.show()
    app.exec()
"""

#: Our modules that must wait until the dialog is up: the storage layer and the services (SQLAlchemy,
#: Alembic, argon2 …), the commands, the documents (reportlab, Jinja2, icalendar …), and the
#: shared screen widgets, which make most of QtWidgets' classes and Qt's enums.
_AFTER_THE_DIALOG = ("center_app.services", "center_app.db.", "center_app.commands", "center_app.print", "center_app.export",
                     "center_app.ui.widgets", "center_app.ui.main_window", "center_app.ui.state", "center_app.ui.screens")


def _loaded_at_first_paint(tmp_path, *args: str) -> set[str]:
    import json
    import os

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CENTER_APP_DATA_DIR": str(tmp_path / "data"),
           "CENTER_APP_SETTINGS_DIR": str(tmp_path / "settings")}
    env.pop("CENTER_APP_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", _FIRST_PAINT, *args], capture_output=True, text=True, check=True, env=env, timeout=60)
    return set(out.stdout.split())


@pytest.mark.parametrize("options", [["--database-url", "sqlite:///{folder}/center.sqlite3"], []], ids=["named", "default"])
def test_the_sign_in_dialog_paints_with_nothing_but_qt_the_standard_library_and_our_small_modules(tmp_path, options):
    import json

    bare = _loaded_at_first_paint(tmp_path, "bare")
    ours = _loaded_at_first_paint(tmp_path, "app", json.dumps([o.format(folder=tmp_path) for o in options]))
    assert "center_app.ui.login" in ours
    packages = {name.partition(".")[0] for name in ours - bare}
    beyond_qt = packages - sys.stdlib_module_names - {"center_app"}  # e.g. sqlalchemy, jinja2, icalendar, reportlab, babel, platformdirs
    too_early = sorted(m for m in ours if m.startswith(_AFTER_THE_DIALOG) and m != "center_app.db.location")
    assert (beyond_qt, too_early) == (set(), [])


def test_help_still_lists_the_commands_and_a_command_gets_its_parser():
    out = subprocess.run([sys.executable, "-m", "center_app", "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("groups", "bookings", "backup", "report"):
        assert command in out
    from center_app.app import parse_arguments

    args = parse_arguments(["--lang", "en", "bookings", "import", "ledger.csv", "--dry-run"])
    assert args.command == "bookings" and args.dry_run and args.lang == "en"
