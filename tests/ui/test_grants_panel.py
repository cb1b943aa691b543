"""The 審査委員 tab corrects the panel with real widgets: a reviewer named by mistake leaves it
(with their conflicts) and a conflict declared by mistake is withdrawn, each after a question
whose default is いいえ; once the review or the scoring has started the refusal is shown under
the list and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from center_app.db.groups import Group
from center_app.domain.programs import ProgramKind
from center_app.services import programs, programs_panel
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.state import AppState


@pytest.fixture
def env(qtbot, clock, admin_ctx, coordinator_ctx, monkeypatch):
    clock(dt.date(2026, 6, 2))
    with admin_ctx.db.write() as session:
        groups = []
        for n in (1, 2):
            group = Group(name=f"団体{n}", name_kana=f"ダンタイ{n}", legal_form="任意団体", status="registered",
                          founded_on=dt.date(2015, 1, 1))
            session.add(group)
            session.flush()
            groups.append(group.id)
    program = programs.create_program(admin_ctx, "市民活動支援補助金", ProgramKind.SUBSIDY)
    round_ = programs.open_round(admin_ctx, program.id, "第1回", dt.date(2026, 5, 1), dt.date(2026, 6, 30), 300_000)
    apps = [programs.receive_application(admin_ctx, round_.id, programs.ApplicationInput(g, f"事業{g}", 100_000)).id for g in groups]
    aoki = programs_panel.add_reviewer(admin_ctx, round_.id, "青木 一郎")
    wrong = programs_panel.add_reviewer(admin_ctx, round_.id, "間違い 委員", conflicts=[apps[1]])
    programs_panel.declare_conflict(admin_ctx, aoki.id, apps[0], "入力の誤り")
    window = MainWindow(AppState(coordinator_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    assert window.show_section("grants")
    screen = window.screen("grants").widget(0)
    screen.tabs.setCurrentWidget(screen.panel)
    questions = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: questions.append(a[2]) or a[4])  # the default button
    return {"admin": admin_ctx, "round": round_.id, "apps": apps, "aoki": aoki, "wrong": wrong, "tab": screen.panel,
            "questions": questions, "monkeypatch": monkeypatch}


def _names(env) -> list[str]:
    table = env["tab"].reviewer_table
    return [table.item(r, 0).text() for r in range(table.rowCount())]


def _yes(env) -> None:
    env["monkeypatch"].setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_reviewer_named_by_mistake_leaves_the_panel_after_a_question(qtbot, env):
    tab = env["tab"]
    assert _names(env) == ["青木 一郎", "間違い 委員"] and tab.conflict_table.rowCount() == 2
    _click(qtbot, tab.remove_button)  # nothing selected
    assert "審査委員" in tab.reviewer_error.text() and env["questions"] == []
    tab.reviewer_table.selectRow(1)
    _click(qtbot, tab.remove_button)  # いいえ, the default: nothing changes
    assert "間違い 委員" in env["questions"][0] and _names(env) == ["青木 一郎", "間違い 委員"]
    _yes(env)
    _click(qtbot, tab.remove_button)
    assert _names(env) == ["青木 一郎"] and tab.conflict_table.rowCount() == 1
    assert [r.name for r in programs_panel.list_reviewers(env["admin"], env["round"])] == ["青木 一郎"]
    assert tab.conflict_reviewer.count() == 1


def test_a_conflict_declared_by_mistake_is_withdrawn_until_the_scoring_starts(qtbot, env):
    tab = env["tab"]
    row = next(r for r in range(tab.conflict_table.rowCount()) if tab.conflict_table.item(r, 0).text() == "青木 一郎")
    tab.conflict_table.selectRow(row)
    _click(qtbot, tab.withdraw_button)  # いいえ
    assert "青木 一郎" in env["questions"][0] and tab.conflict_table.rowCount() == 2
    _yes(env)
    _click(qtbot, tab.withdraw_button)
    assert tab.conflict_table.rowCount() == 1 and tab.conflict_table.item(0, 0).text() == "間違い 委員"
    assert programs_panel.list_reviewers(env["admin"], env["round"])[0].conflicts == ()

    programs.start_review(env["admin"], env["round"])
    with env["admin"].db.write() as session:  # a score sheet: the scoring has started
        from center_app.db.programs import GrantScore

        session.add(GrantScore(application_id=env["apps"][0], reviewer_id=env["aoki"].id, criterion="公益性", points=8))
    tab.load()
    tab.conflict_table.selectRow(0)
    _click(qtbot, tab.withdraw_button)
    assert "採点" in tab.conflict_error.text() and tab.conflict_table.rowCount() == 1
    tab.reviewer_table.selectRow(1)
    _click(qtbot, tab.remove_button)
    assert "審査" in tab.reviewer_error.text() and len(_names(env)) == 2
