"""The aggregate queries behind :mod:`center_app.services.statistics` (SQLAlchemy Core, run on
the read transaction's connection: no ORM objects are loaded).

Every figure is computed by the database; Python only adds up the few aggregated rows. A summary
reads each table once, in few statements, each built once per shape (number of months, one
facility or all) and only bound afterwards — building and compiling a statement costs more than
SQLite needs to run it on a month of data:

- the configuration: facilities, rooms and slots a day in one statement, the 休館日 rules in
  one, the lists of applicant classes, 減免 reasons, topics, activity fields and staff names in
  one;
- the bookings: one pass per month grouped by room and applicant class, every figure a
  conditional aggregate (``FILTER (WHERE …)``: 実績 before today, 予定 from today,
  cancellations, no-shows), giving rooms × months, facilities, months and classes; one
  statement for the two figures that need a grouping of their own (減免 reasons, and the most
  active groups, counted per group id before their names are joined);
- the money ledger: payments received and refunds paid per room and month in one statement;
- the groups: one pass counting them by status and by the months their dates fall in;
- the consultations: one statement (records per month × method × client type × staff member,
  the counts kept for deleted records, topics, activity fields).

Periods are computed in Python and passed as half-open ranges. A period of several months is
read month by month in one statement (UNION ALL of a SELECT per month over its own index range
of ``start_at``), so no row's month is computed, and the same SQL runs on SQLite (≥ 3.30, for
FILTER) and PostgreSQL (no strftime / date_trunc).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, and_, bindparam, case, cast, exists, func, literal, literal_column, null, or_, select, true, union_all
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
from center_app.db.money import Payment, PaymentAllocation, Refund
from center_app.domain.booking_values import BookingStatus
from center_app.domain.closed_days import ClosedDayRules, day_status
from center_app.domain.money import REFUND_KIND
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
from center_app.services.ledger_queries import payment_live, refund_live

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


# --- bookings --------------------------------------------------------------------------------------

_COUNTED = Booking.status != BookingStatus.CANCELLED
#: 実績: counted and used before the day the summary is made (bound as ``today``, a datetime).
_USED = and_(_COUNTED, Booking.start_at < bindparam("today"))
#: 予定: counted and from that day on.
_PLANNED = and_(_COUNTED, Booking.start_at >= bindparam("today"))

#: The figures of one pass over the bookings, in this order (see :func:`_booking_columns`).
FIGURES = ("bookings", "slots_used", "attendance", "fees_yen", "waived_yen", "cancellations", "no_shows",
           "planned_bookings", "planned_slots")


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """The rows meeting ``condition``: an aggregate FILTER (SQL:2003; SQLite and PostgreSQL)."""
    return func.count().filter(condition)


def _sum_if(condition: ColumnElement[bool], value: Any) -> ColumnElement[int]:
    """The sum of ``value`` over the rows meeting ``condition``, 0 when there are none."""
    return func.coalesce(func.sum(value).filter(condition), 0)


def _booking_columns(when: str = "both") -> list[ColumnElement[int]]:
    """:data:`FIGURES` as conditional aggregates of one pass. ``when``: ``past`` for a month
    wholly before today (every counted booking is 実績: no date to compare), ``future`` for one
    wholly from today on (every counted booking is 予定), ``both`` for the month holding today."""
    zero = literal_column("0")
    used = _USED if when == "both" else _COUNTED
    planned = _PLANNED if when == "both" else _COUNTED
    columns = [
        _count_if(used),
        _sum_if(used, Booking.slot_units),
        _sum_if(used, Booking.attendance),
        _sum_if(used, Booking.fee_yen),
        _sum_if(used, Booking.waived_yen),
    ]
    if when == "future":
        columns = [zero] * len(columns)
    columns += [_count_if(Booking.status == BookingStatus.CANCELLED), _count_if(Booking.status == BookingStatus.NO_SHOW)]
    columns += [zero, zero] if when == "past" else [_count_if(planned), _sum_if(planned, Booking.slot_units)]
    return columns


def _in_month(i: int, filtered: bool) -> list[ColumnElement[bool]]:
    """Bookings starting in month ``i`` of the period (``[:b{i}, :b{i+1})``), of the chosen rooms."""
    conditions = [Booking.start_at >= bindparam(f"b{i}"), Booking.start_at < bindparam(f"b{i + 1}")]
    if filtered:
        conditions.append(Booking.room_id.in_(bindparam("room_ids", expanding=True)))
    return conditions


def _booking_params(period: Period, room_ids: Sequence[int] | None, today: dt.date | None) -> dict[str, Any]:
    bounds = period.month_bounds()
    params: dict[str, Any] = {f"b{i}": bound for i, bound in enumerate(bounds)}
    params["today"] = dt.datetime.combine(today, dt.time(0)) if today else dt.datetime(9999, 1, 1)  # no day given: all is 実績
    params["used_end"] = min(bounds[-1], params["today"])  # 実績 lie in [b0, used_end)
    if room_ids is not None:
        params["room_ids"] = list(room_ids) or [-1]
    return params


def _months_before(period: Period, today: dt.date | None) -> int:
    """How many months of the period end on or before ``today`` (wholly 実績)."""
    if today is None:
        return len(period.months)
    start = dt.datetime.combine(today, dt.time(0))
    return sum(1 for bound in period.month_bounds()[1:] if bound <= start)


def _per_month(months: int, part) -> Any:
    """``part(i)`` — the SELECT of month ``i`` — for every month of the period, as one statement
    (UNION ALL): each month reads its own index range and groups its own rows, cheaper than one
    pass computing the month of every row."""
    return part(0) if months == 1 else union_all(*(part(i) for i in range(months)))


@functools.cache
def _room_class_month_statement(months: int, filtered: bool, past: int):
    """The bookings per month, room and applicant class (rows: 0, room id, month index, class
    code, :data:`FIGURES`) and, in the same statement, the ledger's payments received and refunds
    paid per month and room (rows: 1, room id, month index, NULL, yen — refunds negative — and
    zeros). Months ``0 … past - 1`` lie wholly before today, month ``past`` may hold it, the
    later ones lie wholly after it (see :func:`_booking_columns`)."""
    zero = literal_column("0")
    no_text = cast(null(), String)

    def bookings(i: int):
        when = "past" if i < past else "both" if i == past else "future"
        return (
            select(literal_column("0").label("part"), Booking.room_id, literal_column(str(i)).label("month"), Booking.applicant_class_code,
                   *_booking_columns(when))
            .where(*_in_month(i, filtered))
            .group_by(Booking.room_id, Booking.applicant_class_code)
        )

    rooms = [Booking.room_id.in_(bindparam("room_ids", expanding=True))] if filtered else []

    def received(i: int):
        return (
            select(literal_column("1"), Booking.room_id, literal_column(str(i)), no_text, func.sum(PaymentAllocation.amount_yen),
                   *[zero] * (len(FIGURES) - 1))
            .select_from(PaymentAllocation)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .join(Booking, Booking.id == PaymentAllocation.booking_id)
            .where(Payment.received_on >= bindparam(f"d{i}"), Payment.received_on < bindparam(f"d{i + 1}"), payment_live(), *rooms)
            .group_by(Booking.room_id)
        )

    def refunded(i: int):
        return (
            select(literal_column("1"), Booking.room_id, literal_column(str(i)), no_text, -func.sum(Refund.amount_yen), *[zero] * (len(FIGURES) - 1))
            .select_from(Refund)
            .join(Booking, Booking.id == Refund.booking_id)
            .where(Refund.refunded_on >= bindparam(f"d{i}"), Refund.refunded_on < bindparam(f"d{i + 1}"), Refund.kind == REFUND_KIND,
                   refund_live(), *rooms)
            .group_by(Booking.room_id)
        )

    return union_all(*(part(i) for part in (bookings, received, refunded) for i in range(months)))


def _from_values(values: Sequence[int], income: int = 0) -> BookingFigures:
    (bookings, slots_used, attendance, fees_yen, waived_yen, cancellations, no_shows, planned_bookings, planned_slots) = values
    return BookingFigures(
        bookings=bookings, slots_used=slots_used, attendance=attendance, fees_yen=fees_yen, waived_yen=waived_yen,
        cancellations=cancellations, no_shows=no_shows, planned_bookings=planned_bookings, planned_slots=planned_slots,
        income_yen=income,
    )


def bookings_by_room_month(conn: Connection, period: Period, room_ids: Sequence[int] | None, today: dt.date | None = None
                           ) -> tuple[dict[tuple[int, int], BookingFigures], dict[str, BookingFigures]]:
    """(room id, month index) → figures without available slots (filled in by the caller), 実績
    before ``today`` and 予定 from it, with 収入済額, the ledger's income of the month (payments
    not voided received in the month for the room's bookings, less refunds not voided paid in
    the month; 充当 are no refund; never a booking's fee); and applicant class code → its
    figures (no income), from the same pass over the bookings. ``room_ids`` None: every room.
    One statement."""
    statement = _room_class_month_statement(len(period.months), room_ids is not None, _months_before(period, today))
    params = _booking_params(period, room_ids, today)
    params.update({f"d{i}": dt.date(y, m, 1) for i, (y, m) in enumerate(period.months)})
    params[f"d{len(period.months)}"] = period.last + dt.timedelta(days=1)
    by_room: dict[tuple[int, int], list[Sequence[int]]] = defaultdict(list)
    by_class: dict[str, list[Sequence[int]]] = defaultdict(list)
    income: dict[tuple[int, int], int] = defaultdict(int)
    for row in conn.execute(statement, params).all():
        key = (row[1], int(row[2]))
        if row[0]:
            income[key] += int(row[4] or 0)
        else:
            values = row[4:]
            by_room[key].append(values)
            by_class[row[3] or ""].append(values)
    nothing = ((0,) * len(FIGURES),)
    rooms = {key: _from_values(_column_sums(by_room.get(key, nothing)), income.get(key, 0)) for key in by_room.keys() | income.keys()}
    return rooms, {code: _from_values(_column_sums(rows)) for code, rows in by_class.items()}


def _column_sums(rows: Sequence[Sequence[int]]) -> list[int]:
    return [int(sum(column)) for column in zip(*rows, strict=True)]


@functools.cache
def _exemptions_and_top_groups_statement(months: int, filtered: bool):
    """実績 bookings per 減免 reason, and the groups with the most slots used: two small results
    of the same rows in one statement (rows: part, number, code, name, kana, bookings, and two
    sums)."""
    no_number = cast(null(), Integer)
    used = [Booking.start_at >= bindparam("b0"), Booking.start_at < bindparam("used_end"), _COUNTED]  # 実績: before today
    if filtered:
        used.append(Booking.room_id.in_(bindparam("room_ids", expanding=True)))
    exemptions = (
        select(
            literal_column("'exemption'", String).label("part"), func.max(Booking.exemption_rate_percent).label("number"),
            Booking.exemption_code.label("code"), func.max(Booking.exemption_name).label("name"), no_number.label("rank"),
            func.count(Booking.id).label("bookings"), func.coalesce(func.sum(Booking.gross_fee_yen), 0).label("first"),
            func.coalesce(func.sum(Booking.waived_yen), 0).label("second"),
        )
        .where(*used, Booking.exemption_code != "")
        .group_by(Booking.exemption_code)
    )
    slots = func.coalesce(func.sum(Booking.slot_units), 0).label("slots")
    per_group = (
        select(Booking.group_id, func.count(Booking.id).label("bookings"), slots,
               func.coalesce(func.sum(Booking.attendance), 0).label("attendance"))
        .where(*used, Booking.group_id.is_not(None))
        .group_by(Booking.group_id)
        .cte("per_group")
    )
    # the (slots, bookings) of the last place: only the groups reaching it are joined to their
    # names and ranked (ties on it are ordered by reading), not every group of the period
    cut = (
        select(per_group.c.slots, per_group.c.bookings)
        .order_by(per_group.c.slots.desc(), per_group.c.bookings.desc())
        .limit(1).offset(bindparam("last_place"))
        .cte("cut")
    )
    cut_slots, cut_bookings = select(cut.c.slots).scalar_subquery(), select(cut.c.bookings).scalar_subquery()
    reaching = or_(
        ~exists(select(cut.c.slots)),
        per_group.c.slots > cut_slots,
        and_(per_group.c.slots == cut_slots, per_group.c.bookings >= cut_bookings),
    )
    order = (per_group.c.slots.desc(), per_group.c.bookings.desc(), Group.name_sort, Group.id)
    top = (  # ranked, as UNION ALL keeps no order
        select(Group.id, Group.registration_no, Group.name, func.row_number().over(order_by=order).label("rank"), per_group.c.bookings,
               per_group.c.slots, per_group.c.attendance)
        .join(per_group, per_group.c.group_id == Group.id)
        .where(reaching)
        .order_by(*order)
        .limit(bindparam("limit"))
        .subquery()
    )
    groups = select(literal_column("'group'", String), top.c.id, top.c.registration_no, top.c.name, top.c.rank, top.c.bookings,
                    top.c.slots, top.c.attendance)
    return union_all(exemptions, groups)


def exemptions_and_top_groups(conn: Connection, period: Period, room_ids: Sequence[int] | None, limit: int, today: dt.date | None = None
                              ) -> tuple[dict[str, list[Any]], list[GroupFigures]]:
    """実績 bookings per 減免 reason found (code → [name on the bookings, rate, bookings, gross
    yen, waived yen]), and the registered groups with the most slots used (実績; then bookings,
    then reading), at most ``limit``."""
    by_exemption: dict[str, list[Any]] = {}
    top = []
    rows = conn.execute(_exemptions_and_top_groups_statement(len(period.months), room_ids is not None),
                        {**_booking_params(period, room_ids, today), "limit": limit, "last_place": max(limit - 1, 0)}).all()
    for part, number, code, name, rank, bookings, first, second in rows:
        if part == "exemption":
            by_exemption[code] = [name or code, int(number or 0), int(bookings), int(first), int(second)]
        else:
            top.append((int(rank), GroupFigures(number, code or "", name, int(bookings), int(first), int(second))))
    return by_exemption, [figures for _rank, figures in sorted(top, key=lambda entry: entry[0])]


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


def bookings_by_class_and_exemption(by_class: dict[str, BookingFigures], by_exemption: dict[str, list[Any]], lists: dict[str, list[Any]]
                                    ) -> tuple[list[ClassFigures], list[ExemptionFigures]]:
    """Figures per applicant class (``by_class``, from :func:`bookings_by_room_month`; every
    configured class in display order, then any other code found), and 実績 bookings per 減免
    reason (``by_exemption``, from :func:`exemptions_and_top_groups`; every configured reason,
    then any other code found, named as on the booking)."""
    by_class, by_exemption = dict(by_class), dict(by_exemption)
    class_result = [ClassFigures(code, name, by_class.pop(code, BookingFigures())) for code, name, active in lists["class"] if active or code in by_class]
    class_result += [ClassFigures(code, code, figures) for code, figures in sorted(by_class.items())]
    exemption_result = []
    for code, name, rate, active in lists["exemption"]:
        entry = by_exemption.pop(code, None)
        if entry is None and not active:
            continue
        counts = entry[2:] if entry else [0, 0, 0]
        exemption_result.append(ExemptionFigures(code, name, rate, *counts))
    for code, (name, rate, *counts) in sorted(by_exemption.items()):
        exemption_result.append(ExemptionFigures(code, name, rate, *counts))
    return class_result, exemption_result


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

    return case((column.is_(None), null()), else_=within(0, count))


# --- registrations ---------------------------------------------------------------------------------


@functools.cache
def _registration_month_statement():
    """One month's four figures as conditional aggregates over the groups (``:first``, ``:last``:
    the month's first and last day)."""
    first, last = bindparam("first"), bindparam("last")
    return select(
        _count_if(and_(Group.status != APPLIED, Group.registered_on >= first, Group.registered_on <= last)),
        _count_if(and_(Group.renewed_on >= first, Group.renewed_on <= last)),
        _count_if(and_(Group.status == WITHDRAWN, Group.status_changed_on >= first, Group.status_changed_on <= last)),
        _count_if(and_(
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
