"""Sign-in dialog, and on an empty database the creation of the first administrator.

At start-up the dialog is the first window, shown before the database is open: the app opens it
in the background meanwhile (:mod:`center_app.ui.application`) and hands it over with
:meth:`LoginDialog.set_database`. The clerk can type at once; a sign-in asked for earlier waits
for the database, and an empty database turns the dialog into the first administrator's form.
This module imports only Qt and our small modules (the services are imported when used), so the
dialog appears before the storage layer is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from center_app.domain.errors import CenterError, ValidationError
from center_app.i18n import _
from center_app.ui.runner import Runner
from center_app.ui.field_errors import clear_on_edit, error_label, field_messages, grow_to_fit, set_error

if TYPE_CHECKING:
    from center_app.db.database import Database
    from center_app.services.context import CurrentUser


def first_empty(login_name: QLineEdit, password: QLineEdit) -> tuple[QLineEdit, str] | None:
    """The first of the sign-in's two boxes left empty (a login name of spaces is empty, a
    password is exactly what was typed), with the line that asks for it; None when both are
    filled. Nothing is tried for an empty box, so it never counts towards the lock-out."""
    if not login_name.text().strip():
        return login_name, _("Enter your login name.")
    if not password.text():
        return password, _("Enter your password.")
    return None


class LoginDialog(QDialog):
    """Asks for login name and password; ``first_run`` asks for a new administrator instead.

    ``db`` None: the database is still being opened; the clerk may type, and a sign-in waits
    until :meth:`set_database` gives the database (and says whether it needs its first
    administrator). After ``exec()`` returns Accepted, :attr:`user` is the signed-in
    :class:`CurrentUser`. ``notice`` says why sign-in is asked again (the session was ended by an
    administrator).
    """

    #: Emitted once, after the dialog's first paint (the app starts opening the database then).
    first_painted = Signal()

    def __init__(self, db: Database | None, runner: Runner, *, first_run: bool, parent: QWidget | None = None, login_name: str = "",
                 notice: str = ""):
        super().__init__(parent)
        self.db, self.runner, self.first_run = db, runner, first_run
        self.user: CurrentUser | None = None
        self._painted = False
        self._waiting = False  # the clerk asked to sign in before the database was open
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.notice = QLabel(notice)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4cc; color: #5c4400; padding: 4px;")
        self.notice.setVisible(bool(notice))
        layout.addWidget(self.notice)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.login_name = QLineEdit(login_name)
        self.login_name.setObjectName("login_name")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("display_name")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("password_again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {name: error_label() for name in ("login_name", "display_name", "password", "password_again")}
        for name, label in self.errors.items():
            clear_on_edit(label, getattr(self, name))
        self.message = error_label()
        self.message.setObjectName("message")
        self.status = QLabel()
        self.status.setObjectName("opening_status")
        self.status.setStyleSheet("color: #555555;")
        buttons = QDialogButtonBox()  # the buttons set apart: the constructor that takes them builds all of Qt's enums first (13 ms)
        buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self._build_form()
        layout.addWidget(self.message)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        if db is None:
            self.status.setText(_("Opening the database…"))
        else:
            self.status.setVisible(False)
        (self.password if login_name else self.login_name).setFocus()

    def _build_form(self) -> None:
        for key, label in (("login_name", _("Login name")), ("display_name", _("Full name")), ("password", _("Password")),
                           ("password_again", _("Password (again)"))):
            self.form.addRow(label, getattr(self, key))
            self.form.addRow("", self.errors[key])
        self._show_form()

    def _show_form(self) -> None:
        """Title, text, rows and button of the sign-in or of the first administrator's form."""
        first_run = self.first_run
        self.setWindowTitle(_("Center Desk — create the administrator") if first_run else _("Center Desk — sign in"))
        self.intro.setText(
            _("This database has no staff account yet. Create the administrator account first.")
            if first_run
            else _("Sign in with your staff account.")
        )
        for extra in (self.display_name, self.password_again):
            self.form.setRowVisible(extra, first_run)
        self.ok_button.setText(_("Create and sign in") if first_run else _("Sign in"))

    def ready(self) -> bool:
        """True once the dialog has its database."""
        return self.db is not None

    def set_database(self, db: Database, first_run: bool) -> None:
        """The database is open: a sign-in asked for meanwhile goes ahead; an empty database
        (``first_run``) turns the dialog into the first administrator's form, keeping what was typed."""
        self.db = db
        self.status.setVisible(False)
        if first_run != self.first_run:
            self.first_run = first_run
            self._show_form()
            self.adjustSize()
            (self.display_name if self.login_name.text() else self.login_name).setFocus()
        waiting, self._waiting = self._waiting, False
        if waiting and not first_run:
            self.submit()
        else:
            self.ok_button.setEnabled(True)

    def paintEvent(self, event) -> None:  # noqa: N802, D102 - Qt override: tells when the dialog is on the screen
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)

    def submit(self) -> None:
        """Check the input in the background; accept on success, show the problem otherwise.
        Before the database is open, the sign-in waits for it."""
        for label in self.errors.values():
            set_error(label, "")
        set_error(self.message, "")
        self.ok_button.setEnabled(False)
        if self.db is None:
            self._waiting = True
            self.status.setText(_("Opening the database… You are signed in as soon as it is open."))
            return
        from center_app.services import auth

        empty = None if self.first_run else first_empty(self.login_name, self.password)
        if empty is not None:  # said beside the field, before any sign-in is tried
            field, message = empty
            set_error(self.errors[field.objectName()], message)
            self.ok_button.setEnabled(True)
            field.setFocus()
            grow_to_fit(self)
            return
        if self.first_run:
            self.runner.submit(
                auth.create_first_admin, self.db, self.login_name.text(), self.display_name.text(),
                self.password.text(), self.password_again.text(), on_done=self._done, on_error=self._failed,
            )
        else:
            self.runner.submit(auth.sign_in, self.db, self.login_name.text(), self.password.text(), on_done=self._done, on_error=self._failed)

    def _done(self, user: CurrentUser) -> None:
        self.user = user
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, ValidationError):
            per_field, rest = field_messages(error, list(self.errors))
            for key, text in per_field.items():
                set_error(self.errors[key], text)
            set_error(self.message, rest)
        elif isinstance(error, CenterError):
            set_error(self.message, str(error))
            self.password.clear()
            self.password.setFocus()
        else:
            set_error(self.message, _("Sign-in failed: {detail}").format(detail=error))
        grow_to_fit(self)
