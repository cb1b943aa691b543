"""年度 (fiscal year): April 1 – March 31, named by the calendar year it starts in.

令和8年度 = fiscal year 2026 = 2026-04-01 … 2027-03-31 (地方自治法 第208条: 普通地方公共団体の会計年度は、
毎年4月1日に始まり、翌年3月31日に終わる). Registrations are valid until the end of the fiscal year
(docs/architecture.md §4).
"""

from __future__ import annotations

from datetime import date

from center_app.domain.wareki import Era, era_by_name, era_of, format_era_year

__all__ = [
    "fiscal_year_era",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_range",
    "registration_valid_until",
]

#: Fiscal years whose conventional era differs from the era in force on their April 1.
#: FY2019 began on 平成31年4月1日, but the government names it 令和元年度 (the era changed on
#: 2019-05-01, one month in), and so does every city's budget and report from then on.
_FISCAL_ERA_OVERRIDES: dict[int, tuple[str, int]] = {2019: ("令和", 1)}


def fiscal_year_of(d: date) -> int:
    """The fiscal year (Western calendar year of its April 1) containing ``d``.

    ``date(2026, 4, 1)`` → 2026; ``date(2027, 3, 31)`` → 2026.
    """
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_range(year: int) -> tuple[date, date]:
    """First and last day (both inclusive) of fiscal ``year``: 2026 → (2026-04-01, 2027-03-31)."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_year_era(year: int) -> tuple[Era, int]:
    """The era and era year that name fiscal ``year``: 2026 → (令和, 8), 2019 → (令和, 1).

    Rule: the era in force on April 1 of the fiscal year, except FY2019, which is conventionally
    令和元年度 (see ``_FISCAL_ERA_OVERRIDES``). So 2018 → (平成, 30), 1988 → (昭和, 63),
    1989 → (平成, 1). Raises ValidationError for a fiscal year starting before 明治.
    """
    override = _FISCAL_ERA_OVERRIDES.get(year)
    if override is not None:
        name, era_year_number = override
        return era_by_name(name), era_year_number
    first, _last = fiscal_year_range(year)
    era = era_of(first)
    return era, year - era.start.year + 1


def fiscal_year_label(year: int) -> str:
    """The written name of fiscal ``year``: 2026 → "令和8年度", 2019 → "令和元年度"."""
    era, number = fiscal_year_era(year)
    return f"{format_era_year(era.name, number)}度"


def registration_valid_until(d: date) -> date:
    """Last day of validity of a registration made or renewed on ``d``: March 31 ending its
    fiscal year. ``date(2026, 5, 1)`` → 2027-03-31; ``date(2027, 3, 31)`` → 2027-03-31.
    Source: docs/architecture.md §4 (renewal each fiscal year)."""
    return fiscal_year_range(fiscal_year_of(d))[1]
