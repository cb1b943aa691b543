"""和暦: the era table at every boundary, formatting, parsing and round trips."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from center_app.domain.errors import ValidationError
from center_app.domain.wareki import (
    ERAS,
    era_by_letter,
    era_letter,
    era_year,
    format_era_year,
    format_wareki,
    parse_wareki,
)

MODERN = st.dates(min_value=date(1868, 10, 23), max_value=date(2200, 12, 31))


@pytest.mark.parametrize(
    ("d", "name", "year", "letter"),
    [
        (date(2026, 11, 29), "令和", 8, "R"),
        (date(2019, 5, 1), "令和", 1, "R"),
        (date(2019, 4, 30), "平成", 31, "H"),
        (date(1989, 1, 8), "平成", 1, "H"),
        (date(1989, 1, 7), "昭和", 64, "S"),
        (date(1926, 12, 25), "昭和", 1, "S"),
        (date(1926, 12, 24), "大正", 15, "T"),
        (date(1912, 7, 30), "大正", 1, "T"),
        (date(1912, 7, 29), "明治", 45, "M"),
        (date(1868, 10, 23), "明治", 1, "M"),
    ],
)
def test_era_boundaries(d, name, year, letter):
    assert era_year(d) == (name, year)
    assert era_letter(d) == letter


def test_before_meiji_is_an_error():
    with pytest.raises(ValidationError):
        era_year(date(1868, 10, 22))
    with pytest.raises(ValidationError):
        format_wareki(date(1800, 1, 1))


@pytest.mark.parametrize(
    ("d", "weekday", "text"),
    [
        (date(2026, 11, 29), False, "令和8年11月29日"),
        (date(2026, 11, 29), True, "令和8年11月29日（日）"),
        (date(2019, 5, 1), False, "令和元年5月1日"),
        (date(2019, 12, 31), True, "令和元年12月31日（火）"),
        (date(2020, 1, 1), False, "令和2年1月1日"),
        (date(2019, 4, 30), False, "平成31年4月30日"),
        (date(1989, 1, 7), False, "昭和64年1月7日"),
        (date(1989, 1, 8), False, "平成元年1月8日"),
        (date(2027, 4, 5), True, "令和9年4月5日（月）"),
    ],
)
def test_format_wareki(d, weekday, text):
    assert format_wareki(d, weekday=weekday) == text


def test_format_era_year():
    assert format_era_year("令和", 1) == "令和元年"
    assert format_era_year("平成", 31) == "平成31年"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年4月1日", date(2026, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R8.4.1", date(2026, 4, 1)),
        ("r8.4.1", date(2026, 4, 1)),
        ("R08.04.01", date(2026, 4, 1)),
        ("R8/4/1", date(2026, 4, 1)),
        ("R8-4-1", date(2026, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("H1.1.8", date(1989, 1, 8)),
        ("S64.1.7", date(1989, 1, 7)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("大正15年12月24日", date(1926, 12, 24)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("令和８年１１月２９日", date(2026, 11, 29)),
        ("Ｒ８．４．１", date(2026, 4, 1)),
        ("㋿8年4月1日", date(2026, 4, 1)),
        ("㍻31年4月30日", date(2019, 4, 30)),
        (" 令和 8 年 4 月 1 日 ", date(2026, 4, 1)),
        ("令和8年11月29日（日）", date(2026, 11, 29)),
        ("令和8年11月29日(日曜日)", date(2026, 11, 29)),
        ("R元.5.1", date(2019, 5, 1)),
    ],
)
def test_parse_wareki(text, expected):
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "平成32年1月1日",  # after the end of 平成
        "平成31年5月1日",  # first day of 令和
        "令和元年4月30日",  # before the start of 令和
        "昭和64年1月8日",  # first day of 平成
        "平成元年1月7日",
        "令和8年2月30日",  # no such day
        "令和0年5月1日",
        "令和8年13月1日",
        "R8.4",
        "R8.4/1",  # mixed separators
        "X8.4.1",
        "2026-04-01",  # Western: parse_date's job
        "令和8年11月29日（月）",  # wrong day of the week
        "",
        "令和",
    ],
)
def test_parse_wareki_rejects(text):
    with pytest.raises(ValidationError) as caught:
        parse_wareki(text, field="start_date")
    assert caught.value.problems[0].field == "start_date"
    assert caught.value.message


def test_era_table_is_ordered_and_letters_unique():
    starts = [era.start for era in ERAS]
    assert starts == sorted(starts, reverse=True)
    assert len({era.letter for era in ERAS}) == len(ERAS)
    assert era_by_letter("r").name == "令和"


@given(MODERN, st.booleans())
def test_round_trip(d, weekday):
    assert parse_wareki(format_wareki(d, weekday=weekday)) == d


@given(MODERN)
def test_letter_form_round_trip(d):
    name, year = era_year(d)
    assert parse_wareki(f"{era_letter(d)}{year:02d}.{d.month:02d}.{d.day:02d}") == d


@given(st.text(max_size=30))
def test_arbitrary_text_gives_a_date_or_validation_error(text):
    try:
        result = parse_wareki(text)
    except ValidationError:
        return
    assert isinstance(result, date)


@pytest.mark.parametrize("era", ERAS)
def test_day_before_each_era_belongs_to_the_previous_one(era):
    if era is ERAS[-1]:
        return
    previous = ERAS[ERAS.index(era) + 1]
    assert era_year(era.start - timedelta(days=1))[0] == previous.name


def test_months_and_moments_follow_the_language_and_the_date_style():
    from datetime import datetime

    from center_app import i18n
    from center_app.domain.wareki import WAREKI_STYLE, WESTERN_STYLE, format_moment, format_month, set_date_style

    moment = datetime(2026, 12, 20, 18, 0)
    assert (format_month(2026, 12), format_month(2019, 5), format_moment(moment)) == ("令和8年12月", "令和元年5月", "令和8年12月20日（日） 18:00")
    try:
        set_date_style(WESTERN_STYLE)
        assert (format_month(2026, 12), format_moment(moment, weekday=False)) == ("2026年12月", "2026年12月20日 18:00")
        i18n.set_language("en")
        assert (format_month(2026, 12), format_moment(moment)) == ("Dec 2026", "Sun 20 Dec 2026 18:00")
    finally:
        set_date_style(WAREKI_STYLE)
        i18n.set_language("ja")
