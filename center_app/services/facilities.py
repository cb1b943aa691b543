"""Facilities for pickers, and whether a facility is open on given days (休館日, 年末年始, 祝日)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from center_app.db.models import ClosedDayRule, Facility
from center_app.domain.closed_days import ClosedDayRules, ClosedRange, DayStatus, day_status
from center_app.services.context import ServiceContext


@dataclass(frozen=True)
class FacilityView:
    """A facility in the toolbar's picker. Opening hours are local time."""

    id: int
    code: str
    name: str
    is_main: bool
    opening_time: dt.time
    closing_time: dt.time


def list_facilities(ctx: ServiceContext, *, include_inactive: bool = False) -> list[FacilityView]:
    """Facilities in display order (the main center first)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        query = select(Facility).order_by(Facility.sort_order, Facility.id)
        if not include_inactive:
            query = query.where(Facility.active.is_(True))
        return [FacilityView(f.id, f.code, f.name, f.is_main, f.opening_time, f.closing_time) for f in session.scalars(query)]


def closed_day_rules(session, facility_id: int) -> ClosedDayRules:
    """The active 休館日 rules of a facility as the domain's :class:`ClosedDayRules`."""
    rules = session.scalars(
        select(ClosedDayRule).where(ClosedDayRule.facility_id == facility_id, ClosedDayRule.active.is_(True))
    ).all()
    return rules_from_rows(rules)


def rules_from_rows(rows: list[ClosedDayRule]) -> ClosedDayRules:
    """Convert stored ClosedDayRule rows (kinds weekly, range, date, holidays) to the domain rules."""
    weekly = [r for r in rows if r.kind == "weekly" and r.weekday is not None]
    return ClosedDayRules(
        weekly=frozenset(r.weekday for r in weekly),
        holiday_shift=any(r.holiday_shift for r in weekly),
        ranges=tuple(ClosedRange.parse(r.from_md, r.to_md, r.name) for r in rows if r.kind == "range" and r.from_md and r.to_md),
        holidays_closed=any(r.kind == "holidays" and r.closes for r in rows),
        extra_closed={r.on_date: r.name for r in rows if r.kind == "date" and r.closes and r.on_date},
        open_overrides=frozenset(r.on_date for r in rows if r.kind == "date" and not r.closes and r.on_date),
    )


def day_statuses(ctx: ServiceContext, facility_id: int, first: dt.date, days: int) -> list[tuple[dt.date, DayStatus]]:
    """Open or closed, and why, for ``days`` consecutive days from ``first`` (for calendars and ホーム)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rules = closed_day_rules(session, facility_id)
    return [(first + dt.timedelta(days=i), day_status(first + dt.timedelta(days=i), rules)) for i in range(days)]
