"""休館日: jpholiday against the Cabinet Office list, and open/closed days on real 2026–27 dates."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from center_app.domain.closed_days import (
    ClosedDayRules,
    ClosedRange,
    DayStatus,
    check_open,
    day_status,
    day_statuses,
    holiday_name,
    holidays_between,
)
from center_app.domain.errors import ClosedDayError

SYUKUJITSU = Path(__file__).parents[1] / "data" / "syukujitsu.csv"
DEFAULT = ClosedDayRules()


def cabinet_office_holidays() -> dict[date, str]:
    """内閣府 syukujitsu.csv (cp932): date → name."""
    with SYUKUJITSU.open(encoding="cp932", newline="") as f:
        rows = list(csv.reader(f))[1:]
    return {date(*map(int, day.split("/"))): name for day, name in rows if day}


def names_agree(official: str, ours: str) -> bool:
    """The Cabinet Office writes every substitute holiday (振替休日) and every 国民の休日 as plain
    "休日", and the 2019 accession days as "休日（祝日扱い）"; jpholiday names them ("こどもの日 振替休日",
    "国民の休日", "天皇の即位の日"), which is better for the counter. It also wrote 2019-10-14 as
    "体育の日（スポーツの日）" (the renaming was enacted, effective 2020). Dates must agree exactly;
    names must be equal except for these documented spellings."""
    if official == ours:
        return True
    if official == "休日":
        return ours == "国民の休日" or ours.endswith("振替休日")
    if official.startswith("休日（祝日扱い）"):
        return True
    return official.startswith(ours + "（")


def test_jpholiday_matches_cabinet_office_list_since_2000():
    official = {d: n for d, n in cabinet_office_holidays().items() if d >= date(2000, 1, 1)}
    last = max(official)
    assert last >= date(2027, 1, 1), "the reference list should reach next year"
    ours = dict(holidays_between(date(2000, 1, 1), last))
    assert sorted(set(official) ^ set(ours)) == []
    disagreeing = {d: (official[d], ours[d]) for d in official if not names_agree(official[d], ours[d])}
    assert disagreeing == {}


def test_holiday_name_and_between():
    assert holiday_name(date(2026, 9, 21)) == "敬老の日"
    assert holiday_name(date(2026, 9, 22)) == "国民の休日"
    assert holiday_name(date(2026, 9, 24)) is None
    assert holidays_between(date(2026, 9, 21), date(2026, 9, 23)) == [
        (date(2026, 9, 21), "敬老の日"),
        (date(2026, 9, 22), "国民の休日"),
        (date(2026, 9, 23), "秋分の日"),
    ]
    assert holidays_between(date(2026, 9, 23), date(2026, 9, 21)) == []


# (date, open?) under the default rules: Mondays closed, a holiday Monday open and the next
# working day (not a holiday, not Sat/Sun, not Monday) closed instead; 12-29 … 01-03 closed.
DEFAULT_CALENDAR = [
    (date(2026, 11, 2), False),  # ordinary Monday
    (date(2026, 11, 3), True),  # 文化の日, Tuesday: holidays are open
    (date(2026, 1, 12), True),  # 成人の日 Monday
    (date(2026, 1, 13), False),  # … closed instead
    (date(2026, 2, 23), True),  # 天皇誕生日 Monday
    (date(2026, 2, 24), False),
    (date(2026, 5, 4), True),  # みどりの日 Monday
    (date(2026, 5, 5), True),  # こどもの日
    (date(2026, 5, 6), True),  # 振替休日
    (date(2026, 5, 7), False),  # first working day after Golden Week
    (date(2026, 5, 8), True),
    (date(2026, 9, 21), True),  # 敬老の日 Monday
    (date(2026, 9, 22), True),  # 国民の休日
    (date(2026, 9, 23), True),  # 秋分の日
    (date(2026, 9, 24), False),  # Thursday: closed instead of 9-21
    (date(2026, 9, 25), True),
    (date(2026, 10, 12), True),  # スポーツの日 Monday
    (date(2026, 10, 13), False),
    (date(2026, 11, 23), True),  # 勤労感謝の日 Monday
    (date(2026, 11, 24), False),
    (date(2027, 3, 22), True),  # 春分の日 振替休日 Monday
    (date(2027, 3, 23), False),
    (date(2027, 5, 3), True),  # 憲法記念日 Monday
    (date(2027, 5, 6), False),  # after みどりの日 and こどもの日
    (date(2027, 9, 20), True),  # 敬老の日 Monday
    (date(2027, 9, 21), False),
    (date(2026, 12, 28), False),  # a Monday
    (date(2026, 12, 29), False),
    (date(2027, 1, 1), False),  # 元日 inside 年末年始: the range wins
    (date(2027, 1, 3), False),
    (date(2027, 1, 4), False),  # Monday after the year end
    (date(2027, 1, 5), True),
    (date(2027, 1, 11), True),  # 成人の日 Monday
    (date(2027, 1, 12), False),
    (date(2027, 12, 28), True),  # Tuesday
    (date(2027, 12, 29), False),
    (date(2027, 12, 31), False),
    (date(2028, 1, 3), False),
    (date(2028, 1, 4), True),  # Tuesday
]


@pytest.mark.parametrize(("d", "is_open"), DEFAULT_CALENDAR, ids=[d.isoformat() for d, _ in DEFAULT_CALENDAR])
def test_default_calendar(d, is_open):
    status = day_status(d, DEFAULT)
    assert status.is_open is is_open
    assert (status.reason is None) is is_open
    assert status.holiday_name == holiday_name(d)


def test_reasons():
    assert day_status(date(2027, 1, 1), DEFAULT) == DayStatus(False, "年末年始", "元日")
    assert day_status(date(2026, 9, 21), DEFAULT) == DayStatus(True, None, "敬老の日")
    weekly = day_status(date(2026, 11, 2), DEFAULT).reason
    assert weekly and day_status(date(2026, 9, 24), DEFAULT).reason == weekly  # moved: same reason


def test_from_config_matches_default():
    config = {
        "weekly": ["月"],
        "ranges": [{"from": "12-29", "to": "01-03", "name": "年末年始"}],
        "national_holidays": "open (except the year-end range)",
    }
    assert ClosedDayRules.from_config(config) == DEFAULT
    closed_holidays = ClosedDayRules.from_config({"weekly": ["tue", 2], "national_holidays": "closed"})
    assert closed_holidays.weekly == frozenset({1, 2})
    assert closed_holidays.holidays_closed and closed_holidays.ranges == ()


def test_holidays_closed():
    rules = ClosedDayRules(holidays_closed=True)
    assert day_status(date(2026, 11, 3), rules) == DayStatus(False, "文化の日", "文化の日")
    assert day_status(date(2026, 9, 21), rules) == DayStatus(False, "敬老の日", "敬老の日")
    assert day_status(date(2026, 9, 24), rules).is_open  # nothing moves: the Monday was closed


def test_without_holiday_shift_holiday_mondays_close():
    rules = ClosedDayRules(holiday_shift=False)
    status = day_status(date(2026, 9, 21), rules)
    assert not status.is_open and status.holiday_name == "敬老の日"
    assert day_status(date(2026, 9, 24), rules).is_open


def test_extra_closed_and_open_overrides():
    rules = ClosedDayRules(
        extra_closed={date(2026, 6, 10): "設備点検"},
        open_overrides={date(2026, 11, 2), date(2026, 12, 29), date(2026, 9, 24)},
    )
    assert day_status(date(2026, 6, 10), rules) == DayStatus(False, "設備点検", None)
    assert day_status(date(2026, 11, 2), rules).is_open  # Monday opened
    assert day_status(date(2026, 12, 29), rules).is_open  # year end opened
    assert day_status(date(2026, 9, 24), rules).is_open  # replacement closure opened
    assert hash(rules) == hash(ClosedDayRules(extra_closed={date(2026, 6, 10): "x"},
                                              open_overrides=rules.open_overrides))


def test_replacement_closure_falling_in_a_range_is_absorbed():
    rules = ClosedDayRules(ranges=(ClosedRange((9, 24), (9, 24), "臨時休館"),))
    assert day_status(date(2026, 9, 24), rules) == DayStatus(False, "臨時休館", None)
    assert day_status(date(2026, 9, 25), rules).is_open
    assert day_status(date(2026, 9, 28), rules).is_open is False  # next Monday as usual
    assert day_status(date(2026, 9, 29), rules).is_open


def test_weekly_closed_day_not_used_as_replacement():
    rules = ClosedDayRules(weekly={0, 3})  # Mondays and Thursdays
    assert not day_status(date(2026, 9, 24), rules).is_open  # Thursday, weekly
    assert not day_status(date(2026, 9, 25), rules).is_open  # Friday instead of 9-21
    assert day_status(date(2026, 9, 28), rules).is_open is False


def test_no_weekly_day_and_every_weekday_closed_do_not_hang():
    assert day_status(date(2026, 9, 24), ClosedDayRules(weekly=())).is_open
    every_weekday = ClosedDayRules(weekly=range(5))
    assert day_status(date(2026, 9, 21), every_weekday).is_open  # holiday Monday
    assert day_status(date(2026, 9, 26), every_weekday).is_open  # Saturday


@pytest.mark.parametrize(
    ("start", "end", "inside", "outside"),
    [
        ((12, 29), (1, 3), [date(2026, 12, 29), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 3)],
         [date(2026, 12, 28), date(2027, 1, 4), date(2026, 6, 1)]),
        ((8, 13), (8, 16), [date(2026, 8, 13), date(2026, 8, 16)], [date(2026, 8, 12), date(2026, 8, 17)]),
    ],
)
def test_closed_range_contains(start, end, inside, outside):
    closed = ClosedRange(start, end, "x")
    assert all(closed.contains(d) for d in inside)
    assert not any(closed.contains(d) for d in outside)


def test_closed_range_parse_and_validation():
    assert ClosedRange.parse("12-29", "01-03", "年末年始") == DEFAULT.ranges[0]
    with pytest.raises(ValueError):
        ClosedRange((2, 30), (3, 1), "x")
    with pytest.raises(ValueError):
        ClosedDayRules(weekly={7})


def test_check_open_and_day_statuses():
    assert check_open(date(2026, 9, 21), DEFAULT).holiday_name == "敬老の日"
    with pytest.raises(ClosedDayError) as caught:
        check_open(date(2027, 1, 2), DEFAULT)
    assert caught.value.reason == "年末年始"
    week = day_statuses(date(2026, 9, 21), date(2026, 9, 27), DEFAULT)
    assert [d for d, s in week if not s.is_open] == [date(2026, 9, 24)]
    assert day_statuses(date(2026, 9, 27), date(2026, 9, 21), DEFAULT) == []


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2027, 12, 31)))
def test_one_closure_a_week_outside_the_year_end(monday_or_later):
    """Under the default rules every Monday-to-Sunday week outside the year end closes exactly
    one day: the Monday, or the day it moved to (a week of holidays may push it to the next)."""
    monday = monday_or_later - timedelta(days=monday_or_later.weekday())
    weeks = day_statuses(monday, monday + timedelta(days=20), DEFAULT)
    if any(DEFAULT.ranges[0].contains(d) for d, _ in weeks):
        return
    closed = [d for d, s in weeks if not s.is_open]
    assert 2 <= len(closed) <= 4
    assert all(not s.is_open or s.reason is None for _, s in weeks)
