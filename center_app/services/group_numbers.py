"""登録番号 assignment: the configured pattern, the next serial of a fiscal year, race-safe.

Used by registration, approval of an application and import (see :mod:`.groups`, :mod:`.groups_io`).
"""

from __future__ import annotations

import datetime as dt
import re
import string

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_app.db.groups import Group
from center_app.domain.center_settings import REGISTRATION_NO_PATTERN
from center_app.domain.fiscal import fiscal_year_era, fiscal_year_of
from center_app.domain.registration_no import format_registration_no
from center_app.services import center_settings
from center_app.services.editing import lock_name
from center_app.services.group_values import refresh_search


def registration_pattern(session: Session, *, for_update: bool = False) -> str:
    """The configured number pattern (設定 ``registration_no_pattern``), else the default.
    ValidationError naming the setting when the stored pattern is not valid."""
    return center_settings.get(session, REGISTRATION_NO_PATTERN, for_update=for_update)


def parse_serial(number: str, fiscal_year: int, pattern: str) -> int | None:
    """The serial of ``number`` if it has ``pattern``'s form for ``fiscal_year``, else None."""
    era, era_year = fiscal_year_era(fiscal_year)
    values = {"era_letter": era.letter, "era_name": era.name, "era_year": era_year, "fiscal_year": fiscal_year}
    regex = ""
    for literal, name, spec, _conv in string.Formatter().parse(pattern):
        regex += re.escape(literal)
        if name == "serial":
            regex += r"(\d+)"
        elif name is not None:
            regex += re.escape(format(values[name], spec or ""))
    found = re.fullmatch(regex, number)
    return int(found.group(1)) if found else None


def assign_registration_no(session: Session, group: Group, on: dt.date) -> None:
    """Give ``group`` the next number of the fiscal year of ``on`` (max serial + 1, skipping
    numbers taken in another pattern). Call inside a write transaction: on SQLite it holds the
    write lock (BEGIN IMMEDIATE); on PostgreSQL the pattern row is locked FOR UPDATE first, so two
    PCs never get the same serial."""
    lock_name(session, "registration_no")  # also when the pattern's row is missing
    pattern = registration_pattern(session, for_update=True)
    year = fiscal_year_of(on)
    serial = (session.scalar(select(func.max(Group.registration_serial)).where(Group.registration_fiscal_year == year)) or 0) + 1
    while True:
        number = format_registration_no(on, serial, pattern)
        if session.scalar(select(func.count(Group.id)).where(Group.registration_no == number)) == 0:
            break
        serial += 1
    group.registration_no, group.registration_fiscal_year, group.registration_serial = number, year, serial
    refresh_search(group)


class NumberAllocator:
    """Numbers for many new groups of one transaction (an import), by the rule of
    :func:`assign_registration_no` — max serial of the fiscal year + 1, skipping numbers taken in
    another pattern — with the taken numbers and serials read once instead of once a group. Make
    it inside the write transaction (it locks the pattern row on PostgreSQL, like a single
    assignment)."""

    def __init__(self, session: Session):
        lock_name(session, "registration_no")  # the same lock as one registration
        self.pattern = registration_pattern(session, for_update=True)
        self._numbers = set(session.scalars(select(Group.registration_no).where(Group.registration_no.is_not(None))))
        self._serials: set[tuple[int, int]] = set()
        self._max: dict[int, int] = {}
        rows = session.execute(
            select(Group.registration_fiscal_year, Group.registration_serial).where(Group.registration_serial.is_not(None))
        )
        for year, serial in rows:
            self._record(year, serial)

    def _record(self, year: int, serial: int) -> None:
        self._serials.add((year, serial))
        self._max[year] = max(self._max.get(year, 0), serial)

    def take(self, number: str, year: int, serial: int | None) -> bool:
        """Note the number ``number`` a group brings (serial ``serial`` of ``year`` when it has the
        pattern's form). True when that serial was free, so the group keeps it."""
        self._numbers.add(number)
        if serial is None or (year, serial) in self._serials:
            return False
        self._record(year, serial)
        return True

    def next(self, on: dt.date) -> tuple[str, int, int]:
        """(number, fiscal year, serial) for a group registered ``on``."""
        year = fiscal_year_of(on)
        serial = self._max.get(year, 0) + 1
        while (number := format_registration_no(on, serial, self.pattern)) in self._numbers:
            serial += 1
        self._numbers.add(number)
        self._record(year, serial)
        return number, year, serial
