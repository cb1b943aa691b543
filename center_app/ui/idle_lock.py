"""Idle lock: after a period without keyboard or mouse input the app covers its windows and asks
for the password again. Nothing is closed or rebuilt, so a half-typed form is still there after
unlocking (the widgets are only covered, never destroyed).

An event filter on the QApplication counts input events and restarts a single-shot QTimer. On
timeout every visible top-level window gets an opaque :class:`Curtain` child covering it (the
consultation on screen is hidden from passers-by), open popups are closed, and an
application-modal :class:`UnlockDialog` asks for the password of the signed-in staff member. While
locked, input to anything but that dialog is swallowed (window shortcuts included).

While locked, the main window's screens are hidden as well (not only covered), and a window
that appears while locked (a message from work finished meanwhile) gets its curtain at once.

Unlocking uses :func:`center_app.services.auth.sign_in`, so wrong passwords count towards the
account lockout (5 failures → 15 minutes) and are audited, and the account is read as it is now:
when an administrator changed it meanwhile (role, password, epoch) or somebody else signs in, the
main window switches user (its screens are cleared and rebuilt with the role stored now, so the
previous role and the previous user's unsaved input are gone).

Wiring (``Session.open_window`` in :mod:`center_app.ui.application`)::

    self.idle_lock = idle_lock.install(self.app, self.state, self.window, previous=getattr(self, "idle_lock", None))

The period is the per-PC setting ``security/idle_lock_minutes`` (:data:`settings.IDLE_LOCK_MINUTES`,
default 10; 0 turns the lock off).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.errors import CenterError
from center_app.i18n import _
from center_app.services import auth
from center_app.services.context import CurrentUser, ServiceContext
from center_app.ui import settings
from center_app.ui.state import AppState
from center_app.ui.field_errors import grow_to_fit
from center_app.ui.login import first_empty
from center_app.ui.widgets import error_label, set_error

#: Events that count as activity (and are swallowed while locked, outside the unlock dialog).
INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride,
    QEvent.Type.ContextMenu,
})


class Curtain(QWidget):
    """An opaque cover over one top-level window while the app is locked."""

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setObjectName("idle_lock_curtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#idle_lock_curtain { background: #2f3b4a; }")
        layout = QVBoxLayout(self)
        label = QLabel(_("Locked. Enter your password to continue."))
        label.setStyleSheet("color: white; font-size: 18px;")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()


class UnlockDialog(QDialog):
    """Asks for the password again; Esc and the close button do not dismiss it."""

    unlocked = Signal(object)  # CurrentUser

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setObjectName("unlock_dialog")
        self.setWindowTitle(_("Center Desk is locked"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        user = state.ctx.user
        intro = QLabel(
            _("The app was locked after a period without use. {name}, enter your password to continue; your unsaved input is kept.")
            .format(name=user.display_name) if user else _("Sign in to continue.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.login_name = QLineEdit(user.login_name if user else "")
        self.login_name.setObjectName("login_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_("Login name"), self.login_name)
        form.addRow(_("Password"), self.password)
        layout.addLayout(form)
        self.message = error_label()
        self.message.setObjectName("message")
        layout.addWidget(self.message)
        hint = QLabel(_("Another staff member may sign in here instead; the screens then switch to that person."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.ok_button = QPushButton(_("Unlock"))
        self.ok_button.setDefault(True)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.submit)
        layout.addWidget(buttons)
        self.password.setFocus()

    def reject(self) -> None:  # noqa: D401 - Esc must not dismiss the lock
        """Ignored: the lock stays until a password is accepted."""

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt name
        event.ignore()

    def submit(self) -> None:
        """Check the password (in the background)."""
        set_error(self.message, "")
        empty = first_empty(self.login_name, self.password)
        if empty is not None:  # no attempt: nothing counts towards the lock-out
            field, message = empty
            set_error(self.message, message)
            field.setFocus()
            grow_to_fit(self)
            return
        self.ok_button.setEnabled(False)
        self.state.runner.submit(auth.sign_in, self.state.ctx.db, self.login_name.text(), self.password.text(),
                                 on_done=self._done, on_error=self._failed)

    def _done(self, user: CurrentUser) -> None:
        self.ok_button.setEnabled(True)
        self.password.clear()
        self.unlocked.emit(user)

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        set_error(self.message, str(error) if isinstance(error, CenterError) else _("Sign-in failed: {detail}").format(detail=error))
        grow_to_fit(self)


class IdleLock(QObject):
    """Locks the app after ``timeout_ms`` without input. ``locked_changed(bool)`` on each change."""

    locked_changed = Signal(bool)

    def __init__(self, app: QApplication, state: AppState, window: QWidget, timeout_ms: int):
        super().__init__(window)
        self.app, self.state, self.window = app, state, window
        self.locked = False
        self.dialog: UnlockDialog | None = None
        self.curtains: dict[QWidget, Curtain] = {}
        self._focus: QWidget | None = None
        self.timer = QTimer(self)
        self.timer.setObjectName("idle_lock_timer")
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(max(int(timeout_ms), 1))
        self.timer.timeout.connect(self.lock)
        app.installEventFilter(self)
        self.timer.start()

    def uninstall(self) -> None:
        """Stop watching (the window is being replaced); unlocks first if locked."""
        if self.locked:
            self._unlock()
        self.timer.stop()
        self.app.removeEventFilter(self)

    # --- watching --------------------------------------------------------------------------------

    def _inside_dialog(self, obj: QObject) -> bool:
        dialog = self.dialog
        if dialog is None:
            return False
        if isinstance(obj, QWidget):
            return obj is dialog or dialog.isAncestorOf(obj)
        return isinstance(obj, QWindow) and obj is dialog.windowHandle()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        kind = event.type()
        if self.locked:
            if kind == QEvent.Type.Resize and watched in self.curtains:
                self.curtains[watched].setGeometry(watched.rect())
            elif kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow() and watched not in self.curtains \
                    and not isinstance(watched, UnlockDialog) and not self._inside_dialog(watched):
                self.curtains[watched] = Curtain(watched)
            elif kind in INPUT_EVENTS and not self._inside_dialog(watched):
                return True
            return False
        if kind in INPUT_EVENTS:
            self.timer.start()
        return False

    # --- locking ---------------------------------------------------------------------------------

    def lock(self) -> None:
        """Cover every window and ask for the password (nothing is closed or rebuilt)."""
        if self.locked:
            return
        self.locked = True
        self.timer.stop()
        self._focus = QApplication.focusWidget()
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top.isWindow() and not isinstance(top, UnlockDialog) and top not in self.curtains:
                self.curtains[top] = Curtain(top)
        self._hidden = self._screens_widget()
        if self._hidden is not None:
            self._hidden.setVisible(False)
        self.dialog = UnlockDialog(self.state, self.window)
        self.dialog.unlocked.connect(self._unlocked)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.password.setFocus()
        self.locked_changed.emit(True)

    def _screens_widget(self) -> QWidget | None:
        """The part of the main window that shows the screens (hidden while locked)."""
        central = getattr(self.window, "centralWidget", None)
        return central() if callable(central) else None

    def _unlocked(self, user: CurrentUser) -> None:
        previous = self.state.ctx.user
        self._unlock()
        if previous is None or user != previous:  # another person, or the account changed meanwhile
            self.state.set_context(ServiceContext(self.state.ctx.db, user))

    def _unlock(self) -> None:
        for curtain in self.curtains.values():
            curtain.hide()
            curtain.deleteLater()
        self.curtains.clear()
        hidden, self._hidden = getattr(self, "_hidden", None), None
        if hidden is not None:
            try:
                hidden.setVisible(True)
            except RuntimeError:  # the window was deleted meanwhile
                pass
        if self.dialog is not None:
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.locked = False
        if self._focus is not None:
            try:
                self._focus.setFocus()
            except RuntimeError:  # the widget was deleted meanwhile
                pass
            self._focus = None
        self.timer.start()
        self.locked_changed.emit(False)


def install(app: QApplication, state: AppState, window: QWidget, *, previous: IdleLock | None = None,
            minutes: int | None = None) -> IdleLock | None:
    """Watch ``app`` for idleness and lock ``window`` (replacing ``previous``); None when the
    setting is 0 (lock off)."""
    if previous is not None:
        try:
            previous.uninstall()
        except RuntimeError:  # its window (the parent) is already gone
            pass
    minutes = settings.get(settings.IDLE_LOCK_MINUTES) if minutes is None else minutes
    if minutes <= 0:
        return None
    return IdleLock(app, state, window, minutes * 60_000)
