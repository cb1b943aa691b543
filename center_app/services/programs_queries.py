"""補助金・協働事業提案, what is read: the programs, their rounds (window, budget, cap, the
criteria and rule each was opened with), the applications of a round and the rules of 設定 →
補助金・協働 a round form shows. The commands (programs, rounds, receiving and moving
applications, reopening a round) are in :mod:`center_app.services.programs`, which says who may
do what. Amounts are whole yen; dates are local dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.programs import GrantApplication, GrantProgram, GrantRound
from center_app.domain import center_settings as spec
from center_app.domain.programs import ApplicationStatus, ProgramKind
from center_app.domain.review import Aggregation
from center_app.services import center_settings as settings
from center_app.services.context import ServiceContext
from center_app.services.programs_base import RECEIVERS, find_round


@dataclass(frozen=True)
class ProgramView:
    """A program: id, name, kind (:class:`ProgramKind`), version."""

    id: int
    name: str
    kind: ProgramKind
    version: int


@dataclass(frozen=True)
class RoundView:
    """A round: window (inclusive dates), budget and cap (yen; cap 0 = none), pass mark, the
    criteria and rule it was opened with, and ``stage`` (open / ranked / allocated)."""

    id: int
    program_id: int
    program_name: str
    name: str
    fiscal_year: int
    opens_on: dt.date
    closes_on: dt.date
    budget_yen: int
    cap_yen: int
    pass_mark: int
    criteria_text: str
    aggregation: Aggregation
    stage: str
    version: int


@dataclass(frozen=True)
class ApplicationView:
    """A stored application with its group's name, status and what the review wrote."""

    id: int
    round_id: int
    group_id: int
    group_name: str
    project_title: str
    field_code: int | None
    budget_lines: tuple[tuple[str, int], ...]
    requested_yen: int
    documents: tuple[tuple[str, bool], ...]
    received_on: dt.date
    status: ApplicationStatus
    score_text: str
    rank: int | None
    granted_yen: int | None
    actual_spend_yen: int | None
    version: int


def _program(row: GrantProgram) -> ProgramView:
    return ProgramView(row.id, row.name, ProgramKind(row.kind), row.version)


def _round(session: Session, row: GrantRound) -> RoundView:
    program = session.get(GrantProgram, row.program_id)
    return RoundView(row.id, row.program_id, program.name, row.name, row.fiscal_year, row.opens_on, row.closes_on,
                     row.budget_yen, row.cap_yen, row.pass_mark, row.criteria_text, Aggregation(row.aggregation), row.stage,
                     row.version)


def _application(session: Session, row: GrantApplication) -> ApplicationView:
    group = session.get(Group, row.group_id)
    return ApplicationView(
        row.id, row.round_id, row.group_id, group.name if group else "", row.project_title, row.field_code,
        tuple((line["item"], line["amount_yen"]) for line in row.budget_lines or []), row.requested_yen,
        tuple(sorted((row.documents or {}).items())), row.received_on, ApplicationStatus(row.status), row.score_text,
        row.rank, row.granted_yen, row.actual_spend_yen, row.version)


def list_programs(ctx: ServiceContext) -> list[ProgramView]:
    """Every program, by name."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        return [_program(row) for row in session.scalars(select(GrantProgram).order_by(GrantProgram.name))]


@dataclass(frozen=True)
class ProgramRules:
    """The rules of 設定 → 補助金・協働 a round form shows: the default cap (yen, 0 = none), the
    eligibility (registered groups only; whole years active) and the criteria and rule a new
    round copies."""

    cap_yen: int
    registered_only: bool
    min_years: int
    criteria_text: str
    aggregation: Aggregation


def program_rules(ctx: ServiceContext) -> ProgramRules:
    """The current rules of 設定 → 補助金・協働 (:class:`ProgramRules`)."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        values = settings.get_many(session, list(spec.PROGRAM_RULES))
    return ProgramRules(values[spec.GRANT_CAP_YEN.key], values[spec.GRANT_REGISTERED_ONLY.key], values[spec.GRANT_MIN_YEARS.key],
                        values[spec.REVIEW_CRITERIA.key], Aggregation(values[spec.REVIEW_AGGREGATION.key]))


def get_round(ctx: ServiceContext, round_id: int) -> RoundView:
    """One round. Raises :class:`ValidationError` when it does not exist."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        row = find_round(session, round_id)
        return _round(session, row)


def list_rounds(ctx: ServiceContext, program_id: int | None = None) -> list[RoundView]:
    """The rounds (of one program), newest first."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        query = select(GrantRound).order_by(GrantRound.opens_on.desc(), GrantRound.id.desc())
        if program_id is not None:
            query = query.where(GrantRound.program_id == program_id)
        return [_round(session, row) for row in session.scalars(query)]


def list_applications(ctx: ServiceContext, round_id: int) -> list[ApplicationView]:
    """The applications of a round: by rank once ranked, else in the order received."""
    ctx.require(*RECEIVERS)
    with ctx.db.read() as session:
        rows = session.scalars(select(GrantApplication).where(GrantApplication.round_id == round_id)
                               .order_by(GrantApplication.rank.is_(None), GrantApplication.rank, GrantApplication.id))
        return [_application(session, row) for row in rows]
