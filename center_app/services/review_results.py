"""審査 — the results of a round: the ranking computed from its sheets (the round's rule, each
score's contribution), the results shown and exported, and what the documents are given (the
letters' numbers, 交付決定通知書 / 不採択通知, the public list, the 実績報告 check). Ranking and
allocating are :mod:`center_app.services.review`, which re-exports everything here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.programs import GrantApplication, GrantConflict, GrantReviewer, GrantRound, GrantScore
from center_app.domain import clock
from center_app.domain.documents import Issuer
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.fiscal import fiscal_year_label
from center_app.domain.programs import (
    DECISION, REJECTION, ApplicationStatus, GrantLetter, PublicResultRow, PublicResults, ReportCheck, amount_to_return,
)
from center_app.domain.review import Aggregation, Contribution, Sheet, check_sheet, parse_criteria, rank, shown
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext
from center_app.services.group_files import write_table
from center_app.services.programs_base import DECIDERS, find_round


@dataclass(frozen=True)
class ScoreLine:
    """One reviewer's part in one application's score, as shown and printed internally: the
    reviewer, their points per criterion, the sheet's weighted total, whether it was dropped
    (``"highest"`` / ``"lowest"``, empty: counted), and its contribution to the score
    (``share_text``, 2 decimals)."""

    reviewer: str
    points: tuple[tuple[str, int], ...]
    total: int
    dropped: str
    share_text: str


@dataclass(frozen=True)
class ResultRow:
    """One application of a round's results: rank (None: not ranked yet), the score (2
    decimals), the applications tied with it (by number), the group and project, requested and
    granted yen, status, the excluded reviewers (conflicts) and the :class:`ScoreLine` of each
    counted or dropped sheet."""

    application_id: int
    rank: int | None
    score_text: str
    tied_with: tuple[int, ...]
    group_name: str
    project_title: str
    field_code: int | None
    requested_yen: int
    granted_yen: int | None
    status: ApplicationStatus
    excluded: tuple[str, ...]
    lines: tuple[ScoreLine, ...]


@dataclass(frozen=True)
class RoundResults:
    """The results of a round: its name, the rule used, budget, total granted, and the rows
    by rank."""

    round_id: int
    round_name: str
    program_name: str
    fiscal_year: int
    aggregation: Aggregation
    budget_yen: int
    cap_yen: int
    granted_total_yen: int
    rows: tuple[ResultRow, ...]


def _names(session: Session, round_id: int) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for app_id, title in session.execute(select(GrantApplication.id, GrantApplication.project_title)
                                          .where(GrantApplication.round_id == round_id)):
        names[("application", app_id)] = _("Application {id} ({title})").format(id=app_id, title=title)
    for reviewer_id, name in session.execute(select(GrantReviewer.id, GrantReviewer.name).where(GrantReviewer.round_id == round_id)):
        names[("reviewer", reviewer_id)] = name
    return names


def current_ranking(session: Session, round_row: GrantRound):
    """The round's applications in review and their ranking from the stored sheets (the round's
    rule); raises :class:`ValidationError` naming every missing or bad sheet."""
    criteria = parse_criteria(round_row.criteria_text)
    apps = session.scalars(select(GrantApplication).where(
        GrantApplication.round_id == round_row.id, GrantApplication.status != ApplicationStatus.RECEIVED.value)
        .order_by(GrantApplication.id)).all()
    if not apps:
        raise ValidationError(_("No application of this round is in review yet. Start the review first."))
    reviewers = session.scalars(select(GrantReviewer.id).where(GrantReviewer.round_id == round_row.id).order_by(GrantReviewer.id)).all()
    if not reviewers:
        raise ValidationError(_("This round has no reviewers yet."))
    conflicts = set(map(tuple, session.execute(select(GrantConflict.reviewer_id, GrantConflict.application_id)
                                    .join(GrantReviewer).where(GrantReviewer.round_id == round_row.id))))
    points: dict[tuple[int, int], dict[str, int]] = {}
    for score in session.scalars(select(GrantScore).join(GrantApplication).where(GrantApplication.round_id == round_row.id)):
        points.setdefault((score.application_id, score.reviewer_id), {})[score.criterion] = score.points
    sheets = []
    names = _names(session, round_row.id)
    problems: list[FieldProblem] = []
    for (app_id, reviewer_id), sheet_points in points.items():
        try:
            clean = check_sheet(criteria, sheet_points, where=f"{names[('application', app_id)]}, {names[('reviewer', reviewer_id)]}")
        except ValidationError as error:
            problems.extend(error.problems)
            continue
        sheets.append(Sheet(app_id, reviewer_id, clean))
    if problems:
        raise ValidationError(problems)
    ranking = rank(criteria, [a.id for a in apps], reviewers, conflicts, sheets, Aggregation(round_row.aggregation), names)
    return apps, ranking


def round_results(ctx: ServiceContext, round_id: int) -> RoundResults:
    """The round's results with each score's contribution (reviewer names included: for the
    panel and the staff; the public list leaves them out). Before ranking, rows carry no rank."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        return _results(session, round_id)


def _results(session: Session, round_id: int) -> RoundResults:
    from center_app.db.programs import GrantProgram

    round_row = find_round(session, round_id)
    program = session.get(GrantProgram, round_row.program_id)
    criteria = parse_criteria(round_row.criteria_text)
    apps = session.scalars(select(GrantApplication).where(GrantApplication.round_id == round_id)
                           .order_by(GrantApplication.rank.is_(None), GrantApplication.rank, GrantApplication.id)).all()
    reviewers = dict(map(tuple, session.execute(select(GrantReviewer.id, GrantReviewer.name).where(GrantReviewer.round_id == round_id))))
    conflicts = set(map(tuple, session.execute(select(GrantConflict.reviewer_id, GrantConflict.application_id)
                                    .join(GrantReviewer).where(GrantReviewer.round_id == round_id))))
    contributions: dict[int, tuple[Contribution, ...]] = {}
    tied: dict[int, tuple[int, ...]] = {}
    if round_row.stage != "open":
        try:
            _apps, ranking = current_ranking(session, round_row)
        except ValidationError:
            ranking = ()
        for placed in ranking:
            contributions[placed.application] = placed.contributions
            tied[placed.application] = placed.tied_with
    if not tied:  # the stored ranking (the sheets no longer rank, e.g. one missing): the same rank is a tie
        for app in apps:
            if app.rank is not None:
                tied[app.id] = tuple(other.id for other in apps if other.rank == app.rank and other.id != app.id)
    points: dict[tuple[int, int], dict[str, int]] = {}
    for score in session.scalars(select(GrantScore).join(GrantApplication).where(GrantApplication.round_id == round_id)):
        points.setdefault((score.application_id, score.reviewer_id), {})[score.criterion] = score.points
    rows = []
    for app in apps:
        group = session.get(Group, app.group_id)
        lines = tuple(
            ScoreLine(reviewers[c.reviewer], tuple((k.name, points.get((app.id, c.reviewer), {}).get(k.name, 0)) for k in criteria),
                      c.total, c.dropped, str(shown(c.share)))
            for c in contributions.get(app.id, ()))
        excluded = tuple(reviewers[r] for r, a in sorted(conflicts) if a == app.id)
        rows.append(ResultRow(app.id, app.rank, app.score_text, tied.get(app.id, ()), group.name if group else "", app.project_title,
                              app.field_code, app.requested_yen, app.granted_yen, ApplicationStatus(app.status), excluded, lines))
    return RoundResults(round_id, round_row.name, program.name, round_row.fiscal_year, Aggregation(round_row.aggregation),
                        round_row.budget_yen, round_row.cap_yen, sum(a.granted_yen or 0 for a in apps), tuple(rows))


def contribution_text(row: ResultRow) -> str:
    """One application's score explained on one line: each reviewer's total, whether it was
    dropped, and what it adds (青木 35 → 17.50; 井上 37（最高点・除外）→ 0.00; 利益相反: 大野)."""
    parts = []
    for line in row.lines:
        dropped = {"highest": _("highest, dropped"), "lowest": _("lowest, dropped")}.get(line.dropped)
        parts.append(f"{line.reviewer} {line.total}" + (f"（{dropped}）" if dropped else "") + f" → {line.share_text}")
    if row.excluded:
        parts.append(_("Conflict of interest: {names}").format(names="、".join(row.excluded)))
    return "; ".join(parts)


def write_results(ctx: ServiceContext, round_id: int, path: Path, *, public: bool = False) -> None:
    """Write the round's results to ``path`` (.xlsx or .csv): rank, score, ties, application,
    group, project, requested and granted yen, status — and, unless ``public``, each score's
    contribution (with the reviewers' names). Audited as an export."""
    results = round_results(ctx, round_id)
    headers = ["順位", "合計点", "同点", "申請番号", "団体名", "事業名", "申請額", "交付額", "状態"]
    if not public:
        headers.append("内訳")
    rows = []
    for row in results.rows:
        cells = [row.rank, row.score_text, "、".join(str(i) for i in row.tied_with), row.application_id, row.group_name,
                 row.project_title, row.requested_yen, row.granted_yen, row.status.label]
        if not public:
            cells.append(contribution_text(row))
        rows.append(cells)
    write_table(Path(path), rows, headers=headers, sheet_name="審査結果", wide_columns=(9,) if not public else ())
    audit.log(ctx, "grant_round", round_id, "export", note="public" if public else "with reviewers")


# --- what the documents are given (services/documents.py builds them) ---------------------------------

_DECIDED = (ApplicationStatus.ADOPTED, ApplicationStatus.GRANT_DECIDED, ApplicationStatus.REPORTED, ApplicationStatus.SETTLED)


def _allocated(session: Session, round_id: int) -> GrantRound:
    round_row = find_round(session, round_id)
    if round_row.stage != "allocated":
        raise ValidationError(_("The round has not been allocated yet: rank it and allocate it first."))
    return round_row


def letter_number(round_row: GrantRound, application_id: int) -> str:
    """The number of an application's letter: 「令和8年度 第12号」 for the round's first allocation,
    「令和8年度 第12号の2」 after one reopening, and so on — a number already sent never carries
    another decision."""
    number = f"{fiscal_year_label(round_row.fiscal_year)} 第{application_id}号"
    return f"{number}の{round_row.reopen_count + 1}" if round_row.reopen_count else number


def grant_letters(ctx: ServiceContext, round_id: int, issuer: Issuer, application_ids: Sequence[int] | None = None) -> list[GrantLetter]:
    """The letters of an allocated round — 交付決定通知書 to each adopted (or later) application,
    不採択通知 to each one not adopted — in rank order, dated today, or only those of
    ``application_ids``. Raises :class:`ValidationError` before the allocation."""
    ctx.require(*DECIDERS)
    from center_app.db.programs import GrantProgram

    with ctx.db.read() as session:
        round_row = _allocated(session, round_id)
        program = session.get(GrantProgram, round_row.program_id)
        apps = session.scalars(select(GrantApplication).where(GrantApplication.round_id == round_id)
                               .order_by(GrantApplication.rank.is_(None), GrantApplication.rank, GrantApplication.id)).all()
        ranked = sum(1 for a in apps if a.rank is not None)
        letters = []
        for app in apps:
            if application_ids is not None and app.id not in application_ids:
                continue
            status = ApplicationStatus(app.status)
            if status is ApplicationStatus.IN_REVIEW or status is ApplicationStatus.RECEIVED:
                continue
            group = session.get(Group, app.group_id)
            kind = DECISION if status in _DECIDED else REJECTION
            letters.append(GrantLetter(
                kind, letter_number(round_row, app.id), clock.today(), group.name,
                group.representative_name, program.name, round_row.name, round_row.fiscal_year, app.project_title, app.received_on,
                app.requested_yen, app.granted_yen or 0, app.score_text, app.rank, ranked, issuer))
    if not letters:
        raise ValidationError(_("There is no letter to print for this round."))
    return letters


def public_results(ctx: ServiceContext, round_id: int, issuer: Issuer) -> PublicResults:
    """The public results list of an allocated round (no reviewer names), by rank."""
    results = round_results(ctx, round_id)
    with ctx.db.read() as session:
        _allocated(session, round_id)
    rows = tuple(PublicResultRow(r.rank, r.project_title, r.group_name, r.granted_yen or 0, r.score_text, r.status in _DECIDED,
                                 bool(r.tied_with))
                 for r in results.rows if r.rank is not None)
    return PublicResults(results.program_name, results.round_name, results.fiscal_year, clock.today(), results.aggregation.label,
                         results.budget_yen, results.granted_total_yen, rows, issuer)


def report_check(ctx: ServiceContext, application_id: int, issuer: Issuer) -> ReportCheck:
    """The 実績報告 check of a reported (or settled) application: granted vs spent, and the
    amount to return. Raises :class:`ValidationError` before the 実績報告."""
    ctx.require(*DECIDERS)
    from center_app.db.programs import GrantProgram

    with ctx.db.read() as session:
        app = session.get(GrantApplication, application_id)
        if app is None:
            raise ValidationError(_("This application no longer exists. Reload the list."))
        if app.actual_spend_yen is None:
            raise ValidationError(_("Application {id} has no results report yet.").format(id=application_id))
        round_row = session.get(GrantRound, app.round_id)
        program = session.get(GrantProgram, round_row.program_id)
        group = session.get(Group, app.group_id)
        granted = app.granted_yen or 0
        return ReportCheck(group.name, program.name, round_row.name, app.project_title, granted, app.actual_spend_yen,
                           amount_to_return(granted, app.actual_spend_yen), clock.today(), issuer)
