"""The monthly and fiscal-year reports show locker occupancy, visitors by purpose and day (by
month in a fiscal year) and the lottery's entries and winners, in every export format."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pytest

from center_app.domain.statistics_values import Period
from center_app.export import write_report
from center_app.export.tables import build_report
from center_app.services import lockers, lottery, statistics, visitors

from bookings_support import room_ids
from services_support import DRAW_DAY, ENTRY_DAY, new_group


pytestmark = pytest.mark.postgres

def _fill(db, ctx, clock):
    clock(ENTRY_DAY)
    groups = [new_group(ctx, n) for n in range(1, 4)]
    lockers.allocate_unit(ctx, lockers.unit_id_for(ctx, "L-01"), groups[0])
    lockers.allocate_unit(ctx, lockers.unit_id_for(ctx, "C-01"), groups[1])
    visitors.add_visitors(ctx, None, "相談", 4)
    rooms = room_ids(db)
    for group in groups:
        lottery.enter_lottery(ctx, group, rooms["M1"], dt.date(2026, 8, 4), "午前", 6)
    clock(DRAW_DAY)
    visitors.add_visitors(ctx, None, "印刷", 2)
    lottery.draw_lottery(ctx, "main", "2026-08", 8)


def test_the_month_report_shows_lockers_visitors_and_the_lottery(db, counter_ctx, clock, tmp_path):
    _fill(db, counter_ctx, clock)
    report = build_report(statistics.summarize(counter_ctx, Period.of_month(2026, 6)))
    table = report.table("lockers")
    assert table.rows[0][:3] == ("ロッカー（大）", 1, 10) and table.rows[2][:3] == ("レターケース", 1, 30)
    assert report.table("visitors_purpose").total == ("合計", 6)
    days = report.table("visitors_days")
    assert [c.header for c in days.columns] == ["日付", "打合せ", "印刷", "相談", "情報収集", "その他", "合計"]
    assert [row[-1] for row in days.rows] == [4, 2]
    assert report.table("lottery").rows == (("2026-08", 3, 1),)
    overview = dict(report.table("overview").rows)
    assert overview["来館者数"] == 6 and overview["ロッカー・レターケースの割当数"] == 2

    write_report(report, tmp_path / "june.csv", "csv")
    text = (tmp_path / "june.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    assert ["抽選の対象月", "抽選の申込数", "抽選の当選数"] in rows and ["2026-08", "3", "1"] in rows
    write_report(report, tmp_path / "june.xlsx", "xlsx")
    assert {"ロッカー・レターケース", "会議室の抽選", "日別・来館目的別の来館者数"} <= set(openpyxl.load_workbook(tmp_path / "june.xlsx").sheetnames)
    write_report(report, tmp_path / "june.pdf", "pdf")
    assert (tmp_path / "june.pdf").stat().st_size > 1000


def test_the_fiscal_year_report_counts_visitors_by_month(db, counter_ctx, clock):
    _fill(db, counter_ctx, clock)
    report = build_report(statistics.summarize(counter_ctx, Period.of_fiscal_year(2026)))
    months = report.table("visitors_months")
    assert months.rows == (("2026年6月", 0, 2, 4, 0, 0, 6),)
    assert report.table("lottery").total == ("合計", 3, 1)
