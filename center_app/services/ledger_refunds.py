"""還付 and 充当: paying back money of a receipt by the rules (the 還付率 of a cancelled
booking's 取消理由, or the overpayment of a lowered fee) or an administrator's decision, moving
it to another booking of the same applicant instead, voiding a refund entered by mistake, and
the configured 取消理由. Numbers (``K2026-…``) from the counter row of
:func:`center_app.services.ledger.next_serial`; the same locking, audit and refusals as
:mod:`center_app.services.ledger` (docs/money-rules.md).

Who: counter staff and administrators; a refund above what the cancellation rule gives needs an
administrator (who is recorded as approving it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.models import Facility
from center_app.db.money import CancellationReason, Payment, PaymentAllocation, Refund
from center_app.domain import clock
from center_app.domain.booking_values import BookingStatus, status_label
from center_app.domain.errors import PermissionDenied, RuleCode, RuleError, ValidationError
from center_app.domain.money import (
    APPLIED_KIND,
    CASH_ROLES,
    REFUND,
    REFUND_KIND,
    BookingMoney,
    PaymentMethod,
    RefundView,
    format_number,
    normalize_number,
    receipt_fiscal_year,
    refund_for_rate,
)
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services import ledger_queries as q
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.ledger import (
    _amount,
    _check_open_day,
    _method,
    _record_void,
    _text,
    cash_unit,
    load_payment,
    lock_bookings,
    next_serial,
    same_applicant,
    slip_label,
)


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
        receipts = list(dict.fromkeys(p.receipt_no for p, rule in _booking_rules(session, booking_id) if rule.amount > 0))
        slip = session.scalar(select(Booking.slip_no).where(Booking.id == booking_id)) or str(booking_id)
    if not receipts:
        raise RuleError(_("The rules refund nothing of booking {slip}.").format(slip=slip), RuleCode.REFUND_RULE, 0)
    views: list[RefundView] = []
    for receipt_no in receipts:
        views += refund_payment(ctx, receipt_no, reason)
    return views


def booking_refund_rule(ctx: ServiceContext, booking_id: int) -> RefundRule:
    """What the rules refund of booking ``booking_id`` now, from every receipt not voided that
    paid it: the name of its 取消理由 and its 還付率 (None when it is not cancelled under a
    configured reason) and the amount in yen (0: nothing to refund) — the refund form's default."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        return rule_of_booking(session, booking_id)


def rule_of_booking(session: Session, booking_id: int) -> RefundRule:
    """:func:`booking_refund_rule` inside ``session``."""
    rules = [rule for _payment, rule in _booking_rules(session, booking_id)]
    if not rules:
        return RefundRule(booking_id, "", None, 0)
    return RefundRule(booking_id, rules[0].reason_name, rules[0].rate, sum(r.amount for r in rules))


def _booking_rules(session: Session, booking_id: int) -> list[tuple[Payment, RefundRule]]:
    """(receipt, what the rules refund of booking ``booking_id`` from it) for every receipt not
    voided that paid it, in the ledger's order."""
    return [(p, r) for p in q.payments_of_booking(session, booking_id) if not q.is_voided(session, "payment", p.id)
            for r in _rules(session, p) if r.booking_id == booking_id]


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
        _record_void(session, user, "refund", refund.id, refund.facility_id, refund.refund_no, why)
        return q.refund_view(session, refund)


def refunds_for_booking(ctx: ServiceContext, booking_id: int) -> list[RefundView]:
    """Refunds and 充当 from (or to) a booking, voided ones too."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rows = session.scalars(select(Refund).where((Refund.booking_id == booking_id) | (Refund.target_booking_id == booking_id)).order_by(Refund.id))
        return [q.refund_view(session, r) for r in rows]


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
