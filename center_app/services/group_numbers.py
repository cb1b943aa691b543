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
