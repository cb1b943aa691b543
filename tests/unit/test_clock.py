"""The one clock (center_app.domain.clock): Asia/Tokyo wall time whatever the PC's zone, one
setting moves every layer, and no other module reads the system clock for a date or a time."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from center_app.db.bookings import Booking
from center_app.db.models import AuditEntry
from center_app.domain import clock as app_clock
from center_app.domain.errors import RuleError
from center_app.services import bookings, documents

from bookings_support import context, make_input, room_ids

PACKAGE = Path(__file__).resolve().parents[2] / "center_app"

#: Readings of the system clock that give a date or a wall time. ``time.monotonic`` and
#: ``time.perf_counter`` (durations) are fine anywhere.
FORBIDDEN = [
    (re.compile(r"\b(?:date|datetime)\s*\.\s*(?:today|now|utcnow)\b"), "reads the system date or time"),
    (re.compile(r"\btime\s*\.\s*(?:time|time_ns|localtime|gmtime|ctime)\s*\("), "reads the system time"),
    (re.compile(r"\bQDate(?:Time)?\s*\.\s*current"), "reads the system date through Qt"),
    (re.compile(r"^\s*def\s+_?(?:today|now)\s*\(", re.MULTILINE), "defines a clock of its own"),
]
#: Files that may read the system clock, with the reason.
ALLOWED = {
    "center_app/domain/clock.py": "the one clock itself",
}


def clock_readings(text: str) -> list[str]:
    """What in ``text`` reads the system clock or defines another clock, one line each."""
    found = []
    for pattern, reason in FORBIDDEN:
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{line}: {match.group().strip()} ({reason})")
    return found


@pytest.mark.parametrize("line", [
    "day = dt.date.today()", "stamp = dt.datetime.now().replace(microsecond=0)", "x = datetime.utcnow()",
    "t = time.time()", "d = QDate.currentDate()", "def today() -> dt.date:", "def _now():",
])
def test_the_source_check_recognises_clock_readings(line):
    assert clock_readings(line)


@pytest.mark.parametrize("line", ["began = time.monotonic()", "started = time.perf_counter()", "day = clock.today()",
                                  "self.search_now()", "def backup_now(ctx):", "at = item.start_time.strftime('%H:%M')"])
def test_the_source_check_lets_durations_and_the_clock_pass(line):
    assert clock_readings(line) == []


def test_only_the_clock_module_reads_the_system_clock():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).as_posix()
        if relative in ALLOWED:
            continue
        offenders += [f"{relative}:{found}" for found in clock_readings(path.read_text(encoding="utf-8"))]
    assert offenders == []


# --- the clock itself --------------------------------------------------------------------------------


def _tokyo_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(hours=9)


def test_real_time_is_tokyo_wall_time_whatever_the_pcs_zone(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("the process's time zone can only be changed on Unix")
    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    time.tzset()
    try:
        tokyo = _tokyo_now()
        now = app_clock.now()
        assert abs(now - tokyo) < dt.timedelta(seconds=5)
        assert abs(dt.datetime.now() - tokyo) > dt.timedelta(hours=1)  # the PC's own wall time differs
        assert app_clock.today() == now.date() and now.microsecond == 0 and now.tzinfo is None
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_fixed_moment_stands_still_until_reset():
    moment = dt.datetime(2026, 12, 5, 23, 59, 59, 750000)
    app_clock.set_fixed(moment)
    assert (app_clock.today(), app_clock.now(), app_clock.precise_now()) == (
        dt.date(2026, 12, 5), dt.datetime(2026, 12, 5, 23, 59, 59), moment)
    app_clock.set_fixed(dt.date(2027, 1, 4))
    assert app_clock.now() == dt.datetime(2027, 1, 4, 0, 0)
    app_clock.reset()
    assert abs(app_clock.now() - _tokyo_now()) < dt.timedelta(seconds=5)


def test_frozen_restores_the_moment_before_and_aware_times_are_refused():
    app_clock.set_fixed(dt.datetime(2026, 6, 2, 9, 0))
    with app_clock.frozen(dt.date(2026, 12, 5)):
        assert app_clock.today() == dt.date(2026, 12, 5)
    assert app_clock.now() == dt.datetime(2026, 6, 2, 9, 0)
    with pytest.raises(ValueError):
        app_clock.set_fixed(dt.datetime(2026, 12, 5, tzinfo=dt.timezone.utc))


def test_a_worker_thread_reads_the_moment_set_on_the_main_thread():
    app_clock.set_fixed(dt.datetime(2026, 12, 5, 10, 30))
    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = set(pool.map(lambda _i: (app_clock.today(), app_clock.now()), range(200)))
    assert seen == {(dt.date(2026, 12, 5), dt.datetime(2026, 12, 5, 10, 30))}


# --- one setting moves every layer ----------------------------------------------------------------


def _slip_text(ctx, booking_id: int) -> str:
    return PdfReader(io.BytesIO(documents.booking_slip_pdf(ctx, booking_id).pdf)).pages[0].extract_text()


def _stored(db, booking_id: int) -> tuple[dt.datetime, dt.datetime]:
    """The booking row's created_at and the ``at`` of its create audit entry (a column default)."""
    with db.read() as session:
        created = session.get(Booking, booking_id).created_at
        audited = session.scalar(select(AuditEntry.at).where(
            AuditEntry.entity == "booking", AuditEntry.entity_id == str(booking_id), AuditEntry.action == "create"))
    return created, audited


@pytest.mark.postgres
def test_setting_the_clock_once_moves_the_booking_rules_the_slip_and_the_stored_times(db, clock):
    ctx, rooms = context(db), room_ids(db)
    first = dt.datetime(2026, 12, 5, 10, 30, 15)
    clock(first)
    with pytest.raises(RuleError) as past:
        bookings.create_booking(ctx, make_input(rooms["M1"], dt.date(2026, 12, 4)))
    assert past.value.rule == "past"
    with pytest.raises(RuleError) as ahead:  # 一般: one month ahead from the 1st → until January 31
        bookings.create_booking(ctx, make_input(rooms["M1"], dt.date(2027, 2, 2)))
    assert (ahead.value.rule, ahead.value.value) == ("horizon", dt.date(2027, 1, 31))
    made = bookings.create_booking(ctx, make_input(rooms["M1"], dt.date(2026, 12, 8)))
    assert _stored(db, made.id) == (first, first)
    assert "発行日: 令和8年12月5日" in _slip_text(ctx, made.id)

    later = dt.datetime(2027, 1, 5, 9, 0, 0)
    clock(later)
    with pytest.raises(RuleError) as now_past:
        bookings.create_booking(ctx, make_input(rooms["M2"], dt.date(2026, 12, 8)))
    assert now_past.value.rule == "past"
    opened = bookings.create_booking(ctx, make_input(rooms["M1"], dt.date(2027, 2, 2)))
    assert _stored(db, opened.id) == (later, later)
    assert "発行日: 令和9年1月5日" in _slip_text(ctx, made.id)
