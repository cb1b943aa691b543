"""Month overview of the 予約 screen: six weeks, Monday first, the number of bookings per day,
closed days with their reason and holidays with their name. Enter or a click opens the day."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from center_app.domain.closed_days import DayStatus
from center_app.i18n import _
from center_app.ui.screens.bookings.model import WEEKDAY_SHORT

CLOSED = QColor("#f1dede")
HOLIDAY = QColor("#fff2cc")
OTHER_MONTH = QColor("#9aa0ad")
TODAY = QColor("#dbe7ff")


class MonthView(QTableWidget):
    """6 × 7 days; ``day_chosen(date)`` on Enter or click."""

    day_chosen = Signal(object)
    today_requested = Signal()
    page_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(6, 7, parent)
        self.setObjectName("month_view")
        self.setHorizontalHeaderLabels([_(name) for name in WEEKDAY_SHORT])
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)

    def show_month(self, anchor: dt.date, first: dt.date, counts: dict[dt.date, int], statuses: dict[dt.date, DayStatus], today: dt.date) -> None:
        """Fill the six weeks from ``first`` (a Monday) for the month of ``anchor``."""
        for index in range(42):
            day = first + dt.timedelta(days=index)
            status = statuses.get(day)
            lines = [str(day.day) if day.day != 1 else f"{day.month}/{day.day}"]
            if status is not None and not status.is_open:
                lines.append(_("Closed: {reason}").format(reason=status.reason))
            elif status is not None and status.holiday_name:
                lines.append(status.holiday_name)
            count = counts.get(day, 0)
            if count:
                lines.append(_("{count} bookings").format(count=count))
            item = QTableWidgetItem("\n".join(lines))
            item.setData(Qt.ItemDataRole.UserRole, day)
            item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            if status is not None and not status.is_open:
                item.setBackground(CLOSED)
            elif status is not None and status.holiday_name:
                item.setBackground(HOLIDAY)
            if day == today:
                item.setBackground(TODAY)
            if day.month != anchor.month:
                item.setForeground(OTHER_MONTH)
            self.setItem(index // 7, index % 7, item)
            if day == anchor:
                self.setCurrentCell(index // 7, index % 7)

    def _chosen(self, item: QTableWidgetItem) -> None:
        self.day_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self._chosen(self.currentItem())
        elif event.key() == Qt.Key.Key_T and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.today_requested.emit()
        elif event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.page_requested.emit(-1 if event.key() == Qt.Key.Key_PageUp else 1)
        else:
            super().keyPressEvent(event)
