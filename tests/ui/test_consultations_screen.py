"""相談 screen, its ホーム panel, a group's history and 操作履歴, driven with real widgets."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from sqlalchemy import select

from center_app.db.models import AuditEntry
from center_app.domain import clock
from center_app.services import consultations, consultations_queries
from center_app.services.consultations_values import ConsultationInput
from center_app.services.group_values import GroupInput
from center_app.services.groups import register_group
from center_app.ui.consultation_history import GroupHistoryDialog, history_button
from center_app.ui.runner import ImmediateRunner
from center_app.ui.screens.consultations.admin import RetentionDialog
from center_app.ui.screens.consultations.model import ConsultationTableModel
from center_app.ui.screens.consultations.panel import FollowUpPanel
from center_app.ui.screens.consultations.view import ConsultationsScreen
from center_app.ui.screens.settings.staff import AuditTab
from center_app.ui.state import AppState

TODAY = clock.today()


def _state(ctx) -> AppState:
    return AppState(ctx, ImmediateRunner())


def _screen(qtbot, ctx) -> ConsultationsScreen:
    screen = ConsultationsScreen(_state(ctx))
    qtbot.addWidget(screen)
    screen.resize(1130, 720)
    screen.show()
    screen.activate()
    return screen


def _record(ctx, **extra):
    topics = {t.name: t.id for t in consultations_queries.list_topics(ctx)}
    values = dict(consulted_on=TODAY - dt.timedelta(days=1), method="phone", client_type="individual", client_name="山田 太郎",
                  topic_ids=(topics["運営"],), content="会計の相談", staff_user_id=ctx.user.id)
    values.update(extra)
    return consultations.create_consultation(ctx, ConsultationInput(**values))


def _audit_actions(db) -> list[tuple[str, str]]:
    with db.read() as session:
        return [(e.action, e.note) for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "consultation").order_by(AuditEntry.id))]


def test_table_model_passes_qt_model_tester(qtbot, qtmodeltester, coordinator_ctx):
    _record(coordinator_ctx)
    _record(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY - dt.timedelta(days=1), confidential=True)
    model = ConsultationTableModel()
    model.set_rows(consultations_queries.search_consultations(coordinator_ctx).items)
    qtmodeltester.check(model)
    texts = [model.index(r, c).data() for r in range(2) for c in range(model.columnCount())]
    assert "電話" in texts and "限定" in texts and "会計の相談" not in texts  # the list never shows content


def test_refused_form_names_the_fields_and_keeps_the_input(qtbot, coordinator_ctx):
    screen = _screen(qtbot, coordinator_ctx)
    screen.new_consultation()
    form = screen.form
    assert screen.pages.currentWidget() is form
    form.client_name.insert("佐藤 花子")  # keyClicks takes ASCII only
    form.content.insertPlainText("補助金の申請書の書き方")
    form.start_time.selectAll()
    qtbot.keyClicks(form.start_time, "25:00")
    form.submit()
    for name in ("method", "client_type", "topic_ids", "start_time"):
        assert form.errors[name].isVisibleTo(form) and form.errors[name].text(), name
    assert "時刻" in form.errors["start_time"].text()
    assert not form.errors["content"].text() and not form.errors["client_name"].text()
    assert form.client_name.text() == "佐藤 花子" and form.content.toPlainText() == "補助金の申請書の書き方"
    assert screen.pages.currentWidget() is form
    form.method.setCurrentIndex(form.method.findData("visit"))
    form.client_type.setCurrentIndex(form.client_type.findData("individual"))
    form.start_time.setText("10:30")
    form.topic_list.set_checked([form.topic_list.item(4).data(256)])  # 資金・助成金
    form.submit()
    assert form.detail is not None and "保存しました" in form.message.text()
    screen.go_back()
    assert screen.pages.currentWidget() is screen.list_page
    assert screen.model.rowCount() == 1 and screen.model.index(0, 4).data() == "佐藤 花子"
    assert screen.model.index(0, 5).data() == "資金・助成金"


def test_follow_up_date_is_not_checked_while_follow_up_is_not_needed(qtbot, coordinator_ctx):
    screen = _screen(qtbot, coordinator_ctx)
    screen.new_consultation()
    form = screen.form
    form.follow_up_needed.setChecked(True)
    form.follow_up_due.setText("abc")
    form.follow_up_needed.setChecked(False)  # the date field is disabled now: no error may point at it
    form.submit()
    assert form.errors["method"].text()  # the form was refused for other fields
    assert not form.errors["follow_up_due"].text() and not form.follow_up_due.isEnabled()
    assert form.follow_up_due.text() == "abc"  # kept as typed
    form.follow_up_needed.setChecked(True)
    form.submit()
    assert form.errors["follow_up_due"].text()


def test_filters_and_opening_a_record_are_audited(qtbot, coordinator_ctx):
    phone = _record(coordinator_ctx)
    _record(coordinator_ctx, method="visit", client_name="田中 一郎", client_kana="タナカ イチロウ")
    screen = _screen(qtbot, coordinator_ctx)
    assert screen.model.rowCount() == 2
    assert not screen.buttons["retention"].isVisibleTo(screen) and not screen.buttons["topics"].isVisibleTo(screen)
    screen.method_filter.setCurrentIndex(screen.method_filter.findData("phone"))
    assert [r.id for r in screen.model.rows] == [phone.id]
    screen.method_filter.setCurrentIndex(0)
    screen.text.setText("たなか")
    screen.reload()
    assert [r.client_label for r in screen.model.rows] == ["田中 一郎"]
    screen.text.clear()
    screen.date_from.setText("令和2年4月31日")
    screen.reload()
    assert screen.filter_error.text()
    screen.date_from.clear()
    screen.reload()
    row = next(i for i, r in enumerate(screen.model.rows) if r.id == phone.id)
    screen.table.setCurrentIndex(screen.model.index(row, 0))
    qtbot.keyClick(screen.table, Qt.Key.Key_Return)  # Enter opens the record
    assert screen.pages.currentWidget() is screen.form and screen.form.content.toPlainText() == "会計の相談"
    assert ("read", "") in _audit_actions(coordinator_ctx.db)
    assert any(action == "list" and "method=phone" in note for action, note in _audit_actions(coordinator_ctx.db))


def test_export_from_the_screen_with_pseudonyms(qtbot, coordinator_ctx, tmp_path):
    _record(coordinator_ctx)
    screen = _screen(qtbot, coordinator_ctx)
    screen.redacted.setChecked(True)
    screen.export_to(tmp_path / "out.csv")
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "山田" not in text and "相談者-" in text
    assert "1" in screen.info.text()


def test_counter_staff_see_no_records_and_cause_no_service_calls(qtbot, counter_ctx, coordinator_ctx):
    _record(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY)
    screen = _screen(qtbot, counter_ctx)
    assert screen.notice.isVisibleTo(screen) and screen.model.rowCount() == 0
    panel = FollowUpPanel(_state(counter_ctx))
    qtbot.addWidget(panel)
    panel.activate()
    assert not panel.isVisibleTo(panel.parentWidget() or panel) and panel.items == []
    assert history_button(_state(counter_ctx), 1) is None
    assert [a for a, _n in _audit_actions(counter_ctx.db) if a == "denied"] == []


def test_home_panel_lists_my_follow_ups_due(qtbot, coordinator_ctx):
    due = _record(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY - dt.timedelta(days=2))
    _record(coordinator_ctx, follow_up_needed=True, follow_up_due=TODAY + dt.timedelta(days=40))
    panel = FollowUpPanel(_state(coordinator_ctx))
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    assert [c.id for c in panel.items] == [due.id]
    assert "期限切れ" in panel.table.item(0, 0).text() and panel.table.item(0, 3).text() == "山田 太郎"


def test_group_history_for_coordinators(qtbot, coordinator_ctx, admin_ctx):
    group = register_group(admin_ctx, GroupInput(name="ひまわり子ども食堂", name_kana="ヒマワリコドモショクドウ", legal_form="voluntary",
                                                 activity_fields=(2,), representative_name="佐藤 一郎"))
    _record(coordinator_ctx, group_id=group.id, client_name="")
    state = _state(coordinator_ctx)
    button = history_button(state, group.id)
    assert button is not None and history_button(state, None) is None
    dialog = GroupHistoryDialog(state, group.id, group.name)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 3).text() == "ひまわり子ども食堂"


def test_retention_dialog_deletes_expired_records(qtbot, admin_ctx):
    old = _record(admin_ctx, consulted_on=dt.date(2015, 5, 1))
    from center_app.db.consultations import Consultation

    with admin_ctx.db.write() as session:
        record = session.get(Consultation, old.id)
        record.status, record.completed_on = "done", dt.date(2015, 5, 1)
    dialog = RetentionDialog(_state(admin_ctx))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1 and dialog.years.value() == 5
    dialog.delete_listed()
    assert dialog.deleted == 1 and dialog.table.rowCount() == 0


def test_audit_tab_filters_by_user_action_and_period(qtbot, admin_ctx, counter_ctx):
    import pytest

    from center_app.domain.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        consultations_queries.search_consultations(counter_ctx)
    tab = AuditTab(_state(admin_ctx))
    qtbot.addWidget(tab)
    tab.reload()
    assert tab.table.rowCount() >= 3
    tab.action_filter.setCurrentIndex(tab.action_filter.findData("denied"))
    assert tab.table.rowCount() == 1 and tab.table.item(0, 4).text() == "拒否" and tab.table.item(0, 5).text() == "list"
    tab.user_filter.setCurrentIndex(tab.user_filter.findData(admin_ctx.user.id))
    assert tab.table.rowCount() == 0
    tab.user_filter.setCurrentIndex(0)
    tab.action_filter.setCurrentIndex(0)
    tab.entity_filter.setCurrentIndex(tab.entity_filter.findData("staff_user"))
    assert tab.table.rowCount() >= 2 and {tab.table.item(r, 2).text() for r in range(tab.table.rowCount())} == {"職員アカウント"}
    tab.date_from.setText((TODAY + dt.timedelta(days=1)).isoformat())
    tab.reload()
    assert tab.table.rowCount() == 0


# --- on the real threaded runner -------------------------------------------------------------------


def _threaded_screen(qtbot, ctx, runner) -> ConsultationsScreen:
    screen = ConsultationsScreen(AppState(ctx, runner))
    qtbot.addWidget(screen)
    screen.resize(1130, 720)
    screen.show()
    screen.activate()
    return screen


def test_threaded_list_follows_the_filters_and_shows_a_record_saved_from_the_form(qtbot, coordinator_ctx, threaded_runner):
    phone = _record(coordinator_ctx)
    _record(coordinator_ctx, method="visit", client_name="田中 一郎", client_kana="タナカ イチロウ")
    screen = _threaded_screen(qtbot, coordinator_ctx, threaded_runner)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10_000)
    assert screen.count_label.text() == "相談記録 2 件"
    screen.method_filter.setCurrentIndex(screen.method_filter.findData("phone"))
    qtbot.waitUntil(lambda: [r.id for r in screen.model.rows] == [phone.id], timeout=10_000)
    screen.method_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10_000)

    screen.new_consultation()
    form = screen.form
    qtbot.waitUntil(lambda: form.topic_list.count() > 0, timeout=10_000)  # the choices came in the background
    form.client_name.insert("佐藤 花子")
    form.content.insertPlainText("補助金の申請書の書き方")
    form.method.setCurrentIndex(form.method.findData("visit"))
    form.client_type.setCurrentIndex(form.client_type.findData("individual"))
    form.start_time.setText("10:30")
    form.topic_list.set_checked([form.topic_list.item(4).data(256)])  # 資金・助成金
    form.submit()
    qtbot.waitUntil(lambda: form.detail is not None, timeout=10_000)
    assert "保存しました" in form.message.text()
    screen.go_back()
    qtbot.waitUntil(lambda: screen.model.rowCount() == 3, timeout=10_000)
    assert "佐藤 花子" in [r.client_label for r in screen.model.rows]


def test_threaded_group_filter_cleared_before_its_search_answers_filters_nothing(qtbot, coordinator_ctx, admin_ctx, threaded_runner):
    from runner_support import delivered, erased_before_the_answer

    group = register_group(admin_ctx, GroupInput(name="櫛形手話サークル", name_kana="クシガタシュワサークル", legal_form="voluntary",
                                                 activity_fields=(2,), representative_name="山田 花子"))
    _record(coordinator_ctx, client_type="civic_group", client_name="", group_id=group.id)
    _record(coordinator_ctx, client_name="田中 一郎")
    screen = _threaded_screen(qtbot, coordinator_ctx, threaded_runner)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10_000)
    picker = screen.group_filter
    erased_before_the_answer(qtbot, threaded_runner, picker, "しゅわ")
    assert picker.search.text() == "" and picker.group_id() is None
    qtbot.waitUntil(lambda: screen.model.rowCount() == 2, timeout=10_000)  # the list is not filtered by the erased group
    picker.search.setText("しゅわ")
    with delivered(qtbot, threaded_runner):
        picker.search_now()
    assert picker.group_id() == group.id  # one match: chosen
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1, timeout=10_000)


def test_a_new_consultation_starts_now_for_30_minutes_and_saves_both(qtbot, coordinator_ctx, clock):
    clock(dt.datetime(2026, 12, 7, 14, 37))
    screen = _screen(qtbot, coordinator_ctx)
    screen.new_consultation()
    form = screen.form
    assert (form.start_time.text(), form.duration.text()) == ("14:35", "30")  # values, not grey placeholders
    assert not form.start_time.placeholderText() and not form.duration.placeholderText()
    form.method.setCurrentIndex(form.method.findData("visit"))
    form.client_type.setCurrentIndex(form.client_type.findData("individual"))
    form.client_name.insert("佐藤 花子")
    form.content.insertPlainText("会計の相談")
    form.topic_list.set_checked([form.topic_list.item(3).data(256)])
    form.submit()
    saved = consultations_queries.get_consultation(coordinator_ctx, form.detail.id)
    assert (saved.start_time, saved.duration_minutes) == (dt.time(14, 35), 30)


def test_a_header_click_sorts_in_the_database_and_the_button_opens_the_row_shown(qtbot, coordinator_ctx):
    from PySide6.QtCore import QPoint

    people = [("渡辺 五郎", "ワタナベ ゴロウ", "phone"), ("青木 一子", "アオキ イチコ", "phone"), ("加藤 三郎", "カトウ サブロウ", "visit"),
              ("佐藤 次郎", "サトウ ジロウ", "phone"), ("井上 四郎", "イノウエ シロウ", "phone"), ("上田 六子", "ウエダ ムツコ", "visit")]
    for days, (name, kana, method) in enumerate(people):  # the first is the newest
        _record(coordinator_ctx, consulted_on=TODAY - dt.timedelta(days=days + 1), client_name=name, client_kana=kana, method=method,
                content=f"{name}さんの相談")
    screen = _screen(qtbot, coordinator_ctx)
    screen.method_filter.setCurrentIndex(screen.method_filter.findData("phone"))
    assert [r.client_label for r in screen.model.rows] == ["渡辺 五郎", "青木 一子", "佐藤 次郎", "井上 四郎"]  # newest first

    header = screen.table.horizontalHeader()
    column = next(c for c in range(screen.model.columnCount()) if screen.model.headerData(c, Qt.Orientation.Horizontal) == "相談者")
    spot = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    ascending = ["青木 一子", "井上 四郎", "佐藤 次郎", "渡辺 五郎"]  # by reading, still only the phone consultations
    shown = [screen.model.index(r, column).data() for r in range(screen.model.rowCount())]
    assert shown in (ascending, ascending[::-1])
    if shown != ascending:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        shown = [screen.model.index(r, column).data() for r in range(screen.model.rowCount())]
    assert shown == ascending

    screen.table.selectRow(2)  # row 3 as shown: 佐藤 次郎
    qtbot.mouseClick(screen.buttons["open"], Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is screen.form and screen.form.content.toPlainText() == "佐藤 次郎さんの相談"


def test_enter_at_the_discard_question_keeps_the_typed_form(qtbot, coordinator_ctx, enter_at_questions):
    screen = _screen(qtbot, coordinator_ctx)
    screen.new_consultation()
    form = screen.form
    form.client_name.insert("佐藤 花子")
    screen.go_back()
    asked = enter_at_questions
    assert asked and "破棄" in asked[0]
    assert screen.pages.currentWidget() is form and form.client_name.text() == "佐藤 花子"


def _form_field_places(form):
    """Where each field and the buttons are in the form, and the form's size."""
    widgets = (form.consulted_on, form.start_time, form.duration, form.method, form.client_type, form.client_name, form.staff_box,
               form.topic_list, form.field_list, form.content, form.response, form.referral, form.save_button)
    return [(w.mapTo(form, QPoint(0, 0)), w.size()) for w in widgets] + [form.size()]


def test_a_refused_save_moves_no_field_of_the_consultation_form(qtbot, coordinator_ctx):
    screen = _screen(qtbot, coordinator_ctx)
    screen.new_consultation()
    form = screen.form
    qtbot.wait(10)
    before = _form_field_places(form)
    form.content.insertPlainText("補助金の申請書の書き方")
    form.submit()  # refused: 相談方法, 相談者の属性, 相談分野
    qtbot.wait(10)
    assert form.errors["method"].isVisibleTo(form) and form.errors["topic_ids"].isVisibleTo(form)
    assert "相談方法" in form.messages.text()  # each message is named with its field
    assert _form_field_places(form) == before  # no field moved, shrank or grew
    screen.go_back(force=True)


def test_a_consultation_field_error_goes_as_soon_as_the_field_is_edited(qtbot, coordinator_ctx):
    screen = _screen(qtbot, coordinator_ctx)
    screen.new_consultation()
    form = screen.form
    form.duration.setText("abc")
    form.submit()
    assert form.errors["duration_minutes"].isVisibleTo(form) and "border" in form.duration.styleSheet()
    assert form.errors["method"].isVisibleTo(form) and form.errors["topic_ids"].isVisibleTo(form)
    form.duration.setFocus()
    form.duration.clear()
    assert not form.errors["duration_minutes"].isVisibleTo(form)  # edited: its message and its red frame go at once
    qtbot.keyClicks(form.duration, "45")  # typed anew: nothing comes back before the next save
    assert not form.errors["duration_minutes"].isVisibleTo(form) and "border" not in form.duration.styleSheet()
    assert form.errors["method"].isVisibleTo(form)  # the others stay until their fields are edited
    form.method.setCurrentIndex(form.method.findData("visit"))
    assert not form.errors["method"].isVisibleTo(form)
    form.topic_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert not form.errors["topic_ids"].isVisibleTo(form) and form.errors["client_type"].isVisibleTo(form)
    assert form.message.isVisibleTo(form)  # 「赤字の項目を確認してください。」 while a field is still marked
    form.client_type.setCurrentIndex(form.client_type.findData("individual"))
    form.client_name.insert("佐藤 花子")
    form.content.insertPlainText("補助金の申請書の書き方")
    assert not form.messages.text()  # nothing marked in red is left, nor the line saying so
    screen.go_back(force=True)
