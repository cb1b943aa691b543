"""Mailings to groups: letters (A4 portrait, the recipient block at the top left where a 長形3号
window shows it), address labels on the A4 sheets of :data:`center_app.domain.mailings.LABEL_SHEETS`
and 長形3号 envelopes (120 × 235 mm, horizontal writing). Addresses in the Japanese order: 〒, the
address, the name with 御中 or 様.

Takes the frozen values of :mod:`center_app.domain.mailings`; every printed field passes the
glyph check first (:class:`MissingGlyphError` names the character and the group).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from center_app.domain.mailings import ENVELOPE_CHO3, AddressBlock, LabelSheet, MailLetter, check_start
from center_app.print.base import A4, GlyphCheck, draw_lines, new_canvas, wareki, wrap_text
from center_app.print.fonts import GOTHIC, MINCHO

WIDTH, HEIGHT = A4
LEFT, RIGHT = 25 * mm, WIDTH - 25 * mm


def _check_blocks(blocks: Sequence[AddressBlock], extra: Sequence[tuple[str, str]] = ()) -> None:
    check = GlyphCheck(MINCHO)
    for index, block in enumerate(blocks, start=1):
        fields = [("postal_code", block.postal_line)] + [("address", line) for line in block.address_lines]
        fields += [("name", line) for line in block.name_lines]
        check.check(fields, row=index, context=block.name_lines[0] if block.name_lines else "")
    if extra:
        check.check(extra)
    check.raise_if_any()


def _block_layout(block: AddressBlock, width: float, height: float, size: float, min_size: float) -> tuple[float, list[str], list[str]]:
    """The largest size (≥ ``min_size``, steps of 0.5 pt) at which the block fits ``width`` ×
    ``height``: (size of the address, its wrapped lines, the name's wrapped lines). The name is
    1.2 × the address size; the 〒 line is the address size."""
    current = size
    while True:
        address = [part for line in block.address_lines for part in wrap_text(line, MINCHO, current, width)]
        names = [part for line in block.name_lines for part in wrap_text(line, MINCHO, current * 1.2, width)]
        total = (1 + len(address)) * current * 1.3 + len(names) * current * 1.2 * 1.3 + current * 0.5
        if total <= height or current - 0.5 < min_size:
            return current, address, names
        current -= 0.5


def _draw_block(canvas: Canvas, block: AddressBlock, x: float, y_top: float, width: float, height: float, size: float, min_size: float) -> float:
    """Draw the block in the box whose top-left corner is (``x``, ``y_top``); the y below it."""
    size, address, names = _block_layout(block, width, height, size, min_size)
    y = draw_lines(canvas, [block.postal_line], MINCHO, size, x, y_top, leading=1.3)
    y = draw_lines(canvas, address, MINCHO, size, x, y - size * 0.3, leading=1.3)
    return draw_lines(canvas, names, MINCHO, size * 1.2, x, y - size * 0.5, leading=1.3)


# --- letters -----------------------------------------------------------------------------------------


def render_mail_letters(letters: Sequence[MailLetter]) -> bytes:
    """The letters, one A4 portrait page each (more when the text is long), in the order given:
    the recipient block at the top left (inside the window of a 長形3号 window envelope when
    folded in three), the date and the center on the right, the heading, the paragraphs."""
    _check_blocks([letter.block for letter in letters])
    check = GlyphCheck(MINCHO)
    for index, letter in enumerate(letters, start=1):
        check.check([("title", letter.title), ("body", letter.body), ("center_name", letter.issuer.center_name),
                     ("head", letter.issuer.head_line)], row=index, context=letter.group_name)
    check.raise_if_any()
    canvas, buffer = new_canvas(A4, MINCHO, letters[0].title if letters else "郵送文書")
    for letter in letters:
        canvas.setFont(MINCHO, 10.5)
        canvas.drawRightString(RIGHT, HEIGHT - 20 * mm, wareki(letter.issued_on))
        y = _draw_block(canvas, letter.block, LEFT, HEIGHT - 27 * mm, 90 * mm, 40 * mm, 11, 8)
        y = min(y, HEIGHT - 70 * mm)
        canvas.setFont(MINCHO, 11)
        canvas.drawRightString(RIGHT, y, letter.issuer.center_name)
        y -= 6 * mm
        if letter.issuer.head_line:
            canvas.drawRightString(RIGHT, y, letter.issuer.head_line)
        y -= 16 * mm
        if letter.title:
            for line in wrap_text(letter.title, GOTHIC, 15, RIGHT - LEFT):
                canvas.setFont(GOTHIC, 15)
                canvas.drawCentredString(WIDTH / 2, y, line)
                y -= 8 * mm
            y -= 6 * mm
        for paragraph in letter.body.replace("\r\n", "\n").split("\n\n"):
            if not paragraph.strip():
                continue
            lines = wrap_text("　" + paragraph.strip(), MINCHO, 11, RIGHT - LEFT)
            for line in lines:
                if y < 25 * mm:
                    canvas.showPage()
                    y = HEIGHT - 25 * mm
                canvas.setFont(MINCHO, 11)
                canvas.drawString(LEFT, y, line)
                y -= 11 * 1.7
            y -= 4 * mm
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- labels ------------------------------------------------------------------------------------------

#: Space kept free inside each label, mm (the printers' feed tolerance).
LABEL_PADDING = 4.0


def render_labels(sheet: LabelSheet, blocks: Sequence[AddressBlock], start: int = 1) -> bytes:
    """Address labels on ``sheet``, the first one at position ``start`` (1 = top left, along the
    row; earlier labels of a used sheet stay blank), as many sheets as needed. Each label: 〒,
    address, name with 御中 / 様, shrunk to fit inside the label less :data:`LABEL_PADDING`."""
    check_start(sheet, start)
    _check_blocks(blocks)
    canvas, buffer = new_canvas(A4, MINCHO, "宛名ラベル")
    position = start
    inner_width = (sheet.width - 2 * LABEL_PADDING) * mm
    inner_height = (sheet.height - 2 * LABEL_PADDING) * mm
    base = 10 if sheet.height >= 40 else 8.5
    for block in blocks:
        if position > sheet.count:
            canvas.showPage()
            position = 1
        left, top, _right, _bottom = sheet.rectangle(position)
        x = (left + LABEL_PADDING) * mm
        y_top = HEIGHT - (top + LABEL_PADDING) * mm
        _draw_block(canvas, block, x, y_top, inner_width, inner_height, base, 5)
        position += 1
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- envelopes ---------------------------------------------------------------------------------------


def render_envelopes(blocks: Sequence[AddressBlock], sender_lines: Sequence[str]) -> bytes:
    """One 長形3号 envelope (120 × 235 mm, portrait, written horizontally) per block: 〒 and the
    address from the top left, the name larger in the middle, the sender (``sender_lines``: the
    center's name …) small at the bottom left."""
    _check_blocks(blocks, [("sender", line) for line in sender_lines])
    width, height = ENVELOPE_CHO3[0] * mm, ENVELOPE_CHO3[1] * mm
    canvas, buffer = new_canvas((width, height), MINCHO, "長形3号封筒")
    margin = 14 * mm
    for block in blocks:
        top = height - 28 * mm
        address_block = AddressBlock(block.postal_line, block.address_lines, ())
        y = _draw_block(canvas, address_block, margin, top, width - 2 * margin, 50 * mm, 13, 9)
        names = [part for line in block.name_lines for part in wrap_text(line, MINCHO, 17, width - 2 * margin)]
        y = min(y - 20 * mm, height - 105 * mm)
        draw_lines(canvas, names, MINCHO, 17, margin, y, leading=1.5)
        sender_y = 14 * mm + len(sender_lines) * 9 * 1.4
        draw_lines(canvas, list(sender_lines), MINCHO, 9, margin, sender_y, leading=1.4)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
