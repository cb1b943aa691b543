"""予約票 / 使用許可書兼領収書: the booking slip handed to the applicant, one A4 page.

Center name, slip number, applicant, room, date in 和暦 with weekday and the Western date, time,
people, purpose, fee with the exemption's reason and the amount waived, the center's rules, the
issuer. Japanese, English or Brazilian Portuguese (the applicant's preferred language); the
fixed wording of the slip in each language is the table :data:`LABELS` below (documents for
applicants use languages the UI catalog does not have). Names of rooms, facilities, applicant
classes and exemptions are configuration data and are printed as configured.

Data comes in as a :class:`~center_app.services.bookings_values.BookingView` and a
:class:`SlipHeader`; nothing here reads the database. Every printed field is checked against the
font first: a name the font cannot draw is reported (MissingGlyphError), never boxed.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_currency

from center_app.domain import clock
from center_app.print.base import A4, check_fields, draw_lines, fit_line, mm, new_canvas, wareki, western_date, wrap_text
from center_app.print.fonts import register_fonts
from center_app.services.bookings_values import CANCELLED, NO_SHOW, PROVISIONAL, BookingView, SlipHeader

LANGUAGES = ("ja", "en", "pt_BR")

#: The fixed wording of the slip per language (keys are the same in every language).
LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "title": "施設使用許可書兼領収書",
        "title_provisional": "施設予約票（仮予約）",
        "subtitle": "予約票",
        "slip_no": "予約番号",
        "issued": "発行日",
        "applicant": "使用者",
        "registration_no": "登録番号",
        "applicant_class": "区分",
        "facility": "施設",
        "room": "部屋",
        "date": "使用日",
        "time": "使用時間",
        "people": "使用人数（予定）",
        "people_value": "{count}人",
        "purpose": "使用目的",
        "fee_heading": "料金",
        "gross": "使用料",
        "exemption": "減免",
        "exemption_value": "{name}（{rate}%）",
        "waived": "減免額",
        "fee": "お支払額",
        "yen": "{amount}円",
        "none": "なし",
        "statement": "上記のとおり施設の使用を許可し、使用料を領収しました。",
        "statement_provisional": "仮予約です。使用料のお支払いをもって確定し、使用許可書となります。",
        "statement_cancelled": "この予約は取り消されました（{reason}）。",
        "statement_no_show": "この予約は無断キャンセルとして記録されています。",
        "rules_heading": "ご利用にあたって",
        "rules": (
            "使用時間には準備と片付けの時間を含みます。終了時刻までに原状に戻してください。\n"
            "変更・取消は使用日の前日までに窓口または電話でお知らせください。\n"
            "火気の使用、営利目的の物品販売、政治・宗教活動はできません。\n"
            "使用後は部屋の鍵と本票を窓口へお返しください。"
        ),
        "clerk": "受付担当",
        "tel": "電話",
    },
    "en": {
        "title": "Room Use Permit and Receipt",
        "title_provisional": "Room Booking Slip (provisional)",
        "subtitle": "Booking slip",
        "slip_no": "Booking no.",
        "issued": "Issued",
        "applicant": "Applicant",
        "registration_no": "Registration no.",
        "applicant_class": "Applicant class",
        "facility": "Facility",
        "room": "Room",
        "date": "Date of use",
        "time": "Time",
        "people": "Expected people",
        "people_value": "{count}",
        "purpose": "Purpose",
        "fee_heading": "Charges",
        "gross": "Room fee",
        "exemption": "Fee reduction",
        "exemption_value": "{name} ({rate}%)",
        "waived": "Amount waived",
        "fee": "Amount paid",
        "none": "None",
        "statement": "The use of the room above is permitted and the fee has been received.",
        "statement_provisional": "This is a provisional booking. It is confirmed and becomes a use permit when the fee is paid.",
        "statement_cancelled": "This booking has been cancelled ({reason}).",
        "statement_no_show": "This booking was recorded as a no-show.",
        "rules_heading": "Please note",
        "rules": (
            "The time booked includes setting up and cleaning up. Please leave the room as you found it by the end time.\n"
            "Tell the counter or call us by the day before the date of use to change or cancel the booking.\n"
            "Open flames, selling goods for profit, and political or religious activities are not allowed.\n"
            "After use, please return the room key and this slip to the counter."
        ),
        "clerk": "Clerk",
        "tel": "Tel.",
    },
    "pt_BR": {
        "title": "Autorização de Uso de Sala e Recibo",
        "title_provisional": "Comprovante de Reserva (provisória)",
        "subtitle": "Comprovante de reserva",
        "slip_no": "Nº da reserva",
        "issued": "Emitido em",
        "applicant": "Solicitante",
        "registration_no": "Nº de registro",
        "applicant_class": "Categoria",
        "facility": "Local",
        "room": "Sala",
        "date": "Data de uso",
        "time": "Horário",
        "people": "Nº previsto de pessoas",
        "people_value": "{count}",
        "purpose": "Finalidade",
        "fee_heading": "Valores",
        "gross": "Taxa de uso",
        "exemption": "Redução da taxa",
        "exemption_value": "{name} ({rate}%)",
        "waived": "Valor dispensado",
        "fee": "Valor pago",
        "none": "Nenhuma",
        "statement": "Autorizamos o uso da sala acima e declaramos o recebimento da taxa.",
        "statement_provisional": "Esta é uma reserva provisória. Ela será confirmada e valerá como autorização de uso após o pagamento da taxa.",
        "statement_cancelled": "Esta reserva foi cancelada ({reason}).",
        "statement_no_show": "Esta reserva foi registrada como não comparecimento.",
        "rules_heading": "Observações",
        "rules": (
            "O horário reservado inclui a preparação e a arrumação. Deixe a sala como a encontrou até o horário de término.\n"
            "Para alterar ou cancelar, avise no balcão ou por telefone até o dia anterior à data de uso.\n"
            "Não é permitido usar fogo, vender produtos com fins lucrativos nem realizar atividades políticas ou religiosas.\n"
            "Após o uso, devolva a chave da sala e este comprovante no balcão."
        ),
        "clerk": "Atendente",
        "tel": "Tel.",
    },
}

#: Applicant classes of the default configuration in the other languages (others print as configured).
CLASS_NAMES = {
    "en": {"registered": "Registered group", "resident": "Resident of the city", "non_resident": "From outside the city"},
    "pt_BR": {"registered": "Grupo registrado", "resident": "Morador da cidade", "non_resident": "De fora da cidade"},
}

INK = (0.12, 0.16, 0.30)
RULE_GREY = (0.55, 0.55, 0.6)


def date_line(day: dt.date, language: str) -> str:
    """The date of use: 和暦 with weekday and the Western date beside it.

    ja: "令和8年6月9日（火）（2026年6月9日）"; en: "Tuesday, June 9, 2026 (令和8年6月9日（火）)";
    pt_BR: "terça-feira, 9 de junho de 2026 (令和8年6月9日（火）)"."""
    japanese = wareki(day, weekday=True)
    if language == "ja":
        return f"{japanese}（{western_date(day)}）"
    return f"{format_date(day, format='full', locale=language)} ({japanese})"


def _amount(labels: dict[str, str], yen: int, language: str) -> str:
    """1,600円 in Japanese; the locale's yen format otherwise (¥1,600; JP¥ 1.600)."""
    if language == "ja":
        return labels["yen"].format(amount=f"{yen:,}")
    return format_currency(yen, "JPY", locale=language)


def slip_rows(view: BookingView, language: str) -> list[tuple[str, str]]:
    """The label / value rows of the slip's main table, in order."""
    labels = LABELS[language]
    class_name = CLASS_NAMES.get(language, {}).get(view.applicant_class, view.applicant_class_name)
    times = f"{view.start:%H:%M}–{view.end:%H:%M}"
    if view.slot_names:
        times += f"（{'・'.join(view.slot_names)}）" if language == "ja" else f" ({' + '.join(view.slot_names)})"
    rows = [(labels["applicant"], view.applicant_name)]
    if view.registration_no:
        rows.append((labels["registration_no"], view.registration_no))
    rows += [
        (labels["applicant_class"], class_name),
        (labels["facility"], view.facility_name),
        (labels["room"], view.room_name),
        (labels["date"], date_line(view.day, language)),
        (labels["time"], times),
        (labels["people"], labels["people_value"].format(count=view.expected_people)),
        (labels["purpose"], view.purpose or "—"),
    ]
    return rows


def fee_rows(view: BookingView, language: str) -> list[tuple[str, str]]:
    """Fee, exemption (reason and rate), amount waived, amount to pay."""
    labels = LABELS[language]
    exemption = labels["exemption_value"].format(name=view.exemption_name, rate=view.exemption_rate) if view.exemption_code else labels["none"]
    return [
        (labels["gross"], _amount(labels, view.gross_fee, language)),
        (labels["exemption"], exemption),
        (labels["waived"], _amount(labels, view.waived, language)),
        (labels["fee"], _amount(labels, view.fee, language)),
    ]


def render_booking_slip(view: BookingView, header: SlipHeader, *, language: str = "ja", issued_on: dt.date | None = None, clerk: str = "") -> bytes:
    """The slip of ``view`` as PDF bytes (A4 portrait, IPAex fonts embedded as subsets).

    Raises ValueError for an unknown language and MissingGlyphError naming every character of
    the applicant, purpose or configuration texts the font cannot print."""
    if language not in LABELS:
        raise ValueError(f"unknown slip language {language!r}")
    gothic, mincho = register_fonts()
    labels = LABELS[language]
    issued_on = issued_on or clock.today()
    check_fields(gothic, [
        ("applicant_name", view.applicant_name), ("purpose", view.purpose), ("room", view.room_name),
        ("facility", view.facility_name), ("exemption", view.exemption_name), ("center_name", header.center_name),
        ("head_title", header.head_title), ("address", header.facility_address), ("clerk", clerk),
        ("cancel_reason", view.cancel_reason),
    ])
    provisional = view.status == PROVISIONAL
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
    issued = f"{labels['issued']}: {wareki(issued_on)}（{issued_on:%Y-%m-%d}）" if language == "ja" else f"{labels['issued']}: {issued_on:%Y-%m-%d} ({wareki(issued_on)})"
    canvas.drawRightString(right, y, issued)
    y -= 6 * mm

    y = _table(canvas, slip_rows(view, language), gothic, left, right, y, label_width=42 * mm)
    y -= 6 * mm
    canvas.setFont(gothic, 11)
    canvas.drawString(left, y, labels["fee_heading"])
    y -= 3 * mm
    y = _table(canvas, fee_rows(view, language), gothic, left, left + 110 * mm, y, label_width=42 * mm, bold_last=True)
    y -= 8 * mm

    if view.status == CANCELLED:
        statement = labels["statement_cancelled"].format(reason=view.cancel_reason)
    elif view.status == NO_SHOW:
        statement = labels["statement_no_show"]
    else:
        statement = labels["statement_provisional"] if provisional else labels["statement"]
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

    y -= 6 * mm
    canvas.setStrokeColorRGB(*RULE_GREY)
    canvas.line(left, y, right, y)
    y -= 6 * mm
    canvas.setFont(gothic, 10)
    canvas.drawString(left, y, labels["rules_heading"])
    y -= 2 * mm
    for rule in labels["rules"].split("\n"):
        lines = wrap_text(rule, gothic, 9, right - left - 5 * mm)
        canvas.setFont(gothic, 9)
        canvas.drawString(left, y - 9 * 0.88, "・")
        y = draw_lines(canvas, lines, gothic, 9, left + 5 * mm, y, leading=1.4) - 1.5 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


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

