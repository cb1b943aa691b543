"""団体 screen with real widgets: search, form, withdrawal refusal, import preview, renewal."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from runner_support import delivered, slow_database

from center_app.services import groups, groups_io
from center_app.ui.screens.groups import controller as controller_module
from center_app.ui.screens.groups import model as model_module
from center_app.ui.screens.groups.form import GroupFormDialog
from center_app.ui.screens.groups.import_dialog import ImportDialog
from center_app.ui.screens.groups.view import GroupsScreen

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "groups_sample.csv"


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(dt.date(2026, 6, 1))


@pytest.fixture
def screen(qtbot, app_state, admin_ctx):
    groups_io.import_groups(admin_ctx, SAMPLE)
    widget = GroupsScreen(app_state)
    qtbot.addWidget(widget)
    widget.show()
    widget.activate()
    return widget


@pytest.fixture
def opened(monkeypatch):
    """Forms opened by the screen, captured instead of shown modally."""
    shown: list[GroupFormDialog] = []

    class Captured(GroupFormDialog):
        def exec(self):
            shown.append(self)
            return 0

    monkeypatch.setattr(controller_module, "GroupFormDialog", Captured)
    return shown


def names(widget: GroupsScreen) -> list[str]:
    return [widget.model.index(r, 1).data() for r in range(widget.model.rowCount())]


def type_search(qtbot, widget: GroupsScreen, text: str) -> None:
    widget.search.setText(text)
    qtbot.waitUntil(lambda: not widget.controller.timer.isActive(), timeout=2000)


def test_list_in_kana_order_and_model_passes_modeltester(screen, qtmodeltester):
    assert screen.model.rowCount() == 15
    assert names(screen)[:2] == ["芦安山岳ガイドの会", "芦安の自然を守る会"]  # アシヤスサ… before アシヤスノ…
    assert screen.count_label.text() == "15 / 15 件"
    qtmodeltester.check(screen.model)


def test_lazy_fetch_loads_pages_on_demand(qtbot, screen, monkeypatch):
    monkeypatch.setattr(model_module, "PAGE_SIZE", 6)
    screen.controller.search_now()
    assert screen.model.rowCount() == 6 and screen.model.total == 15
    assert screen.model.canFetchMore()
    screen.model.fetchMore()
    screen.model.fetchMore()
    assert screen.model.rowCount() == 15 and not screen.model.canFetchMore()
    assert len(set(names(screen))) == 15


def test_typing_reads_a_page_and_counts_the_matches_only_once_the_typing_stops(qtbot, screen, monkeypatch):
    monkeypatch.setattr(model_module, "PAGE_SIZE", 6)
    monkeypatch.setattr(controller_module, "COUNT_DELAY_MS", 200)
    screen.controller.count_timer.setInterval(200)
    counted = []
    real_count = groups.count_groups
    monkeypatch.setattr(controller_module.groups, "count_groups", lambda *a, **k: counted.append(a[1]) or real_count(*a, **k))
    type_search(qtbot, screen, " ")  # no word: every group matches
    shown = screen.model.rowCount()  # pages of 6, as many as the table needs to fill its height
    assert shown in (6, 12) and not screen.model.exact and counted == []
    assert screen.count_label.text() == f"{shown} / {shown}件超"
    type_search(qtbot, screen, "　")  # typing on: still no count
    assert counted == []
    qtbot.waitUntil(lambda: screen.model.exact, timeout=3000)
    # the table may have read one more page to fill its height meanwhile: the rows shown now
    assert counted == ["　"] and screen.model.total == 15 and screen.count_label.text() == f"{screen.model.rowCount()} / 15 件"
    screen.model.fetchMore()
    screen.model.fetchMore()
    assert screen.model.rowCount() == 15 and not screen.model.canFetchMore() and screen.count_label.text() == "15 / 15 件"
    qtmodel_names = names(screen)
    assert len(set(qtmodel_names)) == 15


def test_the_table_paints_the_rows_texts_and_colours(qtbot, screen):
    from PySide6.QtGui import QColor

    screen.resize(1000, 500)
    image = screen.table.viewport().grab().toImage()
    assert screen.table.itemDelegate().model is screen.model
    row_height = screen.table.rowHeight(0)
    ink = {image.pixelColor(x, row_height // 2).name() for x in range(screen.table.columnWidth(0))}
    assert len(ink) > 2  # the registration number of the first row is drawn, not only its background
    assert screen.model.index(0, 1).data() == names(screen)[0] and isinstance(screen.model.cells[0][1], (QColor, type(None)))


def test_the_table_paints_exactly_what_qts_own_cell_by_cell_painting_draws(qtbot, screen, admin_ctx, monkeypatch):
    from PySide6.QtCore import QItemSelectionModel

    from center_app.ui.screens.groups import delegate as delegate_module

    table, viewport = screen.table, screen.table.viewport()

    def both() -> tuple:
        ours = viewport.grab().toImage()
        with monkeypatch.context() as m:
            m.setattr(delegate_module.GroupTable, "_paints_itself", lambda self: None)  # QTableView's loop
            theirs = viewport.grab().toImage()
        return ours, theirs

    groups.pause_group(admin_ctx, screen.model.group_id(2), "")
    groups.withdraw_group(admin_ctx, screen.model.group_id(3), "")
    screen.controller.search_now()
    screen.resize(900, 300)
    assert table.viewport().height() < table.rowHeight(0) * screen.model.rowCount()  # some rows out of sight
    assert {"registered", "withdrawn", "paused"} <= {g.status for g in screen.model.rows}  # each colour
    plain, theirs = both()
    assert plain == theirs
    table.selectRow(1)
    table.selectionModel().select(screen.model.index(4, 2), QItemSelectionModel.SelectionFlag.Select)
    table.setFocus()
    ours, theirs = both()
    assert ours == theirs and ours != plain  # a selected row, one selected cell, the focus
    table.horizontalHeader().resizeSection(1, 40)  # a name elided
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum())
    ours, theirs = both()
    assert ours == theirs
    type_search(qtbot, screen, "該当なしの団体")
    assert screen.model.rowCount() == 0
    ours, theirs = both()
    assert ours == theirs


def test_search_by_hiragana_finds_katakana_reading(qtbot, screen):
    type_search(qtbot, screen, "くしがた")
    assert names(screen) == ["櫛形子ども食堂ネットワーク", "櫛形手話サークル"]
    type_search(qtbot, screen, "０５５－０００－０１１０")
    assert names(screen) == ["櫛形手話サークル"]


def test_action_opens_the_group_of_the_selected_row_after_filtering(qtbot, screen, opened):
    status = screen.status_filter
    legal = screen.legal_form_filter
    legal.setCurrentIndex(legal.findData("npo"))
    assert names(screen) == ["櫛形子ども食堂ネットワーク", "南アルプス子育てひろば"]
    screen.table.selectRow(1)
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert opened[-1].detail.name == "南アルプス子育てひろば"
    assert opened[-1].editors["name"].text() == "南アルプス子育てひろば"
    status.setCurrentIndex(status.findData("expired"))
    assert names(screen) == []
    assert not screen.buttons["open"].isEnabled()


def test_rejected_form_keeps_input_and_shows_messages_beside_fields(qtbot, app_state, screen):
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.editors["name"].setText("南アルプス将棋クラブ")
    form.editors["name_kana"].setText("みなみあるぷすしょうぎくらぶ")
    form.editors["phone"].setText("055-12")
    form.editors["email"].setText("shogi@")
    form.submit()
    assert form.saved is None
    assert not form.errors["phone"].isHidden() and "10桁" in form.errors["phone"].text()
    assert form.errors["email"].text() == "メールアドレスはinfo@example.jpのように入力してください。"
    assert form.errors["legal_form"].text() and form.errors["activity_fields"].text()
    assert form.editors["name"].text() == "南アルプス将棋クラブ" and form.editors["phone"].text() == "055-12"
    assert form.tabs.currentIndex() == 0  # moved to the tab of the first problem
    legal = form.editors["legal_form"]
    legal.setCurrentIndex(legal.findData("voluntary"))
    form.main_field.setCurrentIndex(form.main_field.findData(6))
    form.editors["representative_name"].setText("羽生 一郎")
    form.editors["phone"].setText("055-123-4567")
    form.editors["email"].setText("shogi@example.jp")
    form.submit()
    assert form.saved is not None and form.saved.registration_no == "R08-0016"
    assert form.saved.name_kana == "ミナミアルプスショウギクラブ"


def test_postal_code_fills_address_and_similar_group_warns(qtbot, app_state, screen):
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.editors["postal_code"].setText("４００－０３０６")
    form.lookup_address(only_if_empty=True)
    assert form.editors["address"].text() == "山梨県南アルプス市小笠原"
    form.editors["name"].setText("櫛形 手話サークル")
    form.check_similar()
    assert form.similar.isVisibleTo(form) and "R08-0010" in form.similar.text()


def test_the_form_suggests_a_reading_and_never_overwrites_a_typed_one(qtbot, app_state, screen, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)  # discard on close
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.show()
    name, kana = form.editors["name"], form.editors["name_kana"]
    name.setText("櫛形手話サークル")
    name.editingFinished.emit()
    qtbot.waitUntil(lambda: kana.text() != "", timeout=10000)
    assert kana.text() == "クシガタシュワサークル"  # an empty reading is filled
    assert not form.reading_button.isVisible()
    # a reading the clerk typed stays; the dictionary's is only offered
    name.setText("白根おはなしの会")
    kana.setText("シラネオハナシノカイ")
    name.editingFinished.emit()
    qtbot.waitUntil(form.reading_button.isVisible, timeout=10000)
    assert kana.text() == "シラネオハナシノカイ"
    assert "シロネオハナシノカイ" in form.reading_button.text()
    form.reading_button.click()
    assert kana.text() == "シロネオハナシノカイ" and not form.reading_button.isVisible()


def test_withdrawal_refused_while_future_bookings_exist(qtbot, screen, monkeypatch):
    monkeypatch.setattr(groups, "future_bookings", lambda session, gid, day: ["2026-07-04 午前 会議室1"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", True))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    type_search(qtbot, screen, "手話")
    screen.table.selectRow(0)
    screen.buttons["withdraw"].click()
    assert len(warnings) == 1
    assert "櫛形手話サークル" in warnings[0] and "2026-07-04 午前 会議室1" in warnings[0]
    assert screen.model.summary(0).status == "registered"
    monkeypatch.setattr(groups, "future_bookings", lambda session, gid, day: [])
    screen.buttons["withdraw"].click()
    assert screen.model.index(0, 3).data() == "廃止"


def test_bulk_renewal_with_progress(qtbot, screen, monkeypatch):
    infos = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: infos.append(text))
    screen.table.selectAll()
    ids = screen.controller.selected_ids()
    assert len(ids) == 15
    screen.controller.renew(ids, 2027)
    assert infos and "15" in infos[-1]
    assert {groups.get_group(screen.state.ctx, i).valid_until for i in ids} == {dt.date(2028, 3, 31)}


def test_import_preview_marks_bad_cells_and_imports_a_good_file(qtbot, app_state, tmp_path):
    with SAMPLE.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows[3][header.index("郵便番号")] = "4000"
    bad = tmp_path / "bad.csv"
    with bad.open("w", encoding="cp932", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    dialog = ImportDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.load(bad)
    assert not dialog.import_button.isEnabled()
    assert dialog.problem_list.count() == 1 and dialog.problem_list.item(0).text().startswith("行 5: 郵便番号: ")
    column = header.index("郵便番号")
    assert dialog.model.is_bad(3, column) and not dialog.model.is_bad(2, column)
    assert dialog.model.index(3, column).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert groups.search_groups(app_state.ctx).total == 0
    dialog.load(SAMPLE)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.result is not None and dialog.result.created == 15
    assert groups.search_groups(app_state.ctx).total == 15


def test_import_shows_its_progress_and_cancel_stops_it_with_nothing_written(qtbot, app_state, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from center_app.ui.screens.groups import import_dialog

    dialog = ImportDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.load(SAMPLE)
    real = import_dialog.groups_io.import_groups
    seen = []

    def import_while_the_clerk_cancels(ctx, path, progress):
        def report(done, total):
            seen.append(dialog.progress.labelText())
            dialog.progress.findChild(QPushButton).click()  # キャンセル, pressed while the rows are being checked
            return progress(done, total)

        return real(ctx, path, progress=report)

    monkeypatch.setattr(import_dialog.groups_io, "import_groups", import_while_the_clerk_cancels)
    dialog.import_button.click()
    assert seen[:1] == ["団体を取り込んでいます…"]
    assert dialog.result is None and "取り込みを中止しました" in dialog.summary.text()
    assert groups.search_groups(app_state.ctx).total == 0
    assert dialog.import_button.isEnabled() and dialog.progress is None


def test_certificate_is_printed_for_the_selected_registered_group(screen, tmp_path, app_state):
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    button = screen.buttons["certificate"]
    assert not button.isEnabled()  # nothing selected
    screen.table.selectRow(names(screen).index("白根おはなしの会"))
    assert button.isEnabled()
    group_id = screen.controller.selected_ids()[0]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    screen.controller._print_certificate(printer, group_id, True, skip_images=False)
    assert (tmp_path / "printed.pdf").stat().st_size > 1000
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 1
    assert groups.get_group(app_state.ctx, group_id).certificate_reissue_count == 1


@pytest.fixture
def threaded_screen(qtbot, threaded_state, admin_ctx):
    groups_io.import_groups(admin_ctx, SAMPLE)
    widget = GroupsScreen(threaded_state)
    qtbot.addWidget(widget)
    widget.show()
    widget.activate()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 15, timeout=10_000)
    return widget


def test_threaded_search_as_you_type_keeps_only_the_last_query(qtbot, threaded_screen):
    widget = threaded_screen
    for text in ("し", "しゅ", "しゅわ"):  # fast typing: only the last query's result stays
        widget.search.setText(text)
    qtbot.waitUntil(lambda: names(widget) == ["櫛形手話サークル"], timeout=10_000)
    assert widget.count_label.text() == "1 / 1 件"
    assert widget.field_filter.count() == 21  # すべて + the 20 fields, loaded in the background
    shown: list[list[str]] = []
    widget.model.modelReset.connect(lambda: shown.append(names(widget)))
    with delivered(qtbot, widget.state.runner), slow_database(widget.state.runner):
        for text in ("くしがた", "おはなし"):  # both searches wait behind a slow database
            widget.search.setText(text)
            widget.controller.search_now()
    assert shown == [["白根おはなしの会"]]  # the older answer never flashed over the list
    assert widget.count_label.text() == "1 / 1 件"


def test_threaded_new_group_saved_from_the_modal_form_is_selected_in_the_list(qtbot, threaded_screen):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    widget = threaded_screen
    seen: list[GroupFormDialog] = []

    def fill_and_save() -> None:  # runs inside the form's own event loop (exec)
        form = QApplication.activeModalWidget()
        if not isinstance(form, GroupFormDialog):
            QTimer.singleShot(20, fill_and_save)
            return
        seen.append(form)
        form.editors["name"].setText("南アルプス将棋クラブ")
        form.editors["name_kana"].setText("ミナミアルプスショウギクラブ")
        legal = form.editors["legal_form"]
        legal.setCurrentIndex(legal.findData("voluntary"))
        form.main_field.setCurrentIndex(form.main_field.findData(6))
        form.editors["representative_name"].setText("羽生 一郎")
        form.editors["phone"].setText("055-123-4567")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        QTimer.singleShot(10_000, form.close)  # never hang the suite if saving fails

    QTimer.singleShot(0, fill_and_save)
    qtbot.mouseClick(widget.buttons["new"], Qt.MouseButton.LeftButton)  # returns when the form closes
    form = seen[0]
    assert form.saved is not None and form.saved.registration_no == "R08-0016"
    qtbot.waitUntil(lambda: widget.controller.selected_ids() == [form.saved.id], timeout=10_000)
    assert widget.model.rowCount() == 16 and "南アルプス将棋クラブ" in names(widget)
    assert widget.buttons["open"].isEnabled()


def _focus_chain(widget) -> list:
    chain, current = [], widget.nextInFocusChain()
    while current is not widget and len(chain) < 500:
        if current.focusPolicy() & Qt.FocusPolicy.TabFocus and current.isVisibleTo(widget) and current.isEnabled():
            chain.append(current)
        current = current.nextInFocusChain()
    return chain


def test_group_form_asks_before_discarding_typing_and_tabs_through_the_header_first(qtbot, app_state, monkeypatch):
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.show()
    chain = _focus_chain(form)
    assert chain.index(form.applied) < chain.index(form.editors["name"]) < chain.index(form.save_button)
    assert form.focusWidget() is form.editors["name"]  # the clerk starts typing the name, not on 保存
    qtbot.keyClick(form.editors["name"], Qt.Key.Key_Backtab)
    assert form.focusWidget() in (form.applied, form.tabs, form.tabs.tabBar())  # the header is before the fields
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    qtbot.keyClick(form, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not form.isVisible() and not asked
    form.show()
    form.editors["name"].setText("将棋クラブ")
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert asked and form.isVisible() and form.editors["name"].text() == "将棋クラブ"  # "No": keeps the typing
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()


def test_free_text_is_saved_exactly_as_typed_while_identifiers_are_folded(qtbot, app_state, screen):
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.editors["name"].setText("  ＮＰＯ法人 応援団（山梨）！ ")
    form.editors["name_kana"].setText("おうえんだん")
    form.editors["legal_form"].setCurrentIndex(form.editors["legal_form"].findData("npo"))
    form.main_field.setCurrentIndex(form.main_field.findData(6))
    form.editors["representative_name"].setText("羽生　一郎")
    form.editors["address"].setText("山梨県南アルプス市小笠原１５８８")
    form.editors["phone"].setText("０５５－２８２－１２３４")
    form.editors["notes"].setPlainText("所轄庁（山梨県）\n　応援します！")
    form.submit()
    assert form.saved is not None
    detail = groups.get_group(app_state.ctx, form.saved.id)
    assert detail.name == "ＮＰＯ法人 応援団（山梨）！"  # trimmed, otherwise as typed
    assert detail.representative_name == "羽生　一郎" and detail.address == "山梨県南アルプス市小笠原１５８８"
    assert detail.notes == "所轄庁（山梨県）\n　応援します！"
    assert detail.phone == "055-282-1234"  # an identifier: folded
    type_search(qtbot, screen, "npo法人 応援団")  # the search key still folds width
    assert "ＮＰＯ法人 応援団（山梨）！" in names(screen)


def test_group_form_saves_with_ctrl_s(qtbot, app_state, screen, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    form.editors["name"].setText("南アルプス将棋クラブ")
    form.editors["name_kana"].setText("ミナミアルプスショウギクラブ")
    form.editors["legal_form"].setCurrentIndex(form.editors["legal_form"].findData("voluntary"))
    form.main_field.setCurrentIndex(form.main_field.findData(6))
    form.editors["representative_name"].setText("羽生 一郎")
    form.editors["phone"].setText("055-123-4567")
    qtbot.keyClick(form.editors["name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.saved is not None, timeout=2000)  # a shortcut animates the click first
    assert form.saved.name == "南アルプス将棋クラブ"


def test_a_clicked_header_sorts_the_whole_list_and_actions_take_the_row_shown(qtbot, screen, opened):
    header = screen.table.horizontalHeader()
    legal = screen.legal_form_filter
    legal.setCurrentIndex(legal.findData("voluntary"))  # filter first
    filtered = set(names(screen))
    column = next(i for i in range(screen.model.columnCount()) if screen.model.headerData(i, Qt.Orientation.Horizontal) == "登録番号")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(column) + 5, 5))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=header.rect().topLeft() + QPoint(header.sectionViewportPosition(column) + 5, 5))
    numbers = [screen.model.index(r, 0).data() for r in range(screen.model.rowCount())]
    assert numbers == sorted(numbers, reverse=True) and set(names(screen)) == filtered  # descending, same filter
    screen.table.selectRow(2)
    shown = screen.model.index(2, 1).data()
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert opened[-1].detail.name == shown  # the group on row 3 as shown, not as first loaded


def test_dates_in_the_list_are_written_in_the_one_date_style_of_the_language(qtbot, screen):
    from center_app import i18n

    column = [screen.model.headerData(i, Qt.Orientation.Horizontal) for i in range(screen.model.columnCount())].index("有効期限")
    shown = {screen.model.index(r, column).data() for r in range(screen.model.rowCount())} - {""}
    assert shown and all(text.startswith("令和") and "-" not in text for text in shown)  # 令和9年3月31日, never 2027-03-31
    i18n.set_language("en")
    try:
        screen.controller.search_now()  # the app builds its screens anew in the new language; the list reloads
        assert screen.model.index(0, column).data().endswith(("2026", "2027")) and "-" not in screen.model.index(0, column).data()
    finally:
        i18n.set_language("ja")


def test_a_name_no_font_can_print_is_warned_as_typed_and_saved_as_written(qtbot, app_state, screen):
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.show()
    form.editors["name"].insert("\U00020BB7野 髙\uFA11 \uFA19社奉賛会")  # 𠮷, 神 U+FA19 (QTest cannot type above U+FFFF)
    assert not form.unprintable.isVisible()
    form.editors["representative_name"].insert("ສົມ 葛")  # Lao: no bundled font has it (keyClicks takes ASCII only)
    form.editors["representative_name"].insert("\U000E01EF")  # and 葛 + a variation selector no font has
    assert form.unprintable.isVisible()
    warning = form.unprintable.text()
    assert "代表者" in warning and "「ສ」(U+0EAA)" in warning and "「葛 + 異体字セレクタ U+E01EF」(U+845B)" in warning
    assert "保存" in warning
    form.editors["name_kana"].setText("ヨシノタカサキジンジャホウサンカイ")
    form.editors["legal_form"].setCurrentIndex(form.editors["legal_form"].findData("voluntary"))
    form.main_field.setCurrentIndex(form.main_field.findData(6))
    form.submit()
    assert form.saved is not None  # saved as typed, warned only
    detail = groups.get_group(app_state.ctx, form.saved.id)
    assert detail.name == "\U00020BB7野 髙\uFA11 \uFA19社奉賛会" and detail.representative_name == "ສົມ 葛\U000E01EF"
    reopened = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx), detail)
    qtbot.addWidget(reopened)
    assert "「ສ」(U+0EAA)" in reopened.unprintable.text()  # opening the group warns again
    reopened.editors["representative_name"].setText("𠮷田 一郎")
    assert not reopened.unprintable.isVisibleTo(reopened)


def _group_field_places(form):
    """Where each field of the first tab and the buttons are in the form, and the form's size."""
    widgets = [form.editors[name] for name in ("name", "name_kana", "legal_form")] + [form.main_field, form.other_fields, form.tabs,
                                                                                      form.save_button]
    return [(w.mapTo(form, QPoint(0, 0)), w.size()) for w in widgets] + [form.size()]


def test_a_refused_save_and_the_font_warning_move_no_field_of_the_group_form(qtbot, app_state, screen, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)  # closed at the end
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.resize(700, 640)
    form.show()
    qtbot.wait(10)
    before = _group_field_places(form)
    form.editors["name"].insert("ສົມ将棋クラブ")  # a name no bundled font has: the warning appears
    form.editors["phone"].setText("055-12")
    assert form.unprintable.isVisible()
    qtbot.wait(10)
    assert _group_field_places(form) == before
    form.submit()  # refused: 団体の種類, 活動分野 and the phone
    qtbot.wait(10)
    assert form.saved is None and form.errors["legal_form"].isVisible() and form.errors["activity_fields"].isVisible()
    assert "団体種別" in form.messages.text()  # each message is named with its field
    assert _group_field_places(form) == before  # no field moved, shrank or grew, nor the form


def test_a_field_error_goes_as_soon_as_the_field_is_edited(qtbot, app_state, screen, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)  # closed at the end
    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.show()
    form.editors["name"].setText("南アルプス将棋クラブ")
    form.editors["phone"].setText("055-12")
    form.editors["email"].setText("shogi@")
    form.submit()
    phone, email = form.editors["phone"], form.editors["email"]
    assert form.errors["phone"].isVisibleTo(form) and "border" in phone.styleSheet()  # the field is framed in red
    assert form.tabs.tabText(1).startswith("⚠")
    form.tabs.setCurrentIndex(1)
    phone.setFocus()
    qtbot.keyClicks(phone, "3-4567")  # corrected: its message and frame go at once, before any save
    assert not form.errors["phone"].isVisibleTo(form) and "border" not in phone.styleSheet()
    assert form.errors["email"].isVisibleTo(form) and "border" in email.styleSheet()  # the other field is still wrong
    assert form.tabs.tabText(1).startswith("⚠")
    email.setFocus()
    qtbot.keyClicks(email, "example.jp")
    assert not form.errors["email"].isVisibleTo(form) and form.tabs.tabText(1).startswith("⚠")  # 代表者 is still missing
    form.editors["representative_name"].setText("羽生 一郎")
    assert not form.tabs.tabText(1).startswith("⚠")  # nothing wrong is left on the tab
    form.editors["legal_form"].setCurrentIndex(form.editors["legal_form"].findData("voluntary"))  # a list: the same
    assert not form.errors["legal_form"].isVisibleTo(form)
    form.editors["name_kana"].setText("ミナミアルプスショウギクラブ")
    assert form.message.isVisibleTo(form)  # 「赤字の項目を直してください。」 while a field is still marked
    form.other_fields.item(3).setCheckState(Qt.CheckState.Checked)  # a ticked field too
    assert not form.errors["activity_fields"].isVisibleTo(form)
    assert not form.message.isVisibleTo(form) and not form.messages.text()  # nothing marked in red is left


def test_every_row_of_the_other_fields_list_shows_its_whole_check_box(qtbot, app_state):
    """The defect: the rows of 「その他の活動分野」 were lower than their check box, so the first
    row's box was cut by the list's top edge (and each box overlapped the row below)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    form = GroupFormDialog(app_state, groups.activity_fields(app_state.ctx))
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    fields = form.other_fields
    assert fields.count() == 20
    box = fields.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight, None, fields)
    for row in range(fields.count()):
        rect = fields.visualItemRect(fields.item(row))
        option = QStyleOptionViewItem()
        option.initFrom(fields.viewport())
        option.rect = rect
        option.features = QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator | QStyleOptionViewItem.ViewItemFeature.HasDisplay
        check = fields.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option, fields)
        assert rect.height() >= box + 2, (row, rect.height(), box)
        assert rect.top() <= check.top() and check.bottom() <= rect.bottom(), (row, rect, check)
    assert fields.visualItemRect(fields.item(0)).top() >= 0


def test_a_scanned_number_and_enter_open_that_group_while_the_database_is_slow(qtbot, threaded_state, admin_ctx, opened):
    """A QR scanner types the registration number and Enter before the search answers, with
    another group selected in the list still on screen: the group of the scanned number opens
    (the screen used to open the selected row of the previous list). A number of no group opens
    nothing and says so."""
    from runner_support import delivered, slow_database

    groups_io.import_groups(admin_ctx, SAMPLE)
    widget = GroupsScreen(threaded_state)
    qtbot.addWidget(widget)
    widget.show()
    runner = threaded_state.runner
    with delivered(qtbot, runner):
        widget.activate()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 2, timeout=5_000)
    widget.table.selectRow(0)
    wanted = widget.model.summary(2)
    with slow_database(runner):
        widget.search.setFocus()
        widget.search.setText(wanted.registration_no)
        qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=5_000)
    assert opened[0].detail.name == wanted.name
    with delivered(qtbot, runner):
        widget.search.setText("R99-9999")
        qtbot.keyClick(widget.search, Qt.Key.Key_Return)
    qtbot.wait(50)
    assert len(opened) == 1 and "R99-9999" in widget.count_label.text()
