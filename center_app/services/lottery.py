"""抽選 (opening-day lottery for rooms): entries by group, a recorded and reproducible draw,
winners booked as 仮予約 through the booking checks, losers listed with the free alternatives.

The window (設定 → ロッカー・来館者・抽選; defaults of 横浜 山内地区センター): entries for the month
``lottery_months_ahead`` after the current one (2), from day ``lottery_entry_first_day`` (1) to
``lottery_entry_last_day`` (10) of the current month; each group makes at most
``lottery_entries_per_group`` entries (2) per facility and month, and wins at most as many. A
facility may set any of the four for itself (設定 → 施設; empty: the center-wide value), as 仙台
and 横浜 run their windows differently; each facility's month is drawn on its own.

The draw (:func:`draw_lottery`) runs after the window closed: the entries become tickets in
canonical order, ``random.Random(seed)`` shuffles them (:mod:`center_app.domain.lottery`), and in
that order each ticket wins its slot when the slot is still free and the group is under its cap.
Slots already booked before the draw lose for everyone. Each ticket that would win is checked
with :func:`check_booking` (the same refusals as at the counter, counting the winners drawn
before it): an entry that cannot be booked (its group over the monthly cap, a day closed since
the entries, …) loses with that reason and its slot passes to the next entry for it in the draw
order (繰り上げ, as municipal lottery systems do with their 補欠); when none can take it, each of
them loses with its reason.
Winners are booked as 仮予約 with :func:`center_app.services.bookings.insert_booking` and must
be confirmed within the 仮予約 limit of 設定 → 使用料と収納 (仙台市: 8 days). The seed, the tickets
(with the refusals, on the tickets refused), the slots taken and the outcomes are recorded
(``lottery_draws``) and audited: :func:`verify_draw` runs the draw again from the record. A dry
run draws the same way without writing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.lottery import ENTERED, LOST, WITHDRAWN, WON, LotteryDraw, LotteryEntry
from center_app.db.models import Facility, Room, TimeSlot
from center_app.domain import clock
from center_app.domain.booking_values import BookingInput, BookingStatus
from center_app.domain.center_settings import PROVISIONAL_LIMIT_DAYS
from center_app.domain.closed_days import day_status
from center_app.domain.errors import CenterError, RuleCode, RuleError, ValidationError
from center_app.domain.lottery import LOST_REFUSED, LotteryResult, Outcome, ResultLine, Ticket, check_seed, draw, ticket_from_record, ticket_record
from center_app.domain.money import provisional_limit
from center_app.domain.roles import Role
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit, center_settings
from center_app.services.bookings import insert_booking
from center_app.services.bookings_checks import CheckOptions, Checked, Pending, PendingIndex, _people, check_booking, find_conflict, lock_groups, lock_rooms
from center_app.services.bookings_guard import database_refusals
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit, lock_name, lock_rows
from center_app.services.facilities import closed_day_rules
from center_app.services.lottery_queries import (  # noqa: F401 - the public names stay importable from here
    EntryChoices,
    EntryView,
    LotteryWindow,
    ROOMS,
    _drawn,
    _entry_view,
    _entry_window,
    _facility,
    _slot,
    current_window,
    entry_choices,
    list_entries,
    lottery_counts,
    month_key,
    parse_month,
    room_id_for,
    window_for,
    window_rules,
)

#: Free alternatives listed for each losing entry.
ALTERNATIVES = 3


# --- entries ---------------------------------------------------------------------------------------


def enter_lottery(ctx: ServiceContext, group_id: int, room_id: int, day: dt.date, slot_name: str, people: int | str) -> EntryView:
    """Enter ``group_id`` in the lottery for ``room_id`` on ``day`` in ``slot_name`` for ``people``
    (the expected number, as on a booking: 1 to the room's capacity).

    Refused (nothing written): outside the entry window of 設定 or for a day outside the lottery
    month (RuleError naming the window), a room of another facility or inactive, an unknown time
    slot, a group that is not registered, the same wish twice, the group's entries for the
    facility and month at the cap (RuleError ``lottery_cap``), a month already drawn. The group's
    row is locked first, so two PCs entering for one group take turns."""
    user = ctx.require(Role.COUNTER, Role.ADMIN)
    with ctx.db.write() as session:
        lock_rows(session, Group, [group_id])
        group = session.get(Group, group_id)
        if group is None or not group.registration_no or group.status not in ("registered",):
            raise ValidationError(_("Only registered groups enter the lottery; this group is not registered now."), field_name="group")
        room = session.get(Room, room_id)
        if room is None or not room.active:
            raise ValidationError(_("Choose a room."), field_name="room")
        facility = session.get(Facility, room.facility_id)
        slot = _slot(session, facility.id, slot_name)
        count = _people(people)
        if count is None or count < 1:
            raise ValidationError(_("Enter the number of people (1 or more)."), field_name="people")
        if room.capacity and count > room.capacity:
            raise RuleError(_("{room} holds {capacity} people.").format(room=room.name, capacity=room.capacity), RuleCode.CAPACITY, room.capacity)
        today = clock.today()
        window = window_for(session, today, facility)
        if not window.in_window:  # a drawn month in its window gets its own message below
            raise RuleError(_("Lottery entries are taken from {first} to {last}; today ({today}) is outside the window.").format(
                first=format_day(window.first_entry_day, weekday=False), last=format_day(window.last_entry_day, weekday=False), today=format_day(today, weekday=False)),
                RuleCode.LOTTERY_WINDOW, window.last_entry_day)
        if month_key(day.year, day.month) != window.month:
            raise ValidationError(_("This lottery is for {month}: choose a day of that month.").format(month=_month_label(window.month)), field_name="day")
        if _drawn(session, facility, window.month) is not None:
            raise ValidationError(_("The lottery of {month} at {facility} has been drawn; no more entries.").format(
                month=_month_label(window.month), facility=facility.name), field_name="day")
        live = select(LotteryEntry).where(LotteryEntry.facility_id == facility.id, LotteryEntry.month == window.month,
                                          LotteryEntry.group_id == group.id, LotteryEntry.status != WITHDRAWN)
        existing = session.scalars(live).all()
        if any(e.room_id == room.id and e.day == day and e.slot_name == slot.name for e in existing):
            raise ValidationError(_("{group} has already entered for {room} on {date} ({slot}).").format(
                group=group.name, room=room.name, date=format_day(day), slot=slot.name), field_name="slot")
        if len(existing) >= window.per_group:
            raise RuleError(_("{group} has made {count} entries for {facility} in {month}; a group may make {cap}.").format(
                group=group.name, count=len(existing), facility=facility.name, month=_month_label(window.month), cap=window.per_group),
                RuleCode.LOTTERY_CAP, window.per_group)
        entry = LotteryEntry(facility_id=facility.id, month=window.month, group_id=group.id, room_id=room.id, day=day, slot_name=slot.name, people=count,
                             status=ENTERED, entered_at=clock.now(), entered_by=user.display_name)
        session.add(entry)
        session.flush()
        audit.record(session, user, "lottery_entry", entry.id, "create", None,
                     {"group": group.registration_no, "room": room.code, "day": day, "slot": slot.name, "month": window.month})
        return _entry_view(session, entry)


def _month_label(month: str) -> str:
    year, number = parse_month(month)
    return _("{year}/{month}").format(year=year, month=number)


def withdraw_entry(ctx: ServiceContext, entry_id: int) -> EntryView:
    """Withdraw an entry not drawn yet (audited). ValidationError when it is drawn or gone."""
    user = ctx.require(Role.COUNTER, Role.ADMIN)
    with ctx.db.write() as session:
        entry = lock_for_edit(session, LotteryEntry, entry_id, entity="lottery_entry",
                              missing=_("There is no lottery entry number {id}.").format(id=entry_id))
        if entry.status != ENTERED:
            raise ValidationError(_("Entry {id} has been drawn or withdrawn already.").format(id=entry_id))
        entry.status = WITHDRAWN
        session.flush()
        audit.record(session, user, "lottery_entry", entry.id, "withdraw", {"status": ENTERED}, {"status": WITHDRAWN})
        return _entry_view(session, entry)


# --- the draw ---------------------------------------------------------------------------------------


def _tickets(session, entries: Sequence[LotteryEntry]) -> list[Ticket]:
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_({e.room_id for e in entries})))}
    groups = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_({e.group_id for e in entries})))}
    starts = {}
    for e in entries:
        key = (rooms[e.room_id].facility_id, e.slot_name)
        if key not in starts:
            starts[key] = _slot(session, key[0], e.slot_name).start_time.strftime("%H:%M")
    tickets = []
    for e in entries:
        room, group = rooms[e.room_id], groups[e.group_id]
        prize = f"{room.code} {e.day.isoformat()} {e.slot_name}"
        registration = group.registration_no or f"G{group.id}"
        tickets.append(Ticket(e.id, registration, prize, (e.day.isoformat(), starts[(room.facility_id, e.slot_name)], room.code, registration, f"{e.id:09d}")))
    return tickets


def _interval(slot: TimeSlot, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(day, slot.start_time), dt.datetime.combine(day, slot.end_time)


def draw_lottery(ctx: ServiceContext, facility: int | str, month: str, seed: int, *, dry_run: bool = False) -> LotteryResult:
    """Draw the lottery of ``facility`` (id or code) for ``month`` (``YYYY-MM``) with ``seed``
    (0 … 2**63 − 1) and, unless ``dry_run``, book the winners as 仮予約, mark every entry won or
    lost and record the draw (seed, tickets, slots taken, outcomes; audited ``lottery``/``draw``).

    The same entries and seed always give the same winners (the module's rule); an entry the
    booking checks refuse loses with their message and its slot passes to the next entry for it
    in the draw order. Refused (nothing written): a month drawn already (a dry run then shows the
    recorded result), entries still open, no entries. Counter staff and administrators."""
    user = ctx.require(Role.COUNTER, Role.ADMIN)
    parse_month(month)
    try:
        check_seed(seed)
    except ValueError:
        raise ValidationError(_("The seed is a whole number from 0 to 9223372036854775807."), field_name="seed") from None
    with database_refusals(ctx), ctx.db.write() as session:
        return draw_in_session(session, user, _facility(session, facility), month, seed, dry_run=dry_run)


def draw_in_session(session, user, row: Facility, month: str, seed: int, *, dry_run: bool = False, after_window: bool = True) -> LotteryResult:
    """:func:`draw_lottery` in the caller's write transaction (``user`` may be None: the demo
    data). ``after_window`` False skips the check that the entry window has closed (tests of a
    month drawn early)."""
    lock_name(session, f"lottery:{row.code}:{month}")
    recorded = _drawn(session, row, month)
    if recorded is not None:
        if dry_run:
            return _recorded_result(session, row, recorded)
        raise ValidationError(_("The lottery of {month} at {facility} was drawn on {date} (seed {seed}); it is drawn once.").format(
            month=_month_label(month), facility=row.name, date=format_day(recorded.drawn_at.date(), weekday=False), seed=recorded.seed), field_name="month")
    _first, last = _entry_window(session, month, row)
    today = clock.today()
    if after_window and today <= last:
        raise ValidationError(_("Entries for {month} are taken until {last}; draw from the day after.").format(
            month=_month_label(month), last=format_day(last)), field_name="month")
    entries = session.scalars(select(LotteryEntry).where(LotteryEntry.facility_id == row.id, LotteryEntry.month == month,
                                                          LotteryEntry.status == ENTERED).order_by(LotteryEntry.id)).all()
    if not entries:
        raise ValidationError(_("There are no entries for {month} at {facility}.").format(month=_month_label(month), facility=row.name),
                              field_name="month")
    lock_rooms(session, [e.room_id for e in entries])
    lock_groups(session, [e.group_id for e in entries])
    tickets = _tickets(session, entries)
    by_id = {e.id: e for e in entries}
    taken = set()
    for ticket in tickets:
        e = by_id[ticket.number]
        start, end = _interval(_slot(session, row.id, e.slot_name), e.day)
        if find_conflict(session, e.room_id, start, end) is not None:
            taken.add(ticket.prize)
    cap = window_rules(session, row)["per_group"]
    checks: dict[int, tuple[BookingInput, Checked]] = {}
    planned = PendingIndex()  # the winners so far, counted by the checks of the ones after them

    def refusal(ticket: Ticket) -> str | None:
        """Why the entry of ``ticket`` cannot be booked now (the counter's checks, counting the
        winners before it), or None — then it wins and counts for the ones after it."""
        e = by_id[ticket.number]
        data = BookingInput(room_id=e.room_id, day=e.day, slot_names=(e.slot_name,), group_id=e.group_id, expected_people=e.people,
                            status=BookingStatus.PROVISIONAL, purpose=_("Lottery {month}").format(month=month),
                            note=_("Won lottery entry {id}").format(id=e.id))
        checked = check_booking(session, user, data, CheckOptions(pending=planned))
        try:
            checked.raise_first()
        except CenterError as exc:
            return str(exc)
        checks[e.id] = (data, checked)
        planned.add(Pending(e.room_id, checked.start, checked.end, e.group_id, checked.units, _("lottery entry {id}").format(id=e.id)))
        return None

    outcomes = draw(tickets, seed, cap, taken=taken, refusal=refusal)
    refused = {o.ticket.number: o.detail for o in outcomes if o.reason == LOST_REFUSED}
    limit_days = center_settings.get(session, PROVISIONAL_LIMIT_DAYS)
    booked: dict[int, Booking] = {}
    if not dry_run:
        for outcome in outcomes:
            e = by_id[outcome.ticket.number]
            if not outcome.won:
                e.status = LOST
                continue
            data, checked = checks[e.id]
            booking = insert_booking(session, checked, data, user, note=_("lottery {facility} {month}, seed {seed}").format(
                facility=row.code, month=month, seed=seed))
            e.status, e.booking_id = WON, booking.id
            booked[e.id] = booking
        record = LotteryDraw(kind=ROOMS, scope=row.code, period=month, seed=seed, cap=cap, tickets=[_ticket_record(t, refused) for t in tickets],
                             taken=sorted(taken), outcomes=[_outcome_record(o) for o in outcomes], drawn_at=clock.now(), drawn_by=user.display_name if user else "")
        session.add(record)
        session.flush()
        audit.record(session, user, "lottery", record.id, "draw", None, {
            "facility": row.code, "month": month, "seed": seed, "entries": len(tickets), "winners": sum(o.won for o in outcomes),
            "refused": len(refused)})
    return _result(session, row, month, seed, cap, outcomes, booked, limit_days, recorded=not dry_run,
                   drawn_at=clock.now() if not dry_run else None, drawn_by=user.display_name if user and not dry_run else "")


def _ticket_record(ticket: Ticket, refused: dict[int, str]) -> dict:
    """A ticket as recorded with the draw; one that won but could not be booked carries why
    (``refused``), which :func:`_replay` gives the draw again."""
    record = ticket_record(ticket)
    if ticket.number in refused:
        record["refused"] = refused[ticket.number]
    return record


def _outcome_record(outcome: Outcome) -> dict:
    record = {"number": outcome.ticket.number, "rank": outcome.rank, "won": outcome.won, "reason": outcome.reason}
    if outcome.detail:
        record["detail"] = outcome.detail
    return record


def _alternatives(session, facility: Facility, day: dt.date, won: set[tuple[int, dt.date, str]]) -> tuple[str, ...]:
    if not day_status(day, closed_day_rules(session, facility.id)).is_open:
        return ()  # a closed day has nothing free
    rooms = session.scalars(select(Room).where(Room.facility_id == facility.id, Room.active.is_(True)).order_by(Room.sort_order, Room.id)).all()
    slots = session.scalars(select(TimeSlot).where(TimeSlot.facility_id == facility.id, TimeSlot.is_all_day.is_(False))
                            .order_by(TimeSlot.sort_order)).all()
    free = []
    for slot in slots:
        for room in rooms:
            if (room.id, day, slot.name) in won:
                continue
            start, end = _interval(slot, day)
            if find_conflict(session, room.id, start, end) is None:
                free.append(f"{room.name} {slot.name}")
                if len(free) == ALTERNATIVES:
                    return tuple(free)
    return tuple(free)


def _result(session, facility: Facility, month: str, seed: int, cap: int, outcomes: Sequence[Outcome], booked: dict[int, Booking],
            limit_days: int, *, recorded: bool, drawn_at: dt.datetime | None, drawn_by: str) -> LotteryResult:
    entries = {e.id: e for e in session.scalars(select(LotteryEntry).where(LotteryEntry.id.in_([o.ticket.number for o in outcomes])))}
    groups = {g.id: g for g in session.scalars(select(Group).where(Group.id.in_({e.group_id for e in entries.values()})))}
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.facility_id == facility.id))}
    won = {(entries[o.ticket.number].room_id, entries[o.ticket.number].day, entries[o.ticket.number].slot_name) for o in outcomes if o.won}
    lines = []
    for o in outcomes:
        e = entries[o.ticket.number]
        group, room = groups[e.group_id], rooms[e.room_id]
        booking = booked.get(e.id) or (session.get(Booking, e.booking_id) if e.booking_id else None)
        lines.append(ResultLine(
            entry_no=e.id, rank=o.rank, group_name=group.name, registration_no=group.registration_no or "", room_name=room.name, day=e.day,
            slot_name=e.slot_name, won=o.won, slip_no=booking.slip_no if booking is not None and o.won else "",
            confirm_by=provisional_limit(booking.created_at.date() if booking is not None else clock.today(), limit_days) if o.won else None,
            reason="" if o.won else _(o.reason).format(reason=o.detail), alternatives=() if o.won else _alternatives(session, facility, e.day, won),
        ))
    return LotteryResult(facility.name, facility.code, month, seed, cap, tuple(lines), recorded, drawn_at, drawn_by)


def _recorded_result(session, facility: Facility, record: LotteryDraw) -> LotteryResult:
    outcomes = _replay(record)
    limit_days = center_settings.get(session, PROVISIONAL_LIMIT_DAYS)
    return _result(session, facility, record.period, record.seed, record.cap, outcomes, {}, limit_days, recorded=True,
                   drawn_at=record.drawn_at, drawn_by=record.drawn_by)


def _replay(record: LotteryDraw) -> list[Outcome]:
    tickets = [ticket_from_record(item) for item in record.tickets]
    refused = {int(item["number"]): str(item["refused"]) for item in record.tickets if item.get("refused")}
    return draw(tickets, record.seed, record.cap, taken=frozenset(record.taken), refusal=lambda t: refused.get(t.number))


def recorded_draw(ctx: ServiceContext, facility: int | str, month: str) -> LotteryResult:
    """The recorded result of ``facility``'s lottery for ``month``. ValidationError when not drawn."""
    ctx.require_signed_in()
    parse_month(month)
    with ctx.db.read() as session:
        row = _facility(session, facility)
        record = _drawn(session, row, month)
        if record is None:
            raise ValidationError(_("The lottery of {month} at {facility} has not been drawn.").format(month=_month_label(month), facility=row.name),
                                  field_name="month")
        return _recorded_result(session, row, record)


def verify_draw(ctx: ServiceContext, facility: int | str, month: str) -> bool:
    """Run the recorded draw of ``facility`` for ``month`` again from its record (the seed, the
    tickets, the slots taken, the cap) and say whether it gives the recorded outcomes."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        row = _facility(session, facility)
        record = _drawn(session, row, month)
        if record is None:
            raise ValidationError(_("The lottery of {month} at {facility} has not been drawn.").format(month=_month_label(month), facility=row.name),
                                  field_name="month")
        return [_outcome_record(o) for o in _replay(record)] == [dict(item) for item in record.outcomes]
