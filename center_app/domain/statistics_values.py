"""Data objects of the usage statistics (利用状況): the period, and the frozen figures the summary
service returns to the 集計 screen, the exports and the CLI. No database access here.

Definitions (the same on screen, in every export and in the tests):

- a booking *counts* when it is not cancelled (仮予約, 確定, 利用済 and 無断キャンセル all held the
  room); it is counted in the month its ``start_at`` falls in;
- **実績** (used) are counted bookings whose day of use is before the day the summary is made;
  **予定** (planned) are the others (today and later): they are counted apart and never as use
  or income;
- 利用コマ数 (slots used) = the sum of ``Booking.slot_units`` of 実績 bookings (全日 = 3);
- 利用可能コマ数 (available slots) = open days of the room's facility × the facility's active named
  slots (午前, 午後, 夜間; 全日 is not a slot of its own);
- 稼働率 (occupancy) = slots used ÷ available slots (None when nothing was available);
- 利用人数 (attendance) = the sum of the recorded attendance of 実績 bookings;
- 調定額（実績） (fees) = ``fee_yen`` (to pay, after 減免) of 実績 bookings; 減免額 = their
  ``waived_yen``;
- 収入済額 (income) = money of the ledger only: payments (not voided) received in the period for
  the room's bookings, less refunds paid in the period — never a booking's fee;
- 予定件数 / 予定コマ数 = planned bookings and their slots;
- 取消 = bookings with status ``cancelled``; 無断キャンセル = status ``no_show`` (also counted above).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from center_app.domain.errors import ValidationError
from center_app.domain.figures import sum_fields
from center_app.domain.fiscal import fiscal_year_label, fiscal_year_of, fiscal_year_range
from center_app.domain.service_figures import ServiceFigures
from center_app.domain.wareki import WESTERN_STYLE, date_style, era_year, format_era_year, format_month
from center_app.i18n import _, current_language

MONTH = "month"
FISCAL_YEAR = "fiscal_year"


def _month_last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Period:
    """A month or a fiscal year (April–March). ``first``/``last`` are inclusive dates;
    ``months`` lists the (year, month) pairs in order. Build with :meth:`of_month` or
    :meth:`of_fiscal_year`."""

    kind: str
    year: int  # calendar year of a month; the fiscal year (year of its April) of a 年度
    month: int | None
    first: dt.date
    last: dt.date
    months: tuple[tuple[int, int], ...]

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        """The calendar month ``year``-``month``."""
        first = dt.date(year, month, 1)
        return cls(MONTH, year, month, first, _month_last_day(year, month), ((year, month),))

    @classmethod
    def of_fiscal_year(cls, year: int) -> Period:
        """年度 ``year``: 2026 → 2026-04-01 … 2027-03-31 (令和8年度)."""
        first, last = fiscal_year_range(year)
        months = tuple((year + (m < 4), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))
        return cls(FISCAL_YEAR, year, None, first, last, months)

    @property
    def fiscal_year(self) -> int:
        """The fiscal year the period lies in."""
        return fiscal_year_of(self.first)

    @property
    def label(self) -> str:
        """令和8年10月分 for a month, 令和8年度 for a fiscal year (和暦, as the city's forms)."""
        if self.kind == FISCAL_YEAR:
            return fiscal_year_label(self.year)
        return f"{month_label(self.year, self.month or 1)}分"

    @property
    def shown(self) -> str:
        """The period as the screen names it, in the UI's language and the center's date style
        (:attr:`label` stays 和暦 for the city's forms): "令和8年12月分" / "2026年12月分" / "Dec 2026",
        "令和8年度" / "2026年度" / "FY2026"."""
        english = current_language() == "en"
        if self.kind == FISCAL_YEAR:
            if english:
                return f"FY{self.year}"
            return f"{self.year}年度" if date_style() == WESTERN_STYLE else fiscal_year_label(self.year)
        month = format_month(self.year, self.month or 1)
        return month if english else f"{month}分"

    @property
    def key(self) -> str:
        """2026-10 for a month, FY2026 for a fiscal year (file names)."""
        return f"{self.year:04d}-{self.month:02d}" if self.kind == MONTH else f"FY{self.year}"

    def month_bounds(self) -> tuple[dt.datetime, ...]:
        """Start of every month of the period and the end of the period (len(months) + 1 values):
        the half-open ranges ``[bounds[i], bounds[i+1])`` the queries filter and group by."""
        starts = [dt.datetime(y, m, 1) for y, m in self.months]
        return (*starts, dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(0)))

    def month_last_days(self) -> tuple[dt.date, ...]:
        """Last day of every month of the period (registrations active at month end)."""
        return tuple(_month_last_day(y, m) for y, m in self.months)


def month_label(year: int, month: int) -> str:
    """令和8年10月 (the era of the month's first day; 令和元年5月, 平成31年4月)."""
    name, number = era_year(dt.date(year, month, 1))
    return f"{format_era_year(name, number)}{month}月"


def last_month(today: dt.date) -> Period:
    """The month before ``today``'s (the default of the 集計 screen)."""
    first = today.replace(day=1) - dt.timedelta(days=1)
    return Period.of_month(first.year, first.month)


_MONTH_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YEAR_TEXT = re.compile(r"^(?:FY)?(\d{4})$", re.IGNORECASE)


def parse_month(text: str, field_name: str = "month") -> Period:
    """``2026-10`` (also 2026/10, full-width digits) → that month; ValidationError naming the
    accepted form otherwise."""
    match = _MONTH_TEXT.match(unicodedata.normalize("NFKC", text or "").strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 1900 <= year <= 2200:  # the dates the app handles (normalize.check_date_range)
            return Period.of_month(year, month)
    raise ValidationError(
        _("\"{text}\" is not a month. Write the year and month as YYYY-MM, for example 2026-10.").format(text=text),
        field_name=field_name,
    )


def parse_fiscal_year(text: str, field_name: str = "year") -> Period:
    """``2026`` (the year of its April; 2026 = 令和8年度) → that fiscal year; ValidationError
    naming the accepted form otherwise."""
    match = _YEAR_TEXT.match(unicodedata.normalize("NFKC", str(text or "")).strip())
    if match and 1900 <= int(match.group(1)) <= 2199:  # its March must be a date the app handles
        return Period.of_fiscal_year(int(match.group(1)))
    raise ValidationError(
        _("\"{text}\" is not a fiscal year. Write the year of its April as YYYY, for example 2026 for {label} (April 2026 to March 2027).").format(
            text=text, label=fiscal_year_label(2026)
        ),
        field_name=field_name,
    )


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingFigures:
    """Booking figures of a room, a facility, a month or a total (definitions: module docstring)."""

    bookings: int = 0
    slots_used: int = 0
    available_slots: int = 0
    attendance: int = 0
    fees_yen: int = 0
    waived_yen: int = 0
    cancellations: int = 0
    no_shows: int = 0
    planned_bookings: int = 0
    planned_slots: int = 0
    income_yen: int = 0

    @property
    def occupancy(self) -> float | None:
        """稼働率 as a fraction (0.452 = 45.2 %); None when no slot was available."""
        if self.available_slots <= 0:
            return None
        return self.slots_used / self.available_slots

    def __add__(self, other: BookingFigures) -> BookingFigures:
        """The sum of two figures, field by field."""
        return sum_fields(self, other)

    def _values(self) -> tuple[int, ...]:
        return (self.bookings, self.slots_used, self.available_slots, self.attendance, self.fees_yen,
                self.waived_yen, self.cancellations, self.no_shows, self.planned_bookings, self.planned_slots, self.income_yen)

    @staticmethod
    def total(items) -> BookingFigures:
        """The sum of several figures (column by column, one new object)."""
        columns = [item._values() for item in items]
        return BookingFigures(*map(sum, zip(*columns, strict=True))) if columns else BookingFigures()


@dataclass(frozen=True)
class RoomFigures:
    """One room of the period; ``by_month`` has one entry per month of the period."""

    room_id: int
    facility_code: str
    facility_name: str
    room_code: str
    room_name: str
    figures: BookingFigures
    by_month: tuple[BookingFigures, ...] = ()


@dataclass(frozen=True)
class FacilityFigures:
    """One facility: calendar days, open and closed days of the period, rooms and their total."""

    facility_id: int
    code: str
    name: str
    days: int
    open_days: int
    slots_per_day: int
    rooms: int
    figures: BookingFigures

    @property
    def closed_days(self) -> int:
        """Days the facility was closed (休館日, 年末年始, closing holidays)."""
        return self.days - self.open_days


@dataclass(frozen=True)
class MonthFigures:
    """All selected rooms together in one month."""

    year: int
    month: int
    figures: BookingFigures

    @property
    def label(self) -> str:
        """令和8年10月."""
        return month_label(self.year, self.month)


@dataclass(frozen=True)
class ClassFigures:
    """Bookings of one applicant class (申請者区分)."""

    code: str
    name: str
    figures: BookingFigures


@dataclass(frozen=True)
class ExemptionFigures:
    """Counted bookings with one 減免 reason, the fee before it and the amount waived."""

    code: str
    name: str
    rate_percent: int
    bookings: int
    gross_fee_yen: int
    waived_yen: int


@dataclass(frozen=True)
class GroupFigures:
    """A registered group among the most active ones of the period (by slots used)."""

    group_id: int
    registration_no: str
    name: str
    bookings: int
    slots_used: int
    attendance: int


@dataclass(frozen=True)
class Count:
    """One line of a count table: a code (or id), its label, and the count."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ConsultationFigures:
    """Consultation counts of the period, records kept and anonymous counts of records deleted
    by the retention rule added together. ``deleted`` is the part that came from those counts
    (they keep no staff member: the staff table shows them on a line of their own). A record
    with several topics or fields counts once under each. ``minutes``: total recorded duration."""

    total: int
    deleted: int
    minutes: int
    by_month: tuple[int, ...]
    by_method: tuple[Count, ...]
    by_client_type: tuple[Count, ...]
    by_topic: tuple[Count, ...]
    by_field: tuple[Count, ...]
    by_staff: tuple[Count, ...]


@dataclass(frozen=True)
class RegistrationMonth:
    """Group registrations in one month: new, renewed, withdrawn, and 登録 groups valid at its end."""

    year: int
    month: int
    new: int
    renewed: int
    withdrawn: int
    active_at_end: int

    @property
    def label(self) -> str:
        """令和8年10月."""
        return month_label(self.year, self.month)


@dataclass(frozen=True)
class RegistrationFigures:
    """Registrations of the period: per month, and the period's totals (active at its end)."""

    months: tuple[RegistrationMonth, ...]

    @property
    def new(self) -> int:
        return sum(m.new for m in self.months)

    @property
    def renewed(self) -> int:
        return sum(m.renewed for m in self.months)

    @property
    def withdrawn(self) -> int:
        return sum(m.withdrawn for m in self.months)

    @property
    def active_at_end(self) -> int:
        return self.months[-1].active_at_end if self.months else 0


@dataclass(frozen=True)
class LoanFigures:
    """備品貸出 of one item in the period: loans started (not cancelled), units lent, fees in yen."""

    item: str
    loans: int
    units: int
    fees_yen: int


@dataclass(frozen=True)
class PrintFigures:
    """印刷室 use of one group on one machine in the period: jobs, masters, sheets, fees in yen."""

    group: str
    machine: str
    jobs: int
    masters: int
    sheets: int
    fees_yen: int


@dataclass(frozen=True)
class GrantLine:
    """補助金・協働 of one program and 活動分野 (``field`` empty: none given) in a fiscal year:
    applications received, adopted, yen granted (交付決定 or later) and paid (the grants less what
    a settled 実績報告 returned) — ``services.programs_figures.fiscal_year_figures``."""

    program: str
    field: str
    applications: int
    adopted: int
    granted_yen: int
    paid_yen: int


@dataclass(frozen=True)
class ProgramFigures:
    """The figures of the city's 協働推進 report for a fiscal year: the grants by program and
    活動分野 (rounds of that year) and the 共催 / 後援 approved in it (by the date decided)."""

    grants: tuple[GrantLine, ...]
    cohosting_approved: int
    support_approved: int


@dataclass(frozen=True)
class FacilityChoice:
    """A facility of the picker."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Summary:
    """The usage summary of a period for one facility (``facility``) or all (None).

    ``consultations`` is None when the signed-in role may not see consultation counts (counter
    staff) or when they were not asked for. Consultations and registrations are center-wide:
    they belong to no facility, so they do not change with the facility.
    """

    period: Period
    facility: FacilityChoice | None
    generated_on: dt.date
    rooms: tuple[RoomFigures, ...]
    facilities: tuple[FacilityFigures, ...]
    months: tuple[MonthFigures, ...]
    classes: tuple[ClassFigures, ...]
    exemptions: tuple[ExemptionFigures, ...]
    top_groups: tuple[GroupFigures, ...]
    registrations: RegistrationFigures
    consultations: ConsultationFigures | None = None
    notes: tuple[str, ...] = field(default=())
    services: ServiceFigures | None = None  # lockers, visitors, lottery
    loans: tuple[LoanFigures, ...] = ()
    printing: tuple[PrintFigures, ...] = ()
    programs: ProgramFigures | None = None  # fiscal years, for coordinators and administrators

    @property
    def total(self) -> BookingFigures:
        """All selected rooms together."""
        return BookingFigures.total(r.figures for r in self.rooms)

    @property
    def facility_label(self) -> str:
        """The facility's name, or 全施設."""
        return self.facility.name if self.facility else _("All facilities")
