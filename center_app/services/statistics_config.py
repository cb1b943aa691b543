"""The configuration a usage summary reads (:mod:`center_app.services.statistics_queries`):
facilities, rooms and slots a day in one statement, the 休館日 rules in one, the open days of a
period worked out from them, and the lists of applicant classes, 減免 reasons, topics, activity
fields and staff names in one; and the conditional aggregates the other summary queries use.
SQLAlchemy Core on the read transaction's connection."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, bindparam, cast, func, literal_column, null, select, true, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from center_app.db.consultations import ConsultationTopic
from center_app.db.groups import ActivityField
from center_app.db.models import ApplicantClass, ClosedDayRule, Facility, FeeExemption, Room, StaffUser, TimeSlot
from center_app.domain.closed_days import ClosedDayRules, day_status
from center_app.services.facilities import rules_from_rows

# --- facilities, rooms and open days ------------------------------------------------------------


class FacilityRow(NamedTuple):
    """A facility of the summary: id, code, name, whether it is in use."""

    id: int
    code: str
    name: str
    active: bool


class RoomRow(NamedTuple):
    """A room of the summary: id, facility, code, name, whether it is in use."""

    id: int
    facility_id: int
    code: str
    name: str
    active: bool


@functools.cache
def _configuration_statement(filtered: bool):
    slots = (
        select(func.count(TimeSlot.id))
        .where(TimeSlot.facility_id == Facility.id, TimeSlot.active.is_(True), TimeSlot.is_all_day.is_(False))
        .correlate(Facility)
        .scalar_subquery()
    )
    query = (
        select(Facility.id, Facility.code, Facility.name, Facility.active, Room.id.label("room_id"), Room.code.label("room_code"),
               Room.name.label("room_name"), Room.active.label("room_active"), slots.label("slots"))
        .outerjoin(Room, Room.facility_id == Facility.id)
        .order_by(Facility.sort_order, Facility.id, Room.sort_order, Room.id)
    )
    return query.where(Facility.id == bindparam("facility_id")) if filtered else query


def configuration(conn: Connection, facility_id: int | None) -> tuple[list[FacilityRow], list[RoomRow], dict[int, int]]:
    """The facilities (the chosen one, or all) in display order, their rooms (facility by
    facility, in display order) and the active named slots of each facility a day (午前, 午後,
    夜間; 全日 excluded): one statement."""
    facilities: dict[int, FacilityRow] = {}
    rooms: list[RoomRow] = []
    slots: dict[int, int] = {}
    params = {"facility_id": facility_id} if facility_id is not None else {}
    for row in conn.execute(_configuration_statement(facility_id is not None), params).all():
        if row.id not in facilities:
            facilities[row.id] = FacilityRow(row.id, row.code, row.name, bool(row.active))
            slots[row.id] = int(row.slots or 0)
        if row.room_id is not None:
            rooms.append(RoomRow(row.room_id, row.id, row.room_code, row.room_name, bool(row.room_active)))
    return list(facilities.values()), rooms, slots


@functools.cache
def _closed_rules_statement():
    columns = (ClosedDayRule.facility_id, ClosedDayRule.kind, ClosedDayRule.weekday, ClosedDayRule.holiday_shift,
               ClosedDayRule.from_md, ClosedDayRule.to_md, ClosedDayRule.on_date, ClosedDayRule.closes, ClosedDayRule.name)
    return select(*columns).where(ClosedDayRule.facility_id.in_(bindparam("facility_ids", expanding=True)), ClosedDayRule.active.is_(True))


def closed_rules(conn: Connection, facility_ids: Sequence[int]) -> dict[int, ClosedDayRules]:
    """The 休館日 rules of each facility (one query for all)."""
    rows = conn.execute(_closed_rules_statement(), {"facility_ids": list(facility_ids) or [-1]}).all()
    by_facility: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_facility[row.facility_id].append(row)
    return {facility_id: _rules(tuple(by_facility.get(facility_id, ()))) for facility_id in facility_ids}


@functools.lru_cache(maxsize=256)
def _rules(rows: tuple[Any, ...]) -> ClosedDayRules:
    """The rules of a facility's rule rows (cached: they seldom change, and the rules are a frozen value)."""
    return rules_from_rows(list(rows))  # type: ignore[arg-type]


@functools.lru_cache(maxsize=4096)
def open_days(rules: ClosedDayRules, first: dt.date, last: dt.date) -> int:
    """Days from ``first`` to ``last`` (inclusive) on which a facility with ``rules`` is open.

    Cached: the rules are a frozen value and national holidays are fixed, and facilities
    usually share their rules, so a year is worked out once per set of rules.
    """
    days = (last - first).days + 1
    return sum(day_status(first + dt.timedelta(days=i), rules).is_open for i in range(max(days, 0)))


# --- conditional aggregates ------------------------------------------------------------------------


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """The rows meeting ``condition``: an aggregate FILTER (SQL:2003; SQLite and PostgreSQL)."""
    return func.count().filter(condition)


def sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    """The sum of ``value`` over the rows meeting ``condition``, 0 when there are none."""
    return func.coalesce(func.sum(value).filter(condition), 0)


# --- configured lists --------------------------------------------------------------------------------


@functools.cache
def _lists_statement():
    """The configured applicant classes, fee exemptions, consultation topics and activity fields,
    each in display order, as rows (kind, number key, text key, name, rate, active)."""
    no_text, no_number = cast(null(), String), cast(null(), Integer)
    parts = [
        select(literal_column("'class'", String).label("kind"), no_number.label("number"), ApplicantClass.code.label("code"), ApplicantClass.name.label("name"),
               no_number.label("rate"), ApplicantClass.active.label("active"), ApplicantClass.sort_order.label("sort"), ApplicantClass.id.label("id")),
        select(literal_column("'exemption'", String), no_number, FeeExemption.code, FeeExemption.name, FeeExemption.rate_percent, FeeExemption.active,
               FeeExemption.sort_order, FeeExemption.id),
        select(literal_column("'topic'", String), ConsultationTopic.id, no_text, ConsultationTopic.name, no_number, ConsultationTopic.active,
               ConsultationTopic.sort_order, ConsultationTopic.id),
        select(literal_column("'field'", String), ActivityField.code, no_text, ActivityField.short_name, no_number, true(), ActivityField.code,
               ActivityField.code),
        select(literal_column("'staff'", String), StaffUser.id, no_text, StaffUser.display_name, no_number, true(), StaffUser.id, StaffUser.id),
    ]
    combined = union_all(*parts).subquery()
    return select(combined).order_by(combined.c.kind, combined.c.sort, combined.c.id)


def configured_lists(conn: Connection) -> dict[str, list[Any]]:
    """``class`` → [(code, name, active)], ``exemption`` → [(code, name, rate, active)],
    ``topic`` → [(id, name, active)], ``field`` → [(code, short name)], ``staff`` → [(id, name)],
    each in display order (one statement)."""
    lists: dict[str, list[Any]] = {"class": [], "exemption": [], "topic": [], "field": [], "staff": []}
    for row in conn.execute(_lists_statement()).all():
        if row.kind == "class":
            lists["class"].append((row.code, row.name, bool(row.active)))
        elif row.kind == "exemption":
            lists["exemption"].append((row.code, row.name, int(row.rate or 0), bool(row.active)))
        elif row.kind == "topic":
            lists["topic"].append((row.number, row.name, bool(row.active)))
        else:
            lists[row.kind].append((row.number, row.name))
    return lists
