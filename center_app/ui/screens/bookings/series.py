"""繰り返し予約: the booking typed in the dialog repeated weekly, every two weeks, or on the same
weekday of every month, until a date. The preview lists each date as 可 / 休館日 / 重複 (naming the
other booking) / another rule; dates that cannot be booked must be ticked "skip" before saving."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.booking_values import BookingInput
from center_app.domain.closed_days import holiday_name
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import bookings_series
from center_app.services.bookings_series import CLOSED, CONFLICT, OK, SKIPPED, SeriesInput, SeriesPreview, SeriesResult
from center_app.ui.date_entry import DateEdit
from center_app.ui.screens.bookings.model import weekday_short
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, show_error

WEEKLY, BIWEEKLY, MONTHLY = "weekly", "biweekly", "monthly"
RESULT_COLOURS = {OK: "#e3f4e8", CLOSED: "#f4d6d6", CONFLICT: "#fbe3c8", SKIPPED: "#eeeeee"}


def rule_for(kind: str, first: dt.date, until: dt.date) -> str:
    """The RRULE of a repetition chosen in the dialog."""
    if kind == MONTHLY:
        nth = (first.day - 1) // 7 + 1
        return bookings_series.monthly_nth_weekday_rule(nth if nth <= 4 else -1, first.weekday(), until=until)
    return bookings_series.weekly_rule(first.weekday(), until=until, interval=2 if kind == BIWEEKLY else 1)


class SeriesDialog(QDialog):
    """Preview and save a series built from ``template`` (its date is the first date)."""

    saved = Signal(object)  # SeriesResult

    def __init__(self, state: AppState, template: BookingInput, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.template = state, template
        self.preview: SeriesPreview | None = None
        self.setWindowTitle(_("Repeat booking"))
        self.resize(640, 520)
        first = template.day or state.date
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox()
        self.kind.setObjectName("repeat_kind")
        nth = (first.day - 1) // 7 + 1
        weekday = weekday_short(first)
        self.kind.addItem(_("Every week ({weekday})").format(weekday=weekday), WEEKLY)
        self.kind.addItem(_("Every two weeks ({weekday})").format(weekday=weekday), BIWEEKLY)
        monthly = _("Every month, the last {weekday}") if nth > 4 else _("Every month, the {nth}. {weekday}")
        self.kind.addItem(monthly.format(nth=nth, weekday=weekday), MONTHLY)
        form.addRow(_("Repeat"), self.kind)
        self.until = DateEdit()
        self.until.setObjectName("repeat_until")
        last = first + dt.timedelta(weeks=8)
        self.until.setDate(QDate(last.year, last.month, last.day))
        form.addRow(_("Until"), self.until)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Closed days and national holidays are left out (“Skip”) with their reason: untick a holiday to "
                                  "book it; tick “Skip” for any other date that cannot be booked.")))
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("series_table")
        self.table.setHorizontalHeaderLabels([_("Skip"), _("Date"), _("Result")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 190)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(_("&Preview"))
        self.save_button = QPushButton(_("&Book these dates"))
        self.save_button.setObjectName("save_series")
        close = QPushButton(_("Close"))
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.preview_button.clicked.connect(self.refresh)
        self.save_button.clicked.connect(self.submit)
        close.clicked.connect(self.reject)
        self.kind.currentIndexChanged.connect(lambda _i: self.refresh())
        self.until.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    def series(self) -> SeriesInput:
        qdate = self.until.date()
        until = dt.date(qdate.year(), qdate.month(), qdate.day())
        first = self.template.day or self.state.date
        return SeriesInput(self.template, rule_for(self.kind.currentData(), first, until))

    def skipped(self) -> list[dt.date]:
        """The dates ticked "skip"."""
        days = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.checkState() == Qt.CheckState.Checked:
                days.append(item.data(Qt.ItemDataRole.UserRole))
        return days

    def refresh(self) -> None:
        """Preview the dates (keeping the ticks of dates still listed)."""
        self.state.runner.submit(bookings_series.preview_series, self.state.ctx, self.series(), on_done=self._show, on_error=self._failed)

    def _show(self, preview: SeriesPreview) -> None:
        ticked = set(self.skipped())
        seen = getattr(self, "_seen", set())
        # a national holiday the center is open on is left out too until the clerk unticks it
        ticked |= {o.day for o in preview.occurrences if o.day not in seen and o.status == OK and holiday_name(o.day)}
        self._seen = seen | {o.day for o in preview.occurrences}
        self.preview = preview
        self.message.setText("")
        self.table.setRowCount(len(preview.occurrences))
        for row, occurrence in enumerate(preview.occurrences):
            skip = QTableWidgetItem()
            closed = occurrence.status == CLOSED  # a series never opens a closed day: left out at once
            skip.setFlags(Qt.ItemFlag.ItemIsEnabled if closed else Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            skip.setCheckState(Qt.CheckState.Checked if closed or occurrence.day in ticked else Qt.CheckState.Unchecked)
            skip.setData(Qt.ItemDataRole.UserRole, occurrence.day)
            date = QTableWidgetItem(format_day(occurrence.day))
            if occurrence.status == OK:
                result = _("Available — fee {fee} yen").format(fee=f"{occurrence.fee or 0:,}")
                if holiday_name(occurrence.day):  # left out by default: the row says so, and how to book it
                    result = _("Holiday: {name} — left out unless unticked ({available})").format(
                        name=holiday_name(occurrence.day), available=result)
            else:
                result = occurrence.message
            outcome = QTableWidgetItem(result)
            outcome.setToolTip(result)
            colour = QColor(RESULT_COLOURS.get(occurrence.status, "#fde2e2"))
            for column, item in enumerate((skip, date, outcome)):
                item.setBackground(colour)
                self.table.setItem(row, column, item)

    def _failed(self, error: BaseException) -> None:
        from center_app.domain.errors import CenterError

        if isinstance(error, CenterError):
            self.message.setText(str(error))
        else:
            show_error(self, error)

    def submit(self) -> None:
        """Book every date not ticked "skip"; refused while a blocked date is not ticked."""
        self.state.runner.submit(bookings_series.save_series, self.state.ctx, self.series(), self.skipped(),
                                 on_done=self._saved, on_error=self._failed)

    def _saved(self, result: SeriesResult) -> None:
        self.saved.emit(result)
        self.accept()
