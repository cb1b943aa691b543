"""Change or move the rest of a series in one action: from the booking opened, every later open
date of its series gets the new room, times, people or purpose, or moves by a number of days,
with one reason (:func:`center_app.services.bookings_series.change_series`).

Every date is checked again; when some are refused, each is listed with its reason and nothing is
written. The clerk then changes the values, or ticks 「受け付けられない日は変更せずに残す」 to
change the others and leave those dates as they are.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from center_app.domain.booking_values import BookingView, CalendarFrame
from center_app.domain.errors import CenterError, RuleCode, RuleError, ValidationError
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import bookings_series
from center_app.services.bookings_series import SeriesChange, SeriesChangeResult
from center_app.ui.date_entry import TimeEdit
from center_app.ui.state import AppState
from center_app.ui.widgets import ERROR_STYLE, MessageArea, NumberSpinBox, show_error


class SeriesChangeDialog(QDialog):
    """Change ``booking`` and every later open date of its series (``frame``: its rooms)."""

    saved = Signal(object)  # SeriesChangeResult

    def __init__(self, state: AppState, frame: CalendarFrame, booking: BookingView, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.booking = state, booking
        self.refused: tuple[dt.date, ...] = ()  # the dates refused by the last try
        self.setWindowTitle(_("Change the rest of the series"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(_("Changes this booking and every later date of its series (from {date}). Leave a field as it is to keep "
                         "what each date has.").format(date=format_day(booking.day)))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.shift = QSpinBox()
        self.shift.setObjectName("shift_days")
        self.shift.setRange(-365, 365)
        self.shift.setSuffix(_(" days"))
        form.addRow(_("Move every date by"), self.shift)
        self.room = QComboBox()
        self.room.setObjectName("series_room")
        self.room.addItem(_("Unchanged"), None)
        for room in frame.rooms:
            self.room.addItem(_("{room} (up to {count})").format(room=room.name, count=room.capacity), room.id)
        form.addRow(_("Room"), self.room)
        times = QHBoxLayout()
        self.new_times = QCheckBox(_("New times"))
        self.new_times.setObjectName("new_times")
        self.start, self.end = TimeEdit(), TimeEdit()
        self.start.setTime(booking.start.time())
        self.end.setTime(booking.end.time())
        for widget in (self.new_times, self.start, QLabel("–"), self.end):
            times.addWidget(widget)
        times.addStretch(1)
        form.addRow(_("Times"), times)
        self.people = NumberSpinBox()
        self.people.setObjectName("series_people")
        self.people.setRange(0, 9999)
        self.people.setSpecialValueText(_("Unchanged"))
        self.people.setSuffix(_(" people"))
        form.addRow(_("People"), self.people)
        self.purpose = QLineEdit()
        self.purpose.setObjectName("series_purpose")
        self.purpose.setPlaceholderText(_("Unchanged"))
        form.addRow(_("Purpose"), self.purpose)
        self.reason = QLineEdit()
        self.reason.setObjectName("change_reason")
        form.addRow(_("Reason for the change"), self.reason)
        layout.addLayout(form)
        self.skip_refused = QCheckBox(_("Leave the refused dates as they are and change the others"))
        self.skip_refused.setObjectName("skip_refused")
        self.skip_refused.setEnabled(False)  # until dates are refused (shown all along: nothing moves)
        layout.addWidget(self.skip_refused)
        self.messages = MessageArea(6)
        self.error = self.messages.add(QLabel())
        self.error.setObjectName("series_change_error")
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.messages)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton(_("Change the dates"))
        self.save_button.setObjectName("save_series_change")
        self.save_button.setDefault(True)
        close = QPushButton(_("Close"))
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.submit)
        close.clicked.connect(self.reject)
        self.new_times.toggled.connect(self._update)
        self._update()

    def _update(self) -> None:
        for widget in (self.start, self.end):
            widget.setEnabled(self.new_times.isChecked())

    def change(self) -> SeriesChange:
        """The change as typed (raises ValidationError for a time that cannot be read)."""
        if self.new_times.isChecked():
            for edit in (self.start, self.end):
                problem = edit.problem()
                if problem:
                    raise ValidationError(problem, field_name="start_time")
        start, end = self.start.time(), self.end.time()
        return SeriesChange(
            room_id=self.room.currentData(), shift_days=self.shift.value(),
            start_time=dt.time(start.hour(), start.minute()) if self.new_times.isChecked() else None,
            end_time=dt.time(end.hour(), end.minute()) if self.new_times.isChecked() else None,
            expected_people=self.people.value() or None, purpose=self.purpose.text() if self.purpose.text().strip() else None,
        )

    def submit(self) -> None:
        """Change every date (in the background); a refusal keeps what was typed."""
        try:
            change = self.change()
        except ValidationError as exc:
            self.error.setText(str(exc))
            return
        skip = self.refused if self.skip_refused.isChecked() else ()
        self.save_button.setEnabled(False)
        self.state.runner.submit(bookings_series.change_series, self.state.ctx, self.booking.series_id, change, self.reason.text(),
                                 from_day=self.booking.day, skip=skip, on_done=self._done, on_error=self._failed)

    def _done(self, result: SeriesChangeResult) -> None:
        self.saved.emit(result)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, RuleError) and error.rule == RuleCode.SERIES_UNRESOLVED:
            self.refused = tuple(o.day for o in error.value)
            lines = [_("These dates cannot be changed; nothing was changed:")]
            lines += [_("{date}: {reason}").format(date=format_day(o.day), reason=o.message) for o in error.value]
            self.error.setText("\n".join(lines))
            self.skip_refused.setEnabled(True)
        elif isinstance(error, CenterError):
            self.error.setText(str(error))
        else:
            show_error(self, error)
