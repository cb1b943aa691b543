"""Two PCs (two OS processes) edit the same records at the same moment, round after round, on one
SQLite file or one PostgreSQL database: the scenarios of ``test_edit_races.py``.

Each scenario has three parts:

- ``setup(ctx, rounds)`` (the test's process): the records of every round, returned as plain data;
- ``open_(ctx, pc, data)`` and ``save(ctx, pc, data, opened)`` (each PC's process): what the clerk
  had on screen, then the save both PCs make after waiting for each other at a barrier;
- ``check(ctx, data, outcomes)`` (the test's process): the problems of a round's final state —
  never two winners, never a rule broken.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bookings_support import TODAY, context, make_input

from center_app.domain.booking_values import BookingStatus
from center_app.domain.center_settings import MONTHLY_SLOT_CAP
from center_app.domain.roles import Role
from center_app.services.context import ServiceContext

#: The monthly cap of the cap scenario: each group has 1 slot booked, each PC books 1 more.
CAP = 2


def round_slots(count: int) -> list[tuple[dt.date, str, str]]:
    """``count`` distinct (day, start, end) one-hour slots after TODAY, Mondays (closed) skipped,
    all in TODAY's month so the cap counts them together."""
    slots: list[tuple[dt.date, str, str]] = []
    day = TODAY + dt.timedelta(days=1)
    while len(slots) < count:
        if day.weekday() != 0:
            slots += [(day, f"{h:02d}:00", f"{h + 1:02d}:00") for h in range(9, 19)]
        day += dt.timedelta(days=1)
    assert all(d.month == TODAY.month for d, _s, _e in slots[:count])
    return slots[:count]


def _rooms(ctx: ServiceContext) -> dict[str, int]:
    from bookings_support import room_ids

    return room_ids(ctx.db)


def _new_group(ctx: ServiceContext, number: int) -> int:
    from center_app.services import groups
    from center_app.services.group_values import GroupInput

    kana = "".join("アイウエオカキクケコサシスセソタチツテトナニヌネノ"[int(d) + i] for i, d in enumerate(f"{number:03d}"))
    return groups.register_group(ctx, GroupInput(
        name=f"競合テストの会{number}", name_kana=f"キョウゴウテストノカイ{kana}", legal_form="voluntary", activity_fields=(2,),
        representative_name="競合 太郎", phone="055-282-1111",
    )).id


def _outcome(call: Callable[[], Any]) -> tuple[str, str]:
    from center_app.domain.errors import ConflictError, RuleError, StaleEditError

    try:
        call()
        return ("ok", "")
    except StaleEditError as exc:
        return ("stale", str(exc))
    except RuleError as exc:
        return ("rule", str(exc.rule))
    except ConflictError as exc:
        return ("conflict", str(exc))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        return ("error", f"{type(exc).__name__}: {exc}")


def _one_winner(outcomes: dict[str, tuple[str, str]], loser: str) -> list[str]:
    kinds = sorted(o[0] for o in outcomes.values())
    if kinds != sorted(["ok", loser]):
        return [f"outcomes {outcomes}: expected one ok and one {loser}"]
    return []


# --- the same booking edited twice ---------------------------------------------------------------


def _booking_setup(ctx: ServiceContext, rounds: int) -> list[dict]:
    from center_app.services import bookings

    rooms = _rooms(ctx)
    data = []
    for day, start, end in round_slots(rounds):
        made = bookings.create_booking(ctx, make_input(rooms["M3"], day, start, end, expected_people=10))
        data.append({"booking": made.id, "small_room": rooms["M1"]})
    return data


def _booking_open(ctx, pc, data):
    from center_app.services import bookings

    return bookings.get_booking(ctx, data["booking"])


def _booking_save(ctx, pc, data, view):
    from center_app.services import bookings

    if pc == "A":  # moves it to 会議室1 (18 people), keeping its 10 people
        changed = dataclasses.replace(view.to_input(), room_id=data["small_room"])
    else:  # 25 people expected now, in 会議室3 (30 people)
        changed = dataclasses.replace(view.to_input(), expected_people=25)
    return _outcome(lambda: bookings.update_booking(ctx, data["booking"], changed, expected_version=view.version))


def _booking_check(ctx, data, outcomes):
    from center_app.services import bookings

    stored = bookings.get_booking(ctx, data["booking"])
    problems = _one_winner(outcomes, "stale")
    if stored.expected_people > stored.room_capacity:
        problems.append(f"{stored.room_name} (定員 {stored.room_capacity}) holds {stored.expected_people} people")
    return problems


# --- the monthly cap across two rooms ----------------------------------------------------------------


def _cap_setup(ctx: ServiceContext, rounds: int) -> list[dict]:
    from center_app.services import bookings, center_settings

    with ctx.db.write() as session:
        center_settings.set(session, ctx.user, MONTHLY_SLOT_CAP, CAP)
    rooms = _rooms(ctx)
    slots = round_slots(rounds * 2)
    data = []
    for number in range(rounds):
        group_id = _new_group(ctx, 100 + number)
        day, start, end = slots[2 * number]
        bookings.create_booking(ctx, make_input(rooms["M3"], day, start, end, group_id=group_id))  # 1 of the 2 slots
        day, start, end = slots[2 * number + 1]
        data.append({"group": group_id, "rooms": {"A": rooms["M1"], "B": rooms["M2"]}, "day": day.isoformat(), "start": start, "end": end})
    return data


def _cap_open(ctx, pc, data):
    return make_input(data["rooms"][pc], dt.date.fromisoformat(data["day"]), data["start"], data["end"], group_id=data["group"])


def _cap_save(ctx, pc, data, typed):
    from center_app.services import bookings

    return _outcome(lambda: bookings.create_booking(ctx, typed))


def _cap_check(ctx, data, outcomes):
    from center_app.services.bookings_checks import units_in_month

    with ctx.db.read() as session:
        used = units_in_month(session, data["group"], dt.date.fromisoformat(data["day"]))
    problems = _one_winner(outcomes, "rule")
    if used > CAP:
        problems.append(f"the group has {used} slots booked in the month, the cap is {CAP}")
    return problems


# --- the same group edited twice ------------------------------------------------------------------------


def _group_setup(ctx: ServiceContext, rounds: int) -> list[dict]:
    return [{"group": _new_group(ctx, 300 + number)} for number in range(rounds)]


def _group_open(ctx, pc, data):
    from center_app.services import groups

    return groups.get_group(ctx, data["group"])


def _group_save(ctx, pc, data, detail):
    from center_app.services import groups
    from center_app.services.group_values import GroupInput

    typed = GroupInput.from_detail(detail)
    typed = dataclasses.replace(typed, member_count="11") if pc == "A" else dataclasses.replace(typed, notes="PC B のメモ")
    return _outcome(lambda: groups.update_group(ctx, data["group"], typed, expected_version=detail.version))


def _group_check(ctx, data, outcomes):
    from center_app.services import groups

    stored = groups.get_group(ctx, data["group"])
    problems = _one_winner(outcomes, "stale")
    winner = next((pc for pc, o in outcomes.items() if o[0] == "ok"), None)
    expected = {"A": (11, ""), "B": (None, "PC B のメモ")}.get(winner)
    if (stored.member_count, stored.notes) != expected or stored.version != 2:
        problems.append(f"stored {(stored.member_count, stored.notes, stored.version)}, the winner was {winner}")
    return problems


# --- the same consultation edited twice ---------------------------------------------------------------


def _consultation_setup(ctx: ServiceContext, rounds: int) -> list[dict]:
    from center_app.services import consultations, consultations_queries
    from center_app.services.consultations_values import ConsultationInput

    topic = consultations_queries.list_topics(ctx)[0].id
    data = []
    for number in range(rounds):
        record = consultations.create_consultation(ctx, ConsultationInput(
            consulted_on=TODAY, start_time=f"{9 + number % 8}:00", duration_minutes="30", method="visit", client_type="individual",
            client_name=f"相談者{number}", topic_ids=(topic,), content=f"相談 {number}", staff_user_id=ctx.user.id,
        ))
        data.append({"record": record.id})
    return data


def _consultation_open(ctx, pc, data):
    from center_app.services import consultations_queries

    return consultations_queries.get_consultation(ctx, data["record"])


def _consultation_save(ctx, pc, data, detail):
    from center_app.services import consultations

    typed = dataclasses.replace(detail.as_input(), duration_minutes="90") if pc == "A" else dataclasses.replace(detail.as_input(), method="phone")
    return _outcome(lambda: consultations.update_consultation(ctx, data["record"], typed, expected_version=detail.version))


def _consultation_check(ctx, data, outcomes):
    from center_app.services import consultations_queries

    stored = consultations_queries.get_consultation(ctx, data["record"])
    problems = _one_winner(outcomes, "stale")
    winner = next((pc for pc, o in outcomes.items() if o[0] == "ok"), None)
    expected = {"A": (90, "visit"), "B": (30, "phone")}.get(winner)
    if (stored.duration_minutes, stored.method) != expected:
        problems.append(f"stored {(stored.duration_minutes, stored.method)}, the winner was {winner}")
    return problems


# --- a booking of a group edited while the group is withdrawn ---------------------------------------------


def _withdraw_setup(ctx: ServiceContext, rounds: int) -> list[dict]:
    """Even rounds: the group's cancelled booking is restored; odd rounds: another applicant's
    booking is changed to the group's. Meanwhile the other PC withdraws the group."""
    from center_app.services import bookings

    rooms = _rooms(ctx)
    data = []
    for number, (day, start, end) in enumerate(round_slots(rounds)):
        group_id = _new_group(ctx, 500 + number)
        if number % 2 == 0:
            made = bookings.create_booking(ctx, make_input(rooms["WA"], day, start, end, group_id=group_id))
            bookings.cancel_booking(ctx, made.id, "日程変更")
        else:
            made = bookings.create_booking(ctx, make_input(rooms["WA"], day, start, end))
        data.append({"group": group_id, "booking": made.id, "restore": number % 2 == 0})
    return data


def _withdraw_open(ctx, pc, data):
    from center_app.services import bookings

    return bookings.get_booking(ctx, data["booking"])


def _withdraw_save(ctx, pc, data, view):
    from center_app.services import bookings, groups

    if pc == "B":  # another clerk withdraws the group
        return _outcome(lambda: groups.withdraw_group(ctx, data["group"], "解散"))
    if data["restore"]:  # the clerk restores the group's cancelled booking (a booking of the future again)
        return _outcome(lambda: bookings.uncancel_booking(ctx, data["booking"]))
    changed = dataclasses.replace(view.to_input(), group_id=data["group"], applicant_class="")  # the booking becomes the group's
    return _outcome(lambda: bookings.update_booking(ctx, data["booking"], changed, expected_version=view.version))


def _withdraw_slowly(pc: str) -> None:
    """PC B reads the group's future bookings, then takes 30 ms to commit (a slow PC or network):
    the moment in which a booking made without the group's lock slips through."""
    if pc != "B":
        return
    import time

    from center_app.services import groups

    read = groups.future_bookings

    def slow(*args, **kwargs):
        found = read(*args, **kwargs)
        time.sleep(0.03)
        return found
    groups.future_bookings = slow


def _withdraw_check(ctx, data, outcomes):
    from center_app.services import bookings, groups

    group = groups.get_group(ctx, data["group"])
    booking = bookings.get_booking(ctx, data["booking"])
    problems = []
    if sorted(o[0] for o in outcomes.values()) != ["ok", "rule"]:
        problems.append(f"outcomes {outcomes}: expected one ok and one refusal")
    if group.stored_status == "withdrawn" and booking.group_id == group.id and booking.status != BookingStatus.CANCELLED:
        problems.append("the group is withdrawn and still has a future booking")
    return problems


# --- two groups registered at once: the next registration number -------------------------------------------


def _register_setup(ctx: ServiceContext, rounds: int) -> list[dict]:
    return [{"round": number} for number in range(rounds)]


def _register_open(ctx, pc, data):
    from center_app.services.group_values import GroupInput

    kana = "アイウエオカキクケコサシスセソタチツテト"[data["round"]]
    return GroupInput(name=f"同時登録の会{data['round']}{pc}", name_kana=f"ドウジトウロクノカイ{kana}{'エー' if pc == 'A' else 'ビー'}",
                      legal_form="voluntary", activity_fields=(2,), representative_name="登録 太郎")


def _register_save(ctx, pc, data, typed):
    from center_app.services import groups

    return _outcome(lambda: groups.register_group(ctx, typed))


def _register_check(ctx, data, outcomes):
    from sqlalchemy import func, select

    from center_app.db.groups import Group

    problems = [] if all(o[0] == "ok" for o in outcomes.values()) else [f"outcomes {outcomes}: both registrations should succeed"]
    with ctx.db.read() as session:
        numbers = session.scalars(select(Group.registration_no).where(Group.name.like(f"同時登録の会{data['round']}_"))).all()
        twice = session.scalar(select(func.count()).select_from(
            select(Group.registration_no).group_by(Group.registration_no).having(func.count() > 1).subquery()))
    if len(set(numbers)) != len(numbers) or twice:
        problems.append(f"registration numbers given twice: {numbers}")
    return problems


@dataclass(frozen=True)
class Scenario:
    setup: Callable[[ServiceContext, int], list[dict]]
    open_: Callable[[ServiceContext, str, dict], Any]
    save: Callable[[ServiceContext, str, dict, Any], tuple[str, str]]
    check: Callable[[ServiceContext, dict, dict], list[str]]
    worker: Callable[[str], None] = lambda pc: None  # set-up of a PC's process (e.g. a slower PC)


SCENARIOS = {
    "same_booking": Scenario(_booking_setup, _booking_open, _booking_save, _booking_check),
    "cap_across_rooms": Scenario(_cap_setup, _cap_open, _cap_save, _cap_check),
    "same_group": Scenario(_group_setup, _group_open, _group_save, _group_check),
    "same_consultation": Scenario(_consultation_setup, _consultation_open, _consultation_save, _consultation_check),
    "booking_while_withdrawn": Scenario(_withdraw_setup, _withdraw_open, _withdraw_save, _withdraw_check, _withdraw_slowly),
    "register_at_once": Scenario(_register_setup, _register_open, _register_save, _register_check),
}


def edit_race_worker(url: str, scenario: str, rounds: list[dict], barrier, results, pc: str) -> None:
    """One PC (a separate OS process): for each round, open the record, wait for the other PC,
    save, wait again. Reports (pc, [(kind, detail) per round])."""
    from center_app.db.database import open_database
    from center_app.domain import clock

    clock.set_fixed(TODAY)
    db = open_database(url, migrate=False)
    ctx = context(db, Role.ADMIN, name=f"PC {pc}")
    plan = SCENARIOS[scenario]
    plan.worker(pc)
    outcomes: list[tuple[str, str]] = []
    try:
        for data in rounds:
            opened = plan.open_(ctx, pc, data)
            barrier.wait(timeout=60)
            outcomes.append(plan.save(ctx, pc, data, opened))
            barrier.wait(timeout=60)
    except Exception as exc:  # noqa: BLE001 - a broken barrier or database: reported, never a hang
        outcomes.append(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
        results.put((pc, outcomes))
