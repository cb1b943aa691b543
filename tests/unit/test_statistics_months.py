"""The figures of past months kept for the usage summary (services/statistics_months.py,
db/summaries.py, db/summary_marks.py): a kept month gives the same summary as reading the
bookings and the ledger, and every kind of write that changes a past month's figures makes the
next summary read it again — through the services, through a plain ORM edit, and in bulk."""

from __future__ import annotations

import datetime as dt

import pytest
import statistics_support as data
from sqlalchemy import delete, insert, select, update

from center_app.db.bookings import Booking
from center_app.db.models import AuditEntry, Room
from center_app.db.summaries import SummaryMonth, SummaryMonthFigure, SummaryState
from center_app.domain.statistics_values import Period
from center_app.services import bookings, ledger, statistics, statistics_months
from center_app.services.statistics_bookings import month_rows

pytestmark = pytest.mark.postgres

OCTOBER = Period.of_month(2026, 10)
FISCAL_2026 = Period.of_fiscal_year(2026)
PAID_ON = dt.date(2026, 10, 24)  # a Saturday: the cash desk is open
LATER = dt.date(2026, 12, 10)  # October and November may be kept


@pytest.fixture
def ids(admin_ctx, coordinator_ctx, clock):
    clock(PAID_ON)
    ids = data.build(admin_ctx)
    for key in ("b2", "b6"):
        ledger.record_payment(admin_ctx, [ids[key]], "cash", received_on=PAID_ON)
    clock(dt.date(2026, 11, 3))
    ledger.record_payment(admin_ctx, [ids["b8"]], "cash", received_on=dt.date(2026, 11, 1))
    clock(LATER)
    return ids


def figures(summary):
    """What a clerk reads: rooms, months, classes, exemptions, most active groups."""
    return (summary.rooms, summary.months, summary.classes, summary.facilities)


def read_again(ctx, period):
    """The summary read from the bookings and the ledger alone (nothing kept)."""
    with ctx.db.write() as session:
        session.execute(delete(SummaryMonthFigure))
        session.execute(update(SummaryMonth).values(figures_generation=None))
    summary = statistics.summarize(ctx, period)
    return summary


def kept_months(ctx) -> dict[dt.date, bool]:
    """month ever kept → whether its kept figures count now (months only marked by writes, never
    kept, are left out)."""
    with ctx.db.read() as session:
        state = session.scalar(select(SummaryState.generation))
        return {m.month_start: m.figures_generation == m.generation and m.state_generation == state
                for m in session.scalars(select(SummaryMonth).where(SummaryMonth.figures_generation.is_not(None)))}


def room(summary, code):
    return next(r for r in summary.rooms if r.room_code == code).figures


def test_a_past_month_is_kept_and_read_back_the_same(admin_ctx, ids):
    first = statistics.summarize(admin_ctx, OCTOBER)
    assert kept_months(admin_ctx) == {dt.date(2026, 10, 1): True}
    with admin_ctx.db.read() as session:
        assert session.scalar(select(SummaryMonthFigure.id).limit(1)) is not None
        rows, pending = month_rows(session.connection(), OCTOBER, LATER)
    assert pending == [] and rows[0], "the second read takes the kept rows"
    again = statistics.summarize(admin_ctx, OCTOBER)
    assert figures(again) == figures(first)
    assert room(again, "M1").income_yen == 400 and room(again, "M1").attendance == 38


def test_the_month_of_today_and_yesterdays_month_are_never_kept(admin_ctx, ids, clock):
    clock(dt.date(2026, 11, 1))  # October ended yesterday: a PC a day behind may still write it
    statistics.summarize(admin_ctx, OCTOBER)
    statistics.summarize(admin_ctx, Period.of_month(2026, 11))
    assert kept_months(admin_ctx) == {}
    clock(dt.date(2026, 11, 2))
    statistics.summarize(admin_ctx, FISCAL_2026)
    assert set(kept_months(admin_ctx)) == {dt.date(2026, m, 1) for m in range(4, 11)}


def test_a_fiscal_year_mixes_kept_and_read_months_with_the_same_figures(admin_ctx, ids):
    statistics.summarize(admin_ctx, OCTOBER)  # October kept first, the other months read
    mixed = statistics.summarize(admin_ctx, FISCAL_2026)
    assert set(kept_months(admin_ctx)) == {dt.date(2026, m, 1) for m in range(4, 12)}
    kept = statistics.summarize(admin_ctx, FISCAL_2026)
    assert figures(kept) == figures(mixed) == figures(read_again(admin_ctx, FISCAL_2026))
    december = kept.months[8].figures
    assert december.cancellations == 1 and december.planned_bookings == 0  # b14: today's month is read, never kept


@pytest.mark.parametrize("change", ["attendance", "late_payment", "void", "orm_status", "orm_room", "orm_date", "bulk"])
def test_every_write_to_a_kept_month_is_seen_by_the_next_summary(admin_ctx, ids, change):
    before = statistics.summarize(admin_ctx, FISCAL_2026)
    statistics.summarize(admin_ctx, FISCAL_2026)
    assert all(kept_months(admin_ctx).values())
    if change == "attendance":
        bookings.record_attendance(admin_ctx, ids["b1"], 16)
    elif change == "late_payment":  # a transfer that came in on an October day, entered now
        ledger.record_payment(admin_ctx, [ids["b3"]], "cash", received_on=PAID_ON)
    elif change == "void":
        receipt = ledger.payments_for_booking(admin_ctx, ids["b2"])[0].receipt_no
        ledger.void_payment(admin_ctx, receipt, "金額の誤り")
    else:
        with admin_ctx.db.write() as session:
            rooms = {r.code: r.id for r in session.scalars(select(Room))}
            if change == "orm_status":  # b5, a no-show in October, cancelled after all
                session.get(Booking, ids["b5"]).status = "cancelled"
            elif change == "orm_room":  # b6 was paid in October: its income follows it to M2
                session.get(Booking, ids["b6"]).room_id = rooms["M2"]
            elif change == "orm_date":  # b8 (November) moves into October
                booking = session.get(Booking, ids["b8"])
                booking.start_at, booking.end_at = dt.datetime(2026, 10, 30, 9), dt.datetime(2026, 10, 30, 12)
            else:
                row = {c.name: getattr(session.get(Booking, ids["b2"]), c.key) for c in Booking.__table__.columns if c.name != "id"}
                start, end = dt.datetime(2026, 10, 2, 18), dt.datetime(2026, 10, 2, 22)  # a free evening of M1
                session.execute(insert(Booking.__table__), [{**row, "slip_no": None, "attendance": 99, "start_at": start, "end_at": end}])
    after = statistics.summarize(admin_ctx, FISCAL_2026)
    assert figures(after) != figures(before), "the change shows"
    assert figures(after) == figures(read_again(admin_ctx, FISCAL_2026))


def test_writes_to_this_month_leave_kept_months_alone(admin_ctx, ids):
    statistics.summarize(admin_ctx, FISCAL_2026)
    with admin_ctx.db.read() as session:
        generations = dict(session.execute(select(SummaryMonth.month_start, SummaryMonth.generation)).all())
    bookings.cancel_booking(admin_ctx, ids["b10"], "団体の都合")  # March 2027: not a past month
    with admin_ctx.db.read() as session:
        assert dict(session.execute(select(SummaryMonth.month_start, SummaryMonth.generation)).all()) == generations
    assert all(kept_months(admin_ctx).values())


def test_a_month_written_while_it_was_read_is_not_kept(admin_ctx, ids):
    with admin_ctx.db.read() as session:
        _rows, pending = month_rows(session.connection(), OCTOBER, LATER)
    bookings.record_attendance(admin_ctx, ids["b1"], 16)  # another PC, between the read and the keeping
    statistics_months.keep(admin_ctx.db, pending)
    assert kept_months(admin_ctx) == {}
    assert room(statistics.summarize(admin_ctx, OCTOBER), "M1").attendance == 44


def test_figures_kept_by_another_version_are_read_again(admin_ctx, ids, monkeypatch):
    statistics.summarize(admin_ctx, OCTOBER)
    with admin_ctx.db.write() as session:  # what an older version kept, wrongly by today's rules
        session.execute(update(SummaryMonthFigure).values(value_2=1000))
    assert room(statistics.summarize(admin_ctx, OCTOBER), "M1").attendance == 1000  # M1's one row: class registered
    monkeypatch.setattr(statistics_months, "FIGURES_VERSION", statistics_months.FIGURES_VERSION + 1)
    statistics_months.definition.cache_clear()
    try:
        assert room(statistics.summarize(admin_ctx, OCTOBER), "M1").attendance == 38
    finally:
        monkeypatch.undo()
        statistics_months.definition.cache_clear()


def test_a_write_outside_the_app_is_counted_after_report_recount(admin_ctx, coordinator_ctx, ids, monkeypatch, capsys):
    """A hand-made SQL repair of October's attendance is not seen by any hook: the kept October
    goes on showing the old figure until an administrator runs ``report recount``; a
    coordinator may not."""
    from center_app.app import main

    statistics.summarize(admin_ctx, OCTOBER)
    with admin_ctx.db.engine.begin() as conn:  # outside the app's sessions
        conn.execute(update(Booking.__table__).where(Booking.__table__.c.id == ids["b1"]).values(attendance=16))
    assert room(statistics.summarize(admin_ctx, OCTOBER), "M1").attendance == 38  # the kept month

    url = ["--database-url", admin_ctx.db.url]
    monkeypatch.setenv("CENTER_APP_PASSWORD", "staff-password-1")
    assert main([*url, "report", "recount", "--as", "coordinator"]) == 3
    assert room(statistics.summarize(admin_ctx, OCTOBER), "M1").attendance == 38
    with admin_ctx.db.read() as session:  # the refusal is in 操作履歴
        denied = session.execute(select(AuditEntry.staff_name, AuditEntry.note).where(AuditEntry.action == "denied")).all()
    assert [note for _name, note in denied] == ["report recount"]
    monkeypatch.setenv("CENTER_APP_PASSWORD", "admin-password-1")
    capsys.readouterr()
    assert main([*url, "report", "recount", "--as", "admin"]) == 0
    assert "1" in capsys.readouterr().out
    assert room(statistics.summarize(admin_ctx, OCTOBER), "M1").attendance == 44
    assert kept_months(admin_ctx) == {dt.date(2026, 10, 1): True}  # kept again, with the repair
