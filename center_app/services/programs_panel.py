"""補助金・協働事業提案 — the review panel of a round: its reviewers and their declared conflicts
of interest (a reviewer is left out of the review of an application they declared one with).
Named, corrected (a reviewer removed, a conflict withdrawn) only before the review or the
scoring starts, never on an allocated round; every change audited. Administrators and
coordinators only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_app.db.programs import GrantApplication, GrantConflict, GrantReviewer, GrantRound, GrantScore
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.normalize import clean_text
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext
from center_app.services.editing import lock, lock_for_edit
from center_app.services.programs_base import DECIDERS, check_not_allocated, find_round, review_started


@dataclass(frozen=True)
class ReviewerView:
    """A member of the panel and the applications they declared a conflict with."""

    id: int
    round_id: int
    name: str
    affiliation: str
    conflicts: tuple[int, ...]
    version: int = 1

def add_reviewer(ctx: ServiceContext, round_id: int, name: str, affiliation: str = "",
                 conflicts: Sequence[int] = ()) -> ReviewerView:
    """A new member of the round's panel, with the applications (ids) they declare a conflict of
    interest with, in one transaction. Raises :class:`ValidationError`, nothing written, for an
    empty or repeated name, a conflict with an application not in the round, once the review
    has started (an application left 受付 or a score sheet exists: every application would lack
    the new reviewer's sheet) or the round is allocated."""
    user = ctx.require(*DECIDERS)
    name = clean_text(name)
    if not name or len(name) > 100:
        raise ValidationError(_("Reviewer's name: enter 1 to 100 characters."), "name")
    with ctx.db.write() as session:
        round_row = find_round(session, round_id, for_update=True)
        check_not_allocated(round_row)
        if review_started(session, round_id):
            raise ValidationError(_(
                "The review of {round} has started: a new reviewer can no longer join the panel (the applications would lack "
                "their score sheets).").format(round=round_row.name), "round_id")
        if session.scalar(select(GrantReviewer.id).where(GrantReviewer.round_id == round_id, GrantReviewer.name == name)):
            raise ValidationError(_("{name} is on this panel already.").format(name=name), "name")
        in_round = set(session.scalars(select(GrantApplication.id).where(GrantApplication.round_id == round_id)))
        strangers = [app_id for app_id in dict.fromkeys(conflicts) if app_id not in in_round]
        if strangers:
            raise ValidationError([FieldProblem("conflicts", _("Application {id} is not in {round}: no conflict can be declared with it.")
                                                .format(id=app_id, round=round_row.name)) for app_id in strangers])
        row = GrantReviewer(round_id=round_id, name=name, affiliation=clean_text(affiliation))
        session.add(row)
        session.flush()
        audit.record(session, user, "grant_reviewer", row.id, "create", None, {"round_id": round_id, "name": name})
        for app_id in dict.fromkeys(conflicts):
            session.add(GrantConflict(reviewer_id=row.id, application_id=app_id, reason=""))
            audit.record(session, user, "grant_conflict", f"{row.id}:{app_id}", "create", None,
                         {"reviewer": name, "application_id": app_id, "reason": ""})
        return ReviewerView(row.id, round_id, name, row.affiliation, tuple(sorted(dict.fromkeys(conflicts))), row.version)


def list_reviewers(ctx: ServiceContext, round_id: int) -> list[ReviewerView]:
    """The panel of a round, in the order added, with their declared conflicts."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        return _reviewers(session, round_id)


def _reviewers(session: Session, round_id: int) -> list[ReviewerView]:
    rows = session.scalars(select(GrantReviewer).where(GrantReviewer.round_id == round_id).order_by(GrantReviewer.id)).all()
    conflicts: dict[int, list[int]] = {}
    for reviewer_id, application_id in session.execute(select(GrantConflict.reviewer_id, GrantConflict.application_id)
                                                       .join(GrantReviewer).where(GrantReviewer.round_id == round_id)):
        conflicts.setdefault(reviewer_id, []).append(application_id)
    return [ReviewerView(r.id, r.round_id, r.name, r.affiliation, tuple(sorted(conflicts.get(r.id, ()))), r.version) for r in rows]


def declare_conflict(ctx: ServiceContext, reviewer_id: int, application_id: int, reason: str = "") -> bool:
    """Record a reviewer's conflict of interest with an application: the reviewer is left out of
    its review. Refused when they have scored it already (delete that sheet first) or the two
    are of different rounds, or the round is allocated. Sets the round back to open (a ranking
    must be redone). Returns False, writing nothing, when that conflict was declared already
    (its reason stays as recorded)."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        reviewer = session.get(GrantReviewer, reviewer_id)
        application = session.get(GrantApplication, application_id)
        if reviewer is None or application is None or reviewer.round_id != application.round_id:
            raise ValidationError(_("Choose a reviewer and an application of the same round."))
        round_row = lock(session, GrantRound, application.round_id)
        check_not_allocated(round_row)
        scored = session.scalar(select(func.count()).select_from(GrantScore).where(
            GrantScore.reviewer_id == reviewer_id, GrantScore.application_id == application_id))
        if scored:
            raise ValidationError(_("{reviewer} has scored this application already; delete that score sheet first.").format(
                reviewer=reviewer.name))
        exists = session.scalar(select(GrantConflict.id).where(GrantConflict.reviewer_id == reviewer_id,
                                                               GrantConflict.application_id == application_id))
        if exists is None:
            session.add(GrantConflict(reviewer_id=reviewer_id, application_id=application_id, reason=clean_text(reason)))
            round_row.stage = "open"
            audit.record(session, user, "grant_conflict", f"{reviewer_id}:{application_id}", "create", None,
                         {"reviewer": reviewer.name, "application_id": application_id, "reason": clean_text(reason)})
        return exists is None


def _locked_reviewer(session: Session, reviewer_id: int, expected_version: int | None) -> tuple[GrantRound, GrantReviewer]:
    """The reviewer's round (locked first, as every path of a round) and the reviewer, locked
    onto ``expected_version``; refused when the round is allocated."""
    missing = _("Reviewer {id} is not on the panel: taken off it at another PC, or no such number.").format(id=reviewer_id)
    round_id = session.scalar(select(GrantReviewer.round_id).where(GrantReviewer.id == reviewer_id))
    if round_id is None:
        raise ValidationError(missing)
    round_row = find_round(session, round_id, for_update=True)
    reviewer = lock_for_edit(session, GrantReviewer, reviewer_id, entity="grant_reviewer", missing=missing,
                             expected_version=expected_version)
    check_not_allocated(round_row)
    return round_row, reviewer


def remove_reviewer(ctx: ServiceContext, reviewer_id: int, *, expected_version: int | None = None) -> None:
    """Take a reviewer named by mistake off the panel, with their declared conflicts. Only before
    the review starts (no application left 受付, no score sheet: the panel the applications are
    scored by is then fixed) and never on an allocated round. ``expected_version`` (the
    :class:`ReviewerView`'s): a stale view is refused. Audited. Raises
    :class:`ValidationError`, :class:`StaleEditError`, nothing written."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row, reviewer = _locked_reviewer(session, reviewer_id, expected_version)
        if review_started(session, round_row.id):
            raise ValidationError(_("The review of {round} has started: {name} can no longer leave the panel.").format(
                round=round_row.name, name=reviewer.name))
        conflicts = list(session.scalars(select(GrantConflict).where(GrantConflict.reviewer_id == reviewer_id)))
        for conflict in conflicts:
            audit.record(session, user, "grant_conflict", f"{reviewer_id}:{conflict.application_id}", "delete",
                         {"reviewer": reviewer.name, "application_id": conflict.application_id, "reason": conflict.reason}, None)
            session.delete(conflict)
        audit.record(session, user, "grant_reviewer", reviewer_id, "delete",
                     {"round_id": round_row.id, "name": reviewer.name, "affiliation": reviewer.affiliation}, None)
        session.delete(reviewer)


def withdraw_conflict(ctx: ServiceContext, reviewer_id: int, application_id: int, *, expected_version: int | None = None) -> None:
    """Withdraw a conflict of interest declared by mistake: the reviewer then scores that
    application too. Only before the scoring starts (no score sheet of the round: the review
    counted the reviewer out of it) and never on an allocated round. ``expected_version`` (the
    reviewer's, as listed): a stale view is refused; the reviewer's version goes up, since their
    conflicts changed. Audited. Raises :class:`ValidationError`, :class:`StaleEditError`,
    nothing written."""
    user = ctx.require(*DECIDERS)
    with ctx.db.write() as session:
        round_row, reviewer = _locked_reviewer(session, reviewer_id, expected_version)
        conflict = session.scalar(select(GrantConflict).where(GrantConflict.reviewer_id == reviewer_id,
                                                              GrantConflict.application_id == application_id))
        if conflict is None:
            raise ValidationError(_("{reviewer} has no declared conflict with application {id}. Reload the list.").format(
                reviewer=reviewer.name, id=application_id))
        if session.scalar(select(GrantScore.id).join(GrantApplication).where(GrantApplication.round_id == round_row.id).limit(1)):
            raise ValidationError(_("The scoring of {round} has started: a declared conflict of interest can no longer be "
                                    "withdrawn.").format(round=round_row.name))
        audit.record(session, user, "grant_conflict", f"{reviewer_id}:{application_id}", "delete",
                     {"reviewer": reviewer.name, "application_id": application_id, "reason": conflict.reason}, None)
        session.delete(conflict)
        reviewer.version += 1
        round_row.stage = "open"


@dataclass(frozen=True)
class ConflictView:
    """A declared conflict of interest: the reviewer, the application (number, project) and the
    reason given."""

    reviewer_id: int
    reviewer_name: str
    application_id: int
    project_title: str
    reason: str


def list_conflicts(ctx: ServiceContext, round_id: int) -> list[ConflictView]:
    """The declared conflicts of interest of a round, by reviewer (order added), then
    application number."""
    ctx.require(*DECIDERS)
    with ctx.db.read() as session:
        rows = session.execute(
            select(GrantReviewer.id, GrantReviewer.name, GrantApplication.id, GrantApplication.project_title, GrantConflict.reason)
            .join(GrantReviewer, GrantReviewer.id == GrantConflict.reviewer_id)
            .join(GrantApplication, GrantApplication.id == GrantConflict.application_id)
            .where(GrantReviewer.round_id == round_id).order_by(GrantReviewer.id, GrantApplication.id)).all()
    return [ConflictView(*row) for row in rows]
