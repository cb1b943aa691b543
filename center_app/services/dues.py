"""Deadlines of bookings (設定 → 使用料と収納): the 未納・期限切れ list, and ``bookings expire``.

- **Payment deadline**: a booking with a fee is paid at the latest ``payment_deadline_days_before``
  days before use (宇都宮市: 3). From the day after the deadline an unpaid booking is *overdue*:
  ``unpaid_after_deadline`` says whether :func:`expire_bookings` cancels it (宇都宮市 cancels it
  2 days before use) or only lists it. A partly paid booking is only listed (someone paid).
- **仮予約 limit**: a provisional booking is confirmed within ``provisional_limit_days`` of being made
  (仙台市: 8; 綾瀬市: 30). After that ``provisional_after_limit`` says cancel or list.
- Bookings from before the ledger (移行前), exempt (0 円) bookings and bookings whose day of use
  has passed are never cancelled for money; a used booking still unpaid is listed as such.

Cancellations are audited (entity ``booking``, action ``expire``) with the rule as the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.models import Room
from center_app.db.money import CancellationReason
from center_app.domain import clock
from center_app.domain.booking_values import OPEN, BookingStatus
from center_app.domain.center_settings import (
    CANCEL,
    PAYMENT_DEADLINE_DAYS,
    PROVISIONAL_AFTER_LIMIT,
    PROVISIONAL_LIMIT_DAYS,
    UNPAID_AFTER_DEADLINE,
)
from center_app.domain.money import (
    CASH_ROLES,
    DUE_SOON,
    OUTSTANDING,
    OVERDUE,
    PROVISIONAL_EXPIRED,
    REFUND_HELD,
    UNPAID_USED,
    DueItem,
    MoneyState,
    payment_deadline,
    provisional_limit,
)
from center_app.i18n import _
from center_app.services import audit, center_settings
from center_app.services import ledger_queries as q
from center_app.services.bookings import snapshot
from center_app.services.context import ServiceContext
from center_app.services.ledger_refunds import rule_of_booking

#: How many days before its deadline an unpaid booking shows as "due soon".
DUE_SOON_DAYS = 7
#: How far back the list looks for used bookings still unpaid.
UNPAID_LOOKBACK_DAYS = 92


def _rules(session: Session) -> dict:
    return center_settings.get_many(session, (PAYMENT_DEADLINE_DAYS, UNPAID_AFTER_DEADLINE, PROVISIONAL_LIMIT_DAYS, PROVISIONAL_AFTER_LIMIT))


def _items(session: Session, today: dt.date, facility_id: int | None) -> list[DueItem]:
    rules = _rules(session)
    days_before = rules[PAYMENT_DEADLINE_DAYS.key]
    limit_days = rules[PROVISIONAL_LIMIT_DAYS.key]
    since = dt.datetime.combine(today - dt.timedelta(days=UNPAID_LOOKBACK_DAYS), dt.time(0))
    until = dt.datetime.combine(today + dt.timedelta(days=days_before + DUE_SOON_DAYS + 1), dt.time(0))
    query = (
        select(Booking, Room.name).join(Room, Room.id == Booking.room_id)
        .where(Booking.status.in_((*OPEN, BookingStatus.USED, BookingStatus.NO_SHOW)))
        .where(((Booking.start_at >= since) & (Booking.start_at < until)) | (Booking.status == BookingStatus.PROVISIONAL))
        .order_by(Booking.start_at, Booking.id)
    )
    if facility_id is not None:
        query = query.where(Room.facility_id == facility_id)
    rows = session.execute(query).all()
    money = q.money_of(session, [b for b, _name in rows])
    items: list[DueItem] = []
    for booking, room_name in rows:
        m = money[booking.id]
        day = booking.start_at.date()
        if booking.status == BookingStatus.PROVISIONAL:
            limit = provisional_limit(booking.created_at.date(), limit_days)
            if today > limit and day >= today:
                items.append(DueItem(PROVISIONAL_EXPIRED, booking.id, booking.slip_no or "", booking.applicant_name, room_name, booking.start_at,
                                     booking.fee_yen, m.outstanding, limit, rules[PROVISIONAL_AFTER_LIMIT.key], m.state))
                continue
        if m.state not in OUTSTANDING:
            continue
        deadline = payment_deadline(day, days_before)
        if day < today or booking.status in (BookingStatus.USED, BookingStatus.NO_SHOW):
            if booking.status != BookingStatus.NO_SHOW:
                items.append(DueItem(UNPAID_USED, booking.id, booking.slip_no or "", booking.applicant_name, room_name, booking.start_at,
                                     booking.fee_yen, m.outstanding, deadline, "list", m.state))
        elif today > deadline:
            action = rules[UNPAID_AFTER_DEADLINE.key] if m.state == MoneyState.UNPAID else "list"
            items.append(DueItem(OVERDUE, booking.id, booking.slip_no or "", booking.applicant_name, room_name, booking.start_at,
                                 booking.fee_yen, m.outstanding, deadline, action, m.state))
        elif (deadline - today).days <= DUE_SOON_DAYS:
            items.append(DueItem(DUE_SOON, booking.id, booking.slip_no or "", booking.applicant_name, room_name, booking.start_at,
                                 booking.fee_yen, m.outstanding, deadline, "list", m.state))
    items += _refunds_held(session, since, facility_id)
    order = {PROVISIONAL_EXPIRED: 0, OVERDUE: 1, REFUND_HELD: 2, DUE_SOON: 3, UNPAID_USED: 4}
    items.sort(key=lambda item: (order[item.kind], item.start, item.booking_id))
    return items


def _refunds_held(session: Session, since: dt.datetime, facility_id: int | None) -> list[DueItem]:
    """Cancelled bookings (of use from ``since`` on) whose 取消理由 refunds money the center still
    holds: nothing refunded or applied yet, and the rule gives more than 0 円."""
    query = (
        select(Booking, Room.name).join(Room, Room.id == Booking.room_id)
        .join(CancellationReason, CancellationReason.code == Booking.cancel_reason_code)  # a reason that refunds nothing needs no look
        .where(Booking.status == BookingStatus.CANCELLED).where(Booking.start_at >= since).where(CancellationReason.refund_percent > 0)
    )
    if facility_id is not None:
        query = query.where(Room.facility_id == facility_id)
    rows = session.execute(query).all()
    money = q.money_of(session, [b for b, _name in rows])
    items = []
    for booking, room_name in rows:
        m = money[booking.id]
        if m.state != MoneyState.NOT_REFUNDED or m.refundable <= 0:
            continue
        rule = rule_of_booking(session, booking.id)
        if rule.amount <= 0:
            continue
        rule_text = _("{name} (refund {rate}%)").format(name=rule.reason_name, rate=rule.rate) if rule.rate is not None else ""
        items.append(DueItem(REFUND_HELD, booking.id, booking.slip_no or "", booking.applicant_name, room_name, booking.start_at,
                             booking.fee_yen, rule.amount, (booking.cancelled_at or booking.start_at).date(), "refund", m.state,
                             rule=rule_text))
    return items


def due_items(ctx: ServiceContext, facility_id: int | None = None) -> list[DueItem]:
    """The 未納・期限切れ list of today: 仮予約 past their limit, bookings unpaid past their
    deadline, cancelled ones whose 取消理由 refunds money still held, unpaid ones due within a
    week, used ones still unpaid (the last three months) — in that order, then by date. 移行前 and exempt bookings never appear (their state is not 未納)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return _items(session, clock.today(), facility_id)


@dataclass(frozen=True)
class ExpiryResult:
    """What ``bookings expire`` found: every item past a deadline or limit, and the ids of the
    bookings it cancelled (empty for a dry run or when 設定 says "only list")."""

    items: tuple[DueItem, ...]
    cancelled: tuple[int, ...]
    dry_run: bool


def expire_bookings(ctx: ServiceContext, *, dry_run: bool = False) -> ExpiryResult:
    """Apply the deadlines of 設定: list every 仮予約 past its limit and every booking unpaid past
    its payment deadline, and — unless ``dry_run`` — cancel those the rule cancels, in one
    transaction, each audited with the rule as its reason. Counter staff and administrators."""
    user = ctx.require(*CASH_ROLES)
    with ctx.db.write() as session:
        items = [i for i in _items(session, clock.today(), None) if i.kind in (OVERDUE, PROVISIONAL_EXPIRED)]
        cancelled: list[int] = []
        if not dry_run:
            for item in items:
                if item.action != CANCEL:
                    continue
                booking = session.scalar(select(Booking).where(Booking.id == item.booking_id).with_for_update())
                if booking is None or booking.status not in OPEN:
                    continue
                reason = (_("Provisional booking not confirmed by {date} (automatic cancellation)") if item.kind == PROVISIONAL_EXPIRED
                          else _("Not paid by the deadline {date} (automatic cancellation)")).format(date=f"{item.limit:%Y-%m-%d}")
                before = snapshot(booking)
                booking.status, booking.cancel_reason, booking.cancelled_at = BookingStatus.CANCELLED, reason, clock.now()
                booking.updated_at, booking.updated_by = clock.now(), user.display_name
                audit.record(session, user, "booking", booking.id, "expire", *audit.changes(before, snapshot(booking)), note=reason)
                cancelled.append(booking.id)
        return ExpiryResult(tuple(items), tuple(cancelled), dry_run)
