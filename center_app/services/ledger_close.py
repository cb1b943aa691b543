"""日計の締め: closing a day of a facility's cash. After the close no payment, refund or void
can be dated that day (``center_app.services.ledger._check_open_day``); the close keeps the
収入日報's totals, audited (docs/architecture.md §4, "Money").
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from center_app.db.models import Facility
from center_app.db.money import DayClose
from center_app.domain import clock
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.money import CASH_ROLES
from center_app.domain.wareki import format_day
from center_app.i18n import _
from center_app.services import audit, income
from center_app.services.context import ServiceContext


def is_day_closed(ctx: ServiceContext, facility_id: int, day: dt.date) -> bool:
    """Whether ``day``'s cash of the facility is closed."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return session.scalar(select(DayClose.id).where(DayClose.facility_id == facility_id, DayClose.day == day)) is not None


def close_day(ctx: ServiceContext, facility_id: int, day: dt.date | None = None) -> dict:
    """日計の締め: lock ``day`` (default today) of the facility's cash: payments, refunds and
    voids dated that day are refused from now on. Keeps the 収入日報's totals (method → yen,
    net cash) with the close, audited. Refused for a future day or a day already closed."""
    user = ctx.require(*CASH_ROLES)
    day = day or clock.today()
    if day > clock.today():
        raise ValidationError(_("A future day cannot be closed."), field_name="day")
    with ctx.db.write() as session:
        # the facility row exclusively: entries being written finish first and are counted
        session.execute(select(Facility.id).where(Facility.id == facility_id).with_for_update()).all()
        if session.scalar(select(DayClose.id).where(DayClose.facility_id == facility_id, DayClose.day == day)) is not None:
            raise RuleError(_("{date} is already closed.").format(date=format_day(day)), RuleCode.DAY_CLOSED, day)
        report = income.daily_income_in(session, day, facility_id)
        totals = {"by_method": dict(report.by_method), "net_cash": report.net_cash, "net_total": report.net_total}
        session.add(DayClose(facility_id=facility_id, day=day, closed_at=clock.now(), closed_by=user.display_name, totals=totals))
        session.flush()
        audit.record(session, user, "day_close", f"{facility_id}:{day.isoformat()}", "create", None, totals)
    return totals
