"""予約票: the booking slip handed to the applicant, one A4 page.

Center name, slip number, applicant, room, date (in Japanese in the center's one date style, 和暦
or western; in another language western with the 和暦 beside it), time,
people, purpose, fee with the exemption's reason and the amount waived, what the money ledger
says of the fee (paid with its receipt numbers, due by its deadline, or exempt — the slip is
never a receipt: the 領収書 and the 使用許可書 are :mod:`center_app.print.permit`), the conditions
of use as configured in 設定, the issuer. In the applicant's preferred language (:data:`~center_app.domain.documents.BOOKING_LANGUAGES`);
the fixed wording of each language is its module of :mod:`center_app.domain.document_texts`
(documents for applicants use languages the UI catalog does not have). Names of rooms, facilities and
exemptions are configuration data and are printed as configured.

In やさしい日本語 (``ja_easy``) the slip says the same in short sentences, every kanji with its ルビ
(the fixed wording of :mod:`center_app.domain.document_texts.ja_easy` with its readings, the
configured names read by :func:`center_app.print.ruby.ruby_segments`), dates as 「2026年 6月 9日
（火曜日）」 with their readings (:func:`center_app.print.ruby.easy_date_segments`).

Data comes in as a :class:`~center_app.domain.booking_values.BookingView` and a
:class:`~center_app.domain.booking_values.SlipHeader`; nothing here reads the database or the
clock. Build a slip with :func:`center_app.services.documents.booking_slip_pdf`. Every printed field is checked against the
font first: a name the font cannot draw is reported (MissingGlyphError), never boxed.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_currency

from center_app.domain import document_texts
from center_app.domain.document_texts import ja_easy
from center_app.domain.booking_values import BookingStatus, BookingView, SlipHeader
from center_app.domain.documents import SLIP_LANGUAGES
from center_app.domain.money import MoneyState
from center_app.domain.wareki import WAREKI_STYLE, format_japanese_day
from center_app.print.base import A4, check_fields, draw_lines, fit_line, mm, new_canvas, wareki, wrap_text
from center_app.print.fonts import chain_for, register_fonts
from center_app.print.ruby import RUBY_SCALE, Segment, draw_ruby_line, easy_date_segments, line_width, markup_segments, ruby_segments, wrap_segments

#: The fixed wording of the slip per language (keys are the same in every language); each
#: language's wording lives in its module of :mod:`center_app.domain.document_texts`.
LABELS: dict[str, dict[str, str]] = {str(code): document_texts.texts(code).SLIP for code in SLIP_LANGUAGES}

INK = (0.12, 0.16, 0.30)
RULE_GREY = (0.55, 0.55, 0.6)


def date_line(day: dt.date, language: str, style: str = WAREKI_STYLE) -> str:
    """The date of use. In Japanese one date in the center's ``style`` (設定 → センター):
    "令和8年6月9日（火）" or "2026年6月9日（火）"; for a reader of another language the western date
    with the 和暦 beside it: en "Tuesday, June 9, 2026 (令和8年6月9日（火）)", pt_BR "terça-feira,
    9 de junho de 2026 (令和8年6月9日（火）)"; the other languages likewise from Babel's locale data
    (:func:`center_app.domain.document_texts.babel_locale`)."""
    if language == "ja":
        return format_japanese_day(day, weekday=True, style=style)
    return f"{format_date(day, format='full', locale=document_texts.babel_locale(language))} ({wareki(day, weekday=True)})"


def _amount(labels: dict[str, str], yen: int, language: str) -> str:
    """1,600円 in Japanese; the locale's yen format otherwise (¥1,600; JP¥ 1.600; 1.600 ¥)."""
    if language == "ja":
        return labels["yen"].format(amount=f"{yen:,}")
    return format_currency(yen, "JPY", locale=document_texts.babel_locale(language))


def slip_rows(view: BookingView, language: str, style: str = WAREKI_STYLE) -> list[tuple[str, str]]:
    """The label / value rows of the slip's main table, in order (dates in ``style``)."""
    labels = LABELS[language]
    times = f"{view.start:%H:%M}–{view.end:%H:%M}"
    if view.slot_names:
        times += f"（{'・'.join(view.slot_names)}）" if language == "ja" else f" ({' + '.join(view.slot_names)})"
    rows = [(labels["applicant"], view.applicant_name)]
    if view.registration_no:
        rows.append((labels["registration_no"], view.registration_no))
    rows += [
        (labels["applicant_class"], view.applicant_class_name),
        (labels["facility"], view.facility_name),
        (labels["room"], view.room_name),
        (labels["date"], date_line(view.day, language, style)),
        (labels["time"], times),
        (labels["people"], labels["people_value"].format(count=view.expected_people)),
        (labels["purpose"], view.purpose or "—"),
    ]
    return rows


def fee_rows(view: BookingView, language: str, header: SlipHeader | None = None) -> list[tuple[str, str]]:
    """Fee, exemption (reason and rate), amount waived, amount to pay, and — from the ledger —
    whether it is paid (with the receipt numbers), due by a deadline, or exempt."""
    labels = LABELS[language]
    exemption = labels["exemption_value"].format(name=view.exemption_name, rate=view.exemption_rate) if view.exemption_code else labels["none"]
    rows = [
        (labels["gross"], _amount(labels, view.gross_fee, language)),
        (labels["exemption"], exemption),
        (labels["waived"], _amount(labels, view.waived, language)),
        (labels["fee"], _amount(labels, view.fee, language)),
    ]
    money = _money_line(view, header or SlipHeader("", ""), language)
    if money:
        rows.append((labels["money"], money))
    return rows


def _money_line(view: BookingView, header: SlipHeader, language: str) -> str:
    labels = LABELS[language]
    money = view.money
    if money is None or view.status == BookingStatus.CANCELLED:
        return ""
    deadline = ""
    if header.payment_deadline and language == "ja":
        deadline = format_japanese_day(header.payment_deadline, weekday=True, style=header.date_style)
    elif header.payment_deadline:
        deadline = format_date(header.payment_deadline, format="long", locale=language)  # fits the fee table's line
    state = money.state
    if state == MoneyState.LEGACY:
        return labels["money_legacy"]
    if state == MoneyState.EXEMPT:
        return labels["money_exempt"]
    if state in (MoneyState.PAID, MoneyState.OVERPAID):
        return labels["money_paid"].format(receipts="、".join(header.receipt_numbers) if language == "ja" else ", ".join(header.receipt_numbers))
    key = "money_partly" if state == MoneyState.PARTLY_PAID else "money_due"
    return labels[key].format(amount=_amount(labels, money.outstanding, language), date=deadline or "—")


def render_booking_slip(view: BookingView, header: SlipHeader, *, language: str, issued_on: dt.date, clerk: str) -> bytes:
    """The slip of ``view`` as PDF bytes (A4 portrait, IPAex fonts embedded as subsets), issued
    on ``issued_on`` by ``clerk`` (the staff member's name). ``view.applicant_class_name`` is
    printed as given: the caller names the class in the slip's language
    (:func:`center_app.services.documents.booking_slip_pdf` does).

    Raises ValueError for an unknown language and MissingGlyphError naming every character of
    the applicant, purpose or configuration texts the font cannot print."""
    if language not in LABELS and language != "ja_easy":
        raise ValueError(f"unknown slip language {language!r}")
    gothic, mincho = (chain_for(font, language) for font in register_fonts())  # Chinese glyph shapes for zh_Hans
    check_fields(gothic, [
        ("applicant_name", view.applicant_name), ("purpose", view.purpose), ("room", view.room_name),
        ("facility", view.facility_name), ("exemption", view.exemption_name), ("center_name", header.center_name),
        ("head_title", header.head_title), ("address", header.facility_address), ("clerk", clerk),
        ("cancel_reason", view.cancel_reason), *(("conditions", c) for c in header.conditions),
    ])
    if language == "ja_easy":
        return _render_easy(view, header, issued_on=issued_on, clerk=clerk, gothic=gothic)
    labels = LABELS[language]
    provisional = view.status == BookingStatus.PROVISIONAL
    title = labels["title_provisional"] if provisional else labels["title"]
    canvas, buffer = new_canvas(A4, gothic, f"{title} {view.slip_no}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 22 * mm

    canvas.setFillColorRGB(*INK)
    size = fit_line(title, mincho, 20, right - left, 12) or 12
    canvas.setFont(mincho, size)
    canvas.drawCentredString(width / 2, y, title)
    y -= 9 * mm
    canvas.setFont(gothic, 10)
    canvas.drawString(left, y, f"{labels['slip_no']}: {view.slip_no}")
    issued = (f"{labels['issued']}: {format_japanese_day(issued_on, weekday=False, style=header.date_style)}" if language == "ja"
              else f"{labels['issued']}: {format_date(issued_on, format='long', locale=language)} ({wareki(issued_on)})")
    canvas.drawRightString(right, y, issued)
    y -= 6 * mm

    y = _table(canvas, slip_rows(view, language, header.date_style), gothic, left, right, y, label_width=42 * mm)
    y -= 6 * mm
    canvas.setFont(gothic, 11)
    canvas.drawString(left, y, labels["fee_heading"])
    y -= 3 * mm
    y = _table(canvas, fee_rows(view, language, header), gothic, left, left + 130 * mm, y, label_width=42 * mm)
    y -= 8 * mm

    if view.status == BookingStatus.CANCELLED:
        statement = labels["statement_cancelled"].format(reason=view.cancel_reason)
    elif view.status == BookingStatus.NO_SHOW:
        statement = labels["statement_no_show"]
    elif provisional:
        statement = labels["statement_provisional"]
    else:
        statement = labels[_statement(view)]
    y = draw_lines(canvas, wrap_text(statement, mincho, 11, right - left), mincho, 11, left, y) - 6 * mm
    issuer_lines = [header.center_name, header.head_title]
    contact = " ".join(p for p in (header.facility_address, f"{labels['tel']} {header.facility_phone}" if header.facility_phone else "") if p)
    canvas.setFont(mincho, 12)
    for line in issuer_lines:
        if line:
            canvas.drawRightString(right, y, line)
            y -= 6 * mm
    if contact:
        canvas.setFont(gothic, 9)
        canvas.drawRightString(right, y, contact)
        y -= 5 * mm
    if clerk:
        canvas.setFont(gothic, 9)
        canvas.drawRightString(right, y, f"{labels['clerk']}: {clerk}")
        y -= 5 * mm

    if not header.conditions:
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()
    y -= 6 * mm
    canvas.setStrokeColorRGB(*RULE_GREY)
    canvas.line(left, y, right, y)
    y -= 6 * mm
    canvas.setFont(gothic, 10)
    canvas.drawString(left, y, labels["rules_heading"])
    y -= 2 * mm
    for rule in header.conditions:  # as configured in 設定 (every room, then the room's own)
        lines = wrap_text(rule, gothic, 9, right - left - 5 * mm)
        canvas.setFont(gothic, 9)
        canvas.drawString(left, y - 9 * 0.88, "・")
        y = draw_lines(canvas, lines, gothic, 9, left + 5 * mm, y, leading=1.4) - 1.5 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _statement(view: BookingView) -> str:
    """The key of the statement of a confirmed or used booking: it says "paid" only when the
    ledger holds the fee, never otherwise (the slip is not a receipt)."""
    state = view.money.state if view.money is not None else MoneyState.LEGACY
    if state in (MoneyState.PAID, MoneyState.OVERPAID):
        return "statement_paid"
    if state == MoneyState.EXEMPT:
        return "statement_exempt"
    if state in (MoneyState.UNPAID, MoneyState.PARTLY_PAID):
        return "statement_due"
    return "statement"


def _table(canvas, rows: list[tuple[str, str]], font: str, left: float, right: float, y_top: float, *, label_width: float, bold_last: bool = False) -> float:
    """A ruled two-column table from ``y_top`` down; long values wrap. Returns the y below it."""
    size, pad = 10.5, 2.2 * mm
    value_width = right - left - label_width - 2 * pad
    canvas.setStrokeColorRGB(*RULE_GREY)
    canvas.setLineWidth(0.6)
    y = y_top
    for index, (label, value) in enumerate(rows):
        value_size = size + (1.5 if bold_last and index == len(rows) - 1 else 0)
        lines = wrap_text(value, font, value_size, value_width) or [""]
        row_height = max(len(lines) * value_size * 1.4, size * 1.4) + 2 * pad - value_size * 0.4
        canvas.setFillColorRGB(0.93, 0.94, 0.97)
        canvas.rect(left, y - row_height, label_width, row_height, stroke=0, fill=1)
        canvas.setFillColorRGB(*INK)
        label_size = fit_line(label, font, size, label_width - 2 * pad, 6) or 6
        canvas.setFont(font, label_size)
        canvas.drawString(left + pad, y - pad - label_size * 0.88, label)
        draw_lines(canvas, lines, font, value_size, left + label_width + pad, y - pad, leading=1.4)
        canvas.rect(left, y - row_height, right - left, row_height, stroke=1, fill=0)
        canvas.line(left + label_width, y, left + label_width, y - row_height)
        y -= row_height
    return y



# --- やさしい日本語 ------------------------------------------------------------------------------


def _easy(key: str, **values: str | list[Segment]) -> list[Segment]:
    """The やさしい日本語 wording ``key`` as segments with ルビ, ``values`` filled in."""
    return markup_segments(ja_easy.SLIP[key], **values)


def _easy_yen(yen: int) -> list[Segment]:
    return _easy("yen", amount=f"{yen:,}")


def easy_slip_rows(view: BookingView) -> list[tuple[list[Segment], list[Segment]]]:
    """The label / value rows of the やさしい日本語 slip's main table, with ルビ (names as
    configured, read by pykakasi; the applicant's name as typed)."""
    times: list[Segment] = [(f"{view.start:%H:%M}–{view.end:%H:%M}", "")]
    if view.slot_names:
        times += [("（", ""), *[s for i, name in enumerate(view.slot_names) for s in ([("・", "")] if i else []) + ruby_segments(name)], ("）", "")]
    rows = [(_easy("applicant"), [(view.applicant_name, "")])]
    if view.registration_no:
        rows.append((_easy("registration_no"), [(view.registration_no, "")]))
    rows += [
        (_easy("applicant_class"), ruby_segments(view.applicant_class_name)),
        (_easy("facility"), ruby_segments(view.facility_name)),
        (_easy("room"), ruby_segments(view.room_name)),
        (_easy("date"), easy_date_segments(view.day)),
        (_easy("time"), times),
        (_easy("people"), _easy("people_value", count=str(view.expected_people))),
        (_easy("purpose"), ruby_segments(view.purpose) if view.purpose else [("—", "")]),
    ]
    return rows


def easy_fee_rows(view: BookingView, header: SlipHeader) -> list[tuple[list[Segment], list[Segment]]]:
    """The fee rows of the やさしい日本語 slip, and whether the ledger holds the fee."""
    exemption = (_easy("exemption_value", name=ruby_segments(view.exemption_name), rate=str(view.exemption_rate))
                 if view.exemption_code else _easy("none"))
    rows = [
        (_easy("gross"), _easy_yen(view.gross_fee)),
        (_easy("exemption"), exemption),
        (_easy("waived"), _easy_yen(view.waived)),
        (_easy("fee"), _easy_yen(view.fee)),
    ]
    money = view.money
    if money is not None and view.status != BookingStatus.CANCELLED:
        deadline = easy_date_segments(header.payment_deadline) if header.payment_deadline else [("—", "")]
        state = money.state
        if state == MoneyState.LEGACY:
            line = _easy("money_legacy")
        elif state == MoneyState.EXEMPT:
            line = _easy("money_exempt")
        elif state in (MoneyState.PAID, MoneyState.OVERPAID):
            line = _easy("money_paid", receipts="、".join(header.receipt_numbers))
        else:
            key = "money_partly" if state == MoneyState.PARTLY_PAID else "money_due"
            line = _easy(key, amount=_easy_yen(money.outstanding), date=deadline)
        rows.append((_easy("money"), line))
    return rows


def _easy_statement(view: BookingView) -> list[Segment]:
    if view.status == BookingStatus.CANCELLED:
        return _easy("statement_cancelled", reason=ruby_segments(view.cancel_reason) if view.cancel_reason else [("", "")])
    if view.status == BookingStatus.NO_SHOW:
        return _easy("statement_no_show")
    if view.status == BookingStatus.PROVISIONAL:
        return _easy("statement_provisional")
    return _easy(_statement(view))


def _ruby_lines(canvas, segments: list[Segment], font: str, size: float, x: float, y_top: float, width: float, *,
                align: str = "left") -> float:
    """Draw ``segments`` wrapped to ``width`` from ``y_top`` down, each line with room for its
    ルビ above; returns the y below the last line."""
    step = size * (1 + RUBY_SCALE) * 1.12
    y = y_top
    for line in wrap_segments(segments, font, size, width):
        shift = {"left": 0.0, "right": width - line_width(line, font, size), "centre": (width - line_width(line, font, size)) / 2}[align]
        draw_ruby_line(canvas, line, font, size, x + shift, y - step + size * 0.2)
        y -= step
    return y


def _easy_table(canvas, rows: list[tuple[list[Segment], list[Segment]]], font: str, left: float, right: float, y_top: float,
                *, label_width: float) -> float:
    """A ruled two-column table of segments with ルビ; returns the y below it."""
    size, pad = 10.5, 1.6 * mm
    step = size * (1 + RUBY_SCALE) * 1.12
    value_width = right - left - label_width - 2 * pad
    canvas.setStrokeColorRGB(*RULE_GREY)
    canvas.setLineWidth(0.6)
    y = y_top
    for label, value in rows:
        label_lines = wrap_segments(label, font, size, label_width - 2 * pad) or [[]]
        value_lines = wrap_segments(value, font, size, value_width) or [[]]
        row_height = max(len(label_lines), len(value_lines)) * step + 2 * pad
        canvas.setFillColorRGB(0.93, 0.94, 0.97)
        canvas.rect(left, y - row_height, label_width, row_height, stroke=0, fill=1)
        canvas.setFillColorRGB(*INK)
        _ruby_lines(canvas, label, font, size, left + pad, y - pad, label_width - 2 * pad)
        _ruby_lines(canvas, value, font, size, left + label_width + pad, y - pad, value_width)
        canvas.rect(left, y - row_height, right - left, row_height, stroke=1, fill=0)
        canvas.line(left + label_width, y, left + label_width, y - row_height)
        y -= row_height
    return y


def _render_easy(view: BookingView, header: SlipHeader, *, issued_on: dt.date, clerk: str, gothic: str) -> bytes:
    """The slip in やさしい日本語: one gothic font (easier to read), every kanji with ルビ."""
    provisional = view.status == BookingStatus.PROVISIONAL
    title = _easy("title_provisional" if provisional else "title")
    canvas, buffer = new_canvas(A4, gothic, f"{''.join(base for base, _ in title)} {view.slip_no}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    canvas.setFillColorRGB(*INK)
    y = _ruby_lines(canvas, title, gothic, 20, left, height - 14 * mm, right - left, align="centre") - 2 * mm
    below = _ruby_lines(canvas, [*_easy("slip_no"), ("： ", ""), (view.slip_no, "")], gothic, 10, left, y, 70 * mm)
    y = min(below, _ruby_lines(canvas, [*_easy("issued"), ("： ", ""), *easy_date_segments(issued_on)], gothic, 10, left + 70 * mm, y,
                               right - left - 70 * mm, align="right")) - 2 * mm
    y = _easy_table(canvas, easy_slip_rows(view), gothic, left, right, y, label_width=42 * mm) - 5 * mm
    y = _ruby_lines(canvas, _easy("fee_heading"), gothic, 11, left, y, right - left)
    y = _easy_table(canvas, easy_fee_rows(view, header), gothic, left, right, y - 1 * mm, label_width=42 * mm) - 6 * mm
    y = _ruby_lines(canvas, _easy_statement(view), gothic, 12, left, y, right - left) - 4 * mm
    for line in (header.center_name, header.head_title):
        if line:
            y = _ruby_lines(canvas, ruby_segments(line), gothic, 12, left, y, right - left, align="right")
    contact = [(header.facility_address, "")] if header.facility_address else []
    if header.facility_phone:
        contact += [(" ", ""), *_easy("tel"), (f" {header.facility_phone}", "")]
    if contact:
        y = _ruby_lines(canvas, contact, gothic, 9, left, y, right - left, align="right")
    if clerk:
        y = _ruby_lines(canvas, [*_easy("clerk"), ("： ", ""), (clerk, "")], gothic, 9, left, y, right - left, align="right")
    if header.conditions:
        y -= 4 * mm
        canvas.setStrokeColorRGB(*RULE_GREY)
        canvas.line(left, y, right, y)
        y = _ruby_lines(canvas, _easy("rules_heading"), gothic, 10, left, y - 1 * mm, right - left)
        for rule in header.conditions:  # as configured in 設定, read with ルビ
            canvas.setFont(gothic, 10)
            canvas.drawString(left, y - 10 * (1 + RUBY_SCALE) * 1.12 + 10 * 0.2, "・")
            y = _ruby_lines(canvas, ruby_segments(rule), gothic, 10, left + 5 * mm, y, right - left - 5 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
