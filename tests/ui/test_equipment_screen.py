"""備品・印刷室 with real widgets: lend at the counter (a refusal keeps what was typed), the overdue
list on ホーム, a return, damage, the printing room's log with its quota warning and refusal, the
fees paid in cash with a receipt number, and equipment added in the booking dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QInputDialog
from sqlalchemy import select

from center_app.db.groups import Group
from center_app.db.models import Facility, Room
from center_app.domain.booking_values import BookingInput
from center_app.services import bookings, bookings_calendar, equipment, equipment_queries, printing_room
from center_app.ui.loan_dialog import LoanDialog
from center_app.ui.screens.bookings.dialog import BookingDialog
from center_app.ui.screens.equipment.panel import OverduePanel
from center_app.ui.screens.equipment.view import EquipmentScreen

NOW = dt.datetime(2026, 6, 2, 10, 0)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(NOW)


@pytest.fixture
def setup(app_state):
    with app_state.ctx.db.write() as session:
        session.add(Group(name="みどりの会", name_kana="ミドリノカイ", legal_form="voluntary", status="registered", registration_no="R08-0001"))
        facility = session.scalar(select(Facility.id).where(Facility.code == "main"))
    app_state.set_facility(facility)
    return facility


def select_item(combo, name: str) -> None:
    for index in range(combo.count()):
        if combo.itemText(index).startswith(name):
            combo.setCurrentIndex(index)
            return
    raise AssertionError(name)


def test_lend_refuse_return_and_pay_at_the_counter(qtbot, app_state, setup, monkeypatch):
    screen = EquipmentScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    tab = screen.loans
    select_item(tab.item, "DVD")
    tab.group.setText("r08-0001")
    tab.start_time.setTime(dt.time(10, 0))
    tab.due_time.setTime(dt.time(14, 0))
    tab.purpose.setText("上映会")
    tab.lend_button.click()
    assert tab.message.text() == ""
    assert "E2026-000001" in tab.done.text() and "820" in tab.done.text()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 1).text() == "DVD・BDプレーヤー"
    # the only player is out: refused, the form keeps what was typed
    tab.borrower.setText("山田 太郎")
    tab.lend_button.click()
    assert "すべて貸出中" in tab.message.text()
    assert tab.borrower.text() == "山田 太郎" and tab.table.rowCount() == 1
    tab.quantity.setValue(2)  # the clerk changes what was refused: the refusal goes at once
    assert tab.message.text() == "" and tab.message.isVisibleTo(tab)
    tab.lend_button.click()
    assert "すべて貸出中" in tab.message.text()  # and a new refusal is shown
    # damage, then the return
    tab.table.selectRow(0)
    answers = iter([("破損", True), ("ケースの割れ", True), ("1500", True)])
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: next(answers))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    tab.record_damage()
    tab.table.selectRow(0)
    tab.record_return()
    assert "返却しました" in tab.done.text() and tab.table.rowCount() == 0
    # both charges paid at once in cash
    screen.tabs.setCurrentWidget(screen.charges)
    charges = screen.charges
    assert charges.table.rowCount() == 2
    charges.table.selectAll()
    charges.pay_button.click()
    assert "R2026-000001" in charges.done.text() and "2,320" in charges.done.text()
    assert charges.table.rowCount() == 0


def test_the_overdue_list_on_home(qtbot, app_state, setup, clock):
    group = app_state.ctx.db
    with group.read() as session:
        group_id = session.scalar(select(Group.id))
    equipment.lend(app_state.ctx, "mic", start=NOW, due=NOW + dt.timedelta(hours=2), group_id=group_id)
    panel = OverduePanel(app_state)
    qtbot.addWidget(panel)
    panel.show()
    panel.activate()
    assert not panel.isVisible()
    clock(NOW + dt.timedelta(days=1))
    panel.activate()
    assert panel.isVisible() and panel.table.rowCount() == 1 and panel.table.item(0, 1).text() == "ワイヤレスマイク"
    panel.table.selectRow(0)
    panel.record_return()
    assert not panel.isVisible()


def test_printing_room_warns_near_and_refuses_past_the_quota(qtbot, app_state, setup):
    screen = EquipmentScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.tabs.setCurrentWidget(screen.printing)
    tab = screen.printing
    tab.group.setText("R08-0001")
    tab.machine.setCurrentText("輪転機")
    tab.masters.setValue(130)
    tab.sheets.setValue(1000)
    tab.log_button.click()
    assert tab.message.text() == ""
    assert "4,900" in tab.done.text() and "150" in tab.done.text()  # the warning of the masters' quota
    assert tab.table.rowCount() == 1
    tab.masters.setValue(21)
    tab.sheets.setValue(100)
    tab.log_button.click()
    assert "上限を超えます" in tab.message.text() and "残り 20" in tab.message.text()
    assert tab.masters.value() == 21 and tab.table.rowCount() == 1
    assert len(printing_room.jobs(app_state.ctx)) == 1


def test_equipment_with_a_booking_from_the_booking_dialog(qtbot, app_state, setup):
    with app_state.ctx.db.read() as session:
        room = session.scalar(select(Room.id).where(Room.code == "M1"))
    booked = bookings.create_booking(app_state.ctx, BookingInput(
        room_id=room, day=dt.date(2026, 6, 9), slot_names=("午後",), applicant_name="白根 花子", applicant_phone="055-282-1111",
        applicant_class="resident", expected_people=4))
    view = bookings.get_booking(app_state.ctx, booked.id)
    dialog = BookingDialog(app_state, bookings_calendar.calendar_frame(app_state.ctx, view.facility_id),
                           bookings_calendar.booking_choices(app_state.ctx), booking=view)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.equipment_button.isVisible()
    loans = dialog.lend_equipment()
    assert isinstance(loans, LoanDialog)
    select_item(loans.item, "データプロジェクター")
    loans.quantity.setValue(2)
    loans.lend_button.click()
    assert loans.message.text() == ""
    assert "データプロジェクター ×2" in loans.lent.item(0).text()
    loans.quantity.setValue(1)
    loans.lend_button.click()
    assert "すべて貸出中" in loans.message.text()
    [loan] = equipment_queries.loans(app_state.ctx, booking_id=booked.id)
    assert (loan.start_at, loan.due_at, loan.borrower) == (view.start, view.end, "白根 花子")
    loans.close()
