"""The English UI writes western dates on every screen, never 和暦 nor ISO: the equipment loans and
their refusals, the 集計 header, the mail waiting in ロッカー・レターケース."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import select

from center_app import i18n
from center_app.db.groups import Group
from center_app.db.models import Facility
from center_app.services import lockers
from center_app.ui.screens.equipment.view import EquipmentScreen
from center_app.ui.screens.lockers.view import LockersScreen
from center_app.ui.screens.statistics.view import StatisticsScreen

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from services_support import ENTRY_DAY, new_group  # noqa: E402


def test_equipment_loans_and_their_refusal_in_western_dates(qtbot, app_state, clock):
    clock(dt.datetime(2026, 12, 4, 10, 0))
    with app_state.ctx.db.write() as session:
        session.add(Group(name="みどりの会", name_kana="ミドリノカイ", legal_form="voluntary", status="registered", registration_no="R08-0001"))
        app_state.set_facility(session.scalar(select(Facility.id).where(Facility.code == "main")))
    i18n.set_language("en")
    screen = EquipmentScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    tab = screen.loans
    tab.item.setCurrentIndex(next(i for i in range(tab.item.count()) if tab.item.itemText(i).startswith("DVD")))
    tab.group.setText("r08-0001")
    tab.start_day.setDate(dt.date(2026, 12, 6))
    tab.start_time.setTime(dt.time(9, 0))
    tab.due_day.setDate(dt.date(2026, 12, 6))
    tab.due_time.setTime(dt.time(18, 0))
    tab.purpose.setText("上映会")
    tab.lend_button.click()
    assert tab.message.text() == "" and tab.table.rowCount() == 1
    row = [tab.table.item(0, c).text() for c in range(tab.table.columnCount())]
    assert "Sun 6 Dec 2026 09:00" in row and "Sun 6 Dec 2026 18:00" in row
    tab.borrower.setText("Yamada Taro")
    tab.lend_button.click()  # the only player is out: the refusal names the time in the same style
    assert "Sun 6 Dec 2026 09:00" in tab.message.text()
    for text in [tab.message.text(), *row]:
        assert "令和" not in text and "2026-12-06" not in text


def test_the_statistics_header_follows_the_language_and_the_date_style(qtbot, app_state):
    app_state.date = dt.date(2026, 11, 15)  # last month: October 2026
    screen = StatisticsScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    assert screen.period_label.text().startswith("令和8年10月分")
    i18n.set_language("en")
    english = StatisticsScreen(app_state)
    qtbot.addWidget(english)
    english.show()
    english.activate()
    assert english.period_label.text().startswith("Oct 2026") and "令和" not in english.period_label.text()


def test_mail_waiting_in_the_lockers_in_western_dates(qtbot, app_state, counter_ctx, clock):
    clock(ENTRY_DAY)
    unit = lockers.unit_id_for(counter_ctx, "C-05")
    lockers.allocate_unit(counter_ctx, unit, new_group(counter_ctx, 1))
    lockers.receive_mail(counter_ctx, lockers.allocation_for(counter_ctx, unit), "南アルプス市役所")
    i18n.set_language("en")
    screen = LockersScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    cells = [screen.mail_table.item(0, c).text() for c in range(screen.mail_table.columnCount())]
    assert "5 Jun 2026" in cells and not any("令和" in c for c in cells)
