"""使用料の収納: recording payments and voiding them (訂正), receipt numbers, the checks every
ledger entry shares (the bookings locked, one applicant, the day's cash still open), and reading a
booking's money. Refunds and 充当 are in :mod:`center_app.services.ledger_refunds`, the day close
(日計の締め) in :mod:`center_app.services.ledger_close`. One write transaction per action,
audited; nothing in the ledger is ever edited or deleted (docs/architecture.md §4, "Money").

Concurrency: every action locks the rows it decides on before reading the ledger — the bookings
paid (``SELECT … FOR UPDATE`` in id order on PostgreSQL; ``BEGIN IMMEDIATE`` holds the whole
SQLite file) — so two clerks paying the same booking at once take turns and the second is told
it is paid. Numbers come from a counter row (:func:`next_serial`) locked in the same transaction:
a receipt number is given only when its payment commits, so the numbers of a fiscal year (and
cash unit) are consecutive with no gaps, and a voided receipt keeps its number.

Who: counter staff and administrators record payments and voids.

Errors (nothing written): ValidationError naming the booking or receipt (unknown, cancelled,
already paid, 0 円, amount negative / not whole yen / above what is due, a closed day), RuleError
for a refused state, PermissionDenied for the role.
"""


from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.models import Facility, Room
from center_app.db.money import DayClose, DocumentCounter, LedgerVoid, Payment, PaymentAllocation
from center_app.domain import clock
from center_app.domain.booking_values import BookingStatus
from center_app.domain.errors import FieldProblem, RuleCode, RuleError, ValidationError
from center_app.domain.money import (
    CASH_ROLES,
    RECEIPT,
    BookingMoney,
    PaymentMethod,
    PaymentView,
    format_number,
    method_label,
    normalize_number,
    parse_yen,
    receipt_fiscal_year,
)
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _
from center_app.services import audit
from center_app.services import ledger_queries as q
from center_app.services.context import CurrentUser, ServiceContext

MAX_TEXT = 500


# --- numbers ----------------------------------------------------------------------------------------


def next_serial(session: Session, kind: str, fiscal_year: int, unit: str = "") -> int:
    """The next number of ``kind`` (receipt / refund / permit) in ``fiscal_year`` and cash
    ``unit``: the counter row is locked (``FOR UPDATE``; created on first use) and incremented in
    the caller's write transaction, so the number exists exactly when that transaction commits —
    consecutive, never reused, also with several PCs."""
    key = (DocumentCounter.kind == kind, DocumentCounter.fiscal_year == fiscal_year, DocumentCounter.unit == unit)
    query = select(DocumentCounter).where(*key).with_for_update().execution_options(populate_existing=True)
    row = session.scalar(query)
    if row is None:
        values = {"kind": kind, "fiscal_year": fiscal_year, "unit": unit, "last_serial": 0}
        if session.get_bind().dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            session.execute(pg_insert(DocumentCounter).values(**values).on_conflict_do_nothing())
        else:  # SQLite: the write transaction already holds the database
            session.add(DocumentCounter(**values))
            session.flush()
        row = session.scalar(query)
    row.last_serial += 1
    session.flush()
    return row.last_serial


def cash_unit(facility: Facility) -> str:
    """The receipt series of a facility: its code when it keeps its own (設定 → 施設), else ""."""
    return facility.code if facility.own_receipt_series else ""


# --- helpers ------------------------------------------------------------------------------------------


def _text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(message, field_name=field)
    if len(text) > MAX_TEXT:
        raise ValidationError(_("At most {count} characters.").format(count=MAX_TEXT), field_name=field)
    return text


def _amount(value: str | int | None, field: str = "amount") -> int | None:
    """An amount typed by the clerk (None: not given). Refuses text that is not whole yen and
    amounts of 0 or less."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = parse_yen(value, field=field)
    except ValueError as exc:
        raise ValidationError(str(exc), field_name=field) from None
    if amount <= 0:
        raise ValidationError(_("The amount must be more than 0 yen (you entered {amount} yen).").format(amount=f"{amount:,}"), field_name=field)
    return amount


def _method(value: str) -> PaymentMethod:
    try:
        return PaymentMethod((value or "").strip())
    except ValueError:
        names = "、".join(f"{m.value} ({method_label(m)})" for m in PaymentMethod)
        raise ValidationError(_("Unknown payment method {method}. Use one of {methods}.").format(method=value, methods=names), field_name="method") from None


def slip_label(booking: Booking) -> str:
    """How messages name a booking: its slip number (or id)."""
    return booking.slip_no or str(booking.id)


def _check_open_day(session: Session, facility_id: int, day: dt.date) -> None:
    """Refuse an entry dated ``day`` when the facility's cash of that day is closed. Takes a
    shared lock of the facility row first (PostgreSQL ``FOR SHARE``), which :func:`center_app.services.ledger_close.close_day`
    takes exclusively: a close waits for entries being written and then counts them, and an
    entry after the close sees it."""
    session.execute(select(Facility.id).where(Facility.id == facility_id).with_for_update(read=True)).all()
    if session.scalar(select(DayClose.id).where(DayClose.facility_id == facility_id, DayClose.day == day)) is not None:
        facility = session.get(Facility, facility_id)
        if day >= clock.today():  # a void, refund or payment entered today: nothing can be dated today any more
            message = _("The cash of {facility} for today ({date}) is already closed: no payment, refund or void can be "
                        "entered today. Enter it on the next day the counter is open; it will be dated that day.")
        else:  # a transfer dated on a closed day
            message = _("The cash of {facility} for {date} is already closed: no entry can be dated that day. "
                        "Record it with today's date (or a later day whose cash is still open).")
        raise RuleError(message.format(facility=facility.name if facility else facility_id, date=format_day(day)),
                        RuleCode.DAY_CLOSED, day)


def lock_bookings(session: Session, ids: Sequence[int]) -> dict[int, Booking]:
    """The bookings ``ids`` (id → row), row-locked in id order (PostgreSQL ``FOR UPDATE``); a
    missing one is refused (ValidationError naming its number)."""
    wanted = sorted(set(ids))
    rows = session.scalars(
        select(Booking).where(Booking.id.in_(wanted)).order_by(Booking.id).with_for_update().execution_options(populate_existing=True)
    ).all()
    found = {b.id: b for b in rows}
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise ValidationError(_("No booking has the number {number}.").format(number="、".join(missing)), field_name="booking")
    return found


#: What :func:`same_applicant` refuses for, and its message: the bookings named, then what to do.
_ONE_APPLICANT = {
    "payment": N_("One payment is for bookings of one applicant: {slip} is booked by {other}, {first_slip} by {first}."),
    "permit": N_("The bookings belong to different applicants: {slip} is booked by {other}, {first_slip} by {first}. "
                 "A permit lists the bookings of one applicant: print one permit per applicant."),
    "applied": N_("The bookings belong to different applicants: {slip} is booked by {other}, {first_slip} by {first}. "
                  "A payment can be applied only to another booking of the same applicant."),
}


def same_applicant(bookings: Sequence[Booking], purpose: str = "payment") -> None:
    """Refuse (ValidationError naming both) bookings of more than one applicant: the same group,
    or the same unregistered name and phone. ``purpose`` (payment, permit, applied) chooses the
    message, which says what to do instead."""
    def key(b: Booking) -> tuple:
        return ("group", b.group_id) if b.group_id else ("name", b.applicant_name, b.applicant_phone)

    first = bookings[0]
    others = [b for b in bookings[1:] if key(b) != key(first)]
    if others:
        raise ValidationError(
            _(_ONE_APPLICANT[purpose]).format(
                slip=slip_label(others[0]), other=others[0].applicant_name, first_slip=slip_label(first), first=first.applicant_name),
            field_name="booking",
        )


def _facility_of(session: Session, bookings: Sequence[Booking]) -> Facility:
    facilities = {session.get(Room, b.room_id).facility_id for b in bookings}
    if len(facilities) > 1:
        raise ValidationError(_("One payment is for bookings of one facility; record one payment per facility."), field_name="booking")
    return session.get(Facility, facilities.pop())


def load_payment(session: Session, receipt_no: str, *, lock: bool = False) -> Payment:
    """The payment of ``receipt_no`` as typed (normalised); ValidationError naming it when none."""
    number = normalize_number(receipt_no)
    query = select(Payment).where(Payment.receipt_no == number)
    if lock:
        query = query.with_for_update()
    payment = session.scalar(query)
    if payment is None:
        raise ValidationError(_("There is no receipt number {number}.").format(number=(receipt_no or "").strip()), field_name="receipt")
    return payment


# --- payments ---------------------------------------------------------------------------------------


def record_payment(
    ctx: ServiceContext,
    booking_ids: Sequence[int],
    method: str,
    amount: str | int | None = None,
    *,
    received_on: dt.date | None = None,
    tendered: str | int | None = None,
    note: str = "",
) -> PaymentView:
    """収納: record money received for ``booking_ids`` (one applicant, one facility) and give it
    the next receipt number of the fiscal year of ``received_on`` (default today; an earlier day
    for a transfer that came in then, never a future day).

    ``amount`` (whole yen) defaults to everything still due; it is spread over the bookings in
    date order. ``tendered`` (お預かり, cash) must cover the amount; the change is on the view.
    A provisional booking fully paid becomes 確定 (the slip's promise: 「使用料のお支払いをもって確定」).

    Refused, writing nothing (ValidationError / RuleError naming the booking): a cancelled
    booking, a booking with nothing due (paid, or 0 円 — 免除), an amount that is not whole yen,
    0 or less, or more than is due, a future date, a closed day. PermissionDenied for coordinators.
    """
    user = ctx.require(*CASH_ROLES)
    if not booking_ids:
        raise ValidationError(_("Choose the bookings the payment is for."), field_name="booking")
    kind = _method(method)
    wanted = _amount(amount)
    given = _amount(tendered, "tendered")
    note = (note or "").strip()[:MAX_TEXT]
    today = clock.today()
    day = received_on or today
    if day > today:
        raise ValidationError(_("Money cannot be received on a future day ({date}).").format(date=format_day(day)), field_name="date")
    with ctx.db.write() as session:
        locked = lock_bookings(session, booking_ids)
        bookings = sorted(locked.values(), key=lambda b: (b.start_at, b.id))
        money = q.money_of(session, bookings)
        problems = []
        for b in bookings:
            m = money[b.id]
            if b.status == BookingStatus.CANCELLED:
                problems.append(_("Booking {slip} is cancelled; a cancelled booking is not paid.").format(slip=slip_label(b)))
            elif b.fee_yen <= 0:
                problems.append(_("Booking {slip} costs 0 yen (exempt); there is nothing to pay and no receipt.").format(slip=slip_label(b)))
            elif m.outstanding <= 0:
                problems.append(_("Booking {slip} is already paid ({state}).").format(slip=slip_label(b), state=m.label))
        if problems:
            raise ValidationError([FieldProblem("booking", p) for p in problems])
        booked_on = max(b.created_at.date() for b in bookings)
        if day < booked_on:  # a receipt dated before the booking existed would rewrite a closed year's figures
            raise ValidationError(_("Money for these bookings cannot have been received before they were booked ({date}).").format(
                date=format_day(booked_on)), field_name="date")
        same_applicant(bookings)
        facility = _facility_of(session, bookings)
        _check_open_day(session, facility.id, day)
        due = sum(money[b.id].outstanding for b in bookings)
        total = due if wanted is None else wanted
        if total > due:
            raise ValidationError(
                _("{amount} yen is more than is due for these bookings ({due} yen).").format(amount=f"{total:,}", due=f"{due:,}"), field_name="amount")
        if given is not None and kind == PaymentMethod.CASH and given < total:
            raise ValidationError(
                _("The money handed over ({tendered} yen) is less than the amount ({amount} yen).").format(tendered=f"{given:,}", amount=f"{total:,}"),
                field_name="tendered")
        fiscal_year, unit = receipt_fiscal_year(day), cash_unit(facility)
        serial = next_serial(session, RECEIPT, fiscal_year, unit)
        first = bookings[0]
        payment = Payment(
            receipt_no=format_number(RECEIPT, fiscal_year, serial, unit), fiscal_year=fiscal_year, unit=unit, serial=serial,
            facility_id=facility.id, group_id=first.group_id, payer_name=first.applicant_name, amount_yen=total, method=kind.value,
            received_on=day, recorded_at=clock.now(), recorded_by_id=user.id, recorded_by=user.display_name,
            tendered_yen=given if kind == PaymentMethod.CASH else None, note=note,
        )
        session.add(payment)
        session.flush()
        left = total
        for b in bookings:
            part = min(left, money[b.id].outstanding)
            if part <= 0:
                break
            session.add(PaymentAllocation(payment_id=payment.id, booking_id=b.id, amount_yen=part))
            left -= part
            if b.status == BookingStatus.PROVISIONAL and part == money[b.id].outstanding:
                b.status, b.updated_at, b.updated_by = BookingStatus.CONFIRMED, clock.now(), user.display_name
                audit.record(session, user, "booking", b.id, "confirm", {"status": BookingStatus.PROVISIONAL.value},
                             {"status": BookingStatus.CONFIRMED.value}, note=payment.receipt_no)
        session.flush()
        audit.record(session, user, "payment", payment.receipt_no, "create", None, {
            "amount_yen": total, "method": kind.value, "received_on": day, "bookings": [slip_label(b) for b in bookings],
            "tendered_yen": payment.tendered_yen,
        }, note=note)
        return q.payment_view(session, payment)


def void_payment(ctx: ServiceContext, receipt_no: str, reason: str, *, replace_with: Sequence[int] | None = None) -> PaymentView:
    """訂正: void the payment of ``receipt_no`` with ``reason`` (required). The receipt keeps its
    number and stays in the ledger, marked 取消; its bookings owe the money again. Refused when
    it is already voided, when refunds or 充当 were made against it (void those first), or when
    today's cash is closed. Returns the voided payment's view."""
    user = ctx.require(*CASH_ROLES)
    why = _text(reason, "reason", _("Enter the reason for the correction."))
    with ctx.db.write() as session:
        payment = load_payment(session, receipt_no, lock=True)
        lock_bookings(session, [a.booking_id for a in session.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id))])
        if q.is_voided(session, "payment", payment.id):
            raise RuleError(_("Receipt {number} is already voided.").format(number=payment.receipt_no), RuleCode.STATUS, "voided")
        if sum(q.taken_from(session, payment.id).values()):
            raise RuleError(
                _("Receipt {number} has refunds or amounts applied to other bookings; void those first.").format(number=payment.receipt_no),
                RuleCode.STATUS, "refunded")
        _record_void(session, user, "payment", payment.id, payment.facility_id, payment.receipt_no, why)
        return q.payment_view(session, payment)


def _record_void(session: Session, user: CurrentUser, entry_kind: str, entry_id: int, facility_id: int, number: str, why: str) -> None:
    """訂正 of one ledger entry (``entry_kind`` "payment" or "refund", its row ``entry_id`` and
    printed ``number``), once the caller has locked it and refused what its kind refuses: the
    void is dated today at ``facility_id``, whose cash must still be open (else RuleError), and
    audited with the reason ``why``. The entry itself is never changed (docs/money-rules.md)."""
    today = clock.today()
    _check_open_day(session, facility_id, today)
    session.add(LedgerVoid(entry_kind=entry_kind, entry_id=entry_id, facility_id=facility_id, voided_on=today, reason=why,
                           recorded_at=clock.now(), recorded_by=user.display_name))
    session.flush()
    audit.record(session, user, entry_kind, number, "void", {"voided": False}, {"voided": True}, note=why)


# --- reading ------------------------------------------------------------------------------------------


def booking_money(ctx: ServiceContext, booking_ids: Sequence[int]) -> dict[int, BookingMoney]:
    """booking id → its money state and totals (any signed-in role)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return q.money_by_id(session, booking_ids)


def payment(ctx: ServiceContext, receipt_no: str) -> PaymentView:
    """The payment of ``receipt_no`` (as printed; full-width or lower case too)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return q.payment_view(session, load_payment(session, receipt_no))


def payments_for_booking(ctx: ServiceContext, booking_id: int) -> list[PaymentView]:
    """Every payment of a booking, voided ones too (the dialog's money tab)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return [q.payment_view(session, p) for p in q.payments_of_booking(session, booking_id)]
