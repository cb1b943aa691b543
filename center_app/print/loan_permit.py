"""備品貸出許可書: one A5 page (portrait) in Japanese — the loan number, the borrower with 様, the
item and quantity, the period in 和暦 with times, the fee, the purpose, the booking it goes with,
the conditions (return by the due time; damage or loss is paid by the borrower, 妙高市's rule),
the issuer and the clerk.

Values come in as :class:`~center_app.domain.equipment.LoanPermitDocument`; nothing here reads
the database or the clock. Every printed text is checked against the font first
(MissingGlyphError names the character).
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A5

from center_app.domain.equipment import LoanPermitDocument
from center_app.print.base import check_fields, draw_lines, mm, new_canvas, wareki, wrap_text
from center_app.print.fonts import GOTHIC, MINCHO

CONDITIONS = (
    "返却予定日時までに、借りた状態で窓口へ返却してください。",
    "破損・紛失したときは、ただちに窓口へ届け出てください。修理・弁償の費用は借受者の負担となります。",
    "この許可書は他の人に貸したり譲ったりすることはできません。",
)


def _when(value: dt.datetime) -> str:
    return f"{wareki(value.date(), weekday=True)} {value:%H:%M}"


def render_loan_permit(doc: LoanPermitDocument) -> bytes:
    """The permit slip of one loan as PDF bytes (A5 portrait)."""
    rows = [
        ("貸出番号", doc.loan_no),
        ("借受者", f"{doc.borrower} 様"),
        ("登録番号", doc.registration_no or "—"),
        ("備品", f"{doc.item_name}　{doc.quantity}点"),
        ("貸出", _when(doc.start_at)),
        ("返却予定", _when(doc.due_at)),
        ("使用料", f"{doc.fee:,}円" if doc.fee else "無料"),
        ("使用目的", doc.purpose or "—"),
        ("部屋の予約", doc.booking_slip or "—"),
    ]
    check_fields(GOTHIC, [(label, value) for label, value in rows] + [("center", doc.center_name), ("head", doc.head_line),
                                                                      ("clerk", doc.clerk)])
    width, height = A5
    canvas, buffer = new_canvas(A5, MINCHO, f"備品貸出許可書 {doc.loan_no}")
    left, right = 15 * mm, width - 15 * mm
    y = height - 18 * mm
    canvas.setFont(MINCHO, 18)
    canvas.drawCentredString(width / 2, y, "備品貸出許可書")
    y -= 10 * mm
    canvas.setFont(GOTHIC, 9)
    canvas.drawRightString(right, y, f"発行日　{wareki(doc.issued_on)}")
    y -= 8 * mm
    canvas.setFont(MINCHO, 10)
    canvas.drawString(left, y, "次のとおり備品の貸出を許可します。")
    y -= 6 * mm
    label_width = 28 * mm
    for label, value in rows:
        lines = wrap_text(value, GOTHIC, 10, right - left - label_width - 4 * mm) or [""]
        row_height = max(len(lines), 1) * 5.5 * mm + 2 * mm
        canvas.setLineWidth(0.5)
        canvas.rect(left, y - row_height, right - left, row_height)
        canvas.line(left + label_width, y, left + label_width, y - row_height)
        canvas.setFont(GOTHIC, 9)
        canvas.drawString(left + 2 * mm, y - 5.5 * mm, label)
        draw_lines(canvas, lines, GOTHIC, 10, left + label_width + 2 * mm, y - 1.5 * mm, leading=1.5)
        y -= row_height
    y -= 7 * mm
    canvas.setFont(GOTHIC, 9)
    canvas.drawString(left, y, "【注意事項】")
    y -= 2 * mm
    for condition in CONDITIONS:
        lines = wrap_text(f"・{condition}", GOTHIC, 8.5, right - left)
        y = draw_lines(canvas, lines, GOTHIC, 8.5, left, y, leading=1.5)
    y = 30 * mm
    canvas.setFont(MINCHO, 12)
    canvas.drawRightString(right, y, doc.center_name)
    canvas.setFont(MINCHO, 10)
    canvas.drawRightString(right, y - 7 * mm, doc.head_line)
    canvas.setFont(GOTHIC, 8)
    canvas.drawString(left, 14 * mm, f"取扱者　{doc.clerk}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
