"""設定 → 職員 (accounts) and 設定 → 操作履歴 (audit log)."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.errors import StaleEditError, ValidationError
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit, staff
from center_app.services.staff import StaffView
from center_app.ui.state import AppState
from center_app.ui.widgets import StaleBar, clear_on_edit, error_label, field_messages, read_only_table, set_error, show_error


class StaffDialog(QDialog):
    """New account (login, name, role, password twice) or edit (name, role, in use)."""

    def __init__(self, state: AppState, user: StaffView | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.user = state, user
        self.setWindowTitle(_("Staff account"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.login_name = QLineEdit(user.login_name if user else "")
        self.login_name.setObjectName("login_name")
        self.login_name.setReadOnly(user is not None)
        self.display_name = QLineEdit(user.display_name if user else "")
        self.display_name.setObjectName("display_name")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setCurrentIndex(self.role.findData((user.role if user else Role.COUNTER).value))
        self.active = QCheckBox(_("Account in use"))
        self.active.setChecked(user.active if user else True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("password_again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors = {k: error_label() for k in ("login_name", "display_name", "password", "password_again")}
        for key, label in self.errors.items():
            clear_on_edit(label, getattr(self, key))
        form.addRow(_("Login name"), self.login_name)
        form.addRow("", self.errors["login_name"])
        form.addRow(_("Full name"), self.display_name)
        form.addRow("", self.errors["display_name"])
        form.addRow(_("Role"), self.role)
        if user:
            form.addRow("", self.active)
        else:
            form.addRow(_("Password"), self.password)
            form.addRow("", self.errors["password"])
            form.addRow(_("Password (again)"), self.password_again)
            form.addRow("", self.errors["password_again"])
        self.message = error_label()
        layout.addWidget(self.message)
        self.stale = StaleBar(self.reopen)
        layout.addWidget(self.stale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def reopen(self) -> None:
        """Load the account as it is stored now (after a save refused as changed elsewhere)."""
        if self.user is not None:
            self.state.runner.submit(staff.find_staff, self.state.ctx, self.user.login_name, on_done=self._reopened, on_error=self._failed)

    def _reopened(self, user: StaffView) -> None:
        self.user = user
        self.stale.setVisible(False)
        set_error(self.message, "")
        self.display_name.setText(user.display_name)
        self.role.setCurrentIndex(self.role.findData(user.role.value))
        self.active.setChecked(user.active)

    def submit(self) -> None:
        """Save in the background; problems are shown beside the fields, the input is kept."""
        for label in list(self.errors.values()) + [self.message]:
            set_error(label, "")
        role = Role(self.role.currentData())
        if self.user:
            self.state.runner.submit(
                staff.update_staff, self.state.ctx, self.user.id, display_name=self.display_name.text(), role=role,
                active=self.active.isChecked(), expected_version=self.user.version, on_done=lambda _v: self.accept(), on_error=self._failed,
            )
        else:
            self.state.runner.submit(
                staff.create_staff, self.state.ctx, self.login_name.text(), self.display_name.text(), role,
                self.password.text(), self.password_again.text(), on_done=lambda _v: self.accept(), on_error=self._failed,
            )

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, StaleEditError):
            self.stale.show_error(error)
        elif isinstance(error, ValidationError):
            per_field, rest = field_messages(error, list(self.errors))
            for key, text in per_field.items():
                set_error(self.errors[key], text)
            set_error(self.message, rest)
        else:
            set_error(self.message, str(error))


class PasswordDialog(QDialog):
    """Set a new password for an account (and lift a lock)."""

    def __init__(self, state: AppState, user: StaffView, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.user = state, user
        self.setWindowTitle(_("New password for {name}").format(name=user.display_name))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = error_label()
        form.addRow(_("Password"), self.password)
        form.addRow(_("Password (again)"), self.password_again)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def submit(self) -> None:
        """Save in the background."""
        self.state.runner.submit(
            staff.reset_password, self.state.ctx, self.user.id, self.password.text(), self.password_again.text(),
            on_done=lambda _v: self.accept(), on_error=lambda e: set_error(self.message, str(e)),
        )


class StaffTab(QWidget):
    """List of staff accounts with 追加, 編集, パスワード再設定."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.users: list[StaffView] = []
        layout = QVBoxLayout(self)
        self.table = read_only_table([_("Login name"), _("Full name"), _("Role"), _("In use"), _("Locked until"), _("Last sign-in")], "staff_table")
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        layout.addWidget(self.table)
        row = QHBoxLayout()
        for text, slot in ((_("Add…"), self.add), (_("Edit…"), self.edit_selected), (_("Reset password…"), self.reset_password)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    def reload(self) -> None:
        """Load the accounts in the background."""
        self.state.runner.submit(staff.list_staff, self.state.ctx, on_done=self._loaded, on_error=lambda e: show_error(self, e))

    def _loaded(self, users: list[StaffView]) -> None:
        self.users = users
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            cells = [u.login_name, u.display_name, u.role.label, _("Yes") if u.active else _("No"),
                     f"{u.locked_until:%Y-%m-%d %H:%M}" if u.locked_until else "", f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else ""]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _selected(self) -> StaffView | None:
        row = self.table.currentRow()
        return self.users[row] if 0 <= row < len(self.users) else None

    def add(self) -> None:
        """New account."""
        if StaffDialog(self.state, None, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def edit_selected(self) -> None:
        """Edit the selected account."""
        user = self._selected()
        if user and StaffDialog(self.state, user, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def reset_password(self) -> None:
        """New password for the selected account."""
        user = self._selected()
        if user and PasswordDialog(self.state, user, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()


class AuditTab(QWidget):
    """操作履歴: the audit log, newest first, filtered by user, entity, action and period."""

    LIMIT = 500

    def __init__(self, state: AppState, parent: QWidget | None = None):
        from PySide6.QtWidgets import QLabel

        from center_app.ui.widgets import error_label

        super().__init__(parent)
        self.state = state
        self._choices_loaded = False
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.user_filter, self.entity_filter, self.action_filter = QComboBox(), QComboBox(), QComboBox()
        self.date_from, self.date_to = QLineEdit(), QLineEdit()
        for name, widget in (("audit_user", self.user_filter), ("audit_entity", self.entity_filter), ("audit_action", self.action_filter)):
            widget.setObjectName(name)
            widget.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name, edit in (("audit_from", self.date_from), ("audit_to", self.date_to)):
            edit.setObjectName(name)
            edit.setPlaceholderText("2026/4/1")
            edit.setMaximumWidth(110)
            edit.returnPressed.connect(self.reload)
        for label, widget in ((_("Who"), self.user_filter), (_("What"), self.entity_filter), (_("Action"), self.action_filter),
                              (_("From"), self.date_from), (_("To"), self.date_to)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        self.search_button = QPushButton(_("Show"))
        self.search_button.clicked.connect(self.reload)
        filters.addWidget(self.search_button)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.message = error_label()
        layout.addWidget(self.message)
        self.table = read_only_table([_("When"), _("Who"), _("What"), _("ID"), _("Action"), _("Note"), _("Before"), _("After")], "audit_table")
        layout.addWidget(self.table)
        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        layout.addWidget(self.count_label)

    def reload(self) -> None:
        """Load the filter choices once, then the entries matching the filters, in the background."""
        from center_app.domain.errors import ValidationError
        from center_app.domain.normalize import parse_date
        from center_app.ui.widgets import set_error

        if not self._choices_loaded:
            self._choices_loaded = True
            self.state.runner.submit(audit.audit_filter_choices, self.state.ctx, on_done=self._choices, on_error=lambda e: show_error(self, e))
        set_error(self.message, "")
        try:
            start, end = parse_date(self.date_from.text(), field="from"), parse_date(self.date_to.text(), field="to")
        except ValidationError as exc:
            set_error(self.message, str(exc))
            return
        self.state.runner.submit(
            audit.recent_entries, self.state.ctx, entity=self.entity_filter.currentData(), staff_user_id=self.user_filter.currentData(),
            action=self.action_filter.currentData(), start=start, end=end, limit=self.LIMIT,
            on_done=self._loaded, on_error=lambda e: show_error(self, e),
        )

    def _choices(self, choices: audit.AuditChoices) -> None:
        fills = (
            (self.user_filter, [(i, name) for i, name in choices.staff] + [(audit.NO_USER, _("(no signed-in user)"))]),
            (self.entity_filter, [(e, audit.entity_label(e)) for e in choices.entities]),
            (self.action_filter, [(a, audit.action_label(a)) for a in choices.actions]),
        )
        for combo, items in fills:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("All"), None)
            for value, label in items:
                combo.addItem(label, value)
            combo.blockSignals(False)
            combo.currentIndexChanged.connect(lambda _i: self.reload())

    def _loaded(self, entries: list[audit.AuditView]) -> None:
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            cells = [f"{e.at:%Y-%m-%d %H:%M:%S}", e.staff_name, audit.entity_label(e.entity), e.entity_id,
                     audit.action_label(e.action), e.note,
                     json.dumps(e.before, ensure_ascii=False) if e.before else "", json.dumps(e.after, ensure_ascii=False) if e.after else ""]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.count_label.setText(
            _("The newest {limit} entries are shown; narrow the filters to see older ones.").format(limit=self.LIMIT)
            if len(entries) >= self.LIMIT else _("{count} entries").format(count=len(entries))
        )
