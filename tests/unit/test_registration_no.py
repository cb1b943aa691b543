"""登録番号: fiscal-year era and serial, configurable pattern."""

from __future__ import annotations

from datetime import date

import pytest

from center_app.domain.errors import ValidationError
from center_app.domain.registration_no import (
    check_pattern,
    format_registration_no,
    normalize_registration_no,
)


@pytest.mark.parametrize(
    ("d", "serial", "expected"),
    [
        (date(2026, 6, 1), 12, "R08-0012"),
        (date(2026, 4, 1), 1, "R08-0001"),
        (date(2027, 3, 31), 345, "R08-0345"),  # still 令和8年度
        (date(2027, 4, 1), 1, "R09-0001"),
        (date(2019, 4, 15), 3, "R01-0003"),  # 平成31年4月, but 令和元年度
        (date(2019, 5, 1), 4, "R01-0004"),
        (date(2019, 3, 10), 5, "H30-0005"),  # 平成30年度
        (date(2003, 4, 1), 10000, "H15-10000"),
    ],
)
def test_default_pattern(d, serial, expected):
    assert format_registration_no(d, serial) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{era_name}{era_year}年度第{serial}号", "令和8年度第12号"),
        ("{fiscal_year}-{serial:05d}", "2026-00012"),
        ("{era_letter}{era_year}{serial:03d}", "R8012"),
    ],
)
def test_custom_patterns(pattern, expected):
    assert format_registration_no(date(2026, 6, 1), 12, pattern) == expected


@pytest.mark.parametrize("pattern", ["{foo}-{serial}", "{era_letter}{era_year}", "{serial:zz}", "{", "{0}", "{serial.x}", ""])
def test_invalid_patterns(pattern):
    with pytest.raises(ValidationError) as caught:
        check_pattern(pattern)
    assert caught.value.for_field("registration_no_pattern")
    with pytest.raises(ValidationError):
        format_registration_no(date(2026, 6, 1), 1, pattern)


def test_serial_must_be_positive():
    with pytest.raises(ValueError):
        format_registration_no(date(2026, 6, 1), 0)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("R08-0012", "R08-0012"), ("ｒ０８－００１２", "R08-0012"), (" r08 ー 0012 ", "R08-0012"), (None, "")],
)
def test_normalize_registration_no(raw, expected):
    assert normalize_registration_no(raw) == expected
