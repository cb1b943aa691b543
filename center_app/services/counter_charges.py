"""Charges (調定) of the counter's services other than rooms — equipment fees, damage or loss,
printing — and their payment through the money ledger (docs/money-rules.md).

A charge is written in the transaction of the action that raises it (:func:`add_charge`: a loan,
a damage record, a printing job or a billing period) and is never edited. It is paid at the
counter like a booking (:func:`pay_charges`): a ``payments`` row with the next receipt number of
the fiscal year, which the receipt, the 収入日報 and the day close count like any other, and
``counter_charge_payments`` rows naming the charges it pays. A voided payment
(``ledger.void_payment``) no longer counts: its charges are due again.

Who: counter staff and administrators. Errors (nothing written): ValidationError naming the
charge (unknown, already paid, another payer or facility, an amount above what is due), RuleError
for a closed day, PermissionDenied for coordinators.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_app.db.equipment import CounterCharge, CounterChargePayment
from center_app.db.models import Facility
from center_app.db.money import Payment
from center_app.domain import clock
from center_app.domain.equipment import ChargeView
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.money import CASH_ROLES, RECEIPT, PaymentMethod, PaymentView, format_number, receipt_fiscal_year
from center_app.domain.wareki import format_wareki
from center_app.i18n import _
from center_app.services import audit, ledger
from center_app.services import ledger_queries as q
from center_app.services.context import CurrentUser, ServiceContext


def add_charge(session: Session, user: CurrentUser, *, facility_id: int, group_id: int | None, payer_name: str, kind: str,
               description: str, amount: int, day: dt.date) -> CounterCharge | None:
    """Write a charge of ``amount`` yen in the caller's transaction (None for 0 yen: nothing is owed)."""
    if amount <= 0:
        return None
    charge = CounterCharge(facility_id=facility_id, group_id=group_id, payer_name=payer_name, kind=kind, description=description[:300],
                           amount_yen=amount, charged_on=day, created_at=clock.now(), created_by=user.display_name)
    session.add(charge)
    session.flush()
    audit.record(session, user, "charge", charge.id, "create", None, {"kind": kind, "amount_yen": amount, "payer": payer_name,
                                                                      "description": description})
    return charge


def paid_amounts(session: Session, charge_ids: Iterable[int]) -> dict[int, int]:
    """charge id → yen paid by payments that are not voided."""
    ids = list(set(charge_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(CounterChargePayment.charge_id, func.sum(CounterChargePayment.amount_yen))
        .join(Payment, Payment.id == CounterChargePayment.payment_id)
        .where(CounterChargePayment.charge_id.in_(ids), q.payment_live())
        .group_by(CounterChargePayment.charge_id)
    ).all()
    return {charge_id: int(total or 0) for charge_id, total in rows}


def view(charge: CounterCharge, paid: int) -> ChargeView:
    """The frozen view of ``charge`` with ``paid`` yen received."""
    return ChargeView(charge.id, charge.facility_id, charge.group_id, charge.payer_name, charge.kind, charge.description,
                      charge.amount_yen, paid, charge.charged_on)


def charges(ctx: ServiceContext, *, group_id: int | None = None, facility_id: int | None = None, outstanding_only: bool = True,
            ids: Sequence[int] | None = None) -> list[ChargeView]:
    """Charges, oldest first, of one group / facility (or all), only those with money due unless
    ``outstanding_only`` is False (counter staff and administrators)."""
    ctx.require(*CASH_ROLES)
    with ctx.db.read() as session:
        query = select(CounterCharge).order_by(CounterCharge.charged_on, CounterCharge.id)
        if group_id is not None:
            query = query.where(CounterCharge.group_id == group_id)
        if facility_id is not None:
            query = query.where(CounterCharge.facility_id == facility_id)
        if ids is not None:
            query = query.where(CounterCharge.id.in_(list(ids)))
        rows = session.scalars(query).all()
        paid = paid_amounts(session, [c.id for c in rows])
        views = [view(c, paid.get(c.id, 0)) for c in rows]
    return [v for v in views if v.outstanding > 0] if outstanding_only else views


def pay_charges(ctx: ServiceContext, charge_ids: Sequence[int], method: str, amount: str | int | None = None, *,
                tendered: str | int | None = None, note: str = "") -> PaymentView:
    """収納 of charges ``charge_ids`` (one payer, one facility): the next receipt number of the
    fiscal year of today; ``amount`` (whole yen) defaults to everything due and is spread over
    the charges oldest first; ``tendered`` (cash) must cover it.

    Refused, writing nothing: no charge chosen, an unknown charge, a charge already paid,
    charges of two payers or facilities, an amount of 0 or less or above what is due, money
    handed over that does not cover it (ValidationError), today's cash closed (RuleError)."""
    user = ctx.require(*CASH_ROLES)
    if not charge_ids:
        raise ValidationError(_("Choose the charges the payment is for."), field_name="charge")
    kind = ledger._method(method)
    wanted = ledger._amount(amount)
    given = ledger._amount(tendered, "tendered")
    day = clock.today()
    with ctx.db.write() as session:
        wanted_ids = sorted(set(charge_ids))
        rows = session.scalars(select(CounterCharge).where(CounterCharge.id.in_(wanted_ids)).order_by(CounterCharge.id).with_for_update()).all()
        missing = [str(i) for i in wanted_ids if i not in {c.id for c in rows}]
        if missing:
            raise ValidationError(_("There is no charge number {number}.").format(number="、".join(missing)), field_name="charge")
        paid = paid_amounts(session, wanted_ids)
        problems = [FieldProblem("charge", _("Charge {number} ({what}) is already paid.").format(number=c.id, what=c.description))
                    for c in rows if c.amount_yen - paid.get(c.id, 0) <= 0]
        if problems:
            raise ValidationError(problems)
        if len({(c.group_id, c.payer_name if c.group_id is None else "") for c in rows}) > 1:
            raise ValidationError(_("One payment is for charges of one payer."), field_name="charge")
        if len({c.facility_id for c in rows}) > 1:
            raise ValidationError(_("One payment is for charges of one facility; record one payment per facility."), field_name="charge")
        facility = session.get(Facility, rows[0].facility_id)
        ledger._check_open_day(session, facility.id, day)
        rows = sorted(rows, key=lambda c: (c.charged_on, c.id))
        due = sum(c.amount_yen - paid.get(c.id, 0) for c in rows)
        total = due if wanted is None else wanted
        if total > due:
            raise ValidationError(_("{amount} yen is more than is due for these charges ({due} yen).").format(
                amount=f"{total:,}", due=f"{due:,}"), field_name="amount")
        if given is not None and kind == PaymentMethod.CASH and given < total:
            raise ValidationError(
                _("The money handed over ({tendered} yen) is less than the amount ({amount} yen).").format(tendered=f"{given:,}", amount=f"{total:,}"),
                field_name="tendered")
        fiscal_year, unit = receipt_fiscal_year(day), ledger.cash_unit(facility)
        serial = ledger.next_serial(session, RECEIPT, fiscal_year, unit)
        first = rows[0]
        payment = Payment(
            receipt_no=format_number(RECEIPT, fiscal_year, serial, unit), fiscal_year=fiscal_year, unit=unit, serial=serial,
            facility_id=facility.id, group_id=first.group_id, payer_name=first.payer_name, amount_yen=total, method=kind.value,
            received_on=day, recorded_at=clock.now(), recorded_by_id=user.id, recorded_by=user.display_name,
            tendered_yen=given if kind == PaymentMethod.CASH else None, note=(note or "").strip()[:ledger.MAX_TEXT],
        )
        session.add(payment)
        session.flush()
        left = total
        for c in rows:
            part = min(left, c.amount_yen - paid.get(c.id, 0))
            if part <= 0:
                break
            session.add(CounterChargePayment(payment_id=payment.id, charge_id=c.id, amount_yen=part))
            left -= part
        session.flush()
        audit.record(session, user, "payment", payment.receipt_no, "create", None, {
            "amount_yen": total, "method": kind.value, "received_on": day, "charges": [c.id for c in rows],
            "tendered_yen": payment.tendered_yen,
        }, note=payment.note)
        return q.payment_view(session, payment)


def describe_day(day: dt.date) -> str:
    """A day as charges name it (令和8年12月5日(土))."""
    return format_wareki(day, weekday=True)
