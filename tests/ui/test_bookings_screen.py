"""予約 screen with real widgets: drag on the grid, fill the dialog, save, see the booking; refusals
keep the input; click opens a booking; keyboard; week and month views; the ホーム panel."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTableWidget
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput, BookingStatus
from center_app.i18n import _
from center_app.services import bookings, groups
from center_app.services.group_values import GroupInput
from center_app.ui.screens.bookings.home_panel import TodayBookingsPanel
from center_app.ui.screens.bookings.model import DAY, MONTH, WEEK
from center_app.ui.screens.bookings.dialog import QUOTE_DELAY_MS
from center_app.ui.screens.bookings.view import BookingsScreen

TODAY = dt.date(2026, 6, 2)  # Tuesday
DAY_ = dt.date(2026, 6, 9)  # the next Tuesday


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


@pytest.fixture
def rooms(admin_ctx):
    with admin_ctx.db.read() as session:
        return {r.code: (r.id, r.facility_id) for r in session.scalars(select(Room))}


def _shown_screen(qtbot, state, rooms) -> BookingsScreen:
    """The 予約 screen of ``state`` on the main center's DAY_, 1200×700, shown and activated."""
    state.facility_id = rooms["M1"][1]
    state.date = DAY_
    widget = BookingsScreen(state)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    widget.activate()
    return widget


@pytest.fixture
def screen(qtbot, app_state, rooms):
    return _shown_screen(qtbot, app_state, rooms)


def book(ctx, room_id, day=DAY_, start="13:00", end="15:00", **extra):
    values = dict(room_id=room_id, day=day, start_time=dt.time.fromisoformat(start), end_time=dt.time.fromisoformat(end),
                  applicant_name="白根 花子", applicant_phone="055-282-1111", applicant_class="resident", expected_people=4)
    values.update(extra)
    return bookings.create_booking(ctx, BookingInput(**values))


def centre(grid, row, column) -> QPoint:
    return grid.cell_rect(row, column).center()


def column_of(grid, hour: int, minute: int = 0) -> int:
    return next(i for i, c in enumerate(grid.grid.columns) if c.start == dt.time(hour, minute))


def drag(qtbot, grid, row: int, first: int, last: int) -> None:
    """Press on the cell (``row``, ``first``), move to (``row``, ``last``) and release there."""
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=centre(grid, row, first))
    qtbot.mouseMove(grid, centre(grid, row, last))
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=centre(grid, row, last))


def new_by_time(screen, room_id: int, start: int, end: int):
    """The screen's dialog of a new booking of ``room_id`` by the hour, ``start``:00 to
    ``end``:00 on the day shown."""
    dialog = screen.controller.new_booking(None)
    dialog.by_time.setChecked(True)
    dialog.room.setCurrentIndex(dialog.room.findData(room_id))
    dialog.start.setTime(dt.time(start))
    dialog.end.setTime(dt.time(end))
    return dialog


def as_person(dialog, name: str = "櫛形 太郎", phone: str = "055-282-3333", people: int | None = 6) -> None:
    """Type the applicant as a person (not a registered group): name, phone and, unless None, 人数."""
    dialog.applicant.other_radio.setChecked(True)
    dialog.applicant.name.setText(name)
    dialog.applicant.phone.setText(phone)
    if people is not None:
        dialog.people.setValue(people)


def test_drag_on_the_grid_fill_the_dialog_save_and_see_the_booking(qtbot, screen, rooms):
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M2"][0])
    first, last = column_of(grid, 13), column_of(grid, 14, 30)
    drag(qtbot, grid, row, first, last)
    dialog = screen.controller.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.room.currentData() == rooms["M2"][0]
    assert (dialog.start.time().hour(), dialog.end.time().hour()) == (13, 15)

    as_person(dialog)
    dialog.purpose.setText("打合せ")
    dialog.refresh_quote()
    assert dialog.fee_label.text() and "400" in dialog.fee_label.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    shown = [b for b in grid.grid.bookings if b.applicant_name == "櫛形 太郎"]
    assert len(shown) == 1 and shown[0].start == dt.datetime(2026, 6, 9, 13) and shown[0].end == dt.datetime(2026, 6, 9, 15)
    assert grid.grid.booking_at(row, first).id == shown[0].id


def test_registered_group_by_number_and_a_refusal_keeps_the_input(qtbot, screen, admin_ctx, rooms):
    group = groups.register_group(admin_ctx, GroupInput(
        name="髙﨑まちづくりの会", name_kana="タカサキマチヅクリノカイ", legal_form="voluntary", activity_fields=(3,), representative_name="髙橋 一郎",
    ))
    other = book(admin_ctx, rooms["M1"][0], applicant_name="芦安 三郎")
    screen.controller.reload()
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M1"][0])
    grid.setFocus()
    grid.cursor = (row, column_of(grid, 15))
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # a free cell: propose a booking of 15:00–15:30
    dialog = screen.controller.dialog
    dialog.applicant.finder.search.setText("ｒ０８－０００１")  # typed as a scanner or a full-width keyboard sends it
    dialog.applicant.finder.pick_typed()
    assert dialog.applicant.group is not None and dialog.applicant.group.id == group.id
    dialog.start.setTime(dialog.start.time().addSecs(-3600))  # 14:00: overlaps the other booking
    dialog.people.setValue(20)
    dialog.purpose.setText("総会")
    dialog.submit()
    assert dialog.isVisible()
    assert "芦安 三郎" in dialog.feedback.text() and other.slip_no in dialog.feedback.text()
    assert "令和8年6月9日（火）" in dialog.feedback.text() and "2026-06-09" not in dialog.feedback.text()  # one date style
    assert (dialog.purpose.text(), dialog.people.value(), dialog.applicant.group.id) == ("総会", 20, group.id)
    assert "18" in dialog.errors["expected_people"].text() or "18" in dialog.feedback.text()  # capacity refusal named too
    dialog.start.setTime(dialog.start.time().addSecs(3600))
    dialog.people.setValue(12)
    dialog.submit()
    assert not dialog.isVisible()
    assert any(b.applicant_name == "髙﨑まちづくりの会" for b in grid.grid.bookings)


def test_missing_fields_are_shown_beside_them(qtbot, screen):
    screen.controller.new_from_cursor()
    dialog = screen.controller.dialog
    dialog.submit()
    assert dialog.isVisible()
    assert dialog.errors["expected_people"].isVisible() and dialog.errors["group_id"].isVisible()


def test_the_cancel_box_offers_the_configured_reasons_and_records_the_one_chosen(qtbot, screen, admin_ctx, rooms):
    view = book(admin_ctx, rooms["M3"][0], applicant_name="若草 三郎")
    screen.controller.reload()
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M3"][0])
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, row, column_of(grid, 13, 30)))
    dialog = screen.controller.dialog
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    box = dialog.reason_box
    assert box.choice.isVisible() and box.choice_code() == "" and box.reason.text() == ""  # nothing chosen for the clerk
    box.choice.setCurrentIndex(box.choice.findData("center"))
    assert box.reason.text() == "市・センターの都合"
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    cancelled = bookings.get_booking(admin_ctx, view.id)
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancel_reason_code == "center"


def test_click_opens_a_booking_and_cancel_with_reason_removes_it(qtbot, screen, admin_ctx, rooms):
    view = book(admin_ctx, rooms["M3"][0], applicant_name="若草 次郎")
    screen.controller.reload()
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M3"][0])
    point = centre(grid, row, column_of(grid, 13, 30))
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=point)
    dialog = screen.controller.dialog
    assert dialog.booking.id == view.id and dialog.applicant.name.text() == "若草 次郎"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    box = dialog.reason_box
    assert box.isVisible()
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert box.isVisible() and dialog.isVisible()  # a reason is required: the box stays open
    assert box.error.text() == "取消の理由を入力してください。" and "cancel_reason" not in box.error.text()
    box.reason.insert("雨天のため")
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert not box.isVisible() and not dialog.isVisible()
    assert bookings.get_booking(admin_ctx, view.id).status == BookingStatus.CANCELLED
    assert all(b.id != view.id for b in grid.grid.bookings)


def test_a_booking_changed_on_another_pc_is_not_cancelled_from_the_older_dialog(qtbot, screen, admin_ctx, rooms):
    """Another PC saved the booking after this dialog opened: the cancellation is refused as a
    save would be (the box stays open with the reason typed) and the booking stays as the other
    PC left it."""
    from dataclasses import replace

    view = book(admin_ctx, rooms["M3"][0], applicant_name="若草 四郎")
    screen.controller.reload()
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M3"][0])
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, row, column_of(grid, 13, 30)))
    dialog = screen.controller.dialog
    assert dialog.booking.id == view.id
    bookings.update_booking(admin_ctx, view.id, replace(view.to_input(), note="電話で人数変更"), expected_version=view.version)  # the other PC
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    box = dialog.reason_box
    box.reason.insert("雨天のため")
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert box.isVisible() and "ほかの端末で変更されました" in box.error.text() and box.reason.text() == "雨天のため"
    after = bookings.get_booking(admin_ctx, view.id)
    assert after.status != BookingStatus.CANCELLED and after.note == "電話で人数変更"


def test_keyboard_marks_cells_pages_and_goes_to_today(qtbot, screen, rooms):
    grid = screen.grid
    grid.setFocus()
    grid.cursor = (0, column_of(grid, 10))
    qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = screen.controller.dialog
    assert (dialog.start.time().hour(), dialog.start.time().minute(), dialog.end.time().hour(), dialog.end.time().minute()) == (10, 0, 11, 30)
    dialog.close()
    qtbot.keyClick(grid, Qt.Key.Key_PageDown)
    assert screen.state.date == DAY_ + dt.timedelta(days=1)
    qtbot.keyClick(grid, Qt.Key.Key_T)
    assert screen.state.date == TODAY
    assert "令和8年6月2日（火）" in screen.range_label.text()


def test_week_view_drag_books_slots_and_month_view_counts(qtbot, screen, admin_ctx, rooms):
    book(admin_ctx, rooms["M1"][0])
    screen.controller.set_mode(WEEK)
    grid = screen.grid
    assert len(grid.grid.columns) == 21 and grid.mode == WEEK
    monday_closed = [i for i, c in enumerate(grid.grid.columns) if c.day == dt.date(2026, 6, 8)]
    assert all(grid.grid.is_closed(i) for i in monday_closed)
    tuesday = [i for i, c in enumerate(grid.grid.columns) if c.day == DAY_]
    row = [r.id for r in grid.grid.rooms].index(rooms["WA"][0])
    drag(qtbot, grid, row, tuesday[0], tuesday[1])
    dialog = screen.controller.dialog
    assert dialog.by_slot.isChecked()
    assert [n for n, box in dialog.slot_boxes.items() if box.isChecked()] == ["午前", "午後"]
    dialog.close()

    screen.controller.set_mode(MONTH)
    month = screen.month
    cell = next(month.item(r, c) for r in range(6) for c in range(7) if month.item(r, c).data(Qt.ItemDataRole.UserRole) == DAY_)
    assert "1" in cell.text().split("\n")[-1]
    closed = next(month.item(r, c) for r in range(6) for c in range(7) if month.item(r, c).data(Qt.ItemDataRole.UserRole) == dt.date(2026, 6, 8))
    assert "休館日" in closed.text()
    month.setCurrentItem(cell)
    qtbot.keyClick(month, Qt.Key.Key_Return)
    assert screen.controller.mode == DAY and screen.state.date == DAY_


def test_home_panel_check_in_attendance_and_no_show(qtbot, app_state, admin_ctx, rooms, clock):
    clock(DAY_)
    first = book(admin_ctx, rooms["M1"][0], start="09:00", end="11:00", applicant_name="甲西 花子")
    second = book(admin_ctx, rooms["M2"][0], start="13:00", end="15:00", applicant_name="八田 一郎")
    book(admin_ctx, rooms["M2"][0], day=DAY_ + dt.timedelta(days=1), applicant_name="明日 太郎")
    app_state.facility_id = rooms["M1"][1]
    panel = TodayBookingsPanel(app_state)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    assert [c.applicant_name for c in panel.today_cells] == ["甲西 花子", "八田 一郎"]
    assert panel.tomorrow_table.item(0, 2).text() == "明日 太郎"
    panel.today_table.selectRow(0)
    qtbot.mouseClick(panel.check_in_button, Qt.MouseButton.LeftButton)
    assert panel.today_table.item(0, 5).text() == "✓"
    panel.attendance.setValue(99)  # 会議室1 holds 18: refused with the booking's message, the number typed stays
    qtbot.mouseClick(panel.attendance_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "会議室1の定員は18人です。" and panel.attendance.value() == 99
    assert bookings.get_booking(admin_ctx, first.id).attendance is None
    panel.attendance.setValue(7)
    qtbot.mouseClick(panel.attendance_button, Qt.MouseButton.LeftButton)
    assert (bookings.get_booking(admin_ctx, first.id).status, bookings.get_booking(admin_ctx, first.id).attendance) == (BookingStatus.USED, 7)
    panel.today_table.selectRow(1)
    qtbot.mouseClick(panel.no_show_button, Qt.MouseButton.LeftButton)
    assert bookings.get_booking(admin_ctx, second.id).status == BookingStatus.NO_SHOW
    assert panel.today_table.item(1, 4).text() == "無断キャンセル"


def test_screen_is_registered(app_state):
    from center_app.ui.screens import HOME_PANELS, SCREENS

    assert "bookings" in SCREENS
    assert any(getattr(f, "__name__", "") == "_bookings_panel" for f in HOME_PANELS)


def test_series_dialog_needs_explicit_skips(qtbot, screen, admin_ctx, rooms):
    from center_app.ui.screens.bookings.series import SeriesDialog

    book(admin_ctx, rooms["M1"][0], day=dt.date(2026, 6, 23), applicant_name="甲西 四郎")
    template = BookingInput(room_id=rooms["M1"][0], day=DAY_, start_time=dt.time(13), end_time=dt.time(15), applicant_name="山田 太郎",
                            applicant_phone="055-282-1111", applicant_class="resident", expected_people=5)
    dialog = SeriesDialog(screen.state, template)
    qtbot.addWidget(dialog)
    dialog.until.setDate(dialog.until.date().fromString("2026-06-30", "yyyy-MM-dd"))
    rows = {dialog.table.item(r, 0).data(Qt.ItemDataRole.UserRole): dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert list(rows) == [dt.date(2026, 6, d) for d in (9, 16, 23, 30)]
    assert "甲西 四郎" in rows[dt.date(2026, 6, 23)]
    dialog.submit()
    assert "令和8年6月23日" in dialog.message.text() and "2026-06-23" not in dialog.message.text()
    dialog.table.item(2, 0).setCheckState(Qt.CheckState.Checked)
    saved = []
    dialog.saved.connect(saved.append)
    dialog.submit()
    assert [b.day.day for b in saved[0].bookings] == [9, 16, 30]


def test_slip_preview_renders_the_page_and_switches_language(qtbot, app_state, admin_ctx, rooms):
    import io

    from pypdf import PdfReader

    from center_app.ui.screens.bookings.slip_preview import SlipPreview

    view = book(admin_ctx, rooms["M1"][0], applicant_name="髙﨑 花子", language="pt_BR")
    preview = SlipPreview(app_state, view.id)
    qtbot.addWidget(preview)
    preview.load()
    assert not preview.page.pixmap().isNull() and preview.page.pixmap().width() > 500
    assert preview.language.currentData() == "pt_BR"  # the applicant's language first
    assert "terça-feira, 9 de junho de 2026" in PdfReader(io.BytesIO(preview.data)).pages[0].extract_text()
    preview.language.setCurrentIndex(preview.language.findData("ja"))
    text = PdfReader(io.BytesIO(preview.data)).pages[0].extract_text()
    assert "令和8年6月9日（火）" in text and "髙﨑 花子" in text and view.slip_no in text
    preview.language.setCurrentIndex(preview.language.findData("ja_easy"))  # やさしい日本語: dates read with ルビ
    text = "".join(PdfReader(io.BytesIO(preview.data)).pages[0].extract_text().split())  # each reading drawn after its kanji
    assert "9日ここのか" in text and "火曜日かようび" in text and "髙﨑花子" in text and not preview.page.pixmap().isNull()


def test_empty_save_in_slot_mode_asks_for_a_slot_beside_the_slots_and_keeps_the_layout(qtbot, screen):
    dialog = screen.controller.new_booking(None)
    assert dialog.by_slot.isChecked()
    dialog.submit()
    assert dialog.isVisible()
    slot_error = dialog.errors["slot_names"]
    assert slot_error.isVisible() and slot_error.text() == _("Choose a time slot.")
    assert not dialog.errors["start_time"].isVisible() and not dialog.errors["end_time"].isVisible()
    qtbot.wait(10)
    for widget in (dialog.people, dialog.room, dialog.purpose):  # error labels do not squeeze the fields
        assert widget.height() >= widget.minimumSizeHint().height()
    assert slot_error.height() >= slot_error.heightForWidth(slot_error.width())


def test_time_outside_opening_hours_is_kept_and_capacity_is_shown_beside_people(qtbot, screen):
    dialog = screen.controller.new_booking(None)
    dialog.by_time.setChecked(True)
    dialog.start.setFocus()
    dialog.start.selectAll()
    qtbot.keyClicks(dialog.start, "0700")
    dialog.end.setTime(dialog.end.time().fromString("12:00", "HH:mm"))
    dialog.refresh_quote()
    assert dialog.start.time().toString("HH:mm") == "07:00"  # what was typed stays
    assert dialog.errors["start_time"].isVisible() and "09:00" in dialog.errors["start_time"].text()
    dialog.start.setTime(dialog.start.time().fromString("10:00", "HH:mm"))
    dialog.people.setValue(99)
    dialog.refresh_quote()
    assert not dialog.errors["start_time"].isVisible()
    assert dialog.errors["expected_people"].isVisible() and "18" in dialog.errors["expected_people"].text()


# --- on the real threaded runner: results come back later, through the GUI thread's event loop ------


@pytest.fixture
def threaded_screen(qtbot, threaded_state, rooms):
    widget = _shown_screen(qtbot, threaded_state, rooms)
    qtbot.waitUntil(lambda: widget.controller.data is not None and bool(widget.grid.grid.rooms), timeout=10_000)
    return widget


def test_threaded_drag_fill_save_and_see_the_booking_in_the_calendar(qtbot, threaded_screen, rooms):
    screen = threaded_screen
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M3"][0])
    first, last = column_of(grid, 9), column_of(grid, 11, 30)
    drag(qtbot, grid, row, first, last)
    dialog = screen.controller.dialog
    assert dialog is not None and dialog.isVisible() and dialog.room.currentData() == rooms["M3"][0]
    as_person(dialog)
    dialog.applicant.klass.setCurrentIndex(dialog.applicant.klass.findData("non_resident"))
    dialog.exemption.setCurrentIndex(dialog.exemption.findData("city_endorsed"))
    dialog.purpose.setText("打合せ")
    # the live fee arrives after the typing pause: 500 × 1.5 = 750, half waived → 370 to pay
    qtbot.waitUntil(lambda: "370" in dialog.fee_label.text(), timeout=10_000)
    assert "750" in dialog.fee_label.text() and "380" in dialog.fee_label.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(b.applicant_name == "櫛形 太郎" for b in grid.grid.bookings), timeout=10_000)
    assert not dialog.isVisible()
    shown = next(b for b in grid.grid.bookings if b.applicant_name == "櫛形 太郎")
    assert (shown.start, shown.end) == (dt.datetime(2026, 6, 9, 9), dt.datetime(2026, 6, 9, 12))
    assert grid.grid.booking_at(row, first).id == shown.id
    assert shown.slip_no in screen.status_label.text()
    assert screen.count_label.text() == "予約1件"


def test_threaded_conflict_is_named_while_typing_and_saving_keeps_the_input(qtbot, threaded_screen, admin_ctx, rooms):
    from runner_support import delivered

    screen = threaded_screen
    other = book(admin_ctx, rooms["M1"][0], applicant_name="芦安 三郎")
    with delivered(qtbot, screen.state.runner):
        screen.controller.reload()
    dialog = new_by_time(screen, rooms["M1"][0], 14, 16)
    as_person(dialog, people=4)
    dialog.purpose.setText("総会")
    qtbot.waitUntil(lambda: "芦安 三郎" in dialog.feedback.text(), timeout=10_000)  # live, before saving
    assert other.slip_no in dialog.feedback.text()
    dialog.feedback.setText("")
    with delivered(qtbot, screen.state.runner):
        dialog.submit()  # refused inside the write transaction: the other booking is named again
    assert "芦安 三郎" in dialog.feedback.text() and dialog.isVisible()
    assert (dialog.applicant.name.text(), dialog.purpose.text(), dialog.people.value()) == ("櫛形 太郎", "総会", 4)
    assert [b.applicant_name for b in screen.grid.grid.bookings] == ["芦安 三郎"]
    dialog.start.setTime(dialog.start.time().fromString("15:00", "HH:mm"))
    dialog.end.setTime(dialog.end.time().fromString("17:00", "HH:mm"))
    dialog.submit()
    qtbot.waitUntil(lambda: len(screen.grid.grid.bookings) == 2, timeout=10_000)
    assert not dialog.isVisible()


def test_threaded_slip_preview_shows_the_fee_rows_of_a_stored_booking(qtbot, threaded_state, admin_ctx, rooms):
    import io

    from pypdf import PdfReader

    from center_app.ui.screens.bookings.slip_preview import SlipPreview

    view = book(admin_ctx, rooms["M1"][0], start="09:00", end="12:00", applicant_name="櫛形 太郎", applicant_class="non_resident",
                exemption_code="city_endorsed")
    preview = SlipPreview(threaded_state, view.id)
    qtbot.addWidget(preview)
    preview.show()
    preview.load()
    qtbot.waitUntil(lambda: bool(preview.data), timeout=10_000)
    assert not preview.page.pixmap().isNull()
    text = PdfReader(io.BytesIO(preview.data)).pages[0].extract_text().splitlines()
    fees = text[text.index("使用料"):text.index("使用料") + 8]
    assert fees == ["使用料", "450円", "減免", "市の後援（50%）", "減免額", "230円", "お支払額", "220円"]


def test_threaded_slip_preview_closed_before_its_page_arrives(qtbot, threaded_state, admin_ctx, rooms):
    import shiboken6

    from runner_support import delivered, slow_database

    from center_app.ui.screens.bookings.slip_preview import open_slip_preview

    view = book(admin_ctx, rooms["M1"][0])
    runner = threaded_state.runner
    with delivered(qtbot, runner), slow_database(runner):
        preview = open_slip_preview(threaded_state, view.id)
        preview.close()  # the clerk closes the window while the slip is still being made
        qtbot.waitUntil(lambda: not shiboken6.isValid(preview), timeout=5_000)
    # the finished slip arrived for a window that is gone: nothing fails, nothing is shown


def test_enter_on_a_search_result_chooses_the_group_and_does_not_save_the_booking(qtbot, screen, admin_ctx, monkeypatch):
    """Enter on a result of the group search picks it; it used to reach the dialog too, which
    saved the booking at once (refused only because 人数 was still empty)."""
    group = groups.register_group(admin_ctx, GroupInput(
        name="𠮷野家将棋クラブ", name_kana="ヨシノヤショウギクラブ", legal_form="voluntary", activity_fields=(3,), representative_name="𠮷田 一郎",
    ))
    dialog = screen.controller.new_booking(None)
    qtbot.waitExposed(dialog)
    picker = dialog.applicant
    picker.finder.search.setText("よしのや")  # as the input method commits it
    picker.finder.search_now()
    assert picker.finder.results.count() == 1
    submitted = []
    monkeypatch.setattr(screen.state.runner, "submit", lambda *a, **k: submitted.append(a))
    qtbot.keyClick(picker.finder.search, Qt.Key.Key_Down)
    qtbot.keyClick(picker.finder.results, Qt.Key.Key_Return)
    assert picker.group is not None and picker.group.id == group.id
    assert dialog.isVisible() and not any(getattr(a[0], "__name__", "") in ("create_booking", "update_booking") for a in submitted)
    assert dialog.save_button.isEnabled()


def test_booking_dialog_starts_in_the_search_asks_before_discarding_takes_full_width_people_and_saves_once(
        qtbot, screen, monkeypatch, rooms):
    from PySide6.QtWidgets import QApplication, QMessageBox

    screen.grid.setFocus()
    qtbot.keyClick(screen.grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = screen.controller.dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.applicant.finder.search, timeout=2000)  # types the group at once
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.No)
    dialog.purpose.insert("将棋の例会")
    dialog.people.lineEdit().selectAll()
    dialog.people.lineEdit().insert("１２")  # as the Japanese input method types it
    assert dialog.people.value() == 12
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible() and dialog.purpose.text() == "将棋の例会"  # "No": the typing stays
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 2 and dialog.isVisible()
    submitted = []
    monkeypatch.setattr(screen.state.runner, "submit", lambda *a, **k: submitted.append(a))
    dialog.save_button.click()
    dialog.save_button.click()  # a double click while the first save runs
    assert len(submitted) == 1 and not dialog.save_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_series_leaves_closed_days_out_at_once_and_the_status_bar_names_every_booking(qtbot, screen, admin_ctx, rooms):
    from center_app.ui.screens.bookings.series import SeriesDialog

    template = BookingInput(room_id=rooms["M1"][0], day=dt.date(2026, 7, 6), start_time=dt.time(13), end_time=dt.time(15),
                            applicant_name="山田 太郎", applicant_phone="055-282-1111", applicant_class="resident", expected_people=5)
    dialog = screen.controller.new_booking(None)
    dialog.date.setDate(dt.date(2026, 7, 7))
    series = SeriesDialog(screen.state, template, dialog)
    qtbot.addWidget(series)
    series.kind.setCurrentIndex(0)  # every week: Mondays, 7/20 is 海の日 and Mondays are closed
    series.until.setDate(dt.date(2026, 7, 27))
    rows = {series.table.item(r, 0).data(Qt.ItemDataRole.UserRole): r for r in range(series.table.rowCount())}
    left_out = [d for d, r in rows.items() if series.table.item(r, 0).checkState() == Qt.CheckState.Checked]
    assert left_out == list(rows)  # closed Mondays and the open holiday 海の日: all left out without a tick
    assert "海の日" in series.table.item(rows[dt.date(2026, 7, 20)], 2).text()
    assert all(series.table.item(rows[d], 2).text() for d in left_out)  # each with its reason
    from PySide6.QtWidgets import QLabel

    assert any("休館日と祝日は理由を添えて最初から「除外」" in w.text() for w in series.findChildren(QLabel))  # says what the column does
    series.table.item(rows[dt.date(2026, 7, 20)], 0).setCheckState(Qt.CheckState.Unchecked)  # book the holiday after all
    saved = []
    series.saved.connect(saved.append)
    series.submit()  # no refusal for the closed Mondays: they were left out without a tick
    assert [b.day for b in saved[0].bookings] == [dt.date(2026, 7, 20)]


def test_series_saved_from_the_dialog_reports_every_booking_in_the_status_bar(qtbot, screen, admin_ctx, rooms):
    from center_app.services.bookings_series import SeriesInput, save_series, weekly_rule

    template = BookingInput(room_id=rooms["M1"][0], day=DAY_, start_time=dt.time(13), end_time=dt.time(15), applicant_name="山田 太郎",
                            applicant_phone="055-282-1111", applicant_class="resident", expected_people=5)
    result = save_series(admin_ctx, SeriesInput(template, weekly_rule(DAY_.weekday(), until=dt.date(2026, 6, 30))))
    dialog = screen.controller.new_booking(None)
    dialog.saved.emit(result)  # as the series dialog opened from this booking dialog hands it on
    text = screen.status_label.text()
    assert text.startswith("4件の予約を保存しました") and all(b.slip_no in text for b in result.bookings)


def test_the_rest_of_a_series_is_cancelled_in_one_action_with_one_reason(qtbot, screen, admin_ctx, rooms):
    from center_app.services.bookings_series import SeriesInput, save_series, weekly_rule

    template = BookingInput(room_id=rooms["M1"][0], day=DAY_, start_time=dt.time(13), end_time=dt.time(15), applicant_name="山田 太郎",
                            applicant_phone="055-282-1111", applicant_class="resident", expected_people=5)
    result = save_series(admin_ctx, SeriesInput(template, weekly_rule(DAY_.weekday(), until=dt.date(2026, 6, 30))))
    screen.controller._open_view((result.bookings[1], screen.controller.frame, screen.controller.choices))  # 6/16
    dialog = screen.controller.dialog
    assert dialog.cancel_series_button.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.cancel_series_button, Qt.MouseButton.LeftButton)
    box = dialog.reason_box
    box.reason.insert("講師の都合")
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    states = [bookings.get_booking(admin_ctx, b.id) for b in result.bookings]
    assert [s.status for s in states] == [BookingStatus.CONFIRMED] + [BookingStatus.CANCELLED] * 3  # from 6/16 on
    assert {s.cancel_reason for s in states[1:]} == {"講師の都合"} and not dialog.isVisible()
    shown = screen.status_label.text()  # it said 「保存しました：B… (取消)」 naming one booking
    assert shown.startswith("3件の予約を取り消しました") and all(s.slip_no in shown for s in states[1:])


def test_the_rest_of_a_series_is_cancelled_with_a_configured_reason_and_its_refund_rate(qtbot, screen, admin_ctx, rooms):
    from center_app.services.bookings_series import SeriesInput, save_series, weekly_rule

    template = BookingInput(room_id=rooms["M1"][0], day=DAY_, start_time=dt.time(13), end_time=dt.time(15), applicant_name="山田 太郎",
                            applicant_phone="055-282-1111", applicant_class="resident", expected_people=5)
    result = save_series(admin_ctx, SeriesInput(template, weekly_rule(DAY_.weekday(), until=dt.date(2026, 6, 30))))
    screen.controller._open_view((result.bookings[1], screen.controller.frame, screen.controller.choices))  # 6/16
    dialog = screen.controller.dialog
    qtbot.mouseClick(dialog.cancel_series_button, Qt.MouseButton.LeftButton)
    box = dialog.reason_box
    assert box.choice.isVisible() and box.choice_code() == ""  # the same choice as for one booking, nothing chosen
    offered = [box.choice.itemText(i) for i in range(box.choice.count())]
    assert "市・センターの都合（還付 100%）" in offered  # with its 還付率
    box.choice.setCurrentIndex(box.choice.findData("center"))
    assert box.reason.text() == "市・センターの都合"
    qtbot.mouseClick(box.buttons.button(box.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
    states = [bookings.get_booking(admin_ctx, b.id) for b in result.bookings]
    assert [(s.status, s.cancel_reason_code) for s in states] == [(BookingStatus.CONFIRMED, "")] + [(BookingStatus.CANCELLED, "center")] * 3
    assert not dialog.isVisible()


def test_a_long_status_message_never_widens_the_window_and_a_single_cancel_says_cancelled(qtbot, app_state, admin_ctx, rooms):
    """The defect: the message naming every booking of a series widened the main window past a
    1366 px screen for the rest of the day; a cancelled booking was reported as 「保存しました」."""
    from center_app.ui.main_window import MainWindow

    window = MainWindow(app_state)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.show_section("bookings")
    screen = window.screen("bookings")
    screen.status_label.setText("、".join(f"B2026-{n:06d} 令和9年1月{n % 28 + 1}日（月）" for n in range(40)))
    qtbot.wait(20)
    assert window.minimumSizeHint().width() <= 1366 and window.width() <= 1366
    booked = book(admin_ctx, rooms["M1"][0])
    screen.controller._saved(bookings.cancel_booking(admin_ctx, booked.id, "雨天のため"))
    assert screen.status_label.text().startswith("取り消しました")


def test_dialogs_and_the_slip_preview_fit_a_1366_by_768_screen(qtbot, app_state, admin_ctx, rooms, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    from center_app.ui.main_window import MainWindow
    from center_app.ui.screens.bookings.slip_preview import SlipPreview

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1366, 728))  # 768 minus the taskbar
    window = MainWindow(app_state)
    qtbot.addWidget(window)
    from center_app.ui.screens.bookings.payment import DocumentPreview

    booked = book(admin_ctx, rooms["M1"][0])
    preview = SlipPreview(app_state, booked.id)
    qtbot.addWidget(preview)
    from center_app.services import documents

    permit = DocumentPreview(app_state, "使用許可書", lambda: documents.permit_pdf(admin_ctx, [booked.id]))  # the permit and receipt preview
    qtbot.addWidget(permit)
    for widget in (window, preview, permit):
        assert widget.width() <= 1366 and widget.height() <= 728 - 40, type(widget).__name__


def _field_places(dialog):
    """Where each field and the buttons are in the dialog, and the dialog's size."""
    widgets = (dialog.applicant.finder.search, dialog.room, dialog.date, dialog.start, dialog.end, dialog.people, dialog.purpose,
               dialog.exemption, dialog.status, dialog.note, dialog.save_button)
    return [(w.mapTo(dialog, QPoint(0, 0)), w.size()) for w in widgets] + [dialog.size()]


def test_a_conflict_message_appears_without_moving_any_field(qtbot, screen, admin_ctx, rooms):
    other = book(admin_ctx, rooms["M1"][0], applicant_name="芦安 三郎")  # 13:00–15:00
    dialog = new_by_time(screen, rooms["M1"][0], 15, 17)
    as_person(dialog)
    dialog.refresh_quote()
    qtbot.wait(10)
    assert dialog.fee_label.text() and not dialog.feedback.text()
    before = _field_places(dialog)

    dialog.start.setTime(dt.time(14))  # now overlaps the other booking
    dialog.refresh_quote()
    qtbot.wait(10)
    assert other.slip_no in dialog.feedback.text() and "芦安 三郎" in dialog.feedback.text()
    assert _field_places(dialog) == before  # no field moved, shrank or grew, nor the dialog
    dialog.submit()  # the refusal of saving too
    qtbot.wait(10)
    assert dialog.isVisible() and other.slip_no in dialog.feedback.text()
    assert _field_places(dialog) == before
    for widget in (dialog.people, dialog.room, dialog.purpose):  # and none is squeezed
        assert widget.height() >= widget.minimumSizeHint().height()


def test_an_unreadable_date_is_said_in_place_of_the_quote_and_named_on_save(qtbot, screen, admin_ctx, rooms):
    book(admin_ctx, rooms["M1"][0], applicant_name="芦安 三郎")  # 13:00–15:00 on 6/9, the date the dialog starts with
    dialog = new_by_time(screen, rooms["M1"][0], 13, 15)
    as_person(dialog)
    dialog.refresh_quote()
    assert "芦安 三郎" in dialog.feedback.text()  # the clash on 6/9

    dialog.date.setFocus()
    dialog.date.selectAll()
    qtbot.keyClicks(dialog.date, "2027/2/30")
    qtbot.keyClick(dialog.date, Qt.Key.Key_Return)
    qtbot.wait(QUOTE_DELAY_MS + 50)
    dialog.refresh_quote()
    assert dialog.fee_label.text() == "" and "芦安 三郎" not in dialog.feedback.text()  # nothing of the date before
    text = dialog.messages.text()
    assert "2027/2/30という日付はありません" in text and _("Date") in text

    dialog.submit()
    text = dialog.messages.text()
    assert dialog.isVisible() and f"{_('Date')}:" in text.replace("：", ":") and "2027/2/30という日付はありません" in text
    assert "赤字の項目を確認してください" not in text
    assert dialog.date.text().startswith("2027/2/30")  # what was typed stays

    dialog.date.setDate(dt.date(2026, 6, 10))  # a readable date: the quote is back
    dialog.refresh_quote()
    assert dialog.fee_label.text() and "2027/2/30" not in dialog.messages.text()


def test_the_rest_of_a_series_is_changed_in_one_action_naming_each_refused_date_then_leaving_it_if_told(qtbot, screen, admin_ctx, rooms):
    from center_app.services.bookings_series import SeriesInput, save_series, weekly_rule

    template = BookingInput(room_id=rooms["M1"][0], day=DAY_, start_time=dt.time(13), end_time=dt.time(15), applicant_name="山田 太郎",
                            applicant_phone="055-282-1111", applicant_class="resident", expected_people=5)
    result = save_series(admin_ctx, SeriesInput(template, weekly_rule(DAY_.weekday(), until=dt.date(2026, 6, 30))))  # 6/9 … 6/30
    other = book(admin_ctx, rooms["M1"][0], day=dt.date(2026, 6, 23), start="16:00", end="17:00", applicant_name="甲西 四郎")
    screen.controller._open_view((result.bookings[1], screen.controller.frame, screen.controller.choices))  # 6/16
    dialog = screen.controller.dialog
    assert dialog.change_series_button.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.change_series_button, Qt.MouseButton.LeftButton)
    change = dialog.series_change
    change.new_times.setChecked(True)
    change.start.setTime(dt.time(15))
    change.end.setTime(dt.time(17))
    change.people.setValue(8)
    change.reason.insert("講師の都合")
    qtbot.mouseClick(change.save_button, Qt.MouseButton.LeftButton)
    assert change.isVisible() and "令和8年6月23日（火）" in change.error.text() and other.slip_no in change.error.text()
    assert [bookings.get_booking(admin_ctx, b.id).start.hour for b in result.bookings] == [13] * 4  # nothing changed
    assert change.reason.text() == "講師の都合" and change.skip_refused.isEnabled()  # what was typed stays

    change.skip_refused.setChecked(True)
    qtbot.mouseClick(change.save_button, Qt.MouseButton.LeftButton)
    assert not change.isVisible() and not dialog.isVisible()
    now = [bookings.get_booking(admin_ctx, b.id) for b in result.bookings]
    assert [(b.start.hour, b.expected_people) for b in now] == [(13, 5), (15, 8), (13, 5), (15, 8)]
    assert screen.status_label.text().startswith("2件の予約を変更しました")


def test_home_on_a_1366_by_768_screen_shows_at_least_eight_of_todays_bookings(qtbot, admin_ctx, rooms):
    """The defect: at 1366×768 ホーム squeezed every list alike and showed 1½ rows of the counter list."""
    from window_support import home_at_1366_by_768

    for hour in range(9, 21):
        book(admin_ctx, rooms["M1"][0], day=TODAY, start=f"{hour:02d}:00", end=f"{hour:02d}:50", applicant_name=f"申込者{hour}")
    window = home_at_1366_by_768(qtbot, admin_ctx)
    table = window.screen("home").findChild(QTableWidget, "today_bookings")
    assert table.rowCount() == 12
    shown = table.visibleRegion().boundingRect()  # what the window shows of the table: nothing scrolled or clipped away
    whole_rows = [row for row in range(table.rowCount())
                  if shown.contains(table.viewport().mapTo(table, table.visualItemRect(table.item(row, 0)).topLeft()))
                  and shown.contains(table.viewport().mapTo(table, table.visualItemRect(table.item(row, 0)).bottomLeft()))]
    assert len(whole_rows) >= 8 and whole_rows[0] == 0


def test_an_applicant_name_no_font_can_print_is_warned_while_typing_and_saved_as_written(qtbot, screen, rooms):
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M2"][0])
    first, last = column_of(grid, 13), column_of(grid, 14, 30)
    drag(qtbot, grid, row, first, last)
    dialog = screen.controller.dialog
    as_person(dialog, "\U00020BB7野 次郎")  # 𠮷: printable
    dialog.refresh_quote()
    assert "U+" not in dialog.feedback.text()
    dialog.applicant.name.setText("ສົມໃຈ 次郎")  # Lao: in no bundled font
    dialog.refresh_quote()
    assert "注意" in dialog.feedback.text() and "「ສ」(U+0EAA)" in dialog.feedback.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()  # a warning, not a refusal: saved as typed
    assert any(b.applicant_name == "ສົມໃຈ 次郎" for b in grid.grid.bookings)


def test_the_booking_dialog_offers_the_eight_document_languages_and_easy_japanese_by_their_own_names(qtbot, screen):
    dialog = screen.controller.new_booking(None)
    names = [dialog.language.itemText(i) for i in range(dialog.language.count())]
    assert names == ["日本語", "やさしい日本語", "English", "Português (Brasil)", "Español", "中文（简体）", "Filipino (Tagalog)", "ไทย",
                     "Tiếng Việt"]
    assert [dialog.language.itemData(i) for i in range(dialog.language.count())] == [
        "ja", "ja_easy", "en", "pt_BR", "es", "zh_Hans", "tl", "th", "vi"]


def test_choosing_a_closed_day_moves_no_field_for_counter_staff_either(qtbot, counter_ctx, rooms):
    """The defect: for counter staff, a closed day (6/8) added the 「休館日利用の理由」 row, which
    pushed the right-hand column 33 px across and 保存 down; administrators had the row all along,
    so the buttons sat in different places by role."""
    from center_app.ui.runner import ImmediateRunner
    from center_app.ui.state import AppState

    state = AppState(counter_ctx, ImmediateRunner())
    state.facility_id, state.date = rooms["M1"][1], DAY_
    screen = BookingsScreen(state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    dialog = new_by_time(screen, rooms["M1"][0], 13, 15)
    dialog.refresh_quote()
    qtbot.wait(10)
    before = _field_places(dialog)
    assert dialog.override.isVisibleTo(dialog) and not dialog.override.isEnabled()  # there, greyed out
    dialog.date.setDate(QDate(2026, 6, 8))  # 休館日 (Monday)
    dialog.refresh_quote()
    qtbot.wait(10)
    assert dialog.last_quote.closed_reason and dialog.override.isEnabled()  # the reason can now be given
    assert _field_places(dialog) == before


def test_new_booking_without_a_marked_cell_is_blank_in_slot_mode_and_a_cell_sets_exactly_its_room_and_time(qtbot, screen, rooms):
    grid = screen.grid
    row = [r.id for r in grid.grid.rooms].index(rooms["M2"][0])
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, row, column_of(grid, 10)))  # one cell: that room and time
    dialog = screen.controller.dialog
    assert dialog.room.currentData() == rooms["M2"][0] and dialog.by_time.isChecked()
    assert (dialog.start.time().hour(), dialog.start.time().minute(), dialog.end.time().minute()) == (10, 0, 30)
    dialog.close()
    for open_new in (lambda: qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton),
                     lambda: qtbot.keyClick(grid, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)):
        grid.setFocus()
        open_new()  # nothing marked now: the earlier cell must not come back
        dialog = screen.controller.dialog
        assert dialog.by_slot.isChecked() and dialog.slots_widget.isEnabled()
        assert not any(box.isChecked() for box in dialog.slot_boxes.values())
        assert dialog.room.currentIndex() == 0 and dialog.date.date().toPython() == DAY_
        dialog.close()


def test_a_slot_ticked_in_time_mode_switches_to_slot_mode(qtbot, screen, rooms):
    grid = screen.grid
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=centre(grid, 0, column_of(grid, 10)))
    dialog = screen.controller.dialog
    assert dialog.by_time.isChecked()
    box = next(iter(dialog.slot_boxes.values()))
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center() - QPoint(box.width() // 2 - 6, 0))
    assert box.isChecked() and dialog.by_slot.isChecked() and not dialog.times_widget.isEnabled()
    slot = dialog.frame.slots[0]
    assert dialog.start.time().toPython() == slot.start and dialog.end.time().toPython() == slot.end


def test_the_second_click_of_a_double_click_that_opened_a_booking_changes_nothing_in_the_dialog(qtbot, screen, admin_ctx, rooms):
    view = book(admin_ctx, rooms["M3"][0], applicant_name="若草 次郎")
    screen.controller.reload()
    grid = screen.grid
    point = centre(grid, [r.id for r in grid.grid.rooms].index(rooms["M3"][0]), column_of(grid, 13, 30))
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=point)  # the first click opens the booking
    dialog = screen.controller.dialog
    assert dialog.booking.id == view.id
    radio = dialog.applicant.group_radio
    assert dialog.applicant.other_radio.isChecked()  # booked for a resident
    target = grid.mapToGlobal(point)
    spot = QPoint(8, radio.height() // 2)  # on the radio's circle
    dialog.move(dialog.pos() + target - radio.mapToGlobal(spot))  # 登録団体 lies under the mouse
    assert radio.mapToGlobal(spot) == target
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=spot)  # the second click of the double-click
    assert not radio.isChecked() and dialog.applicant.other_radio.isChecked() and dialog.applicant.name.text() == "若草 次郎"
    assert dialog.isVisible() and screen.controller.dialog is dialog
    qtbot.wait(QApplication.doubleClickInterval() + 60)
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=spot)  # a later click is the clerk's
    assert radio.isChecked()


def test_after_a_refused_save_the_focus_is_on_the_field_at_fault_so_enter_does_not_close(qtbot, screen, admin_ctx, rooms):
    dialog = screen.controller.new_booking(None)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    as_person(dialog, people=None)
    dialog.slot_boxes["午前"].setChecked(True)
    dialog.purpose.setText("打合せ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # 人数 missing: refused
    assert dialog.isVisible() and dialog.errors["expected_people"].isVisible()
    assert dialog.focusWidget() is dialog.people or dialog.people.isAncestorOf(dialog.focusWidget())
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)  # the clerk's next Enter
    assert dialog.isVisible() and dialog.purpose.text() == "打合せ"
    book(admin_ctx, rooms["M1"][0], start="09:00", end="12:00", applicant_name="芦安 三郎")  # the morning is taken meanwhile
    dialog.people.setValue(6)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "芦安 三郎" in dialog.feedback.text()
    assert dialog.focusWidget() is not dialog.close_button
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.isVisible()


def test_a_field_error_of_the_booking_dialog_goes_as_soon_as_the_field_is_edited(qtbot, screen, admin_ctx, rooms, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)  # closed at the end
    dialog = screen.controller.new_booking(None)
    as_person(dialog, phone="055-28", people=None)
    dialog.slot_boxes["午前"].setChecked(True)
    qtbot.wait(10)
    places = _field_places(dialog) + [dialog.applicant.phone.geometry(), dialog.applicant.name.geometry()]
    dialog.submit()  # refused: the phone, and 人数 missing
    phone, people = dialog.errors["applicant_phone"], dialog.errors["expected_people"]
    assert phone.isVisible() and people.isVisible() and "border" in dialog.applicant.phone.styleSheet()
    qtbot.wait(10)
    assert _field_places(dialog) + [dialog.applicant.phone.geometry(), dialog.applicant.name.geometry()] == places  # the red frame changes no size
    dialog.applicant.phone.setFocus()
    qtbot.keyClicks(dialog.applicant.phone, "2-3333")  # corrected: the message and the red frame go at once
    assert not phone.isVisible() and "border" not in dialog.applicant.phone.styleSheet()
    assert people.isVisible()  # the other field is still wrong
    dialog.people.setValue(6)
    assert not people.isVisible()
    qtbot.wait(QUOTE_DELAY_MS + 50)  # and the live check after the pause brings neither back
    assert not phone.isVisible() and not people.isVisible()


def test_the_month_view_names_its_month_in_the_centers_date_style_and_counts_its_bookings(qtbot, screen, rooms):
    from center_app import i18n
    from center_app.domain.wareki import WAREKI_STYLE, WESTERN_STYLE, set_date_style

    book(screen.state.ctx, rooms["M1"][0])  # 6/9, the day shown
    book(screen.state.ctx, rooms["M1"][0], day=dt.date(2026, 6, 16))
    book(screen.state.ctx, rooms["M1"][0], day=dt.date(2026, 7, 1))  # in the grid's last week, not in June
    screen.controller.set_mode(DAY)
    screen.controller.set_mode(MONTH)
    assert screen.range_label.text() == "令和8年6月"  # 和暦, as every other date of the screens
    assert screen.count_label.text() == "予約2件"  # June's bookings, not the day's shown before
    set_date_style(WESTERN_STYLE)  # 設定 → センター → 日付の表記: 西暦
    try:
        screen.controller.reload()
        assert screen.range_label.text() == "2026年6月"
        i18n.set_language("en")
        screen.controller.reload()
        assert screen.range_label.text() == "Jun 2026"
    finally:
        i18n.set_language("ja")
        set_date_style(WAREKI_STYLE)



def _in_sight(area, label) -> bool:
    """Whether ``label`` is wholly in view in the message area ``area``."""
    viewport = area.viewport()
    top = label.mapTo(viewport, label.rect().topLeft())
    return top.y() >= 0 and top.y() + label.height() <= viewport.height()


def test_four_refusals_of_a_save_are_all_in_sight(qtbot, screen):
    """The defect: the empty fee and refusal lines took two of the area's lines, so a 4th
    refusal was already out of sight."""
    dialog = screen.controller.new_booking(None)
    as_person(dialog, "", "12", 0)
    dialog.refresh_quote()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.wait(20)  # the area lays its messages out
    shown = [label for label in dialog.errors.values() if label.isVisibleTo(dialog) and label.text()]
    assert len(shown) == 4 and "人数" in dialog.messages.text()
    qtbot.waitUntil(lambda: all(_in_sight(dialog.messages, label) for label in shown))
    assert not dialog.messages.more_button.isVisibleTo(dialog)


def test_refusals_beyond_the_area_are_counted_and_listed_whole_without_the_dialog_moving(qtbot, screen, monkeypatch):
    """More refusals than the area has lines: 「他にN件…」 says how many are out of sight and
    lists them all over the form, which keeps its size."""
    from center_app.domain.errors import FieldProblem, ValidationError

    fields = ("room_id", "day", "expected_people", "purpose", "exemption_code", "language", "note")
    refusal = ValidationError([FieldProblem(name, f"{name}の値を確かめてください。") for name in fields])
    monkeypatch.setattr(bookings, "create_booking", lambda *a, **k: (_ for _ in ()).throw(refusal))
    dialog = screen.controller.new_booking(None)
    as_person(dialog, "白根 花子", "055-282-1111", 4)
    dialog.refresh_quote()
    qtbot.wait(20)
    size, area = dialog.size(), dialog.messages.geometry()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    more = dialog.messages.more_button
    qtbot.waitUntil(lambda: more.isVisibleTo(dialog))
    lines = dialog.messages.text().split("\n")
    assert len([line for line in lines if "確かめて" in line]) == len(fields)
    shown = [label for label in dialog.errors.values() if label.isVisibleTo(dialog) and label.text()]

    def counted() -> bool:  # the count said is the number of refusals out of sight, once the area is laid out
        hidden = [label for label in shown if not _in_sight(dialog.messages, label)]
        return bool(hidden) and more.text() == f"他に{len(hidden)}件…"

    qtbot.waitUntil(counted)
    assert not more.visibleRegion().isEmpty()
    assert dialog.size() == size and dialog.messages.geometry() == area  # nothing jumped
    qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
    popup = dialog.messages.popup
    qtbot.waitUntil(popup.isVisible)
    listed = popup.findChild(QLabel).text()
    assert all(line in listed for line in lines)
    assert dialog.size() == size
    QTest.keyClick(popup, Qt.Key.Key_Escape)
    assert not popup.isVisible() and dialog.isVisible() and dialog.applicant.name.text() == "白根 花子"


def test_a_paused_groups_booking_opens_with_a_neutral_note_and_refuses_only_a_new_date(qtbot, screen, admin_ctx, rooms):
    """The defect: opening a booking of a 休止 group showed a red refusal before the clerk did anything."""
    group = groups.register_group(admin_ctx, GroupInput(
        name="櫛形ハイキングの会", name_kana="クシガタハイキングノカイ", legal_form="voluntary", activity_fields=(3,), representative_name="櫛形 一郎",
    ))
    mine = book(admin_ctx, rooms["M1"][0], group_id=group.id, applicant_name="", applicant_class="registered", purpose="例会")
    groups.pause_group(admin_ctx, group.id, "活動休止")
    screen.controller.open_booking(mine.id)
    dialog = screen.controller.dialog
    dialog.refresh_quote()
    assert dialog.feedback.text() == "" and not any(label.isVisibleTo(dialog) for label in dialog.errors.values())
    assert dialog.group_note.text().startswith("この団体は休止中です。新しい予約はできません。")
    assert "red" not in dialog.group_note.styleSheet() and "#" not in dialog.group_note.styleSheet()
    dialog.purpose.setText("総会")
    dialog.submit()
    assert not dialog.isVisible() and bookings.get_booking(admin_ctx, mine.id).purpose == "総会"

    screen.controller.open_booking(mine.id)
    dialog = screen.controller.dialog
    dialog.date.setDate(DAY_ + dt.timedelta(days=1))
    dialog.refresh_quote()
    assert "休止" in dialog.errors["group_id"].text() and dialog.errors["group_id"].isVisibleTo(dialog)
    assert dialog.group_note.text() == ""
    dialog.submit()
    assert dialog.isVisible() and bookings.get_booking(admin_ctx, mine.id).day == DAY_
