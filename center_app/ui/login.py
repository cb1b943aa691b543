"""Sign-in dialog, and on an empty database the creation of the first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from center_app.db.database import Database
from center_app.domain.errors import CenterError, ValidationError
from center_app.i18n import _
from center_app.services import auth
from center_app.services.context import CurrentUser
from center_app.ui.runner import Runner
from center_app.ui.widgets import error_label, field_messages, set_error


class LoginDialog(QDialog):
    """Asks for login name and password; ``first_run`` asks for a new administrator instead.

    After ``exec()`` returns Accepted, :attr:`user` is the signed-in :class:`CurrentUser`.
    ``notice`` says why sign-in is asked again (the session was ended by an administrator).
    """

    def __init__(self, db: Database, runner: Runner, *, first_run: bool, parent: QWidget | None = None, login_name: str = "",
                 notice: str = ""):
        super().__init__(parent)
        self.db, self.runner, self.first_run = db, runner, first_run
        self.user: CurrentUser | None = None
        self.setWindowTitle(_("Center Desk — create the administrator") if first_run else _("Center Desk — sign in"))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _("This database has no staff account yet. Create the administrator account first.")
            if first_run
            else _("Sign in with your staff account.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.notice = QLabel(notice)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4cc; color: #5c4400; padding: 4px;")
        self.notice.setVisible(bool(notice))
        layout.addWidget(self.notice)
        form = QFormLayout()
        layout.addLayout(form)
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
        rows = [("login_name", _("Login name"), self.login_name)]
        if first_run:
            rows.append(("display_name", _("Full name"), self.display_name))
        rows.append(("password", _("Password"), self.password))
        if first_run:
            rows.append(("password_again", _("Password (again)"), self.password_again))
        for key, label, widget in rows:
            form.addRow(label, widget)
            form.addRow("", self.errors[key])
        self.message = error_label()
        self.message.setObjectName("message")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("Create and sign in") if first_run else _("Sign in"))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if login_name else self.login_name).setFocus()

    def submit(self) -> None:
        """Check the input in the background; accept on success, show the problem otherwise."""
        for label in self.errors.values():
            set_error(label, "")
        set_error(self.message, "")
        self.ok_button.setEnabled(False)
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
