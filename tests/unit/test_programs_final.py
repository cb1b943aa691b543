"""An allocated round is final: what a clerk's walk-through found — decisions reversed after the
letters, reviewers and applications added after the review started, a refused step that still
wrote, a sheet imported twice, a future application — each refused with its reason, nothing
written; an administrator's audited reopening is the only way back, and the letters of the
next allocation carry a new number."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import delete, func, select
from test_programs_service import REVIEWERS, _apply_all, _panel, _score_file, env  # noqa: F401
from test_review_rules import CRITERIA, TOTALS, _points

from center_app.db.models import AuditEntry
from center_app.db.programs import GrantApplication, GrantConflict, GrantReviewer, GrantRound, GrantScore
from center_app.domain.documents import Issuer
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.programs import DECISION, REJECTION, ApplicationStatus
from center_app.services import programs, programs_panel, review

pytestmark = pytest.mark.postgres


def _allocated(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    review.rank_round(env["admin"], env["round"].id)
    review.allocate_round(env["admin"], env["round"].id)
    return ids


def _reviewer(env, name):
    with env["db"].read() as session:
        return session.scalar(select(GrantReviewer.id).where(GrantReviewer.name == name))


def _decisions(env):
    with env["db"].read() as session:
        return dict(session.execute(select(GrantApplication.id, GrantApplication.status).order_by(GrantApplication.id)).all())


def _count(env, model):
    with env["db"].read() as session:
        return session.scalar(select(func.count()).select_from(model))


def _letters(env):
    return {letter.number: letter.kind for letter in review.grant_letters(env["admin"], env["round"].id, Issuer("センター", "", "", ""))}


def test_an_allocated_round_refuses_every_change_of_its_decisions(env):
    ids = _allocated(env)
    before, scores = _decisions(env), _count(env, GrantScore)
    changed = _score_file(env["tmp"] / "changed.xlsx", ids, [(ids[2], REVIEWERS[0], _points(50))])
    for attempt in (
        lambda: review.import_scores(env["admin"], env["round"].id, changed, replace=True),
        lambda: review.enter_sheet(env["admin"], ids[2], _reviewer(env, REVIEWERS[0]), _points(50)),
        lambda: review.rank_round(env["admin"], env["round"].id),
        lambda: review.allocate_round(env["admin"], env["round"].id),
        lambda: programs_panel.add_reviewer(env["admin"], env["round"].id, "新しい 委員"),
        lambda: programs_panel.declare_conflict(env["admin"], _reviewer(env, REVIEWERS[0]), ids[3]),
    ):
        with pytest.raises(ValidationError, match="配分"):
            attempt()
    assert _decisions(env) == before and _count(env, GrantScore) == scores
    with env["db"].read() as session:
        assert session.scalar(select(GrantRound.stage)) == "allocated"
        assert session.scalar(select(GrantApplication.granted_yen).where(GrantApplication.id == ids[8])) > 0


def test_only_an_administrators_reopening_goes_back_and_letter_numbers_keep_their_decision(env):
    ids = _allocated(env)
    first = _letters(env)
    assert first[f"令和8年度 第{ids[2]}号"] == REJECTION
    with pytest.raises(PermissionDenied):
        programs.reopen_round(env["counter"], env["round"].id, "採点の誤り")
    with pytest.raises(ValidationError, match="理由"):
        programs.reopen_round(env["admin"], env["round"].id, "  ")
    assert all(s in ("adopted", "rejected") for s in _decisions(env).values())
    programs.reopen_round(env["admin"], env["round"].id, "委員の採点に転記誤り")
    assert set(_decisions(env).values()) == {ApplicationStatus.IN_REVIEW.value}
    with env["db"].read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reopen")).one()
        assert "転記誤り" in entry.note
    with pytest.raises(ValidationError):  # no letters until allocated again
        _letters(env)
    changed = _score_file(env["tmp"] / "changed.xlsx", ids, [(ids[2], r, _points(50)) for r in REVIEWERS[:4]])
    review.import_scores(env["admin"], env["round"].id, changed, replace=True)
    review.rank_round(env["admin"], env["round"].id)
    review.allocate_round(env["admin"], env["round"].id)
    second = _letters(env)
    assert not set(first) & set(second)  # a number already sent is never reused for another decision
    assert second[f"令和8年度 第{ids[2]}号の2"] == DECISION


def test_a_round_with_a_decided_grant_cannot_be_reopened(env):
    ids = _allocated(env)
    programs.move_application(env["admin"], ids[3], ApplicationStatus.GRANT_DECIDED)
    with pytest.raises(ValidationError, match="交付決定"):
        programs.reopen_round(env["admin"], env["round"].id, "やり直し")
    assert _decisions(env)[ids[3]] == ApplicationStatus.GRANT_DECIDED.value


def test_a_reviewer_with_a_conflict_outside_the_round_is_not_written(env):
    ids = _apply_all(env)
    with pytest.raises(ValidationError, match="申請99") as raised:
        programs_panel.add_reviewer(env["admin"], env["round"].id, "青木 一郎", conflicts=[ids[1], 99])
    assert env["round"].name in str(raised.value)
    assert _count(env, GrantReviewer) == 0 and _count(env, GrantConflict) == 0
    view = programs_panel.add_reviewer(env["admin"], env["round"].id, "青木 一郎", conflicts=[ids[1], ids[2]])
    assert view.conflicts == (ids[1], ids[2]) and _count(env, GrantConflict) == 2


def test_no_application_or_reviewer_once_the_review_has_started(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    from test_programs_service import _groups

    [late] = _groups(env["db"], 1, name="遅れた団体", name_kana="オクレタダンタイ")
    with pytest.raises(ValidationError, match="審査"):
        programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(late, "遅れた事業", 50_000))
    with pytest.raises(ValidationError, match="審査"):
        programs_panel.add_reviewer(env["admin"], env["round"].id, "遅れた 委員")
    assert _count(env, GrantApplication) == 8 and _count(env, GrantReviewer) == 5


def test_an_application_dated_in_the_future_is_refused(env):
    with pytest.raises(ValidationError, match="未来|先の日") as raised:
        programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(env["groups"][0], "事業", 50_000),
                                     received_on=dt.date(2026, 6, 3))
    assert "令和8年6月3日" in str(raised.value)
    assert _count(env, GrantApplication) == 0


def test_the_window_is_named_in_the_centers_date_style(env):
    with pytest.raises(ValidationError) as raised:
        programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(env["groups"][0], "事業", 50_000),
                                     received_on=dt.date(2026, 4, 30))
    assert "令和8年5月1日" in str(raised.value) and "2026-05-01" not in str(raised.value)


def test_a_sheet_imported_again_is_refused_unless_replacing(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    path = _score_file(env["tmp"] / "scores.xlsx", ids)
    assert review.import_scores(env["admin"], env["round"].id, path) == 38
    changed = _score_file(env["tmp"] / "changed.xlsx", ids, [(ids[1], REVIEWERS[0], _points(20))])
    with pytest.raises(ValidationError, match="--replace") as raised:
        review.import_scores(env["admin"], env["round"].id, changed)
    assert [p.row for p in raised.value.problems] == [2]
    with env["db"].read() as session:
        total = session.scalar(select(func.sum(GrantScore.points)).where(GrantScore.application_id == ids[1],
                                                                          GrantScore.reviewer_id == _reviewer(env, REVIEWERS[0])))
    assert total == TOTALS[1][0]
    assert review.import_scores(env["admin"], env["round"].id, changed, replace=True) == 1


def test_a_refused_ranking_writes_nothing_and_the_results_keep_the_ties(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    review.rank_round(env["admin"], env["round"].id)
    with env["db"].write() as session:  # a sheet lost: the ranking can no longer be redone
        session.execute(delete(GrantScore).where(GrantScore.application_id == ids[7], GrantScore.reviewer_id == _reviewer(env, REVIEWERS[2])))
    with env["db"].read() as session:
        stored = session.execute(select(GrantApplication.id, GrantApplication.rank, GrantApplication.score_text)).all()
    with pytest.raises(ValidationError):
        review.rank_round(env["admin"], env["round"].id)
    with env["db"].read() as session:
        assert session.execute(select(GrantApplication.id, GrantApplication.rank, GrantApplication.score_text)).all() == stored
        assert session.scalar(select(GrantRound.stage)) == "ranked"
    out = env["tmp"] / "results.xlsx"
    review.write_results(env["admin"], env["round"].id, out)
    rows = {r[3]: r for r in openpyxl.load_workbook(out).active.iter_rows(min_row=2, values_only=True)}
    assert rows[ids[1]][2] == str(ids[5]) and rows[ids[5]][2] == str(ids[1])  # 同点 as ranked


def test_score_rows_name_their_row_once(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    bad = _score_file(env["tmp"] / "bad.xlsx", ids, [(ids[1], REVIEWERS[0], {**_points(40), CRITERIA[0].name: None})])
    with pytest.raises(ValidationError) as raised:
        review.import_scores(env["admin"], env["round"].id, bad)
    [problem] = raised.value.problems
    assert problem.row == 2 and problem.message.count("2行目") == 1


def test_a_group_whose_registration_has_expired_cannot_apply(env):
    """A second walk-through: R07-0006, 登録 but valid until 2026-03-31, applied, was allocated
    ¥120,000 and settled; the booking dialog refuses such a group."""
    from center_app.db.groups import Group

    with env["db"].write() as session:
        group = session.get(Group, env["groups"][0])
        group.valid_until = dt.date(2026, 3, 31)
    with pytest.raises(ValidationError) as refused:
        programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(env["groups"][0], "事業", 50_000))
    assert "2026" in str(refused.value) or "令和8年3月31日" in str(refused.value)
    assert "更新" in str(refused.value) and _count(env, GrantApplication) == 0


def test_a_round_refuses_a_pass_mark_no_application_can_reach_and_a_cap_over_its_budget(env):
    """The default criteria give 50 points at most: a pass mark of 99,999 could never be met;
    a cap of ¥5,000 on a ¥1,000 budget is not a cap."""
    program_id = env["round"].program_id
    with pytest.raises(ValidationError) as mark:
        programs.open_round(env["admin"], program_id, "第2回", dt.date(2026, 7, 1), dt.date(2026, 7, 31), 600_000, pass_mark=99_999)
    assert "50" in str(mark.value)
    with pytest.raises(ValidationError) as cap:
        programs.open_round(env["admin"], program_id, "第3回", dt.date(2026, 7, 1), dt.date(2026, 7, 31), 1_000, cap_yen=5_000)
    assert "1,000" in str(cap.value)
    assert _count(env, GrantRound) == 1


def test_the_review_cannot_start_without_a_panel(env):
    _apply_all(env)
    with pytest.raises(ValidationError) as refused:
        programs.start_review(env["admin"], env["round"].id)
    assert "審査委員" in str(refused.value)
    assert set(_decisions(env).values()) == {ApplicationStatus.RECEIVED.value}
