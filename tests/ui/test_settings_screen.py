"""設定: editing configuration tables and staff accounts with real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt

from center_app.services import config
from center_app.services.config_spec import TABLES
from center_app.ui.screens.settings.dialogs import RowDialog
from center_app.ui.screens.settings.staff import StaffDialog
from center_app.ui.screens.settings.view import SettingsScreen


def _screen(qtbot, app_state) -> SettingsScreen:
    screen = SettingsScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    return screen


def test_model_passes_qt_model_tester(qtbot, app_state, qtmodeltester):
    screen = _screen(qtbot, app_state)
    tab = screen.config_tabs["room"]
    tab.reload()
    qtmodeltester.check(tab.model)


def test_rejected_edit_keeps_typing_and_points_at_the_field(qtbot, app_state):
    screen = _screen(qtbot, app_state)
    screen.tabs.setCurrentWidget(screen.config_tabs["room"])
    tab = screen.config_tabs["room"]
    row_index = next(i for i, r in enumerate(tab.model.rows) if r.values["code"] == "HALL")
    dialog = RowDialog(app_state, TABLES["room"], tab.model.row_at(row_index), tab.model.choices)
    qtbot.addWidget(dialog)
    capacity = dialog.editors["capacity"]
    capacity.clear()
    capacity.insert("たくさん")  # keyClicks takes ASCII only
    dialog.editors["name"].setText("大ホール")
    dialog.submit()
    assert dialog.saved is None
    assert "整数" in dialog.errors["capacity"].text() and dialog.errors["capacity"].isVisibleTo(dialog)
    assert capacity.text() == "たくさん" and dialog.editors["name"].text() == "大ホール"
    capacity.setText("120")
    dialog.submit()
    assert dialog.saved is not None
    tab.reload()
    shown = {tab.model.index(r, 2).data(): tab.model.index(r, 3).data() for r in range(tab.model.rowCount())}
    assert shown["大ホール"] == "120"


def test_adding_a_closed_day_from_the_screen(qtbot, app_state):
    screen = _screen(qtbot, app_state)
    tab = screen.config_tabs["closed_day"]
    tab.reload()
    before = tab.model.rowCount()
    dialog = RowDialog(app_state, TABLES["closed_day"], None, tab.model.choices)
    qtbot.addWidget(dialog)
    kind = dialog.editors["kind"]
    kind.setCurrentIndex(kind.findData("date"))
    dialog.editors["on_date"].setText("2026-12-10")
    dialog.editors["name"].setText("設備点検")
    dialog.submit()
    assert dialog.saved is not None
    tab.reload()
    assert tab.model.rowCount() == before + 1
    assert "設備点検" in [r.values["name"] for r in config.list_rows(app_state.ctx, "closed_day")]


def test_new_staff_account_with_short_password_is_refused(qtbot, app_state):
    dialog = StaffDialog(app_state, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.login_name, "yamada")
    dialog.display_name.insert("山田 太郎")  # keyClicks takes ASCII only
    qtbot.keyClicks(dialog.password, "abc")
    qtbot.keyClicks(dialog.password_again, "abc")
    dialog.submit()
    assert dialog.result() != StaffDialog.DialogCode.Accepted
    assert "10文字以上" in dialog.errors["password"].text()
    assert dialog.login_name.text() == "yamada"


def test_long_errors_get_their_full_height_and_do_not_overlap_the_next_field(qtbot, app_state):
    screen = _screen(qtbot, app_state)
    tab = screen.config_tabs["closed_day"]
    tab.reload()
    dialog = RowDialog(app_state, TABLES["closed_day"], None, tab.model.choices)
    qtbot.addWidget(dialog)
    dialog.show()
    for name in ("from_md", "to_md", "on_date", "name"):
        if name in dialog.editors:
            dialog.editors[name].setText("abc")
    dialog.submit()
    qtbot.wait(10)
    shown = [(name, label) for name, label in dialog.errors.items() if label.isVisible()]
    assert shown
    for name, label in shown:
        assert label.wordWrap() and label.height() >= label.heightForWidth(label.width()), name
        below = [e for e in dialog.editors.values() if e.isVisible() and e.y() > dialog.editors[name].y()]
        if below:  # the next field starts under the whole message
            assert min(e.geometry().top() for e in below) >= label.geometry().bottom(), name


def test_center_settings_tab_saves_through_the_checks_and_keeps_a_refused_value(qtbot, app_state):
    from center_app.services import center_settings

    screen = _screen(qtbot, app_state)
    tab = screen.center_tab
    assert screen.tabs.currentWidget() is tab  # shown first, loaded by activate()
    cap, pattern = tab.editors["monthly_slot_cap_per_group"], tab.editors["registration_no_pattern"]
    assert (cap.text(), pattern.text()) == ("8", "{era_letter}{era_year:02d}-{serial:04d}")
    cap.setText("多め")
    pattern.setText("第{fiscal_year}-{serial:03d}号")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert "整数" in tab.errors["monthly_slot_cap_per_group"].text() and tab.errors["monthly_slot_cap_per_group"].isVisibleTo(tab)
    assert cap.text() == "多め" and not tab.errors["registration_no_pattern"].isVisibleTo(tab)
    assert center_settings.get(app_state.ctx, "registration_no_pattern") == "{era_letter}{era_year:02d}-{serial:04d}"  # nothing saved
    cap.setText("１０")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert cap.text() == "10" and tab.status.text() == "保存しました。"
    assert not tab.errors["monthly_slot_cap_per_group"].isVisibleTo(tab)
    assert center_settings.get(app_state.ctx, "monthly_slot_cap_per_group") == 10
    assert center_settings.get(app_state.ctx, "registration_no_pattern") == "第{fiscal_year}-{serial:03d}号"


def test_the_date_style_chosen_in_settings_is_used_in_messages_lists_and_the_slip_and_never_in_english(qtbot, app_state, admin_ctx, clock):
    import datetime as dt
    import io

    from pypdf import PdfReader

    from center_app import i18n
    from center_app.domain.booking_values import BookingInput
    from center_app.services import bookings, documents
    from center_app.services.startup import open_center_database
    from center_app.ui.screens.bookings.home_panel import TodayBookingsPanel

    from sqlalchemy import select

    from center_app.db.models import Room

    clock(dt.date(2026, 12, 4))
    with admin_ctx.db.read() as session:
        room_id, facility_id = session.execute(select(Room.id, Room.facility_id).order_by(Room.id)).first()
    app_state.facility_id = facility_id
    screen = _screen(qtbot, app_state)
    tab = screen.center_tab
    style = tab.editors["date_style"]
    assert style.currentData() == "wareki"  # 和暦 with weekday by default
    style.setCurrentIndex(style.findData("western"))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.status.text() == "保存しました。"

    panel = TodayBookingsPanel(app_state)  # a title
    qtbot.addWidget(panel)
    panel.activate()
    assert "2026年12月4日（金）" in panel.heading.text() and "令和" not in panel.heading.text()
    values = dict(room_id=room_id, day=dt.date(2026, 12, 8), start_time=dt.time(13), end_time=dt.time(15), applicant_name="白根 花子",
                  applicant_phone="055-282-1111", applicant_class="resident", expected_people=4)
    made = bookings.create_booking(admin_ctx, BookingInput(**values))
    quote = bookings.quote_booking(admin_ctx, BookingInput(**values))  # a message: the clash names the other booking's date
    assert "2026年12月8日（火）" in quote.refusals[0].message and "令和" not in quote.refusals[0].message
    slip = PdfReader(io.BytesIO(documents.booking_slip_pdf(admin_ctx, made.id, language="ja").pdf)).pages[0].extract_text()
    assert "2026年12月8日（火）" in slip and "令和8年" not in slip  # the slip: the one style, once

    i18n.set_language("en")  # the English UI always writes western dates
    panel.activate()
    assert "Fri 4 Dec 2026" in panel.heading.text()
    i18n.set_language("ja")
    open_center_database(admin_ctx.db.url).dispose()  # another start reads the stored style again
    panel.activate()
    assert "2026年12月4日（金）" in panel.heading.text()
