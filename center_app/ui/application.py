"""The Qt application: fonts, translators, the start (sign-in first), main window (screenshots:
:mod:`center_app.ui.screenshot`).

The start (docs/performance.md, "Start"): the sign-in dialog is the first window, shown with
nothing but Qt and our small modules loaded, after the check of the shipped files it needs
(fonts, catalogs). Once it is on the screen the background runner checks those of the storage
(migrations, the seed file: a damaged one stops the start with the same message), opens the
database (:func:`center_app.services.startup.open_center_database`: checks without
the whole-file ``quick_check``, migrations, the default configuration) and loads the modules of
the main window, while the clerk types; a sign-in waits for it, and an empty database turns the
dialog into the first administrator's form. When the main window is up, ``PRAGMA quick_check``
and the day's backup run on a thread of their own (:func:`center_app.services.startup.daily_checks`)
with a note in the status bar; a damaged file or a failed backup stops work with the same
message as before: the offer of the newest good backup (restored into a new file), or the reason.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from center_app import i18n, installation
from center_app.domain.errors import CenterError
from center_app.i18n import _
from center_app.ui import settings
from center_app.ui.fonts import register_fonts, ui_font
from center_app.ui.login import LoginDialog
from center_app.ui.runner import Runner

if TYPE_CHECKING:
    from center_app.db.database import Database
    from center_app.services.context import CurrentUser
    from center_app.ui.main_window import MainWindow
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


#: How long the dialog waits for its first paint before the database is opened anyway (ms).
OPEN_AFTER_MS = 300
#: The checks after the start begin with the main window's first paint, or after this many ms.
CHECKS_FALLBACK_MS = 2000
#: How long the status bar says the database was checked (ms).
NOTE_MS = 15_000


def qt_application() -> QApplication:
    """The process's QApplication (made on first use), named as settings and paths expect."""
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


def prepare(app: QApplication, *, storage: bool = True) -> list[str]:
    """Fonts and translators. Returns the shipped files that are missing or damaged (named to the
    user); without ``storage`` only those of the first window (fonts, catalogs): the start checks
    the migrations and the seed file on the runner, before it opens the database."""
    missing = installation.missing_shipped_files(storage=storage)
    family = register_fonts()
    if family:
        app.setFont(ui_font(family))
    install_language(app, i18n.current_language())
    return missing


class Session:
    """One running app: the database, the runner, the state and the main window."""

    def __init__(self, app: QApplication, db: Database | None, runner: Runner):
        self.app, self.db, self.runner = app, db, runner
        self.state: AppState | None = None
        self.window: MainWindow | None = None
        #: The thread of the checks after the start (quick_check, the day's backup), made on first use.
        self.checks: Runner | None = None
        self.check_note = ""
        #: The exit status when the start or the checks stopped the app.
        self.exit_status = 0

    # --- the start ---------------------------------------------------------------------------

    def start(self, database_url: str) -> bool:
        """Show the sign-in dialog at once and open ``database_url`` in the background meanwhile;
        then the main window. False when the clerk cancelled (:attr:`exit_status` 0) or the
        database cannot be used (the reason shown; :attr:`exit_status` set)."""
        while True:
            outcome = self._sign_in_while_opening(database_url)
            if outcome is True:
                return True
            if outcome is False:
                return False
            from center_app.db.database import DatabaseDamaged  # loaded by the opening by now

            if isinstance(outcome, DatabaseDamaged):
                try:
                    database_url = _offer_good_backup(outcome, database_url)
                except CenterError as exc:
                    QMessageBox.critical(None, _("Center Desk"), str(exc))
                    database_url = None
                if database_url is not None:
                    continue
                self.exit_status = 1
                return False
            QMessageBox.critical(None, _("Center Desk"), str(outcome))
            self.exit_status = outcome.exit_status if isinstance(outcome, CenterError) else 1
            return False

    def _sign_in_while_opening(self, database_url: str) -> bool | BaseException:
        """The dialog, with ``database_url`` opened on the runner once the dialog has painted.
        True: signed in and the main window shown; False: cancelled; an exception: the
        database could not be opened (the dialog is closed)."""
        dialog = LoginDialog(None, self.runner, first_run=False)
        failure: list[BaseException] = []

        def open_now() -> None:
            if not opening:
                opening.append(True)
                self.runner.submit(self._open, database_url, on_done=opened, on_error=failed)
                _first_use_of_qt_types()  # meanwhile, on this thread

        def opened(result: tuple[Database, bool]) -> None:
            dialog.set_database(*result)

        def failed(error: BaseException) -> None:
            failure.append(error)
            dialog.reject()

        opening: list[bool] = []
        dialog.first_painted.connect(open_now)
        QTimer.singleShot(OPEN_AFTER_MS, dialog, open_now)  # in case no paint is reported (no screen)
        accepted = dialog.exec() == LoginDialog.DialogCode.Accepted and dialog.user is not None
        if failure:
            return failure[0]
        if not accepted:
            return False
        self._signed_in(dialog.user, dialog.first_run)
        return True

    def _open(self, database_url: str) -> tuple[Database, bool]:
        """On the runner: check the shipped files of the storage (migrations, seed file; a damaged
        one stops the start with the message that names it, before the database is touched), open
        the database (the start path, without the whole-file check), say whether it needs its
        first administrator, load the main window's modules, and prepare the sign-in."""
        missing = installation.missing_shipped_files(window=False)
        if missing:
            raise CenterError(_damaged_installation(missing))
        from center_app.services import auth
        from center_app.services.startup import open_center_database

        db = open_center_database(database_url, check=False)
        self.db = db  # kept at once, so a cancelled start still closes it
        first_run = auth.needs_first_admin(db)
        _load_main_window_modules(settings.get(settings.LAST_VIEW))
        if not first_run:
            auth.prepare_sign_in(db)  # after the modules: it sets up the mappings of every model they import
        return db, first_run

    def _signed_in(self, user: CurrentUser, first_run: bool) -> None:
        from center_app.services.context import ServiceContext
        from center_app.ui.state import AppState

        assert self.db is not None
        if first_run:
            from center_app.ui.first_run import offer_demo_data  # imports the demo generator: only on a first run

            offer_demo_data(self.db, self.runner)
        self.state = AppState(ServiceContext(self.db, user), self.runner)
        self.state.database_replaced.connect(self.after_restore)
        self.open_window(load_after_paint=True)
        if not first_run:
            from center_app.services import auth

            assert self.window is not None
            self.window.first_painted.connect(auth.release_sign_in_memory)  # before the first screen's data comes in
        self._start_checks()

    # --- the checks after the start ----------------------------------------------------------

    def _start_checks(self) -> None:
        """``quick_check`` and the day's backup of an SQLite file, on a thread of their own, from
        the main window's first paint on (they read the whole file: started before it, they
        would slow the paint down); the status bar says so at once."""
        from center_app.db.database import sqlite_path
        from center_app.services import startup

        if self.db is None or sqlite_path(self.db.url) is None:
            return
        self._note(_("Checking the database…"))
        db, started = self.db, []

        def begin() -> None:
            if started or db is not self.db:  # once; not after the database was closed or replaced
                return
            started.append(True)
            if self.checks is None:
                self.checks = Runner()
            self.checks.submit(startup.daily_checks, db, on_done=self._checked, on_error=self._check_failed)

        if self.window is not None:
            self.window.first_painted.connect(begin)
        QTimer.singleShot(CHECKS_FALLBACK_MS, self.app, begin)  # in case no paint is reported (no screen)

    def _note(self, text: str) -> None:
        self.check_note = text
        if self.window is not None:
            self.window.show_check_note(text)

    def _checked(self, backup_path: Any) -> None:
        text = _("Database checked; today's backup taken.") if backup_path else _("Database checked.")
        self._note(text)
        QTimer.singleShot(NOTE_MS, lambda: self._note("") if self.check_note == text else None)

    def _check_failed(self, error: BaseException) -> None:
        """Stop work: the damaged file's offer of a good backup (then sign in again on it), or
        the reason, then quit."""
        from center_app.db.database import DatabaseDamaged

        self._note("")
        url = None
        if isinstance(error, DatabaseDamaged) and self.db is not None:
            try:
                url = _offer_good_backup(error, self.db.url, self.window)
            except CenterError as exc:
                QMessageBox.critical(self.window, _("Center Desk"), str(exc))
        else:
            QMessageBox.critical(self.window, _("Center Desk"), str(error))
        self._close_window()
        self.runner.wait()
        if self.db is not None:
            self.db.dispose()
            self.db = None
        if url is not None:  # sign in again, on the restored copy
            with self._staying():
                signed_in = self.start(url)
            if not signed_in:
                self.app.exit(self.exit_status)
            return
        self.exit_status = error.exit_status if isinstance(error, CenterError) else 1
        self.app.exit(self.exit_status)

    # --- signed in ---------------------------------------------------------------------------

    def sign_in(self) -> bool:
        """Show the sign-in (or first administrator) dialog on the open database; False when cancelled."""
        from center_app.services import auth

        assert self.db is not None
        first_run = auth.needs_first_admin(self.db)
        dialog = LoginDialog(self.db, self.runner, first_run=first_run)
        if dialog.exec() != LoginDialog.DialogCode.Accepted or dialog.user is None:
            return False
        if first_run:
            from center_app.ui.first_run import offer_demo_data  # imports the demo generator: only on a first run

            offer_demo_data(self.db, self.runner)
        from center_app.services.context import ServiceContext
        from center_app.ui.state import AppState

        self.state = AppState(ServiceContext(self.db, dialog.user), self.runner)
        self.state.database_replaced.connect(self.after_restore)
        self.open_window()
        return True

    def after_restore(self) -> None:
        """The database was restored from a backup: close the window and sign in again."""
        QMessageBox.information(self.window, _("Center Desk"), _("The backup was restored. Please sign in again."))
        self._close_window()
        with self._staying():
            signed_in = self.sign_in()
        if not signed_in:
            self.app.quit()

    def open_window(self, section: str | None = None, *, load_after_paint: bool = False) -> MainWindow:
        """(Re)build the main window for the current state and show it; ``load_after_paint`` (the
        start): its data is read once it has painted (:class:`MainWindow`)."""
        from center_app.ui import idle_lock
        from center_app.ui.main_window import MainWindow

        assert self.state is not None
        old = self.window
        self.window = MainWindow(self.state, load_after_paint=load_after_paint)
        self.window.switch_user_requested.connect(self.switch_user)
        self.window.signed_out.connect(self.sign_in_again)
        self.window.language_requested.connect(self.change_language)
        self.window.show_section(section or settings.get(settings.LAST_VIEW))
        if not self.window.current_section():
            self.window.show_section("home")
        self.window.show_check_note(self.check_note)
        self.window.show()
        self.idle_lock = idle_lock.install(self.app, self.state, self.window, previous=getattr(self, "idle_lock", None))
        if old is not None:
            old.close()
            old.deleteLater()
        return self.window

    def _close_window(self) -> None:
        """Close the main window without Qt's quitting on the last window closed (the session
        decides: sign in again, or quit with its exit status)."""
        lock = getattr(self, "idle_lock", None)
        if lock is not None:
            lock.uninstall()
            self.idle_lock = None
        if self.window is not None:
            with self._staying():
                self.window.close()
            self.window.deleteLater()
            self.window = None

    @contextmanager
    def _staying(self) -> Iterator[None]:
        """While the session moves between its windows (main window → sign-in dialog → main
        window), Qt must not quit because, for a moment, none is shown."""
        quits = self.app.quitOnLastWindowClosed()
        self.app.setQuitOnLastWindowClosed(False)
        try:
            yield
        finally:
            self.app.setQuitOnLastWindowClosed(quits)

    def switch_user(self) -> None:
        """Sign in as another staff member without restarting. The screens are cleared before
        the dialog appears; cancelling it brings the same person's screen back, loaded anew."""
        from center_app.services.context import ServiceContext

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
        from center_app.services.context import ServiceContext

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

    def finish(self) -> None:
        """After the event loop: let the background work end (a backup is never cut short),
        then close the database."""
        self.runner.wait()
        if self.checks is not None:
            self.checks.wait(10 * 60_000)
        if self.db is not None:
            self.db.dispose()
            self.db = None


def _load_main_window_modules(last_view: str) -> None:
    """Import (without building anything) the main window and the screen it opens on, so that
    after the sign-in only the widgets are made. Runs on the runner's thread while the clerk types."""
    from center_app.ui.screens import preload

    for name in ("center_app.ui.main_window", "center_app.ui.idle_lock", "center_app.ui.state", "center_app.services.facilities"):
        importlib.import_module(name)
    preload(last_view)


def _first_use_of_qt_types() -> None:
    """Do on the GUI thread, while the clerk types, what the main window's first build and paint
    would otherwise do first after Enter: PySide6 makes the Python type of a Qt enum on its first
    use (QPainter.fillRect's overloads make QGradient's five, QStyle.standardIcon QIcon's three,
    QSettings.value QByteArray's two; about 5 ms)."""
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QStyle

    image = QImage(1, 1, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor("white"))
    painter.end()
    QApplication.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown)
    settings.get(settings.IDLE_LOCK_MINUTES)


def run(database_url: str) -> int:
    """Start the desktop app on ``database_url``. Returns the exit status."""
    app = qt_application()
    missing = prepare(app, storage=False)
    if missing:
        QMessageBox.critical(None, "Center Desk", _damaged_installation(missing))
        return 1
    runner = Runner()
    session = Session(app, None, runner)
    if not session.start(database_url):
        session.finish()
        return session.exit_status
    status = app.exec()
    if session.window is not None:
        settings.set(settings.LAST_VIEW, session.window.current_section())
    session.finish()
    return status


def _damaged_installation(missing: list[str]) -> str:
    """The message that names the missing or damaged shipped files (one a line)."""
    return _("Files of the installation are missing or damaged:\n{files}\nReinstall Center Desk.").format(files="\n".join(missing))


def _offer_good_backup(error: CenterError, database_url: str, parent: QWidget | None = None) -> str | None:
    """For a damaged SQLite file: offer the newest good backup, restored into a NEW file (the
    damaged one is never overwritten), and remember that file for this PC. Returns its URL, or
    None when there is none or the clerk declines. Raises DatabaseUnavailable when the copy fails."""
    from center_app.db import backup
    from center_app.db.database import sqlite_path, sqlite_url
    from center_app.domain import clock

    path = sqlite_path(database_url)
    good = backup.newest_good_backup(path.stem) if path else None
    if good is None:
        QMessageBox.critical(parent, _("Center Desk"), str(error) + "\n" + _("No good backup was found."))
        return None
    target = path.with_name(f"{path.stem}-restored-{clock.now():%Y%m%d-%H%M%S}.sqlite3")
    answer = QMessageBox.question(
        parent, _("Center Desk"),
        str(error) + "\n\n" + _("Restore the newest good backup ({when}) into the new file {target} and use it? The damaged file stays as it is.").format(
            when=f"{good.taken_at:%Y-%m-%d %H:%M}", target=target),
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    backup.restore_copy(good.path, target)
    database_url = sqlite_url(target)
    settings.set(settings.DATABASE_URL, database_url)
    return database_url
