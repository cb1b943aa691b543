"""A funding round end to end through the services: 8 applications, 5 reviewers (one
conflicted on two), scores imported from the XLSX the reviewers filled in, ranking and
allocation as computed by hand (tests/unit/test_review_rules.py), and the refusals."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from bookings_support import context, seeded_database
from sqlalchemy import func, select
from test_review_rules import CRITERIA, EXPECTED, REQUESTED, TOTALS, _points

from center_app.db.groups import Group
from center_app.db.models import AuditEntry
from center_app.db.programs import GrantApplication, GrantScore
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.programs import ApplicationStatus, ProgramKind
from center_app.domain.roles import Role
from center_app.services import programs, programs_figures, programs_panel, review

TODAY = dt.date(2026, 6, 2)
pytestmark = pytest.mark.postgres
REVIEWERS = ["青木 一郎", "井上 花子", "上田 次郎", "江藤 三恵", "大野 四郎"]


def _groups(db, count=8, **extra):
    ids = []
    with db.write() as session:
        for n in range(1, count + 1):
            values = {"name": f"団体{n}", "name_kana": f"ダンタイ{n}", "legal_form": "任意団体", "status": "registered",
                      "founded_on": dt.date(2018, 4, 1), **extra}
            group = Group(**values)
            session.add(group)
            session.flush()
            ids.append(group.id)
    return ids


@pytest.fixture
def env(tmp_path, clock):
    clock(TODAY)
    db = seeded_database(tmp_path)
    admin = context(db, Role.ADMIN, "管理 太郎")
    counter = context(db, Role.COUNTER, "窓口 花子")
    program = programs.create_program(admin, "市民活動支援補助金", ProgramKind.SUBSIDY)
    round_ = programs.open_round(admin, program.id, "令和8年度 第1回", dt.date(2026, 5, 1), dt.date(2026, 6, 30), 600_000)
    groups = _groups(db)
    yield {"db": db, "admin": admin, "counter": counter, "round": round_, "groups": groups, "tmp": tmp_path}
    db.dispose()


def _apply_all(env) -> dict[int, int]:
    """Application number of the hand table (1–8) → stored id."""
    ids = {}
    for n, group_id in zip(TOTALS, env["groups"], strict=True):
        view = programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(
            group_id, f"事業{n}", REQUESTED[n], field_code=1 + n % 3, budget_lines=[("講師謝礼", REQUESTED[n]), ("会場費", 10_000)],
            documents={"申請書": True, "事業計画書": True, "収支予算書": n != 4}))
        ids[n] = view.id
    return ids


def _panel(env, ids):
    reviewers = [programs_panel.add_reviewer(env["admin"], env["round"].id, name) for name in REVIEWERS]
    for n, totals in TOTALS.items():
        for reviewer, total in zip(reviewers, totals, strict=True):
            if total is None:
                programs_panel.declare_conflict(env["admin"], reviewer.id, ids[n], "団体の役員")
    return reviewers


def _score_file(path, ids, rows=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["申請番号", "審査委員", *(c.name for c in CRITERIA)])
    if rows is None:
        rows = [(ids[n], REVIEWERS[r], _points(total)) for n, totals in TOTALS.items()
                for r, total in enumerate(totals) if total is not None]
    for app_id, reviewer, points in rows:
        sheet.append([app_id, reviewer, *(points.get(c.name) for c in CRITERIA)])
    book.save(path)
    return path


def test_the_round_runs_end_to_end_as_computed_by_hand(env):
    ids = _apply_all(env)
    _panel(env, ids)
    assert programs.start_review(env["admin"], env["round"].id) == 8
    assert review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids)) == 38
    review.rank_round(env["admin"], env["round"].id)
    results = review.allocate_round(env["admin"], env["round"].id)
    number = {stored: n for n, stored in ids.items()}
    got = [(number[r.application_id], r.score_text, r.rank, tuple(number[t] for t in r.tied_with), r.granted_yen,
            "funded" if r.granted_yen else "budget") for r in results.rows]
    assert [g[:5] for g in got] == [e[:5] for e in EXPECTED]
    assert results.granted_total_yen == 600_000
    statuses = {number[r.application_id]: r.status for r in results.rows}
    assert [n for n, s in statuses.items() if s is ApplicationStatus.ADOPTED] == [3, 1, 5, 6, 8]
    a2 = next(r for r in results.rows if number[r.application_id] == 2)
    assert a2.excluded == ("大野 四郎",)
    assert [(line.reviewer, line.total, line.dropped, line.share_text) for line in a2.lines] == [
        ("青木 一郎", 35, "", "17.50"), ("井上 花子", 37, "highest", "0.00"), ("上田 次郎", 36, "", "18.00"), ("江藤 三恵", 30, "lowest", "0.00")]
    with env["db"].read() as session:
        actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.entity.like("grant_%"))))
    assert {"create", "status", "rank", "allocate"} <= actions


def test_a_bad_score_file_names_every_bad_row_and_writes_nothing(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    rows = [
        (ids[1], REVIEWERS[0], _points(40)),
        (ids[1], REVIEWERS[1], {**_points(40), "公益性": 11}),     # row 3: above the maximum
        (ids[2], REVIEWERS[4], _points(40)),                       # row 4: conflicted reviewer
        (ids[3], REVIEWERS[0], {**_points(40), "発展性": None}),   # row 5: a missing score
        (ids[3], "知らない人", _points(40)),                        # row 6: not on the panel
    ]
    with pytest.raises(ValidationError) as raised:
        review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "bad.xlsx", ids, rows))
    problems = raised.value.problems
    assert sorted({p.row for p in problems}) == [3, 4, 5, 6]
    text = str(raised.value)
    assert "3行目" in text and "上限" in text and "利益相反" in text and "発展性" in text and "知らない人" in text
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantScore)) == 0


def test_a_missing_sheet_refuses_the_ranking_naming_it(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    rows = [(ids[n], REVIEWERS[r], _points(t)) for n, totals in TOTALS.items() for r, t in enumerate(totals)
            if t is not None and (n, r) != (7, 2)]
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids, rows))
    with pytest.raises(ValidationError, match="上田 次郎"):
        review.rank_round(env["admin"], env["round"].id)
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantApplication).where(GrantApplication.rank.is_not(None))) == 0


def test_a_conflicted_reviewer_cannot_enter_a_sheet_and_scores_are_checked(env):
    ids = _apply_all(env)
    reviewers = _panel(env, ids)
    with pytest.raises(ValidationError, match="利益相反"):
        review.enter_sheet(env["admin"], ids[2], reviewers[4].id, _points(40))
    with pytest.raises(ValidationError, match="上限"):
        review.enter_sheet(env["admin"], ids[1], reviewers[0].id, {**_points(40), "実現性": 12})
    review.enter_sheet(env["admin"], ids[1], reviewers[0].id, _points(40))
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantScore)) == 5


def test_an_application_after_the_window_is_refused(env):
    with pytest.raises(ValidationError, match="受付期間"):
        programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(env["groups"][0], "遅い事業", 50_000),
                                     received_on=dt.date(2026, 7, 1))
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantApplication)) == 0


def test_eligibility_from_the_settings_is_applied(env):
    [young] = _groups(env["db"], 1, name="新しい団体", name_kana="アタラシイダンタイ", founded_on=dt.date(2026, 1, 10))
    with pytest.raises(ValidationError, match="1年"):
        programs.receive_application(env["counter"], env["round"].id, programs.ApplicationInput(young, "事業", 50_000))


def test_a_grant_is_decided_by_the_allocation_only(env):
    ids = _apply_all(env)
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    review.rank_round(env["admin"], env["round"].id)
    review.allocate_round(env["admin"], env["round"].id)
    programs.reopen_round(env["admin"], env["round"].id, "審査会で配分を見直し")
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantApplication).where(GrantApplication.granted_yen.is_not(None))) == 0


def test_the_status_flow_and_the_counter_staffs_part(env):
    ids = _apply_all(env)
    _panel(env, ids)
    with pytest.raises(PermissionDenied):
        programs.start_review(env["counter"], env["round"].id)
    programs.start_review(env["admin"], env["round"].id)
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    review.rank_round(env["admin"], env["round"].id)
    review.allocate_round(env["admin"], env["round"].id)
    with pytest.raises(ValidationError):
        programs.move_application(env["admin"], ids[2], ApplicationStatus.GRANT_DECIDED)  # 不採択 is final
    programs.move_application(env["admin"], ids[3], ApplicationStatus.GRANT_DECIDED)
    with pytest.raises(ValidationError, match="交付決定"):  # the ranking is final now
        review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    with pytest.raises(ValidationError, match="実績"):
        programs.move_application(env["admin"], ids[3], ApplicationStatus.REPORTED)
    view = programs.move_application(env["admin"], ids[3], ApplicationStatus.REPORTED, actual_spend_yen="120,000")
    assert view.actual_spend_yen == 120_000
    assert programs.move_application(env["admin"], ids[3], ApplicationStatus.SETTLED).status is ApplicationStatus.SETTLED


def test_fiscal_year_figures_by_program_and_field(env):
    ids = _apply_all(env)  # fields: A3, A6 → 1; A1, A4, A7 → 2; A2, A5, A8 → 3
    _panel(env, ids)
    programs.start_review(env["admin"], env["round"].id)
    review.import_scores(env["admin"], env["round"].id, _score_file(env["tmp"] / "scores.xlsx", ids))
    review.rank_round(env["admin"], env["round"].id)
    review.allocate_round(env["admin"], env["round"].id)
    for n in (3, 1):
        programs.move_application(env["admin"], ids[n], ApplicationStatus.GRANT_DECIDED)
    programs.move_application(env["admin"], ids[3], ApplicationStatus.REPORTED, actual_spend_yen=120_000)
    programs.move_application(env["admin"], ids[3], ApplicationStatus.SETTLED)
    figures = programs_figures.fiscal_year_figures(env["admin"], 2026)
    lines = [(f.applications, f.adopted, f.granted_yen, f.paid_yen) for f in figures]
    # field 1: A3 (decided 150,000, settled at 120,000 spent: 30,000 returned) and A6 (adopted, not decided yet)
    assert (2, 2, 150_000, 120_000) in lines
    assert (3, 1, 150_000, 150_000) in lines  # field 2: A1 decided; A4, A7 not adopted
    assert figures[-1].program_name == "合計" and lines[-1] == (8, 5, 300_000, 270_000)
    assert programs_figures.fiscal_year_figures(env["admin"], 2025) == []
