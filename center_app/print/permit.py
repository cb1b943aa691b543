"""使用許可書 (use permit), 領収書 (receipt) and 使用許可書兼領収書 (both, when the fee is paid as the
permit is issued): one A4 page each, in the applicant's language
(:data:`center_app.domain.documents.PERMIT_LANGUAGES`; the wording of each is its module of
:mod:`center_app.domain.document_texts`).

- The permit lists every booking it covers (a series or several bookings of one applicant share
  one permit) with 許可番号, the applicant with 様 and address or 代表者, dates in 和暦 with the
  weekday (the Western date beside it in the other languages), times, purpose, people, the fee
  with 減免 and its reason, what is paid or the payment deadline — or 「減免により使用料は免除」 —
  and the conditions of use as configured in 設定 (nothing of them is written here).
- The receipt exists only for a recorded payment: 領収番号, 「金○○円」, 但し書き, the bookings it
  pays, the day received, the tax line of 設定, the issuer's name and title with the 公印 image or
  「公印省略」. A reprint is marked 再発行; a voided payment's receipt is marked 取消.

Values come in as :class:`~center_app.domain.documents.PermitDocument` and
:class:`~center_app.domain.documents.ReceiptDocument`; nothing here reads the database or the
clock. Build them with :func:`center_app.services.documents.permit_pdf` and
:func:`~center_app.services.documents.receipt_pdf`. Every printed text is checked against the
font first (MissingGlyphError names the character).
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_skeleton
from babel.numbers import format_currency
from reportlab.pdfgen.canvas import Canvas

from center_app.domain import document_texts
from center_app.domain.documents import PERMIT_LANGUAGES, Issuer, PermitDocument, ReceiptDocument
from center_app.print.base import A4, check_fields, draw_image_fit, draw_lines, fit_line, mm, new_canvas, optional_image, wareki, wrap_text
from center_app.print.fonts import chain_for, register_fonts

#: The fixed wording per language (the same keys in each); each language's wording lives in its
#: module of :mod:`center_app.domain.document_texts`.
LABELS: dict[str, dict[str, str]] = {str(code): document_texts.texts(code).PERMIT for code in PERMIT_LANGUAGES}

INK = (0.12, 0.16, 0.30)
GREY = (0.55, 0.55, 0.6)
STAMP = (0.75, 0.1, 0.1)
LEFT, RIGHT = 18 * mm, A4[0] - 18 * mm


def day_text(day: dt.date, language: str) -> str:
    """A date as every money document prints it: 令和8年6月9日（火） in Japanese; the language's
    own short date with the weekday (Babel's locale data, skeleton ``yMMMEd``) with the 和暦 beside
    it otherwise ("Tue, Jun 9, 2026 (令和8年6月9日（火）)", "Thứ 3, 9 thg 6, 2026 (…)")."""
    japanese = wareki(day, weekday=True)
    if language == "ja":
        return japanese
    return f"{format_skeleton('yMMMEd', day, locale=document_texts.babel_locale(language))} ({japanese})"


def yen(amount: int, language: str) -> str:
    """1,600円 in Japanese; the locale's yen format otherwise (¥1,600; JP¥ 1.600; 1.600 ¥)."""
    if language == "ja":
        return LABELS["ja"]["yen"].format(amount=f"{amount:,}")
    return format_currency(amount, "JPY", locale=document_texts.babel_locale(language))


def _check(language: str) -> dict[str, str]:
    if language not in PERMIT_LANGUAGES:
        raise ValueError(f"unknown document language {language!r}")
    return LABELS[language]


def _issuer_fields(issuer: Issuer, clerk: str, address: str) -> list[tuple[str, str]]:
    return [("center_name", issuer.center_name), ("head_title", issuer.head_title), ("head_name", issuer.head_name),
            ("clerk", clerk), ("address", address)]


def _permit_fields(doc: PermitDocument) -> list[tuple[str, str]]:
    fields = [("applicant_name", doc.applicant_name), ("address", doc.address), ("representative", doc.representative),
              ("applicant_class", doc.applicant_class_name), *(("conditions", c) for c in doc.conditions)]
    for line in doc.lines:
        fields += [("room", line.room_name), ("facility", line.facility_name), ("purpose", line.purpose), ("exemption", line.exemption_name)]
    return fields + _issuer_fields(doc.issuer, doc.clerk, doc.facility_address)


def render_permit(doc: PermitDocument, *, language: str = "ja", skip_unreadable_images: bool = False) -> bytes:
    """The 使用許可書 of ``doc`` as PDF bytes (A4 portrait, IPAex embedded). Raises ValueError for
    an unknown language, MissingGlyphError for a text the font cannot print, ImageUnreadable for
    an unreadable seal image (unless ``skip_unreadable_images``: then 「公印省略」 is printed)."""
    labels = _check(language)
    gothic, mincho = (chain_for(font, language) for font in register_fonts())  # Chinese glyph shapes for zh_Hans
    check_fields(gothic, _permit_fields(doc))
    canvas, buffer = new_canvas(A4, gothic, f"{labels['permit']} {doc.permit_no}")
    y = _heading(canvas, labels["permit"], [(labels["permit_no"], doc.permit_no), (labels["issued"], day_text(doc.issued_on, language))],
                 doc.reissue and labels["reissue"], gothic, mincho)
    y = _permit_body(canvas, doc, labels, language, gothic, mincho, y)
    y = _issuer(canvas, doc.issuer, labels, gothic, mincho, y - 4 * mm, doc.facility_address, doc.facility_phone, doc.clerk, skip_unreadable_images)
    _conditions(canvas, doc.conditions, labels, gothic, y - 4 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_receipt(doc: ReceiptDocument, *, language: str = "ja", skip_unreadable_images: bool = False) -> bytes:
    """The 領収書 of ``doc`` — or, when ``doc.permit`` is set, the 使用許可書兼領収書 — as PDF bytes.
    Errors as :func:`render_permit`."""
    labels = _check(language)
    gothic, mincho = (chain_for(font, language) for font in register_fonts())  # Chinese glyph shapes for zh_Hans
    fields = [("payer_name", doc.payer_name), ("proviso", doc.proviso), ("tax_line", doc.tax_line),
              *_issuer_fields(doc.issuer, doc.clerk, doc.facility_address), *(("room", line.room_name) for line in doc.lines)]
    if doc.permit is not None:
        fields += _permit_fields(doc.permit)
    check_fields(gothic, fields)
    title = labels["both"] if doc.permit is not None else labels["receipt"]
    canvas, buffer = new_canvas(A4, gothic, f"{title} {doc.receipt_no}")
    numbers = [(labels["receipt_no"], doc.receipt_no), (labels["received"], day_text(doc.received_on, language))]
    if doc.permit is not None:
        numbers.insert(0, (labels["permit_no"], doc.permit.permit_no))
    stamp = labels["voided"] if doc.voided else (labels["reissue"] if doc.reissue else "")
    y = _heading(canvas, title, numbers, stamp, gothic, mincho)
    if doc.permit is not None:
        y = _permit_body(canvas, doc.permit, labels, language, gothic, mincho, y, paid_now=doc.amount)
        y -= 2 * mm
    y = _receipt_box(canvas, doc, labels, language, gothic, mincho, y, with_payer=doc.permit is None)
    y = _issuer(canvas, doc.issuer, labels, gothic, mincho, y - 4 * mm, doc.facility_address, doc.facility_phone, doc.clerk, skip_unreadable_images)
    if doc.permit is not None:
        _conditions(canvas, doc.permit.conditions, labels, gothic, y - 4 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- parts ----------------------------------------------------------------------------------------


def _heading(canvas: Canvas, title: str, numbers: list[tuple[str, str]], stamp: str | bool, gothic: str, mincho: str) -> float:
    width, height = A4
    y = height - 16 * mm
    canvas.setFillColorRGB(*INK)
    canvas.setFont(gothic, 9.5)
    for label, value in numbers:
        canvas.drawRightString(RIGHT, y, f"{label}: {value}")
        y -= 5 * mm
    if stamp:
        canvas.saveState()
        canvas.setStrokeColorRGB(*STAMP)
        canvas.setFillColorRGB(*STAMP)
        size = 12
        text_w = canvas.stringWidth(str(stamp), gothic, size)
        canvas.rect(LEFT, height - 19 * mm, text_w + 6 * mm, 9 * mm, stroke=1, fill=0)
        canvas.setFont(gothic, size)
        canvas.drawString(LEFT + 3 * mm, height - 16.5 * mm, str(stamp))
        canvas.restoreState()
    y = min(y, height - 30 * mm) - 6 * mm
    size = fit_line(title, mincho, 22, RIGHT - LEFT, 12) or 12
    canvas.setFont(mincho, size)
    canvas.drawCentredString(width / 2, y, title)
    return y - 10 * mm


def _permit_body(canvas: Canvas, doc: PermitDocument, labels: dict[str, str], language: str, gothic: str, mincho: str, y: float,
                 *, paid_now: int = 0) -> float:
    canvas.setFillColorRGB(*INK)
    name = labels["honorific"].format(name=doc.applicant_name)
    size = fit_line(name, mincho, 15, 110 * mm, 9) or 9
    canvas.setFont(mincho, size)
    canvas.drawString(LEFT, y, name)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, y - 2 * mm, LEFT + 110 * mm, y - 2 * mm)
    y -= 8 * mm
    canvas.setFont(gothic, 9.5)
    for label, value in ((labels["registration_no"], doc.registration_no), (labels["representative"], doc.representative),
                         (labels["address"], doc.address), (labels["applicant_class"], doc.applicant_class_name)):
        if value:
            for line in wrap_text(f"{label}: {value}", gothic, 9.5, 120 * mm)[:2]:
                canvas.drawString(LEFT, y, line)
                y -= 4.8 * mm
    facilities = list(dict.fromkeys(line.facility_name for line in doc.lines))
    y -= 3 * mm
    canvas.setFont(mincho, 11)
    canvas.drawString(LEFT, y, labels["grant"] + (f"　{facilities[0]}" if len(facilities) == 1 and language == "ja" else ""))
    if len(facilities) == 1 and language != "ja":
        y -= 5 * mm
        canvas.drawString(LEFT, y, facilities[0])
    y -= 4 * mm
    columns = [(labels["col_date"], 52 * mm), (labels["col_room"], 40 * mm), (labels["col_people"], 14 * mm), (labels["col_purpose"], 44 * mm),
               (labels["col_fee"], RIGHT - LEFT - 150 * mm)]
    rows = []
    for line in doc.lines:
        times = f"{line.start:%H:%M}–{line.end:%H:%M}" + (f"（{'・'.join(line.slot_names)}）" if line.slot_names and language == "ja"
                                                          else (f" ({' + '.join(line.slot_names)})" if line.slot_names else ""))
        place = line.room_name if len(facilities) == 1 else f"{line.facility_name}\n{line.room_name}"
        day = day_text(line.start.date(), language).replace(" (", "\n(", 1)  # the 和暦 on a line of its own in a narrow column
        rows.append([f"{day}\n{times}\n{line.slip_no}", place,
                     labels["people_value"].format(count=line.people), line.purpose or "—", yen(line.fee, language)])
    y = _grid(canvas, columns, rows, gothic, y, right_align_last=True)
    y -= 4 * mm
    fee_rows = [(labels["gross"], yen(doc.total_gross, language))]
    exemptions = sorted({(line.exemption_name, line.exemption_rate) for line in doc.lines if line.exemption_name})
    if exemptions:
        fee_rows.append((labels["exemption"], "、".join(labels["exemption_value"].format(name=n, rate=r) for n, r in exemptions)))
        fee_rows.append((labels["waived"], yen(doc.total_waived, language)))
    fee_rows.append((labels["fee"], yen(doc.total_fee, language)))
    if doc.exempt:
        fee_rows.append((labels["status"], labels["exempt"]))
    else:
        paid = doc.paid + paid_now
        if paid:
            fee_rows.append((labels["paid"], yen(min(paid, doc.total_fee), language)))
        left = max(doc.total_fee - paid, 0)
        if left <= 0:
            fee_rows.append((labels["status"], labels["status_paid"]))
        elif doc.deadline is not None:
            fee_rows.append((labels["status"], labels["status_due"].format(amount=yen(left, language), date=day_text(doc.deadline, language))))
        else:
            fee_rows.append((labels["status"], labels["status_due_no_date"].format(amount=yen(left, language))))
    return _pairs(canvas, fee_rows, gothic, y, label_width=38 * mm, width=RIGHT - LEFT)


def _receipt_box(canvas: Canvas, doc: ReceiptDocument, labels: dict[str, str], language: str, gothic: str, mincho: str, y: float,
                 *, with_payer: bool) -> float:
    canvas.setFillColorRGB(*INK)
    if with_payer:
        name = labels["honorific"].format(name=doc.payer_name)
        size = fit_line(name, mincho, 15, 110 * mm, 9) or 9
        canvas.setFont(mincho, size)
        canvas.drawString(LEFT, y, name)
        canvas.setLineWidth(0.6)
        canvas.line(LEFT, y - 2 * mm, LEFT + 110 * mm, y - 2 * mm)
        y -= 12 * mm
    else:
        y -= 6 * mm
    amount = labels["amount"].format(amount=f"{doc.amount:,}") if language == "ja" else yen(doc.amount, language)
    box_h = 16 * mm
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(1.2)
    canvas.rect(LEFT + 20 * mm, y - box_h, RIGHT - LEFT - 40 * mm, box_h, stroke=1, fill=0)
    canvas.setFont(mincho, 22)
    canvas.drawCentredString(A4[0] / 2, y - box_h / 2 - 22 * 0.35, amount)
    y -= box_h + 6 * mm
    canvas.setFont(gothic, 10)
    if doc.tax_line:
        canvas.drawCentredString(A4[0] / 2, y, f"（{doc.tax_line}）" if language == "ja" else f"({doc.tax_line})")
        y -= 6 * mm
    canvas.setFont(mincho, 11.5)
    canvas.drawString(LEFT + 20 * mm, y, labels["proviso"].format(text=doc.proviso))
    y -= 6 * mm
    canvas.setFont(gothic, 9)
    for line in doc.lines:
        text = f"{line.slip_no}　{day_text(line.start.date(), language)} {line.start:%H:%M}–{line.end:%H:%M}　{line.room_name}　{yen(line.amount, language)}"
        for part in wrap_text(text, gothic, 9, RIGHT - LEFT - 26 * mm):
            canvas.drawString(LEFT + 24 * mm, y, part)
            y -= 4.5 * mm
    y -= 1.5 * mm
    canvas.drawString(LEFT + 20 * mm, y, f"{labels['method']}: {doc.method_label}")
    y -= 8 * mm
    canvas.setFont(mincho, 11.5)
    canvas.drawString(LEFT, y, labels["both_statement"] if doc.permit is not None else labels["receipt_statement"])
    return y - 4 * mm


def _issuer(canvas: Canvas, issuer: Issuer, labels: dict[str, str], gothic: str, mincho: str, y: float, address: str, phone: str, clerk: str,
            skip_unreadable_images: bool) -> float:
    seal = optional_image(issuer.seal_image_path, "seal_image_path", skip_unreadable_images)
    canvas.setFillColorRGB(*INK)
    available = 100 * mm
    right = RIGHT - 14 * mm
    size = fit_line(issuer.center_name, mincho, 13, available, 8) or 8
    canvas.setFont(mincho, size)
    y -= 6 * mm
    canvas.drawRightString(right, y, issuer.center_name)
    y -= 7 * mm
    head = issuer.head_line
    canvas.setFont(mincho, 13)
    canvas.drawRightString(right, y, head)
    seal_size = 18 * mm
    if seal is not None:
        draw_image_fit(canvas, seal, right - seal_size * 0.1, y + 4.5 - seal_size / 2, seal_size, seal_size)
        y -= 6 * mm
    else:
        y -= 5 * mm
        canvas.setFont(gothic, 8.5)
        canvas.drawRightString(RIGHT, y, f"（{labels['seal_omitted']}）" if labels["seal_omitted"] == "公印省略" else labels["seal_omitted"])
        y -= 5 * mm
    canvas.setFont(gothic, 8.5)
    contact = " ".join(p for p in (address, f"{labels['tel']} {phone}" if phone else "") if p)
    if contact:
        canvas.drawRightString(RIGHT, y, contact)
        y -= 4.5 * mm
    if clerk:
        canvas.drawRightString(RIGHT, y, f"{labels['clerk']}: {clerk}")
        y -= 4.5 * mm
    return y


def _conditions(canvas: Canvas, conditions: tuple[str, ...], labels: dict[str, str], gothic: str, y: float) -> None:
    if not conditions:
        return
    canvas.setStrokeColorRGB(*GREY)
    canvas.line(LEFT, y, RIGHT, y)
    y -= 6 * mm
    canvas.setFillColorRGB(*INK)
    canvas.setFont(gothic, 10)
    canvas.drawString(LEFT, y, labels["conditions"])
    y -= 2 * mm
    for condition in conditions:
        lines = wrap_text(condition, gothic, 9, RIGHT - LEFT - 5 * mm)
        canvas.setFont(gothic, 9)
        canvas.drawString(LEFT, y - 9 * 0.88, "・")
        y = draw_lines(canvas, lines, gothic, 9, LEFT + 5 * mm, y, leading=1.4) - 1.2 * mm


def _pairs(canvas: Canvas, rows: list[tuple[str, str]], font: str, y: float, *, label_width: float, width: float) -> float:
    pad = 2 * mm
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.6)
    for index, (label, value) in enumerate(rows):
        size = 11 if index == len(rows) - 1 else 10
        lines = wrap_text(value, font, size, width - label_width - 2 * pad) or [""]
        h = len(lines) * size * 1.4 + 2 * pad - size * 0.4
        canvas.setFillColorRGB(0.93, 0.94, 0.97)
        canvas.rect(LEFT, y - h, label_width, h, stroke=0, fill=1)
        canvas.setFillColorRGB(*INK)
        label_size = fit_line(label, font, 9.5, label_width - 2 * pad, 6) or 6  # longer labels of other languages shrink to fit
        canvas.setFont(font, label_size)
        canvas.drawString(LEFT + pad, y - pad - label_size * 0.88, label)
        draw_lines(canvas, lines, font, size, LEFT + label_width + pad, y - pad, leading=1.4)
        canvas.rect(LEFT, y - h, width, h, stroke=1, fill=0)
        canvas.line(LEFT + label_width, y, LEFT + label_width, y - h)
        y -= h
    return y


def _grid(canvas: Canvas, columns: list[tuple[str, float]], rows: list[list[str]], font: str, y: float, *, right_align_last: bool = False) -> float:
    pad = 1.6 * mm
    size = 9
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.6)
    header_h = size * 1.4 + 2 * pad
    x = LEFT
    canvas.setFillColorRGB(0.93, 0.94, 0.97)
    canvas.rect(LEFT, y - header_h, sum(w for _l, w in columns), header_h, stroke=1, fill=1)
    canvas.setFillColorRGB(*INK)
    canvas.setFont(font, size)
    for label, w in columns:
        label_size = fit_line(label, font, size, w - 2 * pad, 5.5) or 5.5  # a longer heading of another language shrinks to fit
        canvas.setFont(font, label_size)
        canvas.drawString(x + pad, y - pad - size * 0.88, label)
        x += w
    canvas.setFont(font, size)
    y -= header_h
    for row in rows:
        cells = []
        for (label, w), value in zip(columns, row, strict=True):
            lines: list[str] = []
            for paragraph in value.split("\n"):
                lines += wrap_text(paragraph, font, size, w - 2 * pad) or [""]
            cells.append(lines)
        h = max(len(c) for c in cells) * size * 1.35 + 2 * pad - size * 0.35
        x = LEFT
        for index, ((label, w), lines) in enumerate(zip(columns, cells, strict=True)):
            if right_align_last and index == len(columns) - 1:
                draw_lines(canvas, lines, font, size, x + pad, y - pad, leading=1.35, align="right", width=w - 2 * pad)
            else:
                draw_lines(canvas, lines, font, size, x + pad, y - pad, leading=1.35)
            canvas.rect(x, y - h, w, h, stroke=1, fill=0)
            x += w
        y -= h
        if y < 60 * mm:  # a long series continues on the next page
            canvas.showPage()
            canvas.setFont(font, size)
            y = A4[1] - 20 * mm
    return y
