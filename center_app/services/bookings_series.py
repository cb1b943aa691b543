"""繰り返し予約: a booking repeated by an RFC 5545 recurrence rule (python-dateutil's rrule).

The clerk first sees a preview, date by date: 可 (bookable, with its fee), 休館日 (closed, with the
reason), 重複 (taken, naming the other booking) or another rule (horizon, cap, past). Saving books
every date at once, in one write transaction that checks them all again; it is refused unless
every date that cannot be booked is listed in ``skip`` — the clerk skips them explicitly, and the
series stores them as its exception dates (EXDATE). A rule whose occurrences would overlap each
other is refused. Closed days cannot be opened for a series (book that date on its own).

A series (or its dates from one day on) is cancelled, or changed and moved, in one action with
one reason (:func:`cancel_series`, :func:`change_series`): every date goes through the booking
checks again, a refused date is reported with its reason, and nothing is written unless every
refused date is skipped explicitly (it then stays as it was).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from sqlalchemy import select

from center_app.db.bookings import Booking, BookingSeries
from center_app.domain import booking_rules as rules
from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingBrief, BookingInput, BookingStatus, BookingView
from center_app.domain.errors import ClosedDayError, ConflictError, RuleCode, RuleError, ValidationError
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit
from center_app.services.bookings import apply_checked, cancellation_reason, insert_booking, snapshot, view
from center_app.services.bookings_guard import flush_booking
from center_app.services.editing import lock_for_edit
from center_app.services.bookings_checks import MAX_TEXT, CheckOptions, Pending, RoomFacts, check_booking, lock_groups, lock_rooms, room_facts
from center_app.services.bookings_guard import database_refusals
from center_app.services.context import CurrentUser, ServiceContext

#: Most occurrences one series may have (two years of weekly meetings).
MAX_OCCURRENCES = 120

OK = "ok"
CLOSED = "closed"
CONFLICT = "conflict"
RULE = "rule"
SKIPPED = "skipped"


@dataclass(frozen=True)
class SeriesInput:
    """A template booking (its ``day`` is the first date) and an RFC 5545 rule such as
    ``FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330`` or ``FREQ=MONTHLY;BYDAY=2SA;COUNT=12``; the rule
    must end (COUNT or UNTIL)."""

    template: BookingInput
    rule: str


@dataclass(frozen=True)
class Occurrence:
    """One date of a series: ``status`` ok / closed / conflict / rule / skipped, the reason, the
    other booking of a conflict, and the fee when bookable."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime
    status: str
    message: str = ""
    other: BookingBrief | None = None
    fee: int | None = None


@dataclass(frozen=True)
class SeriesPreview:
    """Every occurrence in date order."""

    occurrences: tuple[Occurrence, ...]

    @property
    def blocked(self) -> tuple[Occurrence, ...]:
        """The dates that cannot be booked (to be skipped explicitly)."""
        return tuple(o for o in self.occurrences if o.status not in (OK, SKIPPED))


@dataclass(frozen=True)
class SeriesResult:
    """A saved series: its id, the bookings made and the dates skipped."""

    series_id: int
    bookings: tuple[BookingView, ...]
    skipped: tuple[dt.date, ...]


def weekly_rule(weekday: int, *, until: dt.date | None = None, count: int | None = None, interval: int = 1) -> str:
    """RRULE text for every ``interval`` weeks on ``weekday`` (Monday = 0) until a date or for a count."""
    day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
    return _with_end(f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={day}", until, count)


def monthly_nth_weekday_rule(nth: int, weekday: int, *, until: dt.date | None = None, count: int | None = None) -> str:
    """RRULE text for the ``nth`` (1–4, or -1 = last) ``weekday`` of every month (第2土曜日)."""
    day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
    return _with_end(f"FREQ=MONTHLY;BYDAY={nth}{day}", until, count)


def _with_end(text: str, until: dt.date | None, count: int | None) -> str:
    if until is not None:
        return f"{text};UNTIL={until:%Y%m%d}T235959"
    if count is not None:
        return f"{text};COUNT={count}"
    return text


def expand(rule: str, first: dt.date, start: dt.time, end: dt.time) -> list[tuple[dt.datetime, dt.datetime]]:
    """The occurrences ``[start, end)`` of ``rule`` from ``first`` at ``start``.

    Raises ValidationError (field ``rule``) for a rule that cannot be read, does not end, or has
    more than :data:`MAX_OCCURRENCES` dates; RuleError (``series_overlap``) when two occurrences
    overlap each other."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "COUNT=" not in text.upper() and "UNTIL=" not in text.upper():
        raise ValidationError(_("The series needs an end: a last date or a number of times."), field_name="rule")
    try:
        parsed = rrulestr(text, dtstart=dt.datetime.combine(first, start), ignoretz=True)
    except (ValueError, TypeError) as exc:
        raise ValidationError(_("The repetition rule cannot be read ({reason}).").format(reason=exc), field_name="rule") from None
    starts = []
    for occurrence in parsed:
        starts.append(occurrence)
        if len(starts) > MAX_OCCURRENCES:
            raise ValidationError(_("A series has at most {count} dates.").format(count=MAX_OCCURRENCES), field_name="rule")
    if not starts:
        raise ValidationError(_("The rule gives no date."), field_name="rule")
    length = dt.datetime.combine(first, end) - dt.datetime.combine(first, start)
    intervals = [(s, s + length) for s in starts]
    clash = rules.first_overlap(intervals)
    if clash is not None:
        a, b = intervals[clash[0]][0], intervals[clash[1]][0]
        raise RuleError(
            _("The dates of this series overlap each other ({first} and {second}).").format(first=f"{a:%Y-%m-%d %H:%M}", second=f"{b:%Y-%m-%d %H:%M}"),
            RuleCode.SERIES_OVERLAP, (a, b),
        )
    return intervals


def _template_times(session, template: BookingInput, cache: dict[int, RoomFacts]) -> tuple[dt.time, dt.time]:
    """Start and end time of the template (from its slots or free times)."""
    facts = room_facts(session, template.room_id, cache)
    if facts is None:
        raise ValidationError(_("Choose a room."), field_name="room_id")
    if template.slot_names:
        return rules.slots_interval(template.slot_names, facts.slots, field="slot_names")
    if template.start_time is None or template.end_time is None or template.end_time <= template.start_time:
        problems = rules.check_times(template.start_time, template.end_time, facts.facility.opening_time, facts.facility.closing_time)
        raise ValidationError(problems or _("Enter the start and end times."))
    return template.start_time, template.end_time


def _plan(session, user: CurrentUser | None, series: SeriesInput, skip: set[dt.date]) -> list[tuple[Occurrence, BookingInput, object]]:
    template = dataclasses.replace(series.template, closed_override_reason="")
    if template.day is None:
        raise ValidationError(_("Enter the first date of the series."), field_name="day")
    cache: dict[int, RoomFacts] = {}
    start, end = _template_times(session, template, cache)
    planned: list[tuple[Occurrence, BookingInput, object]] = []
    pending: list[Pending] = []
    for occ_start, occ_end in expand(series.rule, template.day, start, end):
        day = occ_start.date()
        if occ_start.time() == start:
            data = dataclasses.replace(template, day=day)
        else:  # a rule finer than daily: the occurrence has its own times
            data = dataclasses.replace(template, day=day, slot_names=(), start_time=occ_start.time(), end_time=occ_end.time())
        if day in skip:
            planned.append((Occurrence(day, occ_start, occ_end, SKIPPED, _("Skipped")), data, None))
            continue
        checked = check_booking(session, user, data, CheckOptions(pending=tuple(pending)), cache=cache)
        if checked.problems:
            raise ValidationError(checked.problems)
        if checked.refusals:
            error = checked.refusals[0].error
            status = CLOSED if isinstance(error, ClosedDayError) else CONFLICT if isinstance(error, ConflictError) else RULE
            other = error.other if isinstance(error, ConflictError) and isinstance(error.other, BookingBrief) else None
            planned.append((Occurrence(day, occ_start, occ_end, status, str(error), other), data, None))
            continue
        fee = checked.fee.fee if checked.fee else None
        planned.append((Occurrence(day, occ_start, occ_end, OK, "", None, fee), data, checked))
        pending.append(Pending(checked.facts.room.id, checked.start, checked.end, checked.group.id if checked.group else None, checked.units,
                               _("the same series on {date}").format(date=f"{day:%Y-%m-%d}")))
    return planned


def preview_series(ctx: ServiceContext, series: SeriesInput, skip: Iterable[dt.date] = ()) -> SeriesPreview:
    """The series date by date (nothing written). Raises ValidationError for a bad template or
    rule, RuleError when its dates overlap each other."""
    user = ctx.require_signed_in()
    with ctx.db.read() as session:
        return SeriesPreview(tuple(o for o, _data, _checked in _plan(session, user, series, set(skip))))


def save_series(ctx: ServiceContext, series: SeriesInput, skip: Iterable[dt.date] = ()) -> SeriesResult:
    """Book every date of the series except ``skip``, all or nothing.

    Raises RuleError (``series_unresolved``, value = the blocked occurrences) naming each date
    that cannot be booked and is not in ``skip``; the errors of :func:`preview_series`."""
    user = ctx.require_signed_in()
    skipped = set(skip)
    with database_refusals(ctx), ctx.db.write() as session:
        lock_rooms(session, [series.template.room_id])
        lock_groups(session, [series.template.group_id])
        planned = _plan(session, user, series, skipped)
        blocked = [o for o, _d, _c in planned if o.status not in (OK, SKIPPED)]
        if blocked:
            raise RuleError(
                _("These dates cannot be booked. Skip them or change the series: {dates}").format(
                    dates=_date_list(blocked)),
                RuleCode.SERIES_UNRESOLVED, tuple(blocked),
            )
        to_book = [(o, d, c) for o, d, c in planned if o.status == OK]
        if not to_book:
            raise RuleError(_("No date of the series is left to book."), RuleCode.SERIES_EMPTY)
        first = to_book[0]
        start, end = first[0].start.time(), first[0].end.time()
        template = series.template
        row = BookingSeries(
            room_id=template.room_id, rule=series.rule.strip(), first_date=template.day, start_time=start, end_time=end,
            slot_names=list(first[2].slot_names), exdates=sorted(d.isoformat() for d in skipped),
            group_id=template.group_id, applicant_name=first[2].applicant_name, purpose=first[2].purpose,
            created_by=user.display_name,
        )
        session.add(row)
        session.flush()
        audit.record(session, user, "booking_series", row.id, "create", None,
                     {"rule": row.rule, "room_id": row.room_id, "first_date": row.first_date, "exdates": row.exdates})
        made = [insert_booking(session, checked, data, user, series_id=row.id, note=f"series {row.id}") for _o, data, checked in to_book]
        return SeriesResult(row.id, tuple(view(session, b) for b in made), tuple(sorted(skipped)))


def cancel_series(ctx: ServiceContext, series_id: int, reason: str, *, from_day: dt.date | None = None,
                  reason_code: str = "") -> list[BookingView]:
    """Cancel (取消) every open booking of a series on or after ``from_day`` (all of them when
    None) in one transaction, with one reason, each audited as its own cancellation. The reason
    is recorded on every booking as :func:`~center_app.services.bookings.cancel_booking` records
    it for one: the text typed and, optionally, the configured 取消理由 ``reason_code`` whose 還付率
    decides the refund of each booking (the text may be left empty when a code is chosen: its name
    is recorded). Returns the cancelled bookings in date order. Raises ValidationError without a
    reason or for an unknown code, and RuleError when no booking of the series is left to cancel;
    nothing is written then."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        reason, code = cancellation_reason(session, reason, reason_code)
        query = select(Booking).where(Booking.series_id == series_id, Booking.status.in_(list(OPEN)))
        if from_day is not None:
            query = query.where(Booking.start_at >= dt.datetime.combine(from_day, dt.time()))
        found = list(session.scalars(query.order_by(Booking.start_at)))
        if not found:
            raise RuleError(_("No booking of this series is left to cancel."), RuleCode.STATUS, "")
        stamp = clock.now()
        for booking in found:
            before = snapshot(booking)
            booking.status, booking.cancel_reason, booking.cancelled_at = BookingStatus.CANCELLED, reason, stamp
            booking.cancel_reason_code = code
            booking.updated_at, booking.updated_by = stamp, user.display_name
            audit.record(session, user, "booking", booking.id, "cancel", *audit.changes(before, snapshot(booking)), note=reason)
        return [view(session, b) for b in found]


@dataclass(frozen=True)
class SeriesChange:
    """What changes on every date of a series; None (0 for ``shift_days``) keeps what each
    booking has. ``shift_days`` moves every date by that many days (7: one week later, -1: the
    day before); the times are ``slot_names`` (区分) or ``start_time``–``end_time`` (local time);
    ``expected_people`` in people."""

    room_id: int | None = None
    shift_days: int = 0
    slot_names: tuple[str, ...] | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    expected_people: int | None = None
    purpose: str | None = None

    def applied(self, current: BookingInput) -> BookingInput:
        """``current`` (one booking's values) with this change."""
        values: dict = {"day": current.day + dt.timedelta(days=self.shift_days)}
        if self.room_id is not None:
            values["room_id"] = self.room_id
        if self.slot_names is not None:
            values.update(slot_names=tuple(self.slot_names), start_time=None, end_time=None)
        elif self.start_time is not None or self.end_time is not None:
            values.update(slot_names=(), start_time=self.start_time or current.start_time, end_time=self.end_time or current.end_time)
        if self.expected_people is not None:
            values["expected_people"] = self.expected_people
        if self.purpose is not None:
            values["purpose"] = self.purpose
        return dataclasses.replace(current, **values)


@dataclass(frozen=True)
class SeriesChangeResult:
    """A changed series: the bookings changed (in date order) and the dates of those left as
    they were (skipped)."""

    changed: tuple[BookingView, ...]
    skipped: tuple[dt.date, ...]


def change_series(ctx: ServiceContext, series_id: int, change: SeriesChange, reason: str, *, from_day: dt.date | None = None,
                  versions: Mapping[int, int] | None = None, skip: Iterable[dt.date] = ()) -> SeriesChangeResult:
    """Change or move every open booking of a series on or after ``from_day`` (all when None) in
    one transaction, with one reason (required, in each booking's audit entry).

    Each date is checked like a change of that booking (conflict with other bookings, closed day,
    horizon, monthly cap, capacity), the dates of the series counted at their new places, not
    their old ones. ``skip``: dates (as they are now) left unchanged. ``versions``: booking id →
    the version the clerk saw; a booking changed since is refused with StaleEditError (each row is
    locked first). Raises ValidationError (no reason, a bad value), RuleError
    ``series_unresolved`` (value: the refused dates as :class:`Occurrence`, each with its
    reason) naming every refused date that is not skipped, RuleError ``status`` when no booking is
    left to change; nothing is written then."""
    user = ctx.require_signed_in()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Enter the reason for the change."), field_name="change_reason")
    if len(reason) > MAX_TEXT:
        raise ValidationError(_("At most {count} characters.").format(count=MAX_TEXT), field_name="change_reason")
    skipped = set(skip)
    versions = dict(versions or {})
    with database_refusals(ctx), ctx.db.write() as session:
        query = select(Booking.id).where(Booking.series_id == series_id, Booking.status.in_(list(OPEN)))
        if from_day is not None:
            query = query.where(Booking.start_at >= dt.datetime.combine(from_day, dt.time()))
        ids = list(session.scalars(query.order_by(Booking.start_at)))
        found = [lock_for_edit(session, Booking, booking_id, entity="booking", expected_version=versions.get(booking_id),
                               missing=_("There is no booking number {id}; it may have been removed. Reload the calendar.").format(id=booking_id))
                 for booking_id in ids]
        to_change = [b for b in found if b.start_at.date() not in skipped]
        if not to_change:
            raise RuleError(_("No booking of this series is left to change."), RuleCode.STATUS, "")
        plans = [(b, change.applied(view(session, b).to_input())) for b in to_change]
        lock_rooms(session, sorted({b.room_id for b in to_change} | {data.room_id for _b, data in plans if data.room_id}))
        lock_groups(session, sorted({b.group_id for b in to_change if b.group_id}))
        before = {b.id: (snapshot(b), b.status, b.start_at.date()) for b in to_change}
        for booking in to_change:  # out of the way while checking: the series' own dates only count at their new places
            booking.status = BookingStatus.CANCELLED
        session.flush()
        pending: list[Pending] = []
        checked_plans, blocked = [], []
        for booking, data in plans:
            old_day = before[booking.id][2]
            same_day = data.day == old_day
            options = CheckOptions(exclude_id=booking.id, past=not same_day, horizon=not same_day, closed=not same_day, pending=tuple(pending))
            checked = check_booking(session, user, data, options)
            if checked.problems:
                raise ValidationError(checked.problems)
            if checked.refusals:
                error = checked.refusals[0].error
                status = CLOSED if isinstance(error, ClosedDayError) else CONFLICT if isinstance(error, ConflictError) else RULE
                other = error.other if isinstance(error, ConflictError) and isinstance(error.other, BookingBrief) else None
                blocked.append(Occurrence(old_day, booking.start_at, booking.end_at, status, str(error), other))
                continue
            checked_plans.append((booking, data, checked))
            pending.append(Pending(checked.facts.room.id, checked.start, checked.end, checked.group.id if checked.group else None, checked.units,
                                   _("the same series on {date}").format(date=format_day(data.day))))
        if blocked:
            raise RuleError(
                _("These dates cannot be changed. Skip them or change the values: {dates}").format(
                    dates=_date_list(blocked)),
                RuleCode.SERIES_UNRESOLVED, tuple(blocked),
            )
        for booking, data, checked in checked_plans:
            booking.status = before[booking.id][1]
            apply_checked(booking, checked, data, user)
            flush_booking(session, booking)
            old, new = audit.changes(before[booking.id][0], snapshot(booking))
            audit.record(session, user, "booking", booking.id, "update", old, new, note=reason)
        return SeriesChangeResult(tuple(view(session, b) for b, _d, _c in checked_plans),
                                  tuple(sorted(b.start_at.date() for b in found if b not in to_change)))


def _date_list(blocked) -> str:
    """The refused dates of a series, one line each in the one date style: 「・令和9年1月5日（火）：…」."""
    return "".join(f"\n・{format_day(o.day)}：{o.message}" for o in blocked)
