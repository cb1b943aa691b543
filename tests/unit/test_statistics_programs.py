"""The fiscal-year usage report carries the figures of the city's 協働推進 report — the grants by
program and 活動分野 (applications, adopted, yen granted and paid) and the 共催 / 後援 approved —
checked against a hand-computed table, on the screen's tables and in the XLSX, CSV and PDF; a
month has none of it, and counter staff get a note instead."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from bookings_support import context, seeded_database
from sqlalchemy import select

from center_app.db.groups import ActivityField, Group
from center_app.db.programs import GrantApplication
from center_app.domain.programs import ProgramKind
from center_app.domain.roles import Role
from center_app.domain.statistics_values import Period
from center_app.export import write_report
from center_app.export.tables import build_report
from center_app.services import endorsements, programs, statistics

sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, pdf_text  # noqa: E402

pytestmark = pytest.mark.postgres

SUBSIDY, PROPOSAL = "市民活動支援補助金", "協働事業提案制度"
#: The applications: (program, 活動分野 code or None, status, granted yen, actual spend yen).
APPLICATIONS_2026 = [
    (SUBSIDY, 1, "grant_decided", 150_000, None),   # decided: granted and paid 150,000
    (SUBSIDY, 1, "settled", 100_000, 80_000),       # settled under the grant: 20,000 returned, paid 80,000
    (SUBSIDY, 2, "rejected", None, None),            # counted as an application only
    (SUBSIDY, None, "adopted", 50_000, None),        # adopted, not decided yet: no yen
    (PROPOSAL, 2, "reported", 300_000, 310_000),     # reported, not settled: the grant is paid, nothing returned
]
APPLICATIONS_2025 = [(SUBSIDY, 1, "settled", 90_000, 90_000)]  # another fiscal year: left out


def _hand_table(fields: dict[int, str]) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """(program, field) → (applications, adopted, granted yen, paid yen), worked out by hand."""
    return {
        (SUBSIDY, fields[1]): (2, 2, 150_000 + 100_000, 150_000 + 80_000),
        (SUBSIDY, fields[2]): (1, 0, 0, 0),
        (SUBSIDY, "（分野の記載なし）"): (1, 1, 0, 0),
        (PROPOSAL, fields[2]): (1, 1, 300_000, 300_000),
    }


def _round(admin, db, program_ids, fiscal_year, applications, clock):
    clock(dt.datetime(fiscal_year, 5, 10, 10, 0))
    rounds = {name: programs.open_round(admin, pid, f"{fiscal_year}年度", dt.date(fiscal_year, 5, 1), dt.date(fiscal_year, 6, 30),
                                        1_000_000).id for name, pid in program_ids.items()}
    received: list[int] = []
    for n, (program, field, status, granted, spent) in enumerate(applications):
        with db.write() as session:
            group = Group(name=f"団体{fiscal_year}-{n}", name_kana=f"ダンタイ{n}", legal_form="任意団体", status="registered",
                          founded_on=dt.date(2015, 4, 1))
            session.add(group)
            session.flush()
            group_id = group.id
        received.append(programs.receive_application(admin, rounds[program], programs.ApplicationInput(group_id, f"事業{n}", 100_000, field)).id)
    # the review's outcome, as the round's steps leave it (set once every application is in:
    # none is received after the review has started)
    for application_id, (_program, _field, status, granted, spent) in zip(received, applications):
        with db.write() as session:
            row = session.get(GrantApplication, application_id)
            row.status, row.granted_yen, row.actual_spend_yen = status, granted, spent


@pytest.fixture
def env(tmp_path, clock):
    db = seeded_database(tmp_path)
    admin = context(db, Role.ADMIN, "管理 太郎")
    program_ids = {SUBSIDY: programs.create_program(admin, SUBSIDY, ProgramKind.SUBSIDY).id,
                   PROPOSAL: programs.create_program(admin, PROPOSAL, ProgramKind.PROPOSAL).id}
    _round(admin, db, program_ids, 2025, APPLICATIONS_2025, clock)
    old = endorsements.apply_endorsement(admin, "support", "団体X", event_title="昨年度の行事", event_date=dt.date(2025, 8, 1))
    endorsements.decide_endorsement(admin, old.id, True)  # approved in 令和7年度: not counted
    _round(admin, db, program_ids, 2026, APPLICATIONS_2026, clock)
    for kind, approve in (("support", True), ("support", True), ("cohost", True), ("support", False), ("cohost", None)):
        applied = endorsements.apply_endorsement(admin, kind, "団体Y", event_title="行事", event_date=dt.date(2026, 9, 1))
        if approve is not None:
            endorsements.decide_endorsement(admin, applied.id, approve, reason="" if approve else "営利目的のため。")
    with db.read() as session:
        fields = dict(session.execute(select(ActivityField.code, ActivityField.name)).all())
    yield {"db": db, "admin": admin, "fields": fields, "tmp": tmp_path}
    db.dispose()


def test_the_fiscal_year_report_has_the_grants_and_the_endorsements(env):
    report = build_report(statistics.summarize(env["admin"], Period.of_fiscal_year(2026)))
    grants = report.table("grants")
    assert [c.header for c in grants.columns] == ["事業", "活動分野", "申請件数", "採択件数", "交付決定額（円）", "支払額（円）"]
    assert {(r[0], r[1]): tuple(r[2:]) for r in grants.rows} == _hand_table(env["fields"])
    assert grants.total == ("合計", "", 5, 4, 550_000, 530_000)
    assert report.table("endorsements").rows == (("共催", 1), ("後援", 2)) and report.table("endorsements").total == ("合計", 3)
    overview = dict(report.table("overview").rows)
    assert (overview["交付決定額（円）"], overview["支払額（円）"], overview["共催の承認件数"], overview["後援の承認件数"]) == (550_000, 530_000, 1, 2)


def test_the_exports_carry_the_same_figures(env):
    report = build_report(statistics.summarize(env["admin"], Period.of_fiscal_year(2026)))
    xlsx, csv, pdf = (env["tmp"] / f"report.{fmt}" for fmt in ("xlsx", "csv", "pdf"))
    for path in (xlsx, csv, pdf):
        write_report(report, path, path.suffix[1:])
    sheet = openpyxl.load_workbook(xlsx)["事業・活動分野別の補助金"]
    values = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert ["合計", 5, 4, 550_000, 530_000] in values and [PROPOSAL, env["fields"][2], 1, 1, 300_000, 300_000] in values
    text = csv.read_text(encoding="utf-8-sig")
    assert "事業・活動分野別の補助金" in text and f"{SUBSIDY},{env['fields'][1]},2,2,250000,230000" in text
    assert "共催・後援の承認件数" in text
    printed = compact(pdf_text(pdf.read_bytes()))
    assert "事業・活動分野別の補助金" in printed and "550,000" in printed and "共催・後援の承認件数" in printed
    Path("/tmp/statistics-programs.pdf").write_bytes(pdf.read_bytes())


def test_a_month_and_counter_staff_have_none_of_it(env):
    keys = [t.key for t in build_report(statistics.summarize(env["admin"], Period.of_month(2026, 6))).tables]
    assert "grants" not in keys and "endorsements" not in keys
    summary = statistics.summarize(context(env["db"], Role.COUNTER), Period.of_fiscal_year(2026))
    assert summary.programs is None
    assert "補助金と共催・後援の件数は、コーディネーターと管理者にだけ表示されます。" in summary.notes
