"""What the 補助金・協働 forms call: a round edited with its version (refused once the review
started or when another PC saved first), a reviewer's score grid saved all or nothing with the
import's rules, the declared conflicts with their reasons, and a status moved from a stale view."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from test_programs_service import REVIEWERS, _apply_all, _panel, env  # noqa: F401 - the fixture
from test_review_rules import CRITERIA, TOTALS, _points

from center_app.db.programs import GrantScore
from center_app.domain.errors import StaleEditError, ValidationError
from center_app.domain.programs import ApplicationStatus
from center_app.services import programs, programs_panel, programs_queries, review

pytestmark = pytest.mark.postgres


def _scores(env) -> int:
    with env["db"].read() as session:
        return session.scalar(select(func.count()).select_from(GrantScore))


def test_a_round_is_edited_with_its_version_until_the_review_starts(env):
    round_ = env["round"]
    changed = programs.update_round(env["admin"], round_.id, "令和8年度 第1回（延長）", dt.date(2026, 5, 1), dt.date(2026, 7, 15),
                                    "700,000", 100_000, expected_version=round_.version)
    assert (changed.name, changed.closes_on, changed.budget_yen, changed.cap_yen) == (
        "令和8年度 第1回（延長）", dt.date(2026, 7, 15), 700_000, 100_000)
    with pytest.raises(StaleEditError):
        programs.update_round(env["admin"], round_.id, "第1回", dt.date(2026, 5, 1), dt.date(2026, 6, 30), 600_000, 0,
                              expected_version=round_.version)
    with pytest.raises(ValidationError) as refused:
        programs.update_round(env["admin"], round_.id, "", dt.date(2026, 6, 1), dt.date(2026, 5, 1), "0", 0,
                              expected_version=changed.version)
    assert {p.field for p in refused.value.problems} == {"name", "closes_on", "budget_yen"}
    _apply_all(env)
    programs_panel.add_reviewer(env["admin"], round_.id, "審査 一郎")  # a review starts with its panel
    programs.start_review(env["admin"], round_.id)
    with pytest.raises(ValidationError, match="受付"):
        programs.update_round(env["admin"], round_.id, "第1回", dt.date(2026, 5, 1), dt.date(2026, 6, 30), 600_000, 0,
                              expected_version=changed.version)
    assert programs_queries.get_round(env["admin"], round_.id).budget_yen == 700_000


def test_the_rules_of_settings_are_shown_on_the_round_form(env):
    rules = programs_queries.program_rules(env["counter"])
    assert (rules.cap_yen, rules.registered_only, rules.min_years) == (150_000, True, 1)


def test_a_reviewers_grid_is_saved_all_or_nothing_naming_the_row_and_criterion(env):
    ids = _apply_all(env)
    reviewers = _panel(env, ids)
    last = reviewers[4]  # conflicted on applications 2 and 6
    grid = review.score_grid(env["admin"], env["round"].id, last.id)
    assert [c.name for c in grid.criteria] == [c.name for c in CRITERIA]
    assert [(r.application_id, r.conflicted, r.conflict_reason) for r in grid.rows if r.conflicted] == [
        (ids[2], True, "団体の役員"), (ids[6], True, "団体の役員")]
    sheets = {ids[n]: _points(t[4]) for n, t in TOTALS.items() if t[4] is not None}
    bad = {**sheets, ids[1]: {**_points(40), "実現性": 11}, ids[3]: {**_points(40), "発展性": ""}}
    with pytest.raises(ValidationError) as refused:
        review.enter_reviewer_sheets(env["admin"], env["round"].id, last.id, bad)
    text = str(refused.value)
    assert f"申請{ids[1]}（事業1）" in text and "実現性" in text and "10" in text
    assert f"申請{ids[3]}（事業3）" in text and "発展性" in text
    assert _scores(env) == 0
    with pytest.raises(ValidationError, match="利益相反"):
        review.enter_reviewer_sheets(env["admin"], env["round"].id, last.id, {**sheets, ids[2]: _points(30)})
    assert _scores(env) == 0
    assert review.enter_reviewer_sheets(env["admin"], env["round"].id, last.id, sheets) == 6
    assert _scores(env) == 6 * len(CRITERIA)
    stored = review.score_grid(env["admin"], env["round"].id, last.id)
    assert dict(next(r for r in stored.rows if r.application_id == ids[1]).points) == _points(41)
    # a row emptied in the grid removes that sheet
    review.enter_reviewer_sheets(env["admin"], env["round"].id, last.id, {ids[1]: dict.fromkeys(_points(0), "")})
    assert _scores(env) == 5 * len(CRITERIA)


def test_the_conflicts_are_listed_with_their_reasons(env):
    ids = _apply_all(env)
    _panel(env, ids)
    assert [(c.reviewer_name, c.application_id, c.reason) for c in programs_panel.list_conflicts(env["admin"], env["round"].id)] == [
        (REVIEWERS[4], ids[2], "団体の役員"), (REVIEWERS[4], ids[6], "団体の役員")]


def test_a_status_moved_from_a_stale_view_is_refused(env):
    ids = _apply_all(env)
    view = programs_queries.list_applications(env["admin"], env["round"].id)[0]
    programs.update_application(env["admin"], view.id, programs.ApplicationInput(view.group_id, "新しい事業名", view.requested_yen),
                                expected_version=view.version)
    with pytest.raises(StaleEditError):
        programs.move_application(env["admin"], view.id, ApplicationStatus.IN_REVIEW, expected_version=view.version)
    assert programs_queries.list_applications(env["admin"], env["round"].id)[0].status is ApplicationStatus.RECEIVED
    assert ids
