"""収入日報 and 収入月報 / 調定表 from the money ledger (definitions in
:mod:`center_app.domain.income_values`). Money comes only from the ledger; a booking gives its
fee and 減免, never what was paid. Counter staff and administrators read them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.equipment import CounterCharge, CounterChargePayment
from center_app.db.lockers import LockerAllocation, LockerUnit
from center_app.db.models import Facility, Room
from center_app.db.money import DayClose, LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.domain import clock
from center_app.domain.booking_values import BookingStatus
from center_app.domain.equipment import ChargeKind, charge_kind_label
from center_app.domain.income_values import (
    APPLIED_LINE,
    RECEIPT_LINE,
    REFUND_LINE,
    REFUND_VOID_LINE,
    VOID_LINE,
    AssessmentRow,
    CashMonth,
    DailyIncome,
    IncomeLine,
    IncomeSummary,
)
from center_app.domain.money import APPLIED_KIND, CASH_ROLES, REFUND_KIND, PaymentMethod
from center_app.domain.statistics_values import FacilityChoice, Period
from center_app.i18n import _
from center_app.services import ledger_queries as q
from center_app.services.context import ServiceContext


def _facility(session: Session, facility_id: int | None) -> FacilityChoice | None:
    if facility_id is None:
        return None
    facility = session.get(Facility, facility_id)
    if facility is None:
        from center_app.domain.errors import ValidationError

        raise ValidationError(_("The facility no longer exists."), field_name="facility")
    return FacilityChoice(facility.id, facility.code, facility.name)


def _slips(session: Session, payment_ids: list[int]) -> dict[int, str]:
    slips: dict[int, list[str]] = defaultdict(list)
    if payment_ids:
        for payment_id, slip in session.execute(
            select(PaymentAllocation.payment_id, Booking.slip_no).join(Booking, Booking.id == PaymentAllocation.booking_id)
            .where(PaymentAllocation.payment_id.in_(payment_ids)).order_by(Booking.start_at)
        ):
            slips[payment_id].append(slip or "")
    return {k: " ".join(v) for k, v in slips.items()}


def _lines(session: Session, first: dt.date, last: dt.date, facility_id: int | None) -> list[IncomeLine]:
    """Every ledger entry dated ``first`` … ``last`` (inclusive), signed, oldest first."""
    names = dict(session.execute(select(Facility.id, Facility.name)).all())
    lines: list[IncomeLine] = []

    def where_facility(column):
        return [column == facility_id] if facility_id is not None else []

    payments = session.scalars(
        select(Payment).where(Payment.received_on >= first, Payment.received_on <= last, *where_facility(Payment.facility_id))
    ).all()
    voids = session.execute(
        select(LedgerVoid, Payment).join(Payment, and_(LedgerVoid.entry_kind == "payment", Payment.id == LedgerVoid.entry_id))
        .where(LedgerVoid.voided_on >= first, LedgerVoid.voided_on <= last, *where_facility(LedgerVoid.facility_id))
    ).all()
    slips = _slips(session, [p.id for p in payments] + [p.id for _v, p in voids])
    for p in payments:
        at = dt.datetime.combine(p.received_on, p.recorded_at.time()) if p.recorded_at.date() == p.received_on else dt.datetime.combine(p.received_on, dt.time(0))
        lines.append(IncomeLine(RECEIPT_LINE, p.receipt_no, at, names.get(p.facility_id, ""), p.payer_name, slips.get(p.id, ""), p.method,
                                p.amount_yen, p.recorded_by, p.note))
    for v, p in voids:
        lines.append(IncomeLine(VOID_LINE, p.receipt_no, v.recorded_at, names.get(p.facility_id, ""), p.payer_name, slips.get(p.id, ""),
                                p.method, -p.amount_yen, v.recorded_by, v.reason))
    refunds = session.execute(
        select(Refund, Payment.payer_name, Booking.slip_no).join(Payment, Payment.id == Refund.payment_id).join(Booking, Booking.id == Refund.booking_id)
        .where(Refund.refunded_on >= first, Refund.refunded_on <= last, *where_facility(Refund.facility_id))
    ).all()
    for r, payer, slip in refunds:
        applied = r.kind == APPLIED_KIND
        lines.append(IncomeLine(APPLIED_LINE if applied else REFUND_LINE, r.refund_no, r.recorded_at, names.get(r.facility_id, ""), payer,
                                slip or "", r.method, -r.amount_yen, r.recorded_by, r.reason, counts=not applied))
    refund_voids = session.execute(
        select(LedgerVoid, Refund, Payment.payer_name).join(Refund, and_(LedgerVoid.entry_kind == "refund", Refund.id == LedgerVoid.entry_id))
        .join(Payment, Payment.id == Refund.payment_id)
        .where(LedgerVoid.voided_on >= first, LedgerVoid.voided_on <= last, *where_facility(LedgerVoid.facility_id))
    ).all()
    for v, r, payer in refund_voids:
        lines.append(IncomeLine(REFUND_VOID_LINE, r.refund_no, v.recorded_at, names.get(r.facility_id, ""), payer, "", r.method,
                                r.amount_yen, v.recorded_by, v.reason, counts=r.kind == REFUND_KIND))
    order = {RECEIPT_LINE: 0, APPLIED_LINE: 1, REFUND_LINE: 2, VOID_LINE: 3, REFUND_VOID_LINE: 4}
    lines.sort(key=lambda line: (line.at, order[line.kind], line.number))
    return lines


def daily_income(ctx: ServiceContext, day: dt.date, facility_id: int | None = None) -> DailyIncome:
    """The 収入日報 of ``day`` for one facility (or every facility): each receipt, void, refund
    and 充当 of the day, the totals by method and clerk and the net cash (counter staff and
    administrators)."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        return daily_income_in(session, day, facility_id)


def daily_income_in(session: Session, day: dt.date, facility_id: int | None) -> DailyIncome:
    """:func:`daily_income` read inside the caller's transaction (the day close counts in the
    transaction that closes)."""
    facility = _facility(session, facility_id)
    lines = _lines(session, day, day, facility_id)
    closed = None
    if facility_id is not None:
        closed = session.scalar(select(DayClose).where(DayClose.facility_id == facility_id, DayClose.day == day))
    return DailyIncome(day, facility, clock.today(), tuple(lines), closed is not None, closed.closed_by if closed else "")


def _assessment(session: Session, period: Period, facility_id: int | None) -> list[AssessmentRow]:
    start = dt.datetime.combine(period.first, dt.time(0))
    end = dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(0))
    # only the ledger rows of the period's bookings (index ix_bookings_start_at, then by booking)
    in_period = select(Booking.id).where(Booking.start_at >= start, Booking.start_at < end)
    alloc = (
        select(PaymentAllocation.booking_id.label("bid"), func.sum(PaymentAllocation.amount_yen).label("yen"))
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.booking_id.in_(in_period), q.payment_live()).group_by(PaymentAllocation.booking_id).subquery()
    )
    out = (
        select(Refund.booking_id.label("bid"),
               func.sum(case((Refund.kind == REFUND_KIND, Refund.amount_yen), else_=0)).label("refunded"),
               func.sum(case((Refund.kind == APPLIED_KIND, Refund.amount_yen), else_=0)).label("applied"))
        .where(Refund.booking_id.in_(in_period), q.refund_live()).group_by(Refund.booking_id).subquery()
    )
    into = (
        select(Refund.target_booking_id.label("bid"), func.sum(Refund.amount_yen).label("yen"))
        .where(Refund.target_booking_id.in_(in_period), Refund.kind == APPLIED_KIND, q.refund_live()).group_by(Refund.target_booking_id).subquery()
    )
    query = (
        select(Booking.room_id, Booking.status, Booking.fee_yen, Booking.waived_yen, Booking.ledger_legacy,
               func.coalesce(alloc.c.yen, 0), func.coalesce(out.c.refunded, 0), func.coalesce(out.c.applied, 0), func.coalesce(into.c.yen, 0))
        .outerjoin(alloc, alloc.c.bid == Booking.id).outerjoin(out, out.c.bid == Booking.id).outerjoin(into, into.c.bid == Booking.id)
        .where(Booking.start_at >= start, Booking.start_at < end)
    )
    rooms = session.execute(
        select(Room.id, Room.name, Facility.id, Facility.name, Room.active).join(Facility, Facility.id == Room.facility_id)
        .where(*([Facility.id == facility_id] if facility_id is not None else [])).order_by(Facility.sort_order, Facility.id, Room.sort_order, Room.id)
    ).all()
    known = {r[0] for r in rooms}
    totals: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
    for room_id, status, fee, waived, legacy, received, refunded, applied_out, applied_in in session.execute(query):
        if room_id not in known:
            continue
        net = int(received) + int(applied_in) - int(refunded) - int(applied_out)
        row = totals[room_id]
        touched = received or refunded or applied_out or applied_in
        if status == BookingStatus.CANCELLED:
            if net > 0:  # 還付なし: the center keeps it
                row[1] += net
                row[3] += net
        elif legacy and not touched:
            row[0] += 1
            row[6] += int(fee)
            row[2] += int(waived)
            continue
        else:
            row[0] += 1
            row[1] += int(fee)
            row[2] += int(waived)
            row[3] += net
            row[4] += max(int(fee) - net, 0)
        row[5] += int(refunded)
    result = []
    for room_id, room_name, _fid, facility_name, active in rooms:
        values = totals.get(room_id)
        if values is None and not active:
            continue
        b, assessed, waived, received, outstanding, refunded, legacy = values or [0] * 7
        result.append(AssessmentRow(facility_name, room_name, b, assessed, waived, received, outstanding, refunded, legacy))
    return result + _charge_rows(session, period, facility_id)


def _charge_rows(session: Session, period: Period, facility_id: int | None) -> list[AssessmentRow]:
    """One row per facility and kind of counter charge (備品使用料, 弁償, 印刷使用料) dated in the
    period: 調定額 the charges, 収入済額 what payments that are not voided pay of them today, 未収額
    the rest (no bookings, no 減免). The daily income counts the same payments."""
    paid = (
        select(CounterChargePayment.charge_id.label("cid"), func.sum(CounterChargePayment.amount_yen).label("yen"))
        .join(Payment, Payment.id == CounterChargePayment.payment_id).where(q.payment_live())
        .group_by(CounterChargePayment.charge_id).subquery()
    )
    query = (
        select(Facility.name, CounterCharge.kind, func.sum(CounterCharge.amount_yen), func.sum(func.coalesce(paid.c.yen, 0)))
        .join(Facility, Facility.id == CounterCharge.facility_id).outerjoin(paid, paid.c.cid == CounterCharge.id)
        .where(CounterCharge.charged_on >= period.first, CounterCharge.charged_on <= period.last,
               *([CounterCharge.facility_id == facility_id] if facility_id is not None else []))
        .group_by(Facility.sort_order, Facility.id, Facility.name, CounterCharge.kind)
        .order_by(Facility.sort_order, Facility.id, CounterCharge.kind)
    )
    order = list(ChargeKind)
    found = session.execute(query).all()
    facilities = list(dict.fromkeys(r[0] for r in found))  # in the facilities' order
    rows = sorted(found, key=lambda r: (facilities.index(r[0]), order.index(r[1]) if r[1] in order else 99))
    result = []
    for facility_name, kind, assessed, received in rows:
        assessed, received = int(assessed or 0), int(received or 0)
        result.append(AssessmentRow(facility_name, charge_kind_label(kind), 0, assessed, 0, received, max(assessed - received, 0), 0, 0))
    return result + _locker_rows(session, period, facility_id)


def _locker_rows(session: Session, period: Period, facility_id: int | None) -> list[AssessmentRow]:
    """One row per facility for the locker and letter-case fees of the terms starting in the period
    (paid in advance for the whole term): 調定額 the fees, 収入済額 those whose receipt is not
    voided, 未収額 the rest."""
    query = (
        select(Facility.name, LockerAllocation.fee_yen, LockerAllocation.payment_id)
        .join(LockerUnit, LockerUnit.id == LockerAllocation.unit_id).join(Facility, Facility.id == LockerUnit.facility_id)
        .where(LockerAllocation.starts_on >= period.first, LockerAllocation.starts_on <= period.last, LockerAllocation.fee_yen > 0,
               *([LockerUnit.facility_id == facility_id] if facility_id is not None else []))
        .order_by(Facility.sort_order, Facility.id)
    )
    found = session.execute(query).all()
    payment_ids = {payment_id for _name, _fee, payment_id in found if payment_id is not None}
    live = set(session.scalars(select(Payment.id).where(Payment.id.in_(payment_ids), q.payment_live()))) if payment_ids else set()
    totals: dict[str, list[int]] = {}
    for name, fee, payment_id in found:
        row = totals.setdefault(name, [0, 0])
        row[0] += int(fee)
        row[1] += int(fee) if payment_id in live else 0
    return [AssessmentRow(name, _("Locker and letter-case fees"), 0, assessed, 0, received, assessed - received, 0, 0)
            for name, (assessed, received) in totals.items()]


def _months(session: Session, period: Period, facility_id: int | None) -> list[CashMonth]:
    lines = _lines(session, period.first, period.last, facility_id)
    result = []
    for year, month in period.months:
        mine = [line for line in lines if line.counts and (line.at.year, line.at.month) == (year, month)]
        by_method: dict[str, int] = {}
        for line in mine:
            by_method[line.method] = by_method.get(line.method, 0) + line.amount
        order = [m.value for m in PaymentMethod]
        result.append(CashMonth(
            year, month, tuple(sorted(by_method.items(), key=lambda item: order.index(item[0]) if item[0] in order else 99)),
            sum(line.amount for line in mine if line.kind == RECEIPT_LINE),
            -sum(line.amount for line in mine if line.kind == VOID_LINE),
            -sum(line.amount for line in mine if line.kind in (REFUND_LINE, REFUND_VOID_LINE)),
        ))
    return result


def income_summary(ctx: ServiceContext, period: Period, facility_id: int | None = None) -> IncomeSummary:
    """The 収入月報 / 調定表 of a month or fiscal year for one facility (or all): per room the
    調定額, 減免額, 収入済額, 未収額, 還付額 and 移行前 fees of the bookings used in the period, then per
    facility and kind the counter charges (備品使用料, 弁償, 印刷使用料) dated in the period and the
    locker and letter-case fees of the terms starting in it; and
    per month the money entered (receipts, voids, refunds by method). Counter staff and
    administrators."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        facility = _facility(session, facility_id)
        rooms = _assessment(session, period, facility_id)
        months = _months(session, period, facility_id)
    notes = (
        _("調定額: fees of the bookings used in the period (not cancelled), and what is kept of cancelled ones; 収入済額: what the "
          "ledger holds for them today; 移行前: fees of bookings made before the ledger, whose payment is not recorded."),
        _("Money by month: receipts by the day the money came in, voids and refunds by the day they were entered."),
        _("Counter charges (equipment, damage or loss, printing): by the day they were charged, one row per facility and kind; lockers "
          "and letter cases: the fee of each term starting in the period; 収入済額: what the ledger holds for them today."),
    )
    return IncomeSummary(period, facility, clock.today(), tuple(rooms), tuple(months), notes)
