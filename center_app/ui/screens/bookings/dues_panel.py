"""ホーム panel of the money at the counter (counter staff and administrators):

- 未納・期限切れ of the toolbar's facility: bookings due within a week, past their payment
  deadline, used and still unpaid, and 仮予約 past their limit — each with one action (収納… for
  money due, 取消 for an expired 仮予約) — cancelled bookings whose 取消理由 refunds money still
  held (還付… by the rules) and "apply the deadlines" (``bookings expire``);
- 日計: today's cash of the facility (received, refunded, net) and 締め, which locks the day's
  entries (later corrections are 訂正 entries on another day). 締め has a key (Ctrl+Shift+D,
  written on its button) that works wherever ホーム is scrolled: on a 1366×768 screen the button
  is below the fold, and the key brings it into view before asking.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QScrollArea, QTableWidgetItem, QVBoxLayout, QWidget

from center_app.domain import clock
from center_app.domain.income_values import DailyIncome
from center_app.domain.money import CASH_ROLES, OVERDUE, PROVISIONAL_EXPIRED, REFUND_HELD, DueItem, due_label
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import bookings, dues, income, ledger_close, ledger_refunds
from center_app.services.context import ServiceContext
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, height_for_rows, read_only_table, show_error


def load(ctx: ServiceContext, facility_id: int | None) -> tuple[list[DueItem], DailyIncome | None]:
    """The panel's data: the due list and today's income of the facility (any thread)."""
    items = dues.due_items(ctx, facility_id)
    day = income.daily_income(ctx, clock.today(), facility_id) if facility_id is not None else None
    return items, day


#: The key of 日計を締める (also written on the button).
CLOSE_DAY_KEY = QKeySequence("Ctrl+Shift+D")


class DuesPanel(QWidget):
    """未納・期限切れ with one action each, and today's cash with the day close."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.items: list[DueItem] = []
        self.refund_box: QWidget | None = None  # the open refund box
        self.day: DailyIncome | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        heading = QLabel(_("Unpaid and past deadlines"))
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        headers = [_("Kind"), _("Deadline"), _("Booking"), _("Date of use"), _("Room"), _("Applicant"), _("Due (yen)"), _("Rule")]
        self.table = read_only_table(headers, "dues")
        self.table.setMinimumHeight(height_for_rows(self.table, 4))
        layout.addWidget(self.table, 2)
        actions = QHBoxLayout()
        self.action_button = QPushButton(_("Receive payment…"))
        self.action_button.setObjectName("due_action")
        self.expire_button = QPushButton(_("Apply the deadlines…"))
        self.expire_button.setObjectName("expire")
        actions.addWidget(self.action_button)
        actions.addWidget(self.expire_button)
        actions.addStretch(1)
        self.cash_label = QLabel()
        self.cash_label.setObjectName("cash_of_the_day")
        actions.addWidget(self.cash_label)
        key = CLOSE_DAY_KEY.toString(QKeySequence.SequenceFormat.NativeText)
        self.close_button = QPushButton(_("Close the day's cash ({key})").format(key=key))
        self.close_button.setObjectName("close_day")
        shortcut = QShortcut(CLOSE_DAY_KEY, self, context=Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.close_day_by_key)
        actions.addWidget(self.close_button)
        layout.addLayout(actions)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.act())
        self.action_button.clicked.connect(self.act)
        self.expire_button.clicked.connect(self.expire)
        self.close_button.clicked.connect(self.close_day)
        self._selection_changed()

    def activate(self) -> None:
        """Reload for the toolbar's facility (hidden for roles that do not handle money)."""
        user = self.state.ctx.user
        self.setVisible(user is not None and user.role in CASH_ROLES)
        if not self.isVisible():
            return
        self.state.runner.submit(load, self.state.ctx, self.state.facility_id, on_done=self._show, on_error=lambda e: self.message.setText(str(e)))

    def _show(self, result: tuple[list[DueItem], DailyIncome | None]) -> None:
        self.items, self.day = result
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            rule = {"cancel": _("Cancel by rule"), "list": _("List only")}.get(item.action, item.action)
            cells = [due_label(item.kind), format_day(item.limit), item.slip_no, f"{format_day(item.start.date())} {item.start:%H:%M}",
                     item.room_name, item.applicant_name, f"{item.outstanding:,}",
                     rule if item.kind in (OVERDUE, PROVISIONAL_EXPIRED) else item.rule]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        day = self.day
        if day is None:
            self.cash_label.setText("")
            self.close_button.setEnabled(False)
        else:
            text = _("Today's cash: {net} yen (received {received} yen)").format(net=f"{day.net_cash:,}", received=f"{day.receipts:,}")
            if day.closed:
                text += _(" — closed")
            self.cash_label.setText(text)
            self.close_button.setEnabled(not day.closed)
        self._selection_changed()

    def _selected(self) -> DueItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) and self.table.selectedItems() else None

    def _selection_changed(self) -> None:
        item = self._selected()
        self.action_button.setEnabled(item is not None)
        kind = item.kind if item is not None else None
        self.action_button.setText(_("Cancel the provisional booking") if kind == PROVISIONAL_EXPIRED
                                   else _("Refund…") if kind == REFUND_HELD else _("Receive payment…"))

    def act(self) -> None:
        """The selected item's action: 収納 of the money due, the cancellation of an expired 仮予約,
        or the refund (by the rules) of a cancelled booking's money."""
        item = self._selected()
        if item is None:
            return
        self.message.clear()
        if item.kind == REFUND_HELD:
            self.state.runner.submit(ledger_refunds.booking_refund_rule, self.state.ctx, item.booking_id,
                                     on_done=lambda rule: self._ask_refund(item, rule), on_error=lambda e: self.message.setText(str(e)))
            return
        if item.kind == PROVISIONAL_EXPIRED:
            reason = _("Provisional booking not confirmed by {date} (automatic cancellation)").format(date=f"{item.limit:%Y-%m-%d}")
            self.state.runner.submit(bookings.cancel_booking, self.state.ctx, item.booking_id, reason,
                                     on_done=lambda _v: self.activate(), on_error=lambda e: self.message.setText(str(e)))
            return
        from center_app.ui.screens.bookings.payment import PaymentDialog

        dialog = PaymentDialog(self.state, [item.booking_id], self)
        dialog.paid.connect(lambda _payment: self.activate())
        dialog.open()

    def _ask_refund(self, item: DueItem, rule) -> None:
        from center_app.ui.screens.bookings.payment import open_refund_box

        def refund(reason: str) -> None:
            self.state.runner.submit(ledger_refunds.refund_booking, self.state.ctx, item.booking_id, reason,
                                     on_done=lambda _r: self.activate(), on_error=lambda e: self.message.setText(str(e)))
        self.refund_box = open_refund_box(self, item.slip_no, rule, rule.reason_name, refund)

    def expire(self) -> None:
        """Apply the deadlines of 設定 (as ``bookings expire``) after asking."""
        answer = QMessageBox.question(self, _("Apply the deadlines"), _(
            "Cancel the bookings past their deadline as the settings say (provisional bookings past their limit, unpaid bookings "
            "past the payment deadline)?"), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.state.runner.submit(dues.expire_bookings, self.state.ctx, on_done=self._expired, on_error=lambda e: self.message.setText(str(e)))

    def _expired(self, result) -> None:
        self.message.setText(_("{count} bookings past a deadline; {cancelled} cancelled.").format(count=len(result.items), cancelled=len(result.cancelled)))
        self.activate()

    def close_day_by_key(self) -> None:
        """The day close's key: scroll ホーム to the button (below the fold on a small screen),
        then ask as the button does; nothing when the day is closed or has no facility."""
        if not self.close_button.isEnabled():
            return
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:
            parent.ensureWidgetVisible(self.close_button, 0, 0)
        self.close_day()

    def close_day(self) -> None:
        """日計の締め of today for the toolbar's facility."""
        if self.state.facility_id is None:
            return
        answer = QMessageBox.question(self, _("Close the day's cash"), _(
            "Close today's cash? Entries dated today are then refused; a later correction is entered on another day."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)  # it cannot be undone
        if answer == QMessageBox.StandardButton.Yes:
            self.close_day_now()

    def close_day_now(self) -> None:
        """Close today's cash without asking (tests, keyboard users after the question)."""
        if self.state.facility_id is not None:
            self.state.runner.submit(ledger_close.close_day, self.state.ctx, self.state.facility_id, on_done=lambda _t: self.activate(),
                                     on_error=lambda e: show_error(self, e))
