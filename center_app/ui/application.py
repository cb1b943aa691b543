"""The Qt application: fonts, translators, database opening, sign-in, main window, screenshots."""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from center_app import i18n, installation
from center_app.db import backup
from center_app.db.database import Database, DatabaseDamaged, sqlite_path, sqlite_url
from center_app.domain import clock
from center_app.domain.errors import CenterError
from center_app.i18n import _
from center_app.services import auth
from center_app.services.context import ServiceContext
from center_app.services.startup import open_center_database
from center_app.ui import idle_lock, settings
from center_app.ui.fonts import register_fonts, ui_font
from center_app.ui.login import LoginDialog
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner, Runner
from center_app.ui.state import AppState

_qt_translator: QTranslator | None = None
_qt_gaps: QTranslator | None = None


class _QtGaps(QTranslator):
    """Qt's own strings that the shipped ``qtbase_ja.qm`` lacks (its msgids changed in Qt 6:
    the file dialog's 「&Look in:」 and 「Files of &type:」 stayed English in the Japanese UI).
    Source: the wording of the same labels in earlier qtbase_ja catalogs."""

    TEXTS = {
        ("QFileDialog", "&Look in:"): "場所(&L):",
        ("QFileDialog", "Files of &type:"): "ファイルの種類(&T):",
    }

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:  # noqa: D102
        return self.TEXTS.get((context, source))  # None: not ours, the next translator answers

    def isEmpty(self) -> bool:  # noqa: N802, D102 - Qt API
        return False


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Center Desk")
    app.setOrganizationName("CenterDesk")
    return app


def install_language(app: QApplication, language: str) -> None:
    """Select our catalog and Qt's own qtbase translation (standard buttons, dialogs)."""
    global _qt_translator, _qt_gaps
    i18n.set_language(language)
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if _qt_gaps is not None:
        app.removeTranslator(_qt_gaps)
        _qt_gaps = None
    QLocale.setDefault(QLocale("ja_JP" if language == "ja" else "en_US"))
    if language != "en":
        translator = QTranslator(app)
        if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            _qt_translator = translator
    if language == "ja":
        _qt_gaps = _QtGaps(app)
        app.installTranslator(_qt_gaps)


def prepare(app: QApplication) -> list[str]:
    """Fonts and translators. Returns the shipped files that are missing or damaged (named to the user)."""
    missing = installation.missing_shipped_files()
    family = register_fonts()
    if family:
        app.setFont(ui_font(family))
    install_language(app, i18n.current_language())
    return missing


class Session:
    """One running app: the database, the runner, the state and the main window."""

    def __init__(self, app: QApplication, db: Database, runner: Runner):
        self.app, self.db, self.runner = app, db, runner
        self.state: AppState | None = None
        self.window: MainWindow | None = None

    def sign_in(self) -> bool:
        """Show the sign-in (or first administrator) dialog; False when cancelled."""
        first_run = auth.needs_first_admin(self.db)
        dialog = LoginDialog(self.db, self.runner, first_run=first_run)
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.user is None:
            return False
        if first_run:
            from center_app.ui.first_run import offer_demo_data  # imports the demo generator: only on a first run

            offer_demo_data(self.db, self.runner)
        self.state = AppState(ServiceContext(self.db, dialog.user), self.runner)
        self.state.database_replaced.connect(self.after_restore)
        self.open_window()
        return True

    def after_restore(self) -> None:
        """The database was restored from a backup: close the window and sign in again."""
        QMessageBox.information(self.window, _("Center Desk"), _("The backup was restored. Please sign in again."))
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if not self.sign_in():
            self.app.quit()

    def open_window(self, section: str | None = None) -> MainWindow:
        """(Re)build the main window for the current state and show it."""
        assert self.state is not None
        old = self.window
        self.window = MainWindow(self.state)
        self.window.switch_user_requested.connect(self.switch_user)
        self.window.signed_out.connect(self.sign_in_again)
        self.window.language_requested.connect(self.change_language)
        self.window.show_section(section or settings.get(settings.LAST_VIEW))
        if not self.window.current_section():
            self.window.show_section("home")
        self.window.show()
        self.idle_lock = idle_lock.install(self.app, self.state, self.window, previous=getattr(self, "idle_lock", None))
        if old is not None:
            old.close()
            old.deleteLater()
        return self.window

    def switch_user(self) -> None:
        """Sign in as another staff member without restarting. The screens are cleared before
        the dialog appears; cancelling it brings the same person's screen back, loaded anew."""
        assert self.state is not None and self.window is not None
        self.window.clear_screens()
        dialog = LoginDialog(self.db, self.runner, first_run=False, parent=self.window)
        if dialog.exec() == LoginDialog.DialogCode.Accepted and dialog.user is not None:
            self.state.set_context(ServiceContext(self.db, dialog.user))
        else:
            self.window.restore_screens()

    def sign_in_again(self, error: BaseException) -> None:
        """The session ended (account disabled, role or password changed by an administrator):
        the window's screens are cleared already; the sign-in dialog says why. Cancelling it
        closes the app."""
        assert self.state is not None and self.window is not None
        if getattr(self, "_signing_in", False):
            return  # several jobs found it at once: one dialog
        self._signing_in = True
        try:
            previous = self.state.ctx.user
            dialog = LoginDialog(self.db, self.runner, first_run=False, parent=self.window,
                                 login_name=previous.login_name if previous else "", notice=str(error))
            if dialog.exec() == LoginDialog.DialogCode.Accepted and dialog.user is not None:
                self.state.set_context(ServiceContext(self.db, dialog.user))
            else:
                self.window.close()
                self.app.quit()
        finally:
            self._signing_in = False

    def change_language(self, language: str) -> None:
        """Switch the UI language now and remember it for this PC."""
        settings.set(settings.LANGUAGE, language)
        install_language(self.app, language)
        self.open_window(self.window.current_section() if self.window else None)


def run(database_url: str) -> int:
    """Start the desktop app on ``database_url``. Returns the exit status."""
    app = _application()
    missing = prepare(app)
    if missing:
        QMessageBox.critical(None, "Center Desk", _("Files of the installation are missing or damaged:\n{files}\nReinstall Center Desk.").format(files="\n".join(missing)))
        return 1
    try:
        db = _open_with_recovery(database_url)
        if db is None:
            return 1
    except CenterError as exc:
        QMessageBox.critical(None, _("Center Desk"), str(exc))
        return exc.exit_status
    runner = Runner()
    session = Session(app, db, runner)
    if not session.sign_in():
        db.dispose()
        return 0
    status = app.exec()
    if session.window is not None:
        settings.set(settings.LAST_VIEW, session.window.current_section())
    runner.wait()
    db.dispose()
    return status


def _open_with_recovery(database_url: str) -> Database | None:
    """Open the database (:func:`open_center_database`: migrated, configuration loaded) and take
    the day's backup; for a damaged file offer the newest good backup,
    restored into a NEW file (the damaged one is never overwritten). None when the user declines."""
    path = sqlite_path(database_url)
    try:
        db = open_center_database(database_url)
    except DatabaseDamaged as exc:
        good = backup.newest_good_backup(path.stem) if path else None
        if good is None:
            QMessageBox.critical(None, _("Center Desk"), str(exc) + "\n" + _("No good backup was found."))
            return None
        target = path.with_name(f"{path.stem}-restored-{clock.now():%Y%m%d-%H%M%S}.sqlite3")
        answer = QMessageBox.question(
            None, _("Center Desk"),
            str(exc) + "\n\n" + _("Restore the newest good backup ({when}) into the new file {target} and use it? The damaged file stays as it is.").format(
                when=f"{good.taken_at:%Y-%m-%d %H:%M}", target=target),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        backup.restore_copy(good.path, target)
        database_url = sqlite_url(target)
        settings.set(settings.DATABASE_URL, database_url)
        db = open_center_database(database_url)
    if path is not None:
        backup.daily_backup_if_due(sqlite_path(db.url))
    return db


def throwaway_session(folder: Path) -> tuple[Database, ServiceContext]:
    """A database in ``folder`` with the default configuration and the small demo data set, and
    a temporary administrator signed in (screenshots).

    The password is random and never shown: nothing can sign in to this database later.
    """
    from center_app.services.demo import generate

    os.environ["CENTER_APP_DATA_DIR"] = str(folder)
    db = open_center_database(sqlite_url(folder / "screenshot.sqlite3"))
    password = secrets.token_urlsafe(16)
    user = auth.create_first_admin(db, "screenshot", _("Administrator"), password, password)
    generate(db, "small", seed=1)
    return db, ServiceContext(db, user)


def screenshot(path: str, view: str) -> int:
    """Render screen ``view`` (or the sign-in dialog for 'login') to the PNG ``path``; exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="center-desk-screenshot-") as folder:
        os.environ["CENTER_APP_SETTINGS_DIR"] = folder
        app = _application()
        missing = prepare(app)
        if missing:
            print("\n".join(missing), file=sys.stderr)
            return 1
        db, ctx = throwaway_session(Path(folder))
        runner = ImmediateRunner()
        if view == "login":
            widget = LoginDialog(db, runner, first_run=False, login_name="")
            widget.show()
        else:
            widget = MainWindow(AppState(ctx, runner))
            widget.show()
            if not widget.show_section(view):
                print(f"unknown view: {view}", file=sys.stderr)
                return 2
        app.processEvents()
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        ok = widget.grab().save(str(target), "PNG")
        widget.close()
        db.dispose()
        if not ok:
            print(f"could not write {target}", file=sys.stderr)
            return 1
        return 0
