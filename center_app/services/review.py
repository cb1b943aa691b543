"""審査: score sheets (entered in the app or imported from the XLSX the reviewers filled in), the
ranking and the allocation of a round, and the results with each score's contribution.

The rules themselves are pure and live in :mod:`center_app.domain.review` (aggregation, ties,
allocation down the ranking); this module reads and writes them, in one audited transaction
per action. Administrators and coordinators only (:data:`center_app.services.programs.DECIDERS`).

Score file (XLSX or CSV, first sheet): a header row with 申請番号 (the application's number),
審査委員 (the reviewer's name as on the panel) and one column per criterion of the round, named
as the criterion; one row per sheet. The import is all or nothing: every bad row is named
(row numbers as the spreadsheet shows them, the header is row 1) and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.programs import GrantApplication, GrantConflict, GrantReviewer, GrantRound, GrantScore
from center_app.domain import clock
from center_app.domain.documents import Issuer
from center_app.domain.errors import FieldProblem, StaleEditError, ValidationError
from center_app.domain.fiscal import fiscal_year_label
from center_app.domain.programs import (
    DECISION, REJECTION, ApplicationStatus, GrantLetter, PublicResultRow, PublicResults, ReportCheck, amount_to_return,
)
from center_app.domain.review import (
    Aggregation, Contribution, Criterion, Sheet, allocate, check_sheet, parse_criteria, rank, shown,
)
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext
from center_app.services.group_files import read_table, write_table
from center_app.services.programs import DECIDERS, check_not_allocated, find_round

#: The fixed columns of a score file.
APPLICATION_COLUMN = "申請番号"
REVIEWER_COLUMN = "審査委員"


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


_LATER = (ApplicationStatus.GRANT_DECIDED.value, ApplicationStatus.REPORTED.value, ApplicationStatus.SETTLED.value)


def _refuse_after_grants(session: Session, round_id: int) -> None:
    """Scores cannot change once a grant of the round is decided (the ranking is final)."""
    if session.scalar(select(GrantApplication.id).where(GrantApplication.round_id == round_id, GrantApplication.status.in_(_LATER))):
        raise ValidationError(_("Grants of this round have been decided already; its scores can no longer change."))


def _write_sheet(session: Session, application_id: int, reviewer_id: int, points: Mapping[str, int]) -> dict[str, int]:
    before = {s.criterion: s.points for s in session.scalars(select(GrantScore).where(
        GrantScore.application_id == application_id, GrantScore.reviewer_id == reviewer_id))}
    session.execute(delete(GrantScore).where(GrantScore.application_id == application_id, GrantScore.reviewer_id == reviewer_id))
    for criterion, value in points.items():
        session.add(GrantScore(application_id=application_id, reviewer_id=reviewer_id, criterion=criterion, points=value))
    return before


def enter_sheet(ctx: ServiceContext, application_id: int, reviewer_id: int, points: Mapping[str, object]) -> None:
    """Enter (or replace) one reviewer's score sheet of one application: the rules of
    :func:`enter_reviewer_sheets` for one row. Raises :class:`ValidationError`, nothing
    written."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        round_id = session.scalar(select(GrantApplication.round_id).where(GrantApplication.id == application_id))
    if round_id is None:
        raise ValidationError(_("Choose a reviewer and an application of the same round."))
    enter_reviewer_sheets(ctx, round_id, reviewer_id, {application_id: points}, keep_empty=False)


@dataclass(frozen=True)
class GridRow:
    """One application in a reviewer's score grid: its number, project and group, whether the
    reviewer declared a conflict of interest with it (and the reason given), and the points
    stored now (criterion → points; empty: no sheet yet)."""

    application_id: int
    project_title: str
    group_name: str
    conflicted: bool
    conflict_reason: str
    points: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class ScoreGrid:
    """A reviewer's score sheets of a round as one grid: the criteria (columns, with their
    maximum points), one :class:`GridRow` per application (by number), and ``locked`` when the
    round is allocated or a grant of it decided (the scores can no longer change)."""

    round_id: int
    reviewer_id: int
    reviewer_name: str
    criteria: tuple[Criterion, ...]
    rows: tuple[GridRow, ...]
    locked: bool


def score_grid(ctx: ServiceContext, round_id: int, reviewer_id: int) -> ScoreGrid:
    """The score grid of ``reviewer_id`` in round ``round_id`` (:class:`ScoreGrid`). Raises
    :class:`ValidationError` when the reviewer is not on the round's panel."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        round_row = find_round(session, round_id)
        reviewer = session.get(GrantReviewer, reviewer_id)
        if reviewer is None or reviewer.round_id != round_id:
            raise ValidationError(_("Choose a reviewer and an application of the same round."))
        conflicts = dict(session.execute(select(GrantConflict.application_id, GrantConflict.reason)
                                         .where(GrantConflict.reviewer_id == reviewer_id)).all())
        points: dict[int, dict[str, int]] = {}
        for score in session.scalars(select(GrantScore).where(GrantScore.reviewer_id == reviewer_id)):
            points.setdefault(score.application_id, {})[score.criterion] = score.points
        criteria = parse_criteria(round_row.criteria_text)
        rows = []
        for app in session.scalars(select(GrantApplication).where(GrantApplication.round_id == round_id).order_by(GrantApplication.id)):
            group = session.get(Group, app.group_id)
            stored = points.get(app.id, {})
            rows.append(GridRow(app.id, app.project_title, group.name if group else "", app.id in conflicts,
                                conflicts.get(app.id) or "", tuple((c.name, stored[c.name]) for c in criteria if c.name in stored)))
        locked = round_row.stage == "allocated" or session.scalar(select(GrantApplication.id).where(GrantApplication.round_id == round_id,
                                                                  GrantApplication.status.in_(_LATER))) is not None
        return ScoreGrid(round_id, reviewer_id, reviewer.name, criteria, tuple(rows), locked)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def enter_reviewer_sheets(ctx: ServiceContext, round_id: int, reviewer_id: int, sheets: Mapping[int, Mapping[str, object]], *,
                          keep_empty: bool = True, expected: Mapping[int, Mapping[str, int]] | None = None) -> int:
    """Save one reviewer's score sheets of a round at once (the grid typed in the app):
    ``sheets`` maps an application's number to its points (criterion → whole points, as typed).

    The rules of the XLSX import: every criterion scored, a whole number from 0 to the
    criterion's maximum (:func:`center_app.domain.review.check_sheet`), no sheet of an
    application the reviewer declared a conflict with, none once a grant is decided. All or
    nothing: every bad row is named (the application and the criterion) in one
    :class:`ValidationError` and nothing is written. A row left wholly empty removes the
    reviewer's stored sheet of that application (``keep_empty`` False: refused as missing).
    Sets the round back to open (the ranking must be redone) when anything changed; returns the
    number of sheets written. ``expected`` (the points the grid showed when it was loaded,
    application → criterion → points) refuses with :class:`StaleEditError`, nothing written, when
    the reviewer's stored sheets changed since (another PC typed or imported scores). Refused whole once the round is allocated
    (:func:`center_app.services.programs.check_not_allocated`). Audited per sheet."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        reviewer = session.get(GrantReviewer, reviewer_id)
        if reviewer is None or reviewer.round_id != round_id:
            raise ValidationError(_("Choose a reviewer and an application of the same round."))
        _refuse_after_grants(session, round_id)
        check_not_allocated(round_row)
        criteria = parse_criteria(round_row.criteria_text)
        titles = dict(session.execute(select(GrantApplication.id, GrantApplication.project_title)
                                      .where(GrantApplication.round_id == round_id)).all())
        conflicts = set(session.scalars(select(GrantConflict.application_id).where(GrantConflict.reviewer_id == reviewer_id)))
        if expected is not None:
            stored: dict[int, dict[str, int]] = {}
            for score in session.scalars(select(GrantScore).where(GrantScore.reviewer_id == reviewer_id,
                                                                  GrantScore.application_id.in_(list(titles)))):
                stored.setdefault(score.application_id, {})[score.criterion] = score.points
            if any(stored.get(app_id, {}) != dict(expected.get(app_id, {})) for app_id in titles):
                raise StaleEditError()
        problems: list[FieldProblem] = []
        clean: dict[int, dict[str, int]] = {}
        emptied: list[int] = []
        for app_id in sorted(sheets):
            points = sheets[app_id]
            if app_id not in titles:
                problems.append(FieldProblem("score", _("Choose a reviewer and an application of the same round.")))
                continue
            where = _("Application {id} ({title})").format(id=app_id, title=titles[app_id])
            if keep_empty and all(_blank(v) for v in points.values()):
                emptied.append(app_id)
                continue
            if app_id in conflicts:
                problems.append(FieldProblem("score", _(
                    "{where}: this reviewer declared a conflict of interest and may not score it.").format(
                    where=f"{where}, {reviewer.name}")))
                continue
            try:
                clean[app_id] = check_sheet(criteria, points, where=where)
            except ValidationError as error:
                problems.extend(error.problems)
        if problems:
            raise ValidationError(problems)
        changed = False
        for app_id, points in clean.items():
            before = _write_sheet(session, app_id, reviewer_id, points)
            if before != points:
                changed = True
                audit.record(session, user, "grant_score", f"{app_id}:{reviewer_id}", "update" if before else "create",
                             before or None, points, note=reviewer.name)
        for app_id in emptied:
            before = _write_sheet(session, app_id, reviewer_id, {})
            if before:
                changed = True
                audit.record(session, user, "grant_score", f"{app_id}:{reviewer_id}", "delete", before, None, note=reviewer.name)
        if changed:
            round_row.stage = "open"
        return len(clean)


def entered_sheet_count(ctx: ServiceContext, round_id: int) -> int:
    """How many score sheets (one reviewer × one application) of the round are entered now —
    typed in the grid or imported. Raises :class:`ValidationError` when there is no such round."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        find_round(session, round_id)
        return len(session.execute(select(GrantScore.application_id, GrantScore.reviewer_id).join(GrantApplication)
                                   .where(GrantApplication.round_id == round_id).distinct()).all())


def import_scores(ctx: ServiceContext, round_id: int, path: Path, *, replace: bool = False) -> int:
    """Import the score sheets of ``path`` (see the module docstring) into round ``round_id``;
    returns the number of sheets written. All or nothing: a row naming an unknown application or
    reviewer, a conflicted reviewer, a missing or too high score, a sheet given twice, a sheet
    already entered (unless ``replace``: a corrected file replaces those sheets on purpose) —
    every such row is named in one :class:`ValidationError` and nothing is written. Refused
    whole once the round is allocated or a grant of it decided. Audited."""
    user = ctx.require(*DECIDERS)
    header, rows = read_table(Path(path))
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        _refuse_after_grants(session, round_id)
        check_not_allocated(round_row)
        criteria = parse_criteria(round_row.criteria_text)
        problems: list[FieldProblem] = []
        missing_columns = [c for c in (APPLICATION_COLUMN, REVIEWER_COLUMN) if c not in header]
        if missing_columns:
            raise ValidationError([FieldProblem("file", _("The score file has no column {column}.").format(column=c), 1)
                                   for c in missing_columns])
        applications = set(session.scalars(select(GrantApplication.id).where(GrantApplication.round_id == round_id)))
        reviewers = {name: rid for rid, name in session.execute(
            select(GrantReviewer.id, GrantReviewer.name).where(GrantReviewer.round_id == round_id))}
        conflicts = set(map(tuple, session.execute(select(GrantConflict.reviewer_id, GrantConflict.application_id)
                                        .join(GrantReviewer).where(GrantReviewer.round_id == round_id))))
        entered = set(map(tuple, session.execute(select(GrantScore.application_id, GrantScore.reviewer_id).join(GrantApplication)
                                      .where(GrantApplication.round_id == round_id).distinct())))
        sheets: dict[tuple[int, int], tuple[int, dict[str, int]]] = {}
        for number, cells in enumerate(rows, start=2):
            record = dict(zip(header, cells, strict=False))
            if all(v in ("", None) for v in cells):
                continue
            raw_app = str(record.get(APPLICATION_COLUMN) or "").strip()
            reviewer_name = str(record.get(REVIEWER_COLUMN) or "").strip()
            where = _("Row {row}").format(row=number)
            app_id = int(raw_app) if raw_app.isdigit() else None
            if app_id not in applications:
                problems.append(FieldProblem(APPLICATION_COLUMN, _("{where}: there is no application {value} in this round.").format(
                    where=where, value=raw_app or "—"), number))
                continue
            reviewer_id = reviewers.get(reviewer_name)
            if reviewer_id is None:
                problems.append(FieldProblem(REVIEWER_COLUMN, _("{where}: {name} is not on this round's panel.").format(
                    where=where, name=reviewer_name or "—"), number))
                continue
            if (reviewer_id, app_id) in conflicts:
                problems.append(FieldProblem(REVIEWER_COLUMN, _(
                    "{where}: {name} declared a conflict of interest with application {id} and may not score it.").format(
                    where=where, name=reviewer_name, id=app_id), number))
                continue
            if (app_id, reviewer_id) in sheets:
                problems.append(FieldProblem(REVIEWER_COLUMN, _(
                    "{where}: the sheet of {name} for application {id} is given twice (also row {other}).").format(
                    where=where, name=reviewer_name, id=app_id, other=sheets[(app_id, reviewer_id)][0]), number))
                continue
            if (app_id, reviewer_id) in entered and not replace:
                problems.append(FieldProblem(REVIEWER_COLUMN, _(
                    "{where}: the sheet of {name} for application {id} has been entered already; import the file again "
                    "with replacing chosen (--replace) to change it.").format(where=where, name=reviewer_name, id=app_id), number))
                continue
            points = {c: record.get(c) for c in header if c not in (APPLICATION_COLUMN, REVIEWER_COLUMN) and c}
            try:
                sheets[(app_id, reviewer_id)] = (number, check_sheet(criteria, points, where=where, row=number))
            except ValidationError as error:
                problems.extend(error.problems)
        if problems:
            raise ValidationError(problems)
        if not sheets:
            raise ValidationError(_("The score file has no score sheets."), "file")
        for (app_id, reviewer_id), (_number, points) in sheets.items():
            before = _write_sheet(session, app_id, reviewer_id, points)
            audit.record(session, user, "grant_score", f"{app_id}:{reviewer_id}", "update" if before else "create",
                         before or None, points, note=f"import {Path(path).name}")
        round_row.stage = "open"
        return len(sheets)


def write_score_template(ctx: ServiceContext, round_id: int, path: Path) -> int:
    """Write the score file the reviewers fill in: one row per application and reviewer, the
    conflicted pairs left out; returns the number of rows."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        round_row = find_round(session, round_id)
        criteria = parse_criteria(round_row.criteria_text)
        apps = session.scalars(select(GrantApplication.id).where(GrantApplication.round_id == round_id)
                               .order_by(GrantApplication.id)).all()
        reviewers = session.execute(select(GrantReviewer.id, GrantReviewer.name).where(GrantReviewer.round_id == round_id)
                                    .order_by(GrantReviewer.id)).all()
        conflicts = set(map(tuple, session.execute(select(GrantConflict.reviewer_id, GrantConflict.application_id)
                                        .join(GrantReviewer).where(GrantReviewer.round_id == round_id))))
    rows = [[str(app), name] + [""] * len(criteria) for rid, name in reviewers for app in apps if (rid, app) not in conflicts]
    write_table(Path(path), rows, headers=[APPLICATION_COLUMN, REVIEWER_COLUMN, *(c.name for c in criteria)], sheet_name="採点")
    return len(rows)


def _ranking(session: Session, round_row: GrantRound):
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


def rank_round(ctx: ServiceContext, round_id: int) -> RoundResults:
    """Rank the applications in review from their sheets (the round's rule) and store each
    one's score and rank. Refused with :class:`ValidationError` naming every application and
    reviewer whose sheet is missing (or a conflicted reviewer's sheet), and for an allocated
    round; a refusal writes nothing (the stored ranking stays). Audited."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        check_not_allocated(round_row)
        apps, ranking = _ranking(session, round_row)
        by_id = {a.id: a for a in apps}
        for placed in ranking:
            row = by_id[placed.application]
            row.score_text, row.rank = str(shown(placed.score)), placed.rank
        round_row.stage = "ranked"
        audit.record(session, user, "grant_round", round_id, "rank", None, {
            "aggregation": round_row.aggregation,
            "ranking": [[p.application, str(shown(p.score)), p.rank, list(p.tied_with)] for p in ranking]})
    return round_results(ctx, round_id)


def allocate_round(ctx: ServiceContext, round_id: int) -> RoundResults:
    """Allocate the round's budget down the stored ranking (the cap per project; the pass
    mark): the funded applications become 採択 with their amount, the others 不採択. Refused when
    the round is not ranked (or a sheet changed since), when a tie at the end of the budget must
    be broken first, and when it is allocated already (only an administrator's
    :func:`center_app.services.programs.reopen_round` goes back). Audited."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        check_not_allocated(round_row)
        if round_row.stage == "open":
            raise ValidationError(_("Rank the round first (a score or a conflict changed since the last ranking)."))
        apps, ranking = _ranking(session, round_row)
        by_id = {a.id: a for a in apps}
        if any(ApplicationStatus(a.status) not in (ApplicationStatus.IN_REVIEW, ApplicationStatus.ADOPTED, ApplicationStatus.REJECTED)
               for a in apps):
            raise ValidationError(_("Grants of this round have been decided already; the allocation cannot be redone."))
        names = {a.id: _("Application {id} ({title})").format(id=a.id, title=a.project_title) for a in apps}
        result = allocate(ranking, {a.id: a.requested_yen for a in apps}, round_row.budget_yen, round_row.cap_yen,
                          round_row.pass_mark, names)
        for decided in result:
            row = by_id[decided.application]
            row.granted_yen = decided.granted
            row.status = (ApplicationStatus.ADOPTED if decided.granted else ApplicationStatus.REJECTED).value
        round_row.stage = "allocated"
        audit.record(session, user, "grant_round", round_id, "allocate", None, {
            "budget_yen": round_row.budget_yen, "cap_yen": round_row.cap_yen,
            "allocation": [[d.application, d.granted, d.reason] for d in result]})
    return round_results(ctx, round_id)


def set_grant(ctx: ServiceContext, application_id: int, amount_yen: int) -> RoundResults:
    """The panel's change of one decision (the amount granted; 0 = 不採択) — refused.

    A grant is decided only by :func:`allocate_round`, down the published ranking; once the round
    is allocated it is final, since its letters (交付決定通知書 / 不採択通知, 第N号) may have gone
    out and a number never carries two decisions. A decision is changed by an administrator's
    :func:`center_app.services.programs.reopen_round` (audited with its reason), then ranking and
    allocating again, whose letters carry a new number (第N号の2). Raises
    :class:`ValidationError` always, nothing written: the allocated round's refusal
    (:func:`center_app.services.programs.check_not_allocated`), else that the allocation decides."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        round_id = session.scalar(select(GrantApplication.round_id).where(GrantApplication.id == application_id))
        if round_id is None:
            raise ValidationError(_("This application no longer exists. Reload the list."))
        check_not_allocated(find_round(session, round_id))
    raise ValidationError(_("A grant is decided by the allocation: rank the round and allocate its budget."), "granted_yen")


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
            _apps, ranking = _ranking(session, round_row)
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
