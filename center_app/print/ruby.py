"""ルビ (furigana) for やさしい日本語: readings of kanji, dates in the guideline's style, and drawing
a line of text with its readings above.

Style: 出入国在留管理庁・文化庁「在留支援のためのやさしい日本語ガイドライン」 — short sentences,
kanji kept and given ルビ, dates written 「12月8日（火曜日）」 with the readings above
(がつ, ようか, かようび). The day of the month has its own readings for 1–10, 14, 20 and 24
(ついたち … とおか, じゅうよっか, はつか, にじゅうよっか); every other day is read 〜にち.

Readings of free text come from pykakasi's dictionary (a maintained kanji → kana converter),
loaded once, on first use (about a second); a number followed by 日 is read with the day
readings above (pykakasi reads 8日 as はちにち). A reading is a suggestion the clerk sees on
the preview: names of people and places may be read otherwise.

A run of text is a list of :data:`Segment` ``(base, reading)``; ``reading`` is "" where the
base needs none (kana, digits, punctuation, Latin).
"""

from __future__ import annotations

import re
import threading
from datetime import date

from reportlab.pdfgen.canvas import Canvas

from center_app.print.base import HANGING, NO_LINE_START, text_width

Segment = tuple[str, str]

#: Readings of the day of the month that are not 〜にち (ついたち … とおか, 14, 20, 24).
DAY_READINGS = {
    1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか", 8: "ようか",
    9: "ここのか", 10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか",
}
_WEEKDAYS = (("月曜日", "げつようび"), ("火曜日", "かようび"), ("水曜日", "すいようび"), ("木曜日", "もくようび"),
             ("金曜日", "きんようび"), ("土曜日", "どようび"), ("日曜日", "にちようび"))
#: Share of the base size the readings are drawn at (JIS X 4051: half the base).
RUBY_SCALE = 0.5

_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆ヶ]")
_lock = threading.Lock()
_converter = None


def day_segments(day: int) -> list[Segment]:
    """「8日」 with its reading: the whole 「8日」 read ようか for the days of :data:`DAY_READINGS`;
    otherwise the digits as they are and 日 read にち (「12」「日(にち)」)."""
    if day in DAY_READINGS:
        return [(f"{day}日", DAY_READINGS[day])]
    return [(str(day), ""), ("日", "にち")]


def easy_date_segments(day: date, *, year: bool = True) -> list[Segment]:
    """A date in the guideline's style with ルビ: 「2026年 12月 8日（火曜日）」 with ねん, がつ,
    ようか, かようび above the kanji."""
    segments: list[Segment] = [(str(day.year), ""), ("年", "ねん"), (" ", "")] if year else []
    segments += [(str(day.month), ""), ("月", "がつ"), (" ", ""), *day_segments(day.day), ("（", ""), _WEEKDAYS[day.weekday()], ("）", "")]
    return segments


def easy_date_text(day: date, *, year: bool = True) -> str:
    """The same date in kana only: "2026ねん 12がつ ようか（かようび）" (where ルビ cannot be drawn)."""
    return "".join(reading or base for base, reading in easy_date_segments(day, year=year))


def _kakasi():
    global _converter
    with _lock:
        if _converter is None:
            import pykakasi  # a second to load its dictionary: only when やさしい日本語 is printed

            _converter = pykakasi.kakasi()
        return _converter


def _split_okurigana(base: str, reading: str) -> list[Segment]:
    """「申し込み」/もうしこみ → 「申(もう)」「し」「込(こ)」「み」: the kana of the word stay without ルビ
    where they match the reading; what cannot be matched keeps the whole reading."""
    parts = re.findall(r"[^\u3040-\u309f]+|[\u3040-\u309f]+", base)
    if len(parts) == 1:
        return [(base, reading)]
    pattern = "^" + "".join(f"({re.escape(p)})" if re.fullmatch(r"[\u3040-\u309f]+", p) else "(.+?)" for p in parts) + "$"
    match = re.match(pattern, reading)
    if not match:
        return [(base, reading)]
    return [(p, "" if re.fullmatch(r"[\u3040-\u309f]+", p) else r) for p, r in zip(parts, match.groups(), strict=True)]


def ruby_segments(text: str) -> list[Segment]:
    """``text`` cut into segments, each run of kanji with its reading (hiragana); a number
    followed by 日 is read as a day of the month (8日 → ようか, 12日 → 12 + にち)."""
    items = _kakasi().convert(text)
    segments: list[Segment] = []
    for index, item in enumerate(items):
        base, reading = item["orig"], item["hira"]
        if not base:
            continue
        if base == "日" and segments and segments[-1][0].isdigit() and not segments[-1][1]:
            number = segments.pop()[0]
            segments += day_segments(int(number)) if 1 <= int(number) <= 31 else [(number, ""), ("日", "にち")]
            continue
        if not _KANJI.search(base):
            segments.append((base, ""))
            continue
        segments += _split_okurigana(base, reading)
    return segments


_MARKUP = re.compile(r"\{([^{}|]+)\|([^{}|]+)\}|\{(\w+)\}")


def markup_segments(template: str, **values: str | list[Segment]) -> list[Segment]:
    """Segments of a fixed wording written with its readings: ``{予約|よやく}`` is 予約 with the
    ルビ よやく, ``{name}`` is filled with ``values[name]`` (a text drawn as it is, or segments of
    its own such as :func:`easy_date_segments`), the rest is drawn as it is. Raises KeyError for a
    placeholder without a value."""
    segments: list[Segment] = []
    at = 0
    for match in _MARKUP.finditer(template):
        if match.start() > at:
            segments.append((template[at:match.start()], ""))
        if match.group(3) is not None:
            value = values[match.group(3)]
            segments += [(value, "")] if isinstance(value, str) else value
        else:
            segments.append((match.group(1), match.group(2)))
        at = match.end()
    if at < len(template):
        segments.append((template[at:], ""))
    return [segment for segment in segments if segment[0]]


def plain_text(segments: list[Segment]) -> str:
    """The base text of ``segments`` without the readings (what pdftotext finds on the line)."""
    return "".join(base for base, _reading in segments)


def _width(segment: Segment, font: str, size: float) -> float:
    base, reading = segment
    return max(text_width(base, font, size), text_width(reading, font, size * RUBY_SCALE) if reading else 0.0)


def wrap_segments(segments: list[Segment], font: str, size: float, width: float) -> list[list[Segment]]:
    """Lines of segments no wider than ``width``: a segment with ルビ stays whole; text without ルビ
    breaks between characters (Latin words kept whole), never before 、。」 and small kana;
    explicit newlines start a new line."""
    pieces: list[Segment] = []
    for base, reading in segments:
        if reading:
            pieces.append((base, reading))
            continue
        for token in re.findall(r"\n|[A-Za-z0-9\u00C0-\u024F'’\-]+ *| +|.", base, re.DOTALL):
            pieces.append((token, ""))
    lines: list[list[Segment]] = [[]]
    used = 0.0
    for piece in pieces:
        if piece[0] == "\n":
            lines.append([])
            used = 0.0
            continue
        w = _width(piece, font, size)
        if lines[-1] and used + w > width and piece[0] not in HANGING:
            carry: list[Segment] = []
            if piece[0][:1] in NO_LINE_START and len(lines[-1]) > 1:
                carry = [lines[-1].pop()]
            lines.append(carry)
            used = sum(_width(s, font, size) for s in carry)
            if piece[0].isspace():
                continue
        lines[-1].append(piece)
        used += w
    return [line for line in lines if line] or []


def line_width(segments: list[Segment], font: str, size: float) -> float:
    """The width of a line of segments at ``size`` (a segment is as wide as its base or its ルビ)."""
    return sum(_width(s, font, size) for s in segments)


def draw_ruby_line(canvas: Canvas, segments: list[Segment], font: str, size: float, x: float, baseline: float) -> float:
    """Draw one line of segments with its base on ``baseline`` from ``x``, each reading centred
    above its base at half the size; returns the x after the line. The line needs
    ``size * (1 + RUBY_SCALE)`` of height above the baseline to leave room for the readings."""
    ruby_size = size * RUBY_SCALE
    for base, reading in segments:
        base_w = text_width(base, font, size)
        ruby_w = text_width(reading, font, ruby_size) if reading else 0.0
        cell = max(base_w, ruby_w)
        canvas.setFont(font, size)
        canvas.drawString(x + (cell - base_w) / 2, baseline, base)
        if reading:
            canvas.setFont(font, ruby_size)
            canvas.drawString(x + (cell - ruby_w) / 2, baseline + size * 0.92, reading)
        x += cell
    return x
