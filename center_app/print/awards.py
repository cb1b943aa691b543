"""修了証 and 感謝状 for the participants of an event or for volunteers: one page per recipient,
all in one PDF, in IPAex Mincho; horizontal (A4 portrait) or vertical 縦書き (A4 landscape,
columns right to left, dates in kanji numerals).

What every page shares (frame, title, body, date, issuer, seal) is a form XObject drawn once;
each page adds only the recipient's name, so batches of hundreds are quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.pdfgen.canvas import Canvas

from center_app.domain.documents import AWARD_TITLES, COMPLETION, AwardBatch, Issuer, Progress, Recipient
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.i18n import _
from center_app.print.base import (
    A4,
    A4_LANDSCAPE,
    GlyphCheck,
    draw_image_fit,
    draw_lines,
    fit_line,
    fit_paragraph,
    kanji_date,
    mm,
    new_canvas,
    optional_image,
    report_progress,
    text_width,
    wareki,
    wrap_text,
)
from center_app.print.fonts import register_fonts
from center_app.print.vertical import draw_vertical, vertical_height, wrap_vertical

GOLD = (0.62, 0.47, 0.16)
#: At most this many names in one batch (a typo pasting a whole spreadsheet is caught early).
MAX_RECIPIENTS = 2000


def default_body(kind: str, event_title: str, event_date: date | None, *, vertical: bool = False) -> str:
    """The usual wording, for the clerk to adjust: the event's title and date are filled in."""
    when = ""
    if event_date is not None:
        when = kanji_date(event_date) if vertical else wareki(event_date)
    title = f"「{event_title}」" if event_title else ""
    if kind == COMPLETION:
        if when:
            return f"あなたは{when}に開催された{title}の全課程を修了されましたのでここにこれを証します"
        return f"あなたは{title}の全課程を修了されましたのでここにこれを証します"
    return f"あなたは{title}において多大なご尽力をいただきました　そのご功績に対し深く感謝の意を表します"


def parse_recipients(text: str) -> list[Recipient]:
    """Names typed or pasted one per line; "name<TAB>affiliation" (two spreadsheet columns) or
    "name, affiliation" keeps the affiliation. Blank lines are skipped; spaces are tidied."""
    recipients = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip().strip("\u3000")
        if not line:
            continue
        if "\t" in line:
            name, _sep, affiliation = line.partition("\t")
        elif "," in line or "，" in line:
            name, _sep, affiliation = line.replace("，", ",").partition(",")
        else:
            name, affiliation = line, ""
        name = " ".join(name.replace("\u3000", " ").split())
        affiliation = " ".join(affiliation.replace("\u3000", " ").split())
        if name:
            recipients.append(Recipient(name, affiliation))
    return recipients


def validate_batch(batch: AwardBatch, issuer: Issuer, font: str) -> None:
    problems = []
    if batch.kind not in AWARD_TITLES:
        raise ValueError(f"unknown award kind {batch.kind!r}")
    if not batch.recipients:
        problems.append(FieldProblem(batch.recipients_field, _("Enter at least one name, one per line.")))
    elif len(batch.recipients) > MAX_RECIPIENTS:
        problems.append(FieldProblem(batch.recipients_field, _("At most {n} names can be printed at once.").format(n=MAX_RECIPIENTS)))
    if not batch.body.strip():
        problems.append(FieldProblem("body", _("Enter the text of the certificate.")))
    if problems:
        raise ValidationError(problems)
    check = GlyphCheck(font)
    check.check([("title", batch.heading), ("course_name", batch.course_name), ("body", batch.body), ("center_name", issuer.center_name), ("head_title", issuer.head_title), ("head_name", issuer.head_name)])
    for row, person in enumerate(batch.recipients, start=1):
        check.check([(batch.recipients_field, person.name + person.affiliation)], row=row, context=_("Line {line}").format(line=row))
    check.raise_if_any()


def render_awards(batch: AwardBatch, issuer: Issuer, *, progress: Progress | None = None, skip_unreadable_images: bool = False) -> bytes:
    """One PDF with a page per recipient. Raises ValidationError (no names, no text),
    MissingGlyphError (every character any line cannot print, with its line number),
    ImageUnreadable for the seal (unless ``skip_unreadable_images``), Cancelled from ``progress``."""
    _, mincho = register_fonts()
    validate_batch(batch, issuer, mincho)
    seal = optional_image(issuer.seal_image_path, "seal_image_path", skip_unreadable_images)
    pagesize = A4_LANDSCAPE if batch.vertical else A4
    canvas, buffer = new_canvas(pagesize, mincho, batch.heading)
    canvas.beginForm("award_static")
    layout = (_vertical_static if batch.vertical else _horizontal_static)(canvas, batch, issuer, seal, mincho)
    canvas.endForm()
    total = len(batch.recipients)
    for index, person in enumerate(batch.recipients):
        canvas.doForm("award_static")
        (_vertical_name if batch.vertical else _horizontal_name)(canvas, person, batch.honorific, mincho, layout)
        canvas.showPage()
        report_progress(progress, index + 1, total)
    canvas.save()
    return buffer.getvalue()


def _frame(canvas: Canvas, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setStrokeColorRGB(*GOLD)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setLineWidth(0.8)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
    for x, y in ((13 * mm, 13 * mm), (width - 13 * mm, 13 * mm), (13 * mm, height - 13 * mm), (width - 13 * mm, height - 13 * mm)):
        canvas.setFillColorRGB(*GOLD)
        canvas.circle(x, y, 1.6 * mm, stroke=0, fill=1)
    canvas.restoreState()


# --- horizontal (A4 portrait) ------------------------------------------------------------------

_W, _H = A4
_LEFT, _RIGHT = 32 * mm, _W - 32 * mm
_NAME_BASE = _H - 112 * mm


def _horizontal_static(canvas: Canvas, batch: AwardBatch, issuer: Issuer, seal, font: str) -> None:
    _frame(canvas, _W, _H)
    heading = batch.heading
    spacing = 24 if len(heading) <= 4 else 6
    size = fit_line(heading, font, 44, _RIGHT - _LEFT, 22, char_space=spacing) or 22
    canvas.setFont(font, size)
    canvas.drawCentredString(_W / 2 + spacing / 2, _H - 62 * mm, heading, charSpace=spacing)
    width = _RIGHT - _LEFT
    body_top, body_height = _H - 134 * mm, 100 * mm
    if batch.course_name:  # 講座名 under the name line, the body below it
        label = "講座名　" + batch.course_name
        size = fit_line(label, font, 16, width - 12 * mm, 8) or 8
        canvas.setFont(font, size)
        canvas.drawString(_LEFT + 6 * mm, _NAME_BASE - 15 * mm, label)
        body_top, body_height = _H - 142 * mm, 92 * mm
    fitted = fit_paragraph(batch.body, font, width, body_height, 22, 11, leading=1.9)
    size, lines = fitted if fitted else (11, wrap_text(batch.body, font, 11, width)[:24])
    draw_lines(canvas, lines, font, size, _LEFT, body_top, leading=1.9)
    canvas.setFont(font, 16)
    canvas.drawString(_LEFT + 12 * mm, 72 * mm, wareki(batch.issued_on))
    right = _RIGHT - 12 * mm
    for text, y in ((issuer.center_name, 57 * mm), (issuer.head_line, 44 * mm)):
        size = fit_line(text, font, 17, 120 * mm, 8) or 8
        canvas.setFont(font, size)
        canvas.drawRightString(right, y, text)
    if seal is not None:
        draw_image_fit(canvas, seal, right - 22 * mm * 0.45, 44 * mm + 6 - 11 * mm, 22 * mm, 22 * mm)


def _horizontal_name(canvas: Canvas, person: Recipient, honorific: str, font: str, _layout) -> None:
    if person.certificate_no:
        canvas.setFont(font, 12)
        canvas.drawRightString(_RIGHT, _H - 28 * mm, person.certificate_no)
    if person.affiliation:
        size = fit_line(person.affiliation, font, 14, _RIGHT - _LEFT - 10 * mm, 8) or 8
        canvas.setFont(font, size)
        canvas.drawString(_LEFT + 6 * mm, _NAME_BASE + 16 * mm, person.affiliation)
    honor_size = 20
    honor_w = text_width(honorific, font, honor_size) + (5 * mm if honorific else 0)
    available = _RIGHT - _LEFT - 6 * mm - honor_w
    size = fit_line(person.name, font, 30, available, 16)
    if size is not None:
        canvas.setFont(font, size)
        canvas.drawString(_LEFT + 6 * mm, _NAME_BASE, person.name)
        end = _LEFT + 6 * mm + text_width(person.name, font, size)
        base = _NAME_BASE
    else:  # a very long name (a group): two lines, the honorific after the last
        fitted = fit_paragraph(person.name, font, available, 24 * mm, 20, 10, leading=1.25, max_lines=2)
        size, lines = fitted if fitted else (10, wrap_text(person.name, font, 10, available)[:2])
        draw_lines(canvas, lines, font, size, _LEFT + 6 * mm, _NAME_BASE + size * 1.25 + size * 0.88, leading=1.25)
        end = _LEFT + 6 * mm + text_width(lines[-1], font, size)
        base = _NAME_BASE
    if honorific:
        canvas.setFont(font, honor_size)
        canvas.drawString(end + 5 * mm, base, honorific)
    canvas.setLineWidth(0.6)
    canvas.line(_LEFT + 4 * mm, _NAME_BASE - 3 * mm, _RIGHT - 4 * mm, _NAME_BASE - 3 * mm)


# --- vertical 縦書き (A4 landscape) -----------------------------------------------------------------

_VW, _VH = A4_LANDSCAPE
_TOP, _BOTTOM = _VH - 24 * mm, 22 * mm
_RIGHT_EDGE, _LEFT_EDGE = _VW - 26 * mm, 26 * mm
NUMBER_SIZE = 12.0


@dataclass(frozen=True)
class _VerticalLayout:
    """Where the per-recipient parts of a vertical page go (x: column centres, sizes in points)."""

    number_x: float
    name_x: float
    name_size: float
    name_width: float


def _vertical_columns(batch: AwardBatch, issuer: Issuer, font: str, size: float, numbered: bool) -> dict:
    """The columns of a vertical page at body size ``size``: their sizes and widths (points)."""
    column = _TOP - _BOTTOM
    title = min(size * 2.1, 60.0)
    spacing = 0.6 if len(batch.heading) <= 4 else 0.1
    while title > 16 and vertical_height(batch.heading, font, title, spacing) > column * 0.82:
        title -= 1
    name = min(size * 1.45, 42.0)
    course = max(min(size * 0.8, 22.0), 11.0) if batch.course_name else 0.0
    small = max(min(size * 0.68, 18.0), 11.0)
    seal = 16 * mm
    lines = wrap_vertical(batch.body, (column - 4 * mm) / size, font)
    center = _vertical_size(issuer.center_name, font, small, column - 14 * mm - seal)
    head = _vertical_size(issuer.head_line, font, small, column - 14 * mm)
    widths = [
        NUMBER_SIZE if numbered else 0.0,
        title,
        name * 2.0 + name * 0.6,  # the name (two columns for a long one) and the affiliation beside it
        course,
        len(lines) * size * 1.8,
        small,
        center * 1.9 + head,
    ]
    return {"title": title, "spacing": spacing, "name": name, "course": course, "small": small, "center": center, "head": head,
            "lines": lines, "widths": widths, "seal": seal}


def _vertical_static(canvas: Canvas, batch: AwardBatch, issuer: Issuer, seal, font: str) -> _VerticalLayout:
    _frame(canvas, _VW, _VH)
    numbered = any(p.certificate_no for p in batch.recipients)
    available = _RIGHT_EDGE - _LEFT_EDGE
    # The largest body size at which every column fits with a gap of at least half a body size;
    # what is left over is shared by the gaps, so the certificate spans the whole page.
    size = 30.0
    while True:
        cols = _vertical_columns(batch, issuer, font, size, numbered)
        present = [w for w in cols["widths"] if w > 0]
        if sum(present) + (len(present) - 1) * size * 0.5 <= available or size <= 9:
            break
        size -= 0.5
    gap = (available - sum(present)) / max(len(present) - 1, 1)
    gap = min(gap, size * 3.5)  # a short text: wide gaps, but the parts stay together
    used = sum(present) + gap * (len(present) - 1)
    x = _RIGHT_EDGE - (available - used) / 2  # right edge of the next column
    centres = []
    for width in cols["widths"]:
        if width <= 0:
            centres.append(x)
            continue
        centres.append(x - width / 2)
        x -= width + gap
    number_x, title_x, name_centre, course_x, body_right, date_x, issuer_right = centres
    top = _TOP
    draw_vertical(canvas, batch.heading, font, cols["title"], title_x, top - (6 * mm if numbered else 0), spacing=cols["spacing"])
    name_width = cols["widths"][2]
    if batch.course_name:
        label = "講座名　" + batch.course_name
        course_size = _vertical_size(label, font, cols["course"], _TOP - _BOTTOM - 8 * mm)
        draw_vertical(canvas, label, font, course_size, course_x, top - 8 * mm)
    bx = body_right + cols["widths"][4] / 2 - size * 0.9
    for line in cols["lines"]:
        draw_vertical(canvas, line, font, size, bx, top - 2 * mm)
        bx -= size * 1.8
    small = cols["small"]
    draw_vertical(canvas, kanji_date(batch.issued_on), font, small, date_x, top - 18 * mm)
    center_size, head_size, seal_size = cols["center"], cols["head"], cols["seal"]
    # The center's name ends higher than the head's line, so the seal pressed over the end of
    # the head's line covers nothing else.
    head_bottom = _BOTTOM + 8 * mm
    center_bottom = head_bottom + seal_size * 0.7
    right = issuer_right + cols["widths"][6] / 2
    cx = right - center_size / 2
    draw_vertical(canvas, issuer.center_name, font, center_size, cx, center_bottom + vertical_height(issuer.center_name, font, center_size))
    hx = cx - center_size * 1.9 + (center_size - head_size) / 2
    draw_vertical(canvas, issuer.head_line, font, head_size, hx, head_bottom + vertical_height(issuer.head_line, font, head_size))
    if seal is not None:
        draw_image_fit(canvas, seal, hx - seal_size * 0.35, head_bottom - seal_size * 0.35, seal_size, seal_size)
    return _VerticalLayout(number_x, name_centre, cols["name"], name_width)


def _vertical_size(text: str, font: str, size: float, column: float) -> float:
    """``size``, or smaller so that ``text`` fits one column of height ``column``."""
    natural = vertical_height(text, font, size)
    return size if natural <= column else max(size * column / natural, 5.0)


def _vertical_name(canvas: Canvas, person: Recipient, honorific: str, font: str, layout: _VerticalLayout) -> None:
    if person.certificate_no:
        draw_vertical(canvas, person.certificate_no, font, _vertical_size(person.certificate_no, font, NUMBER_SIZE, _TOP - _BOTTOM), layout.number_x, _TOP)
    top = _TOP - 14 * mm
    column = top - _BOTTOM - 8 * mm
    name = person.name.replace("\u3000", " ")
    honor_ems = 1.75 if honorific else 0.0  # a gap and the honorific at 3/4 size
    size = layout.name_size
    while size > 20 and vertical_height(name, font, size) + honor_ems * size > column:
        size -= 1
    lines = [name]
    if vertical_height(name, font, size) + honor_ems * size > column:  # a long group name: two columns
        size = min(layout.name_size, layout.name_width / 2 / 1.35 / 1.3)
        while size > 9:
            lines = wrap_vertical(name, column / size - honor_ems, font)
            if len(lines) <= 2:
                break
            size -= 1
        lines = lines[:2]
    pitch = size * 1.35
    # The name's column(s) sit left of centre in the slot, the affiliation right of them.
    x = layout.name_x - layout.name_width * 0.12 + (pitch / 2 if len(lines) == 2 else 0)
    if person.affiliation:
        aff_size = _vertical_size(person.affiliation, font, max(layout.name_size * 0.42, 12.0), column)
        draw_vertical(canvas, person.affiliation, font, aff_size, x + size * 0.55 + aff_size * 0.9, top)
    y = top
    for line in lines:
        y = draw_vertical(canvas, line.strip(), font, size, x, top)
        x -= pitch
    if honorific:
        draw_vertical(canvas, honorific, font, size * 0.75, x + pitch, y - size * 0.75)
