"""Reading the money ledger inside a service's transaction: the totals that give each booking
its money state, and the rows of a payment or refund. Entries voided by a 訂正 never count.
Money comes only from the ledger (``payments``, ``payment_allocations``, ``refunds``): a
booking's columns give its fee, never what was paid."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from center_app.db.bookings import Booking
from center_app.db.models import Facility, Room
from center_app.db.money import LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.domain.booking_values import BookingStatus
from center_app.domain.money import APPLIED_KIND, REFUND_KIND, BookingMoney, PaidBooking, PaymentView, RefundView, booking_money


def payment_live() -> ColumnElement[bool]:
    """SQL condition: the payment of the current row is not voided."""
    return ~exists().where(and_(LedgerVoid.entry_kind == "payment", LedgerVoid.entry_id == Payment.id))


def refund_live() -> ColumnElement[bool]:
    """SQL condition: the refund of the current row is not voided."""
    return ~exists().where(and_(LedgerVoid.entry_kind == "refund", LedgerVoid.entry_id == Refund.id))


def _chunks(ids: list[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def totals(session: Session, booking_ids: Iterable[int]) -> dict[int, tuple[int, int, int, int]]:
    """booking id → (received, refunded, applied_out, applied_in) in yen, from entries not voided."""
    ids = sorted(set(booking_ids))
    result: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for chunk in _chunks(ids):
        for booking_id, amount in session.execute(
            select(PaymentAllocation.booking_id, func.sum(PaymentAllocation.amount_yen))
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .where(PaymentAllocation.booking_id.in_(chunk), payment_live())
            .group_by(PaymentAllocation.booking_id)
        ):
            result[booking_id][0] += int(amount or 0)
        for booking_id, kind, amount in session.execute(
            select(Refund.booking_id, Refund.kind, func.sum(Refund.amount_yen))
            .where(Refund.booking_id.in_(chunk), refund_live())
            .group_by(Refund.booking_id, Refund.kind)
        ):
            result[booking_id][1 if kind == REFUND_KIND else 2] += int(amount or 0)
        for booking_id, amount in session.execute(
            select(Refund.target_booking_id, func.sum(Refund.amount_yen))
            .where(Refund.target_booking_id.in_(chunk), Refund.kind == APPLIED_KIND, refund_live())
            .group_by(Refund.target_booking_id)
        ):
            result[booking_id][3] += int(amount or 0)
    return {k: (v[0], v[1], v[2], v[3]) for k, v in result.items()}


def money_of(session: Session, bookings: Iterable[Booking]) -> dict[int, BookingMoney]:
    """booking id → :class:`BookingMoney` of stored bookings (their fee, status and 移行前 flag,
    and the ledger's totals)."""
    items = list(bookings)
    found = totals(session, (b.id for b in items))
    return {
        b.id: booking_money(
            b.id, fee=b.fee_yen, cancelled=b.status == BookingStatus.CANCELLED, legacy=bool(b.ledger_legacy),
            **dict(zip(("received", "refunded", "applied_out", "applied_in"), found.get(b.id, (0, 0, 0, 0)), strict=True)),
        )
        for b in items
    }


def money_by_id(session: Session, booking_ids: Iterable[int]) -> dict[int, BookingMoney]:
    """:func:`money_of` for booking ids (ids that do not exist are left out)."""
    ids = sorted(set(booking_ids))
    rows: list[Booking] = []
    for chunk in _chunks(ids):
        rows += session.scalars(select(Booking).where(Booking.id.in_(chunk))).all()
    return money_of(session, rows)


def taken_from(session: Session, payment_id: int) -> dict[int, int]:
    """booking id → refunds and 充当 already made against payment ``payment_id`` (not voided)."""
    return {
        booking_id: int(amount or 0)
        for booking_id, amount in session.execute(
            select(Refund.booking_id, func.sum(Refund.amount_yen)).where(Refund.payment_id == payment_id, refund_live()).group_by(Refund.booking_id)
        )
    }


def is_voided(session: Session, kind: str, entry_id: int) -> LedgerVoid | None:
    """The void of a payment or refund, None when it stands."""
    return session.scalar(select(LedgerVoid).where(LedgerVoid.entry_kind == kind, LedgerVoid.entry_id == entry_id))


def payment_view(session: Session, payment: Payment) -> PaymentView:
    """The frozen view of a stored payment (its bookings, void and refunds)."""
    rows = session.execute(
        select(PaymentAllocation.booking_id, PaymentAllocation.amount_yen, Booking.slip_no, Booking.start_at, Booking.end_at, Room.name)
        .join(Booking, Booking.id == PaymentAllocation.booking_id)
        .join(Room, Room.id == Booking.room_id)
        .where(PaymentAllocation.payment_id == payment.id)
        .order_by(Booking.start_at, Booking.id)
    ).all()
    void = is_voided(session, "payment", payment.id)
    facility = session.get(Facility, payment.facility_id)
    corrects = session.get(Payment, payment.corrects_payment_id) if payment.corrects_payment_id else None
    return PaymentView(
        id=payment.id, receipt_no=payment.receipt_no, facility_id=payment.facility_id, facility_name=facility.name if facility else "",
        payer_name=payment.payer_name, group_id=payment.group_id, amount=payment.amount_yen, method=payment.method,
        received_on=payment.received_on, recorded_at=payment.recorded_at, recorded_by=payment.recorded_by,
        bookings=tuple(PaidBooking(r.booking_id, r.slip_no or "", r.start_at, r.end_at, r.name, r.amount_yen) for r in rows),
        tendered=payment.tendered_yen, note=payment.note, voided=void is not None, void_reason=void.reason if void else "",
        refunded=sum(taken_from(session, payment.id).values()), corrects=corrects.receipt_no if corrects else "",
    )


def refund_view(session: Session, refund: Refund) -> RefundView:
    """The frozen view of a stored refund or 充当."""
    payment = session.get(Payment, refund.payment_id)
    booking = session.get(Booking, refund.booking_id)
    target = session.get(Booking, refund.target_booking_id) if refund.target_booking_id else None
    return RefundView(
        id=refund.id, refund_no=refund.refund_no, kind=refund.kind, receipt_no=payment.receipt_no if payment else "",
        booking_id=refund.booking_id, slip_no=(booking.slip_no or "") if booking else "", target_slip_no=(target.slip_no or "") if target else "",
        facility_id=refund.facility_id, amount=refund.amount_yen, method=refund.method, reason=refund.reason, rule=refund.rule,
        rate=refund.rate_percent, refunded_on=refund.refunded_on, recorded_by=refund.recorded_by, approved_by=refund.approved_by,
        voided=is_voided(session, "refund", refund.id) is not None,
    )


def payments_of_booking(session: Session, booking_id: int) -> list[Payment]:
    """Every payment (voided ones too) that paid booking ``booking_id``, oldest first."""
    return list(session.scalars(
        select(Payment).join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
        .where(PaymentAllocation.booking_id == booking_id).order_by(Payment.received_on, Payment.id)
    ))
