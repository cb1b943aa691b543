"""Benchmarks of booking (DESIGN.md §8) on the ten-year data set of :mod:`statistics_data`
(7 facilities, 19 rooms, 200,000 bookings):

- the conflict check (the query every booking write runs inside its transaction): ≤ 1 ms;
- switching a week in the calendar of the main center: reading the visible range, laying out
  the grid (rooms × slots of 7 days) and painting it: ≤ 50 ms.

Run: ``make bench`` (or ``pytest -s tests/bench/test_bookings_bench.py``).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics as stats
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import statistics_data  # noqa: E402

from center_app.db.database import open_database, sqlite_url  # noqa: E402
from center_app.db.models import Facility, Room  # noqa: E402
from center_app.services import bookings, bookings_calendar  # noqa: E402
from center_app.services.context import ServiceContext, command_line_user  # noqa: E402

RUNS = 300


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = statistics_data.cached_sqlite(tmp_path_factory.mktemp("bench") / "bookings.sqlite3")
    database = open_database(sqlite_url(path))
    with database.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    yield database
    database.dispose()


def _days(count: int) -> list[dt.date]:
    rng = random.Random(4)
    span = (statistics_data.LAST_DAY - statistics_data.FIRST_DAY).days
    return [statistics_data.FIRST_DAY + dt.timedelta(days=rng.randrange(span)) for _ in range(count)]


def test_conflict_check_within_one_millisecond(db):
    with db.read() as session:
        room = session.query(Room.id).join(Facility).filter(Facility.is_main.is_(True)).order_by(Room.sort_order).first()[0]
        timings, hits = [], 0
        for day in _days(RUNS):
            start, end = dt.datetime.combine(day, dt.time(13)), dt.datetime.combine(day, dt.time(15))
            began = time.perf_counter()
            hits += bookings.find_conflict(session, room, start, end) is not None
            timings.append(time.perf_counter() - began)
    median = stats.median(timings) * 1000
    print(f"\nconflict check: median {median:.3f} ms, p90 {sorted(timings)[int(RUNS * 0.9)] * 1000:.3f} ms ({hits} of {RUNS} found a booking)")
    assert median <= 1.0


def test_week_switch_of_the_main_center_within_50_ms(db, qapp):
    from center_app.ui.screens.bookings.controller import fetch_range
    from center_app.ui.screens.bookings.grid import BookingGrid
    from center_app.ui.screens.bookings.model import WEEK, Grid, week_columns

    ctx = ServiceContext(db, command_line_user())
    with db.read() as session:
        facility = session.query(Facility.id).filter(Facility.is_main.is_(True)).scalar()
    frame, choices = bookings_calendar.calendar_frame(ctx, facility), bookings_calendar.booking_choices(ctx)
    widget = BookingGrid()
    widget.resize(1100, 400)
    timings, shown = [], 0
    for day in _days(20):
        began = time.perf_counter()
        data = fetch_range(ctx, facility, WEEK, day, frame, choices)
        grid = Grid(list(frame.rooms), week_columns(data.first, frame.slots, frame.opening, frame.closing), list(data.bookings), data.statuses)
        widget.set_grid(grid, WEEK)
        widget.grab()  # paint it
        timings.append(time.perf_counter() - began)
        shown += len(grid.spans)
    median = stats.median(timings) * 1000
    print(f"\nweek switch (main center): median {median:.1f} ms, max {max(timings) * 1000:.1f} ms, {shown / len(timings):.0f} bookings a week")
    assert median <= 50.0
