"""The aggregate queries behind :mod:`center_app.services.statistics` (SQLAlchemy Core, run on
the read transaction's connection: no ORM objects are loaded).

Every figure is computed by the database with GROUP BY, ``count`` / ``sum`` and CASE; Python
only adds up the few aggregated rows (rooms × months, classes, topics). Periods are computed in
Python and passed as half-open ranges ``[start, end)`` of ``start_at`` (index
``ix_bookings_start_at``, or ``ix_bookings_room_start`` when one facility's rooms are chosen),
and the month of a row is a CASE over the month boundaries, so the same SQL runs on SQLite and
PostgreSQL (no strftime / date_trunc).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, case, exists, func, literal, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from center_app.db.bookings import Booking
from center_app.db.consultations import (
    Consultation,
    ConsultationActivityField,
    ConsultationCount,
    ConsultationTopic,
    ConsultationTopicLink,
)
from center_app.db.groups import ActivityField, Group
from center_app.db.models import ApplicantClass, ClosedDayRule, Facility, FeeExemption, Room, StaffUser, TimeSlot
from center_app.db.money import LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.domain.booking_values import BookingStatus
from center_app.domain.closed_days import ClosedDayRules, day_status
from center_app.domain.statistics_values import (
    BookingFigures,
    ClassFigures,
    ConsultationFigures,
    Count,
    ExemptionFigures,
    GroupFigures,
    Period,
    RegistrationMonth,
)
from center_app.services.consultations_values import CLIENT_TYPES, METHODS, client_type_label, method_label
from center_app.services.facilities import rules_from_rows
from center_app.services.group_values import APPLIED, PAUSED, REGISTERED, WITHDRAWN

# --- facilities, rooms and open days ------------------------------------------------------------


def facility_rows(conn: Connection, facility_id: int | None) -> list[Any]:
    """Facilities (id, code, name, active) in display order: the chosen one, or all."""
    query = select(Facility.id, Facility.code, Facility.name, Facility.active).order_by(Facility.sort_order, Facility.id)
    if facility_id is not None:
        query = query.where(Facility.id == facility_id)
    return list(conn.execute(query))


def room_rows(conn: Connection, facility_ids: Sequence[int]) -> list[Any]:
    """Rooms (id, facility_id, code, name, active) of the facilities in display order
    (facility by facility)."""
    return list(conn.execute(
        select(Room.id, Room.facility_id, Room.code, Room.name, Room.active)
        .join(Facility, Facility.id == Room.facility_id)
        .where(Room.facility_id.in_(facility_ids))
        .order_by(Facility.sort_order, Facility.id, Room.sort_order, Room.id)
    ))


def slots_per_day(conn: Connection, facility_ids: Sequence[int]) -> dict[int, int]:
    """Active named slots of each facility (午前, 午後, 夜間), 全日 excluded."""
    rows = conn.execute(
        select(TimeSlot.facility_id, func.count(TimeSlot.id))
        .where(TimeSlot.facility_id.in_(facility_ids), TimeSlot.active.is_(True), TimeSlot.is_all_day.is_(False))
        .group_by(TimeSlot.facility_id)
    )
    return {facility_id: n for facility_id, n in rows}


def closed_rules(conn: Connection, facility_ids: Sequence[int]) -> dict[int, ClosedDayRules]:
    """The 休館日 rules of each facility (one query for all)."""
    columns = (ClosedDayRule.facility_id, ClosedDayRule.kind, ClosedDayRule.weekday, ClosedDayRule.holiday_shift,
               ClosedDayRule.from_md, ClosedDayRule.to_md, ClosedDayRule.on_date, ClosedDayRule.closes, ClosedDayRule.name)
    rows = conn.execute(
        select(*columns).where(ClosedDayRule.facility_id.in_(facility_ids), ClosedDayRule.active.is_(True))
    ).all()
    by_facility: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        by_facility[row.facility_id].append(row)
    return {facility_id: rules_from_rows(by_facility.get(facility_id, [])) for facility_id in facility_ids}  # type: ignore[arg-type]


@functools.lru_cache(maxsize=4096)
def open_days(rules: ClosedDayRules, first: dt.date, last: dt.date) -> int:
    """Days from ``first`` to ``last`` (inclusive) on which a facility with ``rules`` is open.

    Cached: the rules are a frozen value and national holidays are fixed, and facilities
    usually share their rules, so a year is worked out once per set of rules.
    """
    days = (last - first).days + 1
    return sum(day_status(first + dt.timedelta(days=i), rules).is_open for i in range(max(days, 0)))


# --- bookings --------------------------------------------------------------------------------------
#
# The statements are built once per shape (number of months, one facility or all) with bind
# parameters for the dates, so a summary only binds values: building SQLAlchemy expressions
# costs more than SQLite needs to run these queries on a month of data.

_COUNTED = Booking.status != BookingStatus.CANCELLED
#: 実績: counted and used before the day the summary is made (bound as ``today``, a datetime).
_USED = and_(_COUNTED, Booking.start_at < bindparam("today"))
_PLANNED = and_(_COUNTED, Booking.start_at >= bindparam("today"))


def _sum_if(condition: ColumnElement[bool], value: Any = 1) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _booking_columns() -> list[ColumnElement[int]]:
    """bookings, slots_used, attendance, fees_yen, waived_yen (実績), cancellations, no_shows,
    planned_bookings, planned_slots (予定)."""
    return [
        _sum_if(_USED).label("bookings"),
        _sum_if(_USED, Booking.slot_units).label("slots_used"),
        _sum_if(and_(_USED, Booking.attendance.is_not(None)), Booking.attendance).label("attendance"),
        _sum_if(_USED, Booking.fee_yen).label("fees_yen"),
        _sum_if(_USED, Booking.waived_yen).label("waived_yen"),
        _sum_if(Booking.status == BookingStatus.CANCELLED).label("cancellations"),
        _sum_if(Booking.status == BookingStatus.NO_SHOW).label("no_shows"),
        _sum_if(_PLANNED).label("planned_bookings"),
        _sum_if(_PLANNED, Booking.slot_units).label("planned_slots"),
    ]


def _figures(row: Any, available: int = 0) -> BookingFigures:
    return BookingFigures(
        bookings=int(row.bookings), slots_used=int(row.slots_used), available_slots=available,
        attendance=int(row.attendance), fees_yen=int(row.fees_yen), waived_yen=int(row.waived_yen),
        cancellations=int(row.cancellations), no_shows=int(row.no_shows),
        planned_bookings=int(row.planned_bookings), planned_slots=int(row.planned_slots),
    )


def _month_index(column: Any, months: int) -> ColumnElement[int]:
    """0 … months - 1: which ``[:b{i}, :b{i+1})`` the value lies in (rows are already
    restricted to ``[:b0, :b{months})``)."""
    if months <= 1:
        return literal(0)
    return case(*[(column < bindparam(f"b{i}"), i - 1) for i in range(1, months)], else_=months - 1)


def _booking_range(months: int, filtered: bool) -> list[ColumnElement[bool]]:
    conditions = [Booking.start_at >= bindparam("b0"), Booking.start_at < bindparam(f"b{months}")]
    if filtered:
        conditions.append(Booking.room_id.in_(bindparam("room_ids", expanding=True)))
    return conditions


def _booking_params(period: Period, room_ids: Sequence[int] | None, today: dt.date | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {f"b{i}": bound for i, bound in enumerate(period.month_bounds())}
    params["today"] = dt.datetime.combine(today, dt.time(0)) if today else dt.datetime(9999, 1, 1)  # no day given: all is 実績
    if room_ids is not None:
        params["room_ids"] = list(room_ids) or [-1]
    return params


@functools.cache
def _room_month_statement(months: int, filtered: bool):
    month = _month_index(Booking.start_at, months).label("month")
    return (
        select(Booking.room_id, month, *_booking_columns())
        .where(*_booking_range(months, filtered))
        .group_by(Booking.room_id, month)
    )


def bookings_by_room_month(conn: Connection, period: Period, room_ids: Sequence[int] | None, today: dt.date | None = None) -> dict[tuple[int, int], BookingFigures]:
    """(room id, month index) → figures without available slots (filled in by the caller), 実績
    before ``today`` and 予定 from it, with the ledger's income of the month. ``room_ids`` None:
    every room."""
    statement = _room_month_statement(len(period.months), room_ids is not None)
    rows = conn.execute(statement, _booking_params(period, room_ids, today))
    result = {(row.room_id, int(row.month)): _figures(row) for row in rows}
    for key, yen in income_by_room_month(conn, period, room_ids).items():
        result[key] = dataclasses.replace(result.get(key, BookingFigures()), income_yen=yen)
    return result


def _date_month_index(column: Any, months: int) -> ColumnElement[int]:
    if months <= 1:
        return literal(0)
    return case(*[(column < bindparam(f"d{i}"), i - 1) for i in range(1, months)], else_=months - 1)


@functools.cache
def _income_statements(months: int, filtered: bool):
    paid_month = _date_month_index(Payment.received_on, months).label("month")
    refund_month = _date_month_index(Refund.refunded_on, months).label("month")
    live_payment = ~exists().where(and_(LedgerVoid.entry_kind == "payment", LedgerVoid.entry_id == Payment.id))
    live_refund = ~exists().where(and_(LedgerVoid.entry_kind == "refund", LedgerVoid.entry_id == Refund.id))
    rooms = [Booking.room_id.in_(bindparam("room_ids", expanding=True))] if filtered else []
    received = (
        select(Booking.room_id, paid_month, func.sum(PaymentAllocation.amount_yen).label("yen"))
        .select_from(PaymentAllocation).join(Payment, Payment.id == PaymentAllocation.payment_id).join(Booking, Booking.id == PaymentAllocation.booking_id)
        .where(Payment.received_on >= bindparam("d0"), Payment.received_on < bindparam(f"d{months}"), live_payment, *rooms)
        .group_by(Booking.room_id, paid_month)
    )
    refunded = (
        select(Booking.room_id, refund_month, func.sum(Refund.amount_yen).label("yen"))
        .select_from(Refund).join(Booking, Booking.id == Refund.booking_id)
        .where(Refund.refunded_on >= bindparam("d0"), Refund.refunded_on < bindparam(f"d{months}"), Refund.kind == "refund", live_refund, *rooms)
        .group_by(Booking.room_id, refund_month)
    )
    return received, refunded


def income_by_room_month(conn: Connection, period: Period, room_ids: Sequence[int] | None) -> dict[tuple[int, int], int]:
    """(room id, month index) → 収入済額 of the ledger: payments not voided received in the month
    for the room's bookings, less refunds (not voided) paid in the month. Never a booking's fee."""
    received, refunded = _income_statements(len(period.months), room_ids is not None)
    params: dict[str, Any] = {f"d{i}": dt.date(y, m, 1) for i, (y, m) in enumerate(period.months)}
    params[f"d{len(period.months)}"] = period.last + dt.timedelta(days=1)
    if room_ids is not None:
        params["room_ids"] = list(room_ids) or [-1]
    result: dict[tuple[int, int], int] = defaultdict(int)
    for room_id, month, yen in conn.execute(received, params):
        result[(room_id, int(month))] += int(yen or 0)
    for room_id, month, yen in conn.execute(refunded, params):
        result[(room_id, int(month))] -= int(yen or 0)
    return dict(result)


@functools.cache
def _class_exemption_statement(months: int, filtered: bool):
    return (
        select(
            Booking.applicant_class_code,
            Booking.exemption_code,
            *_booking_columns(),
            _sum_if(_USED, Booking.gross_fee_yen).label("gross_yen"),
            func.max(Booking.exemption_name).label("exemption_name"),
            func.max(Booking.exemption_rate_percent).label("exemption_rate"),
        )
        .where(*_booking_range(months, filtered))
        .group_by(Booking.applicant_class_code, Booking.exemption_code)
    )


def bookings_by_class_and_exemption(conn: Connection, period: Period, room_ids: Sequence[int] | None,
                                    today: dt.date | None = None) -> tuple[list[ClassFigures], list[ExemptionFigures]]:
    """Figures per applicant class (every configured class in display order, then any other
    code found), and counted bookings per 減免 reason (every configured reason, then any other
    code found, named as on the booking), from one GROUP BY class, reason."""
    statement = _class_exemption_statement(len(period.months), room_ids is not None)
    by_class: dict[str, BookingFigures] = {}
    by_exemption: dict[str, list[Any]] = {}
    for row in conn.execute(statement, _booking_params(period, room_ids, today)):
        code = row.applicant_class_code or ""
        by_class[code] = by_class.get(code, BookingFigures()) + _figures(row)
        if row.exemption_code and int(row.bookings):
            entry = by_exemption.setdefault(row.exemption_code, [row.exemption_name or row.exemption_code, int(row.exemption_rate or 0), 0, 0, 0])
            entry[2] += int(row.bookings)
            entry[3] += int(row.gross_yen)
            entry[4] += int(row.waived_yen)

    classes = conn.execute(
        select(ApplicantClass.code, ApplicantClass.name, ApplicantClass.active).order_by(ApplicantClass.sort_order, ApplicantClass.id)
    ).all()
    class_result = [ClassFigures(code, name, by_class.pop(code, BookingFigures())) for code, name, active in classes if active or code in by_class]
    class_result += [ClassFigures(code, code, figures) for code, figures in sorted(by_class.items())]

    configured = conn.execute(
        select(FeeExemption.code, FeeExemption.name, FeeExemption.rate_percent, FeeExemption.active)
        .order_by(FeeExemption.sort_order, FeeExemption.id)
    ).all()
    exemption_result = []
    for code, name, rate, active in configured:
        entry = by_exemption.pop(code, None)
        if entry is None and not active:
            continue
        counts = entry[2:] if entry else [0, 0, 0]
        exemption_result.append(ExemptionFigures(code, name, rate, *counts))
    for code, (name, rate, *counts) in sorted(by_exemption.items()):
        exemption_result.append(ExemptionFigures(code, name, rate, *counts))
    return class_result, exemption_result


@functools.cache
def _top_groups_statement(months: int, filtered: bool):
    bookings = func.count(Booking.id)
    slots = func.coalesce(func.sum(Booking.slot_units), 0)
    attendance = func.coalesce(func.sum(Booking.attendance), 0)
    return (
        select(Group.id, Group.registration_no, Group.name, bookings.label("bookings"), slots.label("slots"), attendance.label("attendance"))
        .select_from(Booking)
        .join(Group, Group.id == Booking.group_id)
        .where(*_booking_range(months, filtered), _USED)
        .group_by(Group.id, Group.registration_no, Group.name, Group.name_kana, Group.name_sort)
        .order_by(slots.desc(), bookings.desc(), Group.name_sort, Group.id)
        .limit(bindparam("limit"))
    )


def top_groups(conn: Connection, period: Period, room_ids: Sequence[int] | None, limit: int, today: dt.date | None = None) -> list[GroupFigures]:
    """The registered groups with the most slots used (実績; then bookings, then reading)."""
    statement = _top_groups_statement(len(period.months), room_ids is not None)
    rows = conn.execute(statement, {**_booking_params(period, room_ids, today), "limit": limit})
    return [GroupFigures(r.id, r.registration_no or "", r.name, int(r.bookings), int(r.slots), int(r.attendance)) for r in rows]


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
def _consultation_statements(months: int):
    month = _month_index(Consultation.consulted_on, months).label("month")
    in_range = _consulted_in_range(months)
    n = func.count(Consultation.id)
    ym = ConsultationCount.year * 100 + ConsultationCount.month
    return {
        # month × method × client type: the monthly totals and both code tables in one scan
        "codes": select(month, Consultation.method, Consultation.client_type, n.label("n"),
                        func.coalesce(func.sum(Consultation.duration_minutes), 0).label("minutes"))
        .where(*in_range).group_by(month, Consultation.method, Consultation.client_type),
        "kept": select(ConsultationCount.dimension, ConsultationCount.value, ConsultationCount.year, ConsultationCount.month,
                       func.sum(ConsultationCount.count).label("n"), func.sum(ConsultationCount.minutes).label("minutes"))
        .where(ym >= bindparam("ym_first"), ym <= bindparam("ym_last"))
        .group_by(ConsultationCount.dimension, ConsultationCount.value, ConsultationCount.year, ConsultationCount.month),
        "topics": select(ConsultationTopicLink.topic_id, func.count(ConsultationTopicLink.consultation_id).label("n"))
        .join(Consultation, Consultation.id == ConsultationTopicLink.consultation_id)
        .where(*in_range).group_by(ConsultationTopicLink.topic_id),
        "fields": select(ConsultationActivityField.field_code, func.count(ConsultationActivityField.consultation_id).label("n"))
        .join(Consultation, Consultation.id == ConsultationActivityField.consultation_id)
        .where(*in_range).group_by(ConsultationActivityField.field_code),
        "staff": select(Consultation.staff_user_id, n.label("n")).where(*in_range).group_by(Consultation.staff_user_id),
    }


def _coded(counts: dict[str, int], codes: Sequence[str], label) -> tuple[Count, ...]:
    """Every known code in order (zeros included), then any other code found."""
    result = [Count(code, label(code), counts.get(code, 0)) for code in codes]
    result += [Count(code, label(code), n) for code, n in sorted(counts.items()) if code not in codes]
    return tuple(result)


def consultations(conn: Connection, period: Period, deleted_label: str) -> ConsultationFigures:
    """Consultation counts of the period: kept records plus the anonymous counts of deleted
    ones (``deleted_label`` names their line in the staff table)."""
    statements = _consultation_statements(len(period.months))
    params = _consultation_params(period)
    by_month = [0] * len(period.months)
    methods: dict[str, int] = defaultdict(int)
    client_types: dict[str, int] = defaultdict(int)
    minutes = 0
    for row in conn.execute(statements["codes"], params):
        by_month[int(row.month)] += int(row.n)
        minutes += int(row.minutes or 0)
        methods[row.method] += int(row.n)
        client_types[row.client_type] += int(row.n)

    position = {ym: i for i, ym in enumerate(period.months)}
    kept: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    deleted = 0
    for row in conn.execute(statements["kept"], params):
        n = int(row.n or 0)
        if row.dimension == "total":
            by_month[position[(row.year, row.month)]] += n
            deleted += n
            minutes += int(row.minutes or 0)
        else:
            kept[row.dimension][row.value] += n
    for code, n in kept["method"].items():
        methods[code] += n
    for code, n in kept["client_type"].items():
        client_types[code] += n

    topic_counts = {topic_id: int(n) for topic_id, n in conn.execute(statements["topics"], params)}
    topics = []
    by_name = dict(kept["topic"])
    for topic_id, name, active in conn.execute(
        select(ConsultationTopic.id, ConsultationTopic.name, ConsultationTopic.active).order_by(ConsultationTopic.sort_order, ConsultationTopic.id)
    ):
        n = topic_counts.get(topic_id, 0) + by_name.pop(name, 0)
        if active or n:
            topics.append(Count(name, name, n))
    topics += [Count(name, name, n) for name, n in sorted(by_name.items())]

    field_counts = {str(code): int(n) for code, n in conn.execute(statements["fields"], params)}
    for code, n in kept["activity_field"].items():
        field_counts[code] = field_counts.get(code, 0) + n
    fields = [
        Count(str(code), short_name, field_counts.pop(str(code), 0))
        for code, short_name in conn.execute(select(ActivityField.code, ActivityField.short_name).order_by(ActivityField.code))
    ]
    fields += [Count(code, code, n) for code, n in sorted(field_counts.items())]

    staff_counts = dict(conn.execute(statements["staff"], params).all())
    names = dict(conn.execute(select(StaffUser.id, StaffUser.display_name).where(StaffUser.id.in_(list(staff_counts) or [-1]))).all())
    staff = sorted((Count(str(staff_id), names.get(staff_id, str(staff_id)), int(n)) for staff_id, n in staff_counts.items()),
                   key=lambda c: (-c.count, c.label))
    if deleted:
        staff.append(Count("", deleted_label, deleted))

    return ConsultationFigures(
        total=sum(by_month), deleted=deleted, minutes=minutes, by_month=tuple(by_month),
        by_method=_coded(methods, METHODS, method_label),
        by_client_type=_coded(client_types, CLIENT_TYPES, client_type_label),
        by_topic=tuple(topics), by_field=tuple(fields), by_staff=tuple(staff),
    )


# --- registrations ---------------------------------------------------------------------------------


@functools.cache
def _registration_statement(months: int):
    columns = []
    for i in range(months):
        first, last = bindparam(f"f{i}"), bindparam(f"l{i}")
        columns += [
            _sum_if(and_(Group.status != APPLIED, Group.registered_on >= first, Group.registered_on <= last)),
            _sum_if(and_(Group.renewed_on >= first, Group.renewed_on <= last)),
            _sum_if(and_(Group.status == WITHDRAWN, Group.status_changed_on >= first, Group.status_changed_on <= last)),
            _sum_if(and_(
                Group.registered_on <= last,
                Group.valid_until >= last,
                or_(Group.status == REGISTERED, and_(Group.status.in_((PAUSED, WITHDRAWN)), Group.status_changed_on > last)),
            )),
        ]
    return select(*columns)


def registrations(conn: Connection, period: Period) -> list[RegistrationMonth]:
    """New, renewed and withdrawn groups per month, and groups in 登録 valid at each month end,
    in one query (four CASE sums per month).

    The registry keeps the latest state of a group, so a past month is reconstructed from the
    dates it keeps: ``registered_on``, ``renewed_on`` (the latest renewal only), ``valid_until``,
    and ``status_changed_on`` (the latest change of status). A group counts as active at a
    month end when it was registered by then, valid through that day, and either is 登録 now or
    left 登録 (休止 / 廃止) only after that day.
    """
    params: dict[str, Any] = {}
    for i, ((year, month), last) in enumerate(zip(period.months, period.month_last_days(), strict=True)):
        params[f"f{i}"], params[f"l{i}"] = dt.date(year, month, 1), last
    row = conn.execute(_registration_statement(len(period.months)), params).one()
    return [
        RegistrationMonth(year, month, int(row[4 * i]), int(row[4 * i + 1]), int(row[4 * i + 2]), int(row[4 * i + 3]))
        for i, (year, month) in enumerate(period.months)
    ]
