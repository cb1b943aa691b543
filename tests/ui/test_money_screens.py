"""収納 at the counter with real widgets: the booking cycle in the GUI — book, permit, pay with
お預かり and お釣り (receipt), and another booking paid, cancelled by the center and refunded —
the 未納・期限切れ panel of ホーム with its one action, and the day close."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput, BookingStatus
from center_app.domain.money import MoneyState
from center_app.services import bookings, bookings_calendar, income, ledger_close
from center_app.ui.screens.bookings.dialog import BookingDialog
from center_app.ui.screens.bookings.dues_panel import DuesPanel
from center_app.ui.screens.bookings.payment import DocumentPreview, PaymentDialog

TODAY = dt.datetime(2026, 6, 2, 10, 0)
DAY = dt.date(2026, 6, 9)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


@pytest.fixture
def rooms(admin_ctx):
    with admin_ctx.db.read() as session:
        return {r.code: (r.id, r.facility_id) for r in session.scalars(select(Room))}


def book(ctx, room_id, day=DAY, slot="午後", **extra):
    values = dict(room_id=room_id, day=day, slot_names=(slot,), applicant_name="白根 花子", applicant_phone="055-282-1111",
                  applicant_class="resident", expected_people=4)
    values.update(extra)
    return bookings.create_booking(ctx, BookingInput(**values))


def open_dialog(qtbot, app_state, booking_id) -> BookingDialog:
    view = bookings.get_booking(app_state.ctx, booking_id)
    frame = bookings_calendar.calendar_frame(app_state.ctx, view.facility_id)
    dialog = BookingDialog(app_state, frame, bookings_calendar.booking_choices(app_state.ctx), booking=view)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def top_level(kind):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_the_booking_cycle_at_the_counter(qtbot, app_state, rooms):
    booked = book(app_state.ctx, rooms["M1"][0])
    dialog = open_dialog(qtbot, app_state, booked.id)
    assert dialog.money_label.text() == "納付: 未納（残額 400 円）"
    assert dialog.pay_button.isVisible() and not dialog.refund_button.isVisible()

    dialog.show_permit()
    permit = top_level(DocumentPreview)[-1]
    qtbot.waitUntil(lambda: permit.document is not None)
    assert permit.document.number == "P2026-000001" and permit.preview.images
    permit.close()

    pay = dialog.receive_payment()
    assert isinstance(pay, PaymentDialog)
    assert pay.due_label.text() == "400 円" and pay.amount.text() == "400"
    pay.tendered.setText("1000")
    assert pay.change.text() == "600 円"
    pay.tendered.setText("100")
    pay.submit()
    assert pay.isVisible() and "お預かり" in pay.error.text()  # refused: the typed values stay
    assert pay.amount.text() == "400"
    pay.tendered.setText("1,000")
    pay.submit()
    assert not pay.isVisible() and pay.payment.receipt_no == "R2026-000001" and pay.payment.change == 600
    receipt = top_level(DocumentPreview)[-1]
    qtbot.waitUntil(lambda: receipt.document is not None)
    assert receipt.document.number == "R2026-000001" and not receipt.document.reissue
    assert dialog.money_label.text() == "納付: 納付済" and not dialog.pay_button.isVisible()
    receipt.close()

    other = book(app_state.ctx, rooms["M2"][0])
    second = open_dialog(qtbot, app_state, other.id)
    pay = second.receive_payment()
    pay.method.setCurrentIndex(pay.method.findData("cashless"))
    assert not pay.tendered.isVisible()
    pay.submit()
    for preview in top_level(DocumentPreview):
        preview.close()
    second.cancel_with_reason("", "center")
    assert second.isVisible() and second.refund_box.isVisible()  # money is held: the refund is offered at once
    second.refund_box.reject()
    cancelled = open_dialog(qtbot, app_state, other.id)
    assert cancelled.money_label.text() == "納付: 還付なし" and cancelled.refund_button.isVisible()
    cancelled.refund("空調故障による休室")
    assert cancelled.money_label.text() == "納付: 還付済" and not cancelled.refund_button.isVisible()
    assert bookings.get_booking(app_state.ctx, other.id).money.state == MoneyState.REFUNDED

    day = income.daily_income(app_state.ctx, TODAY.date(), rooms["M1"][1])
    assert (day.net_cash, dict(day.by_method)) == (400, {"cash": 400, "cashless": 0})


def test_no_change_is_shown_for_an_amount_that_is_refused(qtbot, app_state, rooms):
    booked = book(app_state.ctx, rooms["M1"][0])
    pay = open_dialog(qtbot, app_state, booked.id).receive_payment()
    pay.tendered.setText("1000")
    pay.amount.setText("-400")
    assert pay.change.text() == "—"  # it said 1,400 円
    pay.submit()
    assert pay.isVisible() and pay.error.text() and pay.change.text() == "—" and pay.amount.text() == "-400"
    pay.amount.setText("500")  # more than the 400 due: refused too
    assert pay.change.text() == "—"
    pay.amount.setText("400")
    assert pay.change.text() == "600 円"
    pay.close()


def test_a_paid_booking_cancelled_at_the_counter_offers_its_refund_and_stays_open(qtbot, app_state, rooms):
    booked = book(app_state.ctx, rooms["M1"][0])
    dialog = open_dialog(qtbot, app_state, booked.id)
    pay = dialog.receive_payment()
    pay.tendered.setText("400")
    pay.submit()
    for preview in top_level(DocumentPreview):
        preview.close()
    dialog.ask_cancel()
    dialog.reason_box.choice.setCurrentIndex(dialog.reason_box.choice.findData("center"))
    dialog.reason_box.reason.setText("空調故障による休室")
    dialog.reason_box.confirm()
    assert bookings.get_booking(app_state.ctx, booked.id).status == BookingStatus.CANCELLED
    # the cancelled booking stays on screen with its restore and refund buttons, and the refund is asked at once
    assert dialog.isVisible() and dialog.restore_button.isVisible() and dialog.refund_button.isVisible()
    box = dialog.refund_box
    assert box.isVisible() and "100%" in box.labelText() and "400 円" in box.labelText()
    assert box.textValue() == "空調故障による休室"
    box.setTextValue("空調故障による休室（全額還付）")
    box.accept()
    money = bookings.get_booking(app_state.ctx, booked.id).money
    assert (money.state, money.refunded) == (MoneyState.REFUNDED, 400)
    assert dialog.money_label.text() == "納付: 還付済" and not dialog.refund_button.isVisible()


def test_the_dues_panel_lists_a_cancelled_booking_whose_refund_is_due(qtbot, app_state, rooms):
    from center_app.services import ledger

    booked = book(app_state.ctx, rooms["M1"][0])
    ledger.record_payment(app_state.ctx, [booked.id], "cash")
    bookings.cancel_booking(app_state.ctx, booked.id, "空調故障", "center")
    kept = book(app_state.ctx, rooms["M2"][0])  # cancelled by the applicant: 還付 0%, nothing to refund
    ledger.record_payment(app_state.ctx, [kept.id], "cash")
    bookings.cancel_booking(app_state.ctx, kept.id, "都合により", "applicant")
    app_state.facility_id = rooms["M1"][1]
    panel = DuesPanel(app_state)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    assert [(i.booking_id, i.kind, i.outstanding) for i in panel.items] == [(booked.id, "refund_held", 400)]
    assert panel.table.item(0, 0).text() == "取消・還付待ち" and "還付 100%" in panel.table.item(0, 7).text()
    panel.table.selectRow(0)
    assert panel.action_button.text() == "還付…"
    panel.act()
    assert "400 円" in panel.refund_box.labelText()
    panel.refund_box.accept()
    assert bookings.get_booking(app_state.ctx, booked.id).money.state == MoneyState.REFUNDED
    assert panel.items == []


def test_the_dues_panel_lists_what_is_due_with_one_action_and_closes_the_day(qtbot, app_state, rooms, clock, monkeypatch):
    overdue = book(app_state.ctx, rooms["M1"][0], day=dt.date(2026, 6, 5))  # deadline 6/2
    provisional = book(app_state.ctx, rooms["M2"][0], day=DAY + dt.timedelta(days=14), status=BookingStatus.PROVISIONAL)
    clock(dt.datetime(2026, 6, 4, 9, 0))
    app_state.facility_id = rooms["M1"][1]
    panel = DuesPanel(app_state)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    kinds = {item.booking_id: item.kind for item in panel.items}
    assert kinds == {overdue.id: "overdue"}
    assert panel.table.item(0, 0).text() == "納付期限切れ" and panel.table.item(0, 7).text() == "取消"
    panel.table.selectRow(0)
    assert panel.action_button.text() == "収納…"
    panel.act()
    pay = top_level(PaymentDialog)[-1]
    pay.tendered.setText("500")
    pay.submit()
    for preview in top_level(DocumentPreview):
        preview.close()
    assert panel.items == [] and "400" in panel.cash_label.text()

    clock(dt.datetime(2026, 6, 11, 9, 0))  # the 仮予約 made on 6/2 is past its 8 days
    panel.activate()
    assert [(i.booking_id, i.kind) for i in panel.items] == [(provisional.id, "provisional_expired")]
    panel.table.selectRow(0)
    assert panel.action_button.text() == "仮予約を取り消す"
    panel.act()
    assert bookings.get_booking(app_state.ctx, provisional.id).status == BookingStatus.CANCELLED

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.close_day()
    assert "締め済み" in panel.cash_label.text() and not panel.close_button.isEnabled()
    assert ledger_close.is_day_closed(app_state.ctx, rooms["M1"][1], dt.date(2026, 6, 11))


def test_a_refused_payment_keeps_the_rows_in_place_and_its_message_goes_once_the_amount_is_fixed(qtbot, app_state, rooms):
    booked = book(app_state.ctx, rooms["M1"][0])
    pay = PaymentDialog(app_state, [booked.id], open_receipt_after=False)
    qtbot.addWidget(pay)
    pay.show()
    qtbot.waitExposed(pay)
    assert "令和8年6月9日（火）" in pay.summary.text() and "2026-06-09" not in pay.summary.text()  # the one date style
    rows = (pay.method, pay.amount, pay.tendered, pay.record_button)

    def places():
        return [(w.mapTo(pay, w.rect().topLeft()), w.size()) for w in rows] + [pay.size()]

    before = places()
    pay.amount.setText("4000")  # more than is due
    pay.submit()
    qtbot.wait(10)
    assert pay.isVisible() and pay.error.text()
    assert places() == before  # the refusal takes no room from the rows
    for widget in rows:
        assert widget.height() >= widget.minimumSizeHint().height()
    pay.amount.setText("400")  # fixed: the old refusal no longer stands
    assert pay.error.text() == ""
    pay.tendered.setText("100")  # too little cash handed over: refused, and said
    pay.submit()
    assert "お預かり" in pay.error.text() and places() == before


def test_after_a_refused_payment_the_focus_is_on_the_amount_refused_so_enter_does_not_close(qtbot, app_state, rooms):
    booked = book(app_state.ctx, rooms["M1"][0])
    pay = PaymentDialog(app_state, [booked.id], open_receipt_after=False)
    qtbot.addWidget(pay)
    pay.show()
    qtbot.waitExposed(pay)
    pay.activateWindow()
    qtbot.waitActive(pay)
    pay.amount.setText("999999999999")  # absurd: refused
    pay.tendered.setText("100")
    qtbot.mouseClick(pay.record_button, Qt.MouseButton.LeftButton)
    assert pay.error.text() and pay.focusWidget() is pay.amount and pay.amount.selectedText() == "999999999999"
    qtbot.keyClick(pay.focusWidget(), Qt.Key.Key_Return)  # the clerk's next Enter
    assert pay.isVisible() and pay.amount.text() == "999999999999"
    pay.amount.setText("400")
    qtbot.mouseClick(pay.record_button, Qt.MouseButton.LeftButton)  # too little cash handed over
    assert "お預かり" in pay.error.text() and pay.focusWidget() is pay.tendered


def test_enter_at_the_day_close_question_closes_nothing(qtbot, app_state, rooms, clock, enter_at_questions):
    """The close cannot be undone: the question defaults to いいえ, as the discard questions do."""
    clock(dt.datetime(2026, 6, 11, 9, 0))
    app_state.facility_id = rooms["M1"][1]
    panel = DuesPanel(app_state)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    panel.close_day()
    assert len(enter_at_questions) == 1 and "締め" in enter_at_questions[0]
    assert not ledger_close.is_day_closed(app_state.ctx, rooms["M1"][1], dt.date(2026, 6, 11))
    assert panel.close_button.isEnabled()


def test_at_1366_by_768_the_day_close_is_reached_by_its_shortcut_shown_on_the_button(qtbot, admin_ctx, rooms, enter_at_questions):
    """The defect: 日計を締める sat below the fold of ホーム; the clerk had to scroll to close the day."""
    from PySide6.QtTest import QTest

    from window_support import home_at_1366_by_768

    window = home_at_1366_by_768(qtbot, admin_ctx)
    window.activateWindow()
    qtbot.waitActive(window)
    panel = window.screen("home").findChild(DuesPanel)
    button = panel.close_button
    assert "Ctrl+Shift+D" in button.text()
    QTest.keyClick(window.windowHandle(), Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(enter_at_questions) == 1 and "締め" in enter_at_questions[0]  # いいえ by default: nothing closed
    assert not ledger_close.is_day_closed(admin_ctx, window.state.facility_id, TODAY.date())
    assert not button.visibleRegion().isEmpty()  # scrolled into view: the clerk sees the button it pressed
