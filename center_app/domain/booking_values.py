"""Data objects of room booking passed between the services and the UI, CLI and print.

Status codes are stored in ``bookings.status`` (see :mod:`center_app.db.bookings`); their labels
come from the catalog. Every object here is frozen and free of ORM state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from center_app.domain.booking_rules import Fee, Slot
from center_app.domain.documents import BOOKING_LANGUAGES, language_label
from center_app.domain.errors import FieldProblem
from center_app.domain.money import BookingMoney
from center_app.domain.wareki import WAREKI_STYLE, format_day
from center_app.i18n import N_, _


class BookingStatus(StrEnum):
    """State of a booking as stored in ``bookings.status`` (仮予約, 確定, 利用済, 取消, 無断キャンセル)."""

    PROVISIONAL = "provisional"
    CONFIRMED = "confirmed"
    USED = "used"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


STATUSES = tuple(BookingStatus)
#: Statuses of a booking that still occupies its room (everything but 取消).
BLOCKING = (BookingStatus.PROVISIONAL, BookingStatus.CONFIRMED, BookingStatus.USED, BookingStatus.NO_SHOW)
#: Statuses a clerk may still change, move or cancel.
OPEN = (BookingStatus.PROVISIONAL, BookingStatus.CONFIRMED)

_STATUS_LABELS = {
    BookingStatus.PROVISIONAL: N_("Provisional"),
    BookingStatus.CONFIRMED: N_("Confirmed"),
    BookingStatus.USED: N_("Used"),
    BookingStatus.CANCELLED: N_("Cancelled"),
    BookingStatus.NO_SHOW: N_("No-show"),
}

#: Applicant class of registered groups (configured in 設定 → 申請者区分).
REGISTERED_CLASS = "registered"


def status_label(code: str) -> str:
    """The status in the current language (仮予約, 確定, 利用済, 取消, 無断キャンセル)."""
    return _(_STATUS_LABELS.get(code, code))


#: Form fields of :class:`BookingInput` with their labels (errors point at these names).
FIELD_LABELS = {
    "room_id": N_("Room"),
    "day": N_("Date"),
    "slot_names": N_("Time slot"),
    "start_time": N_("Start"),
    "end_time": N_("End"),
    "group_id": N_("Group"),
    "applicant_name": N_("Applicant"),
    "applicant_kana": N_("Reading"),
    "applicant_phone": N_("Phone"),
    "applicant_class": N_("Applicant class"),
    "language": N_("Slip language"),
    "purpose": N_("Purpose"),
    "expected_people": N_("People"),
    "exemption_code": N_("Fee exemption"),
    "status": N_("Status"),
    "closed_override_reason": N_("Reason for opening a closed day"),
    "cancel_reason": N_("Reason for cancelling"),
    "note": N_("Note"),
}


def field_label(name: str) -> str:
    """The label of a form field in the current language."""
    return _(FIELD_LABELS.get(name, name))


@dataclass(frozen=True)
class BookingInput:
    """What a clerk enters for one booking (also one import row, one series template).

    Booked by slot (``slot_names``) or by free times (``start_time``/``end_time`` when no slot is
    given). The applicant is a registered group (``group_id``) or an unregistered applicant
    (``applicant_name``, ``applicant_phone``, ``applicant_class`` code such as ``resident``).
    ``closed_override_reason`` lets an administrator book a closed day, recording why.
    """

    room_id: int | None = None
    day: dt.date | None = None
    slot_names: tuple[str, ...] = ()
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    group_id: int | None = None
    applicant_name: str = ""
    applicant_kana: str = ""
    applicant_phone: str = ""
    applicant_class: str = ""
    language: str = "ja"
    purpose: str = ""
    expected_people: int | str | None = None
    exemption_code: str = ""
    status: str = BookingStatus.CONFIRMED
    closed_override_reason: str = ""
    note: str = ""


@dataclass(frozen=True)
class BookingBrief:
    """The other booking of a conflict, enough to name it: slip, room, applicant, times."""

    id: int
    slip_no: str
    room_name: str
    applicant_name: str
    start: dt.datetime
    end: dt.datetime
    status: str

    def describe(self) -> str:
        """"会議室1 令和8年6月2日（火） 13:00–17:00 白根おはなしの会 (B2026-000012)" (the date as
        :func:`~center_app.domain.wareki.format_day` writes it)."""
        return _("{room} {date} {start}–{end} {applicant} (slip {slip})").format(
            room=self.room_name, date=format_day(self.start.date()), start=f"{self.start:%H:%M}", end=f"{self.end:%H:%M}",
            applicant=self.applicant_name, slip=self.slip_no,
        )


@dataclass(frozen=True)
class BookingView:
    """One booking with everything a form, a list or the slip shows."""

    id: int
    slip_no: str
    facility_id: int
    facility_name: str
    room_id: int
    room_name: str
    room_capacity: int
    start: dt.datetime
    end: dt.datetime
    slot_names: tuple[str, ...]
    slot_units: int
    status: str
    group_id: int | None
    registration_no: str
    applicant_name: str
    applicant_kana: str
    applicant_phone: str
    applicant_class: str
    applicant_class_name: str
    language: str
    purpose: str
    expected_people: int
    attendance: int | None
    checked_in_at: dt.datetime | None
    base_fee: int
    gross_fee: int
    fee: int
    exemption_code: str
    exemption_name: str
    exemption_rate: int
    waived: int
    closed_override_reason: str
    cancel_reason: str
    note: str
    series_id: int | None
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    #: The stored version this view was read at: a change is saved only onto this version.
    version: int = 1
    cancel_reason_code: str = ""
    #: What the ledger says of this booking's fee (None when not read).
    money: BookingMoney | None = None

    @property
    def day(self) -> dt.date:
        """The date of use."""
        return self.start.date()

    @property
    def time_label(self) -> str:
        """"午後 13:00–17:00" or "10:00–11:30"."""
        times = f"{self.start:%H:%M}–{self.end:%H:%M}"
        return f"{'・'.join(self.slot_names)} {times}" if self.slot_names else times

    def to_input(self) -> BookingInput:
        """The values of this booking as a form input (for a change)."""
        return BookingInput(
            room_id=self.room_id, day=self.day, slot_names=self.slot_names,
            start_time=None if self.slot_names else self.start.time(), end_time=None if self.slot_names else self.end.time(),
            group_id=self.group_id, applicant_name=self.applicant_name, applicant_kana=self.applicant_kana,
            applicant_phone=self.applicant_phone, applicant_class=self.applicant_class, language=self.language,
            purpose=self.purpose, expected_people=self.expected_people, exemption_code=self.exemption_code,
            status=self.status if self.status in OPEN else BookingStatus.CONFIRMED, closed_override_reason=self.closed_override_reason, note=self.note,
        )


@dataclass(frozen=True)
class BookingCell:
    """A booking as the calendar draws it (only what a cell and its tooltip need)."""

    id: int
    room_id: int
    room_name: str
    start: dt.datetime
    end: dt.datetime
    status: str
    applicant_name: str
    purpose: str
    slot_names: tuple[str, ...]
    expected_people: int
    attendance: int | None
    checked_in: bool
    fee: int
    slip_no: str


@dataclass(frozen=True)
class Refusal:
    """Why a booking cannot be saved as entered: the form ``field`` to point at, the message,
    and the error to raise (ConflictError, ClosedDayError, RuleError, PermissionDenied)."""

    field: str
    error: Exception

    @property
    def message(self) -> str:
        return str(self.error)


@dataclass(frozen=True)
class BookingQuote:
    """Live feedback of the booking dialog: the interval and fee of what is typed, the field
    problems, every refusal (conflict naming the other booking, closed day, rule), the
    warnings that do not stop saving (an applicant's name documents cannot print) and neutral
    notes (a kept booking of a group that cannot book now)."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    fee: Fee | None = None
    slot_units: int = 0
    applicant_class: str = ""
    problems: tuple[FieldProblem, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    conflict: BookingBrief | None = None
    closed_reason: str = ""
    #: texts documents cannot print (a character no bundled font has): saved as typed, warned only
    warnings: tuple[FieldProblem, ...] = ()
    #: facts the clerk should know that refuse nothing (「この団体は休止中です。…」)
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the booking can be saved as entered."""
        return not self.problems and not self.refusals


@dataclass(frozen=True)
class RoomInfo:
    """A bookable room of a facility."""

    id: int
    code: str
    name: str
    capacity: int
    hourly_fee: int | None
    slot_fees: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class CalendarFrame:
    """What the calendar of one facility needs besides the bookings: opening hours, rooms
    (display order) and named slots."""

    facility_id: int
    facility_name: str
    opening: dt.time
    closing: dt.time
    rooms: tuple[RoomInfo, ...]
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Choice:
    """A code and its label for a picker (applicant classes, exemptions)."""

    code: str
    name: str
    value: int = 0  # multiplier or rate in percent


@dataclass(frozen=True)
class BookingChoices:
    """Pickers of the booking dialog: applicant classes (with multiplier) and exemptions (rate)."""

    classes: tuple[Choice, ...]
    exemptions: tuple[Choice, ...]
    languages: tuple[Choice, ...] = field(default_factory=lambda: tuple(Choice(c, language_label(c)) for c in BOOKING_LANGUAGES))


@dataclass(frozen=True)
class SlipHeader:
    """Who issues a booking slip: the center (設定 ``center_name``), the head's title, and the
    facility's address and phone; the conditions of use of 設定 (every room, then the room's own)
    and the payment deadline of the booking (None when nothing is due)."""

    center_name: str
    head_title: str
    facility_address: str = ""
    facility_phone: str = ""
    conditions: tuple[str, ...] = ()
    payment_deadline: dt.date | None = None
    receipt_numbers: tuple[str, ...] = ()
    date_style: str = WAREKI_STYLE  #: the center's date style (設定 → センター), for the Japanese slip
