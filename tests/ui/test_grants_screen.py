"""補助金・協働 with real widgets: a coordinator imports the reviewers' score file, ranks and
allocates the round of 8 applications and sees the hand-computed ranking, each score's
contribution, a refused file named row by row (nothing written), and saves the letters."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from center_app.db.groups import Group
from center_app.domain.programs import ProgramKind
from center_app.services import programs, programs_panel, review
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.state import AppState

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, pdf_text  # noqa: E402
from test_review_rules import CRITERIA, EXPECTED, REQUESTED, TOTALS, _points  # noqa: E402

REVIEWERS = ["青木 一郎", "井上 花子", "上田 次郎", "江藤 三恵", "大野 四郎"]


def _round(admin_ctx) -> tuple[int, dict[int, int]]:
    db = admin_ctx.db
    with db.write() as session:
        groups = []
        for n in TOTALS:
            group = Group(name=f"団体{n}", name_kana=f"ダンタイ{n}", legal_form="任意団体", status="registered", founded_on=dt.date(2015, 1, 1))
            session.add(group)
            session.flush()
            groups.append(group.id)
    program = programs.create_program(admin_ctx, "協働事業提案制度", ProgramKind.PROPOSAL)
    round_ = programs.open_round(admin_ctx, program.id, "第1回", dt.date(2026, 5, 1), dt.date(2026, 6, 30), 600_000)
    apps = {n: programs.receive_application(admin_ctx, round_.id, programs.ApplicationInput(g, f"事業{n}", REQUESTED[n])).id
            for n, g in zip(TOTALS, groups, strict=True)}
    for r, name in enumerate(REVIEWERS):
        reviewer = programs_panel.add_reviewer(admin_ctx, round_.id, name)
        for n, totals in TOTALS.items():
            if totals[r] is None:
                programs_panel.declare_conflict(admin_ctx, reviewer.id, apps[n])
    return round_.id, apps


def _file(path: Path, apps: dict[int, int], bad: bool = False) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["申請番号", "審査委員", *(c.name for c in CRITERIA)])
    for n, totals in TOTALS.items():
        for r, total in enumerate(totals):
            if total is not None:
                points = _points(total)
                sheet.append([apps[n], REVIEWERS[r], *(points[c.name] for c in CRITERIA)])
    if bad:
        sheet.append([apps[2], REVIEWERS[4], *(5 for _c in CRITERIA)])  # the conflicted reviewer, row 40
    book.save(path)
    return path


def test_a_coordinator_runs_the_review_on_the_screen(qtbot, clock, admin_ctx, coordinator_ctx, tmp_path, monkeypatch):
    clock(dt.date(2026, 6, 2))
    round_id, apps = _round(admin_ctx)
    window = MainWindow(AppState(coordinator_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    assert window.show_section("grants")
    section = window.screen("grants")
    assert section.tabText(0) == "補助金・協働事業" and section.tabText(1) == "共催・後援"
    screen = section.widget(0)
    assert screen.round_combo.currentData() == round_id
    assert screen.table.rowCount() == 8 and screen.table.item(0, 0).text() == ""
    assert screen.table.item(0, 8).text() == "受付"
    qtbot.mouseClick(screen.review_button, Qt.MouseButton.LeftButton)
    assert {screen.table.item(r, 8).text() for r in range(8)} == {"審査中"}

    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(screen, "ask_score_file", lambda: _file(tmp_path / "bad.xlsx", apps, bad=True))
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1 and "40行目" in warnings[0] and "大野 四郎" in warnings[0] and "利益相反" in warnings[0]
    assert review.round_results(admin_ctx, round_id).rows[0].lines == ()  # nothing was written

    monkeypatch.setattr(screen, "ask_score_file", lambda: _file(tmp_path / "scores.xlsx", apps))
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.rank_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.allocate_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1
    number = {str(v): k for k, v in apps.items()}
    shown = [(number[screen.table.item(r, 3).text()], screen.table.item(r, 1).text(), int(screen.table.item(r, 0).text()),
              screen.table.item(r, 7).text()) for r in range(8)]
    assert shown == [(e[0], e[1], e[2], f"{e[4]:,}") for e in EXPECTED]
    assert screen.table.item(1, 2).text() == str(apps[5])  # A1 is tied with A5
    assert "600,000" in screen.summary.text()

    row_of_a2 = next(r for r in range(8) if screen.table.item(r, 3).text() == str(apps[2]))
    screen.table.selectRow(row_of_a2)
    assert "井上 花子 37（最高点・除外） → 0.00" in screen.detail.text() and "利益相反: 大野 四郎" in screen.detail.text()

    saved = tmp_path / "letters.pdf"
    monkeypatch.setattr("center_app.ui.pdf_output.ask_pdf_path", lambda _parent, _name: saved)
    qtbot.mouseClick(screen.letters_button, Qt.MouseButton.LeftButton)
    text = compact(pdf_text(saved.read_bytes()))
    assert text.count("交付決定通知書") == 5 and text.count("不採択通知") == 3


def test_counter_staff_do_not_see_the_section(qtbot, counter_ctx):
    window = MainWindow(AppState(counter_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    assert window.show_section("grants") is False


def test_importing_again_asks_whether_to_replace_the_sheets_entered_no_by_default(qtbot, clock, admin_ctx, coordinator_ctx, tmp_path,
                                                                                  monkeypatch):
    import openpyxl

    clock(dt.date(2026, 6, 2))
    round_id, apps = _round(admin_ctx)
    programs.start_review(admin_ctx, round_id)
    window = MainWindow(AppState(coordinator_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    assert window.show_section("grants")
    screen = window.screen("grants").widget(0)
    questions, warnings = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: questions.append((a[2], a[4])) or a[4])  # the default button
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(screen, "ask_score_file", lambda: _file(tmp_path / "scores.xlsx", apps))
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert questions == [] and warnings == []  # nothing entered yet: no question
    assert review.entered_sheet_count(admin_ctx, round_id) == 38

    corrected = openpyxl.load_workbook(_file(tmp_path / "corrected.xlsx", apps))
    sheet = corrected.active
    for cell in sheet[2][2:]:
        cell.value = 10  # the first sheet corrected to the full 50 points
    sheet.delete_rows(3, sheet.max_row)
    corrected.save(tmp_path / "corrected.xlsx")
    first_app, first_reviewer = sheet[2][0].value, sheet[2][1].value
    monkeypatch.setattr(screen, "ask_score_file", lambda: tmp_path / "corrected.xlsx")

    def first_sheet_total():
        grid = review.score_grid(admin_ctx, round_id, next(r.id for r in programs_panel.list_reviewers(admin_ctx, round_id)
                                                          if r.name == first_reviewer))
        return sum(points for _c, points in next(r for r in grid.rows if r.application_id == first_app).points)

    before = first_sheet_total()
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)  # いいえ (the default): refused, nothing written
    assert len(questions) == 1 and "既存の採点を置き換えますか" in questions[0][0] and "38" in questions[0][0]
    assert questions[0][1] == QMessageBox.StandardButton.No
    assert len(warnings) == 1 and "2行目" in warnings[0] and first_sheet_total() == before != 50

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1 and first_sheet_total() == 50
