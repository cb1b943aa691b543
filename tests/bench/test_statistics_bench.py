"""Benchmark of the monthly summary, all facilities (DESIGN.md §8: ≤ 100 ms and ≤ 2 × one
hand-written SQL query), on the ten-year data set of :mod:`statistics_data` (200,000 bookings,
50,000 consultations, 5,000 groups).

Two hand-written baselines, run on the same connection in the same run:

- ``HAND_ALL``: ONE SQL statement (UNION ALL) returning the same figures as the summary — per
  room, per applicant class and exemption, the most active groups, registrations, and the
  consultation counts (kept records and the anonymous counts) — this is the target's baseline;
- ``HAND_ROOMS``: the per-room booking figures alone (the core of the summary), for reference.

Run: ``make bench`` (or ``pytest -s tests/bench/test_statistics_bench.py``). The data set is
generated once (~1 minute) and cached under the temp folder.
"""

from __future__ import annotations

import statistics as stats
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import statistics_data  # noqa: E402

from center_app.db.database import open_database, sqlite_url  # noqa: E402
from center_app.services import statistics  # noqa: E402
from center_app.services.context import ServiceContext, command_line_user  # noqa: E402
from center_app.services.statistics_values import Period  # noqa: E402

MONTH = Period.of_month(2025, 10)
RUNS = 30

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
"""


def _timed(fn, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return stats.median(times), min(times)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = statistics_data.cached_sqlite(tmp_path_factory.mktemp("bench") / "statistics.sqlite3")
    database = open_database(sqlite_url(path))
    yield database
    database.dispose()


def test_monthly_summary_all_facilities(db):
    ctx = ServiceContext(db, command_line_user())
    params = {
        "start": "2025-10-01 00:00:00.000000", "end": "2025-11-01 00:00:00.000000",
        "first": "2025-10-01", "last": "2025-10-31", "ym": 202510,
    }
    summary = statistics.summarize(ctx, MONTH)  # warm: statement cache, open days, page cache
    with db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        hand_rooms = raw.execute(HAND_ROOMS, params).fetchall()
        assert {r[0]: r[1] for r in hand_rooms} == {r.room_id: r.figures.bookings for r in summary.rooms if r.figures.bookings}
        hand_all = raw.execute(HAND_ALL, params).fetchall()
        hand_top = [(r[1], r[3], r[4]) for r in hand_all if r[0] == "group"]
        assert hand_top == [(g.name, g.bookings, g.slots_used) for g in summary.top_groups]
        hand_total = sum(r[3] for r in hand_all if r[0] == "consultations") + sum(r[3] for r in hand_all if r[0] == "kept" and r[1] == "total")
        assert hand_total == summary.consultations.total
        # interleave the three so load from other processes hits them alike
        summary_times, all_times, room_times = [], [], []
        for _ in range(RUNS):
            for target, fn in (
                (summary_times, lambda: statistics.summarize(ctx, MONTH)),
                (all_times, lambda: raw.execute(HAND_ALL, params).fetchall()),
                (room_times, lambda: raw.execute(HAND_ROOMS, params).fetchall()),
            ):
                start = time.perf_counter()
                fn()
                target.append((time.perf_counter() - start) * 1000)
    med = {name: (stats.median(t), min(t)) for name, t in (("summary", summary_times), ("hand_all", all_times), ("hand_rooms", room_times))}
    year_median, year_min = _timed(lambda: statistics.summarize(ctx, Period.of_fiscal_year(2025)), 5)
    print(
        f"\nmonthly summary, all facilities: median {med['summary'][0]:.1f} ms (min {med['summary'][1]:.1f})"
        f"\none hand-written SQL query with the same figures: median {med['hand_all'][0]:.1f} ms (min {med['hand_all'][1]:.1f})"
        f"  → ratio {med['summary'][0] / med['hand_all'][0]:.2f} (median), {med['summary'][1] / med['hand_all'][1]:.2f} (min)"
        f"\nhand-written per-room query alone: median {med['hand_rooms'][0]:.1f} ms (min {med['hand_rooms'][1]:.1f})"
        f"\nfiscal-year summary, all facilities: median {year_median:.0f} ms (min {year_min:.0f})"
    )
    assert med["summary"][0] <= 100
    assert med["summary"][1] <= 2 * med["hand_all"][1]
