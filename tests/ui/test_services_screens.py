"""The visitor keys on ホーム, the ロッカー・レターケース screen and the lottery dialog under 予約, driven
through their widgets: counts, refusals that keep what was typed, allocations, the draw."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from center_app.services import groups as group_service
from center_app.services import lockers, visitors
from center_app.ui.screens.bookings.lottery_dialog import LotteryDialog
from center_app.ui.screens.home import HomeScreen
from center_app.ui.screens.lockers.view import LockersScreen
from center_app.ui.screens.visitors.panel import VisitorPanel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from services_support import DRAW_DAY, ENTRY_DAY, new_group  # noqa: E402


def test_a_key_per_purpose_counts_a_visitor_on_home(qtbot, app_state, clock):
    clock(ENTRY_DAY)
    home = HomeScreen(app_state, (VisitorPanel,))
    qtbot.addWidget(home)
    home.show()
    qtbot.waitExposed(home)
    home.activateWindow()
    qtbot.waitActive(home)
    home.activate()
    panel = home.panels[0]
    assert panel.buttons["相談"].text() == "3 相談: 0"
    qtbot.wait(50)
    for _press in range(2):  # the keys go through the window, as a clerk's do
        QTest.keyClick(home.windowHandle(), Qt.Key.Key_3)
        qtbot.wait(1)
    panel.buttons["印刷"].click()
    assert panel.buttons["相談"].text() == "3 相談: 2"
    assert panel.heading.text() == "今日の来館者: 3 人"
    assert visitors.day_tally(app_state.ctx, None).count("相談") == 2


def test_a_visitor_key_pressed_while_the_panel_is_scrolled_away_brings_it_into_view(qtbot, app_state, clock):
    """At 1366×768 ホーム scrolls; the keys 1–9 counted with their buttons out of sight, so the
    clerk saw nothing happen."""
    from PySide6.QtWidgets import QLabel

    clock(ENTRY_DAY)
    filler = [lambda state: QLabel("\n" * 80)]  # the lists below the tally, taller than the window
    home = HomeScreen(app_state, (VisitorPanel, *filler))
    qtbot.addWidget(home)
    home.resize(1300, 400)
    home.show()
    qtbot.waitExposed(home)
    home.activateWindow()
    qtbot.waitActive(home)
    home.activate()
    bar = home.scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    panel = home.panels[0]
    assert bar.value() > 0 and not panel.visibleRegion().boundingRect().height()  # scrolled away
    qtbot.wait(50)
    QTest.keyClick(home.windowHandle(), Qt.Key.Key_3)
    qtbot.wait(1)
    qtbot.waitUntil(lambda: panel.buttons["相談"].text() == "3 相談: 1")
    assert not panel.buttons["相談"].visibleRegion().isEmpty()  # the count is seen going up


def test_a_refused_correction_keeps_what_was_typed(qtbot, app_state, clock):
    clock(ENTRY_DAY)
    panel = VisitorPanel(app_state)
    qtbot.addWidget(panel)
    panel.activate()
    panel.count("打合せ")
    dialog = panel.open_correction()
    dialog.purpose.setCurrentText("打合せ")
    dialog.change.setValue(-3)
    dialog.reason.setText("押し間違い")
    dialog.buttons.accepted.emit()
    assert "0 人未満" in dialog.error.text() and dialog.reason.text() == "押し間違い" and dialog.isVisible()
    dialog.change.setValue(-1)
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert panel.heading.text() == "今日の来館者: 0 人"


def _row_of(screen: LockersScreen, code: str) -> int:
    return next(i for i, u in enumerate(screen.units) if u.code == code)


def test_lockers_screen_allocates_and_refuses_a_unit_taken_meanwhile(qtbot, app_state, counter_ctx, clock):
    clock(ENTRY_DAY)
    first = group_service.get_group(app_state.ctx, new_group(app_state.ctx, 1, "ロッカーの会")).registration_no
    second = group_service.get_group(app_state.ctx, new_group(app_state.ctx, 2, "後から来た会")).registration_no
    screen = LockersScreen(app_state)
    qtbot.addWidget(screen)
    screen.activate()
    assert screen.term.value() == 2026 and screen.table.rowCount() == 60
    screen.table.selectRow(_row_of(screen, "L-02"))
    dialog = screen.open_allocate()
    dialog.widgets["group"].setText("R99-9999")
    dialog.confirm()
    assert "R99-9999" in dialog.error.text() and dialog.isVisible()
    # another PC gives L-02 to another group while this form is open
    lockers.allocate_unit(counter_ctx, lockers.unit_id_for(counter_ctx, "L-02"), group_service.find_group_by_number(counter_ctx, second).id)
    dialog.widgets["group"].setText(first)
    dialog.confirm()
    assert dialog.isVisible() and dialog.widgets["group"].text() == first
    assert "後から来た会" in dialog.error.text() or "ほかの端末" in dialog.error.text()
    dialog.reject()
    screen.reload()
    screen.table.selectRow(_row_of(screen, "L-03"))
    dialog = screen.open_allocate()
    dialog.widgets["group"].setText(first)
    dialog.confirm()
    assert not dialog.isVisible()
    row = _row_of(screen, "L-03")
    assert screen.table.item(row, 5).text() == "ロッカーの会" and screen.table.item(row, 7).text() == "未納"
    screen.table.selectRow(row)
    screen.pay_button.click()
    assert screen.table.item(_row_of(screen, "L-03"), 7).text().startswith("R2026-")
    assert not screen.allocate_button.isEnabled()


def test_lottery_dialog_takes_entries_and_draws(qtbot, app_state, clock):
    clock(ENTRY_DAY)
    numbers = [group_service.get_group(app_state.ctx, new_group(app_state.ctx, n)).registration_no for n in (1, 2)]
    app_state.facility_id = None
    dialog = LotteryDialog(app_state)
    qtbot.addWidget(dialog)
    assert dialog.month.text() == "2026-08" and "受付中" in dialog.window_label.text()
    for number in numbers:
        dialog.group.setText(number)
        dialog.room.setCurrentText("会議室1")
        dialog.day.setDate(ENTRY_DAY.replace(month=8, day=4))
        dialog.slot.setCurrentText("午前")
        dialog.enter()
    assert dialog.entries.rowCount() == 2
    dialog.group.setText(numbers[0])
    dialog.day.setDate(ENTRY_DAY.replace(month=9, day=1))
    dialog.enter()
    assert "2026/8" in dialog.entry_error.text() or "2026年8月" in dialog.entry_error.text()
    assert dialog.group.text() == numbers[0] and dialog.entries.rowCount() == 2
    clock(DRAW_DAY)
    dialog.seed.setText("17")
    dialog.draw(dry_run=True)
    assert "試行" in dialog.summary.text() and dialog.results.rowCount() == 2
    dialog.draw(dry_run=False)
    assert "当選 1 件" in dialog.summary.text()
    outcomes = [dialog.results.item(row, 6).text() for row in range(2)]
    assert outcomes[0].startswith("当選 B2026-") and outcomes[1].startswith("落選: ほかの申込が当選しました")
    assert {dialog.entries.item(row, 6).text().split()[0] for row in range(2)} == {"当選", "落選"}


def test_lottery_dialog_withdraws_the_chosen_entry_until_the_draw(qtbot, app_state, clock):
    clock(ENTRY_DAY)
    numbers = [group_service.get_group(app_state.ctx, new_group(app_state.ctx, n)).registration_no for n in (1, 2)]
    app_state.facility_id = None
    dialog = LotteryDialog(app_state)
    qtbot.addWidget(dialog)
    for number in numbers:
        dialog.group.setText(number)
        dialog.room.setCurrentText("会議室1")
        dialog.day.setDate(ENTRY_DAY.replace(month=8, day=4))
        dialog.slot.setCurrentText("午前")
        dialog.enter()
    dialog.withdraw_button.click()
    assert "選んで" in dialog.entry_error.text()  # nothing chosen
    dialog.entries.selectRow(0)
    withdrawn = dialog.entries.item(0, 0).text()
    dialog.withdraw_button.click()
    assert "取り下げ" in dialog.summary.text() and dialog.entries.item(0, 6).text() == "取り下げ"
    dialog.entries.selectRow(0)
    dialog.withdraw_button.click()  # withdrawn already
    assert withdrawn in dialog.entry_error.text()
    clock(DRAW_DAY)
    dialog.seed.setText("17")
    dialog.draw(dry_run=False)
    assert "1 件" in dialog.summary.text() and dialog.results.rowCount() == 1  # the withdrawn entry is not drawn
    dialog.entries.selectRow(1)
    dialog.withdraw_button.click()
    assert withdrawn not in dialog.entry_error.text() and dialog.entries.item(1, 6).text().startswith("当選")


@pytest.mark.parametrize("view", ["lockers"])
def test_the_section_is_in_the_main_window(qtbot, app_state, view):
    from center_app.ui.main_window import MainWindow

    window = MainWindow(app_state)
    qtbot.addWidget(window)
    assert window.show_section(view) is not False


def test_a_drawn_month_is_not_shown_as_taking_entries(qtbot, app_state, clock):
    """The dialog and the service agree: a month drawn while its window runs says 抽選済み, not
    受付中, and an entry is refused as drawn."""
    from sqlalchemy import select

    from center_app.db.models import Facility
    from center_app.services import lottery

    clock(ENTRY_DAY)
    numbers = [group_service.get_group(app_state.ctx, new_group(app_state.ctx, n)).registration_no for n in (1, 2)]
    app_state.facility_id = None

    def dialog_entering(number):
        dialog = LotteryDialog(app_state)
        qtbot.addWidget(dialog)
        dialog.group.setText(number)
        dialog.room.setCurrentText("会議室1")
        dialog.day.setDate(ENTRY_DAY.replace(month=8, day=4))
        dialog.slot.setCurrentText("午前")
        dialog.enter()
        return dialog

    assert dialog_entering(numbers[0]).entries.rowCount() == 1
    with app_state.ctx.db.write() as session:
        main = session.scalars(select(Facility).where(Facility.code == "main")).one()
        lottery.draw_in_session(session, None, main, "2026-08", 5, after_window=False)
    dialog = dialog_entering(numbers[1])
    assert "抽選済み" in dialog.window_label.text() and "受付中" not in dialog.window_label.text()
    assert "抽選" in dialog.entry_error.text() and dialog.entries.rowCount() == 1
