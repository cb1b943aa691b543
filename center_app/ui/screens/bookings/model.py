"""The layout of the booking calendar, free of widgets so it can be tested on its own.

A calendar is rooms (rows) × columns; a column is a ``[start, end)`` period of one day: 30-minute
steps of the day view, or the named slots (午前 / 午後 / 夜間) of each day of the week view. A
booking occupies every column of its room it overlaps. A selection is a run of free columns of
one row and one day: what a drag or Shift+arrows marks for a new booking.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from center_app.domain.booking_rules import Slot, overlaps
from center_app.domain.booking_values import BookingCell, RoomInfo
from center_app.domain.closed_days import DayStatus
from center_app.i18n import N_, _

DAY, WEEK, MONTH = "day", "week", "month"
#: Short weekday names, Monday first (月 火 … in Japanese).
WEEKDAY_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday_short(day: dt.date) -> str:
    """The translated short weekday name of ``day``."""
    return _(WEEKDAY_SHORT[day.weekday()])


#: Minutes per column of the day view.
STEP_MINUTES = 30


@dataclass(frozen=True)
class Column:
    """One column: ``[start, end)`` of ``day``; ``slot`` names the slot in the week view."""

    day: dt.date
    start: dt.time
    end: dt.time
    slot: str = ""

    @property
    def start_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.start)

    @property
    def end_at(self) -> dt.datetime:
        return dt.datetime.combine(self.day, self.end)


@dataclass(frozen=True)
class Selection:
    """Free columns ``first`` … ``last`` of ``row``, all on one day."""

    row: int
    first: int
    last: int


@dataclass(frozen=True)
class NewBooking:
    """What a selection proposes for the booking dialog: room, day, and slots or times."""

    room_id: int
    day: dt.date
    start: dt.time
    end: dt.time
    slot_names: tuple[str, ...] = ()


def range_of(mode: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day shown: the day, its week (Monday–Sunday), or its month's 6-week grid."""
    if mode == DAY:
        return day, day
    if mode == WEEK:
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    first = day.replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    return start, start + dt.timedelta(days=41)


def step(mode: str, day: dt.date, direction: int) -> dt.date:
    """The date one page earlier (-1) or later (+1): a day, a week or a month."""
    if mode == DAY:
        return day + dt.timedelta(days=direction)
    if mode == WEEK:
        return day + dt.timedelta(days=7 * direction)
    month = day.month - 1 + direction
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def day_columns(day: dt.date, opening: dt.time, closing: dt.time, minutes: int = STEP_MINUTES) -> list[Column]:
    """Columns of ``minutes`` from opening to closing (the last may be shorter)."""
    columns = []
    current = dt.datetime.combine(day, opening)
    end = dt.datetime.combine(day, closing)
    while current < end:
        following = min(current + dt.timedelta(minutes=minutes), end)
        columns.append(Column(day, current.time(), following.time()))
        current = following
    return columns


def week_columns(first: dt.date, slots: tuple[Slot, ...] | list[Slot], opening: dt.time, closing: dt.time) -> list[Column]:
    """Each day's regular slots (or its whole opening hours when the facility has no slots)."""
    regular = [s for s in slots if not s.is_all_day]
    columns = []
    for offset in range(7):
        day = first + dt.timedelta(days=offset)
        if regular:
            columns += [Column(day, s.start, s.end, s.name) for s in regular]
        else:
            columns.append(Column(day, opening, closing))
    return columns


@dataclass
class Grid:
    """Rooms × columns with the bookings placed; ``statuses`` tells open/closed per day."""

    rooms: list[RoomInfo]
    columns: list[Column]
    bookings: list[BookingCell] = field(default_factory=list)
    statuses: dict[dt.date, DayStatus] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._row_of = {room.id: index for index, room in enumerate(self.rooms)}
        self.cells: dict[tuple[int, int], BookingCell] = {}
        self.spans: list[tuple[BookingCell, int, int, int]] = []  # booking, row, first column, last column
        self.stacks: dict[tuple[int, int], list[BookingCell]] = {}
        self.lanes: dict[int, tuple[int, int]] = {}
        by_day: dict[dt.date, list[int]] = {}
        for index, column in enumerate(self.columns):
            by_day.setdefault(column.day, []).append(index)
        for booking in self.bookings:
            row = self._row_of.get(booking.room_id)
            if row is None:
                continue
            covered = [
                i for i in by_day.get(booking.start.date(), [])
                if overlaps(booking.start, booking.end, self.columns[i].start_at, self.columns[i].end_at)
            ]
            for i in covered:
                self.cells.setdefault((row, i), booking)
                self.stacks.setdefault((row, i), []).append(booking)
            if covered:
                self.spans.append((booking, row, covered[0], covered[-1]))
        self._assign_lanes()

    def _assign_lanes(self) -> None:
        """Bookings sharing a cell (e.g. 18:00–20:00 and 20:00–22:00 in one 夜間 slot) get lanes
        one above the other: ``lanes[booking id] = (lane, lane count)``."""
        ordered = sorted(self.spans, key=lambda span: (span[1], span[2], span[3], span[0].start))
        cluster: list[tuple[int, int]] = []  # (booking id, lane)
        cluster_row, cluster_last = -1, -1
        lane_ends: list[int] = []

        def close() -> None:
            for booking_id, lane in cluster:
                self.lanes[booking_id] = (lane, max(len(lane_ends), 1))

        for booking, row, first, last in ordered:
            if row != cluster_row or first > cluster_last:
                close()
                cluster, lane_ends, cluster_row, cluster_last = [], [], row, last
            lane = next((i for i, end in enumerate(lane_ends) if end < first), len(lane_ends))
            if lane == len(lane_ends):
                lane_ends.append(last)
            else:
                lane_ends[lane] = last
            cluster.append((booking.id, lane))
            cluster_last = max(cluster_last, last)
        close()

    def bookings_at(self, row: int, column: int) -> list[BookingCell]:
        """Every booking occupying the cell (several when they share a slot)."""
        return self.stacks.get((row, column), [])

    def lane_of(self, booking_id: int) -> tuple[int, int]:
        """(lane, lane count) of a booking: where it sits inside its cells."""
        return self.lanes.get(booking_id, (0, 1))

    def booking_at(self, row: int, column: int) -> BookingCell | None:
        """The booking occupying the cell, if any."""
        return self.cells.get((row, column))

    def is_free(self, row: int, column: int) -> bool:
        return (row, column) not in self.cells

    def is_closed(self, column: int) -> bool:
        status = self.statuses.get(self.columns[column].day)
        return status is not None and not status.is_open

    def extend(self, anchor: Selection, column: int) -> Selection:
        """The selection from ``anchor.first`` towards ``column`` on the same row and day,
        stopping before the first occupied cell or another day."""
        row, origin = anchor.row, anchor.first
        day = self.columns[origin].day
        direction = 1 if column >= origin else -1
        last = origin
        current = origin
        while current != column:
            current += direction
            if not 0 <= current < len(self.columns) or self.columns[current].day != day or not self.is_free(row, current):
                break
            last = current
        return Selection(row, min(origin, last), max(origin, last))

    def proposal(self, selection: Selection) -> NewBooking:
        """The new booking a selection proposes: slot names in the week view, times otherwise."""
        first, last = self.columns[selection.first], self.columns[selection.last]
        slots = tuple(c.slot for c in self.columns[selection.first:selection.last + 1] if c.slot)
        return NewBooking(self.rooms[selection.row].id, first.day, first.start, last.end, slots)

    def position_of(self, booking_id: int) -> tuple[int, int] | None:
        """(row, first column) of a booking shown in the grid."""
        for booking, row, first, _last in self.spans:
            if booking.id == booking_id:
                return row, first
        return None
