"""ホーム panel: equipment loans still out after their due time, longest overdue first, with
「返却」 for the selected loan (counter staff and administrators)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from center_app.domain.equipment import LoanView
from center_app.domain.money import CASH_ROLES
from center_app.domain.wareki import format_moment
from center_app.i18n import _
from center_app.services import equipment, equipment_queries
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, read_only_table


class OverduePanel(QWidget):
    """返却期限切れの備品: the list and one action."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.loans: list[LoanView] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        heading = QLabel(_("Equipment past its return time"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        self.table = read_only_table([_("Loan"), _("Item"), _("Quantity"), _("Borrower"), _("Due")], "overdue_loans")
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.return_button = QPushButton(_("Record the return"))
        self.return_button.setObjectName("overdue_return")
        self.return_button.clicked.connect(self.record_return)
        row.addWidget(self.return_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)

    def activate(self) -> None:
        """Reload for the toolbar's facility (hidden for coordinators, and when nothing is overdue)."""
        user = self.state.ctx.user
        if user is None or user.role not in CASH_ROLES:
            self.setVisible(False)
            return
        self.state.runner.submit(equipment_queries.overdue_loans, self.state.ctx, self.state.facility_id, on_done=self._show,
                                 on_error=lambda e: self.message.setText(str(e)))

    def _show(self, loans: list[LoanView]) -> None:
        self.loans = loans
        self.setVisible(bool(loans) or bool(self.message.text()))
        self.table.setRowCount(len(loans))
        for row, loan in enumerate(loans):
            due = format_moment(loan.due_at)
            for column, text in enumerate((loan.loan_no, loan.item_name, str(loan.quantity), loan.borrower, due)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.return_button.setEnabled(bool(loans))

    def record_return(self) -> None:
        """Record the return of the selected loan now."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.loans):
            return
        loan = self.loans[row]
        self.message.clear()
        self.state.runner.submit(equipment.return_loan, self.state.ctx, loan.loan_no, expected_version=loan.version,
                                 on_done=lambda _view: self.activate(), on_error=lambda e: self.message.setText(str(e)))
