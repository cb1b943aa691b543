"""集計 screen with real widgets: default period, pickers, tables, charts and exports."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
import statistics_support as data  # noqa: E402

from center_app.db.groups import Group  # noqa: E402
from center_app.ui.runner import ImmediateRunner  # noqa: E402
from center_app.ui.screens import SCREENS  # noqa: E402
from center_app.ui.screens.statistics.model import ReportTableModel  # noqa: E402
from center_app.ui.screens.statistics.view import StatisticsScreen  # noqa: E402
from center_app.ui.state import AppState  # noqa: E402


def make_screen(qtbot, state: AppState) -> StatisticsScreen:
    state.date = dt.date(2026, 11, 15)  # so "last month" is October 2026
    widget = SCREENS["statistics"](state)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    widget.activate()
    return widget


@pytest.fixture
def screen(qtbot, app_state, admin_ctx, clock):
    data.build(admin_ctx)
    clock(data.AFTER)  # the reports are made after the data set's last day: everything is 実績
    return make_screen(qtbot, app_state)


def table_titles(widget: StatisticsScreen) -> list[str]:
    return [widget.table_list.item(i).text() for i in range(widget.table_list.count())]


def show_table(widget: StatisticsScreen, title: str) -> list[list[str]]:
    widget.table_list.setCurrentRow(table_titles(widget).index(title))
    model = widget.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_opens_on_last_month_with_the_tables(screen):
    assert isinstance(screen, StatisticsScreen)
    assert screen.period_label.text().startswith("令和8年10月分")
    assert not screen.progress.isVisible()
    assert "部屋別" in table_titles(screen) and "相談分野別 相談件数" in table_titles(screen)
    rows = show_table(screen, "部屋別")
    assert rows[0][:6] == ["南アルプス市市民活動センター", "会議室1", "3", "5", "81", "6.2%"]
    assert rows[-1][:5] == ["合計", "", "6", "8", "1,539"]
    assert screen.model.index(0, 2).data(Qt.ItemDataRole.UserRole) == 3
    assert "稼働率 = 利用コマ数" in screen.notes.text()
    assert screen.export_buttons["xlsx"].isEnabled()


def test_picking_a_fiscal_year_and_a_facility(screen):
    screen.kind.setCurrentIndex(1)
    screen.fiscal_year.setCurrentIndex(screen.fiscal_year.findData(2026))
    assert screen.period_label.text().startswith("令和8年度")
    assert screen.fiscal_year.isVisible() and not screen.month.isVisible()
    assert "月別" in table_titles(screen)
    labels, bookings, attendance = screen.monthly_chart.values()
    assert labels[0] == "4月" and bookings == [1, 0, 0, 0, 0, 1, 6, 1, 0, 0, 0, 1]
    assert attendance[6] == 93
    rows, months, rates = screen.heat_map.values()
    assert len(rows) == 19 and len(months) == 12 and rates[0][6] == pytest.approx(5 / 81)
    topics, counts = screen.topic_chart.values()
    assert dict(zip(topics, counts))["設立"] == 4
    screen.facility.setCurrentIndex(screen.facility.findText("八田地区センター"))
    assert [row[1] for row in show_table(screen, "部屋別")] == ["会議室", "和室", ""]
    assert screen.heat_map.values()[0] == ["会議室", "和室"]


def test_month_picker_and_the_year_trend(screen):
    screen.month.setDate(QDate(2026, 11, 1))
    assert screen.period_label.text().startswith("令和8年11月分")
    assert show_table(screen, "部屋別")[0][2] == "1"  # b8 on 11-01
    # the charts of a month show its fiscal year
    assert screen.monthly_chart.values()[1][7] == 1 and len(screen.monthly_chart.values()[0]) == 12


def test_export_writes_the_figures_on_the_screen(screen, tmp_path, monkeypatch):
    target = tmp_path / "report.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Excel"))
    screen.export_buttons["xlsx"].click()
    assert target.exists()
    assert str(target) in screen.status.text()
    sheet = openpyxl.load_workbook(target)["部屋別"]
    show_table(screen, "部屋別")
    model = screen.model
    for r in range(model.rowCount()):
        screen_values = [model.index(r, c).data(Qt.ItemDataRole.UserRole) for c in range(model.columnCount())]
        file_values = [cell.value for cell in sheet[5 + r]][: model.columnCount()]
        assert file_values == [None if v == "" else (pytest.approx(v) if isinstance(v, float) else v) for v in screen_values]


def test_csv_export_chooses_the_encoding_by_file_type(screen, admin_ctx, tmp_path, monkeypatch):
    target = tmp_path / "report"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "CSV Shift_JIS / cp932 (*.csv)"))
    screen.export_buttons["csv"].click()
    written = tmp_path / "report.csv"
    assert written.read_bytes().decode("cp932").startswith("令和8年10月分")
    with admin_ctx.db.write() as session:
        session.execute(update(Group).where(Group.name == "あおぞら会").values(name="𠮷野会"))
    screen.refresh_button.click()
    written.unlink()
    screen.export_buttons["csv"].click()
    assert not written.exists()
    assert screen.error.isVisible() and "𠮷" in screen.error.text()


def test_counter_staff_see_no_consultation_counts(qtbot, counter_ctx):
    data.build(counter_ctx)
    widget = make_screen(qtbot, AppState(counter_ctx, ImmediateRunner()))
    assert not [t for t in table_titles(widget) if "相談" in t]
    assert widget.topic_chart.stack.currentWidget() is widget.topic_chart.message
    assert "コーディネーターと管理者" in widget.topic_chart.message.text()


def test_the_table_model(qtmodeltester, screen):
    model = ReportTableModel()
    model.set_table(screen.controller.loaded.report.table("rooms"))
    qtmodeltester.check(model)


def test_installed_qt_does_not_leak_references_to_none_or_true(qtbot):
    """PySide6 6.12.0 on CPython 3.11 dropped a reference to None on every void Qt call and to
    True on every signal emission, aborting the app after enough redraws (pyproject pins < 6.12)."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel

    class Emitter(QObject):
        fired = Signal(bool)

    label, emitter = QLabel(), Emitter()
    qtbot.addWidget(label)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(5000):
        label.setText("x")
        emitter.fired.emit(True)
    assert sys.getrefcount(None) - none_before > -100
    assert sys.getrefcount(True) - true_before > -100


def test_threaded_screen_loads_last_month_then_only_the_last_period_asked_for(qtbot, threaded_state, admin_ctx, clock):
    from runner_support import delivered, slow_database

    data.build(admin_ctx)
    clock(data.AFTER)
    runner = threaded_state.runner
    with delivered(qtbot, runner):
        widget = make_screen(qtbot, threaded_state)
        assert widget.progress.isVisible() and not widget.export_buttons["xlsx"].isEnabled()  # working, nothing to export yet
    assert not widget.progress.isVisible() and widget.export_buttons["xlsx"].isEnabled()
    assert widget.period_label.text().startswith("令和8年10月分")
    rows = show_table(widget, "部屋別")
    assert rows[0][:6] == ["南アルプス市市民活動センター", "会議室1", "3", "5", "81", "6.2%"]
    assert widget.facility.findText("八田地区センター") >= 0  # the facilities came in the background too

    drawn: list[str] = []
    with delivered(qtbot, runner), slow_database(runner):
        widget.month.setDate(QDate(2026, 11, 1))  # the clerk picks November, then the fiscal year at once
        widget.kind.setCurrentIndex(1)
        widget.fiscal_year.setCurrentIndex(widget.fiscal_year.findData(2026))
        widget.table_list.currentRowChanged.connect(lambda _row: drawn.append(widget.period_label.text()))
    assert widget.period_label.text().startswith("令和8年度")
    assert drawn and all(label.startswith("令和8年度") for label in drawn)  # November's figures never showed
    assert "月別" in table_titles(widget)
    assert widget.monthly_chart.values()[1] == [1, 0, 0, 0, 0, 1, 6, 1, 0, 0, 0, 1]
