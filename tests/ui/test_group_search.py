"""The forms' one group search (booking dialog, 補助金・協働 application, 共催・後援 application):
search as you type after a pause, the first page only, Enter and double-click pick without
accepting the dialog, Escape clears, the picked group named with its 登録番号."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout

from center_app.services import groups
from center_app.services.group_values import GroupInput
from center_app.ui.widgets.group_search import RESULTS, GroupSearch


def _group(ctx, name: str, kana: str):
    return groups.register_group(ctx, GroupInput(name=name, name_kana=kana, legal_form="voluntary", activity_fields=(3,),
                                                 representative_name="髙橋 一郎"))


def _dialog(qtbot, state, **options) -> tuple[QDialog, GroupSearch]:
    """The search in a dialog whose OK is the default button (as in the three forms)."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    finder = GroupSearch(state, **options)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(finder)
    layout.addWidget(buttons)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, finder


@pytest.fixture
def two_groups(admin_ctx):
    return _group(admin_ctx, "髙﨑まちづくりの会", "タカサキマチヅクリノカイ"), _group(admin_ctx, "𠮷野家将棋クラブ", "ヨシノヤショウギクラブ")


def test_searches_after_a_pause_in_typing_and_lists_the_first_page_only(qtbot, app_state, admin_ctx):
    for n, kana in enumerate("アイウエオカキクケコサシスセソタチツテトナ"[:RESULTS + 1]):
        _group(admin_ctx, f"まちづくり会{n:02d}", f"マチヅクリカイ{kana}")
    _shown, finder = _dialog(qtbot, app_state)
    finder.search.insert("まちづくり")  # as the input method commits it
    assert finder.results.count() == 0  # not at each keystroke: after the pause
    qtbot.waitUntil(lambda: finder.results.count() == RESULTS, timeout=5_000)
    assert finder.results.item(0).text().startswith("R")  # each result names its 登録番号
    assert finder.group is None  # searching picks nothing


def test_enter_picks_the_scanned_number_and_does_not_accept_the_dialog(qtbot, app_state, two_groups):
    takasaki, yoshinoya = two_groups
    dialog, finder = _dialog(qtbot, app_state)
    number = yoshinoya.registration_no
    finder.search.setText(number.lower().replace("-", "－"))  # as a scanner or a full-width keyboard sends it
    qtbot.keyClick(finder.search, Qt.Key.Key_Return)
    assert finder.group is not None and finder.group_id == yoshinoya.id
    assert number in finder.chosen.text() and "𠮷野家将棋クラブ" in finder.chosen.text()
    assert dialog.isVisible() and dialog.result() == 0  # Enter picked; it did not press OK

    finder.search.setText("かい")  # no number: the first hit
    qtbot.keyClick(finder.search, Qt.Key.Key_Enter)
    assert finder.group_id == takasaki.id and dialog.isVisible()


def test_down_then_enter_or_a_double_click_on_a_result_picks_it_without_accepting(qtbot, app_state, two_groups):
    takasaki, yoshinoya = two_groups
    dialog, finder = _dialog(qtbot, app_state)
    finder.search.setText("よしのや")  # as the input method commits it
    finder.search_now()
    assert finder.results.count() == 1
    qtbot.keyClick(finder.search, Qt.Key.Key_Down)
    assert finder.results.currentRow() == 0  # ↓ moved into the results
    qtbot.keyClick(finder.results, Qt.Key.Key_Return)
    assert finder.group_id == yoshinoya.id and dialog.isVisible() and dialog.result() == 0

    finder.search.setText("たかさき")
    finder.search_now()
    item = finder.results.item(0)
    where = finder.results.visualItemRect(item).center()
    qtbot.mouseClick(finder.results.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click: a click, then the second
    qtbot.mouseDClick(finder.results.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert finder.group_id == takasaki.id and dialog.isVisible()


def test_escape_clears_the_search_and_in_an_empty_box_goes_on_to_the_dialog(qtbot, app_state, two_groups):
    dialog, finder = _dialog(qtbot, app_state)
    finder.search.setText("たかさき")
    finder.search_now()
    qtbot.keyClick(finder.search, Qt.Key.Key_Down)
    qtbot.keyClick(finder.results, Qt.Key.Key_Return)
    qtbot.keyClick(finder.results, Qt.Key.Key_Escape)
    assert finder.search.text() == "" and finder.results.count() == 0
    assert dialog.isVisible() and finder.group_id == two_groups[0].id  # the group picked stays
    qtbot.keyClick(finder.search, Qt.Key.Key_Escape)
    assert not dialog.isVisible()  # nothing to clear: the dialog's own Escape


def test_an_answer_to_a_search_no_longer_asked_is_dropped(qtbot, threaded_state, two_groups):
    from runner_support import erased_before_the_answer

    finder = GroupSearch(threaded_state)
    qtbot.addWidget(finder)
    erased_before_the_answer(qtbot, threaded_state.runner, finder, "たかさき")
    assert finder.search.text() == "" and finder.results.count() == 0


def test_as_a_name_field_picking_writes_the_name_and_typing_over_it_drops_the_group(qtbot, app_state, two_groups):
    takasaki = two_groups[0]
    dialog, finder = _dialog(qtbot, app_state, name_field=True)
    picks = []
    finder.picked.connect(picks.append)
    assert not finder.results.isVisible()  # shown only with results
    finder.search.insert("たかさき")
    qtbot.waitUntil(lambda: finder.results.isVisible(), timeout=5_000)
    qtbot.keyClick(finder.search, Qt.Key.Key_Return)
    assert finder.search.text() == "髙﨑まちづくりの会" and finder.group_id == takasaki.id and dialog.isVisible()
    assert takasaki.registration_no in finder.chosen.text() and not finder.results.isVisible()
    finder.search.end(False)
    finder.search.insert("（個人）")
    assert finder.group is None and finder.chosen.text() == "" and picks[-1] is None
    assert finder.search.text() == "髙﨑まちづくりの会（個人）"  # the name typed stays


def test_a_failed_search_is_reported(qtbot, app_state, monkeypatch):
    from center_app.domain.errors import DatabaseUnavailable

    def down(*_a, **_k):
        raise DatabaseUnavailable("データベースに接続できません。")

    monkeypatch.setattr(groups, "search_groups", down)
    finder = GroupSearch(app_state)
    qtbot.addWidget(finder)
    failures = []
    finder.failed.connect(failures.append)
    finder.search.setText("たかさき")
    finder.search_now()
    assert len(failures) == 1 and "接続できません" in str(failures[0])
