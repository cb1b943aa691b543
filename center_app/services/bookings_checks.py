"""The checks of a booking (施設予約の確認): room facts, conflicts, closed days, horizon, monthly
cap, capacity, applicant and fee — everything :func:`check_booking` decides before a booking is
written. Used by :mod:`center_app.services.bookings`, the series and the ledger import. "Today"
comes from :mod:`center_app.domain.clock`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.models import ApplicantClass, FeeExemption
from center_app.domain import booking_rules as rules
from center_app.domain import clock
from center_app.domain.booking_values import OPEN, REGISTERED_CLASS, BookingBrief, BookingInput, Refusal
from center_app.domain.center_settings import EXEMPTION_ROUNDING, MULTIPLIER_ROUNDING, REFUSE_TIMES, TIME_OUTSIDE_SLOTS
from center_app.domain.documents import BOOKING_LANGUAGES
from center_app.domain.errors import ClosedDayError, ConflictError, FieldProblem, PermissionDenied, RuleCode, RuleError, ValidationError
from center_app.domain.normalize import check_date_range, clean_text, normalize_kana, normalize_phone, normalize_text
from center_app.domain.roles import Role
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import center_settings
from center_app.services.bookings_lookups import (  # noqa: F401 - the public names stay importable from here
    BatchLookups,
    DEFAULT_MONTHLY_CAP,
    Pending,
    PendingIndex,
    RoomFacts,
    _pending_overlap,
    _pending_units,
    brief,
    find_conflict,
    lock_groups,
    lock_rooms,
    monthly_cap,
    room_facts,
    units_in_month,
)
from center_app.services.context import CurrentUser
from center_app.services.group_values import REGISTERED, effective_status

MAX_TEXT = 500

#: :func:`booking_rules.compute_fee`, remembered: a fee depends on its five inputs only, and an
#: import asks for the same few combinations thousands of times (a Fee is frozen, so shared).
_compute_fee = functools.lru_cache(maxsize=4096)(rules.compute_fee)


@dataclass(frozen=True)
class CheckOptions:
    """Which rules apply. The form checks everything; an import skips the horizon for past dates
    and lets past dates through; an unchanged interval skips the date rules. ``pending``: the
    bookings planned earlier in the same transaction (a tuple, or a :class:`PendingIndex` for
    many). ``kept``: the group, room, start and end of the booking being changed — a group
    whose registration is not valid now (休止, 期限切れ) keeps that booking and may change its
    other details; only a change of those four needs a valid registration."""

    past: bool = True
    horizon: bool = True
    cap: bool = True
    registration: bool = True
    closed: bool = True
    require_phone: bool = True
    exclude_id: int | None = None
    pending: tuple[Pending, ...] | PendingIndex = ()
    kept: tuple[int | None, int, dt.datetime, dt.datetime] | None = None


@dataclass
class Checked:
    """Result of :func:`check_booking`: problems of the input, refusals by the rules, and the
    clean values to store."""

    problems: list[FieldProblem] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: RoomFacts | None = None
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    slot_names: tuple[str, ...] = ()
    units: int = 0
    fee: rules.Fee | None = None
    class_code: str = ""
    group: Group | None = None
    applicant_name: str = ""
    applicant_kana: str = ""
    applicant_phone: str = ""
    exemption: FeeExemption | None = None
    people: int = 0
    purpose: str = ""
    note: str = ""
    override_reason: str = ""
    conflict: BookingBrief | None = None
    closed_reason: str = ""

    def raise_first(self) -> None:
        """Raise ValidationError with every problem, else the first refusal's error."""
        if self.problems:
            raise ValidationError(self.problems)
        if self.refusals:
            raise self.refusals[0].error


def _people(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    text = normalize_text(str(value)).removesuffix("人").removesuffix("名").strip()
    return int(text) if text.isdigit() else None


def _applicant(session: Session, data: BookingInput, checked: Checked, require_phone: bool = True, batch: BatchLookups | None = None) -> None:
    problems = checked.problems
    if data.group_id is not None:
        group = batch.group(session, data.group_id) if batch is not None else session.get(Group, data.group_id)
        if group is None:
            problems.append(FieldProblem("group_id", _("This group no longer exists. Search again.")))
            return
        checked.group = group
        checked.class_code = REGISTERED_CLASS
        checked.applicant_name, checked.applicant_kana, checked.applicant_phone = group.name, group.name_kana, group.phone or group.mobile
        return
    name = clean_text(data.applicant_name)
    if not name:
        problems.append(FieldProblem("applicant_name", _("Choose a registered group or enter the applicant's name.")))
    checked.applicant_name = name
    try:
        checked.applicant_kana = normalize_kana(data.applicant_kana, field="applicant_kana")
    except ValidationError as exc:
        problems.extend(exc.problems)
    if batch is not None:
        checked.applicant_phone, phone_problems = batch.phone(data.applicant_phone, "applicant_phone")
        problems.extend(phone_problems)
    else:
        try:
            checked.applicant_phone = normalize_phone(data.applicant_phone, field="applicant_phone")
        except ValidationError as exc:
            problems.extend(exc.problems)
    if require_phone and name and not checked.applicant_phone and not any(p.field == "applicant_phone" for p in problems):
        problems.append(FieldProblem("applicant_phone", _("Enter a phone number of the applicant.")))
    code = (data.applicant_class or "").strip()
    known = batch.active_classes if batch is not None else {
        c.code: c for c in session.scalars(select(ApplicantClass).where(ApplicantClass.active.is_(True)))
    }
    if not code:
        problems.append(FieldProblem("applicant_class", _("Choose the applicant class.")))
    elif code == REGISTERED_CLASS:
        problems.append(FieldProblem("applicant_class", _("The registered-group class needs a registered group: search for the group.")))
    elif code not in known:
        problems.append(FieldProblem("applicant_class", _("Unknown applicant class: {code}.").format(code=code)))
    checked.class_code = code


def check_booking(session: Session, user: CurrentUser | None, data: BookingInput, options: CheckOptions = CheckOptions(),
                  *, cache: dict[int, RoomFacts] | None = None, batch: BatchLookups | None = None) -> Checked:
    """Check ``data`` against every rule, reading inside ``session`` (call it inside the write
    transaction that saves the booking, after :func:`lock_rooms`). Never raises for bad input:
    the result lists the problems and refusals (see :meth:`Checked.raise_first`). ``batch``: the
    lookups an import reads once for all its rows."""
    checked = Checked()
    problems = checked.problems
    facts = room_facts(session, data.room_id, cache)
    checked.facts = facts
    if facts is None:
        problems.append(FieldProblem("room_id", _("Choose a room.") if data.room_id is None else _("This room no longer exists or is not in use.")))
    day_ok = data.day is not None
    if data.day is None:
        problems.append(FieldProblem("day", _("Enter the date of use.")))
    else:
        try:
            check_date_range(data.day, field="day")  # 9999/12/31 from a date picker or a date cell
        except ValidationError as exc:
            problems.extend(exc.problems)
            day_ok = False
    start_time = end_time = None
    if facts is not None:
        opening, closing = facts.facility.opening_time, facts.facility.closing_time
        if data.slot_names:
            try:
                start_time, end_time, checked.slot_names = facts.slot_times(data.slot_names)
                if start_time < opening or end_time > closing:
                    problems.append(FieldProblem("slot_names", _("Outside opening hours ({opening}–{closing}).").format(opening=f"{opening:%H:%M}", closing=f"{closing:%H:%M}")))
            except ValidationError as exc:
                problems.extend(exc.problems)
        else:
            time_problems = rules.check_times(data.start_time, data.end_time, opening, closing)
            problems.extend(time_problems)
            if not time_problems:
                start_time, end_time = data.start_time, data.end_time
    people = _people(data.expected_people)
    if people is None or people < 1:
        problems.append(FieldProblem("expected_people", _("Enter the number of people (1 or more).")))
    checked.people = people or 0
    _applicant(session, data, checked, options.require_phone, batch)
    if data.language not in BOOKING_LANGUAGES:
        problems.append(FieldProblem("language", _("Unknown language: {code}.").format(code=data.language)))
    if data.exemption_code:
        exemption = batch.exemptions.get(data.exemption_code) if batch is not None else session.scalar(
            select(FeeExemption).where(FeeExemption.code == data.exemption_code, FeeExemption.active.is_(True))
        )
        if exemption is None:
            problems.append(FieldProblem("exemption_code", _("Unknown fee exemption: {code}.").format(code=data.exemption_code)))
        checked.exemption = exemption
    if data.status not in OPEN:
        problems.append(FieldProblem("status", _("A booking is saved as provisional or confirmed.")))
    checked.purpose = (data.purpose or "").strip()
    checked.note = (data.note or "").strip()
    checked.override_reason = (data.closed_override_reason or "").strip()
    for name, value in (("purpose", checked.purpose), ("note", checked.note), ("closed_override_reason", checked.override_reason)):
        if len(value) > MAX_TEXT:
            problems.append(FieldProblem(name, _("At most {count} characters.").format(count=MAX_TEXT)))
    if facts is None or not day_ok or start_time is None or end_time is None:
        return checked  # where or when is unknown: no rule can be applied yet
    # The rules below run even when other fields have problems, so the dialog shows a conflict
    # or a closed day while the clerk is still choosing the applicant.
    day, room = data.day, facts.room
    checked.start, checked.end = dt.datetime.combine(day, start_time), dt.datetime.combine(day, end_time)
    checked.units = facts.units(start_time, end_time)
    time_field = "slot_names" if checked.slot_names else "start_time"
    refuse = lambda name, error: checked.refusals.append(Refusal(name, error))  # noqa: E731
    current = clock.today()

    if options.past and day < current:
        refuse("day", RuleError(_("{date} has passed. Bookings are made for today or later.").format(date=format_day(day)), RuleCode.PAST, day))
    status = facts.day_status(day)
    if not status.is_open:
        checked.closed_reason = status.reason or ""
        if options.closed:
            if not checked.override_reason:
                refuse("day", ClosedDayError(
                    _("{facility} is closed on {date} ({reason}).").format(facility=facts.facility.name, date=format_day(day), reason=checked.closed_reason),
                    checked.closed_reason,
                ))
            elif user is None or user.role != Role.ADMIN:
                refuse("closed_override_reason", PermissionDenied(
                    _("Only an administrator can open a closed day ({reason}) for a booking.").format(reason=checked.closed_reason), Role.ADMIN.value,
                ))
    if batch is not None:
        klass = batch.classes.get(checked.class_code) if checked.class_code else None
    else:
        klass = session.scalar(select(ApplicantClass).where(ApplicantClass.code == checked.class_code)) if checked.class_code else None
    if options.horizon and day > current and klass is not None:
        months = klass.booking_horizon_months
        last = rules.horizon_end(current, months)
        if day > last:
            refuse("day", RuleError(
                _("{klass} can book up to {months} months ahead, until {date}.").format(
                    klass=klass.name, months=months, date=format_day(last)),
                RuleCode.HORIZON, last,
            ))
    group = checked.group
    if group is not None and options.registration:
        status_now = effective_status(group.status, group.valid_until, current)
        if status_now != REGISTERED and options.kept == (group.id, room.id, checked.start, checked.end):
            checked.notes.append(_group_note(status_now))  # its booking as it was made: kept, not refused
        elif status_now != REGISTERED:
            refuse("group_id", RuleError(
                _("{name} cannot book as a registered group: its registration is not valid ({status}). Renew it first.").format(
                    name=group.name, status=_group_status_label(status_now)),
                RuleCode.REGISTRATION, status_now,
            ))
    if checked.people > room.capacity:
        refuse("expected_people", RuleError(
            _("{room} holds at most {capacity} people.").format(room=room.name, capacity=room.capacity), RuleCode.CAPACITY, room.capacity,
        ))
    if group is not None and options.cap:
        cap = monthly_cap(session)
        if cap:
            pending_units = _pending_units(options.pending, group.id, day)
            used = units_in_month(session, group.id, day, options.exclude_id) + pending_units
            if used + checked.units > cap:
                refuse(time_field, RuleError(
                    _("{name} has {used} of {cap} slots booked in {month}; this booking needs {units} more.").format(
                        name=group.name, used=used, cap=cap, month=f"{day:%Y-%m}", units=checked.units),
                    RuleCode.MONTHLY_CAP, cap,
                ))
    if batch is not None:
        other = batch.conflict(session, room.id, checked.start, checked.end, options.exclude_id)
    else:
        other = find_conflict(session, room.id, checked.start, checked.end, options.exclude_id)
    if other is not None:
        checked.conflict = brief(session, other)
        refuse(time_field, ConflictError(
            _("{room} is already booked at that time: {other}.").format(room=room.name, other=checked.conflict.describe()), checked.conflict,
        ))
    else:
        planned = _pending_overlap(options.pending, room.id, checked.start, checked.end)
        if planned is not None:
            refuse(time_field, ConflictError(_("{room} is already booked at that time: {other}.").format(room=room.name, other=planned.label), planned))
    fee_rules = fee_settings(session)
    outside = [] if checked.slot_names or room.fee_per_hour_yen is not None else facts.uncovered(start_time, end_time)
    if outside and fee_rules[TIME_OUTSIDE_SLOTS.key] == REFUSE_TIMES:
        refuse(time_field, RuleError(
            _("{times} is outside the time slots of {room} ({slots}). Choose times within the slots or book the slots.").format(
                times="、".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in outside), room=room.name,
                slots="、".join(f"{s.name} {s.start:%H:%M}–{s.end:%H:%M}" for s in facts.slots if not s.is_all_day)),
            RuleCode.TIME_OUTSIDE_SLOTS, tuple(outside),
        ))
    base = facts.base_fee(checked.slot_names, start_time, end_time)
    checked.fee = _compute_fee(
        base, klass.fee_multiplier_percent if klass else 100, checked.exemption.rate_percent if checked.exemption else 0,
        multiplier_rounding=fee_rules[MULTIPLIER_ROUNDING.key], exemption_rounding=fee_rules[EXEMPTION_ROUNDING.key],
    )
    return checked


def fee_settings(session: Session) -> dict[str, Any]:
    """設定 of fees (time outside the slots, rounding of the class rate and of 減免), read once per
    transaction (kept in ``session.info``: an import checks thousands of rows)."""
    cached = session.info.get("fee_settings")
    if cached is None:
        cached = center_settings.get_many(session, (TIME_OUTSIDE_SLOTS, MULTIPLIER_ROUNDING, EXEMPTION_ROUNDING))
        session.info["fee_settings"] = cached
    return cached


def _group_note(status: str) -> str:
    """The note of a booking kept by a group that cannot book now (``status``: 休止, 期限切れ, …)."""
    from center_app.services.group_values import PAUSED

    if status == PAUSED:
        return _("This group is paused: it cannot make new bookings. This booking can be changed as long as its group, room, "
                 "date and time stay the same.")
    return _("This group's registration is not valid ({status}): it cannot make new bookings. This booking can be changed as "
             "long as its group, room, date and time stay the same.").format(status=_group_status_label(status))


def _group_status_label(code: str) -> str:
    from center_app.services.group_values import status_label as group_status_label

    return group_status_label(code)
