"""利用状況の集計: the monthly and fiscal-year usage summary the center reports to the city.

One read transaction per summary; every figure is aggregated by the database (see
:mod:`center_app.services.statistics_queries`); the definitions are in
:mod:`center_app.domain.statistics_values`.

Who sees what: every signed-in role sees the booking and registration figures (counter staff
run the rooms and register the groups). Consultation counts are shown to coordinators and
administrators only, like the consultation log itself; counter staff get the summary without
them (``Summary.consultations`` is None, with a note saying why). Consultation counts are
anonymous numbers: they include 担当者限定 records (a count reveals nothing of them) and the
counts kept for records deleted by the retention rule, and reading them is not audited.

Consultations and registrations belong to no facility: they are center-wide whatever facility
is chosen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from center_app.db.models import Facility
from center_app.domain import clock
from center_app.domain.errors import ValidationError
from center_app.domain.service_figures import LockerOccupancy, LotteryMonth, ServiceFigures, VisitorDay
from center_app.domain.statistics_values import (
    FISCAL_YEAR,
    BookingFigures,
    FacilityChoice,
    FacilityFigures,
    GrantLine,
    LoanFigures,
    MonthFigures,
    Period,
    PrintFigures,
    ProgramFigures,
    RegistrationFigures,
    RoomFigures,
    Summary,
)
from center_app.i18n import _
from center_app.services import equipment_queries, printing_room, statistics_months
from center_app.services import statistics_queries as q
from center_app.services.consultations_values import ROLES as CONSULTATION_ROLES
from center_app.services.context import ServiceContext

#: How many of the most active groups the summary lists.
TOP_GROUPS = 10


def facility_choices(ctx: ServiceContext) -> list[FacilityChoice]:
    """Active facilities for the picker, in display order."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rows = session.execute(
            select(Facility.id, Facility.code, Facility.name).where(Facility.active.is_(True)).order_by(Facility.sort_order, Facility.id)
        )
        return [FacilityChoice(*row) for row in rows]


def find_facility(ctx: ServiceContext, code: str) -> FacilityChoice:
    """The facility with ``code`` (case-insensitive); ValidationError listing the known codes."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rows = session.execute(select(Facility.id, Facility.code, Facility.name).order_by(Facility.sort_order, Facility.id)).all()
    for row in rows:
        if row.code.lower() == (code or "").strip().lower():
            return FacilityChoice(*row)
    raise ValidationError(
        _("There is no facility with the code \"{code}\". Known codes: {codes}.").format(code=code, codes=", ".join(r.code for r in rows)),
        field_name="facility",
    )


def may_see_consultations(ctx: ServiceContext) -> bool:
    """Whether the signed-in role gets consultation counts in the summary."""
    return ctx.user is not None and ctx.user.role in CONSULTATION_ROLES


@dataclass(frozen=True)
class BookingSection:
    """The booking part of a summary: the facility chosen, its rooms, facilities and months."""

    facility: FacilityChoice | None
    rooms: tuple[RoomFigures, ...]
    facilities: tuple[FacilityFigures, ...]
    months: tuple[MonthFigures, ...]


def _has_activity(figures: BookingFigures) -> bool:
    return bool(figures.bookings or figures.cancellations or figures.planned_bookings or figures.income_yen)


def _booking_section(conn: Connection, period: Period, facility_id: int | None, today: dt.date | None = None
                     ) -> tuple[BookingSection, dict[str, BookingFigures], list[statistics_months.PendingMonth]]:
    """The rooms, facilities and months of the period, the figures per applicant class code
    from the same pass over the bookings, and the months read that may be kept (for
    :func:`statistics_months.keep` once the read transaction has ended)."""
    facilities, rooms, slots = q.configuration(conn, facility_id)
    if facility_id is not None and not facilities:
        raise ValidationError(_("The facility no longer exists."), field_name="facility")
    facility_ids = [f.id for f in facilities]
    rules = q.closed_rules(conn, facility_ids)
    counted, by_class, pending = q.bookings_by_room_month(conn, period, [r.id for r in rooms] if facility_id is not None else None,
                                                          today or clock.today())

    month_ranges = [(dt.date(y, m, 1), last) for (y, m), last in zip(period.months, period.month_last_days(), strict=True)]
    open_by_month = {f.id: [q.open_days(rules[f.id], first, last) for first, last in month_ranges] for f in facilities}
    active_facility = {f.id: f.active for f in facilities}

    room_figures: list[RoomFigures] = []
    by_facility: dict[int, list[RoomFigures]] = {f.id: [] for f in facilities}
    names = {f.id: (f.code, f.name) for f in facilities}
    nothing = BookingFigures()
    for room in rooms:
        slots_a_day = slots.get(room.facility_id, 0)
        by_month = tuple(
            dataclasses.replace(counted.get((room.id, i), nothing), available_slots=days * slots_a_day)
            for i, days in enumerate(open_by_month[room.facility_id])
        )
        total = BookingFigures.total(by_month)
        if not (room.active and active_facility[room.facility_id]) and not _has_activity(total):
            continue
        code, name = names[room.facility_id]
        figures = RoomFigures(room.id, code, name, room.code, room.name, total, by_month)
        room_figures.append(figures)
        by_facility[room.facility_id].append(figures)

    facility_figures = tuple(
        FacilityFigures(
            f.id, f.code, f.name, (period.last - period.first).days + 1, sum(open_by_month[f.id]), slots.get(f.id, 0),
            len(by_facility[f.id]), BookingFigures.total(r.figures for r in by_facility[f.id]),
        )
        for f in facilities
        if f.active or by_facility[f.id]
    )
    months = tuple(
        MonthFigures(y, m, BookingFigures.total(r.by_month[i] for r in room_figures)) for i, (y, m) in enumerate(period.months)
    )
    chosen = FacilityChoice(facilities[0].id, facilities[0].code, facilities[0].name) if facility_id is not None else None
    return BookingSection(chosen, tuple(room_figures), facility_figures, months), by_class, pending


def summarize(
    ctx: ServiceContext,
    period: Period,
    facility_id: int | None = None,
    *,
    include_consultations: bool = True,
    top_groups: int = TOP_GROUPS,
) -> Summary:
    """The usage summary of ``period`` for one facility (``facility_id``) or all (None), made
    today: 実績 (used before today) apart from 予定 (today and later), income from the ledger.

    A period without data gives zeros, never an error. Any signed-in role; consultation counts
    only for coordinators and administrators (see the module docstring).
    """
    with_consultations = include_consultations and may_see_consultations(ctx)
    with ctx.db.read() as session:
        conn = session.connection()
        ctx.require_signed_in(conn)  # in the summary's own transaction: no second connection
        today = clock.today()
        section, by_class, pending = _booking_section(conn, period, facility_id, today)
        room_filter: Sequence[int] | None = [r.room_id for r in section.rooms] if facility_id is not None else None
        lists = q.configured_lists(conn)
        by_exemption, groups = q.exemptions_and_top_groups(conn, period, room_filter, top_groups, today)
        classes, exemptions = q.bookings_by_class_and_exemption(by_class, by_exemption, lists)
        registrations = RegistrationFigures(tuple(q.registrations(conn, period)))
        consultations = (
            q.consultations(conn, period, _("(records deleted after the retention period)"), lists) if with_consultations else None
        )
        services = service_figures(session, period, facility_id)
        used_until = min(period.last, today - dt.timedelta(days=1))  # 実績: before the day the report is made
        loans = tuple(LoanFigures(*row) for row in equipment_queries.loan_counts(session, period.first, used_until, facility_id))
        printing = tuple(PrintFigures(*row) for row in printing_room.printing_counts(session, period.first, used_until, facility_id))
    statistics_months.keep(ctx.db, pending)
    notes = []
    if include_consultations and not with_consultations:
        notes.append(_("Consultation counts are shown to coordinators and administrators only."))
    program_figures = None
    if period.kind == FISCAL_YEAR:
        program_figures = fiscal_year_programs(ctx, period.fiscal_year)
        if program_figures is None:
            notes.append(_("Grant and co-hosting / support figures are shown to coordinators and administrators only."))
    return Summary(
        period=period,
        facility=section.facility,
        generated_on=clock.today(),
        rooms=section.rooms,
        facilities=section.facilities,
        months=section.months,
        classes=tuple(classes),
        exemptions=tuple(exemptions),
        top_groups=tuple(groups),
        registrations=registrations,
        consultations=consultations,
        notes=tuple(notes),
        services=services,
        loans=loans,
        printing=printing,
        programs=program_figures,
    )


def fiscal_year_programs(ctx: ServiceContext, fiscal_year: int) -> ProgramFigures | None:
    """The grants by program and 活動分野 and the 共催 / 後援 approved in ``fiscal_year`` (the
    figures of ``center-app grants figures``); None for a role that does not run the programs
    (counter staff)."""
    from center_app.domain.programs import EndorsementKind
    from center_app.services import endorsements, programs_base, programs_figures

    if ctx.user is None or ctx.user.role not in programs_base.DECIDERS:
        return None
    figures = programs_figures.fiscal_year_figures(ctx, fiscal_year)[:-1]  # the last line is their total
    counts = endorsements.approved_counts(ctx, fiscal_year)
    return ProgramFigures(
        tuple(GrantLine(f.program_name, f.field_name, f.applications, f.adopted, f.granted_yen, f.paid_yen) for f in figures),
        counts[EndorsementKind.COHOST], counts[EndorsementKind.SUPPORT])


def service_figures(session, period: Period, facility_id: int | None) -> ServiceFigures:
    """Lockers allocated on the period's last day by kind, visitors by day and purpose, lottery
    entries and winners of the months whose days fall in the period (one facility or all)."""
    from center_app.domain.center_settings import LOCKER_TERM_START_MONTH, VISITOR_PURPOSES, visitor_purposes
    from center_app.services import center_settings, lockers, lottery, visitors

    facilities = [facility_id] if facility_id is not None else None
    by_day = visitors.totals_by_day(session, facilities, period.first, period.last)
    settings = center_settings.get_many(session, [VISITOR_PURPOSES, LOCKER_TERM_START_MONTH])  # both in one query
    purposes = list(visitor_purposes(settings[VISITOR_PURPOSES.key]))
    purposes += sorted({p for counts in by_day.values() for p in counts} - set(purposes))
    days = tuple(VisitorDay(day, tuple(counts.get(p, 0) for p in purposes)) for day, counts in by_day.items())
    lockers_taken = lockers.occupancy(session, period.last, facilities, start_month=settings[LOCKER_TERM_START_MONTH.key])
    occupancy = tuple(LockerOccupancy(lockers.kind_label(kind), taken, total) for kind, (taken, total) in lockers_taken.items())
    months = tuple(LotteryMonth(month, entries, winners) for month, (entries, winners) in lottery.lottery_counts(session, period.first, period.last, facilities).items())
    return ServiceFigures(occupancy, tuple(purposes), days, months)


def fiscal_year_trend(ctx: ServiceContext, fiscal_year: int, facility_id: int | None = None) -> BookingSection:
    """Bookings per room and month across fiscal year ``fiscal_year`` (the charts of a monthly
    summary: bookings and attendance per month, occupancy of rooms × months)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        section, _by_class, pending = _booking_section(session.connection(), Period.of_fiscal_year(fiscal_year), facility_id)
    statistics_months.keep(ctx.db, pending)
    return section
