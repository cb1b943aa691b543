"""The usage report's tables and its XLSX, CSV and PDF files, read back."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
import statistics_support as data
from pypdf import PdfReader
from sqlalchemy import update

from center_app.db.groups import Group
from center_app.domain.errors import ValidationError
from center_app.domain.statistics_values import Period
from center_app.export import write_report
from center_app.export.csv_file import encode_report, unencodable_characters
from center_app.export.pdf import render_pdf
from center_app.export.tables import build_report
from center_app.export.xlsx import display_width
from center_app.services import statistics

pytestmark = pytest.mark.postgres

OCTOBER = Period.of_month(2026, 10)


@pytest.fixture
def ctx(admin_ctx, clock):
    data.build(admin_ctx)
    clock(data.AFTER)  # made after the data set's last day: everything is 実績
    return admin_ctx


@pytest.fixture
def october(ctx):
    return build_report(statistics.summarize(ctx, OCTOBER))


def rows_by_first_cells(table, n=2):
    return {tuple(row[:n]): row for row in table.all_rows}


def test_tables_of_a_month_and_of_a_fiscal_year(ctx, october, counter_ctx):
    assert october.title == "令和8年10月分 利用状況報告"
    assert [t.key for t in october.tables] == [
        "overview", "rooms", "facilities", "classes", "exemptions", "groups", "registrations", "loans", "printing",
        "consult_methods", "consult_clients", "consult_topics", "consult_fields", "consult_staff",
        "lockers", "visitors_purpose", "visitors_days", "lottery",
    ]
    rooms = october.table("rooms")
    assert [c.header for c in rooms.columns][:6] == ["施設", "部屋", "予約件数", "利用コマ数", "利用可能コマ数", "稼働率"]
    assert rows_by_first_cells(rooms)[("南アルプス市市民活動センター", "会議室1")][2:] == (3, 5, 81, pytest.approx(5 / 81), 38, 950, 850, 0, 0, 0, 0, 0)
    assert rooms.total == ("合計", "", 6, 8, 1539, pytest.approx(8 / 1539), 93, 1470, 2680, 0, 1, 1, 0, 0)
    year = build_report(statistics.summarize(ctx, Period.of_fiscal_year(2026)))
    assert year.title == "令和8年度 利用状況報告"
    assert {"months", "occupancy_map"} <= {t.key for t in year.tables}
    months = year.table("months")
    assert [row[0] for row in months.rows][0::11] == ["令和8年4月", "令和9年3月"]
    assert months.total[1] == 10 and months.total[-1] == 6  # bookings, consultations
    counter = build_report(statistics.summarize(counter_ctx, OCTOBER))
    assert not [t for t in counter.tables if t.key.startswith("consult")]
    assert "相談件数は、コーディネーターと管理者だけに表示されます。" in counter.notes


def test_the_class_table_has_no_income_column_whose_rows_would_not_add_up(ctx, october, tmp_path):
    """Income comes from the ledger per room; the class table never shows 0 on every row under a total that is not."""
    classes = october.table("classes")
    headers = [c.header for c in classes.columns]
    assert "収入済額（円）" not in headers and headers[1] == "予約件数"
    assert len(classes.total) == len(headers) and all(len(row) == len(headers) for row in classes.rows)
    assert "収入済額（円）" in [c.header for c in october.table("rooms").columns]  # kept where it is exact
    text = encode_report(october).decode("utf-8-sig")
    section = text.split("申込者区分別\r\n", 1)[1].split("\r\n\r\n", 1)[0]
    assert "収入済額" not in section
    path = tmp_path / "report.xlsx"
    write_report(october, path, "xlsx")
    sheet = openpyxl.load_workbook(path)[classes.title]
    assert "収入済額（円）" not in [c.value for c in sheet[4]]


def test_xlsx_reads_back_with_typed_numbers(october, tmp_path):
    path = tmp_path / "report.xlsx"
    write_report(october, path, "xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [t.title for t in october.tables]
    assert "部屋別" in book.sheetnames and "相談分野別 相談件数" in book.sheetnames
    sheet = book["部屋別"]
    assert sheet["A1"].value == "令和8年10月分 利用状況報告"
    header = [c.value for c in sheet[4]]
    assert header[:3] == ["施設", "部屋", "予約件数"]
    first = [c.value for c in sheet[5]]
    assert first[:5] == ["南アルプス市市民活動センター", "会議室1", 3, 5, 81]
    assert isinstance(first[2], int) and isinstance(first[7], int)
    assert sheet.cell(5, 6).value == pytest.approx(5 / 81) and sheet.cell(5, 6).number_format == "0.0%"
    assert sheet.cell(5, 8).number_format == "#,##0"
    total = [c.value for c in sheet[5 + len(october.table("rooms").rows)]]
    assert total[0] == "合計" and total[2:5] == [6, 8, 1539]
    # every figure of every sheet is the table's value (what the screen shows)
    for table in october.tables:
        values = [[c.value for c in row][: len(table.columns)] for row in book[table.title].iter_rows(min_row=5)]
        expected = [[None if v in ("", None) else v for v in row] for row in table.all_rows]
        assert values[: len(expected)] == [[pytest.approx(v) if isinstance(v, float) else v for v in row] for row in expected]
    # column widths fit the Japanese text (a full-width character counts two)
    assert sheet.column_dimensions["A"].width >= display_width("南アルプス市市民活動センター")
    assert sheet.freeze_panes == "A5"
    # the group "@ちどり会" is typed text, not a formula
    groups = book["利用の多い団体"]
    assert [groups.cell(r, 3).value for r in range(5, 8)] == ["ばら=の会", "あおぞら会", "@ちどり会"]
    assert groups.cell(7, 3).data_type == "s"
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2  # occupancy by room, consultations by topic


def test_fiscal_year_xlsx_has_the_monthly_chart_and_the_heat_map(ctx, tmp_path):
    path = tmp_path / "year.xlsx"
    write_report(build_report(statistics.summarize(ctx, Period.of_fiscal_year(2026))), path, "xlsx")
    book = openpyxl.load_workbook(path)
    heat = book["部屋別・月別 稼働率"]
    assert [c.value for c in heat[4]][2:4] == ["4月", "5月"] and heat.conditional_formatting
    with zipfile.ZipFile(path) as archive:
        chart_xml = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert any("<c:lineChart>" in x and "<c:barChart>" in x for x in chart_xml)  # bookings bars + attendance line


def test_csv_has_a_bom_one_section_per_table_and_neutralised_text(october):
    raw = encode_report(october)
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "令和8年10月分 利用状況報告"
    start = lines.index("部屋別")
    assert lines[start + 1].startswith("施設,部屋,予約件数,利用コマ数,利用可能コマ数,稼働率")
    assert lines[start + 2] == "南アルプス市市民活動センター,会議室1,3,5,81,6.2%,38,950,850,0,0,0,0,0"
    assert lines[start + 2 + len(october.table("rooms").all_rows)] == ""  # an empty row after each table
    assert "3,R08-0003,'@ちどり会,1,1,50" in lines  # formula neutralised like the group export
    assert "1,R08-0002,ばら=の会,2,4,20" in lines


def test_cp932_csv(ctx, tmp_path):
    report = build_report(statistics.summarize(ctx, OCTOBER))
    assert encode_report(report, "cp932").decode("cp932").startswith("令和8年10月分")
    with ctx.db.write() as session:  # 髙 and ① are in cp932; 𠮷 and ẽ are not
        session.execute(update(Group).where(Group.name == "あおぞら会").values(name="髙①𠮷野ẽ会"))
    report = build_report(statistics.summarize(ctx, OCTOBER))
    assert unencodable_characters("髙①𠮷野ẽ", "cp932") == ["𠮷", "ẽ"]
    target = tmp_path / "report.csv"
    with pytest.raises(ValidationError) as caught:
        write_report(report, target, "csv", "cp932")
    message = str(caught.value)
    assert "「𠮷」(U+20BB7)" in message and "「ẽ」(U+1EBD)" in message and "髙" not in message
    assert not target.exists()
    write_report(report, target, "csv")  # UTF-8 holds everything
    assert "髙①𠮷野ẽ会" in target.read_text(encoding="utf-8-sig")


def test_pdf_has_the_title_and_figures_in_embedded_fonts(ctx, october):
    reader = PdfReader(io.BytesIO(render_pdf(october)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "令和8年10月分 利用状況報告" in text
    assert "1,539" in text and "2,680" in text and "会議室1" in text and "相談分野別 相談件数" in text
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all("IPAex" in f for f in fonts)


def test_pdf_reports_characters_the_font_cannot_draw(ctx):
    with ctx.db.write() as session:
        session.execute(update(Group).where(Group.name == "あおぞら会").values(name="ສẽ\U00020BB7あおぞら会"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(build_report(statistics.summarize(ctx, OCTOBER))))).pages)
    # Lao ສ is in no bundled font; ẽ (WenQuanYi) and 𠮷 (IPAmj明朝) are printed by the fallback fonts
    assert "〓ẽ\U00020BB7あおぞら会" in text and "U+0EAA" in text and "U+1EBD" not in text


def test_an_unwritable_file_is_a_user_error(october, tmp_path):
    for fmt in ("xlsx", "csv", "pdf"):
        with pytest.raises(ValidationError):
            write_report(october, tmp_path / "missing-folder" / f"r.{fmt}", fmt)


def test_xlsx_is_in_a_japanese_font_with_a_page_footer_and_tied_groups_share_a_rank(october, tmp_path):
    path = tmp_path / "report.xlsx"
    write_report(october, path, "xlsx")
    sheet = openpyxl.load_workbook(path)["部屋別"]
    assert {sheet.cell(r, c).font.name for r in (1, 4, 5) for c in (1, 2)} == {"ＭＳ Ｐゴシック"}
    assert "&P" in sheet.oddFooter.center.text and "利用状況報告" in sheet.oddFooter.left.text
    groups = october.table("groups")
    figures = [(row[4], row[3]) for row in groups.rows]  # slots used, bookings: the order of the list
    for previous, row, key_before, key in zip(groups.rows, groups.rows[1:], figures, figures[1:]):
        assert (row[0] == previous[0]) == (key == key_before)  # equal figures, equal rank
    from center_app.export.tables import shared_ranks

    assert shared_ranks([(30, 9), (28, 7), (28, 7), (20, 5)]) == [1, 2, 2, 4]


def test_pdf_table_headers_do_not_break_inside_a_word(ctx, october):
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(october))).pages)
    import re

    assert "無断キャンセル" in text.replace("\n", "") and not re.search(r"キャンセ\s+ル", text)
