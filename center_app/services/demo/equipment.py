"""Demo equipment loans and printing-room jobs: a few loans and print jobs a week over the last
year (at most) and the coming two weeks, their fees charged and paid at the counter on the day
(receipt numbers continue the fiscal year's series after the bookings'), most loans back on
time, two still out past their due time for the overdue list on ホーム."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from center_app.db.equipment import CounterCharge, CounterChargePayment, EquipmentItem, EquipmentLoan, PrintJob
from center_app.db.models import Facility, StaffUser
from center_app.db.money import DocumentCounter, Payment
from center_app.domain.equipment import ChargeKind, LoanStatus, PrintPrices, loan_fee, print_job_fee
from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.money import RECEIPT, format_number
from center_app.domain.roles import Role

#: The default prices of 設定 → 印刷室 (長久手, 泉区).
PRICES = PrintPrices(master=30, sheet=1, colour_sheet=10, paper_sheet=1)
MACHINES = ("輪転機", "コピー機", "カラープリンター")
PURPOSES = ("総会での説明", "講演会", "写真展", "勉強会", "イベントの受付")


def _counter(session: Session, kind: str, fiscal_year: int, counters: dict) -> int:
    key = (kind, fiscal_year)
    if key not in counters:
        counters[key] = session.scalar(select(DocumentCounter.last_serial).where(
            DocumentCounter.kind == kind, DocumentCounter.fiscal_year == fiscal_year, DocumentCounter.unit == "")) or 0
    counters[key] += 1
    return counters[key]


def _save_counters(session: Session, counters: dict) -> None:
    for (kind, fiscal_year), last in counters.items():
        exists = session.scalar(select(DocumentCounter.kind).where(
            DocumentCounter.kind == kind, DocumentCounter.fiscal_year == fiscal_year, DocumentCounter.unit == ""))
        if exists is None:
            session.add(DocumentCounter(kind=kind, fiscal_year=fiscal_year, unit="", last_serial=last))
        else:
            session.execute(update(DocumentCounter).where(DocumentCounter.kind == kind, DocumentCounter.fiscal_year == fiscal_year,
                                                          DocumentCounter.unit == "").values(last_serial=last))


def generate(session: Session, rng: random.Random, today: dt.date, first: dt.date, groups: list[dict],
             now: dt.datetime | None = None) -> tuple[int, int]:
    """Insert the demo loans and print jobs of the main center; returns (loans, jobs). Nothing
    of today is paid after ``now`` (default: the end of ``today``): a print job later today has
    not happened, a loan starting later today is not paid yet."""
    now = now or dt.datetime.combine(today, dt.time.max)
    facility = session.scalar(select(Facility).order_by(Facility.is_main.desc(), Facility.sort_order, Facility.id).limit(1))
    items = session.scalars(select(EquipmentItem).where(EquipmentItem.facility_id == facility.id).order_by(EquipmentItem.sort_order)).all()
    registered = [g for g in groups if g.get("status") == "registered"]
    if not items or not registered:
        return 0, 0
    clerks = session.scalars(select(StaffUser.display_name).where(StaffUser.role == Role.COUNTER.value).order_by(StaffUser.id)).all() or ["demo"]
    counters: dict = {}
    entries = []  # (day, hour, kind, values)
    day = max(first, today - dt.timedelta(days=365))
    while day <= today + dt.timedelta(days=14):
        if day.weekday() != 0:  # the weekly closed day
            for _n in range(rng.choice((0, 1, 1, 2))):
                entries.append((day, rng.choice((9, 13, 18)), "loan"))
            if day <= today:
                for _n in range(rng.choice((0, 1, 1, 2, 3))):
                    entries.append((day, rng.randint(9, 20), "job"))
        day += dt.timedelta(days=1)
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    out: dict[int, list[tuple[dt.datetime, dt.datetime, int]]] = {}
    overdue_left = 2
    loans = jobs = 0
    for day, hour, kind in entries:
        group = rng.choice(registered)
        clerk = rng.choice(clerks)
        at = dt.datetime.combine(day, dt.time(hour, rng.choice((0, 10, 30, 45))))
        if kind == "loan":
            item = rng.choice(items)
            start = dt.datetime.combine(day, dt.time(hour))
            due = start + dt.timedelta(hours=3) if rng.random() < 0.75 else dt.datetime.combine(day + dt.timedelta(days=rng.choice((1, 2))), dt.time(12))
            quantity = rng.randint(1, min(3, item.quantity)) if item.quantity > 1 else 1
            busy = sum(q for s, d, q in out.get(item.id, []) if s < due and start < d)
            if busy + quantity > item.quantity:
                continue
            out.setdefault(item.id, []).append((start, due, quantity))
            fee = loan_fee(start, due, unit_minutes=item.unit_minutes, fee_per_unit=item.fee_per_unit_yen, fee_per_day=item.fee_per_day_yen,
                           quantity=quantity)
            fiscal_year = fiscal_year_of(day)
            loan_no = f"E{fiscal_year}-{_counter(session, 'loan', fiscal_year, counters):06d}"
            returned = None
            status = LoanStatus.LENT.value
            if due.date() < today - dt.timedelta(days=3) or (due.date() < today and overdue_left <= 0):
                returned, status = due - dt.timedelta(minutes=rng.choice((0, 10, 30))), LoanStatus.RETURNED.value
            elif due.date() < today:
                overdue_left -= 1  # still out past its due time: the overdue list on ホーム
            loan = EquipmentLoan(loan_no=loan_no, item_id=item.id, facility_id=facility.id, quantity=quantity, group_id=group["id"],
                                 borrower_name=group["name"], applicant_class="registered", start_at=start, due_at=due, returned_at=returned,
                                 status=status, fee_yen=fee, purpose=rng.choice(PURPOSES), created_at=min(at - dt.timedelta(days=rng.randint(0, 20)), now),
                                 created_by=clerk, returned_by=clerk if returned else "")
            session.add(loan)
            session.flush()
            description, paid_on = f"{item.name} ×{quantity} {loan_no}", day if day <= today and at <= now else None
            kind_code = ChargeKind.LOAN.value
            target = loan
            loans += 1
        else:
            if at > now:
                continue  # later today: not printed yet
            masters = rng.choice((0, 0, 1, 2, 3, 5))
            sheets = rng.choice((20, 50, 100, 200, 300)) if masters else rng.choice((5, 10, 20, 40))
            machine = MACHINES[0] if masters else rng.choice(MACHINES[1:])
            colour = machine == "カラープリンター"
            paper = "sold" if rng.random() < 0.2 else "brought"
            fee = print_job_fee(PRICES, masters=masters, sheets=sheets, colour=colour, paper=paper)
            job = PrintJob(facility_id=facility.id, group_id=group["id"], used_on=day, machine=machine, masters=masters, sheets=sheets,
                           colour=colour, paper=paper, fee_yen=fee, created_at=at, created_by=clerk)
            session.add(job)
            session.flush()
            description = f"印刷 {day:%Y-%m-%d} {machine}（{'カラー' if colour else '単色'}）製版 {masters} 枚・{sheets} 枚"
            paid_on, kind_code, target = day, ChargeKind.PRINTING.value, job
            jobs += 1
        if fee <= 0:
            continue
        charge = CounterCharge(facility_id=facility.id, group_id=group["id"], payer_name=group["name"], kind=kind_code, description=description,
                               amount_yen=fee, charged_on=min(at.date(), today), created_at=min(at, now), created_by=clerk)
        session.add(charge)
        session.flush()
        target.charge_id = charge.id
        if paid_on is not None:
            fiscal_year = fiscal_year_of(paid_on)
            serial = _counter(session, RECEIPT, fiscal_year, counters)
            payment = Payment(receipt_no=format_number(RECEIPT, fiscal_year, serial), fiscal_year=fiscal_year, unit="", serial=serial,
                              facility_id=facility.id, group_id=group["id"], payer_name=group["name"], amount_yen=fee, method="cash",
                              received_on=paid_on, recorded_at=dt.datetime.combine(paid_on, at.time()), recorded_by=clerk, note="")
            session.add(payment)
            session.flush()
            session.add(CounterChargePayment(payment_id=payment.id, charge_id=charge.id, amount_yen=fee))
    _save_counters(session, counters)
    session.flush()
    return loans, jobs
