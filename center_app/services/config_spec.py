"""What 設定 edits: for each configuration table, its columns, their kinds and their checks.

The settings screen is generic over these specs, so a column added here appears there with its
validation. Labels are English message ids, translated where shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from center_app.db.equipment import EquipmentItem
from center_app.db.models import ApplicantClass, ClosedDayRule, Facility, FeeExemption, FeeTable, Room, TimeSlot
from center_app.db.money import CancellationReason
from center_app.i18n import N_


@dataclass(frozen=True)
class ColumnSpec:
    """One editable column.

    ``kind``: text, lines (a text of several lines, kept as typed), int (``minimum``/``maximum``),
    yen, percent, time (HH:MM), date, bool, weekday (Mon=0), month_day (MM-DD), or ref (``ref``
    names another table's key: facility, room, time_slot). ``required`` refuses an empty value.
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    ref: str | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One configuration table of 設定: its key, model, title and columns (in display order)."""

    key: str
    title: str
    model: type
    columns: tuple[ColumnSpec, ...]
    unique: tuple[str, ...] = ()
    has_active: bool = True
    order_by: tuple[str, ...] = ("sort_order", "id")


TABLES: dict[str, TableSpec] = {
    spec.key: spec
    for spec in (
        TableSpec(
            "facility", N_("Facilities"), Facility,
            (
                ColumnSpec("code", N_("Code"), max_length=20),
                ColumnSpec("name", N_("Name"), max_length=100),
                ColumnSpec("is_main", N_("Main center"), "bool"),
                ColumnSpec("opening_time", N_("Opens"), "time"),
                ColumnSpec("closing_time", N_("Closes"), "time"),
                ColumnSpec("address", N_("Address"), required=False, max_length=200),
                ColumnSpec("phone", N_("Phone"), required=False, max_length=20),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
                ColumnSpec("own_receipt_series", N_("Own cash and receipt numbers"), "bool"),
                ColumnSpec("lottery_months_ahead", N_("Lottery: months ahead (empty: center-wide)"), "int", required=False,
                           minimum=1, maximum=24),
                ColumnSpec("lottery_entry_first_day", N_("Lottery: first day of entries (empty: center-wide)"), "int", required=False,
                           minimum=1, maximum=28),
                ColumnSpec("lottery_entry_last_day", N_("Lottery: last day of entries (empty: center-wide)"), "int", required=False,
                           minimum=1, maximum=28),
                ColumnSpec("lottery_entries_per_group", N_("Lottery: entries per group (empty: center-wide)"), "int", required=False,
                           minimum=1, maximum=99),
            ),
            unique=("code",),
        ),
        TableSpec(
            "room", N_("Rooms"), Room,
            (
                ColumnSpec("facility_id", N_("Facility"), "ref", ref="facility"),
                ColumnSpec("code", N_("Code"), max_length=20),
                ColumnSpec("name", N_("Name"), max_length=100),
                ColumnSpec("capacity", N_("Capacity (people)"), "int", minimum=1, maximum=10000),
                ColumnSpec("fee_per_hour_yen", N_("Fee per hour (yen)"), "yen", required=False),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
                ColumnSpec("conditions", N_("Conditions of use (one a line)"), "lines", required=False, max_length=1000),
            ),
            unique=("facility_id", "code"),
            order_by=("facility_id", "sort_order", "id"),
        ),
        TableSpec(
            "time_slot", N_("Time slots"), TimeSlot,
            (
                ColumnSpec("facility_id", N_("Facility"), "ref", ref="facility"),
                ColumnSpec("name", N_("Name"), max_length=20),
                ColumnSpec("start_time", N_("Starts"), "time"),
                ColumnSpec("end_time", N_("Ends"), "time"),
                ColumnSpec("is_all_day", N_("All day"), "bool"),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
            ),
            unique=("facility_id", "name"),
            order_by=("facility_id", "sort_order", "id"),
        ),
        TableSpec(
            "fee", N_("Fees"), FeeTable,
            (
                ColumnSpec("room_id", N_("Room"), "ref", ref="room"),
                ColumnSpec("time_slot_id", N_("Time slot"), "ref", ref="time_slot"),
                ColumnSpec("fee_yen", N_("Fee (yen)"), "yen"),
            ),
            unique=("room_id", "time_slot_id"),
            has_active=False,
            order_by=("room_id", "time_slot_id"),
        ),
        TableSpec(
            "exemption", N_("Exemptions"), FeeExemption,
            (
                ColumnSpec("code", N_("Code"), max_length=30),
                ColumnSpec("name", N_("Reason"), max_length=100),
                ColumnSpec("rate_percent", N_("Waived (%)"), "percent", minimum=1, maximum=100),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
            ),
            unique=("code",),
        ),
        TableSpec(
            "applicant_class", N_("Applicant classes"), ApplicantClass,
            (
                ColumnSpec("code", N_("Code"), max_length=30),
                ColumnSpec("name", N_("Name"), max_length=100),
                ColumnSpec("fee_multiplier_percent", N_("Fee rate (%)"), "percent", minimum=0, maximum=1000),
                ColumnSpec("booking_horizon_months", N_("Booking horizon (months)"), "int", minimum=0, maximum=24),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
            ),
            unique=("code",),
        ),
        TableSpec(
            "cancellation_reason", N_("Cancellation reasons"), CancellationReason,
            (
                ColumnSpec("code", N_("Code"), max_length=30),
                ColumnSpec("name", N_("Reason"), max_length=100),
                ColumnSpec("refund_percent", N_("Refund (%)"), "percent", minimum=0, maximum=100),
                ColumnSpec("min_days_before", N_("Refund only when cancelled at least (days before use)"), "int", required=False,
                           minimum=0, maximum=365),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
            ),
            unique=("code",),
        ),
        TableSpec(
            "equipment_item", N_("Equipment"), EquipmentItem,
            (
                ColumnSpec("facility_id", N_("Facility"), "ref", ref="facility"),
                ColumnSpec("code", N_("Code"), max_length=30),
                ColumnSpec("name", N_("Name"), max_length=100),
                ColumnSpec("quantity", N_("Quantity"), "int", minimum=0, maximum=9999),
                ColumnSpec("unit_minutes", N_("Fee unit (minutes)"), "int", minimum=1, maximum=1440),
                ColumnSpec("fee_per_unit_yen", N_("Fee per unit (yen)"), "yen"),
                ColumnSpec("fee_per_day_yen", N_("Fee per day (yen)"), "yen"),
                ColumnSpec("max_days", N_("Longest loan (days)"), "int", minimum=1, maximum=366),
                ColumnSpec("classes", N_("Lent to (class codes; empty = everyone)"), required=False, max_length=200),
                ColumnSpec("window_days", N_("Application window (class=days)"), required=False, max_length=200),
                ColumnSpec("sort_order", N_("Order"), "int", minimum=0, maximum=9999),
                ColumnSpec("active", N_("In use"), "bool"),
            ),
            unique=("facility_id", "code"),
            order_by=("facility_id", "sort_order", "id"),
        ),
        TableSpec(
            "closed_day", N_("Closed days"), ClosedDayRule,
            (
                ColumnSpec("facility_id", N_("Facility"), "ref", ref="facility"),
                ColumnSpec("kind", N_("Kind"), "choice", choices=("weekly", "range", "date", "holidays")),
                ColumnSpec("weekday", N_("Weekday"), "weekday", required=False),
                ColumnSpec("holiday_shift", N_("Open on holidays, close next working day"), "bool"),
                ColumnSpec("from_md", N_("From (MM-DD)"), "month_day", required=False),
                ColumnSpec("to_md", N_("To (MM-DD)"), "month_day", required=False),
                ColumnSpec("on_date", N_("Date"), "date", required=False),
                ColumnSpec("closes", N_("Closed"), "bool"),
                ColumnSpec("name", N_("Name or reason"), required=False, max_length=100),
                ColumnSpec("active", N_("In use"), "bool"),
            ),
            order_by=("facility_id", "id"),
        ),
    )
}

#: Labels of the ``kind`` choices of closed-day rules.
CLOSED_DAY_KINDS = {
    "weekly": N_("Every week"),
    "range": N_("Every year, date range"),
    "date": N_("One date"),
    "holidays": N_("National holidays"),
}
WEEKDAY_NAMES = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
