"""A whole funding round on the 補助金・協働 screen with real widgets, as a coordinator runs it:
a program and a round (a budget that funds 5), 8 applications received through the form (the
refusals shown in place, the form keeping what was typed), 5 reviewers, one conflicted on two
applications, every score sheet typed into the grid (a score over the maximum and a missing
score refused, nothing written), ranking and allocation checked against the hand-computed
table, the status flow with the 実績報告, and the letters and the public results saved."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox
from sqlalchemy import func, select

from center_app.db.groups import Group
from center_app.db.programs import GrantScore
from center_app.domain.programs import ApplicationStatus
from center_app.services.group_values import search_columns
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.screens.programs.model import LEADING, ScoreGridModel
from center_app.ui.state import AppState

sys.path.insert(0, str(Path(__file__).parents[1] / "unit"))
sys.path.insert(0, str(Path(__file__).parents[1] / "print"))
from pdf_checks import compact, pdf_text  # noqa: E402
from test_review_rules import CRITERIA, EXPECTED, REQUESTED, TOTALS, _points  # noqa: E402

REVIEWERS = ["青木 一郎", "井上 花子", "上田 次郎", "江藤 三恵", "大野 四郎"]


def _group(**values) -> Group:
    values = {"legal_form": "任意団体", "status": "registered", **values}
    return Group(**values, **search_columns(values))


def _groups(db) -> None:
    with db.write() as session:
        for n in TOTALS:
            session.add(_group(name=f"みどりの会{n}", name_kana=f"ミドリノカイ{n}", registration_no=f"R08-{n:04d}",
                               representative_name=f"代表 {n}郎", founded_on=dt.date(2019, 5, 1)))
        session.add(_group(name="できたての会", name_kana="デキタテノカイ", registration_no="R08-0099", founded_on=dt.date(2026, 1, 10)))


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def _type(qtbot, widget: QLineEdit, text: str) -> None:
    """Type ``text`` into ``widget`` (Japanese as the input method commits it)."""
    widget.clear()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        widget.insert(text)


def _round_form(qtbot, screen, **typed: str):
    """Open the form of a new round (募集回を開く), type ``typed`` (field → text, in that order)
    and press OK; the form, still open when refused."""
    qtbot.mouseClick(screen.open_round_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    for field, text in typed.items():
        _type(qtbot, getattr(dialog, field), text)
    _ok(qtbot, dialog)
    return dialog


@pytest.fixture
def screen(qtbot, clock, db, coordinator_ctx):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    _groups(db)
    window = MainWindow(AppState(coordinator_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    assert window.show_section("grants")
    screen = window.screen("grants").widget(0)  # the 補助金・協働事業 tab
    screen.dialogs = []
    for owner in (screen, screen.applications):
        owner.open_dialog = lambda dialog: (screen.dialogs.append(dialog), dialog.open())
    return screen


def _program_and_round(qtbot, screen) -> None:
    qtbot.mouseClick(screen.program_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    _type(qtbot, dialog.name, "協働事業提案制度")
    dialog.kind.setCurrentIndex(dialog.kind.findData("proposal"))
    _ok(qtbot, dialog)
    assert not dialog.isVisible()

    qtbot.mouseClick(screen.open_round_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    assert dialog.cap.text() == "150,000"  # 設定's cap
    assert "登録団体のみ" in dialog.findChild(type(dialog.error), "round_eligibility").text()
    _type(qtbot, dialog.name, "令和8年度 第1回")
    _type(qtbot, dialog.opens, "2026/5/1")
    _type(qtbot, dialog.closes, "2026/6/30")
    _type(qtbot, dialog.budget, "0")
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "予算" in dialog.error.text() and dialog.name.text() == "令和8年度 第1回"  # refused, kept
    _type(qtbot, dialog.budget, "600,000")
    assert dialog.error.text() == ""  # the refusal goes as the clerk corrects the field
    _ok(qtbot, dialog)
    assert not dialog.isVisible()
    assert screen.round_combo.currentText() == "協働事業提案制度　令和8年度 第1回"


def _receive(qtbot, screen, number: str, project: str, amount: int) -> object:
    qtbot.mouseClick(screen.applications.receive_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    _type(qtbot, dialog.finder.search, number)
    qtbot.keyClick(dialog.finder.search, Qt.Key.Key_Return)  # picks the group of the number; OK is not pressed
    assert dialog.isVisible()
    _type(qtbot, dialog.project, project)
    dialog.lines.item(0, 0).setText("講師謝礼")
    dialog.lines.item(0, 1).setText(f"{amount:,}")
    _type(qtbot, dialog.requested, str(amount))
    for box in list(dialog.documents.values())[:3]:
        box.setChecked(True)
    _ok(qtbot, dialog)
    return dialog


def _applications(qtbot, screen) -> dict[int, int]:
    screen.tabs.setCurrentWidget(screen.applications)
    # refused in place: a group active for less than the year 設定 asks, then a date outside the window
    dialog = _receive(qtbot, screen, "R08-0099", "新しい事業", 50_000)
    assert dialog.isVisible() and "できたての会" in dialog.errors["group_id"].text() and "1年" in dialog.errors["group_id"].text()
    dialog.finder.choose(next(s for s in _search(screen, "R08-0001")))
    _type(qtbot, dialog.received, "2026/7/1")
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "受付期間" in dialog.errors["received_on"].text()
    _type(qtbot, dialog.received, "2026/6/1")
    assert dialog.errors["received_on"].text() == ""  # cleared as the date is corrected
    assert dialog.project.text() == "新しい事業" and dialog.lines.item(0, 1).text() == "50,000"  # what was typed stays
    dialog.reject()
    ids = {}
    for n in TOTALS:
        dialog = _receive(qtbot, screen, f"R08-{n:04d}", f"子ども食堂{n}", REQUESTED[n])
        if n == 1:
            assert "上限" in dialog.cap_note.text()  # 200,000 over the 150,000 cap: noted, not refused
        assert not dialog.isVisible(), dialog.error.text() + "".join(label.text() for label in dialog.errors.values())
        ids[n] = screen.applications.selected().id
    table = screen.applications.table
    assert table.rowCount() == 8 and {table.item(r, 6).text() for r in range(8)} == {"受付"}
    assert table.item(0, 4).text() == "3/5"
    return ids


def _search(screen, text):
    from center_app.services import groups

    return groups.search_groups(screen.state.ctx, text, limit=5).items


def _panel(qtbot, screen, ids) -> None:
    tab = screen.panel
    screen.tabs.setCurrentWidget(tab)
    for name in REVIEWERS:
        _type(qtbot, tab.reviewer_name, name)
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    _type(qtbot, tab.reviewer_name, REVIEWERS[0])
    qtbot.keyClick(tab.reviewer_name, Qt.Key.Key_Return)
    assert "青木 一郎" in tab.reviewer_error.text() and tab.reviewer_name.text() == REVIEWERS[0]  # refused, kept
    assert tab.reviewer_table.rowCount() == 5
    tab.conflict_reviewer.setCurrentIndex(tab.conflict_reviewer.findText(REVIEWERS[4]))
    for n in (2, 6):
        tab.conflict_application.setCurrentIndex(tab.conflict_application.findData(ids[n]))
        _type(qtbot, tab.conflict_reason, "申請団体の役員")
        qtbot.mouseClick(tab.declare_button, Qt.MouseButton.LeftButton)
    assert [tab.conflict_table.item(r, 1).text() for r in range(2)] == [str(ids[2]), str(ids[6])]
    assert tab.conflict_table.item(0, 3).text() == "申請団体の役員"


def _cell(qtbot, grid, row: int, column: int, text: str) -> None:
    index = grid.model().index(row, column)
    grid.setCurrentIndex(index)
    grid.edit(index)
    editor = next(w for w in grid.findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the view commits the cell on Enter through a queued call


def _scores(qtbot, screen, ids, db) -> None:
    tab = screen.scores
    screen.tabs.setCurrentWidget(tab)
    row_of = {app_id: r for r, app_id in enumerate(sorted(ids.values()))}
    for r, reviewer in enumerate(REVIEWERS):
        tab.reviewer.setCurrentIndex(tab.reviewer.findText(reviewer))
        assert tab.model.grid.reviewer_name == reviewer
        for n, totals in TOTALS.items():
            row = row_of[ids[n]]
            if totals[r] is None:
                index = tab.model.index(row, LEADING)
                assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEnabled
                assert "申請団体の役員" in tab.model.data(index, Qt.ItemDataRole.ToolTipRole)
                continue
            for c, criterion in enumerate(CRITERIA):
                _cell(qtbot, tab.grid, row, LEADING + c, str(_points(totals[r])[criterion.name]))
        if r == 0:  # a score over the maximum and a missing one: both named, nothing written, the grid keeps them
            _cell(qtbot, tab.grid, row_of[ids[1]], LEADING + 2, "11")
            _cell(qtbot, tab.grid, row_of[ids[3]], LEADING + 4, "")
            qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
            text = tab.error.text()
            assert f"申請{ids[1]}（子ども食堂1）" in text and "実現性" in text and "11" in text and "10" in text
            assert f"申請{ids[3]}（子ども食堂3）" in text and "発展性" in text
            with db.read() as session:
                assert session.scalar(select(func.count()).select_from(GrantScore)) == 0
            assert tab.model.data(tab.model.index(row_of[ids[1]], LEADING + 2)) == "11"
            _cell(qtbot, tab.grid, row_of[ids[1]], LEADING + 2, str(_points(TOTALS[1][0])["実現性"]))
            _cell(qtbot, tab.grid, row_of[ids[3]], LEADING + 4, str(_points(TOTALS[3][0])["発展性"]))
        if r == len(REVIEWERS) - 1:  # the keyboard's way: Ctrl+S in the grid
            screen.window().activateWindow()
            qtbot.waitUntil(lambda: QApplication.activeWindow() is screen.window())
            tab.grid.setFocus()
            qtbot.keyClick(tab.grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        else:
            qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        assert tab.error.text() == "", tab.error.text()
        assert tab.saved.text() and reviewer in tab.saved.text()
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(GrantScore)) == (8 * 5 - 2) * len(CRITERIA)


def test_a_coordinator_runs_a_whole_round_on_the_screen(qtbot, qtmodeltester, screen, db, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    _program_and_round(qtbot, screen)
    ids = _applications(qtbot, screen)

    # the round is edited while every application is 受付 …
    qtbot.mouseClick(screen.edit_round_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    assert dialog.budget.text() == "600,000"
    _type(qtbot, dialog.closes, "2026/7/15")
    _ok(qtbot, dialog)
    assert not dialog.isVisible()

    _panel(qtbot, screen, ids)
    _scores(qtbot, screen, ids, db)
    qtmodeltester.check(screen.scores.model)

    screen.tabs.setCurrentIndex(0)
    qtbot.mouseClick(screen.review_button, Qt.MouseButton.LeftButton)
    # … and no longer once the review started: refused in the form, what was typed kept
    qtbot.mouseClick(screen.edit_round_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    _type(qtbot, dialog.budget, "700,000")
    _ok(qtbot, dialog)
    assert dialog.isVisible() and "受付" in dialog.error.text() and dialog.budget.text() == "700,000"
    dialog.reject()

    qtbot.mouseClick(screen.rank_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.allocate_button, Qt.MouseButton.LeftButton)
    assert warnings == []
    number = {str(v): k for k, v in ids.items()}
    table = screen.table
    shown = [(number[table.item(r, 3).text()], table.item(r, 1).text(), int(table.item(r, 0).text()), table.item(r, 7).text())
             for r in range(8)]
    assert shown == [(e[0], e[1], e[2], f"{e[4]:,}" if e[4] else "0") for e in EXPECTED]
    assert sum(1 for r in range(8) if table.item(r, 8).text() == "採択") == 5
    assert "600,000" in screen.summary.text()

    # the status flow: only the allowed moves are offered; 交付決定, then the 実績報告 with the amount to return
    apps = screen.applications
    screen.tabs.setCurrentWidget(apps)
    apps.select(ids[2])
    assert apps.next_status.count() == 0 and not apps.move_button.isEnabled()  # 不採択 is final
    apps.select(ids[3])
    assert [apps.next_status.itemText(i) for i in range(apps.next_status.count())] == ["交付決定"]
    qtbot.mouseClick(apps.move_button, Qt.MouseButton.LeftButton)
    assert apps.selected().status is ApplicationStatus.GRANT_DECIDED
    qtbot.mouseClick(apps.report_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    _type(qtbot, dialog.spent, "120,000")
    assert dialog.to_return.text() == "30,000"
    _ok(qtbot, dialog)
    row = next(r for r in range(8) if apps.table.item(r, 0).text() == str(ids[3]))
    assert (apps.table.item(row, 6).text(), apps.table.item(row, 8).text(), apps.table.item(row, 9).text()) == (
        "実績報告", "120,000", "30,000")

    check = tmp_path / "check.pdf"
    monkeypatch.setattr("center_app.ui.pdf_output.ask_pdf_path", lambda _parent, _name: check)
    qtbot.mouseClick(apps.check_button, Qt.MouseButton.LeftButton)
    text = compact(pdf_text(check.read_bytes()))
    assert "子ども食堂3" in text and "120,000" in text and "30,000" in text

    screen.tabs.setCurrentIndex(0)
    letters, results = tmp_path / "letters.pdf", tmp_path / "results.pdf"
    monkeypatch.setattr("center_app.ui.pdf_output.ask_pdf_path", lambda _parent, _name: letters)
    qtbot.mouseClick(screen.letters_button, Qt.MouseButton.LeftButton)
    text = compact(pdf_text(letters.read_bytes()))
    assert text.count("交付決定通知書") == 5 and text.count("不採択通知") == 3
    monkeypatch.setattr("center_app.ui.pdf_output.ask_pdf_path", lambda _parent, _name: results)
    qtbot.mouseClick(screen.public_button, Qt.MouseButton.LeftButton)
    text = compact(pdf_text(results.read_bytes()))
    assert "子ども食堂3" in text and "45.00" in text and "大野" not in text
    assert warnings == []
    QApplication.processEvents()


def test_the_score_grid_model_passes_the_model_tester(qtmodeltester):
    qtmodeltester.check(ScoreGridModel())


def test_an_edit_saved_meanwhile_on_another_pc_is_refused_and_the_form_keeps_what_was_typed(qtbot, screen, coordinator_ctx,
                                                                                               monkeypatch):
    from center_app.services import programs

    _program_and_round(qtbot, screen)
    screen.tabs.setCurrentWidget(screen.applications)
    _receive(qtbot, screen, "R08-0001", "子ども食堂1", 100_000)
    view = screen.applications.selected()

    qtbot.mouseClick(screen.edit_round_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    current = screen.round_view()
    programs.update_round(coordinator_ctx, current.id, current.name, current.opens_on, current.closes_on, 650_000, current.cap_yen,
                          expected_version=current.version)  # another PC
    _type(qtbot, dialog.budget, "700,000")
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.stale.isVisible() and dialog.budget.text() == "700,000"
    qtbot.mouseClick(dialog.stale.reopen_button, Qt.MouseButton.LeftButton)
    assert dialog.budget.text() == "650,000" and not dialog.stale.isVisible()
    dialog.reject()

    screen.applications.select(view.id)
    qtbot.mouseClick(screen.applications.edit_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    assert dialog.project.text() == "子ども食堂1" and not dialog.finder.search.isEnabled()
    programs.update_application(coordinator_ctx, view.id, programs.ApplicationInput(view.group_id, "別の事業", view.requested_yen),
                                expected_version=view.version)
    _type(qtbot, dialog.project, "子ども食堂（拡大）")
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.stale.isVisible() and dialog.project.text() == "子ども食堂（拡大）"
    dialog.reject()
    # a status moved from the list as it was shown is refused too, and the list is reloaded
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a, **k: warnings.append(text))
    screen.applications.applications = [view]  # the row as shown before the other PC's save
    screen.applications.table.selectRow(0)
    qtbot.mouseClick(screen.applications.move_button, Qt.MouseButton.LeftButton)
    assert len(warnings) == 1 and "ほかの端末で変更されました" in warnings[0]
    assert screen.applications.selected().status is ApplicationStatus.RECEIVED


def test_scores_typed_for_one_reviewer_are_not_lost_by_choosing_another(qtbot, screen, monkeypatch):
    _program_and_round(qtbot, screen)
    screen.tabs.setCurrentWidget(screen.applications)
    _receive(qtbot, screen, "R08-0001", "子ども食堂1", 100_000)
    screen.tabs.setCurrentWidget(screen.panel)
    for name in REVIEWERS[:2]:
        _type(qtbot, screen.panel.reviewer_name, name)
        qtbot.mouseClick(screen.panel.add_button, Qt.MouseButton.LeftButton)
    tab = screen.scores
    screen.tabs.setCurrentWidget(tab)
    assert tab.reviewer.currentText() == REVIEWERS[0]
    _cell(qtbot, tab.grid, 0, LEADING, "7")
    answers = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: answers.append(a[2]) or QMessageBox.StandardButton.No)
    tab.reviewer.setCurrentIndex(1)
    assert answers == ["入力した内容を破棄しますか？"]
    assert tab.reviewer.currentText() == REVIEWERS[0] and tab.model.data(tab.model.index(0, LEADING)) == "7"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.reviewer.setCurrentIndex(1)
    assert tab.model.grid.reviewer_name == REVIEWERS[1] and tab.model.data(tab.model.index(0, LEADING)) == ""


def test_enter_on_a_search_result_picks_the_group_and_does_not_save_the_application(qtbot, screen, coordinator_ctx):
    """A second walk-through: Down, then Enter on a result saved the application at once, with
    no documents and no budget lines."""
    from center_app.services import programs_queries

    _program_and_round(qtbot, screen)
    screen.tabs.setCurrentWidget(screen.applications)
    qtbot.mouseClick(screen.applications.receive_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    _type(qtbot, dialog.project, "春の清掃活動")
    _type(qtbot, dialog.requested, "30000")
    _type(qtbot, dialog.finder.search, "R08-0001")
    dialog.finder.search_now()
    assert dialog.finder.results.count() == 1
    qtbot.keyClick(dialog.finder.search, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.finder.results, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.group_id is not None
    assert programs_queries.list_applications(coordinator_ctx, screen.round_view().id) == []


def test_a_score_grid_saved_after_another_pc_changed_the_scores_is_refused_and_keeps_what_was_typed(qtbot, screen, coordinator_ctx):
    """A second walk-through: scores imported on another PC were silently overwritten by the
    older grid, rows the clerk never touched included."""
    from center_app.services import review

    _program_and_round(qtbot, screen)
    screen.tabs.setCurrentWidget(screen.applications)
    _receive(qtbot, screen, "R08-0001", "子ども食堂1", 100_000)
    application_id = screen.applications.selected().id
    screen.tabs.setCurrentWidget(screen.panel)
    _type(qtbot, screen.panel.reviewer_name, REVIEWERS[0])
    qtbot.mouseClick(screen.panel.add_button, Qt.MouseButton.LeftButton)
    tab = screen.scores
    screen.tabs.setCurrentWidget(tab)
    reviewer_id = tab.model.grid.reviewer_id
    criteria = [c.name for c in tab.model.grid.criteria]
    review.enter_sheet(coordinator_ctx, application_id, reviewer_id, {name: 1 for name in criteria})  # another PC
    for column, _name in enumerate(criteria):
        _cell(qtbot, tab.grid, 0, LEADING + column, "7")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "ほかの端末で変更されました" in tab.error.text()
    assert tab.model.data(tab.model.index(0, LEADING)) == "7"  # what was typed stays
    assert review.score_grid(coordinator_ctx, screen.round_view().id, reviewer_id).rows[0].points == tuple((n, 1) for n in criteria)


def _label_of(dialog, widget) -> str:
    """The form's label of ``widget`` as the clerk reads it (without the 「(&N)」 of its Alt+letter)."""
    import re

    from PySide6.QtWidgets import QLabel

    label = next(label for label in dialog.findChildren(QLabel) if label.buddy() is widget)
    return re.sub(r"\(&.\)|&", "", label.text())


def test_the_refusals_of_the_program_and_round_forms_name_each_field_as_its_label_does(qtbot, screen):
    """The defect: the form said 募集回の名前 and its refusal 募集回の名称 (制度名 and 事業名,
    1件あたりの上限 and 1事業あたりの上限額): one term for each field everywhere."""
    qtbot.mouseClick(screen.program_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialogs[-1]
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.error.text().startswith(_label_of(dialog, dialog.name) + ":")
    _type(qtbot, dialog.name, "協働事業提案制度")
    _ok(qtbot, dialog)

    dialog = _round_form(qtbot, screen, opens="2026/5/1", closes="2026/6/30", budget="0", cap="x")
    said = dialog.error.text().split("\n")
    for widget in (dialog.name, dialog.budget, dialog.cap):
        name = _label_of(dialog, widget).removesuffix("（円）")
        assert any(line.startswith(name + ":") for line in said), (name, said)
    _type(qtbot, dialog.name, "令和8年度 第1回")
    _type(qtbot, dialog.budget, "100,000")
    _type(qtbot, dialog.cap, "150,000")
    _ok(qtbot, dialog)
    assert dialog.error.text().startswith(_label_of(dialog, dialog.cap).removesuffix("（円）") + "（150,000円）")
    _type(qtbot, dialog.budget, "600,000")
    _ok(qtbot, dialog)
    assert not dialog.isVisible()
    dialog = _round_form(qtbot, screen, name="令和8年度 第1回", opens="2026/7/1", closes="2026/7/31", budget="600,000")
    assert dialog.error.text() == "協働事業提案制度には「令和8年度 第1回」という募集回がすでにあります。"
