"""Benchmarks of the usage summary (集計), on each data set of :mod:`dataset`:

- the monthly summary, all facilities, of the last complete month before the data set's "today"
  (docs/architecture.md §8: ≤ 100 ms and ≤ 2 × one hand-written SQL query);
- the fiscal-year summary, all facilities, of the fiscal year holding that month (≤ 60 ms);
- opening the 集計 screen: the screen built and shown, the month's summary, its report and the
  fiscal-year trend behind the charts computed (runner that works at once on the GUI thread),
  the tables and charts filled, until the screen has painted (reported, no target).

Two hand-written baselines, run on the same connection in the same run:

- ``HAND_ALL``: ONE SQL statement (UNION ALL) returning the same figures as the summary — per
  room, the ledger's income per room (payments less refunds, voided entries left out), per
  applicant class and exemption, the most active groups, registrations, and the consultation
  counts (kept records and the anonymous counts), and the tallies the summary has since gained
  (visitors per day and purpose, lockers allocated, lottery entries, loans by item, printing
  by group and machine) — this is the target's baseline (the month is wholly past, so it has
  no 予定 to count apart);
- ``HAND_ROOMS``: the per-room booking figures alone (the core of the summary), for reference.

Run: ``make bench`` (or ``pytest -s tests/bench/test_statistics_bench.py``). Targets are checked on the
CPU time (see :mod:`harness`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import time

import dataset
from harness import Row, check, interleaved, median, note, record
from PySide6.QtCore import QEvent, QObject

from center_app.domain.statistics_values import Period
from center_app.services import statistics

RUNS = 30
YEAR_RUNS = 10
SCREEN_RUNS = 5

_COUNTED = "b.status <> 'cancelled'"
_FIGURES = f"""
    SUM(CASE WHEN {_COUNTED} THEN 1 ELSE 0 END), SUM(CASE WHEN {_COUNTED} THEN b.slot_units ELSE 0 END),
    SUM(CASE WHEN {_COUNTED} AND b.attendance IS NOT NULL THEN b.attendance ELSE 0 END),
    SUM(CASE WHEN {_COUNTED} THEN b.fee_yen ELSE 0 END), SUM(CASE WHEN {_COUNTED} THEN b.waived_yen ELSE 0 END),
    SUM(CASE WHEN b.status = 'cancelled' THEN 1 ELSE 0 END), SUM(CASE WHEN b.status = 'no_show' THEN 1 ELSE 0 END)"""

HAND_ROOMS = f"""
SELECT b.room_id, {_FIGURES}
FROM bookings b WHERE b.start_at >= :start AND b.start_at < :end GROUP BY b.room_id"""

HAND_ALL = f"""
SELECT 'room' AS part, CAST(b.room_id AS TEXT) AS k1, '' AS k2, {_FIGURES}, 0 AS v8
FROM bookings b WHERE b.start_at >= :start AND b.start_at < :end GROUP BY b.room_id
UNION ALL
SELECT 'income', CAST(b.room_id AS TEXT), '', SUM(a.amount_yen), 0, 0, 0, 0, 0, 0, 0
FROM payment_allocations a JOIN payments p ON p.id = a.payment_id JOIN bookings b ON b.id = a.booking_id
WHERE p.received_on >= :first AND p.received_on <= :last
    AND NOT EXISTS (SELECT 1 FROM ledger_voids v WHERE v.entry_kind = 'payment' AND v.entry_id = p.id)
GROUP BY b.room_id
UNION ALL
SELECT 'income', CAST(b.room_id AS TEXT), '', -SUM(r.amount_yen), 0, 0, 0, 0, 0, 0, 0
FROM refunds r JOIN bookings b ON b.id = r.booking_id
WHERE r.refunded_on >= :first AND r.refunded_on <= :last AND r.kind = 'refund'
    AND NOT EXISTS (SELECT 1 FROM ledger_voids v WHERE v.entry_kind = 'refund' AND v.entry_id = r.id)
GROUP BY b.room_id
UNION ALL
SELECT 'class', b.applicant_class_code, b.exemption_code, {_FIGURES}, SUM(CASE WHEN {_COUNTED} THEN b.gross_fee_yen ELSE 0 END)
FROM bookings b WHERE b.start_at >= :start AND b.start_at < :end GROUP BY b.applicant_class_code, b.exemption_code
UNION ALL
SELECT 'group', name, registration_no, n, slots, attendance, 0, 0, 0, 0, 0 FROM (
    SELECT g.name, g.registration_no, COUNT(b.id) AS n, SUM(b.slot_units) AS slots, COALESCE(SUM(b.attendance), 0) AS attendance
    FROM bookings b JOIN groups g ON g.id = b.group_id
    WHERE b.start_at >= :start AND b.start_at < :end AND {_COUNTED}
    GROUP BY g.id, g.name, g.registration_no, g.name_kana ORDER BY slots DESC, n DESC, g.name_kana, g.id LIMIT 10) top
UNION ALL
SELECT 'registrations', '', '',
    SUM(CASE WHEN status <> 'applied' AND registered_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
    SUM(CASE WHEN renewed_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
    SUM(CASE WHEN status = 'withdrawn' AND status_changed_on BETWEEN :first AND :last THEN 1 ELSE 0 END),
    SUM(CASE WHEN registered_on <= :last AND valid_until >= :last AND (status = 'registered'
        OR (status IN ('paused', 'withdrawn') AND status_changed_on > :last)) THEN 1 ELSE 0 END), 0, 0, 0, 0
FROM groups
UNION ALL
SELECT 'consultations', method, client_type, COUNT(id), COALESCE(SUM(duration_minutes), 0), 0, 0, 0, 0, 0, 0
FROM consultations WHERE consulted_on >= :first AND consulted_on <= :last GROUP BY method, client_type
UNION ALL
SELECT 'kept', dimension, value, SUM(count), SUM(minutes), 0, 0, 0, 0, 0, 0
FROM consultation_counts WHERE year * 100 + month BETWEEN :ym AND :ym GROUP BY dimension, value
UNION ALL
SELECT 'topic', CAST(l.topic_id AS TEXT), '', COUNT(l.consultation_id), 0, 0, 0, 0, 0, 0, 0
FROM consultation_topic_links l JOIN consultations c ON c.id = l.consultation_id
WHERE c.consulted_on >= :first AND c.consulted_on <= :last GROUP BY l.topic_id
UNION ALL
SELECT 'field', CAST(f.field_code AS TEXT), '', COUNT(f.consultation_id), 0, 0, 0, 0, 0, 0, 0
FROM consultation_activity_fields f JOIN consultations c ON c.id = f.consultation_id
WHERE c.consulted_on >= :first AND c.consulted_on <= :last GROUP BY f.field_code
UNION ALL
SELECT 'staff', CAST(staff_user_id AS TEXT), '', COUNT(id), 0, 0, 0, 0, 0, 0, 0
FROM consultations WHERE consulted_on >= :first AND consulted_on <= :last GROUP BY staff_user_id
UNION ALL
SELECT 'visitors', CAST(day AS TEXT), purpose, SUM(count), 0, 0, 0, 0, 0, 0, 0
FROM visitor_counts WHERE day >= :first AND day <= :last GROUP BY day, purpose
UNION ALL
SELECT 'lockers', u.kind, '', COUNT(u.id), COUNT(a.id), 0, 0, 0, 0, 0, 0
FROM locker_units u LEFT JOIN locker_allocations a ON a.unit_id = u.id AND a.term = :term WHERE u.active GROUP BY u.kind
UNION ALL
SELECT 'lottery', month, status, COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM lottery_entries WHERE entered_at >= :start AND entered_at < :end AND status <> 'withdrawn' GROUP BY month, status
UNION ALL
SELECT 'loans', i.name, '', COUNT(*), SUM(l.quantity), SUM(l.fee_yen), 0, 0, 0, 0, 0
FROM equipment_loans l JOIN equipment_items i ON i.id = l.item_id
WHERE l.status <> 'cancelled' AND l.start_at >= :start AND l.start_at < :end GROUP BY i.facility_id, i.sort_order, i.name
UNION ALL
SELECT 'printing', g.name, p.machine, COUNT(p.id), SUM(p.masters), SUM(p.sheets), SUM(p.fee_yen), 0, 0, 0, 0
FROM print_jobs p JOIN groups g ON g.id = p.group_id WHERE p.used_on >= :first AND p.used_on <= :last GROUP BY g.name, p.machine
"""


def _month() -> tuple[Period, dict]:
    from center_app.domain.center_settings import LOCKER_TERM_START_MONTH
    from center_app.services.lockers import term_of

    last = dataset.today() - dt.timedelta(days=1)
    first = last.replace(day=1)
    params = {
        "start": f"{first} 00:00:00.000000", "end": f"{last + dt.timedelta(days=1)} 00:00:00.000000",
        "first": str(first), "last": str(last), "ym": first.year * 100 + first.month,
        "term": term_of(last, LOCKER_TERM_START_MONTH.default),  # the data sets keep the default (checked against the summary)
    }
    assert last.day == calendar.monthrange(first.year, first.month)[1]
    return Period.of_month(first.year, first.month), params


def test_monthly_summary_all_facilities(bench_db, bench_ctx, profile):
    month, params = _month()
    ctx = bench_ctx
    summary = statistics.summarize(ctx, month)  # warm: statement cache, open days, page cache
    with bench_db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        hand_rooms = raw.execute(HAND_ROOMS, params).fetchall()
        assert {r[0]: r[1] for r in hand_rooms} == {r.room_id: r.figures.bookings for r in summary.rooms if r.figures.bookings}
        hand_all = raw.execute(HAND_ALL, params).fetchall()
        hand_top = [(r[1], r[3], r[4]) for r in hand_all if r[0] == "group"]
        assert hand_top == [(g.name, g.bookings, g.slots_used) for g in summary.top_groups]
        hand_income: dict[int, int] = {}
        for r in hand_all:
            if r[0] == "income":
                hand_income[int(r[1])] = hand_income.get(int(r[1]), 0) + r[3]
        assert {k: v for k, v in hand_income.items() if v} == {r.room_id: r.figures.income_yen for r in summary.rooms if r.figures.income_yen}
        hand_total = sum(r[3] for r in hand_all if r[0] == "consultations") + sum(r[3] for r in hand_all if r[0] == "kept" and r[1] == "total")
        assert hand_total == summary.consultations.total
        def hand(part: str, column: int = 3) -> int:
            return sum(r[column] for r in hand_all if r[0] == part)

        services = summary.services
        assert hand("visitors") == services.visitors and hand("lottery") == sum(m.entries for m in services.lottery)
        assert hand("lockers", 4) == sum(o.allocated for o in services.lockers)
        assert hand("loans") == sum(loan.loans for loan in summary.loans) and hand("printing") == sum(job.jobs for job in summary.printing)
        # interleaved so load from other processes hits them alike
        summary_times, all_times, room_times = interleaved(
            RUNS,
            lambda: statistics.summarize(ctx, month),
            lambda: raw.execute(HAND_ALL, params).fetchall(),
            lambda: raw.execute(HAND_ROOMS, params).fetchall(),
        )
    (ours, ours_wall), (hand, hand_wall), (rooms, _rooms_wall) = (t.medians(1000) for t in (summary_times, all_times, room_times))
    note("summary", profile, f"monthly summary ({month.first:%Y-%m}): {sum(r.figures.bookings for r in summary.rooms)} bookings; "
         f"the per-room query alone CPU {rooms:.1f} ms")
    row = record("summary", profile, Row("monthly summary, all facilities", RUNS, ours, ours_wall, hand, hand_wall,
                                         "one hand-written SQL query, same figures", "ms", "≤ 100 ms and ≤ 2 × baseline",
                                         ours <= 100 and ours <= 2 * hand))
    check(row)


def _stale(ctx, months) -> None:
    """Make ``months`` (first days; None: every month) stale as writes to them would (untimed)."""
    from sqlalchemy import update

    from center_app.db.summaries import SummaryMonth, SummaryState

    with ctx.db.write() as session:
        if months is None:
            session.execute(update(SummaryState).values(generation=SummaryState.generation + 1))
        else:
            session.execute(update(SummaryMonth).where(SummaryMonth.month_start.in_(months)).values(generation=SummaryMonth.generation + 1))


def _timed_after(ctx, year, months) -> tuple[float, float]:
    """CPU and wall seconds of one summary of ``year`` right after ``months`` were made stale."""
    _stale(ctx, months)
    cpu, began = time.process_time(), time.perf_counter()
    statistics.summarize(ctx, year)
    return time.process_time() - cpu, time.perf_counter() - began


def test_fiscal_year_summary_all_facilities(bench_ctx, profile):
    """The fiscal year as the 集計 screen reads it once its past months are kept (the target
    row), and — reported — the first summary after a write to one past month (a late attendance
    or a void: that month is read again and kept) and after a bulk write (an import: every past
    month read again and kept), each including the keeping."""
    from center_app.services.statistics_months import keepable

    month, _params = _month()
    year = Period.of_fiscal_year(month.first.year - (month.first.month < 4))
    statistics.summarize(bench_ctx, year)  # warm, and keeps the past months
    (times,) = interleaved(YEAR_RUNS, lambda: statistics.summarize(bench_ctx, year))
    ours, wall = times.medians(1000)
    row = record("fiscal_year", profile, Row(f"fiscal-year summary, all facilities ({year.label})", YEAR_RUNS, ours, wall, None, None,
                                             "", "ms", "≤ 60 ms", ours <= 60))
    past = [dt.date(*year.months[i], 1) for i in keepable(year, dt.date.today())]
    for key, label, months in (("fiscal_year_one_stale", "… the first after a write to one past month", past[-1:]),
                               ("fiscal_year_all_stale", "… the first after a bulk write (every past month read again)", None)):
        cpu, walls = zip(*(_timed_after(bench_ctx, year, months) for _ in range(YEAR_RUNS)), strict=True)
        record(key, profile, Row(f"{label} ({len(past) if months is None else len(months)} of {len(past)} past months)", YEAR_RUNS,
                                 median(cpu) * 1000, median(walls) * 1000, None, None, "", "ms", "— (reported)", None))
    check(row)


class _PaintCounter(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_statistics_screen_open(qapp_fonts, bench_ctx, profile):
    from center_app.ui.runner import ImmediateRunner
    from center_app.ui.screens import create_screen
    from center_app.ui.state import AppState

    qapp = qapp_fonts
    state = AppState(bench_ctx, ImmediateRunner())
    state.set_date(dataset.today())

    def open_screen() -> None:
        screen = create_screen("statistics", state)
        screen.resize(1280, 760)
        painted = _PaintCounter()
        screen.installEventFilter(painted)
        screen.show()
        screen.activate()
        began = time.monotonic()
        while painted.count == 0 or screen.controller.loaded is None:
            qapp.processEvents()
            assert time.monotonic() - began < 30, "the screen never showed its summary"
        screen.close()
        screen.deleteLater()
        qapp.processEvents()

    open_screen()  # warm
    (times,) = interleaved(SCREEN_RUNS, open_screen)
    ours, wall = times.medians(1000)
    record("statistics_screen", profile, Row("集計 screen opened (last month, charts of its fiscal year)", SCREEN_RUNS, ours, wall, None, None,
                                             "", "ms", "— (reported)", None))
