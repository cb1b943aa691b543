"""Demo data: plausible, reproducible, and consistent with the booking rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.bookings import Booking
from center_app.db.consultations import Consultation
from center_app.db.groups import Group
from center_app.db.models import Room
from center_app.domain.closed_days import day_status
from center_app.domain.errors import RuleError
from center_app.services.demo import Profile, generate
from center_app.services.facilities import closed_day_rules

TODAY = dt.date(2026, 11, 29)
TINY = Profile(groups=40, history_days=60, future_days=20, slot_share=0.5, split_share=0.3, bookings=None, consultations=50)


def test_tiny_demo_is_consistent_with_the_rules(db):
    summary = generate(db, TINY, seed=7, today=TODAY)
    assert (summary.groups, summary.consultations) == (40, 50) and summary.bookings > 100
    with db.read() as session:
        rows = session.execute(
            select(Booking.room_id, Booking.start_at, Booking.end_at, Booking.status, Booking.gross_fee_yen, Booking.waived_yen,
                   Booking.fee_yen, Booking.slip_no, Room.facility_id).join(Room)
        ).all()
        rules = {fid: closed_day_rules(session, fid) for fid in {r.facility_id for r in rows}}
        registered = session.scalars(select(Group.registration_no)).all()
    active = sorted((r.room_id, r.start_at, r.end_at) for r in rows if r.status != "cancelled")
    for (room_a, _start_a, end_a), (room_b, start_b, _end_b) in zip(active, active[1:]):
        assert room_a != room_b or end_a <= start_b, "overlapping bookings"
    assert all(day_status(r.start_at.date(), rules[r.facility_id]).is_open for r in rows)
    assert all(r.gross_fee_yen - r.waived_yen == r.fee_yen and r.fee_yen % 10 == 0 for r in rows)
    assert len({r.slip_no for r in rows}) == len(rows)
    assert all(r.status in ("confirmed", "provisional", "cancelled") for r in rows if r.start_at.date() > TODAY)
    assert len(set(registered)) == 40


def test_same_seed_same_data(tmp_path):
    from center_app.db.database import open_database

    names = []
    for run in ("a", "b"):
        database = open_database(f"sqlite:///{tmp_path / run}.sqlite3")
        generate(database, TINY, seed=3, today=TODAY)
        with database.read() as session:
            names.append(session.scalars(select(Group.name).order_by(Group.registration_no)).all())
            names.append(session.scalar(select(func.sum(Booking.fee_yen))))
        database.dispose()
    assert names[0] == names[2] and names[1] == names[3]


def test_demo_refuses_a_database_with_groups(db):
    generate(db, TINY, seed=1, today=TODAY)
    with pytest.raises(RuleError):
        generate(db, TINY, seed=2, today=TODAY)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Consultation)) == 50


def test_demo_command(db_url, capsys):
    assert main(["--database-url", db_url, "demo", "--seed", "2"]) == 0
    assert "300" in capsys.readouterr().out
    assert main(["--database-url", db_url, "demo"]) == 1


def test_demo_bookings_come_with_a_realistic_money_ledger(db):
    from center_app.db.money import DocumentCounter, LedgerVoid, Payment, PaymentAllocation, Refund
    from center_app.domain.money import MoneyState
    from center_app.services import ledger_queries

    generate(db, Profile(groups=60, history_days=200, future_days=30, slot_share=0.5, split_share=0.2, bookings=None, consultations=10),
             seed=5, today=TODAY)
    with db.read() as session:
        payments = session.execute(select(Payment.method, Payment.received_on, Payment.fiscal_year, Payment.serial)).all()
        methods = {m: sum(1 for p in payments if p.method == m) for m in ("cash", "transfer", "cashless", "invoice")}
        assert methods["cash"] > 0.6 * len(payments) and methods["transfer"] > 0
        assert all(p.received_on <= TODAY for p in payments)
        for year in {p.fiscal_year for p in payments}:  # consecutive receipt numbers, the counter where the last one is
            serials = sorted(p.serial for p in payments if p.fiscal_year == year)
            assert serials == list(range(1, len(serials) + 1))
            days = [p.received_on for p in sorted((p for p in payments if p.fiscal_year == year), key=lambda p: p.serial)]
            assert days == sorted(days)  # numbered in date order (equipment's receipts came after every booking's)
            assert session.scalar(select(DocumentCounter.last_serial).where(DocumentCounter.kind == "receipt", DocumentCounter.fiscal_year == year)) == len(serials)
        assert session.scalar(select(func.count()).select_from(Refund)) > 0
        voids = session.scalar(select(func.count()).select_from(LedgerVoid))
        assert voids > 0
        rows = session.scalars(select(Booking)).all()
        states = ledger_queries.money_of(session, rows)
        by_state = {s: sum(1 for m in states.values() if m.state == s) for s in MoneyState}
        past = [b for b in rows if b.start_at.date() < TODAY and b.status in ("used", "no_show") and b.fee_yen > 0]
        assert sum(states[b.id].state == MoneyState.PAID for b in past) > 0.85 * len(past)
        assert by_state[MoneyState.UNPAID] > 0 and by_state[MoneyState.REFUNDED] > 0 and by_state[MoneyState.NOT_REFUNDED] > 0
        assert by_state[MoneyState.LEGACY] == 0
        # a voided payment was entered again: each such booking has two allocations, one of them void
        assert session.scalar(select(func.count()).select_from(PaymentAllocation)) - session.scalar(
            select(func.count(func.distinct(PaymentAllocation.booking_id)))) == voids


def test_nothing_in_the_demo_data_is_dated_after_now(db, clock):
    """The defect: at 10:00 today's demo payments were entered at 12:00–17:00, and bookings,
    cancellations and consultations carried times later than now."""
    from center_app.db.money import LedgerVoid, Payment, Refund

    now = dt.datetime(2026, 11, 30, 10, 0)  # a Monday morning: the counter's day has just begun
    clock(now)
    generate(db, Profile(groups=40, history_days=60, future_days=40, slot_share=0.6, split_share=0.3, bookings=None, consultations=300),
             seed=11)
    with db.read() as session:
        latest = {
            "payment": session.scalar(select(func.max(Payment.recorded_at))),
            "void": session.scalar(select(func.max(LedgerVoid.recorded_at))),
            "refund": session.scalar(select(func.max(Refund.recorded_at))),
            "booking made": session.scalar(select(func.max(Booking.created_at))),
            "booking changed": session.scalar(select(func.max(Booking.updated_at))),
            "booking cancelled": session.scalar(select(func.max(Booking.cancelled_at))),
            "consultation written": session.scalar(select(func.max(Consultation.created_at))),
        }
        held = session.execute(select(Consultation.consulted_on, Consultation.start_time)).all()
        paid_today = session.scalar(select(func.count()).select_from(Payment).where(Payment.received_on == now.date()))
    assert {what: at for what, at in latest.items() if at is not None and at > now} == {}
    assert max(dt.datetime.combine(day, start) for day, start in held) <= now
    assert paid_today  # today's counter has taken money already


@pytest.mark.parametrize(("today", "drawn"), [(dt.date(2026, 12, 6), False), (dt.date(2026, 12, 15), True)])
def test_the_demo_lottery_is_drawn_only_once_its_entry_window_has_closed(db, clock, today, drawn):
    """The defect: on 12/6 the demo had drawn the February lottery while its entries ran to
    12/10, so the dialog said 受付中 and entering was refused 「抽選は終わりました」."""
    from bookings_support import context

    from center_app.db.lottery import LotteryDraw
    from center_app.domain.roles import Role
    from center_app.services import lottery

    clock(dt.datetime.combine(today, dt.time(9, 0)))
    generate(db, Profile(groups=80, history_days=60, future_days=20, slot_share=0.5, split_share=0.3, bookings=None, consultations=10),
             seed=7, today=today)
    ctx = context(db, Role.COUNTER, "窓口 花子")
    window = lottery.current_window(ctx)
    assert window.month == "2027-02" and window.drawn is drawn and window.is_open is (not drawn)
    entries = lottery.list_entries(ctx, "main", window.month)
    assert entries and all((e.status == "entered") is (not drawn) for e in entries)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(LotteryDraw)) == (1 if drawn else 0)
    if not drawn:  # open: a clerk can take one more entry
        taken = {e.group_id for e in entries}
        with db.read() as session:
            group = session.scalars(select(Group).where(Group.status == "registered", Group.registration_no.is_not(None),
                                                        Group.id.not_in(taken))).first()
        first = entries[0]
        view = lottery.enter_lottery(ctx, group.id, first.room_id, first.day, first.slot_name, 2)
        assert view.status == "entered"


@pytest.mark.parametrize("now", [dt.datetime(2026, 12, 1, 15, 20), dt.datetime(2026, 12, 1, 8, 30)], ids=["afternoon", "before-opening"])
def test_todays_receipts_are_spread_over_the_opening_hours_before_now(db, clock, now):
    """The defect: every receipt of today was stamped with the time the demo ran."""
    from center_app.db.models import Facility
    from center_app.db.money import Payment

    clock(now)  # a Tuesday
    generate(db, Profile(groups=40, history_days=60, future_days=40, slot_share=0.6, split_share=0.3, bookings=None, consultations=10),
             seed=11)
    with db.read() as session:
        opening = session.scalar(select(func.min(Facility.opening_time)))
        stamps = session.scalars(select(Payment.recorded_at).where(Payment.received_on == now.date())).all()
        latest = session.scalar(select(func.max(Payment.recorded_at)))
    assert latest <= now
    if now.time() < opening:
        assert stamps == []  # the counter has not opened: no money taken today yet
        return
    assert len(stamps) >= 5
    assert all(opening <= s.time() and s < now for s in stamps)
    assert len({s.replace(second=0, microsecond=0) for s in stamps}) > len(stamps) // 2  # spread, not one moment
    assert min(stamps) < dt.datetime.combine(now.date(), dt.time(12)) < max(stamps)
