"""使用料の収納: recording payments, refunds (還付), 充当 and voids (訂正); receipt numbers; the
day close (日計の締め). One write transaction per action, audited; nothing in the ledger is ever
edited or deleted (docs/architecture.md §4, "Money").

Concurrency: every action locks the rows it decides on before reading the ledger — the bookings
paid (``SELECT … FOR UPDATE`` in id order on PostgreSQL; ``BEGIN IMMEDIATE`` holds the whole
SQLite file) — so two clerks paying the same booking at once take turns and the second is told
it is paid. Numbers come from a counter row (:func:`next_serial`) locked in the same transaction:
a receipt number is given only when its payment commits, so the numbers of a fiscal year (and
cash unit) are consecutive with no gaps, and a voided receipt keeps its number.

Who: counter staff and administrators record payments, refunds and voids; a refund above what
the cancellation rule gives needs an administrator (who is recorded as approving it).

Errors (nothing written): ValidationError naming the booking or receipt (unknown, cancelled,
already paid, 0 円, amount negative / not whole yen / above what is due or was paid, a closed
day), RuleError for a refused state, PermissionDenied for the role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.models import Facility, Room
from center_app.db.money import CancellationReason, DayClose, DocumentCounter, LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.domain import clock
from center_app.domain.booking_values import BookingStatus, status_label
from center_app.domain.errors import FieldProblem, PermissionDenied, RuleCode, RuleError, ValidationError
from center_app.domain.money import (
    APPLIED_KIND,
    CASH_ROLES,
    RECEIPT,
    REFUND,
    REFUND_KIND,
    BookingMoney,
    PaymentMethod,
    PaymentView,
    RefundView,
    format_number,
    method_label,
    normalize_number,
    parse_yen,
    receipt_fiscal_year,
    refund_for_rate,
)
from center_app.domain.roles import Role
from center_app.domain.wareki import format_day
from center_app.i18n import N_, _
from center_app.services import audit, income
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
    shared lock of the facility row first (PostgreSQL ``FOR SHARE``), which :func:`close_day`
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
        today = clock.today()
        _check_open_day(session, payment.facility_id, today)
        session.add(LedgerVoid(entry_kind="payment", entry_id=payment.id, facility_id=payment.facility_id, voided_on=today, reason=why,
                               recorded_at=clock.now(), recorded_by=user.display_name))
        session.flush()
        audit.record(session, user, "payment", payment.receipt_no, "void", {"voided": False}, {"voided": True}, note=why)
        return q.payment_view(session, payment)


# --- refunds and 充当 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefundRule:
    """What the cancellation rule refunds for one booking of a receipt: the reason and its rate
    (None when the booking is not cancelled under a configured reason), and the amount in yen."""

    booking_id: int
    reason_name: str
    rate: int | None
    amount: int


def _rule_for(session: Session, booking: Booking, paid: int, taken: int, money: BookingMoney) -> RefundRule:
    """The amount the rules refund of ``paid`` (this receipt's part of ``booking``): a cancelled
    booking's 取消理由 rate (when cancelled at least its ``min_days_before`` days before use), or
    the overpayment of a booking whose fee was lowered."""
    if booking.status == BookingStatus.CANCELLED:
        reason = session.scalar(select(CancellationReason).where(CancellationReason.code == booking.cancel_reason_code)) if booking.cancel_reason_code else None
        if reason is None:
            return RefundRule(booking.id, "", None, 0)
        rate = reason.refund_percent
        cancelled_on = (booking.cancelled_at or clock.now()).date()
        if reason.min_days_before is not None and (booking.start_at.date() - cancelled_on).days < reason.min_days_before:
            rate = 0
        return RefundRule(booking.id, reason.name, rate, max(refund_for_rate(paid, rate) - taken, 0))
    return RefundRule(booking.id, "", None, min(money.refundable, paid - taken))


def refund_rules(ctx: ServiceContext, receipt_no: str) -> list[RefundRule]:
    """What the rules would refund for each booking of receipt ``receipt_no`` (the refund form's
    default)."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        payment = load_payment(session, receipt_no)
        return _rules(session, payment)


def _rules(session: Session, payment: Payment) -> list[RefundRule]:
    allocations = session.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id).order_by(PaymentAllocation.id)).all()
    taken = q.taken_from(session, payment.id)
    bookings = {b.id: b for b in session.scalars(select(Booking).where(Booking.id.in_([a.booking_id for a in allocations])))}
    money = q.money_of(session, bookings.values())
    return [_rule_for(session, bookings[a.booking_id], a.amount_yen, taken.get(a.booking_id, 0), money[a.booking_id]) for a in allocations]


def refund_payment(ctx: ServiceContext, receipt_no: str, reason: str, amount: str | int | None = None, *,
                   method: str | None = None) -> list[RefundView]:
    """還付: pay back money of receipt ``receipt_no`` (dated today), with ``reason`` (required),
    the way it was paid unless ``method`` says otherwise (cash back for cash, a transfer for a
    transfer).

    ``amount`` defaults to what the rules give (:func:`refund_rules`: the 還付率 of the
    cancellation reason, or an overpayment). A larger amount — up to what the cancelled bookings
    of the receipt still hold — is a decision: administrators only, recorded as approving it
    ("manual"). One refund row (numbered ``K2026-…``) per booking the amount comes from.

    Refused, writing nothing: a voided receipt, nothing refundable by the rules and no amount,
    more than was paid, an amount that is not whole yen or 0 or less, today's cash closed, and
    (RuleError) money of a booking that is neither cancelled nor overpaid — the ledger rules
    refund only a cancellation (by the rate of its 取消理由, 宇都宮市) or a lowered fee; a payment
    recorded by mistake is corrected by :func:`void_payment` (docs/money-rules.md)."""
    user = ctx.require(*CASH_ROLES)
    why = _text(reason, "reason", _("Enter the reason for the refund."))
    wanted = _amount(amount)
    kind = _method(method) if method else None
    today = clock.today()
    with ctx.db.write() as session:
        payment = load_payment(session, receipt_no, lock=True)
        kind = kind or PaymentMethod(payment.method)
        locked = lock_bookings(session, [a.booking_id for a in session.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id))])
        if q.is_voided(session, "payment", payment.id):
            raise RuleError(_("Receipt {number} is voided; nothing can be refunded from it.").format(number=payment.receipt_no), RuleCode.STATUS, "voided")
        rules = _rules(session, payment)
        allocations = {a.booking_id: a.amount_yen for a in session.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id))}
        taken = q.taken_from(session, payment.id)
        held = {b: allocations[b] - taken.get(b, 0) for b in allocations}
        by_rule = sum(r.amount for r in rules)
        total_held = sum(held.values())
        # what may be refunded at all: what a cancelled booking holds, and only the overpayment of one
        # still to be used (DESIGN §4: a correction is a void and a new entry, never a refund)
        limit = {r.booking_id: held[r.booking_id] if locked[r.booking_id].status == BookingStatus.CANCELLED else r.amount for r in rules}
        still_used = [locked[r.booking_id] for r in rules if held[r.booking_id] > limit[r.booking_id]]
        if still_used and ((wanted is None and by_rule <= 0 and sum(limit.values()) <= 0)
                           or (wanted is not None and sum(limit.values()) < wanted <= total_held)):
            raise RuleError(
                _("Booking {slip} is not cancelled and its fee was not lowered, so its payment is not refunded. Cancel the booking "
                  "with its reason first; a payment recorded by mistake is corrected by voiding receipt {number}.").format(
                    slip=slip_label(still_used[0]), number=payment.receipt_no),
                RuleCode.REFUND_RULE, 0)
        if wanted is None:
            if by_rule <= 0:
                raise RuleError(
                    _("The rules refund nothing of receipt {number}. An administrator may refund an amount given explicitly.").format(number=payment.receipt_no),
                    RuleCode.REFUND_RULE, 0)
            wanted = by_rule
        if wanted > total_held:
            raise ValidationError(
                _("{amount} yen is more than receipt {number} still holds ({held} yen).").format(amount=f"{wanted:,}", number=payment.receipt_no, held=f"{total_held:,}"),
                field_name="amount")
        manual = wanted > by_rule
        if manual and user.role != Role.ADMIN:
            raise PermissionDenied(
                _("The rules refund {rule} yen of receipt {number}; refunding more needs an administrator's approval.").format(rule=f"{by_rule:,}", number=payment.receipt_no),
                Role.ADMIN.value)
        _check_open_day(session, payment.facility_id, today)
        views = []
        left = wanted
        fiscal_year = receipt_fiscal_year(today)
        facility = session.get(Facility, payment.facility_id)
        for rule in sorted(rules, key=lambda r: -r.amount):
            if left <= 0:
                break
            part = min(left, rule.amount if not manual else limit[rule.booking_id])
            if part <= 0:
                continue
            left -= part
            views.append(_add_refund(session, user, payment, facility, rule, part, REFUND_KIND, kind.value, why, today, fiscal_year, manual=manual))
        return views


def refund_booking(ctx: ServiceContext, booking_id: int, reason: str) -> list[RefundView]:
    """還付 of one booking by the rules (the 還付率 of its 取消理由, or an overpayment), from every
    receipt that paid it: the counter's "refund" of a cancelled booking. Refused (RuleError) when
    the rules refund nothing; otherwise as :func:`refund_payment`."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        receipts = [p.receipt_no for p in q.payments_of_booking(session, booking_id) if not q.is_voided(session, "payment", p.id)
                    and any(r.booking_id == booking_id and r.amount > 0 for r in _rules(session, p))]
        slip = session.scalar(select(Booking.slip_no).where(Booking.id == booking_id)) or str(booking_id)
    if not receipts:
        raise RuleError(_("The rules refund nothing of booking {slip}.").format(slip=slip), RuleCode.REFUND_RULE, 0)
    views: list[RefundView] = []
    for receipt_no in receipts:
        views += refund_payment(ctx, receipt_no, reason)
    return views


def _add_refund(session: Session, user: CurrentUser, payment: Payment, facility: Facility, rule: RefundRule, amount: int, kind: str,
                method: str, reason: str, today: dt.date, fiscal_year: int, *, manual: bool, target: Booking | None = None) -> RefundView:
    unit = cash_unit(facility)
    serial = next_serial(session, REFUND, fiscal_year, unit)
    rule_text = "manual" if manual else (f"{rule.reason_name} {rule.rate}%" if rule.rate is not None else "overpayment")
    refund = Refund(
        refund_no=format_number(REFUND, fiscal_year, serial, unit), kind=kind, payment_id=payment.id, booking_id=rule.booking_id,
        target_booking_id=target.id if target else None, facility_id=payment.facility_id, amount_yen=amount, method=method,
        reason=reason, rule=rule_text, rate_percent=None if manual else rule.rate, refunded_on=today, recorded_at=clock.now(),
        recorded_by=user.display_name, approved_by=user.display_name if (manual or user.role == Role.ADMIN) else "",
    )
    session.add(refund)
    session.flush()
    audit.record(session, user, "refund", refund.refund_no, "create", None, {
        "kind": kind, "receipt_no": payment.receipt_no, "booking_id": rule.booking_id, "amount_yen": amount, "rule": rule_text,
        "target_booking_id": refund.target_booking_id,
    }, note=reason)
    return q.refund_view(session, refund)


def apply_to_booking(ctx: ServiceContext, booking_id: int, target_booking_id: int, reason: str) -> list[RefundView]:
    """充当: instead of a refund, move what the rules would refund of cancelled booking
    ``booking_id`` to ``target_booking_id`` of the same applicant (up to what it still owes). No
    cash moves; the target is paid by the original receipt(s). Refused: the source is not
    cancelled or holds nothing refundable, the target is cancelled, of another applicant or owes
    nothing; today's cash closed."""
    user = ctx.require(*CASH_ROLES)
    why = _text(reason, "reason", _("Enter the reason for applying the amount to another booking."))
    today = clock.today()
    with ctx.db.write() as session:
        locked = lock_bookings(session, [booking_id, target_booking_id])
        source, target = locked[booking_id], locked[target_booking_id]
        if source.status != BookingStatus.CANCELLED:
            raise RuleError(_("Only the payment of a cancelled booking can be applied to another booking ({slip} is {status}).").format(
                slip=slip_label(source), status=status_label(source.status)), RuleCode.STATUS, source.status)
        if target.status == BookingStatus.CANCELLED or target.id == source.id:
            raise RuleError(_("Booking {slip} is cancelled; choose a booking that will be used.").format(slip=slip_label(target)), RuleCode.STATUS, target.status)
        same_applicant([source, target], "applied")
        owed = q.money_of(session, [target])[target.id].outstanding
        if owed <= 0:
            raise ValidationError(_("Booking {slip} owes nothing.").format(slip=slip_label(target)), field_name="booking")
        payments = [p for p in q.payments_of_booking(session, source.id) if not q.is_voided(session, "payment", p.id)]
        views = []
        for payment in payments:
            if owed <= 0:
                break
            rule = next((r for r in _rules(session, payment) if r.booking_id == source.id), None)
            if rule is None or rule.amount <= 0:
                continue
            _check_open_day(session, payment.facility_id, today)
            part = min(rule.amount, owed)
            owed -= part
            views.append(_add_refund(session, user, payment, session.get(Facility, payment.facility_id), rule, part, APPLIED_KIND,
                                     "none", why, today, receipt_fiscal_year(today), manual=False, target=target))
        if not views:
            raise RuleError(_("The rules refund nothing of booking {slip}, so nothing can be applied.").format(slip=slip_label(source)), RuleCode.REFUND_RULE, 0)
        return views


def void_refund(ctx: ServiceContext, refund_no: str, reason: str) -> RefundView:
    """訂正 of a refund or 充当 entered by mistake: it no longer counts (its number is kept)."""
    user = ctx.require(*CASH_ROLES)
    why = _text(reason, "reason", _("Enter the reason for the correction."))
    with ctx.db.write() as session:
        refund = session.scalar(select(Refund).where(Refund.refund_no == normalize_number(refund_no)).with_for_update())
        if refund is None:
            raise ValidationError(_("There is no refund number {number}.").format(number=refund_no), field_name="refund")
        if q.is_voided(session, "refund", refund.id):
            raise RuleError(_("Refund {number} is already voided.").format(number=refund.refund_no), RuleCode.STATUS, "voided")
        today = clock.today()
        _check_open_day(session, refund.facility_id, today)
        session.add(LedgerVoid(entry_kind="refund", entry_id=refund.id, facility_id=refund.facility_id, voided_on=today, reason=why,
                               recorded_at=clock.now(), recorded_by=user.display_name))
        session.flush()
        audit.record(session, user, "refund", refund.refund_no, "void", {"voided": False}, {"voided": True}, note=why)
        return q.refund_view(session, refund)


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


def refunds_for_booking(ctx: ServiceContext, booking_id: int) -> list[RefundView]:
    """Refunds and 充当 from (or to) a booking, voided ones too."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rows = session.scalars(select(Refund).where((Refund.booking_id == booking_id) | (Refund.target_booking_id == booking_id)).order_by(Refund.id))
        return [q.refund_view(session, r) for r in rows]


# --- 日計の締め ----------------------------------------------------------------------------------------


def is_day_closed(ctx: ServiceContext, facility_id: int, day: dt.date) -> bool:
    """Whether ``day``'s cash of the facility is closed."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return session.scalar(select(DayClose.id).where(DayClose.facility_id == facility_id, DayClose.day == day)) is not None


def close_day(ctx: ServiceContext, facility_id: int, day: dt.date | None = None) -> dict:
    """日計の締め: lock ``day`` (default today) of the facility's cash: payments, refunds and
    voids dated that day are refused from now on. Keeps the 収入日報's totals (method → yen,
    net cash) with the close, audited. Refused for a future day or a day already closed."""
    user = ctx.require(*CASH_ROLES)
    day = day or clock.today()
    if day > clock.today():
        raise ValidationError(_("A future day cannot be closed."), field_name="day")
    with ctx.db.write() as session:
        # the facility row exclusively: entries being written finish first and are counted
        session.execute(select(Facility.id).where(Facility.id == facility_id).with_for_update()).all()
        if session.scalar(select(DayClose.id).where(DayClose.facility_id == facility_id, DayClose.day == day)) is not None:
            raise RuleError(_("{date} is already closed.").format(date=format_day(day)), RuleCode.DAY_CLOSED, day)
        report = income.daily_income_in(session, day, facility_id)
        totals = {"by_method": dict(report.by_method), "net_cash": report.net_cash, "net_total": report.net_total}
        session.add(DayClose(facility_id=facility_id, day=day, closed_at=clock.now(), closed_by=user.display_name, totals=totals))
        session.flush()
        audit.record(session, user, "day_close", f"{facility_id}:{day.isoformat()}", "create", None, totals)
    return totals


# --- cancellation reasons ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReasonChoice:
    """A configured 取消理由 with its 還付率 and the days before use it needs."""

    code: str
    name: str
    refund_percent: int
    min_days_before: int | None


def cancellation_reasons(ctx: ServiceContext) -> list[ReasonChoice]:
    """The active 取消理由 in display order (設定 → 取消理由)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rows = session.scalars(select(CancellationReason).where(CancellationReason.active.is_(True)).order_by(CancellationReason.sort_order, CancellationReason.id))
        return [ReasonChoice(r.code, r.name, r.refund_percent, r.min_days_before) for r in rows]
