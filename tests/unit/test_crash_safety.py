"""Crash safety of the SQLite file: a PC writing bookings through the service is killed with
SIGKILL at random moments, 50 times. Afterwards the file passes ``integrity_check`` and
``foreign_key_check``, every booking whose commit had returned (reported over a pipe) is
there, and every stored booking has its audit entry (booking and audit commit together)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time

import pytest
from sqlalchemy import select

from center_app.db.backup import check_file
from center_app.db.bookings import Booking
from center_app.db.database import sqlite_path
from center_app.db.models import AuditEntry

from bookings_support import TODAY, crash_worker, room_ids, seeded_database

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fork server are POSIX"),
    pytest.mark.skipif(bool(os.environ.get("CENTER_APP_TEST_PG_URL")), reason="SQLite file behaviour"),
]

KILLS = 50


def _slots(rooms: list[int], count: int) -> list[tuple[int, str, str, str]]:
    """Distinct free (room, day, start, end) one-hour slots on open days within the horizon."""
    slots, day = [], TODAY + dt.timedelta(days=1)
    while len(slots) < count:
        if day.weekday() != 0:  # Mondays are closed
            slots += [(room, day.isoformat(), f"{h:02d}:00", f"{h + 1:02d}:00") for h in range(9, 19) for room in rooms]
        day += dt.timedelta(days=1)
    return slots[:count]


def test_killed_writer_loses_no_committed_booking_and_leaves_a_sound_file(tmp_path):
    db = seeded_database(tmp_path)
    url, path = db.url, sqlite_path(db.url)
    rooms = [room_ids(db)[code] for code in ("M1", "M2", "M3", "HALL", "WA")]
    db.dispose()
    slots = _slots(rooms, 2000)
    rng = random.Random(20261129)
    # Children are forked from a server that has imported the app once: a start costs
    # milliseconds, not the second of a fresh interpreter.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bookings_support", "center_app.services.bookings", "center_app.db.database"])
    reported: list[int] = []
    for kill in range(KILLS):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=crash_worker, args=(url, slots, _stored_count(path), writer))
        child.start()
        writer.close()
        assert reader.poll(30), "the child wrote nothing"
        reported.append(reader.recv())  # it is writing now: kill it at a random moment
        time.sleep(rng.uniform(0.0, 0.04))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert child.exitcode == -signal.SIGKILL
        while True:  # every id it sent before dying
            try:
                if not reader.poll(0):
                    break
                reported.append(reader.recv())
            except EOFError:
                break
        reader.close()
        assert None not in reported, "too few slots for the test"
        assert check_file(path) == [], f"after kill {kill}"

    db = seeded_database(tmp_path)
    try:
        with db.read() as session:
            stored = set(session.scalars(select(Booking.id)))
            audited = {int(i) for i in session.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "booking", AuditEntry.action == "create"))}
    finally:
        db.dispose()
    assert set(reported) <= stored  # no booking whose commit returned was lost
    assert stored == audited
    assert len(reported) >= KILLS


def _stored_count(path) -> int:
    """Bookings in the file: the children fill the slots in order, so the next child starts there."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM bookings").fetchone()[0]
    finally:
        conn.close()
