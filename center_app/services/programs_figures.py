"""補助金・協働事業提案 — the figures of the city's 協働推進 report for a fiscal year, by program
and 活動分野.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from center_app.db.programs import GrantApplication, GrantProgram, GrantRound
from center_app.domain.programs import ApplicationStatus
from center_app.services.context import ServiceContext
from center_app.services.programs_base import DECIDERS


@dataclass(frozen=True)
class GrantFigures:
    """One line of the fiscal-year figures: a program and a 活動分野 (empty: none given), the
    applications received, how many were adopted, the yen granted (交付決定 or later) and paid —
    the grant of each decided application, less what a settled one returned (実績報告 spending
    under the grant)."""

    program_name: str
    field_name: str
    applications: int
    adopted: int
    granted_yen: int
    paid_yen: int


def fiscal_year_figures(ctx: ServiceContext, fiscal_year: int) -> list[GrantFigures]:
    """The figures of the city's 協働推進 report for ``fiscal_year`` (April–March, the rounds of
    that year), by program and 活動分野, programs by name; a last line totals them (program
    ``合計``)."""
    from center_app.db.groups import ActivityField
    from center_app.domain.programs import amount_to_return

    ctx.require(*DECIDERS)
    decided = {ApplicationStatus.GRANT_DECIDED.value, ApplicationStatus.REPORTED.value, ApplicationStatus.SETTLED.value}
    adopted = decided | {ApplicationStatus.ADOPTED.value}
    with ctx.db.read() as session:
        fields = dict(session.execute(select(ActivityField.code, ActivityField.name)).all())
        rows = session.execute(
            select(GrantProgram.name, GrantApplication.field_code, GrantApplication.status, GrantApplication.granted_yen,
                   GrantApplication.actual_spend_yen)
            .join(GrantRound, GrantRound.id == GrantApplication.round_id).join(GrantProgram, GrantProgram.id == GrantRound.program_id)
            .where(GrantRound.fiscal_year == fiscal_year)).all()
    totals: dict[tuple[str, str], list[int]] = {}
    for program, field_code, status, granted, spent in rows:
        line = totals.setdefault((program, fields.get(field_code, "") if field_code else ""), [0, 0, 0, 0])
        line[0] += 1
        line[1] += status in adopted
        if status in decided:
            line[2] += granted or 0
            returned = amount_to_return(granted or 0, spent) if status == ApplicationStatus.SETTLED.value and spent is not None else 0
            line[3] += (granted or 0) - returned
    result = [GrantFigures(program, field, *values) for (program, field), values in sorted(totals.items())]
    if result:
        result.append(GrantFigures("合計", "", *(sum(getattr(r, name) for r in result)
                                                for name in ("applications", "adopted", "granted_yen", "paid_yen"))))
    return result
