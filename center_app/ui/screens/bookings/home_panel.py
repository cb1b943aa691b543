"""ホーム panel: today's bookings of the toolbar's facility with check-in (受付), attendance
(利用人数) and no-show marking, and tomorrow's bookings below.

Keyboard: ↑/↓ choose a booking, Ctrl+Enter checks in, type the number of people and press Enter
to record the attendance; every button is reachable with Tab.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingCell, BookingStatus, status_label
from center_app.domain.errors import CenterError
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import bookings, bookings_calendar
from center_app.services.context import ServiceContext
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, height_for_rows, read_only_table, show_error

STATUS_BACKGROUND = {BookingStatus.USED: QColor("#d3ecd9"), BookingStatus.NO_SHOW: QColor("#f6d2d5")}


def two_days(ctx: ServiceContext, facility_id: int, today: dt.date) -> tuple[list[BookingCell], list[BookingCell]]:
    """Today's and tomorrow's bookings of a facility (not cancelled), by start time."""
    cells = bookings_calendar.bookings_between(ctx, facility_id, today, today + dt.timedelta(days=1))
    return [c for c in cells if c.start.date() == today], [c for c in cells if c.start.date() != today]


#: Rows of today's bookings always shown whole, also on a 1366×768 screen (ホーム scrolls below them).
TODAY_ROWS = 8


class TodayBookingsPanel(QWidget):
    """Today's and tomorrow's bookings with the day's counter actions."""

    def __init__(self, state: AppState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.today_cells: list[BookingCell] = []
        self.tomorrow_cells: list[BookingCell] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.heading = QLabel(_("Today's bookings"))
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        headers = [_("Time"), _("Room"), _("Applicant"), _("People"), _("Status"), _("Checked in"), _("Attendance"), _("Purpose")]
        self.today_table = read_only_table(headers, "today_bookings")
        self.today_table.setMinimumHeight(height_for_rows(self.today_table, TODAY_ROWS))
        layout.addWidget(self.today_table, 3)
        actions = QHBoxLayout()
        self.check_in_button = QPushButton(_("Check &in"))
        self.attendance = QSpinBox()
        self.attendance.setObjectName("home_attendance")
        self.attendance.setRange(0, 9999)
        self.attendance.setSuffix(_(" people"))
        self.attendance_button = QPushButton(_("Record &attendance"))
        self.no_show_button = QPushButton(_("Mark as &no-show"))
        for widget in (self.check_in_button, QLabel(_("Attendance")), self.attendance, self.attendance_button, self.no_show_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.tomorrow_heading = QLabel(_("Tomorrow's bookings"))
        self.tomorrow_heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.tomorrow_heading)
        self.tomorrow_table = read_only_table([_("Time"), _("Room"), _("Applicant"), _("People"), _("Status"), _("Purpose")], "tomorrow_bookings")
        self.tomorrow_table.setMinimumHeight(height_for_rows(self.tomorrow_table, 4))
        layout.addWidget(self.tomorrow_table, 2)

        self.check_in_button.clicked.connect(self.check_in)
        self.attendance_button.clicked.connect(self.record_attendance)
        self.attendance.lineEdit().returnPressed.connect(self.record_attendance)
        self.no_show_button.clicked.connect(self.mark_no_show)
        self.today_table.itemSelectionChanged.connect(self._selection_changed)
        self._selection_changed()

    # --- loading --------------------------------------------------------------------------------------

    def activate(self) -> None:
        """Reload for the toolbar's facility (called by ホーム)."""
        if self.state.facility_id is None:
            return
        today = clock.today()
        self.heading.setText(_("Today's bookings — {date}").format(date=format_day(today)))
        self.tomorrow_heading.setText(_("Tomorrow's bookings — {date}").format(date=format_day(today + dt.timedelta(days=1))))
        self.state.runner.submit(two_days, self.state.ctx, self.state.facility_id, today, on_done=self._show, on_error=lambda e: show_error(self, e))

    def _show(self, result: tuple[list[BookingCell], list[BookingCell]]) -> None:
        selected = self.selected()
        self.today_cells, self.tomorrow_cells = result
        self._fill(self.today_table, self.today_cells, today=True)
        self._fill(self.tomorrow_table, self.tomorrow_cells, today=False)
        if selected is not None:
            for row, cell in enumerate(self.today_cells):
                if cell.id == selected.id:
                    self.today_table.selectRow(row)
        elif self.today_cells:
            self.today_table.selectRow(0)
        self._selection_changed()

    def _fill(self, table: QTableWidget, cells: list[BookingCell], *, today: bool) -> None:
        table.setRowCount(len(cells))
        if not cells:
            table.setRowCount(1)
            empty = QTableWidgetItem(_("No bookings."))
            table.setItem(0, 0, empty)
            for column in range(1, table.columnCount()):
                table.setItem(0, column, QTableWidgetItem(""))
            return
        for row, cell in enumerate(cells):
            values = [f"{cell.start:%H:%M}–{cell.end:%H:%M}", cell.room_name, cell.applicant_name, str(cell.expected_people), status_label(cell.status)]
            if today:
                values += ["✓" if cell.checked_in else "", "" if cell.attendance is None else str(cell.attendance)]
            values.append(cell.purpose)
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, cell.id)
                if cell.status in STATUS_BACKGROUND:
                    item.setBackground(STATUS_BACKGROUND[cell.status])
                table.setItem(row, column, item)

    # --- actions --------------------------------------------------------------------------------------

    def selected(self) -> BookingCell | None:
        """Today's booking selected in the table."""
        rows = self.today_table.selectionModel().selectedRows()
        if not rows or not self.today_cells:
            return None
        row = rows[0].row()
        return self.today_cells[row] if row < len(self.today_cells) else None

    def _selection_changed(self) -> None:
        cell = self.selected()
        self.check_in_button.setEnabled(cell is not None and cell.status in OPEN and not cell.checked_in)
        self.attendance_button.setEnabled(cell is not None)
        self.no_show_button.setEnabled(cell is not None and cell.status in OPEN)
        if cell is not None:
            self.attendance.setValue(cell.attendance if cell.attendance is not None else cell.expected_people)
        self.message.setText("")

    def _run(self, action, *args) -> None:
        cell = self.selected()
        if cell is None:
            return
        self.state.runner.submit(action, self.state.ctx, cell.id, *args, on_done=lambda _view: self.activate(), on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, CenterError):
            self.message.setText(str(error))
        else:
            show_error(self, error)

    def check_in(self) -> None:
        """受付: the applicant of the selected booking arrived."""
        self._run(bookings.check_in)

    def record_attendance(self) -> None:
        """利用人数 of the selected booking (it becomes 利用済)."""
        self._run(bookings.record_attendance, self.attendance.value())

    def mark_no_show(self) -> None:
        """無断キャンセル: nobody came."""
        self._run(bookings.mark_no_show)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.check_in()
        else:
            super().keyPressEvent(event)
