"""備品・印刷室: three tabs for the counter.

- 貸出・返却: lend an item (the group by its 登録番号 — typed or scanned from its certificate —
  or a borrower's name), the period and the quantity; the loans out of the facility, with
  「返却」, 「破損・紛失…」 and 「許可書…」 (the 備品貸出許可書 PDF);
- 印刷室: log a job of a group (machine, masters, sheets, colour, paper), with the fee and any
  quota warning; the job log; 「請求」 charges the finished billing periods (設定 → 印刷室);
- 未納・収納: the charges with money due; 「収納（現金）」 records a cash payment of the selected
  charges of one payer and names the receipt number.

Every call goes through the background runner; a refusal is shown under the form, which keeps
what was typed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from center_app.domain import clock
from center_app.domain.equipment import ChargeView, EquipmentItemView, LoanView, PrintJobView, charge_kind_label
from center_app.domain.wareki import format_day, format_moment
from center_app.i18n import _
from center_app.services import certificates, counter_charges, documents, equipment, equipment_queries, printing_room
from center_app.services.context import ServiceContext
from center_app.ui.date_entry import DateEdit, TimeEdit
from center_app.ui.pdf_output import save_pdf
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, NumberSpinBox, clear_on_edit, read_only_table


def _py_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _at(day: DateEdit, hour: TimeEdit) -> dt.datetime:
    value = hour.time()
    return dt.datetime.combine(_py_date(day.date()), dt.time(value.hour(), value.minute()))


def _message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def lend_from_form(ctx: ServiceContext, item_id: int, registration_no: str, borrower: str, **values) -> LoanView:
    """Lend as the form says: the group of ``registration_no`` when given, else ``borrower``."""
    group_id = certificates.group_id_for_number(ctx, registration_no) if registration_no.strip() else None
    return equipment.lend(ctx, item_id, group_id=group_id, borrower_name=borrower, **values)


def log_from_form(ctx: ServiceContext, registration_no: str, **values) -> PrintJobView:
    """Log a printing job for the group of ``registration_no``."""
    return printing_room.log_job(ctx, group_id=certificates.group_id_for_number(ctx, registration_no), **values)


class LoansTab(QWidget):
    """貸出・返却."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.items: list[EquipmentItemView] = []
        self.loans: list[LoanView] = []
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.item = QComboBox()
        self.item.setObjectName("loan_item")
        form.addRow(_("Item"), self.item)
        self.quantity = NumberSpinBox()
        self.quantity.setObjectName("loan_quantity")
        self.quantity.setRange(1, 999)
        form.addRow(_("Quantity"), self.quantity)
        self.group = QLineEdit()
        self.group.setObjectName("loan_group")
        self.group.setPlaceholderText(_("Registration number (R08-0012), or scan the certificate's QR"))
        form.addRow(_("Group"), self.group)
        self.borrower = QLineEdit()
        self.borrower.setObjectName("loan_borrower")
        self.borrower.setPlaceholderText(_("Name, when the borrower is not a registered group"))
        form.addRow(_("Borrower"), self.borrower)
        now = clock.now()
        hour = min(max(now.hour, 9), 19)  # within opening hours: from this hour, back 3 hours later
        self.start_day, self.start_time = DateEdit(now.date()), TimeEdit()
        self.start_time.setTime(dt.time(hour, 0))
        self.due_day, self.due_time = DateEdit(now.date()), TimeEdit()
        self.due_time.setTime(dt.time(hour + 3, 0))
        for name, day, hour in (("loan_start", self.start_day, self.start_time), ("loan_due", self.due_day, self.due_time)):
            day.setObjectName(f"{name}_day")
            hour.setObjectName(f"{name}_time")
        start_row, due_row = QHBoxLayout(), QHBoxLayout()
        start_row.addWidget(self.start_day)
        start_row.addWidget(self.start_time)
        due_row.addWidget(self.due_day)
        due_row.addWidget(self.due_time)
        form.addRow(_("From"), start_row)
        form.addRow(_("Return by"), due_row)
        self.purpose = QLineEdit()
        self.purpose.setObjectName("loan_purpose")
        form.addRow(_("Purpose"), self.purpose)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.lend_button = QPushButton(_("Lend"))
        self.lend_button.setObjectName("lend")
        self.lend_button.clicked.connect(self.lend)
        buttons.addWidget(self.lend_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.message = _message_label("loan_message")
        layout.addWidget(self.message)
        clear_on_edit(self.message, self.item, self.quantity, self.group, self.borrower, self.start_day, self.start_time, self.due_day,
                      self.due_time, self.purpose)  # a refusal goes once the clerk changes what was refused
        self.done = QLabel()
        self.done.setObjectName("loan_done")
        layout.addWidget(self.done)
        heading = QLabel(_("Equipment on loan or reserved"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        self.table = read_only_table([_("Loan"), _("Item"), _("Quantity"), _("Borrower"), _("From"), _("Due"), _("Fee (yen)")], "loans")
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.return_button = QPushButton(_("Record the return"))
        self.return_button.setObjectName("return_loan")
        self.return_button.clicked.connect(self.record_return)
        self.damage_button = QPushButton(_("Damage or loss…"))
        self.damage_button.setObjectName("damage")
        self.damage_button.clicked.connect(self.record_damage)
        self.permit_button = QPushButton(_("Permit slip…"))
        self.permit_button.setObjectName("loan_permit")
        self.permit_button.clicked.connect(self.save_permit)
        for button in (self.return_button, self.damage_button, self.permit_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def activate(self) -> None:
        """Reload the catalogue and the loans of the toolbar's facility."""
        ctx, facility = self.state.ctx, self.state.facility_id
        self.state.runner.submit(lambda: (equipment_queries.items(ctx, facility), equipment_queries.loans(ctx, facility_id=facility)),
                                 on_done=self._show, on_error=lambda e: self.message.setText(str(e)))

    def _show(self, result: tuple[list[EquipmentItemView], list[LoanView]]) -> None:
        items, self.loans = result
        current = self.item.currentData()
        if [i.id for i in items] != [i.id for i in self.items]:
            self.items = items
            self.item.clear()
            for item in items:
                self.item.addItem(_("{name} ({count} units)").format(name=item.name, count=item.quantity), item.id)
            if current is not None and self.item.findData(current) >= 0:
                self.item.setCurrentIndex(self.item.findData(current))
        self.table.setRowCount(len(self.loans))
        for row, loan in enumerate(self.loans):
            cells = (loan.loan_no, loan.item_name, str(loan.quantity), loan.borrower, format_moment(loan.start_at),
                     format_moment(loan.due_at), f"{loan.fee:,}")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def lend(self) -> None:
        """Lend as the form says; the form keeps its values when refused."""
        self.message.clear()
        self.done.clear()
        if self.item.currentData() is None:
            self.message.setText(_("There is no equipment to lend in this facility (設定 → 備品)."))
            return
        values = dict(start=_at(self.start_day, self.start_time), due=_at(self.due_day, self.due_time), quantity=self.quantity.value(),
                      purpose=self.purpose.text(), facility_id=self.state.facility_id)
        self.state.runner.submit(lend_from_form, self.state.ctx, self.item.currentData(), self.group.text(), self.borrower.text(),
                                 on_done=self._lent, on_error=lambda e: self.message.setText(str(e)), **values)

    def _lent(self, loan: LoanView) -> None:
        self.done.setText(_("Lent: {number}, {item} ×{quantity} to {borrower}; fee {fee} yen (to pay under 未納・収納).").format(
            number=loan.loan_no, item=loan.item_name, quantity=loan.quantity, borrower=loan.borrower, fee=f"{loan.fee:,}"))
        self.group.clear()
        self.borrower.clear()
        self.purpose.clear()
        self.activate()

    def _selected(self) -> LoanView | None:
        row = self.table.currentRow()
        return self.loans[row] if 0 <= row < len(self.loans) else None

    def record_return(self) -> None:
        """Record the return of the selected loan now."""
        loan = self._selected()
        if loan is None:
            return
        self.message.clear()
        self.state.runner.submit(equipment.return_loan, self.state.ctx, loan.loan_no, expected_version=loan.version,
                                 on_done=lambda view: (self.done.setText(_("Returned: {number} ({item}).").format(
                                     number=view.loan_no, item=view.item_name)), self.activate()),
                                 on_error=lambda e: self.message.setText(str(e)))

    def record_damage(self) -> None:
        """Ask damage or loss, the description and the amount, then record it."""
        loan = self._selected()
        if loan is None:
            return
        kinds = [_("Damage"), _("Loss")]
        kind, ok = QInputDialog.getItem(self, _("Damage or loss"), _("What happened to {item}?").format(item=loan.item_name), kinds, 0, False)
        if not ok:
            return
        text, ok = QInputDialog.getText(self, _("Damage or loss"), _("Description"))
        if not ok:
            return
        amount, ok = QInputDialog.getText(self, _("Damage or loss"), _("Amount the borrower pays (yen, 0 for none)"), text="0")
        if not ok:
            return
        code = "damage" if kind == kinds[0] else "loss"
        self.message.clear()
        self.state.runner.submit(equipment.record_damage, self.state.ctx, loan.loan_no, code, text, amount,
                                 on_done=lambda _view: self.activate(), on_error=lambda e: self.message.setText(str(e)))

    def save_permit(self) -> None:
        """Build the permit slip of the selected loan and save it as PDF."""
        loan = self._selected()
        if loan is None:
            return
        self.message.clear()
        self.state.runner.submit(documents.loan_permit_pdf, self.state.ctx, loan.loan_no,
                                 on_done=lambda pdf: save_pdf(self, pdf, f"{loan.loan_no}.pdf"), on_error=lambda e: self.message.setText(str(e)))


class PrintTab(QWidget):
    """印刷室."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.group = QLineEdit()
        self.group.setObjectName("print_group")
        self.group.setPlaceholderText(_("Registration number (R08-0012), or scan the certificate's QR"))
        form.addRow(_("Group"), self.group)
        self.machine = QComboBox()
        self.machine.setObjectName("print_machine")
        form.addRow(_("Machine"), self.machine)
        self.masters = NumberSpinBox()
        self.masters.setObjectName("print_masters")
        self.sheets = NumberSpinBox()
        self.sheets.setObjectName("print_sheets")
        for box in (self.masters, self.sheets):
            box.setRange(0, printing_room.MAX_COUNT)
        form.addRow(_("Masters"), self.masters)
        form.addRow(_("Sheets"), self.sheets)
        self.colour = QCheckBox(_("Colour"))
        self.colour.setObjectName("print_colour")
        form.addRow("", self.colour)
        self.paper = QComboBox()
        self.paper.setObjectName("print_paper")
        self.paper.addItem(_("Brought by the group"), "brought")
        self.paper.addItem(_("The center's paper (sold)"), "sold")
        form.addRow(_("Paper"), self.paper)
        self.day = DateEdit(clock.today())
        self.day.setObjectName("print_day")
        form.addRow(_("Date"), self.day)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.log_button = QPushButton(_("Record the job"))
        self.log_button.setObjectName("log_print")
        self.log_button.clicked.connect(self.log)
        self.bill_button = QPushButton(_("Bill the finished periods"))
        self.bill_button.setObjectName("bill_print")
        self.bill_button.clicked.connect(self.bill)
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        buttons.addWidget(self.bill_button)
        layout.addLayout(buttons)
        self.message = _message_label("print_message")
        layout.addWidget(self.message)
        clear_on_edit(self.message, self.group, self.machine, self.masters, self.sheets, self.colour, self.paper, self.day)
        self.done = QLabel()
        self.done.setObjectName("print_done")
        self.done.setWordWrap(True)
        layout.addWidget(self.done)
        heading = QLabel(_("Job log"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        self.table = read_only_table([_("Date"), _("Group"), _("Machine"), _("Colour"), _("Masters"), _("Sheets"), _("Paper"), _("Fee (yen)"),
                                      _("Billed")], "print_jobs")
        layout.addWidget(self.table, 1)

    def activate(self) -> None:
        """Reload the machines and the job log of the toolbar's facility."""
        ctx, facility = self.state.ctx, self.state.facility_id
        self.state.runner.submit(lambda: (printing_room.machines(ctx), printing_room.jobs(ctx, facility_id=facility, limit=200)),
                                 on_done=self._show, on_error=lambda e: self.message.setText(str(e)))

    def _show(self, result: tuple[list[str], list[PrintJobView]]) -> None:
        machines, jobs = result
        if [self.machine.itemText(i) for i in range(self.machine.count())] != machines:
            current = self.machine.currentText()
            self.machine.clear()
            self.machine.addItems(machines)
            if current in machines:
                self.machine.setCurrentText(current)
        self.table.setRowCount(len(jobs))
        for row, job in enumerate(jobs):
            cells = (format_day(job.used_on, weekday=False), job.group_name, job.machine, _("Colour") if job.colour else "", str(job.masters), str(job.sheets),
                     _("Sold") if job.paper == "sold" else _("Brought"), f"{job.fee:,}", _("Yes") if job.billed else "")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def log(self) -> None:
        """Record the job as the form says; the form keeps its values when refused."""
        self.message.clear()
        self.done.clear()
        values = dict(facility_id=self.state.facility_id, machine=self.machine.currentText(), masters=self.masters.value(),
                      sheets=self.sheets.value(), colour=self.colour.isChecked(), paper=self.paper.currentData(), used_on=_py_date(self.day.date()))
        self.state.runner.submit(log_from_form, self.state.ctx, self.group.text(), on_done=self._logged,
                                 on_error=lambda e: self.message.setText(str(e)), **values)

    def _logged(self, job: PrintJobView) -> None:
        text = _("Recorded: {group}, {masters} masters, {sheets} sheets; fee {fee} yen.").format(
            group=job.group_name, masters=job.masters, sheets=job.sheets, fee=f"{job.fee:,}")
        self.done.setText("\n".join([text, *job.warnings]))
        self.done.setStyleSheet("color: #8a5300;" if job.warnings else "")
        self.masters.setValue(0)
        self.sheets.setValue(0)
        self.activate()

    def bill(self) -> None:
        """Charge the unbilled jobs of the finished billing periods."""
        self.message.clear()
        self.state.runner.submit(printing_room.bill_period, self.state.ctx, self.state.facility_id,
                                 on_done=lambda ids: (self.done.setText(_("{count} printing charges made.").format(count=len(ids))), self.activate()),
                                 on_error=lambda e: self.message.setText(str(e)))


class ChargesTab(QWidget):
    """未納・収納."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.charges: list[ChargeView] = []
        layout = QVBoxLayout(self)
        self.table = read_only_table([_("No."), _("Date"), _("Payer"), _("Kind"), _("Description"), _("Due (yen)")], "charges")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.pay_button = QPushButton(_("Receive in cash"))
        self.pay_button.setObjectName("pay_charges")
        self.pay_button.clicked.connect(self.pay)
        row.addWidget(self.pay_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = _message_label("charges_message")
        layout.addWidget(self.message)
        self.done = QLabel()
        self.done.setObjectName("charges_done")
        layout.addWidget(self.done)

    def activate(self) -> None:
        """Reload the charges with money due of the toolbar's facility."""
        self.state.runner.submit(counter_charges.charges, self.state.ctx, facility_id=self.state.facility_id, on_done=self._show,
                                 on_error=lambda e: self.message.setText(str(e)))

    def _show(self, charges: list[ChargeView]) -> None:
        self.charges = charges
        self.table.setRowCount(len(charges))
        for row, charge in enumerate(charges):
            cells = (str(charge.id), format_day(charge.charged_on, weekday=False), charge.payer_name, charge_kind_label(charge.kind), charge.description,
                     f"{charge.outstanding:,}")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def pay(self) -> None:
        """Record a cash payment of the selected charges (one payer)."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        ids = [self.charges[r].id for r in rows if r < len(self.charges)]
        self.message.clear()
        self.done.clear()
        self.state.runner.submit(counter_charges.pay_charges, self.state.ctx, ids, "cash",
                                 on_done=lambda paid: (self.done.setText(_("Receipt {number}: {amount} yen ({method}).").format(
                                     number=paid.receipt_no, amount=f"{paid.amount:,}", method=paid.method_label)), self.activate()),
                                 on_error=lambda e: self.message.setText(str(e)))


class EquipmentScreen(QWidget):
    """備品・印刷室: loans, the printing room, charges."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("equipment_tabs")
        self.loans, self.printing, self.charges = LoansTab(state), PrintTab(state), ChargesTab(state)
        self.tabs.addTab(self.loans, _("Loans and returns"))
        self.tabs.addTab(self.printing, _("Printing room"))
        self.tabs.addTab(self.charges, _("Unpaid and payment"))
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(lambda _index: self.activate())
        state.facility_changed.connect(self._facility_changed)

    def _facility_changed(self, *_args) -> None:
        self.activate()

    def activate(self) -> None:
        """Reload the tab shown."""
        widget = self.tabs.currentWidget()
        if widget is not None:
            widget.activate()
