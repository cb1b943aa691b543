"""Two PCs (two OS processes) race for the same room and time 200 times — on one SQLite file
under ``make test``, on one PostgreSQL database under ``make test-pg``: every round exactly one
wins, the other gets a ConflictError naming the winner's booking, and only the winner's slip can
be printed (the loser has no booking)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from center_app.app import main
from center_app.db.bookings import Booking

from bookings_support import TODAY, context, race_worker, room_ids, seeded_database
from conftest import command_line_admin

pytestmark = pytest.mark.postgres

ROUNDS = 200
PG_SERVER_URL = os.environ.get("CENTER_APP_TEST_PG_URL", "")


def _open_days(count: int) -> list[dt.date]:
    days, day = [], TODAY + dt.timedelta(days=1)
    while len(days) < count:
        if day.weekday() != 0:  # Mondays are closed
            days.append(day)
        day += dt.timedelta(days=1)
    return days


@pytest.mark.parametrize("rounds_count, room_lock", [
    (ROUNDS, True),
    # the database alone: both PCs pass the check, PostgreSQL's exclusion constraint refuses one
    pytest.param(50, False, marks=pytest.mark.skipif(not PG_SERVER_URL, reason="exclusion constraint: PostgreSQL only"), id="constraint-only"),
])
def test_two_processes_never_both_book_the_same_slot(tmp_path, capsys, monkeypatch, rounds_count, room_lock):
    db = seeded_database(tmp_path)
    room = room_ids(db)["M1"]
    url = db.url
    db.dispose()
    if not room_lock:  # PostgreSQL resolves two PCs waiting for each other after deadlock_timeout (1 s)
        url = make_url(url).update_query_dict({"options": "-c deadlock_timeout=20ms"}).render_as_string(hide_password=False)
    hours = [(f"{h:02d}:00", f"{h + 1:02d}:00") for h in range(9, 19)]  # ten 1-hour slots a day
    rounds = [(day.isoformat(), start, end) for day in _open_days(rounds_count // len(hours)) for start, end in hours]
    assert len(rounds) == rounds_count

    context_ = multiprocessing.get_context("spawn")
    barrier = context_.Barrier(2)
    results = context_.Queue()
    workers = [context_.Process(target=race_worker, args=(url, room, rounds, barrier, results, pc, room_lock)) for pc in ("A", "B")]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=240) for _worker in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    db = seeded_database(tmp_path)
    try:
        with db.read() as session:
            stored = {(b.start_at, b.end_at): (b.id, b.applicant_name) for b in session.scalars(select(Booking))}
        assert len(stored) == rounds_count  # one booking per round, none lost, none doubled
        for number, ((day, start, end), a, b) in enumerate(zip(rounds, outcomes["A"], outcomes["B"], strict=True)):
            assert sorted((a[0], b[0])) == ["conflict", "ok"], f"round {number}: {a} {b}"
            winner, (won, lost) = ("A", (a, b)) if a[0] == "ok" else ("B", (b, a))
            key = (dt.datetime.fromisoformat(f"{day} {start}"), dt.datetime.fromisoformat(f"{day} {end}"))
            assert stored[key] == (won[1], f"申込者 {winner}"), f"round {number}"
            assert lost[1] == won[1], f"round {number}: the loser was not shown the winner's booking"

        # only the winner's slip is printable: the stored booking of the last round prints, with the
        # winner's name; nothing else was stored for that slot
        last_id, last_applicant = stored[key]
        target = tmp_path / "slip.pdf"
        signed_in = command_line_admin(db, monkeypatch)
        assert main(["--lang", "en", "--database-url", url, "print", "slip", "--booking", str(last_id), "--output", str(target), *signed_in]) == 0
        slip_no = _slip_no(db, last_id)
        assert slip_no in capsys.readouterr().out
        from pypdf import PdfReader

        text = PdfReader(target).pages[0].extract_text()
        assert last_applicant in text and slip_no in text
        # every winner has a slip number of its own
        with db.read() as session:
            assert len(set(session.scalars(select(Booking.slip_no)))) == rounds_count
    finally:
        db.dispose()


def _slip_no(db, booking_id: int) -> str:
    from center_app.services import bookings

    return bookings.slip_data(context(db), booking_id)[0].slip_no
