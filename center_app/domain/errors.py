"""The few exceptions that cross layers (docs/architecture.md §3).

Each carries a message a clerk can act on (already translated through the catalog) and the data
the UI needs to point at the problem. The CLI prints them and exits 1 (3 for PermissionDenied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from center_app.i18n import _


class CenterError(Exception):
    """Base of every error a user may see; ``str(error)`` is the translated message."""

    exit_status = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldProblem:
    """One invalid value: ``field`` is the model attribute (or import column), ``message`` the text."""

    field: str
    message: str
    row: int | None = None  # spreadsheet row of an import (header = row 1), None for a form


class ValidationError(CenterError):
    """One or more invalid values. ``problems`` lists every one (a whole form or import row)."""

    def __init__(self, problems: list[FieldProblem] | FieldProblem | str, field_name: str = ""):
        if isinstance(problems, str):
            problems = [FieldProblem(field_name, problems)]
        elif isinstance(problems, FieldProblem):
            problems = [problems]
        self.problems: list[FieldProblem] = list(problems)
        super().__init__("\n".join(p.message for p in self.problems))

    def for_field(self, field_name: str) -> list[str]:
        """The messages about ``field_name``."""
        return [p.message for p in self.problems if p.field == field_name]


class ConflictError(CenterError):
    """The requested interval overlaps another booking; ``other`` describes it for the UI."""

    def __init__(self, message: str, other: object | None = None):
        super().__init__(message)
        self.other = other


class StaleEditError(ConflictError):
    """The record was changed on another PC (or in another window) after the form was opened:
    saving would overwrite that change, so nothing is written. ``changed_by`` and ``changed_at``
    (local time) name the change when the audit log knows it; ``current_version`` is the version
    stored now. The form keeps what was typed and offers to open the record again."""

    def __init__(self, changed_by: str = "", changed_at: dt.datetime | None = None, current_version: int | None = None):
        if changed_by and changed_at is not None:
            message = _("Changed on another PC. Open it again. ({name} changed it on {time}.)").format(
                name=changed_by, time=f"{changed_at:%Y/%m/%d %H:%M:%S}")
        else:
            message = _("Changed on another PC. Open it again.")
        super().__init__(message)
        self.changed_by, self.changed_at, self.current_version = changed_by, changed_at, current_version


class ClosedDayError(CenterError):
    """The facility is closed on the date; ``reason`` is 休館日, 年末年始, a holiday's name, …"""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class RuleCode(StrEnum):
    """Which rule refused an action (``RuleError.rule``); the value each carries is noted."""

    PAST = "past"  #: the date has passed (value: the date)
    HORIZON = "horizon"  #: beyond the booking horizon of the applicant class (value: the last day)
    REGISTRATION = "registration"  #: the group's registration is not in force (value: its status)
    CAPACITY = "capacity"  #: more people than the room holds (value: the capacity)
    MONTHLY_CAP = "monthly_cap"  #: the group's slots of the month would exceed the cap (value: the cap)
    NOT_YET = "not_yet"  #: attendance before the day of use (value: that day)
    STATUS = "status"  #: the record's status forbids the action (value: the status)
    FUTURE_BOOKINGS = "future_bookings"  #: withdrawal with open bookings (value: their descriptions)
    CERTIFICATE_STATUS = "certificate_status"  #: no certificate for this group's status (value: the status)
    SERIES_OVERLAP = "series_overlap"  #: two dates of one series overlap (value: the pair)
    SERIES_UNRESOLVED = "series_unresolved"  #: dates of a series refused and not skipped (value: them)
    SERIES_EMPTY = "series_empty"  #: every date of a series was skipped
    LAST_ADMIN = "last_admin"  #: the last active administrator cannot be removed
    POSTGRESQL = "postgresql"  #: a file backup asked of a PostgreSQL database
    DEMO_ON_EMPTY = "demo_on_empty"  #: demo data only goes into an empty database
    DAY_CLOSED = "day_closed"  #: the day's cash is closed (value: the day)
    REFUND_RULE = "refund_rule"  #: the cancellation rule refunds nothing (value: the amount)
    TIME_OUTSIDE_SLOTS = "time_outside_slots"  #: booked times outside every 区分, refused by 設定 (value: the gaps)


class RuleError(CenterError):
    """A configured rule refuses the action (horizon, cap, capacity): ``rule`` (a
    :class:`RuleCode`) and its ``value``."""

    def __init__(self, message: str, rule: RuleCode, value: object = None):
        super().__init__(message)
        self.rule = rule
        self.value = value


def describe_character(unit: str) -> str:
    """A character as a clerk can recognise it, with its code point: 「𠮷」(U+20BB7); a kanji with
    a variation selector (an invisible character) is named as one: 「葛 + 異体字セレクタ U+E0100」."""
    if len(unit) == 2 and (0xFE00 <= ord(unit[1]) <= 0xFE0F or 0xE0100 <= ord(unit[1]) <= 0xE01EF):
        return _("「{char} + variation selector U+{selector}」(U+{code})").format(
            char=unit[0], selector=f"{ord(unit[1]):04X}", code=f"{ord(unit[0]):04X}")
    return "".join(f"「{c}」(U+{ord(c):04X})" for c in unit)


class MissingGlyphError(ValidationError):
    """Text contains characters no bundled font can draw. ``characters`` lists them (a kanji
    with its variation selector as one string); the message names each with its code point
    (「𠮷」(U+20BB7), 「葛 + 異体字セレクタ U+E0100」(U+845B)). ``font`` is the document font
    (the chain) that was asked."""

    def __init__(self, characters: list[str], font: str, field_name: str = ""):
        self.characters = characters
        self.font = font
        shown = "、".join(describe_character(c) for c in characters)
        super().__init__([FieldProblem(field_name, _("No bundled font can print {chars}. Please write the text without them.").format(chars=shown))])


class PermissionDenied(CenterError):
    """The signed-in role may not do this; ``required_role`` names the role that may."""

    exit_status = 3

    def __init__(self, message: str, required_role: str = ""):
        super().__init__(message)
        self.required_role = required_role


class SessionEnded(CenterError):
    """The signed-in session no longer holds: the account was disabled, its role changed or its
    password was reset since it signed in. Nothing was done; the app goes back to sign-in (the
    command line exits 3)."""

    exit_status = 3


class AuthenticationFailed(CenterError):
    """Sign-in refused. The message never tells whether the user exists."""


class DatabaseUnavailable(CenterError):
    """The database cannot be used: unreachable, unreadable, not a database, or a newer schema.

    ``path`` names the file or URL (without password) so the message can point at it.
    """

    def __init__(self, message: str, path: str = ""):
        super().__init__(message)
        self.path = path


class Cancelled(Exception):
    """A long action (an import, a renewal of many groups) was stopped by the user through its
    progress callback midway; its transaction was rolled back, so nothing was written."""


@dataclass(frozen=True)
class ImportReport:
    """Result of a validated import: counts of rows created and updated."""

    created: int = 0
    updated: int = 0
    problems: list[FieldProblem] = field(default_factory=list)
