"""The panel corrected before it counts: a reviewer named by mistake leaves the panel with their
conflicts, and a conflict declared by mistake is withdrawn — both audited, onto the version the
screen showed, and refused once the review (a reviewer) or the scoring (a conflict) has started
or the round is allocated, nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from test_programs_service import REVIEWERS, _apply_all, _panel, _score_file, env  # noqa: F401
from test_review_rules import _points

from center_app.db.models import AuditEntry
from center_app.db.programs import GrantConflict, GrantReviewer
from center_app.domain.errors import PermissionDenied, StaleEditError, ValidationError
from center_app.services import programs, programs_panel, review

pytestmark = pytest.mark.postgres


def _count(env, model):
    with env["db"].read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _actions(env, entity):
    with env["db"].read() as session:
        return session.scalars(select(AuditEntry.action).where(AuditEntry.entity == entity).order_by(AuditEntry.id)).all()


def test_a_reviewer_named_by_mistake_leaves_the_panel_with_their_conflicts_before_the_review(env):
    ids = _apply_all(env)
    wrong = programs_panel.add_reviewer(env["admin"], env["round"].id, "間違い 委員", conflicts=[ids[1], ids[2]])
    with pytest.raises(PermissionDenied):
        programs_panel.remove_reviewer(env["counter"], wrong.id)
    programs_panel.declare_conflict(env["admin"], wrong.id, ids[3], "団体の役員")
    with pytest.raises(StaleEditError):
        programs_panel.remove_reviewer(env["admin"], wrong.id, expected_version=wrong.version - 1)
    assert _count(env, GrantReviewer) == 1 and _count(env, GrantConflict) == 3
    programs_panel.remove_reviewer(env["admin"], wrong.id, expected_version=wrong.version)
    assert programs_panel.list_reviewers(env["admin"], env["round"].id) == [] and _count(env, GrantConflict) == 0
    assert _actions(env, "grant_reviewer") == ["create", "delete"]
    assert _actions(env, "grant_conflict").count("delete") == 3
    again = programs_panel.add_reviewer(env["admin"], env["round"].id, "間違い 委員")  # the name is free again
    assert again.conflicts == ()


def test_no_reviewer_leaves_once_the_review_has_started(env):
    ids = _apply_all(env)
    reviewers = _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    with pytest.raises(ValidationError, match="審査") as refused:
        programs_panel.remove_reviewer(env["admin"], reviewers[0].id)
    assert REVIEWERS[0] in str(refused.value)
    assert _count(env, GrantReviewer) == 5


def test_a_conflict_declared_by_mistake_is_withdrawn_until_the_scoring_starts(env):
    ids = _apply_all(env)
    reviewers = _panel(env, ids)
    aoki = reviewers[0]
    programs_panel.declare_conflict(env["admin"], aoki.id, ids[1], "誤って入力")
    [listed] = [r for r in programs_panel.list_reviewers(env["admin"], env["round"].id) if r.id == aoki.id]
    assert ids[1] in listed.conflicts
    with pytest.raises(StaleEditError):
        programs_panel.withdraw_conflict(env["admin"], aoki.id, ids[1], expected_version=listed.version + 1)
    programs.start_review(env["admin"], env["round"].id)  # in review, nothing scored yet: still possible
    programs_panel.withdraw_conflict(env["admin"], aoki.id, ids[1], expected_version=listed.version)
    [after] = [r for r in programs_panel.list_reviewers(env["admin"], env["round"].id) if r.id == aoki.id]
    assert ids[1] not in after.conflicts and after.version == listed.version + 1
    with pytest.raises(StaleEditError):  # the screen's old view of 青木's conflicts
        programs_panel.withdraw_conflict(env["admin"], aoki.id, ids[2], expected_version=listed.version)
    with pytest.raises(ValidationError, match="申請"):
        programs_panel.withdraw_conflict(env["admin"], aoki.id, ids[1])  # not declared (any more)
    assert "delete" in _actions(env, "grant_conflict")
    # the scoring starts: 大野's declared conflicts stay
    review.enter_sheet(env["admin"], ids[1], aoki.id, _points(40))
    conflicts = _count(env, GrantConflict)
    with pytest.raises(ValidationError, match="採点"):
        programs_panel.withdraw_conflict(env["admin"], reviewers[4].id, ids[2])
    assert _count(env, GrantConflict) == conflicts


def test_an_allocated_round_keeps_its_panel(env):
    ids = _apply_all(env)
    reviewers = _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    review.rank_round(env["admin"], env["round"].id)
    review.allocate_round(env["admin"], env["round"].id)
    for attempt in (lambda: programs_panel.remove_reviewer(env["admin"], reviewers[0].id),
                    lambda: programs_panel.withdraw_conflict(env["admin"], reviewers[4].id, ids[2])):
        with pytest.raises(ValidationError, match="配分"):
            attempt()
    assert _count(env, GrantReviewer) == 5 and ids[2] in programs_panel.list_reviewers(env["admin"], env["round"].id)[4].conflicts
