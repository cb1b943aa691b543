"""Shared set-up of the locker, visitor and lottery tests: registered groups made quickly, and the
PC of the locker race (a separate OS process)."""

from __future__ import annotations

import datetime as dt

#: A Friday within the lottery's default entry window (June 1–10: entries for August).
ENTRY_DAY = dt.date(2026, 6, 5)
#: The day after the window: the draw.
DRAW_DAY = dt.date(2026, 6, 11)


def new_group(ctx, number: int, name: str | None = None) -> int:
    """A registered group (with a registration number); its id."""
    from center_app.services import groups
    from center_app.services.group_values import GroupInput

    kana = "".join("アイウエオカキクケコサシスセソタチツテトナニヌネノ"[int(d) + i] for i, d in enumerate(f"{number:03d}"))
    return groups.register_group(ctx, GroupInput(
        name=name or f"抽選テストの会{number}", name_kana=f"チュウセンテストノカイ{kana}", legal_form="voluntary", activity_fields=(2,),
        representative_name="抽選 太郎", phone="055-282-1111",
    )).id


def locker_worker(url: str, unit_id: int, group_id: int, terms: list[int], barrier, results, pc: str) -> None:
    """One PC of the locker race: allocate ``unit_id`` to ``group_id`` for each term, meeting the
    other PC at the barrier before each. Reports (pc, outcomes): ("ok", "") or ("taken", message)."""
    from center_app.db.database import open_database
    from center_app.domain import clock
    from center_app.domain.errors import RuleError
    from center_app.domain.roles import Role
    from center_app.services import lockers
    from bookings_support import context

    clock.set_fixed(ENTRY_DAY)
    db = open_database(url, migrate=False)
    ctx = context(db, Role.COUNTER, name=f"PC {pc}")
    outcome = []
    try:
        for term in terms:
            barrier.wait(timeout=60)
            try:
                lockers.allocate_unit(ctx, unit_id, group_id, term)
                outcome.append(("ok", ""))
            except RuleError as exc:
                outcome.append(("taken", str(exc)))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                outcome.append(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
        results.put((pc, outcome))
