"""Wiring of the 予約 screen: the toolbar's facility and date, the visible range, paging, and the
booking dialog. Only the visible range is read (one background job per switch)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from center_app.domain import clock
from center_app.domain.booking_values import BookingCell, BookingChoices, BookingStatus, BookingView, CalendarFrame
from center_app.domain.closed_days import DayStatus
from center_app.domain.wareki import format_day, format_month
from center_app.i18n import _
from center_app.services import bookings, bookings_calendar, facilities
from center_app.services.bookings_series import SeriesChangeResult, SeriesResult
from center_app.services.context import ServiceContext
from center_app.ui.screens.bookings.dialog import BookingDialog, edit_label
from center_app.ui.screens.bookings.model import DAY, MONTH, WEEK, Grid, NewBooking, day_columns, range_of, step, week_columns
from center_app.ui.widgets import ClickGuard, show_error

if TYPE_CHECKING:
    from center_app.ui.screens.bookings.view import BookingsScreen


@dataclass(frozen=True)
class RangeData:
    """Everything one switch of the calendar needs, read in one background job."""

    frame: CalendarFrame
    choices: BookingChoices
    mode: str
    first: dt.date
    last: dt.date
    bookings: tuple[BookingCell, ...]
    statuses: dict[dt.date, DayStatus]
    counts: dict[dt.date, int]


def fetch_range(ctx: ServiceContext, facility_id: int, mode: str, day: dt.date, frame: CalendarFrame | None,
                choices: BookingChoices | None) -> RangeData:
    """Read the visible range of ``mode`` around ``day`` (the frame and choices only when not cached)."""
    first, last = range_of(mode, day)
    frame = frame if frame is not None and frame.facility_id == facility_id else bookings_calendar.calendar_frame(ctx, facility_id)
    choices = choices or bookings_calendar.booking_choices(ctx)
    statuses = dict(facilities.day_statuses(ctx, facility_id, first, (last - first).days + 1))
    if mode == MONTH:
        return RangeData(frame, choices, mode, first, last, (), statuses, bookings_calendar.day_counts(ctx, facility_id, first, last))
    cells = tuple(bookings_calendar.bookings_between(ctx, facility_id, first, last))
    return RangeData(frame, choices, mode, first, last, cells, statuses, {})


def load_booking(ctx: ServiceContext, booking_id: int, frame: CalendarFrame | None,
                 choices: BookingChoices | None) -> tuple[BookingView, CalendarFrame, BookingChoices]:
    """A booking with the frame of its facility and the dialog's choices (cached ones reused)."""
    view = bookings.get_booking(ctx, booking_id)
    if frame is None or frame.facility_id != view.facility_id:
        frame = bookings_calendar.calendar_frame(ctx, view.facility_id)
    return view, frame, choices or bookings_calendar.booking_choices(ctx)


class BookingsController(QObject):
    """Logic of :class:`BookingsScreen`."""

    def __init__(self, view: BookingsScreen):
        super().__init__(view)
        self.view, self.state = view, view.state
        self.mode = DAY
        self.frame: CalendarFrame | None = None
        self.choices: BookingChoices | None = None
        self.data: RangeData | None = None
        self.dialog: BookingDialog | None = None
        self.active = False
        v = view
        v.mode_buttons[DAY].clicked.connect(lambda: self.set_mode(DAY))
        v.mode_buttons[WEEK].clicked.connect(lambda: self.set_mode(WEEK))
        v.mode_buttons[MONTH].clicked.connect(lambda: self.set_mode(MONTH))
        v.prev_button.clicked.connect(lambda: self.page(-1))
        v.next_button.clicked.connect(lambda: self.page(1))
        v.today_button.clicked.connect(self.go_today)
        v.new_button.clicked.connect(self.new_from_cursor)
        v.grid.new_requested.connect(self.new_booking)
        v.grid.open_requested.connect(self.open_booking)
        v.grid.today_requested.connect(self.go_today)
        v.grid.page_requested.connect(self.page)
        v.grid.cursor_moved.connect(self._show_cell)
        v.month.day_chosen.connect(self.show_day)
        v.month.today_requested.connect(self.go_today)
        v.month.page_requested.connect(self.page)
        # bound methods, not lambdas: Qt drops them with the screen (user or language switch)
        self.state.facility_changed.connect(self._facility_changed)
        self.state.date_changed.connect(self._date_changed)

    def _facility_changed(self, _facility_id: int) -> None:
        self.reload(reset=True)

    def _date_changed(self, _day: dt.date) -> None:
        self.reload()

    # --- loading -------------------------------------------------------------------------------------

    def reload(self, reset: bool = False) -> None:
        """Read the visible range again (``reset``: the facility changed)."""
        if reset:
            self.frame = None
        if not self.active or self.state.facility_id is None:
            return
        self.state.runner.submit(fetch_range, self.state.ctx, self.state.facility_id, self.mode, self.state.date, self.frame, self.choices,
                                 on_done=self._show, on_error=lambda error: show_error(self.view, error))

    def _show(self, data: RangeData) -> None:
        if data.mode != self.mode:
            return  # an older switch arriving late
        self.data, self.frame, self.choices = data, data.frame, data.choices
        v = self.view
        for mode, button in v.mode_buttons.items():
            button.setChecked(mode == self.mode)
        if data.mode == MONTH:
            v.month.show_month(self.state.date, data.first, data.counts, data.statuses, clock.today())
            v.pages.setCurrentWidget(v.month)
            v.range_label.setText(format_month(self.state.date.year, self.state.date.month))  # the one date style
            in_month = sum(n for day, n in data.counts.items() if (day.year, day.month) == (self.state.date.year, self.state.date.month))
            v.count_label.setText(_("{count} bookings").format(count=in_month))  # the month's, not the last day or week shown
            return
        columns = (day_columns(data.first, data.frame.opening, data.frame.closing) if data.mode == DAY
                   else week_columns(data.first, data.frame.slots, data.frame.opening, data.frame.closing))
        v.grid.set_grid(Grid(list(data.frame.rooms), columns, list(data.bookings), data.statuses), data.mode)
        v.pages.setCurrentWidget(v.grid_scroll)
        if data.mode == DAY:
            status = data.statuses.get(data.first)
            note = ""
            if status is not None and not status.is_open:
                note = _("Closed: {reason}").format(reason=status.reason)
            elif status is not None and status.holiday_name:
                note = status.holiday_name
            text = f"{format_day(data.first)}{('　' + note) if note else ''}"
        else:
            text = _("{first} to {last}").format(first=format_day(data.first), last=format_day(data.last))
        v.range_label.setText(text)
        v.count_label.setText(_("{count} bookings").format(count=len(data.bookings)))

    # --- navigation ----------------------------------------------------------------------------------

    def activate(self) -> None:
        self.active = True
        self.reload()

    def set_mode(self, mode: str) -> None:
        """Switch between the day, week and month views."""
        self.mode = mode
        self.reload()

    def page(self, direction: int) -> None:
        """One day, week or month back (-1) or forward (+1)."""
        self.state.set_date(step(self.mode, self.state.date, direction))

    def go_today(self) -> None:
        if self.state.date == clock.today():
            self.reload()
        self.state.set_date(clock.today())

    def show_day(self, day: dt.date) -> None:
        """The day view of ``day`` (from the month overview)."""
        self.mode = DAY
        if day == self.state.date:
            self.reload()
        self.state.set_date(day)

    def _show_cell(self, cell: BookingCell | None) -> None:
        self.view.status_label.setText("" if cell is None else f"{cell.slip_no}　{cell.applicant_name}　{cell.start:%H:%M}–{cell.end:%H:%M}　{cell.purpose}")

    # --- bookings ------------------------------------------------------------------------------------

    def new_from_cursor(self) -> None:
        """Ctrl+N / the button: the marked cells, or a blank booking of the day in 区分で (never the cursor cell)."""
        if self.mode == MONTH or not self.view.grid.propose():
            self.new_booking(None)

    def new_booking(self, proposal: NewBooking | None) -> BookingDialog | None:
        """Open the dialog for a new booking (from a drag on the grid, or blank)."""
        if self.frame is None or self.choices is None:
            return None
        return self._open_dialog(BookingDialog(self.state, self.frame, self.choices, proposal=proposal, parent=self.view))

    def open_booking(self, booking_id: int) -> None:
        """Open an existing booking."""
        self.state.runner.submit(load_booking, self.state.ctx, booking_id, self.frame, self.choices, on_done=self._open_view,
                                 on_error=lambda error: show_error(self.view, error))

    def _open_view(self, loaded: tuple[BookingView, CalendarFrame, BookingChoices]) -> BookingDialog:
        view, frame, choices = loaded
        return self._open_dialog(BookingDialog(self.state, frame, choices, booking=view, parent=self.view))

    def _open_dialog(self, dialog: BookingDialog) -> BookingDialog:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.reopened.connect(self._reopened)
        dialog.finished.connect(lambda _result: self.view.grid.setFocus())
        dialog.open()
        click = self.view.grid.last_click
        left = QApplication.doubleClickInterval() - click[1].elapsed() if click is not None else 0
        if left > 0:  # opened by a click: its double-click's second click must not land on a field
            ClickGuard(dialog, click[0], left)
        return dialog

    def _reopened(self, view: BookingView) -> None:
        """The dialog loaded a booking another PC changed: say so (not as a change of this clerk's) and
        show the calendar as it is now."""
        text = (_("Cancelled on another PC: {booking}") if view.status == BookingStatus.CANCELLED
                else _("Changed on another PC; opened again: {booking}")).format(booking=edit_label(view))
        self.view.status_label.setText(text)
        self.reload()

    def _saved(self, view: BookingView | SeriesResult | SeriesChangeResult) -> None:
        if isinstance(view, SeriesChangeResult):  # the rest of a series changed: every date changed, and those left
            text = _("{count} bookings changed: {slips}").format(count=len(view.changed), slips=", ".join(
                f"{b.slip_no} {format_day(b.day)}" for b in view.changed))
            if view.skipped:
                text += " " + _("(left as they were: {days})").format(days=", ".join(format_day(d) for d in view.skipped))
            self.view.status_label.setText(text)
            self.view.status_label.setToolTip(text)
        elif isinstance(view, SeriesResult):  # a series: every booking made, and the dates left out
            text = _("{count} bookings saved: {slips}").format(count=len(view.bookings), slips=", ".join(
                f"{b.slip_no} {format_day(b.day)}" for b in view.bookings))
            if view.skipped:
                text += " " + _("(left out: {days})").format(days=", ".join(format_day(d) for d in view.skipped))
            self.view.status_label.setText(text)
            self.view.status_label.setToolTip(text)
        elif isinstance(view, list):  # the rest of a series cancelled: every booking cancelled
            text = _("{count} bookings cancelled: {slips}").format(count=len(view), slips=", ".join(
                f"{b.slip_no} {format_day(b.day)}" for b in view))
            self.view.status_label.setText(text)
            self.view.status_label.setToolTip(text)
        elif view.status == BookingStatus.CANCELLED:
            self.view.status_label.setText(_("Cancelled: {booking}").format(booking=edit_label(view)))
        else:
            self.view.status_label.setText(_("Saved: {booking}").format(booking=edit_label(view)))
        self.reload()
