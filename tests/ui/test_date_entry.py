"""Typing dates and times into the real fields of the screens, in December for next year."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from center_app.db.models import Room
from center_app.ui.main_window import MainWindow
from center_app.ui.runner import ImmediateRunner
from center_app.ui.screens.bookings.view import BookingsScreen
from center_app.ui.state import AppState

TODAY = dt.date(2026, 12, 5)


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


@pytest.fixture
def dialog(qtbot, app_state, admin_ctx):
    with admin_ctx.db.read() as session:
        app_state.facility_id = session.scalars(select(Room)).first().facility_id
    app_state.date = dt.date(2026, 12, 29)
    screen = BookingsScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    screen.activate()
    opened = screen.controller.new_booking(None)
    qtbot.waitExposed(opened)
    return opened


def type_into(qtbot, field, text: str) -> None:
    """Click into the field, type over what it shows (keyClicks sends ASCII only, so Japanese
    text is inserted as an input method would), and press Enter."""
    field.window().setFocus()  # the clerk comes back to the field from elsewhere
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.selectedText() == field.text())  # focus selects everything
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        field.insert(text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


@pytest.mark.parametrize("typed", ["2027/01/11", "2027-1-11", "1/11", "R9.1.11", "令和9年1月11日", "２０２７／１／１１", "１/１１"])
def test_a_date_typed_in_december_for_next_year_lands_in_next_year(qtbot, dialog, typed):
    assert dialog.date.date() == QDate(2026, 12, 29)
    type_into(qtbot, dialog.date, typed)
    assert dialog.date.date() == QDate(2027, 1, 11)
    assert dialog.date.text() == "2027/01/11 (月)"
    dialog.refresh_quote()
    assert "過ぎています" not in dialog.errors["day"].text()


def test_a_date_that_does_not_exist_is_kept_as_typed_with_the_reason(qtbot, dialog):
    type_into(qtbot, dialog.date, "2027/2/30")
    assert dialog.date.text() == "2027/2/30" and dialog.date.date() == QDate(2026, 12, 29)
    assert "2027/2/30" in dialog.date.problem() and "日付" in dialog.date.toolTip()
    dialog.submit()  # never saved on the old date
    assert dialog.isVisible() and "2027/2/30" in dialog.errors["day"].text()
    type_into(qtbot, dialog.date, "12/30")  # without a year: the nearest such day from today
    assert dialog.date.date() == QDate(2026, 12, 30) and not dialog.date.problem()


def test_times_are_typed_directly_in_any_usual_form(qtbot, dialog):
    dialog.by_time.setChecked(True)
    for typed, expected in (("1330", "13:30"), ("９：００", "09:00"), ("17時", "17:00")):
        type_into(qtbot, dialog.start, typed)
        assert dialog.start.time().toString("HH:mm") == expected and dialog.start.text() == expected


def test_every_date_field_of_the_app_reads_next_years_dates(qtbot, admin_ctx):
    window = MainWindow(AppState(admin_ctx, ImmediateRunner()))
    qtbot.addWidget(window)
    window.show()
    type_into(qtbot, window.date_edit, "R9.1.11")
    assert window.state.date == dt.date(2027, 1, 11)
    from center_app.ui.screens.printing.award_form import AwardForm
    from center_app.ui.screens.printing.certificate_form import CertificateForm

    for form_class in (AwardForm, CertificateForm):
        form = form_class(window.state)
        qtbot.addWidget(form)
        form.show()
        type_into(qtbot, form.issued_on, "令和9年1月11日")
        assert form.issued_on.date() == QDate(2027, 1, 11), form_class


def test_a_holiday_is_named_in_the_dialog_and_the_calendar_marks_weekends_holidays_and_closed_days(qtbot, dialog):
    from center_app.ui.date_entry import SATURDAY, SUNDAY

    type_into(qtbot, dialog.date, "2027/1/11")  # 成人の日
    assert dialog.day_note.text() == "祝日：成人の日" and dialog.day_note.isVisible()
    type_into(qtbot, dialog.date, "2027/1/12")
    assert dialog.day_note.text() == ""
    dialog.date.setFocus()
    qtbot.keyClick(dialog.date, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = dialog.date.calendarWidget()
    assert calendar.isVisible() and calendar.header.text() == "2027年1月"
    assert calendar.weekdayTextFormat(Qt.DayOfWeek.Saturday).foreground().color() == SATURDAY
    assert calendar.weekdayTextFormat(Qt.DayOfWeek.Sunday).foreground().color() == SUNDAY
    holiday = calendar.dateTextFormat(QDate(2027, 1, 11))
    assert holiday.foreground().color() == SUNDAY and "成人の日" in holiday.toolTip()
    assert "年末年始" in calendar.dateTextFormat(QDate(2027, 1, 2)).toolTip()  # a closed day of the facility
    assert calendar.dateTextFormat(QDate(2027, 1, 2)).background().color().name() == "#eeeeee"
    qtbot.mouseClick(calendar.previous_button, Qt.MouseButton.LeftButton)
    assert calendar.header.text() == "2026年12月"


@pytest.mark.parametrize("typed", ["2027/1", "2027年1月", "R9.1", "令和9年1月", "２０２７－０１"])
def test_the_report_month_is_typed_in_any_usual_form(qtbot, app_state, typed):
    from center_app.ui.screens.statistics.view import StatisticsScreen

    screen = StatisticsScreen(app_state)
    qtbot.addWidget(screen)
    screen.show()
    type_into(qtbot, screen.month, typed)
    assert (screen.month.date().year(), screen.month.date().month()) == (2027, 1)
    assert screen.month.text() == "2027/01"
