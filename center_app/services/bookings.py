"""施設予約: create, change, move, extend, cancel and un-cancel bookings; check-in, attendance,
no-show; live quote for the dialog.

Every path that changes where or when a booking is (create, edit, move, extend, un-cancel, and
the series and import of :mod:`bookings_series` / :mod:`bookings_io`) runs :func:`check_booking`
on the final values inside the write transaction, after locking what the rules read (the edit
pattern of :mod:`center_app.services.editing`): the booking's own row, then its rooms, then its
groups — ``BEGIN IMMEDIATE`` on SQLite (the whole database), ``SELECT … FOR UPDATE`` on
PostgreSQL — so two PCs can never both book the same interval, exceed a group's monthly cap in
two rooms, or both save the same booking; on PostgreSQL an exclusion constraint is the last guard
(:func:`flush_booking`). A change saved from an older version of the booking (``expected_version``)
is refused with :class:`~center_app.domain.errors.StaleEditError`. One transaction per action;
every change is audited (entity ``booking``). Results are frozen objects of
:mod:`center_app.domain.booking_values`.

Rules (docs/architecture.md §4; each refusal is one sentence naming the other booking or the rule):
half-open intervals within opening hours of one day; closed days (an administrator may open one
for a booking, giving a reason); booking horizon by applicant class from the 1st of the month;
monthly slot cap per group; expected people ≤ room capacity; registered-group rate only for a
group whose registration is valid; fees per :func:`center_app.domain.booking_rules.compute_fee`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.events import Event
from center_app.db.groups import Group
from center_app.db.models import ApplicantClass, Facility, Room
from center_app.db.money import CancellationReason
from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingInput, BookingQuote, BookingStatus, BookingView, SlipHeader, status_label
from center_app.domain.center_settings import CENTER_NAME, CONDITIONS_OF_USE, DATE_STYLE, HEAD_TITLE, PAYMENT_DEADLINE_DAYS
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.money import MoneyState, payment_deadline
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit, center_settings, ledger_queries, printable
from center_app.services.bookings_checks import MAX_TEXT, Checked, CheckOptions, _people, check_booking, lock_groups, lock_rooms
from center_app.services.bookings_guard import database_refusals, flush_booking
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.editing import lock_for_edit

# --- views ------------------------------------------------------------------------------------


def view(session: Session, booking: Booking) -> BookingView:
    """The frozen view of a stored booking (changes are flushed first, so it carries the new version)."""
    session.flush()
    room = session.get(Room, booking.room_id)
    facility = session.get(Facility, room.facility_id)
    group = session.get(Group, booking.group_id) if booking.group_id else None
    klass = session.scalar(select(ApplicantClass).where(ApplicantClass.code == booking.applicant_class_code))
    return BookingView(
        id=booking.id, slip_no=booking.slip_no or "", facility_id=facility.id, facility_name=facility.name,
        room_id=room.id, room_name=room.name, room_capacity=room.capacity, start=booking.start_at, end=booking.end_at,
        slot_names=tuple(booking.slot_names or ()), slot_units=booking.slot_units, status=booking.status,
        group_id=booking.group_id, registration_no=(group.registration_no or "") if group else "",
        applicant_name=booking.applicant_name, applicant_kana=booking.applicant_kana, applicant_phone=booking.applicant_phone,
        applicant_class=booking.applicant_class_code, applicant_class_name=klass.name if klass else booking.applicant_class_code,
        language=booking.language, purpose=booking.purpose, expected_people=booking.expected_people, attendance=booking.attendance,
        checked_in_at=booking.checked_in_at, base_fee=booking.base_fee_yen, gross_fee=booking.gross_fee_yen, fee=booking.fee_yen,
        exemption_code=booking.exemption_code, exemption_name=booking.exemption_name, exemption_rate=booking.exemption_rate_percent,
        waived=booking.waived_yen, closed_override_reason=booking.closed_override_reason, cancel_reason=booking.cancel_reason,
        note=booking.note, series_id=booking.series_id, created_at=booking.created_at, created_by=booking.created_by,
        updated_at=booking.updated_at, updated_by=booking.updated_by, version=booking.version,
        cancel_reason_code=booking.cancel_reason_code, money=ledger_queries.money_of(session, [booking])[booking.id],
    )


_AUDITED = (
    "room_id", "start_at", "end_at", "slot_names", "status", "group_id", "applicant_name", "applicant_phone",
    "applicant_class_code", "language", "purpose", "expected_people", "attendance", "checked_in_at", "fee_yen",
    "exemption_code", "waived_yen", "closed_override_reason", "cancel_reason", "cancel_reason_code", "note",
)


def snapshot(booking: Booking) -> dict[str, Any]:
    """The audited fields of a booking."""
    return {name: getattr(booking, name) for name in _AUDITED}


def apply_checked(booking: Booking, checked: Checked, data: BookingInput, user: CurrentUser | None) -> None:
    """Copy the checked values onto ``booking`` (fee snapshot included)."""
    assert checked.facts is not None and checked.fee is not None
    booking.room_id = checked.facts.room.id
    booking.start_at, booking.end_at = checked.start, checked.end
    booking.slot_names = list(checked.slot_names)
    booking.slot_units = checked.units
    booking.group_id = checked.group.id if checked.group else None
    booking.applicant_name, booking.applicant_kana, booking.applicant_phone = checked.applicant_name, checked.applicant_kana, checked.applicant_phone
    booking.applicant_class_code = checked.class_code
    booking.language = data.language
    booking.purpose, booking.note = checked.purpose, checked.note
    booking.expected_people = checked.people
    fee = checked.fee
    booking.base_fee_yen, booking.gross_fee_yen, booking.fee_yen, booking.waived_yen = fee.base, fee.gross, fee.fee, fee.waived
    exemption = checked.exemption
    booking.exemption_code = exemption.code if exemption else ""
    booking.exemption_name = exemption.name if exemption else ""
    booking.exemption_rate_percent = exemption.rate_percent if exemption else 0
    booking.closed_override_reason = checked.override_reason if checked.closed_reason else ""
    booking.updated_at, booking.updated_by = clock.now(), user.display_name if user else ""


def assign_slip_no(booking: Booking) -> None:
    """予約票番号 ``B{fiscal year}-{id:06d}`` (unique because the id is; call after flush)."""
    booking.slip_no = f"B{fiscal_year_of(booking.created_at.date())}-{booking.id:06d}"


def insert_booking(session: Session, checked: Checked, data: BookingInput, user: CurrentUser | None, *, status: str | None = None,
                   series_id: int | None = None, note: str = "", attendance: int | None = None, cancel_reason: str = "",
                   legacy: bool = False) -> Booking:
    """Add a checked booking, give it its slip number and audit it. ``status``, ``attendance``
    and ``cancel_reason`` serve imports of past or cancelled bookings; ``legacy`` marks a booking
    whose payment was handled before the ledger (移行前: an imported past booking)."""
    stamp = clock.now()
    booking = Booking(created_at=stamp, created_by=user.display_name if user else "", status=status or data.status, series_id=series_id,
                      ledger_legacy=legacy)
    apply_checked(booking, checked, data, user)
    booking.attendance = attendance
    if cancel_reason:
        booking.cancel_reason, booking.cancelled_at = cancel_reason, stamp
    session.add(booking)
    flush_booking(session, booking)
    assign_slip_no(booking)
    flush_booking(session, booking)  # the row is written again: PostgreSQL checks the constraint again
    audit.record(session, user, "booking", booking.id, "create", None, snapshot(booking), note=note)
    return booking


def _missing(booking_id: int) -> str:
    return _("There is no booking number {id}; it may have been removed. Reload the calendar.").format(id=booking_id)


def _load(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise ValidationError(_missing(booking_id))
    return booking


def _lock(session: Session, booking_id: int, expected_version: int | None = None) -> Booking:
    """The booking's row, locked and read afresh (see :mod:`center_app.services.editing`)."""
    return lock_for_edit(session, Booking, booking_id, entity="booking", missing=_missing(booking_id), expected_version=expected_version)


# --- reading ------------------------------------------------------------------------------------


def get_booking(ctx: ServiceContext, booking_id: int) -> BookingView:
    """One booking. Raises ValidationError if it no longer exists."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return view(session, _load(session, booking_id))


def quote_booking(ctx: ServiceContext, data: BookingInput, booking_id: int | None = None) -> BookingQuote:
    """What saving ``data`` would give, without writing: interval, fee, every problem and
    refusal (the dialog's live fee and conflict feedback). ``booking_id``: the booking changed."""
    user = ctx.require_signed_in()
    with ctx.db.read() as session:
        options = CheckOptions(exclude_id=booking_id)
        if booking_id is not None:
            options = _options_for_change(session.get(Booking, booking_id), data, booking_id)
        checked = check_booking(session, user, data, options)
    return BookingQuote(
        start=checked.start, end=checked.end, fee=checked.fee, slot_units=checked.units, applicant_class=checked.class_code,
        problems=tuple(checked.problems), refusals=tuple(checked.refusals), notes=tuple(checked.notes), conflict=checked.conflict,
        closed_reason=checked.closed_reason,
        warnings=tuple(printable.unprintable_problems([("applicant_name", data.applicant_name), ("purpose", data.purpose)])),
    )


def booking_id_for(ctx: ServiceContext, reference: str) -> int:
    """The id of a booking given as its id ("7394") or its slip number as printed ("B2026-007394",
    full-width or lower case too). Raises ValidationError (field ``booking``) naming it when none."""
    ctx.require_signed_in()
    text = unicodedata.normalize("NFKC", reference or "").strip().upper()
    with ctx.db.read() as session:
        found = session.scalar(select(Booking.id).where(Booking.slip_no == text)) if text else None
        if found is None and text.isdigit():
            found = session.scalar(select(Booking.id).where(Booking.id == int(text)))
    if found is None:
        raise ValidationError(_("No booking has the number {number}.").format(number=reference.strip()), field_name="booking")
    return found


def slip_data(ctx: ServiceContext, booking_id: int) -> tuple[BookingView, SlipHeader]:
    """The booking (with its money state from the ledger) and its issuer (center name, head's
    title, facility address and phone), the conditions of use of 設定 (every room, then the
    room's own), the payment deadline when money is due and the receipts that paid it."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        row = _load(session, booking_id)
        booking = view(session, row)
        settings = center_settings.get_many(session, (CENTER_NAME, HEAD_TITLE, CONDITIONS_OF_USE, PAYMENT_DEADLINE_DAYS, DATE_STYLE))
        facility = session.get(Facility, booking.facility_id)
        room = session.get(Room, booking.room_id)
        conditions = [line.strip() for line in settings[CONDITIONS_OF_USE.key].splitlines() if line.strip()]
        conditions += [line.strip() for line in (room.conditions or "").splitlines() if line.strip()]
        due = booking.money is not None and booking.money.outstanding > 0 and booking.money.state != MoneyState.LEGACY
        receipts = tuple(
            p.receipt_no for p in ledger_queries.payments_of_booking(session, booking_id) if ledger_queries.is_voided(session, "payment", p.id) is None
        )
        header = SlipHeader(
            center_name=settings[CENTER_NAME.key] or facility.name, head_title=settings[HEAD_TITLE.key],
            facility_address=facility.address, facility_phone=facility.phone, conditions=tuple(conditions),
            payment_deadline=payment_deadline(booking.day, settings[PAYMENT_DEADLINE_DAYS.key]) if due else None,
            receipt_numbers=receipts, date_style=settings[DATE_STYLE.key],
        )
    return booking, header


# --- writing ------------------------------------------------------------------------------------


def create_booking(ctx: ServiceContext, data: BookingInput) -> BookingView:
    """Book a room. Raises ValidationError (every bad field), ConflictError (naming the other
    booking), ClosedDayError, RuleError (past, horizon, registration, capacity, monthly_cap) or
    PermissionDenied (closed-day override by a non-administrator); nothing is written then."""
    user = ctx.require_signed_in()
    with database_refusals(ctx), ctx.db.write() as session:
        lock_rooms(session, [data.room_id])
        lock_groups(session, [data.group_id])
        checked = check_booking(session, user, data)
        checked.raise_first()
        return view(session, insert_booking(session, checked, data, user))


def _options_for_change(booking: Booking | None, data: BookingInput, booking_id: int) -> CheckOptions:
    """Rules for changing a booking: when the date stays the same the date rules (past,
    horizon, closed day) are not applied again, so a booking made under an override or before a
    rule changed can still get a new purpose or people count; a group whose registration is no
    longer valid (休止, 期限切れ) keeps its booking while group, room, date and time stay."""
    if booking is None:
        return CheckOptions(exclude_id=booking_id)
    same_day = data.day == booking.start_at.date()
    return CheckOptions(exclude_id=booking_id, past=not same_day, horizon=not same_day, closed=not same_day,
                        kept=(booking.group_id, booking.room_id, booking.start_at, booking.end_at))


def update_booking(ctx: ServiceContext, booking_id: int, data: BookingInput, *, expected_version: int | None = None) -> BookingView:
    """Change a booking (room, date, times, applicant, people, purpose, exemption, status
    provisional/confirmed). The final values are checked like a new booking; the fee is
    recomputed. ``expected_version`` (the :attr:`BookingView.version` the form was opened with)
    refuses to overwrite another PC's change: :class:`StaleEditError` naming who changed it."""
    user = ctx.require_signed_in()
    with database_refusals(ctx), ctx.db.write() as session:
        booking = _lock(session, booking_id, expected_version)
        lock_rooms(session, [booking.room_id, data.room_id])
        lock_groups(session, [booking.group_id, data.group_id])
        if booking.status not in OPEN:
            raise RuleError(_("A booking that is {status} cannot be changed.").format(status=status_label(booking.status)), RuleCode.STATUS, booking.status)
        options = _options_for_change(booking, data, booking_id)
        if session.scalar(select(Event.id).where(Event.booking_id == booking_id)) is not None:
            # the room of one of the center's events: the rules for applicants do not apply (as when the event booked it)
            options = dataclasses.replace(options, horizon=False, cap=False, registration=False, require_phone=False)
        checked = check_booking(session, user, data, options)
        checked.raise_first()
        before = snapshot(booking)
        booking.status = data.status
        apply_checked(booking, checked, data, user)
        flush_booking(session, booking)
        old, new = audit.changes(before, snapshot(booking))
        if new:
            audit.record(session, user, "booking", booking.id, "update", old, new)
        return view(session, booking)


def move_booking(ctx: ServiceContext, booking_id: int, *, room_id: int | None = None, day: dt.date | None = None,
                 slot_names: Sequence[str] | None = None, start_time: dt.time | None = None, end_time: dt.time | None = None) -> BookingView:
    """Move a booking to another room, date or time (unchanged parts stay). Checked like a new
    booking at the target (conflict, closed day, horizon, cap, capacity of the new room)."""
    current = get_booking(ctx, booking_id)
    base = current.to_input()
    if slot_names is not None:
        times = {"slot_names": tuple(slot_names), "start_time": None, "end_time": None}
    elif start_time is not None or end_time is not None:
        length = current.end - current.start
        start = start_time or current.start.time()
        end = end_time or (dt.datetime.combine(dt.date(2000, 1, 1), start) + length).time()
        times = {"slot_names": (), "start_time": start, "end_time": end}
    else:
        times = {}
    data = dataclasses.replace(base, room_id=room_id or base.room_id, day=day or base.day, **times)
    return update_booking(ctx, booking_id, data, expected_version=current.version)


def extend_booking(ctx: ServiceContext, booking_id: int, end_time: dt.time) -> BookingView:
    """Change the end time (longer or shorter); the booking becomes a booking by times and its
    fee is recomputed. Refused, naming the other booking, if the room is taken."""
    current = get_booking(ctx, booking_id)
    data = dataclasses.replace(current.to_input(), slot_names=(), start_time=current.start.time(), end_time=end_time)
    return update_booking(ctx, booking_id, data, expected_version=current.version)


def cancellation_reason(session: Session, reason: str, reason_code: str = "") -> tuple[str, str]:
    """The reason text and 取消理由 code a cancellation records: ``reason`` as typed (trimmed),
    or the name of the configured reason ``reason_code`` (設定 → 取消理由, active) when nothing
    is typed. Raises ValidationError for an unknown code, no reason at all, or a reason longer
    than MAX_TEXT characters."""
    reason = (reason or "").strip()
    code = (reason_code or "").strip()
    if code:
        configured = session.scalar(select(CancellationReason).where(CancellationReason.code == code, CancellationReason.active.is_(True)))
        if configured is None:
            raise ValidationError(_("Unknown cancellation reason: {code}.").format(code=code), field_name="cancel_reason_code")
        reason = reason or configured.name
    if not reason:
        raise ValidationError(_("Enter the reason for the cancellation."), field_name="cancel_reason")
    if len(reason) > MAX_TEXT:
        raise ValidationError(_("At most {count} characters.").format(count=MAX_TEXT), field_name="cancel_reason")
    return reason, code


def cancel_booking(ctx: ServiceContext, booking_id: int, reason: str, reason_code: str = "", *,
                   expected_version: int | None = None) -> BookingView:
    """Cancel (取消) a provisional or confirmed booking, recording the reason (required) and,
    optionally, the configured 取消理由 ``reason_code`` whose 還付率 decides a refund of what was
    paid (設定 → 取消理由; see :func:`center_app.services.ledger_refunds.refund_payment`). The reason
    text may be left empty when a configured reason is chosen (its name is recorded).
    ``expected_version`` (the version the clerk's dialog shows; as for every action below) refuses
    with :class:`StaleEditError`, nothing written, when another PC saved the booking since."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        reason, code = cancellation_reason(session, reason, reason_code)
        booking = _lock(session, booking_id, expected_version)
        if booking.status not in OPEN:
            raise RuleError(_("A booking that is {status} cannot be cancelled.").format(status=status_label(booking.status)), RuleCode.STATUS, booking.status)
        before = snapshot(booking)
        booking.status, booking.cancel_reason, booking.cancelled_at = BookingStatus.CANCELLED, reason, clock.now()
        booking.cancel_reason_code = code
        booking.updated_at, booking.updated_by = clock.now(), user.display_name
        audit.record(session, user, "booking", booking.id, "cancel", *audit.changes(before, snapshot(booking)), note=reason)
        return view(session, booking)


def uncancel_booking(ctx: ServiceContext, booking_id: int, *, expected_version: int | None = None) -> BookingView:
    """Restore a cancelled booking as confirmed, if its room and time are still free and the
    rules still allow it (not past, open day, capacity, monthly cap)."""
    user = ctx.require_signed_in()
    with database_refusals(ctx), ctx.db.write() as session:
        booking = _lock(session, booking_id, expected_version)
        if booking.status != BookingStatus.CANCELLED:
            raise RuleError(_("Only a cancelled booking can be restored."), RuleCode.STATUS, booking.status)
        lock_rooms(session, [booking.room_id])
        lock_groups(session, [booking.group_id])
        data = view(session, booking).to_input()
        checked = check_booking(session, user, data, CheckOptions(exclude_id=booking.id, horizon=False, closed=not booking.closed_override_reason))
        checked.raise_first()
        before = snapshot(booking)
        booking.status, booking.cancel_reason, booking.cancelled_at = BookingStatus.CONFIRMED, "", None
        booking.cancel_reason_code = ""
        apply_checked(booking, checked, data, user)
        flush_booking(session, booking)
        audit.record(session, user, "booking", booking.id, "uncancel", *audit.changes(before, snapshot(booking)))
        return view(session, booking)


def _on_or_after_day(booking: Booking, action: str) -> None:
    if booking.start_at.date() > clock.today():
        raise RuleError(
            _("{action} is possible from the day of use ({date}).").format(action=action, date=format_day(booking.start_at.date())),
            RuleCode.NOT_YET, booking.start_at.date(),
        )


def check_in(ctx: ServiceContext, booking_id: int, *, expected_version: int | None = None) -> BookingView:
    """Record that the applicant arrived (受付) for a provisional or confirmed booking of today or earlier."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        booking = _lock(session, booking_id, expected_version)
        if booking.status not in OPEN:
            raise RuleError(_("A booking that is {status} cannot be checked in.").format(status=status_label(booking.status)), RuleCode.STATUS, booking.status)
        _on_or_after_day(booking, _("Check-in"))
        before = snapshot(booking)
        booking.checked_in_at = clock.now()
        booking.updated_at, booking.updated_by = clock.now(), user.display_name
        audit.record(session, user, "booking", booking.id, "check_in", *audit.changes(before, snapshot(booking)))
        return view(session, booking)


def record_attendance(ctx: ServiceContext, booking_id: int, people: int | str, *, expected_version: int | None = None) -> BookingView:
    """利用人数: the number of people who actually came; the booking becomes 利用済. Also corrects a
    booking marked as no-show. Refused before the day of use, and (ValidationError, field
    ``attendance``) above the room's capacity — the rule and message of the booking checks and of
    ``bookings import`` (「会議室1の定員は18人です。」)."""
    user = ctx.require_signed_in()
    count = _people(people)
    if count is None or count < 0:
        raise ValidationError(_("Enter the number of people who came (0 or more)."), field_name="attendance")
    with ctx.db.write() as session:
        booking = _lock(session, booking_id, expected_version)
        if booking.status == BookingStatus.CANCELLED:
            raise RuleError(_("A booking that is {status} cannot get an attendance.").format(status=status_label(booking.status)), RuleCode.STATUS, booking.status)
        _on_or_after_day(booking, _("Recording attendance"))
        room = session.get(Room, booking.room_id)
        if room is not None and count > room.capacity:
            raise ValidationError(_("{room} holds at most {capacity} people.").format(room=room.name, capacity=room.capacity),
                                  field_name="attendance")
        before = snapshot(booking)
        booking.attendance, booking.status = count, BookingStatus.USED
        booking.checked_in_at = booking.checked_in_at or clock.now()
        booking.updated_at, booking.updated_by = clock.now(), user.display_name
        audit.record(session, user, "booking", booking.id, "attendance", *audit.changes(before, snapshot(booking)))
        return view(session, booking)


def mark_no_show(ctx: ServiceContext, booking_id: int, *, expected_version: int | None = None) -> BookingView:
    """無断キャンセル: nobody came to a provisional or confirmed booking (from its day of use)."""
    user = ctx.require_signed_in()
    with ctx.db.write() as session:
        booking = _lock(session, booking_id, expected_version)
        if booking.status not in OPEN:
            raise RuleError(_("A booking that is {status} cannot be marked as a no-show.").format(status=status_label(booking.status)), RuleCode.STATUS, booking.status)
        _on_or_after_day(booking, _("Marking a no-show"))
        before = snapshot(booking)
        booking.status, booking.attendance = BookingStatus.NO_SHOW, None
        booking.updated_at, booking.updated_by = clock.now(), user.display_name
        audit.record(session, user, "booking", booking.id, "no_show", *audit.changes(before, snapshot(booking)))
        return view(session, booking)
