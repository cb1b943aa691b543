"""Two PCs (two OS processes on one SQLite file) race for the same room and time 100 times:
every round exactly one wins and the other gets a ConflictError naming the booking."""

from __future__ import annotations

import datetime as dt
import multiprocessing

from sqlalchemy import func, select

from center_app.db.bookings import Booking

from bookings_support import TODAY, race_worker, room_ids, seeded_database

ROUNDS = 100


def _open_days(count: int) -> list[dt.date]:
    days, day = [], TODAY + dt.timedelta(days=1)
    while len(days) < count:
        if day.weekday() != 0:  # Mondays are closed
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def test_two_processes_never_both_book_the_same_slot(tmp_path):
    db = seeded_database(tmp_path)
    room = room_ids(db)["M1"]
    url = db.url
    db.dispose()
    hours = [(f"{h:02d}:00", f"{h + 1:02d}:00") for h in range(9, 19)]  # ten 1-hour slots a day
    rounds = [(day.isoformat(), start, end) for day in _open_days(ROUNDS // len(hours)) for start, end in hours]
    assert len(rounds) == ROUNDS

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [context.Process(target=race_worker, args=(url, room, rounds, barrier, results)) for _pc in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=240) for _worker in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    for number, pair in enumerate(zip(*outcomes)):
        assert sorted(pair) == ["conflict", "ok"], f"round {number}: {pair}"
    db = seeded_database(tmp_path)
    try:
        with db.read() as session:
            assert session.scalar(select(func.count(Booking.id))) == ROUNDS
    finally:
        db.dispose()
