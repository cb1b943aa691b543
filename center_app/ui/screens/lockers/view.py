"""ロッカー・レターケース screen: every unit of the toolbar's facility for a term with its group, fee,
receipt, key and mail waiting; actions on the selected unit (割り当て, 使用料の収納, 鍵の貸出・返却,
郵便物の受付), the mail waiting with its hand-over, and the yearly 公募 (申込, 抽選 with a seed).
Each action is a small form that keeps what was typed when the service refuses it, with the
Japanese reason beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from center_app.domain.errors import ValidationError
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import groups, lockers
from center_app.services.lockers import KINDS, MailView, UnitView
from center_app.ui.state import AppState
from center_app.ui.widgets import clear_on_edit, error_label, read_only_table, set_error, show_refusal


class FormDialog(QDialog):
    """A small form: ``fields`` (key, label, widget); OK calls ``submit(values)`` on the runner and
    closes on success, or shows the refusal and keeps what was typed."""

    def __init__(self, state: AppState, title: str, fields: list[tuple[str, str, QWidget]], submit: Callable[[dict[str, Any]], Any],
                 done: Callable[[Any], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self._submit, self._done = state, submit, done
        self.setWindowTitle(title)
        self.widgets = {key: widget for key, _label, widget in fields}
        form = QFormLayout(self)
        for key, label, widget in fields:
            widget.setObjectName(f"form_{key}")
            form.addRow(label, widget)
        self.error = error_label()
        self.error.setObjectName("form_error")
        form.addRow(self.error)
        clear_on_edit(self.error, *self.widgets.values())  # the refusal goes once the clerk changes what was refused
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setMinimumWidth(420)

    def values(self) -> dict[str, Any]:
        """What is typed: text, the chosen item's data, or a number."""
        result: dict[str, Any] = {}
        for key, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                result[key] = widget.text()
            elif isinstance(widget, QComboBox):
                result[key] = widget.currentData()
            elif isinstance(widget, QSpinBox):
                result[key] = widget.value()
        return result

    def confirm(self) -> None:
        """Submit in the background; the dialog waits."""
        self.buttons.setEnabled(False)
        self.state.runner.submit(self._submit, self.values(), on_done=self._finished, on_error=self._refused)

    def _finished(self, result: Any) -> None:
        self._done(result)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_refusal(self, self.error, error)


def _kind_box() -> QComboBox:
    box = QComboBox()
    for code in KINDS:
        box.addItem(lockers.kind_label(code), code)
    return box


class LockersScreen(QWidget):
    """Units of the toolbar's facility in a term; the mail waiting below."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.units: list[UnitView] = []
        self.mail: list[MailView] = []
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Term starting in")))
        self.term = QSpinBox()
        self.term.setObjectName("locker_term")
        self.term.setRange(2000, 2200)
        self.term.setValue(2000)
        self.term.valueChanged.connect(lambda _v: self.reload())
        bar.addWidget(self.term)
        self.summary = QLabel()
        self.summary.setObjectName("locker_summary")
        bar.addWidget(self.summary, 1)
        self.apply_button = QPushButton(_("Application…"))
        self.apply_button.setObjectName("locker_apply")
        self.apply_button.clicked.connect(self.open_application)
        self.draw_button = QPushButton(_("Draw…"))
        self.draw_button.setObjectName("locker_draw")
        self.draw_button.clicked.connect(self.open_draw)
        bar.addWidget(self.apply_button)
        bar.addWidget(self.draw_button)
        layout.addLayout(bar)
        self.table = read_only_table([_("Number"), _("Kind"), _("Size"), _("Monthly fee"), _("Registration no."), _("Group"), _("Fee of the term"),
                                      _("Receipt"), _("Key"), _("Mail")], "locker_table")
        self.table.itemSelectionChanged.connect(self._selection)
        layout.addWidget(self.table, 3)
        actions = QHBoxLayout()
        self.allocate_button = QPushButton(_("Allocate…"))
        self.pay_button = QPushButton(_("Record the fee"))
        self.key_out_button = QPushButton(_("Issue the key…"))
        self.key_back_button = QPushButton(_("Key returned…"))
        self.mail_button = QPushButton(_("Mail received…"))
        for name, button, handler in (("locker_allocate", self.allocate_button, self.open_allocate), ("locker_pay", self.pay_button, self.pay),
                                      ("locker_key_out", self.key_out_button, lambda: self.open_key("issue")),
                                      ("locker_key_back", self.key_back_button, lambda: self.open_key("return")),
                                      ("locker_mail", self.mail_button, self.open_mail)):
            button.setObjectName(name)
            button.clicked.connect(handler)
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.message = error_label()
        self.message.setObjectName("locker_message")
        layout.addWidget(self.message)
        heading = QLabel(_("Mail waiting to be handed over"))
        heading.setStyleSheet("font-weight: bold; margin-top: 8px;")
        layout.addWidget(heading)
        self.mail_table = read_only_table([_("No."), _("Number"), _("Group"), _("Received on"), _("Sender")], "locker_mail_table")
        layout.addWidget(self.mail_table, 1)
        self.hand_button = QPushButton(_("Hand over…"))
        self.hand_button.setObjectName("locker_hand_over")
        self.hand_button.clicked.connect(self.open_hand_over)
        layout.addWidget(self.hand_button)
        self._selection()
        state.facility_changed.connect(self._state_changed)

    def _state_changed(self, *_args) -> None:
        self.reload()

    def activate(self) -> None:
        """Shown: the term of today first, then the units."""
        if self.term.value() == 2000:
            self.state.runner.submit(lockers.current_term, self.state.ctx, on_done=self.term.setValue)
        else:
            self.reload()

    def reload(self) -> None:
        """Load the units of the term and the mail waiting."""
        if self.term.value() == 2000:
            return
        self.state.runner.submit(self._load, self.state.ctx, self.state.facility_id, self.term.value(), on_done=self._loaded,
                                 on_error=lambda e: set_error(self.message, str(e)))

    @staticmethod
    def _load(ctx, facility_id, term):
        return lockers.list_units(ctx, facility_id, term), lockers.mail_waiting(ctx, facility_id)

    def _loaded(self, loaded) -> None:
        self.units, self.mail = loaded
        selected = self.selected()
        self.table.setRowCount(len(self.units))
        for row, u in enumerate(self.units):
            cells = [u.code, u.kind_label, u.size, f"{u.monthly_fee_yen:,}", u.registration_no, u.group_name,
                     f"{u.fee_yen:,}" if u.allocation_id else "", u.receipt_no or (_("Unpaid") if u.allocation_id and u.fee_yen else ""),
                     u.key_label if u.allocation_id else "", str(u.mail_waiting) if u.mail_waiting else ""]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if selected is not None and u.id == selected.id:
                self.table.selectRow(row)
        taken = sum(1 for u in self.units if u.allocation_id)
        self.summary.setText(_("{taken} of {total} allocated").format(taken=taken, total=len(self.units)))
        self.mail_table.setRowCount(len(self.mail))
        for row, m in enumerate(self.mail):
            for column, text in enumerate([str(m.id), m.unit_code, m.group_name, format_day(m.received_on, weekday=False), m.sender]):
                self.mail_table.setItem(row, column, QTableWidgetItem(text))
        self._selection()

    def selected(self) -> UnitView | None:
        """The unit of the selected row."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.units):
            return None
        return self.units[rows[0].row()]

    def _selection(self) -> None:
        unit = self.selected()
        self.allocate_button.setEnabled(unit is not None and unit.allocation_id is None)
        for button in (self.pay_button, self.key_out_button, self.key_back_button, self.mail_button):
            button.setEnabled(unit is not None and unit.allocation_id is not None)
        self.hand_button.setEnabled(bool(self.mail))

    def _done(self, result: Any) -> None:
        if isinstance(result, str):
            set_error(self.message, "")
            self.summary.setText(result)
        self.reload()

    def open_allocate(self) -> QDialog:
        """割り当て: the group's registration number."""
        unit = self.selected()
        number = QLineEdit()
        ctx, term = self.state.ctx, self.term.value()

        def submit(values):
            group = groups.find_group_by_number(ctx, values["group"])
            if group is None:
                raise ValidationError(_("No group has the registration number {number}.").format(number=values["group"].strip()), field_name="group")
            return lockers.allocate_unit(ctx, unit.id, group.id, term, expected_version=unit.version)

        return self._dialog(_("Allocate {unit}").format(unit=unit.code), [("group", _("Registration no."), number)], submit)

    def pay(self) -> None:
        """使用料の収納 (cash) of the selected unit's term."""
        unit = self.selected()
        self.state.runner.submit(lockers.pay_allocation, self.state.ctx, unit.allocation_id, "cash",
                                 on_done=lambda receipt: self._done(_("Receipt {number} for {unit}.").format(number=receipt, unit=unit.code)),
                                 on_error=lambda e: set_error(self.message, str(e)))

    def open_key(self, action: str) -> QDialog:
        """鍵の貸出 / 返却: the person."""
        unit = self.selected()
        title = _("Issue the key of {unit}") if action == "issue" else _("Key of {unit} returned")
        ctx = self.state.ctx
        return self._dialog(title.format(unit=unit.code), [("person", _("Person"), QLineEdit())],
                            lambda values: lockers.record_key(ctx, unit.allocation_id, action, values["person"]))

    def open_mail(self) -> QDialog:
        """郵便物の受付: the sender."""
        unit = self.selected()
        ctx = self.state.ctx
        return self._dialog(_("Mail received for {unit}").format(unit=unit.code), [("sender", _("Sender"), QLineEdit()), ("note", _("Note"), QLineEdit())],
                            lambda values: lockers.receive_mail(ctx, unit.allocation_id, values["sender"], values["note"]))

    def open_hand_over(self) -> QDialog:
        """郵便物の引渡し: the mail (selected row or the first) and the person."""
        rows = self.mail_table.selectionModel().selectedRows()
        mail = self.mail[rows[0].row()] if rows else self.mail[0]
        ctx = self.state.ctx
        return self._dialog(_("Hand over mail {id} ({unit})").format(id=mail.id, unit=mail.unit_code), [("person", _("Person"), QLineEdit())],
                            lambda values: lockers.hand_over_mail(ctx, mail.id, values["person"]))

    def open_application(self) -> QDialog:
        """公募の申込: registration number and kind, for the term shown."""
        ctx, term, facility = self.state.ctx, self.term.value(), self.state.facility_id

        def submit(values):
            group = groups.find_group_by_number(ctx, values["group"])
            if group is None:
                raise ValidationError(_("No group has the registration number {number}.").format(number=values["group"].strip()), field_name="group")
            number = lockers.apply_for_unit(ctx, group.id, values["kind"], term, facility)
            return _("Application {id}: {kind}, term {term}.").format(id=number, kind=lockers.kind_label(values["kind"]), term=term)

        return self._dialog(_("Application for the term {term}").format(term=term), [("group", _("Registration no."), QLineEdit()),
                                                                                       ("kind", _("Kind"), _kind_box())], submit)

    def open_draw(self) -> QDialog:
        """抽選: kind and seed, for the term shown."""
        ctx, term, facility = self.state.ctx, self.term.value(), self.state.facility_id
        seed = QLineEdit()

        def submit(values):
            try:
                number = int(values["seed"].strip())
            except ValueError:
                raise ValidationError(_("The seed is a whole number from 0 to 9223372036854775807."), field_name="seed") from None
            lines = lockers.draw_units(ctx, values["kind"], term, number, facility)
            return _("Lottery {kind}, term {term}, seed {seed}: {count} applications, {won} allocated.").format(
                kind=lockers.kind_label(values["kind"]), term=term, seed=number, count=len(lines), won=sum(line.won for line in lines))

        return self._dialog(_("Draw the applications of the term {term}").format(term=term), [("kind", _("Kind"), _kind_box()),
                                                                                              ("seed", _("Seed"), seed)], submit)

    def _dialog(self, title: str, fields, submit) -> QDialog:
        dialog = FormDialog(self.state, title, fields, submit, self._done, self)
        dialog.open()
        return dialog
