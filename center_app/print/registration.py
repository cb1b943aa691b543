"""登録証: the registration certificate of a group, A4 (one per page) or card size (91 × 55 mm,
ten per A4 sheet with crop marks), in IPAex Mincho, with a QR code of the registration number
(the search fields of 団体 and the booking dialog accept it when scanned).

Data comes in as :class:`RegistrationCertificate` objects built by
:mod:`center_app.services.certificates`; nothing here reads the database.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from center_app.domain.document_texts import texts
from center_app.domain.documents import CERTIFICATE_SIZES, Issuer, Progress, RegistrationCertificate
from center_app.i18n import N_, _
from center_app.print.base import (
    A4,
    CARD,
    GlyphCheck,
    balanced_lines,
    crop_marks,
    draw_image_fit,
    draw_lines,
    draw_qr,
    fit_line,
    fit_paragraph,
    mm,
    new_canvas,
    optional_image,
    report_progress,
    text_width,
    wareki,
    wrap_text,
)
from center_app.print.fonts import register_fonts

#: Card sheet: 2 columns × 5 rows of 91 × 55 mm, centred on A4 (the common 10面 business-card sheet).
CARD_COLUMNS, CARD_ROWS = 2, 5
CARD_MARGIN_X = (A4[0] - CARD_COLUMNS * CARD[0]) / 2
CARD_MARGIN_Y = (A4[1] - CARD_ROWS * CARD[1]) / 2

TITLE = "市民活動団体登録証"
INK = (0.10, 0.14, 0.30)


def reissue_label(count: int) -> str:
    """"再交付（2回目）" for a reissued certificate, "" for the first issue."""
    return f"再交付（{count}回目）" if count > 0 else ""


#: Labels naming a certificate's fields in messages (ids already in the catalog).
_FIELD_LABELS = {
    "name": N_("Group name"), "name_kana": N_("Reading (katakana)"), "registration_no": N_("Registration number"),
    "representative_name": N_("Representative"), "activity_fields": N_("Activity fields"),
}


def check_certificates(certificates: list[RegistrationCertificate], issuer: Issuer, font: str) -> None:
    """Raise one :class:`MissingGlyphError` naming every character of the certificates and the
    issuer that ``font`` cannot draw (each with its group and field)."""
    check = GlyphCheck(font)
    check.check([("center_name", issuer.center_name), ("head_title", issuer.head_title), ("head_name", issuer.head_name)], context=_("Settings"))
    for row, cert in enumerate(certificates, start=1):
        values = {
            "name": cert.group_name, "name_kana": cert.group_kana, "registration_no": cert.registration_no,
            "representative_name": cert.representative_name, "activity_fields": "".join(cert.activity_fields + cert.activity_fields_short),
        }
        for field, text in values.items():
            context = _("{group}, {field}").format(group=cert.registration_no or cert.group_name, field=_(_FIELD_LABELS[field]))
            check.check([(field, text)], row=row if len(certificates) > 1 else None, context=context)
    check.raise_if_any()


def render_registration_certificates(
    certificates: list[RegistrationCertificate],
    issuer: Issuer,
    *,
    size: str = "a4",
    progress: Progress | None = None,
    skip_unreadable_images: bool = False,
    first_position: int = 1,
    english: bool = False,
) -> bytes:
    """One PDF of ``certificates``: A4 (a page each) or ``card`` (ten per A4 sheet, crop marks).
    The certificate is Japanese; ``english`` adds an English line under the title (A4) or beside
    it (card), :data:`center_app.domain.document_texts.en.CERTIFICATE_LINE`.

    ``first_position`` (1–10, left to right, top to bottom) is the card position of the first
    sheet the first certificate goes to, for a sheet already partly used; later sheets start at 1.

    What every certificate shares (frame, title, labels, statement, issuer, seal) is drawn once
    as a form XObject and placed on each page, so a batch of 500 stays small and fast.
    Raises MissingGlyphError listing every character any certificate cannot print,
    ImageUnreadable for an unreadable seal image (unless ``skip_unreadable_images``), and
    Cancelled when ``progress`` returns False.
    """
    if size not in CERTIFICATE_SIZES:
        raise ValueError(f"unknown certificate size {size!r}")
    if not 1 <= first_position <= CARD_COLUMNS * CARD_ROWS:
        raise ValueError(f"card position {first_position} is not 1–{CARD_COLUMNS * CARD_ROWS}")
    _, mincho = register_fonts()
    check_certificates(certificates, issuer, mincho)
    seal = optional_image(issuer.seal_image_path, "seal_image_path", skip_unreadable_images)
    canvas, buffer = new_canvas(A4, mincho, TITLE)
    total = len(certificates)
    if size == "a4":
        canvas.beginForm("a4_static")
        _a4_static(canvas, issuer, seal, mincho, english)
        canvas.endForm()
        for index, cert in enumerate(certificates):
            canvas.doForm("a4_static")
            _a4_values(canvas, cert, mincho)
            canvas.showPage()
            report_progress(progress, index + 1, total)
    else:
        canvas.beginForm("card_static")
        _card_static(canvas, issuer, seal, mincho, english)
        canvas.endForm()
        per_sheet = CARD_COLUMNS * CARD_ROWS
        skipped = first_position - 1  # the used positions of a half-used sheet
        for index, cert in enumerate(certificates):
            slot = (index + skipped) % per_sheet
            column, row = slot % CARD_COLUMNS, slot // CARD_COLUMNS
            canvas.saveState()
            canvas.translate(CARD_MARGIN_X + column * CARD[0], A4[1] - CARD_MARGIN_Y - (row + 1) * CARD[1])
            canvas.doForm("card_static")
            _card_values(canvas, cert, mincho)
            canvas.restoreState()
            if slot == per_sheet - 1 or index == total - 1:
                _card_sheet_marks(canvas)
                canvas.showPage()
            report_progress(progress, index + 1, total)
    if not certificates:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _card_sheet_marks(canvas: Canvas) -> None:
    xs = [CARD_MARGIN_X + i * CARD[0] for i in range(CARD_COLUMNS + 1)]
    ys = [CARD_MARGIN_Y + i * CARD[1] for i in range(CARD_ROWS + 1)]
    crop_marks(canvas, xs, ys, length=5 * mm, gap=2 * mm)


def _clip(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    """Wrapped lines cut to ``max_lines``, the last ending in … (only for absurdly long values)."""
    lines = wrap_text(text, font, size, width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", font, size) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


def _paragraph(text: str, font: str, width: float, height: float, size: float, min_size: float, leading: float, max_lines: int | None = None) -> tuple[float, list[str]]:
    """Shrink to fit the box; at ``min_size`` cut what still does not fit (ending in …)."""
    fitted = fit_paragraph(text, font, width, height, size, min_size, leading, max_lines)
    if fitted is not None:
        return fitted
    lines_fit = max(1, int((height - min_size) / (min_size * leading)) + 1)
    return min_size, _clip(text, font, min_size, width, min(lines_fit, max_lines or lines_fit))


# --- A4 -----------------------------------------------------------------------------------------

_W, _H = A4
_LABEL_X, _VALUE_X = 32 * mm, 66 * mm
_VALUE_W = _W - _VALUE_X - 30 * mm
_RIGHT = _W - 30 * mm
#: Tops of the rows, measured from the bottom of the page.
_NAME_TOP, _REP_TOP, _FIELDS_TOP, _VALID_TOP = _H - 95 * mm, _H - 124 * mm, _H - 140 * mm, _H - 184 * mm
_FIELDS_H = 38 * mm


def _label(canvas: Canvas, font: str, text: str, top: float) -> None:
    canvas.setFont(font, 12)
    canvas.drawString(_LABEL_X, top - 12 * 0.88 - 2, text)


def _a4_static(canvas: Canvas, issuer: Issuer, seal, font: str, english: bool = False) -> None:
    canvas.setStrokeColorRGB(*INK)
    canvas.setFillColorRGB(*INK)
    canvas.setLineWidth(2.2)
    canvas.rect(12 * mm, 12 * mm, _W - 24 * mm, _H - 24 * mm)
    canvas.setLineWidth(0.6)
    canvas.rect(15 * mm, 15 * mm, _W - 30 * mm, _H - 30 * mm)
    title_size = fit_line(TITLE, font, 30, _W - 70 * mm, 20, char_space=8) or 20
    canvas.setFont(font, title_size)
    canvas.drawCentredString(_W / 2 + 4, _H - 70 * mm, TITLE, charSpace=8)
    if english:
        line = texts("en").CERTIFICATE_LINE
        canvas.setFont(font, fit_line(line, font, 12, _W - 70 * mm, 7) or 7)
        canvas.drawCentredString(_W / 2, _H - 79 * mm, line)
    canvas.setFillColorRGB(0, 0, 0)
    for text, top in (("団 体 名", _NAME_TOP), ("代 表 者", _REP_TOP), ("活動分野", _FIELDS_TOP), ("有効期限", _VALID_TOP)):
        _label(canvas, font, text, top)
    statement = f"上記の団体を{issuer.center_name or '当センター'}の登録団体として登録したことを証します。"
    size, lines = _paragraph(statement, font, _W - 64 * mm, 22 * mm, 13, 9, 1.7)
    draw_lines(canvas, lines, font, size, _LABEL_X, 92 * mm, leading=1.7)
    _draw_issuer(canvas, issuer, seal, font, right=_W - 42 * mm, center_y=60 * mm, head_y=48 * mm, size=15, seal_size=22 * mm, available=110 * mm)


def _a4_values(canvas: Canvas, cert: RegistrationCertificate, font: str) -> None:
    canvas.setFont(font, 11)
    canvas.drawRightString(_RIGHT, _H - 32 * mm, f"登録番号　{cert.registration_no}")
    label = reissue_label(cert.reissue_count)
    if label:
        canvas.setFont(font, 10)
        canvas.drawRightString(_RIGHT, _H - 38 * mm, label)

    if cert.group_kana:
        kana_size = fit_line(cert.group_kana, font, 9, _VALUE_W, 6) or 6
        canvas.setFont(font, kana_size)
        canvas.drawString(_VALUE_X, _NAME_TOP + 2, cert.group_kana)
    fitted = balanced_lines(cert.group_name, font, 20, _VALUE_W, 11, leading=1.3)
    size, lines = fitted if fitted else _paragraph(cert.group_name, font, _VALUE_W, 20 * mm, 11, 8, 1.3, max_lines=3)
    draw_lines(canvas, lines, font, size, _VALUE_X, _NAME_TOP, leading=1.3)

    size = fit_line(cert.representative_name, font, 15, _VALUE_W, 9)
    if size is not None:
        canvas.setFont(font, size)
        canvas.drawString(_VALUE_X, _REP_TOP - 15 * 0.88 - 1, cert.representative_name)
    else:
        size, lines = _paragraph(cert.representative_name, font, _VALUE_W, 12 * mm, 11, 8, 1.3)
        draw_lines(canvas, lines, font, size, _VALUE_X, _REP_TOP, leading=1.3)

    if len(cert.activity_fields) <= 8:
        fields = "\n".join(f"・{name}" for name in cert.activity_fields) or "—"
    else:  # many fields: the short names as running text
        fields = "、".join(cert.activity_fields_short)
    size, lines = _paragraph(fields, font, _VALUE_W, _FIELDS_H, 12, 8, 1.45)
    draw_lines(canvas, lines, font, size, _VALUE_X, _FIELDS_TOP - 1, leading=1.45)

    canvas.setFont(font, 14)
    canvas.drawString(_VALUE_X, _VALID_TOP - 14 * 0.88 - 1, f"{wareki(cert.valid_until)}まで" if cert.valid_until else "—")
    canvas.setFont(font, 13)
    canvas.drawString(_LABEL_X + 10 * mm, 72 * mm, wareki(cert.issued_on))

    draw_qr(canvas, cert.registration_no, 24 * mm, 22 * mm, 24 * mm, quiet_zone=2)
    canvas.setFont(font, 7.5)
    canvas.drawString(26 * mm, 21 * mm, cert.registration_no)


def _draw_issuer(canvas: Canvas, issuer: Issuer, seal, font: str, *, right: float, center_y: float, head_y: float, size: float, seal_size: float, available: float, min_size: float = 4.5) -> None:
    """Center name and head line right-aligned at ``right``; the seal over the end of the head
    line (where a 職印 is pressed), reaching past it by a quarter of its width."""
    center_size = fit_line(issuer.center_name, font, size, available, min_size) or min_size
    canvas.setFont(font, center_size)
    canvas.drawRightString(right, center_y, issuer.center_name)
    head = issuer.head_line
    head_size = fit_line(head, font, size, available, min_size) or min_size
    canvas.setFont(font, head_size)
    canvas.drawRightString(right, head_y, head)
    if seal is not None:
        draw_image_fit(canvas, seal, right - seal_size * 0.45, head_y + head_size * 0.35 - seal_size / 2, seal_size, seal_size)


# --- card ---------------------------------------------------------------------------------------

_CW, _CH = CARD
_M = 4 * mm
_QR = 17 * mm
_TEXT_W = _CW - 2 * _M - _QR - 2.5 * mm
_CARD_LABEL_W = 11 * mm
_NAME_BOX_TOP = _CH - _M - 20
#: Rows of the card: label, top (from the card's bottom), height.
_ROWS_TOP = 28 * mm
_CARD_ROWS = (("代表者", _ROWS_TOP, 10.5), ("活動分野", _ROWS_TOP - 10.5, 16), ("有効期限", _ROWS_TOP - 26.5, 10.5), ("交付日", _ROWS_TOP - 37, 10.5))


def _card_static(canvas: Canvas, issuer: Issuer, seal, font: str, english: bool = False) -> None:
    canvas.setFillColorRGB(*INK)
    canvas.setFont(font, 8.5)
    canvas.drawString(_M, _CH - _M - 7, TITLE)
    if english:
        canvas.setFont(font, 5)
        canvas.drawString(_M + text_width(TITLE, font, 8.5) + 1.5 * mm, _CH - _M - 7, texts("en").CERTIFICATE_LINE_SHORT)
    canvas.setStrokeColorRGB(*INK)
    canvas.setLineWidth(0.5)
    canvas.line(_M, _CH - _M - 10, _CW - _M, _CH - _M - 10)
    canvas.setFillColorRGB(0, 0, 0)
    for label, top, _height in _CARD_ROWS:
        canvas.setFont(font, 5.5)
        canvas.drawString(_M, top - 6, label)
    seal_w = 9 * mm if seal is not None else 0
    right = _CW - _M - (seal_w + 1 * mm if seal is not None else 0)
    _draw_issuer(canvas, issuer, None, font, right=right, center_y=_M + 9, head_y=_M + 1.5, size=6.5, seal_size=0, available=right - _M - 30 * mm, min_size=4)
    if seal is not None:  # beside the text: a card is too small to press the seal over it
        draw_image_fit(canvas, seal, _CW - _M - seal_w, _M - 1.5 * mm, seal_w, seal_w)


def _card_values(canvas: Canvas, cert: RegistrationCertificate, font: str) -> None:
    canvas.setFont(font, 7.5)
    canvas.drawRightString(_CW - _M, _CH - _M - 7, f"No. {cert.registration_no}")
    top = _CH - _M - 13
    if cert.group_kana:
        size = fit_line(cert.group_kana, font, 5.5, _TEXT_W, 4) or 4
        canvas.setFont(font, size)
        canvas.drawString(_M, top - 5, cert.group_kana)
    top -= 6.5
    one_line = fit_line(cert.group_name, font, 13, _TEXT_W, 9.5)
    if one_line is not None:
        size, lines = one_line, [cert.group_name]
    else:
        fitted = balanced_lines(cert.group_name, font, 10, _TEXT_W, 6.5, leading=1.2)
        size, lines = fitted if fitted else _paragraph(cert.group_name, font, _TEXT_W, 24, 10, 6.5, 1.2, max_lines=2)
    draw_lines(canvas, lines, font, size, _M, top, leading=1.2)

    values = (
        cert.representative_name,
        "・".join(cert.activity_fields_short) or "—",
        f"{wareki(cert.valid_until)}まで" if cert.valid_until else "—",
        wareki(cert.issued_on),
    )
    value_x, value_w = _M + _CARD_LABEL_W, _TEXT_W - _CARD_LABEL_W
    for (label, row_top, height), value in zip(_CARD_ROWS, values):
        size = fit_line(value, font, 7.5, value_w, 6)
        if size is not None:
            canvas.setFont(font, size)
            canvas.drawString(value_x, row_top - 6.5, value)
        else:
            size, lines = _paragraph(value, font, value_w, height, 6, 4.5, 1.2, max_lines=2)
            draw_lines(canvas, lines, font, size, value_x, row_top + 0.5, leading=1.2)

    qr_x, qr_y = _CW - _M - _QR, _CH - _M - 12 - _QR
    draw_qr(canvas, cert.registration_no, qr_x, qr_y, _QR, quiet_zone=1)
    label = reissue_label(cert.reissue_count)
    if label:
        canvas.setFont(font, 5.5)
        canvas.drawCentredString(qr_x + _QR / 2, qr_y - 6, label)
