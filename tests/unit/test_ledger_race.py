"""Two PCs (two OS processes) record payments at the same moment — on one SQLite file under
``make test``, on one PostgreSQL database under ``make test-pg``: the receipt numbers of the
fiscal year are consecutive, with no gap and no duplicate, and a booking both PCs pay at once
is paid once, the other PC being told it is paid."""

from __future__ import annotations

import multiprocessing
import time

import pytest
from bookings_support import DAY, context, room_ids, seeded_database
from ledger_support import book_many, payment_worker
from sqlalchemy import func, select

from center_app.db.money import Payment, PaymentAllocation
from center_app.domain import clock

pytestmark = pytest.mark.postgres

PER_PC = 100


def _race(url: str, work: dict[str, list[int]]) -> dict[str, list[tuple[str, str]]]:
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(len(work))
    results = spawn.Queue()
    workers = [spawn.Process(target=payment_worker, args=(url, ids, barrier, results, pc)) for pc, ids in work.items()]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=120) for _worker in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    return outcomes


def test_two_processes_record_200_payments_with_200_consecutive_receipt_numbers(tmp_path):
    db = seeded_database(tmp_path)
    try:
        with clock.frozen(DAY.replace(day=2)):
            ids = book_many(context(db), room_ids(db), 2 * PER_PC, DAY)
        url = db.url
    finally:
        db.dispose()
    started = time.perf_counter()
    outcomes = _race(url, {"A": ids[0::2], "B": ids[1::2]})
    elapsed = time.perf_counter() - started
    numbers = [n for pc in ("A", "B") for kind, n in outcomes[pc] if kind == "ok"]
    assert [o for pc in ("A", "B") for o in outcomes[pc] if o[0] != "ok"] == []
    assert len(numbers) == len(set(numbers)) == 2 * PER_PC
    assert sorted(numbers) == [f"R2026-{n:06d}" for n in range(1, 2 * PER_PC + 1)]
    # both PCs really interleaved: each got numbers from the first and the second half
    for pc in ("A", "B"):
        serials = sorted(int(n[-6:]) for kind, n in outcomes[pc] if kind == "ok")
        assert serials[0] <= PER_PC < serials[-1]
    db = seeded_database(tmp_path)
    try:
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(Payment)) == 2 * PER_PC
            assert session.scalar(select(func.count(func.distinct(PaymentAllocation.booking_id)))) == 2 * PER_PC
    finally:
        db.dispose()
    assert elapsed < 60, f"the race took {elapsed:.1f} s"


def test_two_clerks_paying_the_same_booking_at_once_pay_it_once(tmp_path):
    db = seeded_database(tmp_path)
    try:
        with clock.frozen(DAY.replace(day=2)):
            ids = book_many(context(db), room_ids(db), 30, DAY)
        url = db.url
    finally:
        db.dispose()
    outcomes = _race(url, {"A": ids, "B": ids})
    for index, (a, b) in enumerate(zip(outcomes["A"], outcomes["B"], strict=True)):
        assert sorted((a[0], b[0])) == ["ok", "refused"], f"booking {ids[index]}: {a} {b}"
        refused = a if a[0] == "refused" else b
        assert "納付済" in refused[1]
    numbers = sorted(n for pc in ("A", "B") for kind, n in outcomes[pc] if kind == "ok")
    assert numbers == [f"R2026-{n:06d}" for n in range(1, 31)]
