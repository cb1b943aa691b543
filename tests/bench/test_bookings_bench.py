"""Booking benchmarks on each data set (docs/architecture.md §8; targets on the CPU time).

- Switching a week in the calendar of the main center: the real main window with the app's fonts
  on the 予約 screen in week view (runner that works at once on the GUI thread; the idle lock's
  event filter installed as in the app), Page Down pressed on the grid: the
  service reads the week, the grid is rebuilt and the window repaints (the event loop runs until
  the grid has painted). ≤ 50 ms. Baseline: the raw SQL query of that week's bookings
  (sqlite3, no ORM), which returns the same rows.
- One booking conflict check (``services.bookings_checks.find_conflict``, the query every booking write
  runs in its transaction) on random days and rooms: ≤ 1 ms. Baseline: a bare ``SELECT 1`` on
  the same session.
"""

from __future__ import annotations

import datetime as dt
import random
import time

import dataset
import pytest
from harness import Row, check, interleaved, median, note, record
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select, text

WEEKS = 40
CONFLICT_RUNS = 500

RAW_WEEK = """
SELECT b.id, b.room_id, r.name, b.start_at, b.end_at, b.status, b.applicant_name, b.purpose, b.slot_names,
       b.expected_people, b.attendance, b.checked_in_at, b.fee_yen, b.slip_no
FROM bookings b JOIN rooms r ON r.id = b.room_id
WHERE r.facility_id = ? AND b.start_at >= ? AND b.start_at < ? AND b.status IN ('provisional', 'confirmed', 'used', 'no_show')
ORDER BY b.start_at, r.sort_order, b.id"""


class _PaintCounter(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_week_switch_of_the_main_center(qapp_fonts, bench_ctx, raw_sqlite, main_facility, profile):
    from center_app.domain.booking_values import BLOCKING
    from center_app.ui import idle_lock
    from center_app.ui.main_window import MainWindow
    from center_app.ui.runner import ImmediateRunner
    from center_app.ui.screens.bookings.controller import fetch_range
    from center_app.ui.screens.bookings.model import WEEK
    from center_app.ui.state import AppState

    assert set(BLOCKING) == {"provisional", "confirmed", "used", "no_show"}, "RAW_WEEK must filter like the service"
    qapp = qapp_fonts
    state = AppState(bench_ctx, ImmediateRunner())
    window = MainWindow(state)
    window.show_section("bookings")
    window.show()
    lock = idle_lock.install(qapp, state, window, minutes=10)  # as the app runs: its filter sees every event
    assert state.facility_id == main_facility, "the first facility of the toolbar is the main center"
    screen = window.screen("bookings")
    controller, grid = screen.controller, screen.grid
    state.set_date(dataset.today() - dt.timedelta(weeks=WEEKS + 10))
    controller.set_mode(WEEK)
    qapp.processEvents()
    painted = _PaintCounter()
    grid.installEventFilter(painted)
    grid.setFocus()

    def switch() -> None:
        before, began = painted.count, time.monotonic()
        QTest.keyClick(grid, Qt.Key.Key_PageDown)
        while painted.count == before:  # until the new week is on the screen
            qapp.processEvents()
            assert time.monotonic() - began < 10, "the grid never repainted"

    shown: list[int] = []

    def raw() -> None:
        first = controller.data.first + dt.timedelta(weeks=1)  # the week the next switch shows
        rows = raw_sqlite.execute(RAW_WEEK, (main_facility, f"{first} 00:00:00.000000", f"{first + dt.timedelta(days=7)} 00:00:00.000000")).fetchall()
        shown.append(len(rows))

    checked = []

    def ours() -> None:
        switch()
        checked.append(len(controller.data.bookings))

    def service() -> None:  # what the switch reads, without the grid
        fetch_range(bench_ctx, main_facility, WEEK, controller.data.first + dt.timedelta(weeks=1), controller.frame, controller.choices)

    switch()  # warm: statement cache, fonts, line cache of the first names
    raw_times, service_times, our_times = interleaved(WEEKS, raw, service, ours)
    lock.uninstall()
    window.close()
    assert shown == checked, "the raw query returns the week's bookings"
    (ours, ours_wall), (raw, raw_wall), (service_ms, _wall) = (t.medians(1000) for t in (our_times, raw_times, service_times))
    note("week", profile, f"week switch: {median(checked):.0f} bookings a week; ours CPU max {max(our_times.cpu) * 1000:.1f} ms, wall max {max(our_times) * 1000:.1f} ms")
    note("week", profile, f"week switch: reading the week alone (controller.fetch_range: bookings, day statuses) CPU median {service_ms:.1f} ms")
    row = record("week", profile, Row("switching a week, booking calendar of the main center", WEEKS, ours, ours_wall, raw, raw_wall,
                                      "raw SQL of the week's bookings", "ms", "≤ 50 ms", ours <= 50))
    check(row)


def test_conflict_check(bench_db, main_facility, profile):
    from center_app.db.models import Room
    from center_app.services import bookings_checks

    rng = random.Random(4)
    select_one = text("SELECT 1")
    with bench_db.read() as session:
        rooms = list(session.scalars(select(Room.id).where(Room.facility_id == main_facility)))
        span = 3650 if profile == "large" else 365
        cases = []
        for _ in range(CONFLICT_RUNS):
            day = dataset.today() - dt.timedelta(days=rng.randrange(span))
            cases.append((rng.choice(rooms), dt.datetime.combine(day, dt.time(13)), dt.datetime.combine(day, dt.time(15))))
        found = 0
        it = iter(cases)

        def ours() -> None:
            nonlocal found
            found += bookings_checks.find_conflict(session, *next(it)) is not None

        bookings_checks.find_conflict(session, *cases[0])  # warm
        session.execute(select_one).scalar()
        our_times, base_times = interleaved(CONFLICT_RUNS, ours, lambda: session.execute(select_one).scalar())
    (ours, ours_wall), (base, base_wall) = (t.medians(1000) for t in (our_times, base_times))
    note("conflict", profile, f"conflict check: {found} of {CONFLICT_RUNS} checks found a booking; wall p90 {sorted(our_times)[int(CONFLICT_RUNS * 0.9)] * 1000:.3f} ms")
    row = record("conflict", profile, Row("booking conflict check", CONFLICT_RUNS, ours, ours_wall, base, base_wall, "bare SELECT 1, same session",
                                          "ms", "≤ 1 ms", ours <= 1.0))
    check(row)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-s", "-q"])
