"""やさしい日本語: dates with the day's own reading (ついたち … とおか, じゅうよっか, はつか,
にじゅうよっか; 〜にち otherwise), kanji with ルビ drawn above their base, as the 出入国在留管理庁・
文化庁 guideline writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
import io

from center_app.domain.documents import FlyerEvent, FlyerOptions
from center_app.print.flyer import render_flyer
from center_app.print.labels import easy_date
from center_app.print.ruby import easy_date_segments, ruby_segments, wrap_segments
from center_app.print.fonts import register_fonts

SPECIAL = {1: "ついたち", 2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか", 8: "ようか", 9: "ここのか",
           10: "とおか", 14: "じゅうよっか", 20: "はつか", 24: "にじゅうよっか"}


@pytest.mark.parametrize("day", range(1, 32))
def test_every_day_of_the_month_is_read_as_japanese_reads_it(day):
    date = dt.date(2026, 12, day)
    weekday = ("げつようび", "かようび", "すいようび", "もくようび", "きんようび", "どようび", "にちようび")[date.weekday()]
    reading = SPECIAL.get(day, f"{day}にち")
    assert easy_date(date) == f"2026ねん 12がつ {reading}（{weekday}）"
    assert f"{day}にち" not in easy_date(date) or day not in SPECIAL  # 「1にち」 would read いちにち, "one day"


def test_the_date_is_written_in_kanji_with_its_readings_above():
    assert easy_date_segments(dt.date(2026, 12, 8)) == [
        ("2026", ""), ("年", "ねん"), (" ", ""), ("12", ""), ("月", "がつ"), (" ", ""), ("8日", "ようか"), ("（", ""), ("火曜日", "かようび"), ("）", "")]
    assert ("日", "にち") in easy_date_segments(dt.date(2026, 12, 12)) and ("12", "") in easy_date_segments(dt.date(2026, 12, 12))


def test_free_text_gets_readings_on_its_kanji_only_and_day_readings_for_dates():
    segments = ruby_segments("12月1日までに窓口で申し込んでください。")
    assert ("窓口", "まどぐち") in segments and ("1日", "ついたち") in segments and ("月", "がつ") in segments
    assert ("申", "もう") in segments and ("込", "こ") in segments and ("し", "") in segments  # okurigana without ルビ
    assert all(not reading for base, reading in segments if not any("\u4e00" <= c <= "\u9fff" for c in base))
    gothic, _mincho = register_fonts()
    lines = wrap_segments(segments, gothic, 14, 120)
    assert len(lines) > 1 and ["".join(b for b, _r in line) for line in lines][0].startswith("12月1日")
    assert "".join(b for line in lines for b, _r in line) == "12月1日までに窓口で申し込んでください。"


def test_a_flyer_in_easy_japanese_draws_each_reading_above_its_kanji():
    event = FlyerEvent(title="市民活動入門講座", event_date=dt.date(2026, 12, 24), start_time=dt.time(13), end_time=dt.time(15), place="会議室A")
    pdf = render_flyer(event, FlyerOptions(easy_japanese=True, easy_text="会場は 2階です。"))
    positions: dict[str, list[tuple[float, float]]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            positions.setdefault(text.strip(), []).append((tm[4], tm[5], size))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    base, reading = positions["24日"][0], positions["にじゅうよっか"][0]
    assert reading[1] > base[1] and reading[2] == pytest.approx(base[2] / 2)  # above, at half the size
    assert positions["かいじょう"][0][1] > positions["会場"][0][1]
