"""Shared set-up of the equipment and printing-room tests: a seeded database with two registered
groups, the catalogue by code, and the PC of the last-unit race (a separate OS process)."""

from __future__ import annotations

import datetime as dt

from bookings_support import context, seeded_database
from sqlalchemy import select

from center_app.db.equipment import EquipmentItem
from center_app.db.groups import Group
from center_app.db.models import Facility

#: A Tuesday at 10:00; the tests set the clock here.
NOW = dt.datetime(2026, 6, 2, 10, 0)


def setup(folder):
    """(database, {"A": group id, "B": group id, "X": a withdrawn group}, main facility id)."""
    db = seeded_database(folder)
    with db.write() as session:
        groups = {}
        for key, name, status in (("A", "みどりの会", "registered"), ("B", "子ども食堂ひまわり", "registered"), ("X", "解散した会", "withdrawn")):
            group = Group(name=name, name_kana="カイ", legal_form="voluntary", status=status, registration_no=f"R08-{len(groups) + 1:04d}")
            session.add(group)
            session.flush()
            groups[key] = group.id
        facility = session.scalar(select(Facility.id).where(Facility.code == "main"))
    return db, groups, facility


def item_id(db, code: str) -> int:
    with db.read() as session:
        return session.scalar(select(EquipmentItem.id).where(EquipmentItem.code == code))


def lend_worker(url: str, item: int, group: int, barrier, results, pc: str, rounds: int) -> None:
    """One PC of the last-unit race: each round, meet the other PC at the barrier and lend one
    unit of ``item`` for that round's own day; reports (pc, [("ok", loan no) | ("refused", message)
    | ("error", text)])."""
    from center_app.db.database import open_database
    from center_app.domain import clock
    from center_app.domain.errors import RuleError
    from center_app.domain.roles import Role
    from center_app.services import equipment

    clock.set_fixed(NOW)
    db = open_database(url, migrate=False)
    ctx = context(db, Role.COUNTER, name=f"PC {pc}")
    outcome: list[tuple[str, str]] = []
    try:
        for round_no in range(rounds):
            start = dt.datetime.combine(NOW.date() + dt.timedelta(days=round_no + 1), dt.time(9))
            barrier.wait(timeout=60)
            try:
                loan = equipment.lend(ctx, item, start=start, due=start + dt.timedelta(hours=3), group_id=group)
                outcome.append(("ok", loan.loan_no))
            except RuleError as exc:
                outcome.append(("refused", str(exc)))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                outcome.append(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
        results.put((pc, outcome))
