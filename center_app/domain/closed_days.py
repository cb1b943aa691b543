"""休館日 (closed days) of a facility: weekly rule, recurring ranges, national holidays, overrides.

National holidays (国民の祝日・休日, including 振替休日 and 国民の休日) come from jpholiday, which
tests check against the Cabinet Office list 内閣府「国民の祝日について」syukujitsu.csv
(docs/architecture.md §4). Defaults follow ``shared/data/reference/default_center.json`` → ``closed_days``.

Precedence in :func:`day_status`, strongest first:

1. ``open_overrides`` — the date is open, whatever else applies;
2. ``extra_closed`` — closed, with the reason given;
3. a recurring range (年末年始 12-29 … 01-03) — closed, with the range's name, even on a holiday;
4. ``holidays_closed`` and a national holiday — closed, with the holiday's name;
5. a weekly closed day — closed (休館日), except that with ``holiday_shift`` a weekly closed day
   that is a national holiday is open;
6. with ``holiday_shift``, the replacement closure: the first day after such an open holiday that
   is neither a national holiday, a Saturday or Sunday, nor a weekly closed day is closed, with
   the same reason (休館日). Two such holidays in a row (weekly Monday and Tuesday, both holidays)
   move to the same day.

A weekly closed day that is closed anyway by rules 2–4 is not moved. A replacement closure that
lands on a day already closed by 2–3 (the year-end range) is absorbed by it: the center closes no
extra day after the range.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

import jpholiday

from center_app.domain.errors import ClosedDayError
from center_app.domain.wareki import format_day
from center_app.i18n import _

__all__ = [
    "ClosedDayRules",
    "ClosedRange",
    "DayStatus",
    "check_open",
    "day_status",
    "day_statuses",
    "holiday_name",
    "holidays_between",
]

#: Weekday names accepted in configuration, Monday = 0.
_WEEKDAY_NAMES = {
    **{name: i for i, name in enumerate("月火水木金土日")},
    **{name: i for i, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
}
#: How far a replacement closure may move before the rule gives up (Golden Week is ≤ 9 days).
_MAX_SHIFT_DAYS = 31


@functools.lru_cache(maxsize=8192)
def holiday_name(d: date) -> str | None:
    """The name of the national holiday on ``d`` (jpholiday's, e.g. "敬老の日", "国民の休日",
    "こどもの日 振替休日"), or None on an ordinary day.

    Cached: jpholiday works each date out afresh (about 0.3 ms), and every calendar page and
    ホーム ask for the same dates again and again."""
    return jpholiday.is_holiday_name(d)


def holidays_between(start: date, end: date) -> list[tuple[date, str]]:
    """National holidays from ``start`` to ``end``, both inclusive, in date order; [] if end < start."""
    if end < start:
        return []
    return sorted((d, name) for d, name in jpholiday.between(start, end))


@dataclass(frozen=True)
class ClosedRange:
    """A closed period recurring every year, from ``start`` to ``end`` inclusive, each a
    (month, day) pair; it may span the new year: ``ClosedRange((12, 29), (1, 3), "年末年始")``.
    ``name`` is shown as the reason (configuration data, not translated)."""

    start: tuple[int, int]
    end: tuple[int, int]
    name: str

    def __post_init__(self) -> None:
        for month, day in (self.start, self.end):
            date(2024, month, day)  # a leap year, so 02-29 is allowed; raises ValueError otherwise

    @classmethod
    def parse(cls, start: str, end: str, name: str) -> ClosedRange:
        """From "MM-DD" strings: ``ClosedRange.parse("12-29", "01-03", "年末年始")``.
        Raises ValueError for a malformed or impossible month-day."""
        def month_day(text: str) -> tuple[int, int]:
            month, day = text.strip().split("-")
            return int(month), int(day)

        return cls(month_day(start), month_day(end), name)

    def contains(self, d: date) -> bool:
        """True if ``d`` falls in the range (in any year)."""
        md = (d.month, d.day)
        if self.start <= self.end:
            return self.start <= md <= self.end
        return md >= self.start or md <= self.end


def _default_ranges() -> tuple[ClosedRange, ...]:
    return (ClosedRange((12, 29), (1, 3), "年末年始"),)


@dataclass(frozen=True)
class ClosedDayRules:
    """The closed-day rules of one facility (defaults: default_center.json).

    ``weekly``: closed weekdays, Monday = 0 (default {0}: Mondays). ``holiday_shift``: a weekly
    closed day that is a national holiday is open, and the next day that is neither a holiday, a
    weekend day nor a weekly closed day is closed instead (default True). ``ranges``: recurring
    closed periods (default 年末年始 12-29 … 01-03). ``holidays_closed``: national holidays close the
    facility (default False: open on holidays). ``extra_closed``: one-off closed dates → reason.
    ``open_overrides``: dates open whatever the rules say. Collections given as lists, sets or
    dicts are frozen. See the module docstring for the precedence.
    """

    weekly: frozenset[int] = frozenset({0})
    holiday_shift: bool = True
    ranges: tuple[ClosedRange, ...] = field(default_factory=_default_ranges)
    holidays_closed: bool = False
    extra_closed: Mapping[date, str] = field(default_factory=dict, hash=False)
    open_overrides: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        weekly = frozenset(self.weekly)
        if any(not 0 <= w <= 6 for w in weekly):
            raise ValueError(f"weekly closed days must be 0 (Monday) … 6 (Sunday), not {sorted(weekly)}")
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "ranges", tuple(self.ranges))
        object.__setattr__(self, "extra_closed", MappingProxyType(dict(self.extra_closed)))
        object.__setattr__(self, "open_overrides", frozenset(self.open_overrides))

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> ClosedDayRules:
        """From the ``closed_days`` object of default_center.json: ``weekly`` (names 月…日 or
        mon…sun, or ints), ``ranges`` ([{"from": "12-29", "to": "01-03", "name": "年末年始"}]),
        ``national_holidays`` ("open…" or "closed…"), optional ``holiday_shift`` (default True).
        Raises ValueError or KeyError for malformed configuration."""
        weekly_raw = config.get("weekly", ["月"])
        weekly = {w if isinstance(w, int) else _WEEKDAY_NAMES[str(w).strip().lower()] for w in weekly_raw}  # type: ignore[union-attr]
        ranges = tuple(
            ClosedRange.parse(r["from"], r["to"], r["name"]) for r in config.get("ranges", [])  # type: ignore[index,union-attr]
        )
        holidays = str(config.get("national_holidays", "open")).strip().lower()
        return cls(
            weekly=frozenset(weekly),
            holiday_shift=bool(config.get("holiday_shift", True)),
            ranges=ranges,
            holidays_closed=holidays.startswith("closed"),
        )


@dataclass(frozen=True)
class DayStatus:
    """Whether a facility is open on a day. ``reason``: why it is closed (translated 休館日 for a
    weekly closed day or its replacement, the range's name, the holiday's name, or the extra
    date's reason), None when open. ``holiday_name``: the national holiday's name even when
    open, else None."""

    is_open: bool
    reason: str | None = None
    holiday_name: str | None = None


def _range_name(d: date, rules: ClosedDayRules) -> str | None:
    return next((r.name for r in rules.ranges if r.contains(d)), None)


def _open_by_holiday_rule(d: date, rules: ClosedDayRules) -> bool:
    """True if ``d`` is a weekly closed day opened because it is a national holiday."""
    return (
        rules.holiday_shift
        and not rules.holidays_closed
        and d.weekday() in rules.weekly
        and d not in rules.extra_closed
        and _range_name(d, rules) is None
        and jpholiday.is_holiday(d)
    )


def _replacement_day(opened: date, rules: ClosedDayRules) -> date | None:
    """The day closed instead of ``opened`` (a weekly closed day open for a holiday), or None
    when no day within ``_MAX_SHIFT_DAYS`` qualifies."""
    d = opened
    for _step in range(_MAX_SHIFT_DAYS):
        d += timedelta(days=1)
        if d.weekday() < 5 and d.weekday() not in rules.weekly and not jpholiday.is_holiday(d):
            return d
    return None


@functools.lru_cache(maxsize=8192)
def _replaced_weekly_day(d: date, rules: ClosedDayRules) -> date | None:
    """The holiday whose weekly closure moved to ``d``, or None. Cached (the rules are a frozen
    value): it looks a week back and forth through jpholiday for every working day asked."""
    if not rules.holiday_shift or rules.holidays_closed or not rules.weekly:
        return None
    if d.weekday() >= 5 or d.weekday() in rules.weekly or jpholiday.is_holiday(d):
        return None
    for back in range(1, _MAX_SHIFT_DAYS + 1):
        earlier = d - timedelta(days=back)
        if _open_by_holiday_rule(earlier, rules) and _replacement_day(earlier, rules) == d:
            return earlier
    return None


def day_status(d: date, rules: ClosedDayRules) -> DayStatus:
    """Whether the facility with ``rules`` is open on ``d``, and why not (module docstring gives
    the precedence). Source: docs/architecture.md §4 and default_center.json ``closed_days``."""
    holiday = holiday_name(d)
    if d in rules.open_overrides:
        return DayStatus(True, None, holiday)
    if d in rules.extra_closed:
        return DayStatus(False, rules.extra_closed[d], holiday)
    range_name = _range_name(d, rules)
    if range_name is not None:
        return DayStatus(False, range_name, holiday)
    if holiday is not None and rules.holidays_closed:
        return DayStatus(False, holiday, holiday)
    if d.weekday() in rules.weekly:
        if holiday is not None and rules.holiday_shift:
            return DayStatus(True, None, holiday)
        return DayStatus(False, _("Regular closing day"), holiday)
    if _replaced_weekly_day(d, rules) is not None:
        return DayStatus(False, _("Regular closing day"), holiday)
    return DayStatus(True, None, holiday)


def day_statuses(start: date, end: date, rules: ClosedDayRules) -> list[tuple[date, DayStatus]]:
    """:func:`day_status` of every day from ``start`` to ``end``, both inclusive (calendars, and
    the available days behind occupancy rates)."""
    days = (end - start).days + 1
    return [(start + timedelta(days=i), day_status(start + timedelta(days=i), rules)) for i in range(max(days, 0))]


def check_open(d: date, rules: ClosedDayRules) -> DayStatus:
    """The status of ``d`` if the facility is open; raises ClosedDayError (with ``reason``) if
    it is closed. Staff overriding a closed day for one booking skip this check."""
    status = day_status(d, rules)
    if not status.is_open:
        reason = status.reason or ""
        raise ClosedDayError(
            _("The facility is closed on {date} ({reason}).").format(date=format_day(d), reason=reason),
            reason,
        )
    return status
