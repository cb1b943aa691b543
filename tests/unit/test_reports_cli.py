"""``center-app report monthly|fiscal-year``: files written and exit statuses."""

from __future__ import annotations

import openpyxl
import pytest
from pypdf import PdfReader

import statistics_support as data
from center_app.app import main

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(db_url, admin_ctx, monkeypatch):
    data.build(admin_ctx)
    monkeypatch.setenv("CENTER_APP_PASSWORD", "admin-password-1")
    return db_url


def run(url, *args, login="admin"):
    return main(["--database-url", url, "report", *args, *(("--as", login) if login else ())])


def test_monthly_xlsx_of_all_facilities(url, tmp_path, capsys):
    target = tmp_path / "2026-10.xlsx"
    assert run(url, "monthly", "--month", "2026-10", "--format", "xlsx", "--output", str(target)) == 0
    assert "令和8年10月分 利用状況報告" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(target)["概要"]
    assert sheet["A1"].value == "令和8年10月分 利用状況報告"
    assert [c.value for c in sheet[5]] == ["予約件数", 6]


def test_fiscal_year_pdf_of_one_facility_by_extension(url, tmp_path):
    target = tmp_path / "year.pdf"
    assert run(url, "fiscal-year", "--year", "2026", "--facility", "hatta", "--output", str(target)) == 0
    text = PdfReader(target).pages[0].extract_text()
    assert "令和8年度 利用状況報告" in text and "八田地区センター" in text


def test_csv_in_cp932(url, tmp_path):
    target = tmp_path / "r.csv"
    assert run(url, "monthly", "--month", "2026-10", "--format", "csv", "--encoding", "cp932", "--output", str(target)) == 0
    assert target.read_bytes().decode("cp932").startswith("令和8年10月分")


def test_bad_input_is_refused_with_the_accepted_forms(url, tmp_path, capsys):
    target = tmp_path / "r.xlsx"
    with pytest.raises(SystemExit) as caught:
        run(url, "monthly", "--month", "2026-13", "--output", str(target))
    assert caught.value.code == 2
    assert "YYYY-MM" in capsys.readouterr().err
    with pytest.raises(SystemExit) as caught:
        run(url, "fiscal-year", "--year", "R8", "--output", str(target))
    assert caught.value.code == 2
    assert run(url, "monthly", "--month", "2026-10", "--facility", "nowhere", "--output", str(target)) == 1
    assert "main, hatta" in capsys.readouterr().err
    assert run(url, "monthly", "--month", "2026-10", "--output", str(tmp_path / "r.txt")) == 2
    assert run(url, "monthly", "--month", "2026-10", "--output", str(tmp_path / "no" / "r.csv")) == 1
    assert not target.exists()


def test_an_empty_month_is_a_report_of_zeros(url, tmp_path):
    target = tmp_path / "empty.csv"
    assert run(url, "monthly", "--month", "2031-02", "--output", str(target)) == 0
    assert "予約件数,0" in target.read_text(encoding="utf-8-sig")
