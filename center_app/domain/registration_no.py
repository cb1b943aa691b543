"""登録番号 (registration_no): the fiscal year in 和暦 and a serial, e.g. ``R08-0012``.

The era is that of the FISCAL year of the registration date (:func:`fiscal.fiscal_year_era`):
a group registered on 2027-03-10 belongs to 令和8年度 → R08; FY2019 is 令和元年度 → R01, so a
registration on 2019-04-15 (still 平成31年) is R01-…, and one on 2019-03-10 (FY2018) is H30-….
The serial is allocated by the database (one sequence per fiscal year); this module only writes
and reads the text. The pattern is configurable in 設定.
"""

from __future__ import annotations

import string
import unicodedata
from datetime import date
from functools import lru_cache

from center_app.domain.errors import ValidationError
from center_app.domain.fiscal import fiscal_year_era, fiscal_year_of
from center_app.i18n import _

__all__ = [
    "DEFAULT_PATTERN",
    "PATTERN_FIELDS",
    "check_pattern",
    "format_registration_no",
    "normalize_registration_no",
]

#: The default pattern: era letter, two-digit era year of the fiscal year, four-digit serial.
DEFAULT_PATTERN = "{era_letter}{era_year:02d}-{serial:04d}"
#: The placeholders a pattern may use.
PATTERN_FIELDS = ("era_letter", "era_name", "era_year", "fiscal_year", "serial")

_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u30fc\uff70")


def _fields(d: date, serial: int) -> dict[str, object]:
    fiscal_year = fiscal_year_of(d)
    era, era_year = fiscal_year_era(fiscal_year)
    return {
        "era_letter": era.letter,
        "era_name": era.name,
        "era_year": era_year,
        "fiscal_year": fiscal_year,
        "serial": serial,
    }


def check_pattern(pattern: str, *, field: str = "registration_no_pattern") -> None:
    """Check a configured pattern: only the placeholders of ``PATTERN_FIELDS`` with integer or
    string formats, and ``{serial}`` present (else numbers would repeat). Raises ValidationError
    naming ``field``."""
    if not _pattern_ok(pattern):
        raise ValidationError(
            _("The registration number pattern {pattern} is not valid; it may use {placeholders} and must contain the serial.").format(
                pattern=pattern, placeholders=", ".join("{" + name + "}" for name in PATTERN_FIELDS)),
            field_name=field,
        )


@lru_cache(maxsize=64)
def _pattern_ok(pattern: str) -> bool:
    """Whether ``pattern`` passes :func:`check_pattern` (kept: an import numbers thousands of groups
    with one pattern)."""
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}
        pattern.format(**_fields(date(2026, 4, 1), 1))
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        return False
    return "serial" in names and names <= set(PATTERN_FIELDS)


def format_registration_no(d: date, serial: int, pattern: str = DEFAULT_PATTERN) -> str:
    """The registration number of the ``serial``-th group registered in the fiscal year of ``d``
    (the registration date): ``format_registration_no(date(2026, 6, 1), 12)`` → "R08-0012".

    ``pattern`` is a ``str.format`` pattern over era_letter (R), era_name (令和), era_year (8, the
    era year of the fiscal year), fiscal_year (2026) and serial. Raises ValueError if ``serial``
    < 1, ValidationError (field ``registration_no_pattern``) for an invalid pattern.
    """
    if serial < 1:
        raise ValueError(f"serial must be 1 or more, not {serial}")
    check_pattern(pattern)
    return pattern.format(**_fields(d, serial))


def normalize_registration_no(s: str | None) -> str:
    """A typed or scanned registration number made comparable: NFKC (full-width → ASCII),
    uppercase, hyphen-likes → "-", whitespace removed. "ｒ０８－００１２" → "R08-0012". Never raises;
    the result is looked up, not validated, since the pattern is configurable."""
    text = unicodedata.normalize("NFKC", str(s or "")).upper()
    return "".join("-" if ch in _HYPHENS else ch for ch in text if not ch.isspace())


def looks_like_registration_no(text: str) -> bool:
    """Whether ``text`` (as :func:`normalize_registration_no` gives it) is meant as a
    registration number rather than a name, reading or phone number: a letter, then a digit
    (「R08-0012」, the era letter of the default pattern; a phone number never starts with a
    letter). A search box then picks only the group of exactly that number."""
    return len(text) >= 2 and text[0].isascii() and text[0].isalpha() and text[1].isdigit()
