"""抽選 of rooms, what is read: the lottery months and each facility's entry window, the
entries, the counts the reports show, and what the entry form offers. The entries and the
draw are in :mod:`center_app.services.lottery`, which also gives these names; the rules (the
window, the draw) are in its docstring.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.lottery import WITHDRAWN, WON, LotteryDraw, LotteryEntry
from center_app.db.models import Facility, Room, TimeSlot
from center_app.domain import clock
from center_app.domain.center_settings import (
    LOTTERY_ENTRIES_PER_GROUP,
    LOTTERY_ENTRY_FIRST_DAY,
    LOTTERY_ENTRY_LAST_DAY,
    LOTTERY_MONTHS_AHEAD,
)
from center_app.domain.errors import ValidationError
from center_app.i18n import _
from center_app.services import center_settings
from center_app.services.context import ServiceContext

ROOMS = "rooms"
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


@dataclass(frozen=True)
class LotteryWindow:
    """The lottery open on ``today``: the ``month`` (``YYYY-MM``) entries are for, its first and
    last day of entries, whether it has been drawn, and whether entries are taken today."""

    month: str
    first_entry_day: dt.date
    last_entry_day: dt.date
    per_group: int
    today: dt.date
    drawn: bool = False

    @property
    def in_window(self) -> bool:
        """``today`` is one of the days of entries."""
        return self.first_entry_day <= self.today <= self.last_entry_day

    @property
    def is_open(self) -> bool:
        """Entries are taken today: a day of entries, and the month not drawn yet (a drawn month
        takes no more entries, see :func:`enter_lottery`)."""
        return self.in_window and not self.drawn


@dataclass(frozen=True)
class EntryView:
    """One entry: number, facility, month, group (name, registration number), room, day, slot,
    status (entered, won, lost, withdrawn), the 仮予約's slip number when won, and its version."""

    id: int
    facility_id: int
    month: str
    group_id: int
    group_name: str
    registration_no: str
    room_id: int
    room_name: str
    day: dt.date
    slot_name: str
    people: int
    status: str
    slip_no: str
    version: int


def parse_month(text: str) -> tuple[int, int]:
    """(year, month) of ``YYYY-MM`` (full-width digits read); ValidationError otherwise."""
    match = _MONTH.fullmatch(unicodedata.normalize("NFKC", text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(match.group(1)) <= 2200:
        raise ValidationError(_("Enter the month as YYYY-MM, for example 2026-08."), field_name="month")
    return int(match.group(1)), int(match.group(2))


def month_key(year: int, month: int) -> str:
    """``YYYY-MM``."""
    return f"{year:04d}-{month:02d}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def window_rules(session, facility: Facility) -> dict[str, int]:
    """The lottery rules of ``facility``: its own values (設定 → 施設) where set, the center-wide
    values of 設定 → ロッカー・来館者・抽選 otherwise. Keys: ``months_ahead``, ``first_day``,
    ``last_day`` (day numbers of the month; never before ``first_day``), ``per_group``."""
    specs = (LOTTERY_MONTHS_AHEAD, LOTTERY_ENTRY_FIRST_DAY, LOTTERY_ENTRY_LAST_DAY, LOTTERY_ENTRIES_PER_GROUP)
    center = center_settings.get_many(session, specs)
    rules = {}
    for name, spec in zip(("months_ahead", "first_day", "last_day", "per_group"), specs, strict=True):
        own = getattr(facility, spec.key)
        rules[name] = own if own is not None else center[spec.key]
    rules["last_day"] = max(rules["last_day"], rules["first_day"])  # a stored pair saved before the refusal
    return rules


def window_for(session, today: dt.date, facility: Facility) -> LotteryWindow:
    """The lottery window of ``facility`` on ``today`` (:func:`window_rules`)."""
    rules = window_rules(session, facility)
    year, month = _add_months(today.year, today.month, rules["months_ahead"])
    month_text = month_key(year, month)
    return LotteryWindow(month_text, today.replace(day=rules["first_day"]), today.replace(day=rules["last_day"]),
                         rules["per_group"], today, drawn=_drawn(session, facility, month_text) is not None)


def current_window(ctx: ServiceContext, facility: int | str | None = None) -> LotteryWindow:
    """The lottery window of today at ``facility`` (id or code; None: the main facility)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return window_for(session, clock.today(), _facility_or_main(session, facility))


def _entry_window(session, month: str, facility: Facility) -> tuple[dt.date, dt.date]:
    """The first and last day of entries for ``facility``'s lottery ``month``."""
    rules = window_rules(session, facility)
    year, number = _add_months(*parse_month(month), -rules["months_ahead"])
    return dt.date(year, number, rules["first_day"]), dt.date(year, number, rules["last_day"])


def _facility_or_main(session, facility: int | str | None) -> Facility:
    if facility is not None:
        return _facility(session, facility)
    return session.scalars(select(Facility).order_by(Facility.sort_order, Facility.id)).first()


def _facility(session, facility: int | str) -> Facility:
    if isinstance(facility, int):
        row = session.get(Facility, facility)
    else:
        row = session.scalars(select(Facility).where(func.lower(Facility.code) == str(facility).strip().lower())).first()
    if row is None:
        raise ValidationError(_("There is no facility with the code {code}.").format(code=facility), field_name="facility")
    return row


def _slot(session, facility_id: int, name: str) -> TimeSlot:
    wanted = unicodedata.normalize("NFKC", name or "").strip()
    slots = session.scalars(select(TimeSlot).where(TimeSlot.facility_id == facility_id, TimeSlot.is_all_day.is_(False))
                            .order_by(TimeSlot.sort_order)).all()
    for slot in slots:
        if unicodedata.normalize("NFKC", slot.name) == wanted:
            return slot
    raise ValidationError(_("「{slot}」 is not a time slot of this facility; choose one of {choices}.").format(
        slot=(name or "").strip(), choices="、".join(s.name for s in slots)), field_name="slot")


def _drawn(session, facility: Facility, month: str) -> LotteryDraw | None:
    return session.scalars(select(LotteryDraw).where(LotteryDraw.kind == ROOMS, LotteryDraw.scope == facility.code,
                                                     LotteryDraw.period == month)).first()


def _entry_view(session, entry: LotteryEntry) -> EntryView:
    group = session.get(Group, entry.group_id)
    room = session.get(Room, entry.room_id)
    booking = session.get(Booking, entry.booking_id) if entry.booking_id else None
    return EntryView(entry.id, entry.facility_id, entry.month, entry.group_id, group.name, group.registration_no or "", entry.room_id,
                     room.name, entry.day, entry.slot_name, entry.people, entry.status, booking.slip_no if booking else "", entry.version)


def list_entries(ctx: ServiceContext, facility: int | str, month: str) -> list[EntryView]:
    """The entries of ``facility`` (id or code) for ``month``, by day, slot, room and number."""
    ctx.require_signed_in()
    parse_month(month)
    with ctx.db.read() as session:
        row = _facility(session, facility)
        entries = session.scalars(select(LotteryEntry).where(LotteryEntry.facility_id == row.id, LotteryEntry.month == month)
                                  .order_by(LotteryEntry.day, LotteryEntry.slot_name, LotteryEntry.room_id, LotteryEntry.id)).all()
        return [_entry_view(session, e) for e in entries]


@functools.cache
def _lottery_counts_statement(filtered: bool):
    """Built once per shape and bound at each call (a report runs it every time it is made)."""
    query = (select(LotteryEntry.month, LotteryEntry.status, func.count())
             .where(LotteryEntry.entered_at >= bindparam("since"), LotteryEntry.entered_at < bindparam("until"), LotteryEntry.status != WITHDRAWN)
             .group_by(LotteryEntry.month, LotteryEntry.status))
    return query.where(LotteryEntry.facility_id.in_(bindparam("facility_ids", expanding=True))) if filtered else query


def lottery_counts(session, first: dt.date, last: dt.date, facility_ids: Sequence[int] | None = None) -> dict[str, tuple[int, int]]:
    """Entries (not withdrawn) made from ``first`` to ``last`` and how many of them won, per
    lottery month (the reports: the lottery held in the period)."""
    params: dict = {"since": dt.datetime.combine(first, dt.time()), "until": dt.datetime.combine(last + dt.timedelta(days=1), dt.time())}
    if facility_ids is not None:
        params["facility_ids"] = list(facility_ids)
    result: dict[str, tuple[int, int]] = {}
    for month, status, count in session.execute(_lottery_counts_statement(facility_ids is not None), params):
        entries, winners = result.get(month, (0, 0))
        result[month] = (entries + count, winners + (count if status == WON else 0))
    return dict(sorted(result.items()))


def room_id_for(ctx: ServiceContext, code: str, facility: int | str | None = None) -> int:
    """The id of the room with ``code`` (in ``facility`` when given). ValidationError naming it."""
    ctx.require_signed_in()
    wanted = unicodedata.normalize("NFKC", code or "").strip().lower()
    with ctx.db.read() as session:
        query = select(Room).where(func.lower(Room.code) == wanted)
        if facility is not None:
            query = query.where(Room.facility_id == _facility(session, facility).id)
        room = session.scalars(query.order_by(Room.id)).first()
    if room is None:
        raise ValidationError(_("There is no room with the code {code}.").format(code=(code or "").strip()), field_name="room")
    return room.id


@dataclass(frozen=True)
class EntryChoices:
    """What the entry form offers at a facility: its rooms (id, name), its time slots and today's window."""

    rooms: tuple[tuple[int, str], ...]
    slots: tuple[str, ...]
    window: LotteryWindow


def entry_choices(ctx: ServiceContext, facility_id: int | None) -> EntryChoices:
    """The rooms and time slots of ``facility_id`` (None: the main facility) and today's lottery window."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        row = _facility_or_main(session, facility_id)
        rooms = session.scalars(select(Room).where(Room.facility_id == row.id, Room.active.is_(True)).order_by(Room.sort_order, Room.id)).all()
        slots = session.scalars(select(TimeSlot).where(TimeSlot.facility_id == row.id, TimeSlot.is_all_day.is_(False)).order_by(TimeSlot.sort_order)).all()
        return EntryChoices(tuple((r.id, r.name) for r in rooms), tuple(s.name for s in slots), window_for(session, clock.today(), row))
