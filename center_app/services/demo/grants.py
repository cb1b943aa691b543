"""A demo funding round: 市民活動支援補助金 with this fiscal year's first round (open from a month
ago to a month ahead, budget 600,000 yen, 設定's cap), 8 applications of registered groups in
審査, a panel of 5 — the last one conflicted on two applications — and every sheet scored, so
the 補助金・協働 screens show a round ready to rank."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from center_app.db.programs import GrantApplication, GrantConflict, GrantProgram, GrantReviewer, GrantRound, GrantScore
from center_app.domain import center_settings as spec
from center_app.domain.fiscal import fiscal_year_label, fiscal_year_of
from center_app.domain.programs import APPLICATION_DOCUMENTS, ApplicationStatus, ProgramKind
from center_app.domain.review import parse_criteria
from center_app.services import center_settings as settings

REVIEWERS = (("青木 一郎", "大学教員"), ("井上 花子", "市民委員"), ("上田 次郎", "税理士"), ("江藤 三恵", "NPO職員"),
             ("大野 四郎", "自治会連合会"))
PROJECTS = ("子ども食堂の運営", "高齢者の見守り", "川辺の清掃と観察会", "外国人のための日本語教室", "地域の防災訓練",
            "障がい者のスポーツ交流", "商店街の多世代サロン", "放課後の学習支援")
AMOUNTS = (200_000, 90_000, 150_000, 50_000, 100_000, 120_000, 60_000, 80_000)


def generate(session: Session, rng: random.Random, today: dt.date, groups: list[dict]) -> int:
    """Insert the demo round; returns the number of applications (0 without registered groups)."""
    registered = [g for g in groups if g.get("status") == "registered" and g.get("id")]
    if len(registered) < len(PROJECTS):
        return 0
    values = settings.get_many(session, [spec.REVIEW_CRITERIA, spec.REVIEW_AGGREGATION, spec.GRANT_CAP_YEN])
    criteria = parse_criteria(values[spec.REVIEW_CRITERIA.key])
    program = GrantProgram(name="市民活動支援補助金", kind=ProgramKind.SUBSIDY.value, description="公益的な市民活動への補助")
    session.add(program)
    session.flush()
    round_ = GrantRound(program_id=program.id, name=f"{fiscal_year_label(fiscal_year_of(today))} 第1回", fiscal_year=fiscal_year_of(today),
                        opens_on=today - dt.timedelta(days=30), closes_on=today + dt.timedelta(days=30), budget_yen=600_000,
                        cap_yen=values[spec.GRANT_CAP_YEN.key], criteria_text=values[spec.REVIEW_CRITERIA.key],
                        aggregation=values[spec.REVIEW_AGGREGATION.key])
    session.add(round_)
    session.flush()
    apps = []
    for index, (project, amount, group) in enumerate(zip(PROJECTS, AMOUNTS, rng.sample(registered, len(PROJECTS)), strict=True)):
        app = GrantApplication(round_id=round_.id, group_id=group["id"], project_title=project, field_code=1 + index % 5,
                               budget_lines=[{"item": "講師謝礼", "amount_yen": amount}, {"item": "会場費", "amount_yen": 20_000}],
                               requested_yen=amount, documents={name: index != 3 or name != "役員名簿" for name in APPLICATION_DOCUMENTS},
                               received_on=today - dt.timedelta(days=20 - index), status=ApplicationStatus.IN_REVIEW.value)
        session.add(app)
        apps.append(app)
    session.flush()
    for number, (name, affiliation) in enumerate(REVIEWERS):
        reviewer = GrantReviewer(round_id=round_.id, name=name, affiliation=affiliation)
        session.add(reviewer)
        session.flush()
        for index, app in enumerate(apps):
            if number == len(REVIEWERS) - 1 and index in (1, 5):
                session.add(GrantConflict(reviewer_id=reviewer.id, application_id=app.id, reason="申請団体の役員"))
                continue
            for criterion in criteria:
                session.add(GrantScore(application_id=app.id, reviewer_id=reviewer.id, criterion=criterion.name,
                                       points=rng.randint(max(0, criterion.max_points // 2), criterion.max_points)))
    return len(apps)
