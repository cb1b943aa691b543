"""The usage report as an A4 landscape PDF: the tables and charts, drawn with reportlab's own
graphics (``reportlab.graphics``: bar charts, bars with a line on a second axis) and the rooms ×
months occupancy as a table whose cells are coloured by rate (a heat map), in the embedded
IPAex Gothic font (:mod:`center_app.print.fonts`).

A character the font cannot draw (a rare name) is never printed as an empty box: it is
replaced by 〓 and a note at the end of the report lists every such character with its code
point, so the clerk can see what to correct.
"""

from __future__ import annotations

import re

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table as PdfTable, TableStyle

from center_app.domain.errors import ValidationError
from center_app.export.tables import NUMBER, RATE, YEN, Chart, Report, Table, format_cell
from center_app.i18n import _
from center_app.print.fonts import missing_characters, register_fonts

PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
TABLE_FONT_SIZE = 8
HEADER_BLUE = colors.HexColor("#DDEBF7")
GRID = colors.HexColor("#A6A6A6")
BAR = colors.HexColor("#5B9BD5")
LINE = colors.HexColor("#ED7D31")
REPLACEMENT = "〓"


class _Text:
    """Replaces characters the font cannot draw, remembering which."""

    def __init__(self, font: str):
        self.font = font
        self.replaced: list[str] = []

    def __call__(self, value: object) -> str:
        text = value if isinstance(value, str) else format_cell(value)  # type: ignore[arg-type]
        missing = missing_characters(text, self.font)
        for char in missing:
            if char not in self.replaced:
                self.replaced.append(char)
            text = text.replace(char, REPLACEMENT)
        return text


def write_pdf(report: Report, path: Path) -> None:
    """Write ``report`` to ``path``; ValidationError (field ``file``) if it cannot be written."""
    data = render_pdf(report)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ValidationError(
            _("The file {path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc), field_name="file"
        ) from exc


def render_pdf(report: Report) -> bytes:
    """The PDF of ``report`` as bytes."""
    font, _mincho = register_fonts()
    text = _Text(font)
    styles = {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, textColor=colors.HexColor("#404040")),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE * 1.25, wordWrap="CJK"),
        "head": ParagraphStyle("head", fontName=font, fontSize=TABLE_FONT_SIZE, leading=TABLE_FONT_SIZE * 1.25, wordWrap="CJK", alignment=1),
        "note": ParagraphStyle("note", fontName=font, fontSize=8, leading=11, wordWrap="CJK", alignment=TA_LEFT, textColor=colors.HexColor("#404040")),
    }

    def para(value: object, style: str) -> Paragraph:
        return Paragraph(escape(text(value)), styles[style])

    story: list = [para(report.title, "title")]
    story += [para(line, "sub") for line in (*report.heading_lines, _("Period: {period}").format(period=report.period_label))]
    story.append(Spacer(1, 4 * mm))
    charts_by_table: dict[str, list[Chart]] = {}
    for chart in report.charts:
        charts_by_table.setdefault(chart.table, []).append(chart)
    for table in report.tables:
        block = [para(table.title, "h2"), _table(table, text, para, font)]
        story.append(CondPageBreak(40 * mm))
        story.append(KeepTogether(block) if len(table.all_rows) < 25 else block[0])
        if len(table.all_rows) >= 25:
            story.append(block[1])
        for chart in charts_by_table.get(table.key, []):
            if table.heatmap:
                continue  # the table itself is the heat map: its rate cells are coloured
            story += [Spacer(1, 3 * mm), KeepTogether([para(chart.title, "h2"), _chart(report, chart, text, font)])]
        if table.key == "overview":
            story.append(Spacer(1, 2 * mm))
            story += [para(note, "note") for note in report.notes]
    if text.replaced:
        listed = "、".join(f"「{c}」(U+{ord(c):04X})" for c in text.replaced)
        story.append(Spacer(1, 4 * mm))
        story.append(para(_("The font cannot print {chars}; they are shown as 〓.").format(chars=listed), "note"))

    buffer = io.BytesIO()
    page_label = _("Page {page}")

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.HexColor("#606060"))
        canvas.drawString(MARGIN, PAGE[1] - MARGIN + 4 * mm, text(f"{report.title}　{report.facility_label}"))
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN - 6 * mm, page_label.format(page=doc.page))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 2 * mm, bottomMargin=MARGIN,
        title=report.title, author="Center Desk", subject=report.facility_label, initialFontName=font,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


#: A text cell up to this wide is never broken; a longer one may wrap, but not inside one of
#: its words (a receipt or booking number) and not narrower than this.
KEEP_WHOLE = 30 * mm
_WORD_BREAKS = re.compile(r"[\s、,;]+")


def _column_widths(table: Table, text, font: str) -> list[float]:
    """Column widths in points: each column as wide as its content; when the table is wider
    than the page, only the text columns narrow, each no narrower than its widest short cell,
    word or header word (times, numbers, methods and names stay on one line)."""
    size = TABLE_FONT_SIZE
    widths, floors = [], []
    for col, column in enumerate(table.columns):
        cells = [text(row[col]) for row in table.all_rows]
        content = max([stringWidth(c, font, size) for c in cells] or [0])
        header = stringWidth(column.header, font, size)
        # a header may wrap between its words, never inside one (「無断キャンセ/ル」)
        word = max(stringWidth(part, font, size) for part in re.split(r"[\s(（/・]", column.header) if part) if column.header.strip() else 0
        if column.kind == "text":
            widths.append(max(content, min(header, 30 * mm), word) + 14)
            floors.append(max([_unbroken_width(c, font, size) for c in cells] + [word]) + 14)
        else:
            widths.append(max(content + 14, min(header + 14, 22 * mm), word + 14, 12 * mm))
            floors.append(widths[-1])
    excess = sum(widths) - WIDTH
    if excess > 0:
        slack = [w - f for w, f in zip(widths, floors, strict=True)]
        if sum(slack) >= excess:
            widths = [w - excess * s / sum(slack) for w, s in zip(widths, slack, strict=True)]
        else:  # a table of many numbers: the text columns give up their floors first
            widths, excess = floors, sum(floors) - WIDTH
            text_total = sum(w for w, c in zip(widths, table.columns, strict=True) if c.kind == "text") or 1
            widths = [w - excess * w / text_total if c.kind == "text" else w for w, c in zip(widths, table.columns, strict=True)]
            if sum(widths) > WIDTH or min(widths) <= 0:
                widths = [max(w, 14) for w in widths]
                widths = [w * WIDTH / sum(widths) for w in widths]
    return widths


def _unbroken_width(cell: str, font: str, size: float) -> float:
    """How narrow a cell may get: a short cell whole, a long one its widest word (at most
    :data:`KEEP_WHOLE`)."""
    whole = stringWidth(cell, font, size)
    if whole <= KEEP_WHOLE:
        return whole
    return min(KEEP_WHOLE, max(stringWidth(part, font, size) for part in _WORD_BREAKS.split(cell) if part))


def _heat_colour(rate: float | None) -> colors.Color:
    if rate is None:
        return colors.HexColor("#EEEEEE")
    rate = max(0.0, min(1.0, rate))
    low, mid, high = (1.0, 1.0, 1.0), (1.0, 0.85, 0.40), (0.96, 0.45, 0.35)
    a, b, t = (low, mid, rate * 2) if rate < 0.5 else (mid, high, (rate - 0.5) * 2)
    return colors.Color(*(x + (y - x) * t for x, y in zip(a, b, strict=True)))


def _table(table: Table, text, para, font: str) -> PdfTable:
    header = [para(c.header, "head") for c in table.columns]
    body = []
    for row in table.all_rows:
        body.append([para(v, "cell") if table.columns[i].kind == "text" else text(v) for i, v in enumerate(row)])
    if not body:
        body = [[para(_("No data"), "cell")] + [""] * (len(table.columns) - 1)]
    style = [
        ("FONT", (0, 0), (-1, -1), font, TABLE_FONT_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BLUE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for col, column in enumerate(table.columns):
        if column.kind in (NUMBER, YEN, RATE):
            style.append(("ALIGN", (col, 1), (col, -1), "RIGHT"))
    if table.total is not None and table.rows:
        style += [("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2")), ("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black)]
    if table.heatmap:
        for r, row in enumerate(table.rows, start=1):
            for col, value in enumerate(row):
                if table.columns[col].kind == RATE:
                    style.append(("BACKGROUND", (col, r), (col, r), _heat_colour(value)))  # type: ignore[arg-type]
    if not table.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    return PdfTable([header, *body], colWidths=_column_widths(table, text, font), repeatRows=1, style=TableStyle(style), hAlign="LEFT")


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _nice_max(values: list[float], rate: bool) -> tuple[float, float]:
    top = max(values or [0.0])
    if rate:
        top = min(1.0, max(0.1, top))
        step = 0.1 if top <= 0.5 else 0.2
        return (int(top / step) + 1) * step, step
    if top <= 0:
        return 5.0, 1.0
    magnitude = 10 ** (len(str(int(top))) - 1)
    step = next(s * magnitude for s in (0.2, 0.5, 1, 2, 5) if top / (s * magnitude) <= 6)
    return (int(top / step) + 1) * step, step


def _chart(report: Report, spec: Chart, text, font: str) -> Drawing:
    categories, series, line = report.chart_data(spec)
    table = report.table(spec.table)
    rate = table.columns[spec.values[0]].kind == RATE
    labels = [text(c) for c in categories] or [""]
    data = [[_number(v) for v in values] or [0.0] for _name, values in series]
    top, step = _nice_max([v for values in data for v in values], rate)
    label_format = (lambda v: f"{v * 100:.1f}%") if rate else (lambda v: f"{v:,.0f}")
    axis_format = (lambda v: f"{v * 100:.0f}%") if rate else (lambda v: f"{v:,.0f}")
    if spec.horizontal:
        label_width = min(90 * mm, max([stringWidth(c, font, 7) for c in labels]) + 8)
        height = max(50 * mm, len(labels) * 5.2 * mm + 16 * mm)
        drawing = Drawing(WIDTH, height, initialFontName=font)
        chart = HorizontalBarChart()
        chart.x, chart.y = label_width, 10 * mm
        chart.width, chart.height = WIDTH - label_width - 30 * mm, height - 16 * mm
        chart.data = data
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.reverseDirection = True
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -3
        chart.barLabelFormat = label_format
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
    else:
        height = 75 * mm
        drawing = Drawing(WIDTH, height, initialFontName=font)
        chart = VerticalBarChart()
        chart.x, chart.y = 18 * mm, 14 * mm
        chart.width, chart.height = WIDTH - 40 * mm, height - 22 * mm
        chart.data = data
        chart.categoryAxis.categoryNames = labels
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.barLabelFormat = label_format
        chart.barLabels.boxAnchor = "s"
        chart.barLabels.dy = 2
    chart.bars[0].fillColor = BAR
    chart.bars.strokeColor = None
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, top, step
    chart.valueAxis.labelTextFormat = axis_format
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
    drawing.add(chart)
    legend_y = height - 6
    if line is not None:
        name, values = line
        points = [_number(v) for v in values] or [0.0]
        line_top, line_step = _nice_max(points, False)
        plot = HorizontalLineChart()
        plot.x, plot.y, plot.width, plot.height = chart.x, chart.y, chart.width, chart.height
        plot.data = [points]
        plot.categoryAxis.categoryNames = labels
        plot.categoryAxis.visible = False
        plot.valueAxis.valueMin, plot.valueAxis.valueMax, plot.valueAxis.valueStep = 0, line_top, line_step
        plot.valueAxis.joinAxisMode = "right"
        plot.valueAxis.labels.fontName = font
        plot.valueAxis.labels.fontSize = 7
        plot.valueAxis.labels.boxAnchor = "w"
        plot.valueAxis.labels.dx = 4
        plot.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
        plot.lines[0].strokeColor = LINE
        plot.lines[0].strokeWidth = 1.5
        plot.lines[0].symbol = None
        drawing.add(plot)
        drawing.add(Rect(chart.x, legend_y - 3, 8, 6, fillColor=BAR, strokeColor=None))
        drawing.add(String(chart.x + 11, legend_y - 3, text(series[0][0]), fontName=font, fontSize=8))
        x2 = chart.x + 20 + stringWidth(text(series[0][0]), font, 8)
        drawing.add(Rect(x2, legend_y, 12, 1.5, fillColor=LINE, strokeColor=None))
        drawing.add(String(x2 + 15, legend_y - 3, text(name) + _(" (right axis)"), fontName=font, fontSize=8))
    return drawing

