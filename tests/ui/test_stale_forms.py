"""A form whose record was changed on another PC while it was open: the save is refused with
「ほかの端末で変更されました。開き直してください。」 naming who and when, what the clerk typed is
still there, and 「開き直す」 loads the record as it is now, after which a save goes through."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput
from center_app.services import bookings, consultations, consultations_queries, groups
from center_app.services.consultations_values import ConsultationInput
from center_app.services.context import ServiceContext
from center_app.services.group_values import GroupInput
from center_app.ui.screens.bookings.view import BookingsScreen
from center_app.ui.screens.consultations.form import ConsultationForm
from center_app.ui.screens.groups.form import GroupFormDialog

STALE = "ほかの端末で変更されました。開き直してください。"


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))


def _other_pc(ctx) -> ServiceContext:
    return ServiceContext(ctx.db, dataclasses.replace(ctx.user, display_name="窓口 B"))


def _booking_open_in_its_dialog(qtbot, app_state, admin_ctx):
    """A booking of M1 (6/9 13:00–15:00, 打合せ, 4 people), open in the 予約 screen's dialog:
    (booking view, screen, dialog)."""
    with admin_ctx.db.read() as session:
        room = session.scalar(select(Room).where(Room.code == "M1"))
        room_id, facility_id = room.id, room.facility_id
    made = bookings.create_booking(admin_ctx, BookingInput(
        room_id=room_id, day=dt.date(2026, 6, 9), start_time=dt.time(13), end_time=dt.time(15), applicant_name="白根 花子",
        applicant_phone="055-282-1111", applicant_class="resident", expected_people=4, purpose="打合せ",
    ))
    app_state.facility_id, app_state.date = facility_id, dt.date(2026, 6, 9)
    screen = BookingsScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    screen.controller.open_booking(made.id)
    dialog = screen.controller.dialog
    return made, screen, dialog


def test_the_booking_dialog_keeps_the_typed_change_and_reopens(qtbot, app_state, admin_ctx):
    made, screen, dialog = _booking_open_in_its_dialog(qtbot, app_state, admin_ctx)
    other = bookings.get_booking(admin_ctx, made.id)
    bookings.update_booking(_other_pc(admin_ctx), made.id, dataclasses.replace(other.to_input(), expected_people=9), expected_version=other.version)

    dialog.purpose.setText("総会の準備")
    dialog.submit()
    assert dialog.isVisible() and dialog.stale.isVisible()
    assert dialog.stale.label.text().startswith(STALE) and "窓口 B" in dialog.stale.label.text()
    assert dialog.purpose.text() == "総会の準備"  # nothing typed is lost
    assert bookings.get_booking(admin_ctx, made.id).purpose == "打合せ"

    qtbot.mouseClick(dialog.stale.reopen_button, Qt.MouseButton.LeftButton)
    assert not dialog.stale.isVisible() and dialog.people.value() == 9 and dialog.purpose.text() == "打合せ"
    dialog.purpose.setText("総会の準備")
    dialog.submit()
    stored = bookings.get_booking(admin_ctx, made.id)
    assert (stored.expected_people, stored.purpose) == (9, "総会の準備")


def test_a_booking_cancelled_on_another_pc_is_named_so_after_reopening(qtbot, app_state, admin_ctx):
    made, screen, dialog = _booking_open_in_its_dialog(qtbot, app_state, admin_ctx)
    bookings.cancel_booking(_other_pc(admin_ctx), made.id, "団体の都合")
    dialog.purpose.setText("総会の準備")
    dialog.submit()
    assert dialog.stale.isVisible()
    qtbot.mouseClick(dialog.stale.reopen_button, Qt.MouseButton.LeftButton)
    assert dialog.restore_button.isVisible()  # the dialog shows the booking as cancelled
    text = screen.status_label.text()
    assert text.startswith("ほかの端末で取り消されています") and made.slip_no in text
    assert not text.startswith("取り消しました")  # this clerk cancelled nothing


def test_the_group_form_keeps_the_typed_change_and_reopens(qtbot, app_state, admin_ctx):
    made = groups.register_group(admin_ctx, GroupInput(name="白根おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary",
                                                        activity_fields=(2,), representative_name="山田 花子"))
    form = GroupFormDialog(app_state, groups.activity_fields(admin_ctx), groups.get_group(admin_ctx, made.id))
    qtbot.addWidget(form)
    form.show()
    detail = groups.get_group(admin_ctx, made.id)
    groups.update_group(_other_pc(admin_ctx), made.id, dataclasses.replace(GroupInput.from_detail(detail), member_count="30"), expected_version=detail.version)

    form.editors["notes"].setPlainText("電話で確認済み")
    form.submit()
    assert form.stale.isVisible() and "窓口 B" in form.stale.label.text() and form.saved is None
    assert form.editors["notes"].toPlainText() == "電話で確認済み"
    form.reopen()
    assert form.editors["member_count"].text() == "30" and form.editors["notes"].toPlainText() == ""
    form.editors["notes"].setPlainText("電話で確認済み")
    form.submit()
    assert form.saved is not None and (form.saved.member_count, form.saved.notes) == (30, "電話で確認済み")


def test_the_consultation_form_keeps_the_typed_change_and_reopens(qtbot, coordinator_ctx):
    from center_app.ui.runner import ImmediateRunner
    from center_app.ui.state import AppState

    topic = consultations_queries.list_topics(coordinator_ctx)[0].id
    record = consultations.create_consultation(coordinator_ctx, ConsultationInput(
        consulted_on=dt.date(2026, 6, 1), method="visit", client_type="individual", client_name="相談 太郎", topic_ids=(topic,),
        content="設立の相談", staff_user_id=coordinator_ctx.user.id,
    ))
    state = AppState(coordinator_ctx, ImmediateRunner())
    form = ConsultationForm(state)
    qtbot.addWidget(form)
    form.show()
    form.set_choices(consultations_queries.list_topics(coordinator_ctx), groups.activity_fields(coordinator_ctx), consultations_queries.staff_choices(coordinator_ctx))
    form.show_detail(consultations_queries.get_consultation(coordinator_ctx, record.id))
    fresh = consultations_queries.get_consultation(coordinator_ctx, record.id)
    consultations.update_consultation(_other_pc(coordinator_ctx), record.id, dataclasses.replace(fresh.as_input(), method="phone"),
                                      expected_version=fresh.version)
    form.response.setPlainText("手引きを渡した")
    form.submit()
    assert form.stale.isVisible() and "窓口 B" in form.stale.label.text()
    assert form.response.toPlainText() == "手引きを渡した"
    form.reopen()
    assert not form.stale.isVisible() and form.method.currentData() == "phone"
