"""年度: April–March fiscal years, their 和暦 names and registration validity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from center_app.domain.fiscal import (
    fiscal_year_era,
    fiscal_year_label,
    fiscal_year_of,
    fiscal_year_range,
    registration_valid_until,
)


@pytest.mark.parametrize(
    ("d", "year"),
    [
        (date(2026, 4, 1), 2026),
        (date(2026, 3, 31), 2025),
        (date(2027, 3, 31), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
        (date(2019, 4, 30), 2019),
    ],
)
def test_fiscal_year_of(d, year):
    assert fiscal_year_of(d) == year


def test_fiscal_year_range():
    assert fiscal_year_range(2026) == (date(2026, 4, 1), date(2027, 3, 31))
    assert fiscal_year_range(2023) == (date(2023, 4, 1), date(2024, 3, 31))


@pytest.mark.parametrize(
    ("year", "label", "letter", "era_year"),
    [
        (2026, "令和8年度", "R", 8),
        (2020, "令和2年度", "R", 2),
        (2019, "令和元年度", "R", 1),  # began in 平成31年4月, named 令和元年度 by convention
        (2018, "平成30年度", "H", 30),
        (1989, "平成元年度", "H", 1),
        (1988, "昭和63年度", "S", 63),  # the era changed during it (1989-01-08)
        (2003, "平成15年度", "H", 15),
    ],
)
def test_fiscal_year_label_and_era(year, label, letter, era_year):
    assert fiscal_year_label(year) == label
    era, number = fiscal_year_era(year)
    assert (era.letter, number) == (letter, era_year)


@pytest.mark.parametrize(
    ("d", "until"),
    [
        (date(2026, 4, 1), date(2027, 3, 31)),
        (date(2026, 11, 29), date(2027, 3, 31)),
        (date(2027, 3, 31), date(2027, 3, 31)),
        (date(2027, 2, 20), date(2027, 3, 31)),  # renewal papers in February: still this year
    ],
)
def test_registration_valid_until(d, until):
    assert registration_valid_until(d) == until


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_date_lies_in_its_fiscal_year(d):
    first, last = fiscal_year_range(fiscal_year_of(d))
    assert first <= d <= last
    assert (last - first).days in (364, 365)
    assert fiscal_year_of(last + timedelta(days=1)) == fiscal_year_of(d) + 1
    assert registration_valid_until(d) == last
