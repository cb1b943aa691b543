"""Two PCs (two OS processes) lend the last unit of an item at the same moment — on one SQLite
file under ``make test``, on one PostgreSQL database under ``make test-pg``: every round one PC
gets it and the other is told it is out; never are two units lent of an item that has one."""

from __future__ import annotations

import multiprocessing

import pytest
from bookings_support import context
from equipment_support import NOW, item_id, lend_worker, setup
from sqlalchemy import func, select

from center_app.db.equipment import EquipmentLoan
from center_app.domain import clock

pytestmark = pytest.mark.postgres

ROUNDS = 20


def test_two_processes_lending_the_last_unit_one_wins_each_round(tmp_path):
    clock.set_fixed(NOW)
    db, groups, _facility = setup(tmp_path)
    try:
        player = item_id(db, "player")  # one unit
        url = db.url
        assert context(db)  # the database is seeded and reachable
    finally:
        db.dispose()
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    workers = [spawn.Process(target=lend_worker, args=(url, player, groups[pc], barrier, results, pc, ROUNDS)) for pc in ("A", "B")]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=180) for _worker in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    assert [o for pc in "AB" for o in outcomes[pc] if o[0] == "error"] == []
    for round_no in range(ROUNDS):
        kinds = sorted(outcomes[pc][round_no][0] for pc in "AB")
        assert kinds == ["ok", "refused"], (round_no, outcomes["A"][round_no], outcomes["B"][round_no])
    refused = [o[1] for pc in "AB" for o in outcomes[pc] if o[0] == "refused"]
    assert all("貸出中" in message for message in refused)
    from center_app.db.database import open_database

    db = open_database(url, migrate=False)
    try:
        with db.read() as session:
            assert session.scalar(select(func.count()).select_from(EquipmentLoan)) == ROUNDS
    finally:
        db.dispose()
