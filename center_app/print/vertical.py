"""縦書き (vertical writing) for the documents that use it (感謝状): columns top to bottom, right
to left, with the Unicode vertical presentation forms for punctuation and brackets, turned ー
and dashes, small kana moved to the upper right of their cell, two-digit numbers side by side
in one cell (縦中横) and runs of Latin words turned 90°."""

from __future__ import annotations

import re

from reportlab.pdfgen.canvas import Canvas

from center_app.print.base import HANGING, NO_LINE_END, NO_LINE_START, text_width, units
from center_app.print.fonts import _cmaps, register_fonts

_VERTICAL_FORMS = {
    "、": "︑", "。": "︒", "，": "︐", "「": "﹁", "」": "﹂", "『": "﹃", "』": "﹄", "（": "︵", "）": "︶",
    "(": "︵", ")": "︶", "【": "︻", "】": "︼", "〔": "︹", "〕": "︺", "〈": "︿", "〉": "﹀", "《": "︽",
    "》": "︾", "［": "﹇", "］": "﹈", "｛": "︷", "｝": "︸", "…": "︙", "‥": "︰", "：": "︓", "；": "︔",
    "！": "︕", "？": "︖", "—": "︱", "―": "︱",
}
#: Drawn turned 90° clockwise in vertical text (long vowel mark, dashes, tildes, arrows).
_ROTATED = set("ー－-–〜～=＝→←")
#: Small kana sit in the upper right of their cell in vertical text.
_SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")


def _vertical_form(char: str, font: str) -> str:
    form = _VERTICAL_FORMS.get(char)
    if form and ord(form) in _cmaps.get(font, ()):
        return form
    return char


_LATIN = "A-Za-z\u00C0-\u024F"
_CELL = re.compile(
    rf"[{_LATIN}][{_LATIN}0-9 .,'’&/\-]*[{_LATIN}0-9.]"  # a Latin word or words: turned, one cell
    r"|[0-9]{2}(?![0-9])|[!?！？]{2}|.",  # two digits or ?! side by side (縦中横); else one character
    re.DOTALL,
)


def vertical_cells(text: str) -> list[str]:
    """The cells of a vertical line: one character each, except a two-digit number or a ?! pair
    set side by side in one cell (縦中横, as in 令和8年11月29日), and a run of Latin words, which
    is turned 90° and is as tall as it is wide."""
    cells: list[str] = []
    position = 0
    while position < len(text):
        run = re.match(r"[0-9]+", text[position:])
        if run and len(run.group()) > 2:  # a long number: one digit per cell
            cells += list(run.group())
            position += len(run.group())
            continue
        cell = _CELL.match(text, position).group()
        cells.append(cell)
        position += len(cell)
    return cells


def _turned_run(cell: str) -> bool:
    return len(cell) > 1 and re.match(rf"[{_LATIN}]", cell) is not None


def cell_ems(cell: str, font: str) -> float:
    """Height of a vertical cell in ems (a turned Latin run: its width plus a little air)."""
    return units(cell, font) / 1000 + 0.3 if _turned_run(cell) else 1.0


def vertical_height(text: str, font: str, size: float, spacing: float = 0.0) -> float:
    """Height of a vertical column of ``text`` (one em per cell plus ``spacing`` em between)."""
    cells = vertical_cells(text)
    return sum(cell_ems(c, font) for c in cells) * size + max(len(cells) - 1, 0) * size * spacing


def wrap_vertical(text: str, capacity: float, font: str) -> list[str]:
    """Break ``text`` into vertical lines of at most ``capacity`` ems (newlines kept), with the
    same 禁則 as :func:`wrap_text`: 、。 may hang one cell below the line."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line: list[str] = []
        used = 0.0
        for cell in vertical_cells(paragraph):
            height = cell_ems(cell, font)
            if not line or used + height <= capacity + 1e-6:
                line.append(cell)
                used += height
                continue
            if cell in HANGING:
                line.append(cell)
                used += height
                continue
            carry: list[str] = []
            if cell[0] in NO_LINE_START and len(line) >= 2:
                carry = [line.pop()]
            elif line[-1] in NO_LINE_END and len(line) >= 2:
                carry = [line.pop()]
            lines.append("".join(line))
            line = carry + [cell]
            used = sum(cell_ems(c, font) for c in line)
        lines.append("".join(line))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def draw_vertical(canvas: Canvas, text: str, font: str, size: float, x_center: float, y_top: float, *, spacing: float = 0.0) -> float:
    """Draw ``text`` top to bottom in one column centred on ``x_center``; returns the y below it.

    Punctuation and brackets use the vertical presentation forms (︑︒﹁﹂︵︶), ー and dashes are
    turned, small kana move to the upper right of their cell, two-digit numbers sit side by side
    in one cell (縦中横), runs of Latin words are turned 90° clockwise.
    """
    register_fonts()
    gap = size * spacing
    y = y_top
    upright = canvas.beginText()
    upright.setFont(font, size)
    turned: list[tuple[str, float, float]] = []  # text, top of its cell, height
    for cell in vertical_cells(text):
        height = cell_ems(cell, font) * size
        if cell in _ROTATED or _turned_run(cell):
            turned.append((cell, y, height))
        else:
            glyph = _vertical_form(cell, font) if len(cell) == 1 else cell
            cell_size = size if len(cell) == 1 else size * 0.8
            if cell_size != size:
                upright.setFont(font, cell_size)
            width = text_width(glyph, font, cell_size)
            dx, dy = (size * 0.1, size * 0.1) if cell in _SMALL_KANA else (0.0, 0.0)
            upright.setTextOrigin(x_center - width / 2 + dx, y - size * 0.88 + dy)
            upright.textOut(glyph)
            if cell_size != size:
                upright.setFont(font, size)
        y -= height + gap
    canvas.drawText(upright)
    for cell, top, height in turned:
        canvas.saveState()
        canvas.translate(x_center, top - height / 2)
        canvas.rotate(-90)
        canvas.setFont(font, size)
        width = text_width(cell, font, size)
        canvas.drawString(-width / 2, -size * 0.36, cell)
        canvas.restoreState()
    return y + gap
