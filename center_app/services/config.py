"""設定: list and save rows of the configuration tables (admin only, every change audited).

Rows are never deleted; tables with an ``active`` column are switched off instead, so history
that points at a room or a slot stays readable. Saving a row locks it first; a row changed since
the form was opened (``expected_version``) is refused with StaleEditError
(:mod:`center_app.services.editing`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from center_app.db.models import ApplicantClass, Facility, Room, TimeSlot
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.normalize import check_date_range
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.domain.center_settings import LOTTERY_ENTRY_FIRST_DAY, LOTTERY_ENTRY_LAST_DAY
from center_app.services import audit, center_settings
from center_app.services.config_spec import TABLES, ColumnSpec, TableSpec
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit

_MONTH_DAY = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class ConfigRow:
    """One row of a configuration table: ``values`` maps column name to a typed value;
    ``version`` is the stored version it was read at."""

    id: int
    values: dict[str, Any]
    version: int = 1


@dataclass(frozen=True)
class Choice:
    """An id and the label shown for it (a facility, a room with its facility, …)."""

    id: int
    label: str


def _spec(key: str) -> TableSpec:
    try:
        return TABLES[key]
    except KeyError:
        raise ValueError(f"unknown configuration table {key!r}") from None


def _row(spec: TableSpec, obj: Any) -> ConfigRow:
    return ConfigRow(obj.id, {c.name: getattr(obj, c.name) for c in spec.columns}, obj.version)


def list_rows(ctx: ServiceContext, key: str) -> list[ConfigRow]:
    """Every row of configuration table ``key`` (see :data:`TABLES`), in display order."""
    ctx.require(Role.ADMIN)
    spec = _spec(key)
    with ctx.db.read() as session:
        order = [getattr(spec.model, name) for name in spec.order_by]
        return [_row(spec, obj) for obj in session.scalars(select(spec.model).order_by(*order))]


def reference_choices(ctx: ServiceContext, ref: str) -> list[Choice]:
    """Choices for a ``ref`` column: 'facility', 'room' (with facility), 'time_slot' (with facility)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        if ref == "facility":
            return [Choice(f.id, f.name) for f in session.scalars(select(Facility).order_by(Facility.sort_order, Facility.id))]
        if ref == "room":
            rows = session.execute(
                select(Room.id, Room.name, Facility.name).join(Facility).order_by(Facility.sort_order, Room.sort_order, Room.id)
            )
            return [Choice(i, f"{fname} {rname}") for i, rname, fname in rows]
        if ref == "time_slot":
            rows = session.execute(
                select(TimeSlot.id, TimeSlot.name, Facility.name).join(Facility).order_by(Facility.sort_order, TimeSlot.sort_order)
            )
            return [Choice(i, f"{fname} {sname}") for i, sname, fname in rows]
    raise ValueError(f"unknown reference {ref!r}")


def parse_value(column: ColumnSpec, raw: Any) -> Any:
    """Convert what was typed into the column's type. Raises :class:`ValidationError` naming the column."""
    label = _(column.label)

    def fail(message: str) -> ValidationError:
        return ValidationError([FieldProblem(column.name, message)])

    if column.kind == "bool":
        return bool(raw)
    if column.kind == "lines":  # kept as typed: each line trimmed, empty lines dropped
        text = "\n".join(line.strip() for line in str(raw or "").splitlines() if line.strip())
        if column.max_length and len(text) > column.max_length:
            raise fail(_("{field}: at most {n} characters.").format(field=label, n=column.max_length))
        if not text and column.required:
            raise fail(_("{field}: enter a value.").format(field=label))
        return text
    text = str(raw).strip() if raw is not None else ""
    if column.kind != "text":  # names are stored as typed; numbers and times may be typed full-width
        text = unicodedata.normalize("NFKC", text)
    if text == "":
        if column.required:
            raise fail(_("{field}: enter a value.").format(field=label))
        return "" if column.kind == "text" else None
    if column.kind == "text":
        if column.max_length and len(text) > column.max_length:
            raise fail(_("{field}: at most {n} characters.").format(field=label, n=column.max_length))
        return text
    if column.kind in ("int", "yen", "percent", "ref", "weekday"):
        try:
            value = int(text.replace(",", "").removesuffix("円").removesuffix("%"))
        except ValueError:
            raise fail(_("{field}: enter a whole number.").format(field=label)) from None
        low = column.minimum if column.minimum is not None else 0
        high = column.maximum
        if column.kind == "weekday":
            low, high = 0, 6
        if value < low or (high is not None and value > high):
            if high is None:
                raise fail(_("{field}: enter {low} or more.").format(field=label, low=low))
            raise fail(_("{field}: enter a number from {low} to {high}.").format(field=label, low=low, high=high))
        return value
    if column.kind == "time":
        match = _TIME.match(text)
        if not match or int(match[1]) > 24 or int(match[2]) > 59:
            raise fail(_("{field}: enter a time such as 09:00.").format(field=label))
        hour, minute = int(match[1]), int(match[2])
        return dt.time(23, 59) if hour == 24 else dt.time(hour, minute)
    if column.kind == "month_day":
        match = _MONTH_DAY.match(text.replace("/", "-"))
        try:
            if not match:
                raise ValueError
            dt.date(2000, int(match[1]), int(match[2]))  # 2000 is a leap year: 02-29 is allowed
        except ValueError:
            raise fail(_("{field}: enter a month and day such as 12-29.").format(field=label)) from None
        return f"{int(match[1]):02d}-{int(match[2]):02d}"
    if column.kind == "date":
        try:
            return check_date_range(dt.date.fromisoformat(text.replace("/", "-")), field=column.name)
        except ValueError:
            raise fail(_("{field}: enter a date such as 2026-12-29.").format(field=label)) from None
    if column.kind == "choice":
        if text not in column.choices:
            raise fail(_("{field}: choose one of the listed values.").format(field=label))
        return text
    raise ValueError(f"unknown column kind {column.kind!r}")


def _lottery_window_checks(values: dict[str, Any], session) -> list[FieldProblem]:
    """A facility's last day of lottery entries is not before its first (either may fall back to
    the center-wide value of 設定)."""
    first, last = values.get("lottery_entry_first_day"), values.get("lottery_entry_last_day")
    if first is None and last is None:
        return []
    if (first is None or last is None) and session is not None:
        rules = center_settings.get_many(session, (LOTTERY_ENTRY_FIRST_DAY, LOTTERY_ENTRY_LAST_DAY))
        first = rules[LOTTERY_ENTRY_FIRST_DAY.key] if first is None else first
        last = rules[LOTTERY_ENTRY_LAST_DAY.key] if last is None else last
    if first is not None and last is not None and last < first:
        return [FieldProblem("lottery_entry_last_day", _("The last day of lottery entries ({last}) is before the first day ({first}).").format(
            last=last, first=first))]
    return []


def _cross_checks(key: str, values: dict[str, Any], session=None) -> list[FieldProblem]:
    problems = []
    if key == "time_slot" and session is not None and values.get("facility_id") is not None:
        facility = session.get(Facility, values["facility_id"])
        if facility is not None and values["start_time"] < values["end_time"] and (
            values["start_time"] < facility.opening_time or values["end_time"] > facility.closing_time
        ):
            problems.append(FieldProblem("start_time", _("The slot must lie within the facility's opening hours ({opening}–{closing}).").format(
                opening=f"{facility.opening_time:%H:%M}", closing=f"{facility.closing_time:%H:%M}")))
    if key == "facility" and values["opening_time"] >= values["closing_time"]:
        problems.append(FieldProblem("closing_time", _("Closing time must be after opening time.")))
    if key == "facility":
        problems += _lottery_window_checks(values, session)
    if key == "time_slot" and values["start_time"] >= values["end_time"]:
        problems.append(FieldProblem("end_time", _("The slot must end after it starts.")))
    if key == "equipment_item":
        problems += _equipment_checks(values, session)
    if key == "closed_day":
        kind = values["kind"]
        if kind == "weekly" and values["weekday"] is None:
            problems.append(FieldProblem("weekday", _("A weekly closed day needs a weekday.")))
        if kind == "range" and (not values["from_md"] or not values["to_md"]):
            problems.append(FieldProblem("from_md", _("A yearly range needs both its first and last day.")))
        if kind == "date" and values["on_date"] is None:
            problems.append(FieldProblem("on_date", _("A one-day rule needs its date.")))
    return problems


def _equipment_checks(values: dict[str, Any], session) -> list[FieldProblem]:
    """An item's 「貸出対象」 and 「申込受付」 name known applicant classes, the windows as class=days."""
    from center_app.domain.equipment import parse_classes, parse_windows

    problems = []
    codes = set(parse_classes(values.get("classes") or ""))
    try:
        codes |= set(parse_windows(values.get("window_days") or ""))
    except ValueError as exc:
        problems.append(FieldProblem("window_days", str(exc)))
    known = set(session.scalars(select(ApplicantClass.code))) if session is not None else codes
    if codes - known:
        problems.append(FieldProblem("classes", _("Unknown applicant class {code}.").format(code="、".join(sorted(codes - known)))))
    return problems


def save_row(ctx: ServiceContext, key: str, row_id: int | None, raw: dict[str, Any], *, expected_version: int | None = None) -> ConfigRow:
    """Create (``row_id`` None) or update a row from the values typed in 設定.

    Every column of ``raw`` is checked; all problems are raised together as one
    :class:`ValidationError`, and nothing is written. The change is audited. An update locks the
    row first and is refused with StaleEditError when ``expected_version`` is given and the row
    changed since.
    """
    user = ctx.require(Role.ADMIN)
    spec = _spec(key)
    problems: list[FieldProblem] = []
    values: dict[str, Any] = {}
    for column in spec.columns:
        if column.name not in raw and row_id is not None:
            continue
        try:
            values[column.name] = parse_value(column, raw.get(column.name))
        except ValidationError as exc:
            problems += exc.problems
    with ctx.db.write() as session:
        if row_id is None:
            obj = spec.model()
        else:
            obj = lock_for_edit(session, spec.model, row_id, entity=key, missing=_("This row no longer exists. Reload the list."),
                                expected_version=expected_version)
        merged = {c.name: values.get(c.name, getattr(obj, c.name, None)) for c in spec.columns}
        if not problems:
            problems += _cross_checks(key, merged, session)
        if spec.unique and not problems:
            query = select(spec.model).where(*[getattr(spec.model, n) == merged[n] for n in spec.unique])
            clash = session.scalars(query).first()
            if clash is not None and clash.id != row_id:
                problems.append(FieldProblem(spec.unique[-1], _("This value is already used by another row.")))
        if problems:
            raise ValidationError(problems)
        before = {} if row_id is None else {c.name: getattr(obj, c.name) for c in spec.columns}
        for name, value in values.items():
            setattr(obj, name, value)
        if row_id is None:
            session.add(obj)
        session.flush()
        old, new = audit.changes(before, merged)
        audit.record(session, user, key, obj.id, "create" if row_id is None else "update", old or None, new)
        return _row(spec, obj)
