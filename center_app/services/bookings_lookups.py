"""What the checks of a booking read (:mod:`center_app.services.bookings_checks`, which also
gives these names): the facts of a room, the locks of rooms and groups a write takes before it
checks, the conflicting booking, a group's slots in a month (the monthly cap), and the rows an
import has still to write (so its rows are checked against each other).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.models import ApplicantClass, Facility, FeeExemption, FeeTable, Room, TimeSlot
from center_app.domain import booking_rules as rules
from center_app.domain.booking_rules import Slot
from center_app.domain.booking_values import BLOCKING, BookingBrief
from center_app.domain.center_settings import MONTHLY_SLOT_CAP
from center_app.domain.closed_days import ClosedDayRules, DayStatus, day_status
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.normalize import normalize_phone
from center_app.services import center_settings
from center_app.services.editing import lock_rows
from center_app.services.facilities import closed_day_rules

DEFAULT_MONTHLY_CAP = MONTHLY_SLOT_CAP.default


# --- facts of a room ----------------------------------------------------------------------------


@dataclass
class RoomFacts:
    """A room with its facility's opening hours, slots, the room's fees and closed-day rules.

    The rules that depend on these facts alone (the times of slots, the units and the base fee
    of an interval, the status of a day) are worked out once per question and remembered for as
    long as the facts are kept: one transaction, which an import shares among all its rows."""

    room: Room
    facility: Facility
    slots: list[Slot]
    slot_fees: dict[str, int]
    closed: ClosedDayRules
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def slot_times(self, names: Sequence[str]) -> tuple[dt.time, dt.time, tuple[str, ...]]:
        """(start, end, the names in slot order) of booking the slots ``names``
        (:func:`booking_rules.slots_interval`, :func:`booking_rules.ordered_slot_names`). Raises
        ValidationError (field ``slot_names``) as ``slots_interval`` does."""
        key = ("slots", tuple(names))
        found = self._memo.get(key)
        if found is None:
            start, end = rules.slots_interval(names, self.slots, field="slot_names")
            found = self._memo[key] = (start, end, rules.ordered_slot_names(names, self.slots))
        return found

    def units(self, start: dt.time, end: dt.time) -> int:
        """Regular slots ``[start, end)`` overlaps (:func:`booking_rules.slot_units`)."""
        key = ("units", start, end)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = rules.slot_units(start, end, self.slots)
        return found

    def uncovered(self, start: dt.time, end: dt.time) -> list[tuple[dt.time, dt.time]]:
        """The parts of ``[start, end)`` outside every regular slot (:func:`booking_rules.uncovered_ranges`)."""
        key = ("uncovered", start, end)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = rules.uncovered_ranges(start, end, self.slots)
        return list(found)

    def base_fee(self, slot_names: tuple[str, ...], start: dt.time, end: dt.time) -> int:
        """The room's fee in yen for the slots ``slot_names`` (or, when empty, the times ``[start,
        end)``) before the class multiplier and 減免 (:func:`booking_rules.base_fee`)."""
        key = ("fee", slot_names, start, end)
        found = self._memo.get(key)
        if found is None:
            rate = self._memo.get("outside_rate")
            if rate is None:
                rate = self._memo["outside_rate"] = rules.outside_slot_rate(self.slots, self.slot_fees)
            found = self._memo[key] = rules.base_fee(
                slot_names=slot_names, start=start, end=end, slots=self.slots, slot_fees=self.slot_fees,
                hourly_fee=self.room.fee_per_hour_yen, outside_rate=rate,
            )
        return found

    def day_status(self, day: dt.date) -> DayStatus:
        """Whether the facility is open on ``day`` (:func:`closed_days.day_status`)."""
        key = ("day", day)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = day_status(day, self.closed)
        return found


def room_facts(session: Session, room_id: int | None, cache: dict[int, RoomFacts] | None = None) -> RoomFacts | None:
    """The facts of ``room_id``, or None if the room does not exist or is not active."""
    if room_id is None:
        return None
    if cache is not None and room_id in cache:
        return cache[room_id]
    room = session.get(Room, room_id)
    if room is None or not room.active:
        return None
    facility = session.get(Facility, room.facility_id)
    slot_rows = session.scalars(
        select(TimeSlot).where(TimeSlot.facility_id == room.facility_id, TimeSlot.active.is_(True)).order_by(TimeSlot.sort_order, TimeSlot.id)
    ).all()
    fees = dict(
        session.execute(
            select(TimeSlot.name, FeeTable.fee_yen).join(TimeSlot, TimeSlot.id == FeeTable.time_slot_id).where(FeeTable.room_id == room.id)
        ).all()
    )
    facts = RoomFacts(
        room, facility, [Slot(s.name, s.start_time, s.end_time, s.is_all_day) for s in slot_rows], fees,
        closed_day_rules(session, room.facility_id),
    )
    if cache is not None:
        cache[room_id] = facts
    return facts


def monthly_cap(session: Session) -> int:
    """設定 ``monthly_slot_cap_per_group`` (slots per group and month; 0 = no cap). An invalid
    stored value gives the default (logged)."""
    return center_settings.get(session, MONTHLY_SLOT_CAP)


def lock_rooms(session: Session, room_ids: Iterable[int | None]) -> None:
    """Take the rooms' row locks (PostgreSQL ``FOR UPDATE``, in id order so two PCs never
    deadlock): the conflict check and the capacity read what no other PC changes meanwhile. On
    SQLite the write transaction already holds the database's write lock."""
    lock_rows(session, Room, room_ids)


def lock_groups(session: Session, group_ids: Iterable[int | None]) -> None:
    """Take the groups' row locks (after the rooms', in id order): the monthly cap counts a
    group's bookings in every room, and a group's status decides whether it may book, so two PCs
    booking for one group — in different rooms — or withdrawing it take turns
    (:mod:`center_app.services.editing`)."""
    lock_rows(session, Group, group_ids)


# --- the rows an import has still to write ----------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """A booking planned in the same transaction but not written yet (a series occurrence or an
    import row): checked for overlap and counted for the cap like a stored one."""

    room_id: int
    start: dt.datetime
    end: dt.datetime
    group_id: int | None
    units: int
    label: str


class PendingIndex:
    """The bookings planned so far in one transaction (the rows of an import), indexed so that
    checking one more costs O(log n) instead of a comparison with every earlier one: intervals
    per (room, day), sorted by start, and slots per (group, month). Planned intervals never
    overlap each other (each was checked against the earlier ones), so the one overlapping a new
    interval is among the neighbours of its start. Iterating gives them in the order added."""

    def __init__(self) -> None:
        self._added: list[Pending] = []
        self._by_room_day: dict[tuple[int, dt.date], list[tuple[dt.datetime, int]]] = {}
        self._units: dict[tuple[int | None, int, int], int] = {}

    def add(self, planned: Pending) -> None:
        """Plan one more booking."""
        bisect.insort(self._by_room_day.setdefault((planned.room_id, planned.start.date()), []), (planned.start, len(self._added)))
        self._added.append(planned)
        key = (planned.group_id, planned.start.year, planned.start.month)
        self._units[key] = self._units.get(key, 0) + planned.units

    def overlapping(self, room_id: int, start: dt.datetime, end: dt.datetime) -> Pending | None:
        """The first planned booking (in the order added) of ``room_id`` overlapping ``[start, end)``."""
        day = self._by_room_day.get((room_id, start.date()))
        if not day:
            return None
        found = []
        for index in range(max(bisect.bisect_left(day, (start,)) - 1, 0), bisect.bisect_left(day, (end,))):
            planned = self._added[day[index][1]]
            if rules.overlaps(planned.start, planned.end, start, end):
                found.append(day[index][1])
        return self._added[min(found)] if found else None

    def units(self, group_id: int, year: int, month: int) -> int:
        """Slots planned for ``group_id`` in the month."""
        return self._units.get((group_id, year, month), 0)

    def __iter__(self) -> Iterator[Pending]:
        return iter(self._added)

    def __len__(self) -> int:
        return len(self._added)


def _pending_units(pending: Iterable[Pending], group_id: int, day: dt.date) -> int:
    if isinstance(pending, PendingIndex):
        return pending.units(group_id, day.year, day.month)
    return sum(p.units for p in pending if p.group_id == group_id and (p.start.year, p.start.month) == (day.year, day.month))


def _pending_overlap(pending: Iterable[Pending], room_id: int, start: dt.datetime, end: dt.datetime) -> Pending | None:
    if isinstance(pending, PendingIndex):
        return pending.overlapping(room_id, start, end)
    return next((p for p in pending if p.room_id == room_id and rules.overlaps(p.start, p.end, start, end)), None)


class BatchLookups:
    """What the rows of one import share, read once inside its transaction (after the rooms are
    locked) instead of once a row: the applicant classes, the fee exemptions, and the stored
    bookings that block (not cancelled) of the rooms on the days the rows ask for, indexed per
    (room, day); and, as the rows ask, the groups they book for and the phone numbers they give.
    :func:`check_booking` uses it for the conflict check and the lookups."""

    def __init__(self, session: Session, room_days: Iterable[tuple[int, dt.date]]):
        self.classes = {c.code: c for c in session.scalars(select(ApplicantClass))}
        self.active_classes = {code: c for code, c in self.classes.items() if c.active}
        self.exemptions = {e.code: e for e in session.scalars(select(FeeExemption).where(FeeExemption.active.is_(True)))}
        self._groups: dict[int, Group | None] = {}
        self._phones: dict[tuple[str, str], tuple[str, tuple[FieldProblem, ...]]] = {}
        self._stored: dict[tuple[int, dt.date], list[tuple[dt.datetime, int, dt.datetime]]] = {}
        wanted = sorted(set(room_days), key=lambda rd: (rd[1], rd[0]))
        rooms = sorted({room for room, _day in wanted})
        for first, last in _day_runs(sorted({day for _room, day in wanted})):  # one query per run of consecutive days
            rows = session.execute(
                select(Booking.start_at, Booking.id, Booking.end_at, Booking.room_id).where(
                    Booking.room_id.in_(rooms), Booking.start_at >= dt.datetime.combine(first, dt.time(0)) - rules.MAX_BOOKING_LENGTH,
                    Booking.start_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)), Booking.status.in_(BLOCKING),
                )
            )
            for start, booking_id, end, room_id in rows:
                self._stored.setdefault((room_id, start.date()), []).append((start, booking_id, end))
        for day in self._stored.values():
            day.sort()

    def group(self, session: Session, group_id: int) -> Group | None:
        """``session.get(Group, group_id)``, asked once per group of the file."""
        if group_id in self._groups:
            return self._groups[group_id]
        found = self._groups[group_id] = session.get(Group, group_id)
        return found

    def phone(self, text: str, field: str) -> tuple[str, tuple[FieldProblem, ...]]:
        """(:func:`normalize.normalize_phone` of ``text``, or "", and the problems it raised,
        naming ``field``), worked out once per phone number written in the file (a regular
        applicant's number comes back on many rows)."""
        key = (text, field)
        found = self._phones.get(key)
        if found is None:
            try:
                found = (normalize_phone(text, field=field), ())
            except ValidationError as exc:
                found = ("", tuple(exc.problems))
            self._phones[key] = found
        return found

    def conflict(self, session: Session, room_id: int, start: dt.datetime, end: dt.datetime, exclude_id: int | None = None) -> Booking | None:
        """What :func:`find_conflict` answers, from the bookings read once: the earliest stored
        booking of ``room_id`` overlapping ``[start, end)``."""
        for day in (start.date() - dt.timedelta(days=1), start.date()):
            for stored_start, booking_id, stored_end in self._stored.get((room_id, day), ()):
                if stored_start >= end:
                    break
                if stored_end > start and booking_id != exclude_id:
                    return session.get(Booking, booking_id)
        return None


def _day_runs(days: list[dt.date]) -> Iterator[tuple[dt.date, dt.date]]:
    """(first, last) of each run of consecutive days in the sorted ``days``."""
    first = last = None
    for day in days:
        if last is not None and day - last <= dt.timedelta(days=1):
            last = day
            continue
        if first is not None:
            yield first, last
        first = last = day
    if first is not None:
        yield first, last


def brief(session: Session, booking: Booking) -> BookingBrief:
    """The short description of a stored booking (for conflict messages)."""
    room = session.get(Room, booking.room_id)
    return BookingBrief(booking.id, booking.slip_no or "", room.name if room else "", booking.applicant_name, booking.start_at, booking.end_at, booking.status)


#: The conflict query, built once (bound parameters only): the check runs inside every write.
_CONFLICT_QUERY = (
    select(Booking.id)
    .where(
        Booking.room_id == bindparam("room_id"),
        Booking.start_at > bindparam("earliest"),
        Booking.start_at < bindparam("end"),
        Booking.end_at > bindparam("start"),
        Booking.status.in_(BLOCKING),
        Booking.id != bindparam("exclude_id"),
    )
    .order_by(Booking.start_at)
    .limit(1)
)


def find_conflict(session: Session, room_id: int, start: dt.datetime, end: dt.datetime, exclude_id: int | None = None) -> Booking | None:
    """The earliest booking of ``room_id`` (not cancelled) overlapping ``[start, end)``.

    Reads only the index range ``(room_id, start_at)`` from one day before ``start``: no booking
    is longer than :data:`booking_rules.MAX_BOOKING_LENGTH`. Selects the id alone first, so the
    usual case (no conflict) loads no ORM object."""
    found = session.execute(
        _CONFLICT_QUERY,
        {"room_id": room_id, "earliest": start - rules.MAX_BOOKING_LENGTH, "end": end, "start": start,
         "exclude_id": -1 if exclude_id is None else exclude_id},
    ).scalar()
    return session.get(Booking, found) if found is not None else None


def units_in_month(session: Session, group_id: int, day: dt.date, exclude_id: int | None = None) -> int:
    """Slots the group has booked (not cancelled) in ``day``'s month."""
    first, last = rules.month_range(day)
    query = select(func.coalesce(func.sum(Booking.slot_units), 0)).where(
        Booking.group_id == group_id,
        Booking.start_at >= dt.datetime.combine(first, dt.time(0)),
        Booking.start_at < dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0)),
        Booking.status.in_(BLOCKING),
    )
    if exclude_id is not None:
        query = query.where(Booking.id != exclude_id)
    return int(session.scalar(query) or 0)
