"""印刷 screen: choosing documents, the live preview, saving and printing the PDF, the reissue
count, batches with progress, refusals shown beside the fields, the event list and form."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from center_app.services import events, groups
from center_app.services.group_values import GroupInput
from center_app.ui.pdf_output import paint_pdf
from center_app.ui.screens import SCREENS
from center_app.ui.screens.printing.event_dialog import EventDialog
from center_app.ui.screens.printing.view import DOCUMENTS, PrintingScreen


def text_of(data: bytes) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def pages_of(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def ink(image) -> float:
    """Share of non-white pixels of a QImage (sampled)."""
    dark = total = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            total += 1
            dark += image.pixelColor(x, y).lightness() < 240
    return dark / total


@pytest.fixture
def screen(qtbot, app_state):
    for name, kana in (("髙﨑まちづくりの会①", "タカサキマチヅクリノカイ"), ("白根おはなしの会", "シラネオハナシノカイ")):
        groups.register_group(app_state.ctx, GroupInput(name=name, name_kana=kana, legal_form="voluntary", activity_fields=(2,), representative_name="山田 花子", representative_kana="ヤマダ ハナコ"))
    widget = SCREENS["printing"](app_state)
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    widget.activate()
    return widget


def choose_group(screen: PrintingScreen, text: str = "たかさき") -> None:
    form = screen.forms["certificate"]
    form.search.setText(text)
    form.group_search.search_now()
    form.group_search.results.setCurrentRow(0)
    form.group_search.results.itemActivated.emit(form.group_search.results.item(0))
    screen.controller.refresh_preview()


def test_screen_is_registered_and_starts_with_certificates(screen):
    assert isinstance(screen, PrintingScreen)
    assert screen.documents.count() == len(DOCUMENTS) and screen.documents.currentRow() == 0
    assert not screen.print_button.isEnabled()  # nothing chosen yet
    assert screen.forms["certificate"].errors["group"].isVisible()


def test_scanned_number_and_enter_choose_the_group_and_show_the_preview(screen, qtbot):
    form = screen.forms["certificate"]
    qtbot.keyClicks(form.search, "R08-0001")  # a QR scanner types the number, then Enter
    qtbot.keyClick(form.search, Qt.Key.Key_Return)
    screen.controller.refresh_preview()
    assert form.group_id is not None and form.group_number == "R08-0001"
    assert len(screen.preview.images) == 1 and ink(screen.preview.images[0]) > 0.01
    assert screen.print_button.isEnabled() and screen.save_button.isEnabled()


def test_a_scanned_number_picks_its_group_while_the_database_is_slow(qtbot, threaded_state):
    """The scanner types the number and Enter faster than a search answers: the group of that
    number is picked when the answer comes (the form used to look at the list before the
    answer and pick nothing). A number of no group in force, or one mistyped, drops the group
    picked before (the form used to keep printing it) and picks no other: it says so."""
    from runner_support import delivered, slow_database

    for name, kana in (("髙﨑まちづくりの会①", "タカサキマチヅクリノカイ"), ("白根おはなしの会", "シラネオハナシノカイ")):
        groups.register_group(threaded_state.ctx, GroupInput(name=name, name_kana=kana, legal_form="voluntary", activity_fields=(2,),
                                                             representative_name="山田 花子", representative_kana="ヤマダ ハナコ"))
    screen = SCREENS["printing"](threaded_state)
    qtbot.addWidget(screen)
    screen.show()
    form, runner = screen.forms["certificate"], threaded_state.runner
    with delivered(qtbot, runner), slow_database(runner):
        form.search.setText("R08-0002")
        qtbot.keyClick(form.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: form.group_id is not None, timeout=5_000)
    assert form.group_number == "R08-0002" and "白根おはなしの会" in form.group_search.chosen.text()
    for typed in ("R08-0099", "R08-000"):  # no such group; a digit short of R08-0001
        with delivered(qtbot, runner):
            form.search.setText(typed)
            qtbot.keyClick(form.search, Qt.Key.Key_Return)
        assert form.group_id is None and form.group_number == ""  # never the group scanned before, nor a near one
        assert typed in form.group_search.chosen.text() and "ありません" in form.group_search.chosen.text()
        assert not screen.print_button.isEnabled()


def test_a_group_paused_after_it_was_chosen_is_said_in_plain_words(screen, app_state):
    choose_group(screen)
    groups.pause_group(app_state.ctx, screen.forms["certificate"].group_id, "活動休止届")
    screen.controller.refresh_preview()
    text = screen.preview.note.text()
    assert "休止" in text and "Error" not in text  # the rule's own words, not 「RuleError: …」
    assert not screen.print_button.isEnabled()


def test_save_writes_the_certificate_and_a_reissue_counts_only_then(screen, app_state, tmp_path):
    choose_group(screen)
    form = screen.forms["certificate"]
    form.reissue.setChecked(True)
    screen.controller.refresh_preview()
    assert "1" in screen.preview.note.text()
    group_id = form.group_id
    assert groups.get_group(app_state.ctx, group_id).certificate_reissue_count == 0  # preview writes nothing
    target = tmp_path / "cert.pdf"
    screen.controller.save_to(target)
    text = text_of(target.read_bytes())
    assert "髙﨑まちづくりの会①" in text and "再交付（1回目）" in text
    assert groups.get_group(app_state.ctx, group_id).certificate_reissue_count == 1
    assert not form.reissue.isChecked()  # the next print is not another reissue


def test_every_group_on_card_sheets(screen, tmp_path):
    form = screen.forms["certificate"]
    form.every.setChecked(True)
    form.card.setChecked(True)
    screen.controller.refresh_preview()
    assert len(screen.preview.images) == 1
    target = tmp_path / "cards.pdf"
    screen.controller.save_to(target)
    text = text_of(target.read_bytes())
    assert "髙﨑まちづくりの会①" in text and "白根おはなしの会" in text and pages_of(target.read_bytes()) == 1


def test_printing_draws_every_page_at_the_printer_resolution(screen, tmp_path):
    choose_group(screen)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(300)
    screen.controller.print_to(printer)
    printed = (tmp_path / "printed.pdf").read_bytes()
    assert pages_of(printed) == 1
    page = PdfReader(io.BytesIO(printed)).pages[0]
    assert abs(float(page.mediabox.width) - 595.3) < 2 and abs(float(page.mediabox.height) - 841.9) < 2  # A4 portrait
    images = list(page.images)
    assert images and Image.open(io.BytesIO(images[0].data)).size[0] >= 2400  # 8.27 in × 300 dpi
    assert "1" in screen.status.text()


def test_paint_pdf_turns_landscape_pages(qtbot, tmp_path):
    import datetime as dt

    from center_app.domain.documents import APPRECIATION, AwardBatch, Issuer, Recipient
    from center_app.print.awards import render_awards

    pdf = render_awards(AwardBatch(APPRECIATION, (Recipient("髙﨑 花子"), Recipient("山田 一郎")), "感謝します", dt.date(2026, 11, 29), vertical=True), Issuer("センター", "センター長"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "landscape.pdf"))
    printer.setResolution(150)
    assert paint_pdf(printer, pdf) == 2
    page = PdfReader(str(tmp_path / "landscape.pdf")).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def test_award_batch_previews_a_few_and_saves_all(screen, tmp_path, qtbot):
    screen.documents.setCurrentRow(1)
    form = screen.forms["award"]
    form.appreciation.setChecked(True)
    assert form.vertical.isChecked()  # 感謝状 defaults to 縦書き
    form.names.setPlainText("\n".join(f"髙﨑 花子{i}\tボランティアの会" for i in range(25)))
    assert form.count.text().startswith("25")
    screen.controller.refresh_preview()
    assert len(screen.preview.images) == 3 and "25" in screen.preview.note.text()
    target = tmp_path / "awards.pdf"
    screen.controller.save_to(target)
    data = target.read_bytes()
    assert pages_of(data) == 25 and "髙﨑花子24" in text_of(data) and "令和" in text_of(data)


def test_completion_certificate_prints_the_course_of_the_event_and_numbers(screen, app_state, tmp_path, qtbot):
    events.save_event(app_state.ctx, None, events.EventInput(title="市民活動入門講座", event_date="2026/11/14"))
    screen.documents.setCurrentRow(1)
    form = screen.forms["award"]
    form.reload()
    form.event.setCurrentIndex(form.event.findText("市民活動入門講座", Qt.MatchFlag.MatchStartsWith))
    assert form.course.text() == "市民活動入門講座"  # the event's title, for the clerk to adjust
    form.course.end(False)
    form.course.insert("（全3回）")  # as typed (an IME commits the text at the cursor)
    form.names.setPlainText("髙﨑 花子\n山田 一郎")
    screen.controller.refresh_preview()
    target = tmp_path / "completion.pdf"
    screen.controller.save_to(target)
    text = text_of(target.read_bytes())
    assert "講座名市民活動入門講座（全3回）" in text and "第2026-0001号" in text and "第2026-0002号" in text
    screen.controller.save_to(target)  # printed again: the same numbers
    assert "第2026-0001号" in text_of(target.read_bytes()) and "第2026-0003号" not in text_of(target.read_bytes())
    form.course.clear()
    screen.controller.refresh_preview()
    assert form.errors["course_name"].isVisible() and form.names.toPlainText() == "髙﨑 花子\n山田 一郎"
    form.appreciation.setChecked(True)
    assert not form.course.isEnabled()


def test_a_name_the_font_cannot_print_is_shown_beside_the_names(screen):
    screen.documents.setCurrentRow(1)
    form = screen.forms["award"]
    form.names.setPlainText("髙﨑 花子\nສົມໃຈ 花子")  # Lao: in no bundled font
    screen.controller.refresh_preview()
    assert form.errors["names"].isVisible() and "U+0EAA" in form.errors["names"].text() and "2" in form.errors["names"].text()
    assert not screen.print_button.isEnabled()
    assert form.names.toPlainText().endswith("ສົມໃຈ 花子")  # what was typed is kept


def test_flyer_of_an_event_without_a_date_says_so(screen, app_state):
    undated = events.save_event(app_state.ctx, None, events.EventInput(title="交流会（日程調整中）"))
    screen.events.reload()
    screen.controller._events_changed()
    screen.controller.open_flyer(undated.id)
    screen.controller.refresh_preview()
    assert "日付" in screen.preview.note.text()
    assert not screen.preview.images and not screen.save_button.isEnabled()


def test_the_flyer_form_fits_the_screen_of_a_1366_by_768_display(screen, app_state, qtbot):
    from PySide6.QtWidgets import QApplication

    from center_app.domain.errors import FieldProblem, ValidationError
    from center_app.ui.fonts import register_fonts, ui_font

    app = QApplication.instance()
    before = app.font()
    app.setFont(ui_font(register_fonts()))  # the app's own font (IPAex), whose widths the layout must fit
    try:
        _check_the_flyer_form_fits(screen, app_state, qtbot)
    finally:
        app.setFont(before)


def _check_the_flyer_form_fits(screen, app_state, qtbot):
    from PySide6.QtWidgets import QApplication

    from center_app.domain.errors import FieldProblem, ValidationError

    screen.resize(1206, 650)  # what the main window leaves the 印刷 screen at 1366×768
    event = events.save_event(app_state.ctx, None, events.EventInput(title="防災フェア", event_date="2027/02/01", start_time="13:00",
                                                                     end_time="16:00"))
    screen.controller._events_changed()
    screen.controller.open_flyer(event.id)
    form = screen.forms["flyer"]
    qtbot.wait(50)  # laid out, and the preview (which clears the messages) made
    screen.controller.timer.stop()
    form.show_problems(ValidationError([FieldProblem("translated_title", "翻訳したイベント名を入力してください。第二言語を選んだときは、"
                                                                         "その言語のイベント名が必要です。")]))
    QApplication.processEvents()
    viewport = form.parentWidget()
    assert form.width() <= viewport.width()  # nothing lies past the edge of the scroll area
    assert form.easy.width() >= form.easy.sizeHint().width()  # the checkbox's text is whole
    error = form.errors["translated_title"]
    assert error.isVisible() and error.mapTo(form, error.rect().topRight()).x() <= viewport.width()


def test_flyer_with_unreadable_picture_prints_without_it_only_when_ticked(screen, app_state, tmp_path):
    broken = tmp_path / "poster.png"
    broken.write_text("not a picture")
    event = events.save_event(app_state.ctx, None, events.EventInput(title="市民活動フェア", event_date="2026/12/13", start_time="10:00", end_time="15:00", image_path=str(broken)))
    screen.controller._events_changed()
    screen.controller.open_flyer(event.id)
    flyer = screen.forms["flyer"]
    flyer.language.setCurrentIndex(flyer.language.findData("pt_BR"))
    flyer.translated_title.setText("Feira de atividades")
    screen.controller.refresh_preview()
    assert not screen.preview.images and "poster.png" in flyer.skip_images.text() and flyer.skip_images.isVisible()
    flyer.skip_images.setChecked(True)
    screen.controller.refresh_preview()
    assert len(screen.preview.images) == 1 and ink(screen.preview.images[0]) > 0.02
    target = tmp_path / "flyer.pdf"
    screen.controller.save_to(target)
    text = text_of(target.read_bytes())
    assert "市民活動フェア" in text and "令和8年12月13日（日）" in text and "domingo,13dedezembrode2026" in text
    assert events.get_event(app_state.ctx, event.id).flyer_options.second_language == "pt_BR"  # remembered


def test_event_form_shows_problems_beside_fields_and_keeps_the_text(screen, app_state, qtbot):
    screen.documents.setCurrentRow(3)
    assert not screen.preview_pane.isVisible()
    dialog = EventDialog(app_state, [], None, screen)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editors["event_date"].setText("2026/02/30")
    dialog.editors["start_time"].setText("13:30")
    dialog.editors["description"].setPlainText("説明です。")
    dialog.submit()
    assert dialog.errors["title"].isVisible() and dialog.errors["event_date"].isVisible()
    assert dialog.saved is None and dialog.editors["description"].toPlainText() == "説明です。"
    dialog.editors["title"].setText("市民活動入門講座")
    dialog.editors["event_date"].setText("令和8年12月13日")
    dialog.submit()
    assert dialog.saved is not None and dialog.saved.start_time.hour == 13
    screen.events.after_save(dialog.saved)
    assert screen.events.table.rowCount() == 1
    assert screen.events.table.item(0, 0).text() == "令和8年12月13日（日）"
    assert screen.forms["flyer"].event.findData(dialog.saved.id) >= 0  # offered to the flyer at once


def test_an_event_in_a_room_books_it_with_the_booking_checks_and_is_linked_to_the_booking(app_state, qtbot, clock, monkeypatch):
    import datetime as dt

    from sqlalchemy import select

    from center_app.db.events import Event
    from center_app.db.models import Room
    from center_app.domain.booking_values import BookingInput, BookingStatus
    from center_app.services import bookings, config

    clock(dt.date(2026, 12, 5))
    ctx = app_state.ctx
    with ctx.db.read() as session:
        room = session.scalars(select(Room).where(Room.name == "会議室3")).one()
    other = bookings.create_booking(ctx, BookingInput(
        room_id=room.id, day=dt.date(2027, 1, 23), start_time=dt.time(13), end_time=dt.time(17), applicant_name="白根 花子",
        applicant_phone="055-282-1111", applicant_class="resident", expected_people=4))
    dialog = EventDialog(app_state, config.reference_choices(ctx, "room"), None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.editors["title"].setText("はじめてのNPO講座")
    dialog.editors["event_date"].setText("2027/1/23")
    dialog.editors["start_time"].setText("13:30")
    dialog.editors["end_time"].setText("16:00")
    dialog.editors["room_id"].setCurrentIndex(dialog.editors["room_id"].findData(room.id))
    dialog.submit()
    assert dialog.saved is None and dialog.isVisible()  # refused like a booking at the counter
    assert other.slip_no in dialog.errors["room_id"].text() or "白根" in dialog.errors["room_id"].text(), (dialog.message.text(), {k: v.text() for k, v in dialog.errors.items() if v.text()})
    with ctx.db.read() as session:
        assert session.scalars(select(Event)).all() == []  # nothing written: the flyer cannot advertise it
    dialog.editors["start_time"].setText("18:00")
    dialog.editors["end_time"].setText("20:00")
    dialog.submit()
    assert dialog.saved is not None
    with ctx.db.read() as session:
        booking_id = session.get(Event, dialog.saved.id).booking_id
    held = bookings.get_booking(ctx, booking_id)
    assert (held.room_id, held.start, held.end) == (room.id, dt.datetime(2027, 1, 23, 18), dt.datetime(2027, 1, 23, 20))
    assert held.purpose == "はじめてのNPO講座" and held.status == BookingStatus.CONFIRMED
    moved = events.save_event(ctx, dialog.saved.id, events.EventInput(
        title="はじめてのNPO講座", event_date=dt.date(2027, 1, 30), start_time="18:00", end_time="20:00", room_id=room.id))
    assert bookings.get_booking(ctx, booking_id).start == dt.datetime(2027, 1, 30, 18)  # the booking moves with the event
    events.delete_event(ctx, moved.id)
    assert bookings.get_booking(ctx, booking_id).status == BookingStatus.CANCELLED  # and is released with it


def test_a_card_sheet_can_start_at_any_of_its_ten_positions(screen, qtbot):
    form = screen.forms["certificate"]
    form.card.setChecked(True)
    choose_group(screen)
    assert form.first_position.isEnabled()

    def name_position(data: bytes) -> tuple[float, float]:
        found = []
        page = PdfReader(io.BytesIO(data)).pages[0]
        page.extract_text(visitor_text=lambda text, cm, tm, *_a: found.append((cm[4] + tm[4], cm[5] + tm[5])) if "まちづくり" in text else None)
        return found[0]

    first = name_position(screen.controller.pdf)
    form.first_position.setValue(7)  # the 7th card: left column, 4th row
    screen.controller.refresh_preview()
    seventh = name_position(screen.controller.pdf)
    assert abs(seventh[0] - first[0]) < 1 and first[1] - seventh[1] > 3 * 150  # three card rows (55 mm) lower


def test_cancelling_or_moving_an_events_booking_at_the_counter_offers_to_do_the_same_to_the_event(app_state, qtbot, clock, monkeypatch):
    import datetime as dt

    from PySide6.QtWidgets import QMessageBox

    from center_app.services import bookings, bookings_calendar
    from center_app.ui.screens.bookings.dialog import BookingDialog

    clock(dt.date(2026, 12, 5))
    ctx = app_state.ctx
    event = events.save_event(ctx, None, events.EventInput(
        title="はじめてのNPO講座", event_date=dt.date(2027, 1, 23), start_time="18:00", end_time="20:00", room_id=3))
    booking = bookings.get_booking(ctx, _booking_of(ctx, event.id))
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    frame, choices = bookings_calendar.calendar_frame(ctx, booking.facility_id), bookings_calendar.booking_choices(ctx)
    dialog = BookingDialog(app_state, frame, choices, booking=booking)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "はじめてのNPO講座" in dialog.event_note.text() and dialog.event_note.isVisible()
    dialog.start.setTime(dt.time(19))
    dialog.end.setTime(dt.time(21))
    dialog.submit()  # moved at the counter
    assert asked and "移しますか" in asked[-1]
    assert events.get_event(ctx, event.id).start_time == dt.time(19)
    dialog = BookingDialog(app_state, frame, choices, booking=bookings.get_booking(ctx, booking.id))
    qtbot.addWidget(dialog)
    dialog.cancel_with_reason("講師の都合")
    assert "外しますか" in asked[-1]
    assert events.get_event(ctx, event.id).room_id is None  # the flyer no longer names the room


def _booking_of(ctx, event_id: int) -> int:
    from center_app.db.events import Event

    with ctx.db.read() as session:
        return session.get(Event, event_id).booking_id


def test_a_flyer_takes_two_language_blocks_picked_by_their_own_names(screen, app_state, tmp_path):
    event = events.save_event(app_state.ctx, None, events.EventInput(title="多文化交流会", event_date="2026/12/13", start_time="10:00", end_time="12:00"))
    screen.controller._events_changed()
    screen.controller.open_flyer(event.id)
    flyer = screen.forms["flyer"]
    names = [flyer.language.itemText(i) for i in range(flyer.language.count())]
    assert {"Tiếng Việt", "中文（简体）", "ไทย", "Español", "Filipino (Tagalog)"} <= set(names)
    assert not flyer.third_language.isEnabled()  # a third language only after a second one
    flyer.language.setCurrentIndex(flyer.language.findData("vi"))
    flyer.translated_title.setText("Giao lưu đa văn hóa")
    flyer.third_language.setCurrentIndex(flyer.third_language.findData("zh_Hans"))
    flyer.third_title.setText("多元文化交流会")
    screen.controller.refresh_preview()
    assert len(screen.preview.images) == 1
    target = tmp_path / "flyer.pdf"
    screen.controller.save_to(target)
    text = text_of(target.read_bytes())
    assert "Giaolưuđavănhóa" in text.replace(" ", "") and "多元文化交流会" in text and "中文" in text and "TiếngViệt" in text.replace(" ", "")
    stored = events.get_event(app_state.ctx, event.id).flyer_options
    assert (stored.second_language, stored.third_language, stored.third_title) == ("vi", "zh_Hans", "多元文化交流会")


def test_enter_at_the_delete_question_keeps_the_event(screen, app_state, enter_at_questions):
    events.save_event(app_state.ctx, None, events.EventInput(title="市民活動フェア", event_date="2026/12/13"))
    screen.events.reload()
    screen.events.table.selectRow(0)
    screen.events.delete_selected()
    asked = enter_at_questions
    assert asked and "市民活動フェア" in asked[0]
    screen.events.reload()
    assert screen.events.table.rowCount() == 1
