"""備品 with a room booking: a small dialog, opened from the booking dialog, that lends an item of
the booking's facility for the booking's time to its applicant (``equipment.lend`` with the
booking), and lists what is lent with it already. A refusal (all out, a class that may not
borrow, …) is shown in the dialog, which keeps the choice."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from center_app.domain.booking_values import BookingView
from center_app.domain.equipment import EquipmentItemView, LoanView
from center_app.domain.wareki import format_moment
from center_app.i18n import _
from center_app.services import equipment, equipment_queries
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, NumberSpinBox


class LoanDialog(QDialog):
    """Lend equipment with ``booking``."""

    def __init__(self, state: AppState, booking: BookingView, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.booking = state, booking
        self.setWindowTitle(_("Equipment with booking {slip}").format(slip=booking.slip_no))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("{room}, {start} – {end}, {applicant}").format(
            room=booking.room_name, start=format_moment(booking.start), end=f"{booking.end:%H:%M}", applicant=booking.applicant_name)))
        self.lent = QListWidget()
        self.lent.setObjectName("booking_loans")
        layout.addWidget(self.lent)
        form = QFormLayout()
        self.item = QComboBox()
        self.item.setObjectName("booking_loan_item")
        form.addRow(_("Item"), self.item)
        self.quantity = NumberSpinBox()
        self.quantity.setObjectName("booking_loan_quantity")
        self.quantity.setRange(1, 999)
        form.addRow(_("Quantity"), self.quantity)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("booking_loan_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox()
        self.lend_button = buttons.addButton(_("Lend"), QDialogButtonBox.ButtonRole.ActionRole)
        self.lend_button.setObjectName("booking_lend")
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.lend_button.clicked.connect(self.lend)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        """The facility's catalogue and the loans of the booking."""
        ctx = self.state.ctx
        self.state.runner.submit(lambda: (equipment_queries.items(ctx, self.booking.facility_id), equipment_queries.loans(ctx, open_only=False, booking_id=self.booking.id)),
                                 on_done=self._show, on_error=lambda e: self.message.setText(str(e)))

    def _show(self, result: tuple[list[EquipmentItemView], list[LoanView]]) -> None:
        items, loans = result
        if self.item.count() == 0:
            for item in items:
                self.item.addItem(_("{name} ({count} units)").format(name=item.name, count=item.quantity), item.id)
        self.lent.clear()
        for loan in loans:
            self.lent.addItem(f"{loan.loan_no}　{loan.item_name} ×{loan.quantity}　{loan.status_label}　{loan.fee:,}円")
        if not loans:
            self.lent.addItem(_("No equipment is lent with this booking."))

    def lend(self) -> None:
        """Lend the chosen item for the booking's time."""
        self.message.clear()
        if self.item.currentData() is None:
            self.message.setText(_("There is no equipment to lend in this facility (設定 → 備品)."))
            return
        view = self.booking
        self.state.runner.submit(
            equipment.lend, self.state.ctx, self.item.currentData(), start=view.start, due=view.end, quantity=self.quantity.value(),
            group_id=view.group_id, borrower_name=view.applicant_name, applicant_class=view.applicant_class or None, booking_id=view.id,
            on_done=lambda _loan: self.reload(), on_error=lambda e: self.message.setText(str(e)))
