"""The figures of lockers, visitors and the lottery in the monthly and fiscal-year reports
(:class:`center_app.domain.statistics_values.Summary.services`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class LockerOccupancy:
    """Units of one kind (its name) and how many are allocated on the period's last day."""

    kind: str
    allocated: int
    units: int

    @property
    def rate(self) -> float | None:
        """Allocated ÷ units (None without units)."""
        return self.allocated / self.units if self.units else None


@dataclass(frozen=True)
class VisitorDay:
    """The visitors of one day, per purpose (in the order of ``ServiceFigures.purposes``)."""

    day: dt.date
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        """Every visitor of the day."""
        return sum(self.counts)


@dataclass(frozen=True)
class LotteryMonth:
    """A lottery month (``YYYY-MM``) whose days fall in the period: entries (not withdrawn) and winners."""

    month: str
    entries: int
    winners: int


@dataclass(frozen=True)
class ServiceFigures:
    """Lockers (occupancy by kind), visitors (``purposes`` and one :class:`VisitorDay` per day
    with visitors) and the lottery (entries and winners per lottery month) of a period."""

    lockers: tuple[LockerOccupancy, ...]
    purposes: tuple[str, ...]
    visitor_days: tuple[VisitorDay, ...]
    lottery: tuple[LotteryMonth, ...]

    @property
    def visitors(self) -> int:
        """Every visitor of the period."""
        return sum(d.total for d in self.visitor_days)

    def visitors_of(self, purpose: str) -> int:
        """The visitors of ``purpose`` in the period."""
        index = self.purposes.index(purpose)
        return sum(d.counts[index] for d in self.visitor_days)
