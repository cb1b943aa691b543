"""The bookings and the money ledger of a usage summary (:mod:`center_app.services.statistics_queries`):
one pass per month grouped by room and applicant class with the ledger's income per room in the
same statement, and one statement for 減免 reasons and the most active groups. SQLAlchemy Core
on the read transaction's connection."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, String, and_, bindparam, cast, exists, func, literal_column, null, or_, select, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.money import Payment, PaymentAllocation, Refund
from center_app.domain.booking_values import BookingStatus
from center_app.domain.money import REFUND_KIND
from center_app.domain.statistics_values import BookingFigures, ClassFigures, ExemptionFigures, GroupFigures, Period
from center_app.services import statistics_months
from center_app.services.ledger_queries import payment_live, refund_live
from center_app.services.statistics_config import count_if, sum_if

# --- bookings --------------------------------------------------------------------------------------

_COUNTED = Booking.status != BookingStatus.CANCELLED
#: 実績: counted and used before the day the summary is made (bound as ``today``, a datetime).
_USED = and_(_COUNTED, Booking.start_at < bindparam("today"))
#: 予定: counted and from that day on.
_PLANNED = and_(_COUNTED, Booking.start_at >= bindparam("today"))

#: The figures of one pass over the bookings, in this order (see :func:`_booking_columns`).
FIGURES = ("bookings", "slots_used", "attendance", "fees_yen", "waived_yen", "cancellations", "no_shows",
           "planned_bookings", "planned_slots")


def _booking_columns(when: str = "both") -> list[ColumnElement[int]]:
    """:data:`FIGURES` as conditional aggregates of one pass. ``when``: ``past`` for a month
    wholly before today (every counted booking is 実績: no date to compare), ``future`` for one
    wholly from today on (every counted booking is 予定), ``both`` for the month holding today."""
    zero = literal_column("0")
    used = _USED if when == "both" else _COUNTED
    planned = _PLANNED if when == "both" else _COUNTED
    columns = [
        count_if(used),
        sum_if(used, Booking.slot_units),
        sum_if(used, Booking.attendance),
        sum_if(used, Booking.fee_yen),
        sum_if(used, Booking.waived_yen),
    ]
    if when == "future":
        columns = [zero] * len(columns)
    columns += [count_if(Booking.status == BookingStatus.CANCELLED), count_if(Booking.status == BookingStatus.NO_SHOW)]
    columns += [zero, zero] if when == "past" else [count_if(planned), sum_if(planned, Booking.slot_units)]
    return columns


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


@functools.cache
def pass_statement(kinds: tuple[str, ...]):
    """The pass over the bookings and the ledger for ``len(kinds)`` months, every room, as one
    statement (UNION ALL): per month slot ``k``, the bookings starting in ``[:s{k}, :e{k})`` per
    room and applicant class (rows: 0, room id, k, class code, :data:`FIGURES`), and the
    ledger's payments received and refunds paid in ``[:p{k}, :q{k})`` per room (rows: 1, room
    id, k, NULL, yen — refunds negative — and zeros). ``kinds[k]`` says how month ``k`` lies
    against ``:today``: ``past``, ``both`` or ``future`` (see :func:`_booking_columns`).

    The room filter of a summary of one facility is applied to the rows in Python: the rows of
    a past month are kept for every room (:mod:`center_app.services.statistics_months`)."""
    zero = literal_column("0")
    no_text = cast(null(), String)

    def bookings(k: int):
        return (
            select(literal_column("0").label("part"), Booking.room_id, literal_column(str(k)).label("month"), Booking.applicant_class_code,
                   *_booking_columns(kinds[k]))
            .where(Booking.start_at >= bindparam(f"s{k}"), Booking.start_at < bindparam(f"e{k}"))
            .group_by(Booking.room_id, Booking.applicant_class_code)
        )

    def received(k: int):
        return (
            select(literal_column("1"), Booking.room_id, literal_column(str(k)), no_text, func.sum(PaymentAllocation.amount_yen),
                   *[zero] * (len(FIGURES) - 1))
            .select_from(PaymentAllocation)
            .join(Payment, Payment.id == PaymentAllocation.payment_id)
            .join(Booking, Booking.id == PaymentAllocation.booking_id)
            .where(Payment.received_on >= bindparam(f"p{k}"), Payment.received_on < bindparam(f"q{k}"), payment_live())
            .group_by(Booking.room_id)
        )

    def refunded(k: int):
        return (
            select(literal_column("1"), Booking.room_id, literal_column(str(k)), no_text, -func.sum(Refund.amount_yen), *[zero] * (len(FIGURES) - 1))
            .select_from(Refund)
            .join(Booking, Booking.id == Refund.booking_id)
            .where(Refund.refunded_on >= bindparam(f"p{k}"), Refund.refunded_on < bindparam(f"q{k}"), Refund.kind == REFUND_KIND,
                   refund_live())
            .group_by(Booking.room_id)
        )

    parts = [part(k) for part in (bookings, received, refunded) for k in range(len(kinds))]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def month_rows(conn: Connection, period: Period, today: dt.date | None
               ) -> tuple[dict[int, list[Sequence[Any]]], list[statistics_months.PendingMonth]]:
    """Month index → the pass's rows of that month, every room (part, room id, class code,
    :data:`FIGURES`; see :func:`pass_statement`): kept months read from what was kept, the
    others from the bookings and the ledger; and the months read that may be kept now (for
    :func:`center_app.services.statistics_months.keep`, after the read transaction)."""
    starts = [dt.date(y, m, 1) for y, m in period.months]
    keepable = statistics_months.keepable(period, today)
    state_generation, generations, kept = statistics_months.read_kept(conn, [starts[i] for i in keepable]) if keepable else (None, {}, {})
    if state_generation is None:
        keepable = []
    live = [i for i in range(len(starts)) if not (i in keepable and starts[i] in kept)]
    rows: dict[int, list[Sequence[Any]]] = {i: list(kept[starts[i]]) for i in keepable if starts[i] in kept}
    if live:
        past = _months_before(period, today)
        kinds = tuple("past" if i < past else "both" if i == past else "future" for i in live)
        bounds = period.month_bounds()
        params: dict[str, Any] = {"today": dt.datetime.combine(today, dt.time(0)) if today else dt.datetime(9999, 1, 1)}
        for k, i in enumerate(live):
            params[f"s{k}"], params[f"e{k}"] = bounds[i], bounds[i + 1]
            params[f"p{k}"], params[f"q{k}"] = bounds[i].date(), bounds[i + 1].date()
            rows[i] = []
        for row in conn.execute(pass_statement(kinds), params).all():
            rows[live[int(row[2])]].append((row[0], row[1], row[3], *row[4:]))
    pending = [
        statistics_months.PendingMonth(starts[i], generations.get(starts[i], 0), state_generation, tuple(tuple(r) for r in rows[i]))
        for i in keepable if starts[i] not in kept
    ]
    return rows, pending


def _from_values(values: Sequence[int], income: int = 0) -> BookingFigures:
    (bookings, slots_used, attendance, fees_yen, waived_yen, cancellations, no_shows, planned_bookings, planned_slots) = values
    return BookingFigures(
        bookings=bookings, slots_used=slots_used, attendance=attendance, fees_yen=fees_yen, waived_yen=waived_yen,
        cancellations=cancellations, no_shows=no_shows, planned_bookings=planned_bookings, planned_slots=planned_slots,
        income_yen=income,
    )


def bookings_by_room_month(conn: Connection, period: Period, room_ids: Sequence[int] | None, today: dt.date | None = None
                           ) -> tuple[dict[tuple[int, int], BookingFigures], dict[str, BookingFigures], list[statistics_months.PendingMonth]]:
    """(room id, month index) → figures without available slots (filled in by the caller), 実績
    before ``today`` and 予定 from it, with 収入済額, the ledger's income of the month (payments
    not voided received in the month for the room's bookings, less refunds not voided paid in
    the month; 充当 are no refund; never a booking's fee); applicant class code → its figures
    (no income), from the same pass over the bookings; and the months read that may be kept
    (see :func:`month_rows`). ``room_ids`` None: every room."""
    rows, pending = month_rows(conn, period, today)
    chosen = set(room_ids) if room_ids is not None else None
    by_room: dict[tuple[int, int], list[Sequence[int]]] = defaultdict(list)
    by_class: dict[str, list[Sequence[int]]] = defaultdict(list)
    income: dict[tuple[int, int], int] = defaultdict(int)
    for i, month in rows.items():
        for part, room_id, class_code, *values in month:
            if chosen is not None and room_id not in chosen:
                continue
            if part:
                income[(room_id, i)] += int(values[0] or 0)
            else:
                by_room[(room_id, i)].append(values)
                by_class[class_code or ""].append(values)
    nothing = ((0,) * len(FIGURES),)
    rooms = {key: _from_values(_column_sums(by_room.get(key, nothing)), income.get(key, 0)) for key in by_room.keys() | income.keys()}
    return rooms, {code: _from_values(_column_sums(columns)) for code, columns in by_class.items()}, pending


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
