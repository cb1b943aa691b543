"""The one date field and the one time field of every screen.

A clerk types a date the way it is written on an application form — 2027/01/11, 1/11 (the
nearest such day from today), 令和9年1月11日, R9.1.11, full-width digits — or picks it from the
calendar (the button, Alt+↓ or F4). The text is read by ``domain.normalize.parse_date_entry`` /
``parse_time_entry`` when the clerk leaves the field or presses Enter; text that is not a date
stays as typed, framed in red with the reason as its tooltip (:meth:`DateEdit.problem`), and the
field keeps its last good value. Focusing a field selects its text, so typing replaces it.

Both keep the small part of the QDateEdit / QTimeEdit interface the screens use (``date()``,
``setDate()``, ``dateChanged``; ``time()``, ``setTime()``, ``timeChanged``), with QDate and QTime
values.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QKeyEvent, QTextCharFormat
from PySide6.QtWidgets import QCalendarWidget, QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QStyle, QToolButton, QVBoxLayout, QWidget

from center_app.domain import clock
from center_app.domain.closed_days import holiday_name
from center_app.domain.errors import ValidationError
from center_app.domain.normalize import EARLIEST_DATE, LATEST_DATE, parse_date_entry, parse_month_entry, parse_time_entry
from center_app.i18n import N_, _

#: Short weekday names, Monday first (月 火 … in Japanese).
_WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
_INVALID_STYLE = "QLineEdit { border: 2px solid #b00020; }"
SATURDAY, SUNDAY, CLOSED_BACKGROUND = QColor("#1f5fbf"), QColor("#c62828"), QColor("#eeeeee")


def format_entry_date(day: dt.date, *, weekday: bool = True) -> str:
    """How a date field shows its date: "2027/01/11 (月)" (without the weekday: "2027/01/11")."""
    text = f"{day:%Y/%m/%d}"
    return f"{text} ({_(_WEEKDAYS[day.weekday()])})" if weekday else text


def _py(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class _Entry(QLineEdit):
    """What the date and the time field share: select all on focus, red frame on bad text.

    ``problemChanged(str)`` is emitted when the field starts or stops showing a problem (the
    reason, or "" once the text reads again).
    """

    problemChanged = Signal(str)  # noqa: N815 - Qt style

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problem = ""
        self._tooltip = ""
        self.editingFinished.connect(self._commit)
        self.returnPressed.connect(self.selectAll)  # Enter takes the value; typing again replaces it
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    #: The longest text the field shows, for its width.
    _SAMPLE = "00:00"

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        base = super().sizeHint()
        width = self.fontMetrics().horizontalAdvance(self._SAMPLE) + 3 * self.fontMetrics().averageCharWidth() + 8
        if self.actions():
            width += base.height()  # the calendar button
        return QSize(max(width, 60), base.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return self.sizeHint()

    def problem(self) -> str:
        """The message for text that cannot be read ("" when it can); also frames the field."""
        try:
            self._parse()
        except ValidationError as exc:
            self._show_problem(str(exc))
            return str(exc)
        return ""

    def shown_problem(self) -> str:
        """The reason the field is framed in red now ("" when it is not), without reading it again."""
        return self._problem

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt name
        self._tooltip = text
        super().setToolTip(self._problem or text)

    def _show_problem(self, message: str) -> None:
        changed = message != self._problem
        self._problem = message
        self.setStyleSheet(_INVALID_STYLE if message else "")
        super().setToolTip(message or self._tooltip)
        if changed:
            self.problemChanged.emit(message)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt name
        super().focusInEvent(event)
        # after the mouse press has placed the cursor, so a click selects too
        QTimer.singleShot(0, self, self.selectAll)  # with the field as context: dropped if it is deleted first

    def _parse(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def _commit(self) -> None:
        """When the clerk leaves the field or presses Enter: take the value and show it in the
        field's own form, or frame the field in red with the reason."""
        try:
            value = self._parse()
        except ValidationError as exc:
            self._show_problem(str(exc))
            return
        self._accept(value)

    def _accept(self, value) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class DateEdit(_Entry):
    """A date field: typed dates in every usual form, or the calendar popup.

    ``dateChanged(QDate)`` is emitted when the value changes (by typing, picking or setDate).
    """

    dateChanged = Signal(QDate)  # noqa: N815 - Qt name
    _SAMPLE = "2026/12/29 (水)　"

    def __init__(self, day: QDate | dt.date | None = None, parent: QWidget | None = None, *, weekday: bool = True,
                 month_only: bool = False) -> None:
        super().__init__(parent)
        self._weekday, self._month_only = weekday, month_only  # month_only: a month field, 2027/01 (its 1st day)
        self._date = QDate()
        self._popup: QFrame | None = None
        self._calendar: MarkedCalendar | None = None  # built on first use: a calendar page marks its holidays (jpholiday)
        action = self.addAction(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown), QLineEdit.ActionPosition.TrailingPosition)
        action.setToolTip(_("Choose from the calendar (Alt+Down)"))
        action.triggered.connect(self.show_calendar)
        self._tooltip = _("Type a date such as 2027/1/11, 1/11 or R9.1.11.")
        super().setToolTip(self._tooltip)
        self.setDate(day if day is not None else clock.today())

    # --- the QDateEdit interface the screens use ------------------------------------------------

    def date(self) -> QDate:
        """The date of the field: what is typed when it reads as a date, else the last good one."""
        try:
            day = self._parse()
        except ValidationError:
            return QDate(self._date)
        return QDate(day.year, day.month, day.day)

    def setDate(self, day: QDate | dt.date) -> None:  # noqa: N802 - Qt name
        """Show ``day`` (a QDate or a date) and emit dateChanged when it differs."""
        value = day if isinstance(day, QDate) else QDate(day.year, day.month, day.day)
        if not value.isValid():
            return
        self._show_problem("")
        self.setText(f"{value.year()}/{value.month():02d}" if self._month_only else format_entry_date(_py(value), weekday=self._weekday))
        if value != self._date:
            self._date = value
            self.dateChanged.emit(QDate(value))

    def calendarWidget(self) -> MarkedCalendar:  # noqa: N802 - Qt name
        """The calendar shown by the popup (built on the first call: a window with date fields
        opens without laying out and marking a calendar page each)."""
        if self._calendar is None:
            self._calendar = MarkedCalendar()
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        return self._calendar

    # --- behaviour -------------------------------------------------------------------------------

    def _parse(self) -> dt.date:
        if self._month_only:
            month = parse_month_entry(self.text(), field="month")
            if month is None:
                raise ValidationError(_("Enter a month such as 2027/1 or 令和9年1月."), field_name="month")
            return month
        day = parse_date_entry(self.text(), today=clock.today(), field="date")
        if day is None:
            raise ValidationError(_("Enter a date such as 2026/4/1 or 令和8年4月1日."), field_name="date")
        return day

    def _accept(self, value: dt.date) -> None:
        self.setDate(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt name
        if event.key() == Qt.Key.Key_F4 or (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            self.show_calendar()
            return
        super().keyPressEvent(event)

    def show_calendar(self) -> None:
        """Open the calendar under the field, on the field's date."""
        calendar = self.calendarWidget()
        if self._popup is None:
            self._popup = QFrame(self, Qt.WindowType.Popup)
            self._popup.setFrameShape(QFrame.Shape.StyledPanel)
            layout = QVBoxLayout(self._popup)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(calendar.bar)
            layout.addWidget(calendar)
        calendar.setSelectedDate(self.date())
        self._popup.adjustSize()
        self._popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self._popup.show()
        calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        if self._popup is not None:
            self._popup.hide()
        self.setDate(day)
        self.setFocus()


class MarkedCalendar(QCalendarWidget):
    """The calendar of the date fields: the header reads 「2026年12月」, Saturdays are blue,
    Sundays and national holidays red (the holiday named in the tooltip), and closed days, when
    the screen knows them (:meth:`set_closed_days`), grey with their reason."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setGridVisible(True)
        self.setNavigationBarVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Sunday)
        # the dates the app handles (normalize.check_date_range): 9999/12/31 cannot be picked
        self.setDateRange(QDate(EARLIEST_DATE.year, EARLIEST_DATE.month, EARLIEST_DATE.day), QDate(LATEST_DATE.year, LATEST_DATE.month, LATEST_DATE.day))
        weekend = QTextCharFormat()
        weekend.setForeground(QBrush(SATURDAY))
        self.setWeekdayTextFormat(Qt.DayOfWeek.Saturday, weekend)
        sunday = QTextCharFormat()
        sunday.setForeground(QBrush(SUNDAY))
        self.setWeekdayTextFormat(Qt.DayOfWeek.Sunday, sunday)
        self.header = QLabel()
        self.header.setObjectName("calendar_header")
        self.header.setAlignment(Qt.AlignmentFlag.AlignCenter)
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(2, 2, 2, 2)
        self.previous_button, self.next_button = QToolButton(), QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.previous_button.setToolTip(_("Previous month"))
        self.next_button.setToolTip(_("Next month"))
        self.previous_button.clicked.connect(self.showPreviousMonth)
        self.next_button.clicked.connect(self.showNextMonth)
        row.addWidget(self.previous_button)
        row.addWidget(self.header, 1)
        row.addWidget(self.next_button)
        self.bar = bar
        self._closed: dict[dt.date, str] = {}
        self._marked: list[QDate] = []
        self.closed_days_wanted = None  # callable(first, last) asking the screen for closed days
        self.currentPageChanged.connect(lambda _y, _m: self._page_changed())
        self._page_changed()

    def header_text(self) -> str:
        """「2026年12月」 (in English "12/2026")."""
        return _("{month}/{year}").format(year=self.yearShown(), month=self.monthShown())

    def set_closed_days(self, closed: dict[dt.date, str]) -> None:
        """Mark ``closed`` (date → reason) on the page shown."""
        self._closed = dict(closed)
        self._mark()

    def _page_changed(self) -> None:
        self.header.setText(self.header_text())
        self._mark()
        if self.closed_days_wanted is not None:
            first = dt.date(self.yearShown(), self.monthShown(), 1)
            self.closed_days_wanted(first - dt.timedelta(days=7), first + dt.timedelta(days=45))

    def _mark(self) -> None:
        for day in self._marked:
            self.setDateTextFormat(day, QTextCharFormat())
        self._marked = []
        first = dt.date(self.yearShown(), self.monthShown(), 1)
        for offset in range(-7, 45):
            day = first + dt.timedelta(days=offset)
            holiday, closed = holiday_name(day), self._closed.get(day)
            if not holiday and not closed:
                continue
            marked = QTextCharFormat()
            if holiday:
                marked.setForeground(QBrush(SUNDAY))
            if closed:
                marked.setBackground(QBrush(CLOSED_BACKGROUND))
            marked.setToolTip("\n".join(filter(None, [holiday, closed if closed != holiday else ""])))
            qday = QDate(day.year, day.month, day.day)
            self.setDateTextFormat(qday, marked)
            self._marked.append(qday)


class TimeEdit(_Entry):
    """A time field: 13:30, 1330, 930, 13時30分, 13 or full-width digits, read as typed.

    ``timeChanged(QTime)`` is emitted when the value changes (typing or setTime).
    """

    timeChanged = Signal(QTime)  # noqa: N815 - Qt name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._time = QTime(0, 0)
        self.setText("00:00")
        self.setMaxLength(10)
        self.textEdited.connect(self._typed)

    def time(self) -> QTime:
        """The time of the field: what is typed when it reads as a time, else the last good one."""
        try:
            value = self._parse()
        except ValidationError:
            return QTime(self._time)
        return QTime(value.hour, value.minute)

    def setTime(self, value: QTime | dt.time) -> None:  # noqa: N802 - Qt name
        """Show ``value`` and emit timeChanged when it differs."""
        qtime = value if isinstance(value, QTime) else QTime(value.hour, value.minute)
        if not qtime.isValid():
            return
        self._show_problem("")
        self.setText(qtime.toString("HH:mm"))
        self._set_value(qtime)

    def _set_value(self, qtime: QTime) -> None:
        if qtime != self._time:
            self._time = qtime
            self.timeChanged.emit(QTime(qtime))

    def _parse(self) -> dt.time:
        value = parse_time_entry(self.text(), field="time")
        if value is None:
            raise ValidationError(_("Enter a time such as 13:30."), field_name="time")
        return value

    def _accept(self, value: dt.time) -> None:
        self.setTime(value)

    def _typed(self, _text: str) -> None:
        """While typing: a text that reads as a time is the value at once (for the live fee)."""
        try:
            value = self._parse()
        except ValidationError:
            return
        self._show_problem("")
        self._set_value(QTime(value.hour, value.minute))
