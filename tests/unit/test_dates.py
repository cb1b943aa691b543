"""Dates inside 1900/1/1 … 2200/12/31 everywhere a date comes in (typed, imported as text or as a
date cell, from a date picker): a clear Japanese message naming the row and column, never a
traceback; every import message is Japanese and names its row."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from bookings_support import TODAY, context, make_input, room_ids

from center_app.app import main
from center_app.domain.errors import ValidationError
from center_app.domain.normalize import as_date, parse_date
from center_app.domain.statistics_values import parse_fiscal_year, parse_month
from center_app.services import bookings, bookings_io, config, consultations_io, events, groups_io
from center_app.services.group_values import GroupInput
from center_app.services.groups import register_group

pytestmark = pytest.mark.postgres

OUTSIDE = "1900/1/1 から 2200/12/31"
LEDGER = "施設,部屋,利用日,開始,終了,申込者名,電話番号,人数\r\n"


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


@pytest.mark.parametrize("text", ["9999/12/31", "0206/4/1", "1899/12/31", "2201-01-01", "令和999年1月1日", "99991231"])
def test_dates_outside_the_range_are_refused_in_japanese(text):
    with pytest.raises(ValidationError) as refused:
        parse_date(text, field="day")
    assert OUTSIDE in str(refused.value) and refused.value.problems[0].field == "day"


def test_the_edges_of_the_range_and_date_cells():
    assert parse_date("1900/1/1") == dt.date(1900, 1, 1) and parse_date("2200/12/31") == dt.date(2200, 12, 31)
    assert as_date(dt.datetime(2026, 6, 2, 9, 30)) == dt.date(2026, 6, 2)
    with pytest.raises(ValidationError, match=OUTSIDE):
        as_date(dt.date(9999, 12, 31))
    for bad in ("9999-12", "1899-12"):
        with pytest.raises(ValidationError):
            parse_month(bad)
    with pytest.raises(ValidationError):
        parse_fiscal_year("2200")  # its March would be 2201


def test_a_ledger_row_dated_9999_12_31_names_its_row_and_column(db, tmp_path, capsys):
    """Old code: the 9999/12/31 row ended in an OverflowError traceback."""
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER + "main,M1,9999/12/31,13:00,15:00,山田 太郎,055-282-1111,5\r\n"
                    "main,M1,2026/06/09,13:00,15:00,山田 太郎,055-282-1111,5\r\n", encoding="utf-8-sig")
    with pytest.raises(ValidationError) as refused:
        bookings_io.import_bookings(context(db), path)
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "利用日")]
    assert main(["--database-url", db.url, "bookings", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"行 2: 利用日: 9999/12/31 は" in err and OUTSIDE in err and "Traceback" not in err


def test_a_date_cell_of_a_workbook_outside_the_range_names_its_row(db, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["施設", "部屋", "利用日", "開始", "終了", "申込者名", "電話番号", "人数"])
    sheet.append(["main", "M1", dt.datetime(9999, 12, 31), "13:00", "15:00", "山田 太郎", "055-282-1111", 5])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    with pytest.raises(ValidationError) as refused:
        bookings_io.import_bookings(context(db), path)
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "利用日")] and OUTSIDE in refused.value.problems[0].message


def test_the_live_quote_of_a_far_date_is_a_message_beside_the_date(admin_ctx):
    """Old code: the booking dialog's quote for 9999/12/31 ended in an OverflowError."""
    group = register_group(admin_ctx, GroupInput(name="白根おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary",
                                                 activity_fields=(2,), representative_name="山田 花子"))
    room = room_ids(admin_ctx.db)["M1"]
    quote = bookings.quote_booking(admin_ctx, make_input(room, dt.date(9999, 12, 31), group_id=group.id))
    assert [p.field for p in quote.problems] == ["day"] and OUTSIDE in quote.problems[0].message and quote.fee is None
    with pytest.raises(ValidationError, match=OUTSIDE):
        bookings.create_booking(admin_ctx, make_input(room, dt.date(9999, 12, 31)))


def test_consultation_and_group_imports_name_the_row_and_column(coordinator_ctx, admin_ctx, tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("相談日,開始時刻,所要時間(分),相談方法,相談者区分,相談者名,相談分野,相談内容,対応内容,対応者\r\n"
                   "2026/5/1,10:00,30,来所,個人,山田 太郎,設立,相談,対応,coordinator\r\n"
                   "9999/12/31,10:00,30,来所,個人,山田 太郎,設立,別の相談,対応,coordinator\r\n", encoding="utf-8-sig")
    with pytest.raises(ValidationError) as refused:
        consultations_io.import_consultations(coordinator_ctx, log)
    assert [(p.row, p.field) for p in refused.value.problems] == [(3, "相談日")]

    registry = tmp_path / "groups.csv"
    registry.write_text("団体名,フリガナ,団体種別,活動分野,代表者名,設立年月日\r\n"
                        "白根おはなしの会,シラネオハナシノカイ,任意団体,子どもの健全育成,山田 花子,9999/12/31\r\n", encoding="utf-8-sig")
    with pytest.raises(ValidationError) as refused:
        groups_io.import_groups(admin_ctx, registry)
    assert [(p.row, p.field) for p in refused.value.problems] == [(2, "設立年月日")] and OUTSIDE in refused.value.problems[0].message


def test_event_and_settings_dates(admin_ctx):
    with pytest.raises(ValidationError) as refused:
        events.save_event(admin_ctx, None, events.EventInput(title="講座", event_date=dt.date(9999, 12, 31)))
    assert refused.value.problems[0].field == "event_date"
    main_center = next(r for r in config.list_rows(admin_ctx, "facility") if r.values["code"] == "main").id
    with pytest.raises(ValidationError) as refused:
        config.save_row(admin_ctx, "closed_day", None, {"facility_id": main_center, "kind": "date", "on_date": "9999-12-31", "closes": True})
    assert OUTSIDE in str(refused.value)


def test_an_over_long_csv_cell_is_named_by_its_row_in_japanese(db, tmp_path, capsys):
    """Old code: 「…を読み込めません（field larger than field limit (131072)）」, English and without a row."""
    path = tmp_path / "ledger.csv"
    path.write_text(LEDGER.replace("人数", "人数,備考") + "main,M1,2026/06/09,13:00,15:00,山田 太郎,055-282-1111,5,短い\r\n"
                    + "main,M1,2026/06/10,13:00,15:00,山田 太郎,055-282-1111,5,\"" + "あ" * 140_000 + "\"\r\n", encoding="utf-8-sig")
    assert main(["--database-url", db.url, "bookings", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "行 3: " in err and "131,072" in err and "field" not in err and "limit" not in err


def test_an_unreadable_workbook_is_explained_in_japanese(db, tmp_path, capsys):
    path = tmp_path / "ledger.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    assert main(["--database-url", db.url, "bookings", "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "XLSX" in err and "BadZipFile" not in err
