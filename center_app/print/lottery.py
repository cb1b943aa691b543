"""抽選結果一覧: the printed result of a room lottery — the facility, the month, the seed and the
rule that makes it reproducible, the winners (仮予約 and the day to confirm by) and the losers
with the reason and the free alternatives. A4 landscape, IPAex fonts embedded; Japanese only
(the list is posted at the counter)."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm

from center_app.domain.lottery import LotteryResult, ResultLine
from center_app.domain.wareki import format_japanese_day
from center_app.print.base import A4_LANDSCAPE, check_fields, draw_lines, fit_line, new_canvas, wrap_text
from center_app.print.fonts import register_fonts

INK = (0.1, 0.1, 0.1)
RULE_GREY = (0.6, 0.6, 0.6)

RULE_TEXT = (
    "抽選の方法: 申込を「利用日・区分の開始時刻・部屋コード・登録番号・申込番号」の順に並べ、Python の "
    "random.Random(シード).shuffle で並べ替えた順に、区分が空いていて団体の当選数が上限に達していない申込を当選とします。"
    "予約できない申込（月の利用上限、休館日など）はその理由で落選とし、区分は次の順位の申込に移ります。"
    "同じ申込とシードからは、誰が実行しても同じ結果になります（center-app lottery verify）。"
)


def _day(day: dt.date, *, weekday: bool = False) -> str:
    """A date in the center's one date style (設定 → センター「日付の表記」): 令和9年2月11日 or 2027年2月11日."""
    return format_japanese_day(day, weekday=weekday)


def _month(year: int, month: int) -> str:
    """The month of use in the same style: 令和9年2月 or 2027年2月."""
    text = _day(dt.date(year, month, 1))
    return text[: text.rindex("月") + 1]


def render_lottery_result(result: LotteryResult, *, center_name: str, issued_on: dt.date) -> bytes:
    """The result list of ``result`` as PDF bytes, dated ``issued_on``, every date in the center's
    date style. MissingGlyphError names a character of a group, room or facility name the font
    cannot print."""
    gothic, mincho = register_fonts()
    check_fields(gothic, [("center_name", center_name), ("facility", result.facility_name),
                          *(("group_name", line.group_name) for line in result.lines), *(("room", line.room_name) for line in result.lines)])
    year, number = (int(part) for part in result.month.split("-"))
    title = f"会議室抽選結果一覧（{_month(year, number)}利用分）"
    canvas, buffer = new_canvas(A4_LANDSCAPE, gothic, title)
    width, height = A4_LANDSCAPE
    left, right = 15 * mm, width - 15 * mm
    y = height - 20 * mm

    def heading() -> float:
        top = height - 20 * mm
        canvas.setFillColorRGB(*INK)
        canvas.setFont(mincho, fit_line(title, mincho, 16, right - left, 10) or 10)
        canvas.drawCentredString(width / 2, top, title)
        top -= 8 * mm
        canvas.setFont(gothic, 9.5)
        canvas.drawString(left, top, f"{result.facility_name}（{result.facility_code}）  申込 {len(result.lines)} 件・当選 {len(result.winners)} 件")
        canvas.drawRightString(right, top, f"作成: {_day(issued_on)}  {center_name}")
        top -= 5.5 * mm
        by = f"（{result.drawn_by}）" if result.drawn_by.strip() else ""
        drawn = f"抽選日時: {_day(result.drawn_at.date())} {result.drawn_at:%H:%M}{by}" if result.drawn_at else "試行（記録なし）"
        canvas.drawString(left, top, f"シード（乱数の種）: {result.seed}    団体ごとの当選上限: {result.cap or '上限なし'}    {drawn}")
        return top - 4 * mm

    y = heading()
    y = draw_lines(canvas, wrap_text(RULE_TEXT, gothic, 8.5, right - left), gothic, 8.5, left, y, leading=1.35) - 9 * mm

    columns = [("順位", 12), ("申込", 12), ("登録番号", 22), ("団体名", 50), ("部屋", 30), ("利用日", 36), ("区分", 14), ("結果", 0)]
    xs = [left]
    for _label, w in columns[:-1]:
        xs.append(xs[-1] + w * mm)

    def table_head(top: float, label: str) -> float:
        canvas.setFont(gothic, 11)
        canvas.drawString(left, top, label)
        top -= 5.5 * mm
        canvas.setFont(gothic, 8.5)
        for (name, _w), x in zip(columns, xs):
            canvas.drawString(x + 1, top, name)
        canvas.setStrokeColorRGB(*RULE_GREY)
        canvas.line(left, top - 1.8 * mm, right, top - 1.8 * mm)
        return top - 5.5 * mm

    def row(top: float, line: ResultLine) -> float:
        if line.won:
            outcome = [f"当選 仮予約 {line.slip_no}" + (f"（{_day(line.confirm_by)}までに確定）" if line.confirm_by and line.slip_no else "")]
        else:
            outcome = [f"落選: {line.reason}", "空き: " + ("、".join(line.alternatives) or "なし")]
        cells = [str(line.rank), str(line.entry_no), line.registration_no, line.group_name, line.room_name,
                 _day(line.day, weekday=True), line.slot_name]
        canvas.setFont(gothic, 8.5)
        for (_name, w), x, text in zip(columns, xs, cells):
            size = fit_line(text, gothic, 8.5, w * mm - 2, 5.5) or 5.5
            canvas.setFont(gothic, size)
            canvas.drawString(x + 1, top, text)
        lines = [piece for part in outcome for piece in wrap_text(part, gothic, 8, right - xs[-1] - 2)]
        low = draw_lines(canvas, lines, gothic, 8, xs[-1] + 1, top + 8 * 0.88, leading=1.3)
        return min(top - 5.5 * mm, low - 8 - 2.5 * mm)

    for label, lines in (("当選", result.winners), ("落選（空いている部屋・区分）", result.losers)):
        if not lines:
            continue
        if y < 40 * mm:
            canvas.showPage()
            y = heading()
        y = table_head(y, label)
        for line in lines:
            if y < 20 * mm:
                canvas.showPage()
                y = table_head(heading(), label)
            y = row(y, line)
        y -= 5 * mm
    canvas.setFont(gothic, 8)
    canvas.drawString(left, 12 * mm, "当選した申込は仮予約です。確認期限までに窓口で確定してください（期限を過ぎると取り消されます）。")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
