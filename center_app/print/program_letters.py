"""補助金・協働事業提案の文書: 交付決定通知書 and 不採択通知 (one A4 page each), the public results
list (審査結果一覧: project, group, amount, total score — no reviewer names) and the 実績報告の確認
(granted vs spent, the amount to return), and the 共催・後援 承認 / 不承認 letter. Japanese only; 和暦 dates; amounts in yen.

Takes the frozen values of :mod:`center_app.domain.programs`; every printed field passes the
glyph check first (:class:`MissingGlyphError` names the character).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from center_app.domain.documents import Issuer
from center_app.domain.programs import DECISION, EndorsementLetter, GrantLetter, PublicResults, ReportCheck
from center_app.domain.fiscal import fiscal_year_label
from center_app.print.base import A4, GlyphCheck, draw_lines, new_canvas, wareki, wrap_text
from center_app.print.fonts import GOTHIC, MINCHO

WIDTH, HEIGHT = A4
LEFT, RIGHT = 25 * mm, WIDTH - 25 * mm


def _yen(amount: int) -> str:
    return f"金 {amount:,} 円"


def _header(canvas: Canvas, number: str, issued, recipient: tuple[str, str], issuer: Issuer) -> float:
    canvas.setFont(MINCHO, 10.5)
    y = HEIGHT - 25 * mm
    if number:
        canvas.drawRightString(RIGHT, y, number)
        y -= 6 * mm
    canvas.drawRightString(RIGHT, y, wareki(issued))
    y -= 14 * mm
    canvas.setFont(MINCHO, 12)
    canvas.drawString(LEFT, y, recipient[0])
    y -= 7 * mm
    if recipient[1]:
        canvas.drawString(LEFT, y, recipient[1])
        y -= 7 * mm
    y -= 4 * mm
    canvas.setFont(MINCHO, 11)
    canvas.drawRightString(RIGHT, y, issuer.center_name)
    y -= 6 * mm
    canvas.drawRightString(RIGHT, y, issuer.head_line)
    return y - 16 * mm


def _title(canvas: Canvas, title: str, y: float) -> float:
    canvas.setFont(GOTHIC, 16)
    canvas.drawCentredString(WIDTH / 2, y, title)
    return y - 14 * mm


def _paragraph(canvas: Canvas, text: str, y: float, size: float = 11) -> float:
    lines = wrap_text("　" + text, MINCHO, size, RIGHT - LEFT)
    return draw_lines(canvas, lines, MINCHO, size, LEFT, y, leading=1.7) - 6 * mm


def _items(canvas: Canvas, items: Sequence[tuple[str, str]], y: float) -> float:
    canvas.setFont(MINCHO, 11)
    canvas.drawCentredString(WIDTH / 2, y, "記")
    y -= 12 * mm
    for number, (label, value) in enumerate(items, start=1):
        canvas.setFont(GOTHIC, 11)
        canvas.drawString(LEFT + 5 * mm, y, f"{number}　{label}")
        lines = wrap_text(value, MINCHO, 11, RIGHT - LEFT - 50 * mm)
        y = draw_lines(canvas, lines, MINCHO, 11, LEFT + 50 * mm, y + 11 * 0.8, leading=1.6) - 5 * mm
    return y


def _letter_fields(letter: GrantLetter) -> list[tuple[str, str]]:
    return [("group_name", letter.group_name), ("representative_name", letter.representative_name),
            ("program_name", letter.program_name), ("round_name", letter.round_name), ("project_title", letter.project_title),
            ("center_name", letter.issuer.center_name), ("head", letter.issuer.head_line)]


def render_letters(letters: Sequence[GrantLetter]) -> bytes:
    """The letters, one A4 page each, in the order given."""
    check = GlyphCheck(MINCHO)
    for index, letter in enumerate(letters, start=1):
        check.check(_letter_fields(letter), row=index, context=letter.group_name)
    check.raise_if_any()
    canvas, buffer = new_canvas(A4, MINCHO, "交付決定通知書・不採択通知")
    for letter in letters:
        recipient = (letter.group_name, f"代表者　{letter.representative_name}　様" if letter.representative_name else "")
        if not letter.representative_name:
            recipient = (f"{letter.group_name}　様", "")
        y = _header(canvas, letter.number, letter.issued_on, recipient, letter.issuer)
        year = fiscal_year_label(letter.fiscal_year)
        if letter.kind == DECISION:
            y = _title(canvas, f"{year}　{letter.program_name}交付決定通知書", y)
            y = _paragraph(canvas, f"{wareki(letter.received_on)}付けで申請のありました{letter.program_name}（{letter.round_name}）に"
                                   "ついては、審査の結果、下記のとおり交付することに決定したので通知します。", y)
            _items(canvas, [
                ("事業名", letter.project_title),
                ("交付決定額", _yen(letter.granted_yen)),
                ("申請額", _yen(letter.requested_yen)),
                ("審査結果", f"合計点 {letter.score_text} 点（{letter.ranked}件中 {letter.rank}位）"),
                ("交付の条件", "補助金は申請の事業にのみ使用してください。事業が完了したときは、30日以内に実績報告書"
                              "（収支決算書・領収書の写しを添付）を提出してください。交付額のうち使用しなかった額は返還していただきます。"),
            ], y)
        else:
            y = _title(canvas, f"{year}　{letter.program_name}不採択通知", y)
            y = _paragraph(canvas, f"{wareki(letter.received_on)}付けで申請のありました{letter.program_name}（{letter.round_name}）に"
                                   "ついては、審査の結果、採択しないことに決定したので通知します。", y)
            rank_text = f"（{letter.ranked}件中 {letter.rank}位）" if letter.rank else ""
            _items(canvas, [
                ("事業名", letter.project_title),
                ("申請額", _yen(letter.requested_yen)),
                ("審査結果", f"合計点 {letter.score_text} 点{rank_text}" if letter.score_text else "—"),
                ("備考", "審査は第三者による審査委員会が行い、結果は公表します。審査の内容についてのお問い合わせは"
                        "センターの窓口までお寄せください。"),
            ], y)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_public_results(results: PublicResults) -> bytes:
    """The public results list: rank, project, group, total score, amount granted (A4, as many
    pages as the rows need), without any reviewer's name."""
    check = GlyphCheck(MINCHO)
    for index, row in enumerate(results.rows, start=1):
        check.check([("project_title", row.project_title), ("group_name", row.group_name)], row=index)
    check.check([("program_name", results.program_name), ("round_name", results.round_name), ("center_name", results.issuer.center_name)])
    check.raise_if_any()
    canvas, buffer = new_canvas(A4, MINCHO, "審査結果一覧")
    columns = [(LEFT, "順位", 12 * mm), (LEFT + 14 * mm, "事業名", 62 * mm), (LEFT + 78 * mm, "団体名", 44 * mm),
               (LEFT + 124 * mm, "合計点", 16 * mm), (RIGHT, "交付額（円）", 0)]

    def page_head() -> float:
        y = HEIGHT - 25 * mm
        canvas.setFont(GOTHIC, 15)
        canvas.drawCentredString(WIDTH / 2, y, f"{fiscal_year_label(results.fiscal_year)}　{results.program_name}　審査結果")
        y -= 9 * mm
        canvas.setFont(MINCHO, 10)
        canvas.drawCentredString(WIDTH / 2, y, results.round_name)
        y -= 8 * mm
        canvas.drawString(LEFT, y, f"集計方法: {results.aggregation_label}")
        canvas.drawRightString(RIGHT, y, f"{wareki(results.issued_on)}　{results.issuer.center_name}")
        y -= 10 * mm
        canvas.setFont(GOTHIC, 10)
        for x, label, _width in columns:
            (canvas.drawRightString if label.startswith("交付額") else canvas.drawString)(x, y, label)
        canvas.line(LEFT, y - 2.5 * mm, RIGHT, y - 2.5 * mm)
        return y - 9 * mm

    y = page_head()
    for row in results.rows:
        project = wrap_text(row.project_title, MINCHO, 10, columns[1][2])
        group = wrap_text(row.group_name, MINCHO, 10, columns[2][2])
        height = max(len(project), len(group)) * 10 * 1.4
        if y - height < 30 * mm:
            canvas.showPage()
            y = page_head()
        canvas.setFont(MINCHO, 10)
        canvas.drawString(columns[0][0], y, (f"{row.rank}" + ("同" if row.tied else "")) if row.rank else "—")
        draw_lines(canvas, project, MINCHO, 10, columns[1][0], y + 10 * 0.8, leading=1.4)
        draw_lines(canvas, group, MINCHO, 10, columns[2][0], y + 10 * 0.8, leading=1.4)
        canvas.setFont(MINCHO, 10)
        canvas.drawString(columns[3][0], y, row.score_text)
        canvas.drawRightString(RIGHT, y, f"{row.granted_yen:,}" if row.adopted else "不採択")
        y -= height + 3 * mm
    canvas.line(LEFT, y + 1 * mm, RIGHT, y + 1 * mm)
    y -= 5 * mm
    canvas.setFont(GOTHIC, 10)
    canvas.drawString(LEFT, y, f"採択 {sum(1 for r in results.rows if r.adopted)} 件 / 申請 {len(results.rows)} 件")
    canvas.drawRightString(RIGHT, y, f"交付額の合計 {results.granted_total_yen:,} 円（予算 {results.budget_yen:,} 円）")
    y -= 8 * mm
    canvas.setFont(MINCHO, 9)
    canvas.drawString(LEFT, y, "審査は第三者による審査委員会が行いました。利益相反のある委員はその申請の審査から除いています。")
    if any(r.tied for r in results.rows):
        y -= 5 * mm
        canvas.drawString(LEFT, y, "順位の「同」は、合計点が同じ申請です。")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_report_check(check_values: ReportCheck) -> bytes:
    """The 実績報告の確認 of one grant: granted, spent, the amount to return (A4)."""
    check = GlyphCheck(MINCHO)
    check.check([("group_name", check_values.group_name), ("project_title", check_values.project_title),
                 ("program_name", check_values.program_name), ("center_name", check_values.issuer.center_name)])
    check.raise_if_any()
    canvas, buffer = new_canvas(A4, MINCHO, "実績報告の確認")
    y = _header(canvas, "", check_values.issued_on, (f"{check_values.group_name}　様", ""), check_values.issuer)
    y = _title(canvas, f"{check_values.program_name}　実績報告の確認", y)
    y = _paragraph(canvas, "提出のありました実績報告書を確認しましたので、下記のとおり通知します。", y)
    returned = check_values.returned_yen
    _items(canvas, [
        ("事業名", check_values.project_title),
        ("募集回", check_values.round_name),
        ("交付決定額", _yen(check_values.granted_yen)),
        ("実績額", _yen(check_values.actual_spend_yen)),
        ("返還額", _yen(returned) + ("（交付決定額 − 実績額）" if returned else "（返還はありません）")),
    ], y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_endorsement_letter(letter: EndorsementLetter) -> bytes:
    """The 共催・後援承認通知書 (with its conditions) or 不承認通知 (with its reason) of one
    decision (A4)."""
    check = GlyphCheck(MINCHO)
    check.check([("applicant_name", letter.applicant_name), ("event_title", letter.event_title), ("name_lent", letter.name_lent),
                 ("event_place", letter.event_place), ("conditions", letter.conditions), ("reason", letter.reason),
                 ("center_name", letter.issuer.center_name)])
    check.raise_if_any()
    kind = letter.kind.label
    canvas, buffer = new_canvas(A4, MINCHO, f"{kind}承認通知書")
    y = _header(canvas, letter.number, letter.issued_on, (f"{letter.applicant_name}　様", ""), letter.issuer)
    if letter.approved:
        y = _title(canvas, f"{kind}名義使用承認通知書", y)
        y = _paragraph(canvas, f"{wareki(letter.received_on)}付けで申請のありました{kind}名義の使用については、下記の条件を付して"
                               "承認します。", y)
    else:
        y = _title(canvas, f"{kind}名義使用不承認通知書", y)
        y = _paragraph(canvas, f"{wareki(letter.received_on)}付けで申請のありました{kind}名義の使用については、承認しないことに"
                               "決定したので通知します。", y)
    items = [("行事名", letter.event_title), ("開催日", wareki(letter.event_date) if letter.event_date else "—"),
             *((("会場", letter.event_place),) if letter.event_place else ()), ("名義", f"{kind}　{letter.name_lent}")]
    if not letter.approved and letter.reason:
        items.append(("理由", letter.reason))
    if letter.approved:
        items.append(("条件", letter.conditions or "チラシ等に名義を表示するときは、この通知の内容のとおりとしてください。"
                                               "行事の内容を変更するときや中止するときは、速やかに届け出てください。"))
    _items(canvas, items, y)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
