"""和暦 (Japanese era dates): the era table, formatting and parsing.

The era table holds the standard start dates of the five modern eras (元号法 and the imperial
ordinances / 政令 that named them). An era's year 1 is written 元年; numbers are never zero-padded
in the written form (令和8年11月29日). Dates before 1873 are treated as proleptic Gregorian dates,
as most software does (Japan used the lunisolar calendar until 明治5年12月2日).

japanera's era table was considered; a five-row table kept here and tested at every boundary is the
simpler choice and needs no dependency.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from center_app.domain.errors import ValidationError
from center_app.i18n import _, current_language

__all__ = [
    "ERAS",
    "Era",
    "era_by_letter",
    "era_by_name",
    "era_letter",
    "era_of",
    "era_year",
    "format_era_year",
    "DATE_STYLES",
    "WAREKI_STYLE",
    "WESTERN_STYLE",
    "date_style",
    "format_day",
    "format_japanese_day",
    "format_wareki",
    "set_date_style",
    "parse_wareki",
]

#: Day-of-week characters, Monday first (``date.weekday()`` order).
WEEKDAY_CHARS = "月火水木金土日"


@dataclass(frozen=True)
class Era:
    """One era: ``name`` (令和), ``letter`` (R, as on forms: R8.4.1) and first day ``start``."""

    name: str
    letter: str
    start: date


#: The modern eras, newest first. Source: 元号を改める政令 (平成31年政令第143号: 令和 from
#: 2019-05-01), 元号を改める政令 (昭和64年政令第1号: 平成 from 1989-01-08), and the
#: imperial rescripts of 1868-10-23 (明治), 1912-07-30 (大正) and 1926-12-25 (昭和).
ERAS: tuple[Era, ...] = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("明治", "M", date(1868, 10, 23)),
)

_BY_NAME = {era.name: era for era in ERAS}
_BY_LETTER = {era.letter: era for era in ERAS}


def _next_start(era: Era) -> date | None:
    """First day of the era after ``era`` (None for the current era)."""
    index = ERAS.index(era)
    return ERAS[index - 1].start if index > 0 else None


def era_by_name(name: str) -> Era:
    """The era named ``name`` (令和, 平成, …). Raises KeyError for an unknown name."""
    return _BY_NAME[name]


def era_by_letter(letter: str) -> Era:
    """The era whose letter is ``letter`` (R, H, S, T, M; case-insensitive). Raises KeyError."""
    return _BY_LETTER[letter.upper()]


def era_of(d: date) -> Era:
    """The era in force on ``d``.

    Raises ValidationError (field ``date``) for a date before 明治 (1868-10-23).
    """
    for era in ERAS:
        if d >= era.start:
            return era
    raise ValidationError(
        _("Dates before {first} cannot be written in the Japanese calendar.").format(
            first=ERAS[-1].start.isoformat()
        ),
        field_name="date",
    )


def era_year(d: date) -> tuple[str, int]:
    """The era name and era year of ``d``: ``date(2026, 11, 29)`` → ``("令和", 8)``.

    2019-04-30 → (平成, 31); 2019-05-01 → (令和, 1). Raises ValidationError before 明治.
    """
    era = era_of(d)
    return era.name, d.year - era.start.year + 1


def era_letter(d: date) -> str:
    """The letter of the era of ``d``: 'R', 'H', 'S', 'T' or 'M'. Raises ValidationError before 明治."""
    return era_of(d).letter


def format_era_year(name: str, year: int) -> str:
    """The written era year: ``("令和", 1)`` → "令和元年", ``("令和", 8)`` → "令和8年" (no padding)."""
    return f"{name}元年" if year == 1 else f"{name}{year}年"


def format_wareki(d: date, *, weekday: bool = False) -> str:
    """``d`` in 和暦: "令和8年11月29日", or with ``weekday`` "令和8年11月29日（日）".

    Year 1 is written 元年 ("令和元年5月1日"); nothing is zero-padded. Raises ValidationError for a
    date before 明治 (1868-10-23).
    """
    name, year = era_year(d)
    text = f"{format_era_year(name, year)}{d.month}月{d.day}日"
    if weekday:
        text += f"（{WEEKDAY_CHARS[d.weekday()]}）"
    return text


_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


#: The date styles of the center (設定 → センター「日付の表記」, ``center_settings.DATE_STYLE``).
WAREKI_STYLE, WESTERN_STYLE = "wareki", "western"
DATE_STYLES = (WAREKI_STYLE, WESTERN_STYLE)
_style = WAREKI_STYLE


def set_date_style(style: str) -> None:
    """Use ``style`` (one of :data:`DATE_STYLES`; 和暦 for anything else) for every date shown
    from now on. Set by ``services.center_settings`` from the center's setting, when a database
    is opened and when the setting is saved."""
    global _style
    _style = style if style in DATE_STYLES else WAREKI_STYLE


def date_style() -> str:
    """The center's date style in use (:data:`WAREKI_STYLE` unless set otherwise)."""
    return _style


def format_japanese_day(d: date, *, weekday: bool = True, style: str | None = None) -> str:
    """A date written in Japanese in ``style`` (the center's when None): 和暦 "令和8年12月8日（火）"
    or western "2026年12月8日（火）" (without ``weekday``: "令和8年12月8日", "2026年12月8日")."""
    if (style or _style) == WESTERN_STYLE or d < ERAS[-1].start:
        text = f"{d.year}年{d.month}月{d.day}日"
        return f"{text}（{WEEKDAY_CHARS[d.weekday()]}）" if weekday else text
    return format_wareki(d, weekday=weekday)


def format_day(d: date, *, weekday: bool = True) -> str:
    """A date as the screens and messages show it, one style everywhere: in the Japanese UI the
    center's style (設定 → センター), 和暦 "令和8年12月8日（火）" by default or western
    "2026年12月8日（火）"; in the English UI always western "Tue 8 Dec 2026" (without ``weekday``:
    "令和8年12月8日", "8 Dec 2026"). Never ISO. Dates before 明治 are written western."""
    if current_language() == "en" or d < ERAS[-1].start:
        text = f"{d.day} {_EN_MONTHS[d.month - 1]} {d.year}"
        return f"{_EN_WEEKDAYS[d.weekday()]} {text}" if weekday else text
    return format_japanese_day(d, weekday=weekday)



def format_moment(value: datetime, *, weekday: bool = True) -> str:
    """A local date and time as the screens show it: :func:`format_day` and the time, e.g.
    "令和8年12月20日（日） 18:00", or "Sun 20 Dec 2026 18:00" in the English UI. Never ISO."""
    return f"{format_day(value.date(), weekday=weekday)} {value:%H:%M}"


def format_month(year: int, month: int) -> str:
    """A month as the screens show it: in the Japanese UI in the center's style, "令和8年12月"
    (the era of the month's first day) or "2026年12月"; in the English UI "Dec 2026"."""
    first = date(year, month, 1)
    if current_language() == "en":
        return f"{_EN_MONTHS[month - 1]} {year}"
    if _style == WESTERN_STYLE or first < ERAS[-1].start:
        return f"{year}年{month}月"
    name, number = era_year(first)
    return f"{format_era_year(name, number)}{month}月"

# --- parsing -------------------------------------------------------------------------------

_WEEKDAY_SUFFIX = re.compile(r"\(([月火水木金土日])(?:曜日?)?\)$")
_KANJI_FORM = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d{1,3})年(\d{1,2})月(\d{1,2})日$")
_LETTER_FORM = re.compile(r"^([MTSHRmtshr])(元|\d{1,3})([./\-])(\d{1,2})\3(\d{1,2})$")


def prepare_date_text(text: str) -> str:
    """Shared first step of date parsing: NFKC (full-width digits, ㋿ → 令和, （ → (), and every
    whitespace removed. Used by :func:`parse_wareki` and ``normalize.parse_date``."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace())


def split_weekday(text: str) -> tuple[str, int | None]:
    """Remove a trailing day of the week "(日)", "(日曜)" or "(日曜日)" from prepared ``text``.

    Returns the rest and the weekday (Mon=0) or None when there was none.
    """
    found = _WEEKDAY_SUFFIX.search(text)
    if found is None:
        return text, None
    return text[: found.start()], WEEKDAY_CHARS.index(found.group(1))


def check_weekday(d: date, weekday: int | None, text: str, field: str) -> date:
    """Return ``d`` if ``weekday`` (Mon=0) is None or matches it; else raise ValidationError."""
    if weekday is not None and d.weekday() != weekday:
        raise ValidationError(
            _("{text}: the day of the week does not match the date (it is {weekday}).").format(
                text=text, weekday=WEEKDAY_CHARS[d.weekday()]
            ),
            field_name=field,
        )
    return d


def invalid_date(text: str, field: str) -> ValidationError:
    """The error for a date that does not exist, such as 2026-02-30."""
    return ValidationError(_("{text} is not a valid date.").format(text=text), field_name=field)


def parse_wareki(text: str, *, field: str = "date") -> date:
    """Parse a 和暦 date; the inverse of :func:`format_wareki`.

    Accepts 令和8年4月1日, 令和元年5月1日, R8.4.1, r8/4/1, R08.04.01, H31.4.30, 元 as year 1,
    full-width digits and letters, ㋿/㍻ ligatures, spaces anywhere, and a trailing day of the week
    ("（日）"), which must match. Raises ValidationError naming ``field`` when the text is not such a
    date, when the date does not exist (令和8年2月30日), or when it lies outside its era
    (平成32年1月1日, 令和元年4月30日; 昭和64年1月7日 is valid, 昭和64年1月8日 is not).
    """
    if not isinstance(text, str):
        raise TypeError("parse_wareki expects a str")
    original = text.strip()
    prepared, weekday = split_weekday(prepare_date_text(text))
    kanji = _KANJI_FORM.match(prepared)
    letter = _LETTER_FORM.match(prepared)
    if kanji:
        era, year_text, month_text, day_text = (
            era_by_name(kanji.group(1)), kanji.group(2), kanji.group(3), kanji.group(4),
        )
    elif letter:
        era, year_text, month_text, day_text = (
            era_by_letter(letter.group(1)), letter.group(2), letter.group(4), letter.group(5),
        )
    else:
        raise ValidationError(
            _("Enter a date in the Japanese calendar, such as 令和8年4月1日 or R8.4.1."),
            field_name=field,
        )
    year = 1 if year_text == "元" else int(year_text)
    if year < 1:
        raise invalid_date(original, field)
    try:
        result = date(era.start.year + year - 1, int(month_text), int(day_text))
    except ValueError:
        raise invalid_date(original, field) from None
    if result < era.start:
        raise ValidationError(
            _("{text} is before the start of {era} ({first}).").format(
                text=original, era=era.name, first=format_wareki(era.start)
            ),
            field_name=field,
        )
    following = _next_start(era)
    if following is not None and result >= following:
        last = date.fromordinal(following.toordinal() - 1)
        raise ValidationError(
            _("{text} is after the end of {era} ({last}).").format(
                text=original, era=era.name, last=format_wareki(last)
            ),
            field_name=field,
        )
    return check_weekday(result, weekday, original, field)
