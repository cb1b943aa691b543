"""A funding round from the command line as a script runs it: program, round, 8 applications,
5 reviewers (one conflicted on two), the score template filled in and imported, rank, allocate,
the letters, the public results (PDF and XLSX) and a 実績報告 check — the exit statuses of the
contract and what the documents say."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.groups import Group
from center_app.db.programs import GrantScore
from center_app.domain.roles import Role
from center_app.services import auth
from center_app.services.context import ServiceContext
from center_app.services.staff import create_staff

sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, pdf_text  # noqa: E402
from test_review_rules import EXPECTED, REQUESTED, TOTALS, _points  # noqa: E402

pytestmark = pytest.mark.postgres
REVIEWERS = ["青木 一郎", "井上 花子", "上田 次郎", "江藤 三恵", "大野 四郎"]


def run(capsys, monkeypatch, url, *argv, password="boss-password-1"):
    monkeypatch.setenv("CENTER_APP_PASSWORD", password)
    try:
        status = main(["--database-url", url, *argv])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def env(db, clock, capsys, monkeypatch):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    admin = auth.create_first_admin(db, "boss", "センター 長子", "boss-password-1", "boss-password-1")
    create_staff(ServiceContext(db, admin), "clerk", "窓口 花子", Role.COUNTER, "clerk-password-1", "clerk-password-1")
    with db.write() as session:
        for n in range(1, 9):
            session.add(Group(name=f"みどりの会{n}", name_kana=f"ミドリノカイ{n}", legal_form="任意団体", status="registered",
                              registration_no=f"R08-{n:04d}", representative_name=f"代表 {n}郎", founded_on=dt.date(2019, 5, 1)))

    def cli(*argv, password="boss-password-1"):
        return run(capsys, monkeypatch, db.url, *argv, password=password)

    return {"db": db, "cli": cli}


def _id(out: str) -> int:
    return int(out.split(":")[0].split()[-1])


def test_a_round_from_the_command_line(env, tmp_path):
    cli = env["cli"]
    status, out, err = cli("grants", "add-program", "市民活動支援補助金", "--as", "boss")
    assert status == 0, err
    program = _id(out)
    status, out, err = cli("grants", "open-round", "--program", str(program), "--name", "令和8年度 第1回", "--opens", "2026-05-01",
                           "--closes", "2026-06-30", "--budget", "600000", "--as", "boss")
    assert status == 0, err
    round_id = _id(out)
    apps = {}
    for n in TOTALS:
        status, out, err = cli("grants", "apply", "--round", str(round_id), "--group", f"R08-{n:04d}", "--project", f"子ども食堂{n}",
                               "--amount", str(REQUESTED[n]), "--field", "2", "--document", "申請書", "--document", "事業計画書",
                               "--as", "clerk", password="clerk-password-1")
        assert status == 0, err
        apps[n] = _id(out)
    from center_app.services import programs_queries

    assert programs_queries.list_applications(ServiceContext(env["db"], auth.sign_in(env["db"], "boss", "boss-password-1")), round_id)[0].documents == (
        ("事業計画書", True), ("申請書", True))
    status, out, err = cli("grants", "apply", "--round", str(round_id), "--group", "R08-0001", "--project", "遅い", "--amount", "1000",
                           "--date", "2026-07-01", "--as", "clerk", password="clerk-password-1")
    assert status == 1 and "受付期間外" in err
    status, _out, err = cli("grants", "start-review", "--round", str(round_id), "--as", "clerk", password="clerk-password-1")
    assert status == 3
    for r, name in enumerate(REVIEWERS):
        conflicts = [str(apps[n]) for n, totals in TOTALS.items() if totals[r] is None]
        args = [x for c in conflicts for x in ("--conflict", c)]
        status, out, err = cli("grants", "add-reviewer", "--round", str(round_id), name, *args, "--as", "boss")
        assert status == 0, err
    assert cli("grants", "start-review", "--round", str(round_id), "--as", "boss")[0] == 0

    template = tmp_path / "採点表.xlsx"
    status, out, err = cli("grants", "score-template", "--round", str(round_id), "--output", str(template), "--as", "boss")
    assert status == 0, err
    book = openpyxl.load_workbook(template)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    number = {str(v): k for k, v in apps.items()}
    for row in sheet.iter_rows(min_row=2):
        n, reviewer = number[str(row[0].value)], REVIEWERS.index(row[1].value)
        for cell, name in zip(row[2:], header[2:], strict=True):
            cell.value = _points(TOTALS[n][reviewer])[name]
    assert sheet.max_row == 1 + 38  # the two conflicted pairs are not in the template
    bad = tmp_path / "bad.xlsx"
    sheet.cell(3, 3).value = 11
    book.save(bad)
    status, out, err = cli("grants", "import-scores", "--round", str(round_id), str(bad), "--as", "boss")
    assert status == 1 and "3行目" in err and "上限" in err
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantScore)) == 0
    sheet.cell(3, 3).value = _points(TOTALS[number[str(sheet.cell(3, 1).value)]][REVIEWERS.index(sheet.cell(3, 2).value)])[header[2]]
    book.save(template)
    status, out, err = cli("grants", "import-scores", "--round", str(round_id), str(template), "--as", "boss")
    assert status == 0, err
    assert "38" in out

    assert cli("grants", "allocate", "--round", str(round_id), "--as", "boss")[0] == 1  # not ranked yet
    status, out, err = cli("grants", "rank", "--round", str(round_id), "--as", "boss")
    assert status == 0, err
    status, out, err = cli("grants", "allocate", "--round", str(round_id), "--as", "boss")
    assert status == 0, err
    lines = out.strip().splitlines()
    assert [(int(line.split("\t")[2]), line.split("\t")[1]) for line in lines[:8]] == [(apps[e[0]], e[1]) for e in EXPECTED]
    assert "600,000" in lines[-1]

    letters = tmp_path / "letters.pdf"
    status, out, err = cli("grants", "letters", "--round", str(round_id), "--output", str(letters), "--as", "boss")
    assert status == 0, err
    text = compact(pdf_text(letters.read_bytes()))
    assert text.count("交付決定通知書") == 5 and text.count("不採択通知") == 3
    assert "金150,000円" in text and "子ども食堂3" in text and "代表3郎様" in text

    results = tmp_path / "results.pdf"
    status, out, err = cli("grants", "results", "--round", str(round_id), "--output", str(results), "--as", "boss")
    assert status == 0, err
    text = compact(pdf_text(results.read_bytes()))
    assert "審査結果" in text and "45.00" in text and "600,000" in text
    assert "2同子ども食堂1" in text and "2同子ども食堂5" in text  # the tie is named
    assert not any(compact(name) in text for name in REVIEWERS)
    public = tmp_path / "results.xlsx"
    assert cli("grants", "results", "--round", str(round_id), "--output", str(public), "--public", "--as", "boss")[0] == 0
    cells = [c for row in openpyxl.load_workbook(public).active.iter_rows(values_only=True) for c in row]
    assert not any(isinstance(c, str) and any(name in c for name in REVIEWERS) for c in cells)
    internal = tmp_path / "internal.xlsx"
    assert cli("grants", "results", "--round", str(round_id), "--output", str(internal), "--as", "boss")[0] == 0
    rows = list(openpyxl.load_workbook(internal).active.iter_rows(values_only=True))
    a2 = next(r for r in rows[1:] if r[3] == apps[2])
    assert "井上 花子 37（最高点・除外） → 0.00" in a2[9] and "利益相反: 大野 四郎" in a2[9]

    assert cli("grants", "move", "--application", str(apps[3]), "--to", "grant_decided", "--as", "boss")[0] == 0
    assert cli("grants", "move", "--application", str(apps[3]), "--to", "reported", "--spent", "120000", "--as", "boss")[0] == 0
    check = tmp_path / "check.pdf"
    status, out, err = cli("grants", "report-check", "--application", str(apps[3]), "--output", str(check), "--as", "boss")
    assert status == 0, err
    text = compact(pdf_text(check.read_bytes()))
    assert "金150,000円" in text and "金120,000円" in text and "返還額金30,000円" in text
    status, out, err = cli("grants", "figures", "--year", "2026", "--as", "boss")
    assert status == 0, err
    assert out.strip().splitlines()[-2].split("\t") == ["合計", "", "8", "5", "150,000", "150,000"]
    assert out.strip().splitlines()[-1] == "共催の承認: 0件、後援の承認: 0件"

    status, out, err = cli("grants", "endorse", "--kind", "support", "--applicant", "みどりの会1", "--title", "環境フォーラム",
                           "--date", "2026-08-01", "--as", "clerk", password="clerk-password-1")
    assert status == 0, err
    endorsement = _id(out)
    assert cli("grants", "endorse-decide", str(endorsement), "--approve", "--as", "clerk", password="clerk-password-1")[0] == 3
    status, out, err = cli("grants", "endorse-decide", str(endorsement), "--approve", "--exemption", "no_such", "--as", "boss")
    assert status == 1 and "no_such" in err
    status, out, err = cli("grants", "endorse-decide", str(endorsement), "--approve", "--conditions", "営利目的の物品販売をしないこと。",
                           "--as", "boss")
    assert status == 0 and "承認" in out, err
    endorse_letter = tmp_path / "endorse.pdf"
    assert cli("grants", "endorse-letter", str(endorsement), "--output", str(endorse_letter), "--as", "boss")[0] == 0
    assert "営利目的の物品販売をしないこと。" in compact(pdf_text(endorse_letter.read_bytes()))
    assert cli("grants", "figures", "--year", "2026", "--as", "boss")[1].strip().splitlines()[-1] == "共催の承認: 0件、後援の承認: 1件"
    for pdf in (letters, results, check):
        (Path("/tmp") / f"grants-{pdf.name}").write_bytes(pdf.read_bytes())


def test_the_walk_through_refusals_from_the_command_line(env, tmp_path):
    """What a clerk's walk-through found, through the real commands: each refusal names its
    reason once and writes nothing; an allocated round goes back only by ``reopen``."""
    from center_app.db.programs import GrantReviewer

    cli = env["cli"]
    status, out, err = cli("grants", "open-round", "--program", "99", "--name", "第1回", "--opens", "2026-05-01",
                           "--closes", "2026-06-30", "--budget", "600000", "--as", "boss")
    assert status == 1 and "事業99はありません" in err and "読み込み直して" not in err
    program = _id(cli("grants", "add-program", "市民活動支援補助金", "--as", "boss")[1])
    round_id = _id(cli("grants", "open-round", "--program", str(program), "--name", "令和8年度 第1回", "--opens", "2026-05-01",
                       "--closes", "2026-06-30", "--budget", "600000", "--as", "boss")[1])
    status, out, err = cli("grants", "apply", "--round", str(round_id), "--group", "R08-0001", "--project", "未来の事業",
                           "--amount", "1000", "--date", "2027-01-10", "--as", "clerk", password="clerk-password-1")
    assert status == 1 and "令和9年1月10日" in err
    status, out, err = cli("grants", "apply", "--round", str(round_id), "--group", "R08-0001", "--project", "遅い", "--amount", "1000",
                           "--date", "2026-04-30", "--as", "clerk", password="clerk-password-1")
    assert status == 1 and "令和8年5月1日" in err and "2026-05-01" not in err
    apps = {}
    for n in TOTALS:
        status, out, err = cli("grants", "apply", "--round", str(round_id), "--group", f"R08-{n:04d}", "--project", f"事業{n}",
                               "--amount", str(REQUESTED[n]), "--as", "clerk", password="clerk-password-1")
        assert status == 0, err
        assert ("上限" in err) == (REQUESTED[n] > 150_000)  # accepted, the allocation caps it: said at once
        apps[n] = _id(out)
    status, out, err = cli("grants", "add-reviewer", "--round", str(round_id), "青木 一郎", "--conflict", str(apps[1]),
                           "--conflict", "99", "--as", "boss")
    assert status == 1 and "申請99" in err and "令和8年度 第1回" in err
    with env["db"].read() as session:
        assert session.scalar(select(func.count()).select_from(GrantReviewer)) == 0
    for r, name in enumerate(REVIEWERS):
        conflicts = [x for n, totals in TOTALS.items() if totals[r] is None for x in ("--conflict", str(apps[n]))]
        assert cli("grants", "add-reviewer", "--round", str(round_id), name, *conflicts, "--as", "boss")[0] == 0
    assert cli("grants", "start-review", "--round", str(round_id), "--as", "boss")[0] == 0
    status, out, err = cli("grants", "add-reviewer", "--round", str(round_id), "遅い 委員", "--as", "boss")
    assert status == 1 and "審査が始まって" in err

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["申請番号", "審査委員", *_points(0)])
    for n, totals in TOTALS.items():
        for r, total in enumerate(totals):
            if total is not None:
                points = _points(total)
                sheet.append([apps[n], REVIEWERS[r], *points.values()])
    sheet.cell(2, 3).value = None
    bad = tmp_path / "bad.xlsx"
    book.save(bad)
    status, out, err = cli("grants", "import-scores", "--round", str(round_id), str(bad), "--as", "boss")
    assert status == 1 and err.count("2行目") == 1 and "行 2" not in err
    sheet.cell(2, 3).value = next(iter(_points(TOTALS[1][0]).values()))
    good = tmp_path / "good.xlsx"
    book.save(good)
    assert cli("grants", "import-scores", "--round", str(round_id), str(good), "--as", "boss")[0] == 0
    status, out, err = cli("grants", "import-scores", "--round", str(round_id), str(good), "--as", "boss")
    assert status == 1 and "取り込み済み" in err and "--replace" in err
    assert cli("grants", "import-scores", "--round", str(round_id), str(good), "--replace", "--as", "boss")[0] == 0
    assert cli("grants", "rank", "--round", str(round_id), "--as", "boss")[0] == 0
    assert cli("grants", "allocate", "--round", str(round_id), "--as", "boss")[0] == 0
    for argv in (("import-scores", "--round", str(round_id), str(good), "--replace"), ("rank", "--round", str(round_id)),
                 ("allocate", "--round", str(round_id))):
        status, out, err = cli("grants", *argv, "--as", "boss")
        assert status == 1 and "配分済み" in err, argv
    status, out, err = cli("grants", "reopen", "--round", str(round_id), "--reason", "転記誤り", "--as", "clerk",
                           password="clerk-password-1")
    assert status == 3
    status, out, err = cli("grants", "reopen", "--round", str(round_id), "--reason", "転記誤り", "--as", "boss")
    assert status == 0 and "審査に戻しました" in out, err
    assert cli("grants", "rank", "--round", str(round_id), "--as", "boss")[0] == 0
    status, out, err = cli("grants", "figures", "--year", "2026", "--as", "boss")
    assert status == 0 and out.splitlines()[0].split("\t")[:2] == ["事業", "活動分野"], out


def test_a_panel_named_by_mistake_is_mended_from_the_command_line(env):
    """A conflict declared, withdrawn and a reviewer taken off the panel, by the commands a
    script runs: each prints what it did, a wrong number is refused with the number named, and
    once the review has started the panel stays as it is."""
    from center_app.db.programs import GrantConflict, GrantReviewer

    cli = env["cli"]
    program = _id(cli("grants", "add-program", "市民活動支援補助金", "--as", "boss")[1])
    round_id = _id(cli("grants", "open-round", "--program", str(program), "--name", "令和8年度 第1回", "--opens", "2026-05-01",
                       "--closes", "2026-06-30", "--budget", "600000", "--as", "boss")[1])
    apps = [_id(cli("grants", "apply", "--round", str(round_id), "--group", f"R08-{n:04d}", "--project", f"事業{n}", "--amount", "50000",
                    "--as", "clerk", password="clerk-password-1")[1]) for n in (1, 2)]
    aoki = _id(cli("grants", "add-reviewer", "--round", str(round_id), "青木 一郎", "--as", "boss")[1])
    wrong = _id(cli("grants", "add-reviewer", "--round", str(round_id), "間違い 委員", "--conflict", str(apps[0]), "--as", "boss")[1])

    status, out, err = cli("grants", "declare-conflict", str(aoki), "--application", str(apps[1]), "--reason", "役員を兼ねる", "--as", "boss")
    assert status == 0 and f"申請{apps[1]}" in out, err
    status, out, err = cli("grants", "declare-conflict", str(aoki), "--application", str(apps[1]), "--reason", "別の理由", "--as", "boss")
    assert status == 0 and "記録済み" in out and "記録しました" not in out, err  # declared twice: said, nothing changed
    status, out, err = cli("grants", "declare-conflict", str(aoki), "--application", str(apps[1]), "--as", "clerk", password="clerk-password-1")
    assert status == 3
    status, out, err = cli("grants", "withdraw-conflict", str(aoki), "--application", str(apps[0]), "--as", "boss")
    assert status == 1 and f"申請{apps[0]}" in err  # never declared
    status, out, err = cli("grants", "withdraw-conflict", str(aoki), "--application", str(apps[1]), "--as", "boss")
    assert status == 0 and "取り下げ" in out, err
    status, out, err = cli("grants", "remove-reviewer", "999", "--as", "boss")
    assert status == 1 and "審査委員 999" in err and "読み込み直して" not in err
    status, out, err = cli("grants", "remove-reviewer", str(wrong), "--as", "boss")
    assert status == 0 and f"審査委員 {wrong}" in out, err
    with env["db"].read() as session:
        assert session.scalars(select(GrantReviewer.name)).all() == ["青木 一郎"]
        assert session.scalar(select(func.count()).select_from(GrantConflict)) == 0

    assert cli("grants", "start-review", "--round", str(round_id), "--as", "boss")[0] == 0
    status, out, err = cli("grants", "remove-reviewer", str(aoki), "--as", "boss")
    assert status == 1 and "審査が始まって" in err
    with env["db"].read() as session:
        assert session.scalars(select(GrantReviewer.name)).all() == ["青木 一郎"]
