"""The consultations and registrations of a usage summary (:mod:`center_app.services.statistics_queries`):
every consultation count in one statement, the registrations of the period in one. SQLAlchemy
Core on the read transaction's connection."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, case, cast, func, literal, literal_column, null, or_, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationCount, ConsultationTopicLink
from center_app.db.groups import Group
from center_app.domain.statistics_values import ConsultationFigures, Count, Period, RegistrationMonth
from center_app.services.consultations_values import CLIENT_TYPES, METHODS, client_type_label, method_label
from center_app.services.group_values import APPLIED, PAUSED, REGISTERED, WITHDRAWN
from center_app.services.statistics_config import count_if

# --- consultations ---------------------------------------------------------------------------------


def _consultation_params(period: Period) -> dict[str, Any]:
    bounds = [dt.date(y, m, 1) for y, m in period.months] + [period.last + dt.timedelta(days=1)]
    params: dict[str, Any] = {f"b{i}": bound for i, bound in enumerate(bounds)}
    params["ym_first"] = period.months[0][0] * 100 + period.months[0][1]
    params["ym_last"] = period.months[-1][0] * 100 + period.months[-1][1]
    return params


def _consulted_in_range(months: int) -> list[ColumnElement[bool]]:
    return [Consultation.consulted_on >= bindparam("b0"), Consultation.consulted_on < bindparam(f"b{months}")]


@functools.cache
def _consultation_statement(months: int):
    """Every count of the consultations in one statement (rows: part, number, text, text, year,
    month, count, minutes): per method × client type × staff member (both code tables, the staff
    table and the minutes from one read of the wide consultation rows), per month (the index of
    the dates only), the kept counts of deleted records, and the counts per topic and activity
    field (the link tables)."""
    in_range = _consulted_in_range(months)
    ym = ConsultationCount.year * 100 + ConsultationCount.month
    no_text, no_number = cast(null(), String), cast(null(), Integer)
    codes = select(
        literal_column("'code'", String).label("part"), Consultation.staff_user_id.label("number"), Consultation.method.label("first"),
        Consultation.client_type.label("second"), no_number.label("year"), no_number.label("month"),
        func.count(Consultation.id).label("n"), func.coalesce(func.sum(Consultation.duration_minutes), 0).label("minutes"),
    ).where(*in_range).group_by(Consultation.method, Consultation.client_type, Consultation.staff_user_id)
    per_month = [  # counted on the index of the dates alone
        select(literal_column("'month'", String), no_number, no_text, no_text, no_number, literal_column(str(i)), func.count(), no_number)
        .where(Consultation.consulted_on >= bindparam(f"b{i}"), Consultation.consulted_on < bindparam(f"b{i + 1}"))
        for i in range(months)
    ]
    return union_all(
        codes,
        *per_month,
        select(literal_column("'kept'", String), no_number, ConsultationCount.dimension, ConsultationCount.value, ConsultationCount.year,
               ConsultationCount.month, func.sum(ConsultationCount.count), func.sum(ConsultationCount.minutes))
        .where(ym >= bindparam("ym_first"), ym <= bindparam("ym_last"))
        .group_by(ConsultationCount.dimension, ConsultationCount.value, ConsultationCount.year, ConsultationCount.month),
        select(literal_column("'topic'", String), ConsultationTopicLink.topic_id, no_text, no_text, no_number, no_number,
               func.count(ConsultationTopicLink.consultation_id), no_number)
        .join(Consultation, Consultation.id == ConsultationTopicLink.consultation_id)
        .where(*in_range).group_by(ConsultationTopicLink.topic_id),
        select(literal_column("'field'", String), ConsultationActivityField.field_code, no_text, no_text, no_number, no_number,
               func.count(ConsultationActivityField.consultation_id), no_number)
        .join(Consultation, Consultation.id == ConsultationActivityField.consultation_id)
        .where(*in_range).group_by(ConsultationActivityField.field_code),
    )


def _coded(counts: dict[str, int], codes: Sequence[str], label) -> tuple[Count, ...]:
    """Every known code in order (zeros included), then any other code found."""
    result = [Count(code, label(code), counts.get(code, 0)) for code in codes]
    result += [Count(code, label(code), n) for code, n in sorted(counts.items()) if code not in codes]
    return tuple(result)


def consultations(conn: Connection, period: Period, deleted_label: str, lists: dict[str, list[Any]]) -> ConsultationFigures:
    """Consultation counts of the period: kept records plus the anonymous counts of deleted
    ones (``deleted_label`` names their line in the staff table). ``lists``: the topics and
    activity fields of :func:`configured_lists`."""
    params = _consultation_params(period)
    by_month = [0] * len(period.months)
    methods: dict[str, int] = defaultdict(int)
    client_types: dict[str, int] = defaultdict(int)
    staff_counts: dict[int | None, int] = defaultdict(int)
    minutes = 0
    position = {ym: i for i, ym in enumerate(period.months)}
    kept: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deleted = 0
    topic_counts: dict[int, int] = {}
    field_counts: dict[str, int] = {}
    for part, number, first, second, year, month, n, spent in conn.execute(_consultation_statement(len(period.months)), params).all():
        n = int(n or 0)
        if part == "month":
            by_month[int(month)] += n
        elif part == "code":
            minutes += int(spent or 0)
            methods[first] += n
            client_types[second] += n
            staff_counts[number] += n
        elif part == "topic":
            topic_counts[number] = n
        elif part == "field":
            field_counts[str(number)] = n
        elif first == "total":
            by_month[position[(year, month)]] += n
            deleted += n
            minutes += int(spent or 0)
        else:
            kept[first][second] += n
    for code, n in kept["method"].items():
        methods[code] += n
    for code, n in kept["client_type"].items():
        client_types[code] += n

    topics = []
    by_name = dict(kept["topic"])
    for topic_id, name, active in lists["topic"]:
        n = topic_counts.get(topic_id, 0) + by_name.pop(name, 0)
        if active or n:
            topics.append(Count(name, name, n))
    topics += [Count(name, name, n) for name, n in sorted(by_name.items())]

    for code, n in kept["activity_field"].items():
        field_counts[code] = field_counts.get(code, 0) + n
    fields = [Count(str(code), short_name, field_counts.pop(str(code), 0)) for code, short_name in lists["field"]]
    fields += [Count(code, code, n) for code, n in sorted(field_counts.items())]

    names = dict(lists["staff"])
    staff = sorted((Count(str(staff_id), names.get(staff_id, str(staff_id)), n) for staff_id, n in staff_counts.items()),
                   key=lambda c: (-c.count, c.label))
    if deleted:
        staff.append(Count("", deleted_label, deleted))

    return ConsultationFigures(
        total=sum(by_month), deleted=deleted, minutes=minutes, by_month=tuple(by_month),
        by_method=_coded(methods, METHODS, method_label),
        by_client_type=_coded(client_types, CLIENT_TYPES, client_type_label),
        by_topic=tuple(topics), by_field=tuple(fields), by_staff=tuple(staff),
    )


def _last_reached(column: Any, name: str, count: int) -> ColumnElement[int]:
    """The largest ``i`` (0 … count - 1) with ``:{name}{i} <= column``, -1 when ``column`` lies
    before ``:{name}0``, NULL when it is NULL; the bounds ascend. A binary search too."""

    def within(low: int, high: int) -> ColumnElement[int]:  # the answer lies in low - 1 … high - 1
        if low >= high:
            return literal(low - 1)
        middle = (low + high) // 2
        return case((column >= bindparam(f"{name}{middle}"), within(middle + 1, high)), else_=within(low, middle))

    # most dates lie before the period or after its last bound: two comparisons settle them
    return case(
        (column.is_(None), null()),
        (column < bindparam(f"{name}0"), literal(-1)),
        (column >= bindparam(f"{name}{count - 1}"), literal(count - 1)),
        else_=within(1, count - 1),
    )


# --- registrations ---------------------------------------------------------------------------------


@functools.cache
def _registration_month_statement():
    """One month's four figures as conditional aggregates over the groups (``:first``, ``:last``:
    the month's first and last day)."""
    first, last = bindparam("first"), bindparam("last")
    return select(
        count_if(and_(Group.status != APPLIED, Group.registered_on >= first, Group.registered_on <= last)),
        count_if(and_(Group.renewed_on >= first, Group.renewed_on <= last)),
        count_if(and_(Group.status == WITHDRAWN, Group.status_changed_on >= first, Group.status_changed_on <= last)),
        count_if(and_(
            Group.registered_on <= last,
            Group.valid_until >= last,
            or_(Group.status == REGISTERED, and_(Group.status.in_((PAUSED, WITHDRAWN)), Group.status_changed_on > last)),
        )),
    )


@functools.cache
def _registration_statement(months: int):
    # for each date of a group: the month of the period it falls in (f0 … f{months}: the first days
    # of the months and the day after the period), and the last month end it reaches (l0 …)
    keys = [
        Group.status,
        _last_reached(Group.registered_on, "f", months + 1).label("registered"),
        _last_reached(Group.renewed_on, "f", months + 1).label("renewed"),
        _last_reached(Group.status_changed_on, "f", months + 1).label("changed"),
        _last_reached(Group.valid_until, "l", months).label("valid"),
    ]
    return select(*keys, func.count(Group.id).label("n")).group_by(*keys)


def registrations(conn: Connection, period: Period) -> list[RegistrationMonth]:
    """New, renewed and withdrawn groups per month, and groups in 登録 valid at each month end,
    in one query: for one month, four conditional counts over the groups; for several, the
    groups counted by status and by the month each of their dates falls in, the months then
    worked out from those few rows.

    The registry keeps the latest state of a group, so a past month is reconstructed from the
    dates it keeps: ``registered_on``, ``renewed_on`` (the latest renewal only), ``valid_until``,
    and ``status_changed_on`` (the latest change of status). A group counts as active at a
    month end when it was registered by then, valid through that day, and either is 登録 now or
    left 登録 (休止 / 廃止) only after that day.
    """
    months = len(period.months)
    if months == 1:  # four sums over the groups cost less than grouping them
        (year, month), = period.months
        new, renewed, withdrawn, active = conn.execute(_registration_month_statement(), {"first": period.first, "last": period.last}).one()
        return [RegistrationMonth(year, month, int(new), int(renewed), int(withdrawn), int(active))]
    params: dict[str, Any] = {f"f{months}": period.last + dt.timedelta(days=1)}
    for i, ((year, month), last) in enumerate(zip(period.months, period.month_last_days(), strict=True)):
        params[f"f{i}"], params[f"l{i}"] = dt.date(year, month, 1), last
    new, renewed, withdrawn, active = ([0] * months for _ in range(4))
    for status, registered, renewal, changed, valid, n in conn.execute(_registration_statement(months), params).all():
        n = int(n)
        if registered is not None and 0 <= registered < months and status != APPLIED:
            new[registered] += n
        if renewal is not None and 0 <= renewal < months:
            renewed[renewal] += n
        if status == WITHDRAWN and changed is not None and 0 <= changed < months:
            withdrawn[changed] += n
        if registered is None or valid is None:
            continue
        if status == REGISTERED:
            until = valid
        elif status in (PAUSED, WITHDRAWN) and changed is not None:
            until = min(valid, changed - 1)  # left 登録 after the month end of month i: changed ≥ i + 1
        else:
            continue
        for i in range(max(registered, 0), min(until, months - 1) + 1):
            active[i] += n
    return [
        RegistrationMonth(year, month, new[i], renewed[i], withdrawn[i], active[i])
        for i, (year, month) in enumerate(period.months)
    ]
