"""審査 — the score sheets of a round: one reviewer's sheets typed in the app as a grid, the
XLSX (or CSV) the reviewers filled in imported, and the template they fill in. The ranking, the
allocation and the results are in :mod:`center_app.services.review` (which also re-exports
everything here) and :mod:`center_app.services.review_results`.

Score file (XLSX or CSV, first sheet): a header row with 申請番号 (the application's number),
審査委員 (the reviewer's name as on the panel) and one column per criterion of the round, named
as the criterion; one row per sheet. The import is all or nothing: every bad row is named
(row numbers as the spreadsheet shows them, the header is row 1) and nothing is written.
Administrators and coordinators only (:data:`center_app.services.programs_base.DECIDERS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.db.programs import GrantApplication, GrantConflict, GrantReviewer, GrantScore
from center_app.domain.errors import FieldProblem, StaleEditError, ValidationError
from center_app.domain.programs import ApplicationStatus
from center_app.domain.review import Criterion, check_sheet, parse_criteria
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext
from center_app.services.group_files import read_table, write_table
from center_app.services.programs_base import DECIDERS, check_not_allocated, find_round

#: The fixed columns of a score file.
APPLICATION_COLUMN = "申請番号"
REVIEWER_COLUMN = "審査委員"

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
    (:func:`center_app.services.programs_base.check_not_allocated`). Audited per sheet."""
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
