"""The usage report as an Excel workbook (xlsxwriter): one sheet per table, with native charts.

Every sheet starts with the report's title (令和8年10月分 利用状況報告), the table's name and the
facility; then a styled header row (frozen), the rows and a bold total row. Numbers are written
as numbers (counts and yen with a thousands separator, rates as percentages), text as text
(``write_string``: a spreadsheet never evaluates it, so it needs no apostrophe), and column
widths fit the longest cell, counting a full-width character as two. The rooms × months table
is coloured as a heat map (conditional colour scale); the other charts are Excel charts
referencing the sheet's cells, so they follow any correction made in Excel.

The workbook is built in memory and written in one go: a failure never leaves half a file.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from center_app.domain.errors import ValidationError
from center_app.export.tables import RATE, Report, Table, format_cell
from center_app.i18n import _

HEADER_ROW = 3
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MIN_WIDTH, MAX_WIDTH = 6, 60


#: The font of every cell: a Japanese font every Windows Excel has (Latin-only Calibri would
#: leave the Japanese text to Excel's fallback and print it unevenly).
XLSX_FONT = "ＭＳ Ｐゴシック"
#: Page footer when printed: the report's title left, "page / pages" in the centre, the date right.
FOOTER = "&L{title}&C&P / &N&R&D"


def display_width(text: str) -> int:
    """Width of ``text`` in half-width columns: full-width (East Asian W/F) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def sheet_name(title: str, used: set[str]) -> str:
    """A valid, unique sheet name (≤ 31 characters, none of []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub("_", title).strip("'")[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def write_xlsx(report: Report, path: Path) -> None:
    """Write ``report`` to ``path``; ValidationError (field ``file``) if it cannot be written."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.formats[0].set_font_name(XLSX_FONT)  # the default of cells written without a format
    book.set_properties({"title": report.title, "subject": report.facility_label, "comments": report.period_label})
    formats = _formats(book)
    sheets: dict[str, tuple[str, int]] = {}
    used: set[str] = set()
    for table in report.tables:
        sheet = book.add_worksheet(sheet_name(table.title, used))
        first_row = _write_table(sheet, table, report, formats)
        sheets[table.key] = (sheet.get_name(), first_row)
        if table.key == "overview":
            row = first_row + len(table.all_rows) + 1
            for note in report.notes:
                sheet.write_string(row, 0, note, formats["note"])
                row += 1
        _add_charts(book, sheet, table, report, first_row)
    book.close()
    try:
        Path(path).write_bytes(buffer.getvalue())
    except OSError as exc:
        raise ValidationError(
            _("The file {path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc), field_name="file"
        ) from exc


def _formats(book) -> dict:
    base = {"font_name": XLSX_FONT, "font_size": 10, "valign": "vcenter"}
    number = {**base, "num_format": "#,##0", "border": 1, "border_color": "#BFBFBF"}
    rate = {**base, "num_format": "0.0%", "border": 1, "border_color": "#BFBFBF"}
    text = {**base, "border": 1, "border_color": "#BFBFBF"}
    total = {"bold": True, "top": 2, "bg_color": "#F2F2F2"}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "subtitle": book.add_format({**base, "font_size": 10, "font_color": "#404040"}),
        "header": book.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "align": "center"}),
        "text": book.add_format(text),
        "number": book.add_format(number),
        "rate": book.add_format(rate),
        "text_total": book.add_format({**text, **total}),
        "number_total": book.add_format({**number, **total}),
        "rate_total": book.add_format({**rate, **total}),
        "note": book.add_format({**base, "font_color": "#404040"}),
    }


def _write_table(sheet, table: Table, report: Report, formats: dict) -> int:
    """Write the heading, header row and rows; returns the header row index."""
    sheet.write_string(0, 0, report.title, formats["title"])
    sheet.write_string(1, 0, f"{table.title}　{report.heading_lines[0]}　{report.period_label}", formats["subtitle"])
    widths = [display_width(c.header) for c in table.columns]
    for col, column in enumerate(table.columns):
        sheet.write_string(HEADER_ROW, col, column.header, formats["header"])
    rows = table.all_rows
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        is_total = table.total is not None and r == HEADER_ROW + len(rows)
        for col, value in enumerate(row):
            kind = table.columns[col].kind
            suffix = "_total" if is_total else ""
            if value is None or value == "":
                sheet.write_blank(r, col, None, formats[("rate" if kind == RATE else "text") + suffix])
            elif isinstance(value, str):
                sheet.write_string(r, col, value, formats["text" + suffix])
            elif isinstance(value, float):
                sheet.write_number(r, col, value, formats["rate" + suffix])
            else:
                sheet.write_number(r, col, value, formats["number" + suffix])
            widths[col] = max(widths[col], display_width(format_cell(value)))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, max(MIN_WIDTH, min(MAX_WIDTH, width + 2)))
    sheet.set_row(HEADER_ROW, 30 if any(display_width(c.header) > 16 for c in table.columns) else None)
    sheet.freeze_panes(HEADER_ROW + 1, 0)
    if table.heatmap and table.rows:
        rate_cols = [i for i, c in enumerate(table.columns) if c.kind == RATE]
        sheet.conditional_format(
            HEADER_ROW + 1, rate_cols[0], HEADER_ROW + len(rows), rate_cols[-1],
            {"type": "3_color_scale", "min_color": "#FFFFFF", "mid_color": "#FFD966", "max_color": "#F4B183"},
        )
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_footer(FOOTER.format(title=report.title.replace("&", "&&")))
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(HEADER_ROW)
    return HEADER_ROW


def _add_charts(book, sheet, table: Table, report: Report, header_row: int) -> None:
    name = sheet.get_name()
    first, last = header_row + 1, header_row + len(table.rows)
    for spec in report.charts:
        if spec.table != table.key or table.heatmap or not table.rows:
            continue
        chart = book.add_chart({"type": "bar" if spec.horizontal else "column"})
        categories = [name, first, spec.category[0], last, spec.category[-1]]
        for value_col in spec.values:
            chart.add_series({
                "name": [name, header_row, value_col],
                "categories": categories,
                "values": [name, first, value_col, last, value_col],
                "fill": {"color": "#5B9BD5"},
                "gap": 60,
            })
        if spec.line is not None:
            line = book.add_chart({"type": "line"})
            line.add_series({
                "name": [name, header_row, spec.line],
                "categories": categories,
                "values": [name, first, spec.line, last, spec.line],
                "y2_axis": True,
                "marker": {"type": "circle"},
                "line": {"color": "#ED7D31"},
            })
            chart.combine(line)
            line.set_y2_axis({"name": table.columns[spec.line].header, "num_format": "#,##0"})
        kind = table.columns[spec.values[0]].kind
        axis = {"num_format": "0%" if kind == RATE else "#,##0", "min": 0, "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
        chart.set_title({"name": spec.title, "name_font": {"size": 12}})
        chart.set_legend({"position": "bottom"} if spec.line is not None else {"none": True})
        if spec.horizontal:
            chart.set_x_axis(axis)
            chart.set_y_axis({"reverse": True, "num_font": {"size": 8}})
        else:
            chart.set_y_axis(axis)
        height = max(320, 24 * len(table.rows) + 100) if spec.horizontal else 360
        chart.set_size({"width": 760, "height": height})
        anchor = xl_rowcol_to_cell(header_row, len(table.columns) + 1)
        sheet.insert_chart(anchor, chart)

