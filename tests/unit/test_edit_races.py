"""Two PCs (two OS processes) edit the same records at the same moment, 20 rounds per scenario —
on one SQLite file under ``make test``, on one PostgreSQL database under ``make test-pg``: the
same booking saved twice, the monthly cap booked from two rooms, the same group and the same
consultation saved twice, a booking restored or given to a group while the group is withdrawn.
Every round has exactly one winner; the loser is refused (「ほかの端末で変更されました」 or the
rule), and no rule is broken in what is stored (docs/architecture.md §5, services/editing.py).
Two groups registered at once both succeed with different registration numbers."""

from __future__ import annotations

import multiprocessing

import pytest
from bookings_support import TODAY, seeded_database
from edit_race_support import SCENARIOS, edit_race_worker

from center_app.services import auth
from center_app.services.context import ServiceContext

pytestmark = pytest.mark.postgres

ROUNDS = 20


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_two_pcs_never_both_win_and_never_break_a_rule(tmp_path, clock, scenario):
    clock(TODAY)
    db = seeded_database(tmp_path)
    try:
        admin = auth.create_first_admin(db, "admin", "管理 花子", "admin-password-1", "admin-password-1")
        plan = SCENARIOS[scenario]
        rounds = plan.setup(ServiceContext(db, admin), ROUNDS)
    finally:
        db.dispose()

    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    results = spawn.Queue()
    workers = [spawn.Process(target=edit_race_worker, args=(db.url, scenario, rounds, barrier, results, pc)) for pc in ("A", "B")]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=120) for _worker in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    db = seeded_database(tmp_path)
    try:
        ctx = ServiceContext(db, admin)
        problems = []
        assert len(outcomes["A"]) == len(outcomes["B"]) == ROUNDS, outcomes
        for number, (data, a, b) in enumerate(zip(rounds, outcomes["A"], outcomes["B"], strict=True)):
            problems += [f"round {number}: {p}" for p in plan.check(ctx, data, {"A": a, "B": b})]
        assert problems == []
        winners = [("A" if a[0] == "ok" else "B") for a, _b in zip(outcomes["A"], outcomes["B"], strict=True)]
        assert set(winners) <= {"A", "B"}
    finally:
        db.dispose()
