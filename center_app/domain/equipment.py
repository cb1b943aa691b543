"""備品貸出 and 印刷室: the vocabulary and pure rules of equipment loans and the printing room.

Equipment (備品) is catalogued per facility (``db/equipment.py``); a loan (``EquipmentLoan``)
lends a number of units of one item for ``[start, due)`` (local wall time, half-open like
bookings). A printing job (``PrintJob``) records one group's use of a machine: masters (製版),
sheets, colour, paper brought or sold. Every fee becomes a charge (調定) paid through the money
ledger (docs/money-rules.md).

Sources of the defaults (../shared research notes §2.3–2.4, quoted in docs/equipment.md):
さいたま市市民活動サポートセンター lends a projector at ¥410 per 3 hours or ¥3,280 overnight (2 days),
at most 7 days, and counts a loan over 12 hours within a day as 12 hours; 長久手 charges ¥30 a
master and ¥1 a sheet; 泉区 ¥10 a colour sheet, billed every half year; 国分寺 allows 150
masters and 250 copies per group and fiscal year.

Amounts are integer yen, times in minutes. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from center_app.domain.fiscal import fiscal_year_of
from center_app.i18n import N_, _

#: さいたま: "a loan over 12 h within opening hours counts as 12 h" — the most units of a same-day loan.
SAME_DAY_CAP_MINUTES = 12 * 60


class LoanStatus(StrEnum):
    """State of a loan: 貸出中 until returned (返却済) or cancelled before it started (取消)."""

    LENT = "lent"
    RETURNED = "returned"
    CANCELLED = "cancelled"


_LOAN_LABELS = {LoanStatus.LENT: N_("On loan"), LoanStatus.RETURNED: N_("Returned"), LoanStatus.CANCELLED: N_("Cancelled")}


def loan_status_label(code: str) -> str:
    """貸出中 / 返却済 / 取消 in the current language."""
    try:
        return _(_LOAN_LABELS[LoanStatus(code)])
    except ValueError:
        return code


class ChargeKind(StrEnum):
    """What a charge (調定 of a service other than a room) is for."""

    LOAN = "loan"  #: 備品使用料
    DAMAGE = "damage"  #: 破損・紛失の弁償
    PRINTING = "printing"  #: 印刷機・コピー使用料


_CHARGE_LABELS = {ChargeKind.LOAN: N_("Equipment fee"), ChargeKind.DAMAGE: N_("Damage or loss"), ChargeKind.PRINTING: N_("Printing fee")}


def charge_kind_label(code: str) -> str:
    """備品使用料 / 破損・紛失 / 印刷使用料 in the current language."""
    try:
        return _(_CHARGE_LABELS[ChargeKind(code)])
    except ValueError:
        return code


class DamageKind(StrEnum):
    """破損 (the item comes back damaged) or 紛失 (units are lost: the catalogue loses them)."""

    DAMAGE = "damage"
    LOSS = "loss"


class PaperSource(StrEnum):
    """The paper of a printing job: brought by the group (持参) or sold by the center (購入)."""

    BROUGHT = "brought"
    SOLD = "sold"


class Billing(StrEnum):
    """When printing is billed: at each visit, per calendar month, or per half of the fiscal year
    (April–September, October–March; 泉区 bills colour printing every half year)."""

    VISIT = "visit"
    MONTHLY = "monthly"
    HALF_YEAR = "half_year"


def parse_classes(text: str) -> tuple[str, ...]:
    """The applicant class codes of an item's 「貸出対象」 (``registered resident``, commas or
    spaces between them); empty: everyone."""
    return tuple(sorted({part for part in re.split(r"[\s,、，]+", unicodedata.normalize("NFKC", text or "")) if part}))


def parse_windows(text: str) -> dict[str, int]:
    """The application windows of an item (``registered=120 resident=60``: class code → days
    ahead). Raises ValueError with the clerk's message for a part that is not ``code=days``."""
    windows: dict[str, int] = {}
    for part in re.split(r"[\s,、，]+", unicodedata.normalize("NFKC", text or "")):
        if not part:
            continue
        code, sep, days = part.partition("=")
        if not sep or not code or not days.isdigit():
            raise ValueError(_("Write the windows as class=days, for example registered=120 resident=60 (not “{part}”).").format(part=part))
        windows[code] = int(days)
    return windows


def loan_fee(start: dt.datetime, due: dt.datetime, *, unit_minutes: int, fee_per_unit: int, fee_per_day: int, quantity: int = 1) -> int:
    """The fee in yen of lending ``quantity`` units for ``[start, due)``.

    A loan returned the day it starts costs ``fee_per_unit`` per started ``unit_minutes``, at
    most 12 hours' worth (さいたま: a loan over 12 h within a day counts as 12 h). A loan over
    several days costs ``fee_per_day`` per calendar day it spans (さいたま: ¥3,280 overnight =
    2 days of ¥1,640). A free item (both fees 0) costs 0."""
    if due <= start:
        return 0
    if due.date() == start.date() or due == dt.datetime.combine(start.date() + dt.timedelta(days=1), dt.time(0)):
        minutes = min(int((due - start).total_seconds() // 60), SAME_DAY_CAP_MINUTES)
        units = math.ceil(minutes / unit_minutes) if unit_minutes > 0 else 1
        return units * fee_per_unit * quantity
    days = (due.date() - start.date()).days + (1 if due.time() > dt.time(0) else 0)
    return max(days, 1) * fee_per_day * quantity


@dataclass(frozen=True)
class PrintPrices:
    """The printing room's prices in yen (設定 → 印刷室)."""

    master: int
    sheet: int
    colour_sheet: int
    paper_sheet: int


def print_job_fee(prices: PrintPrices, *, masters: int, sheets: int, colour: bool, paper: str) -> int:
    """The fee in yen of one printing job: masters × the master price, sheets × the sheet price
    (the colour price when ``colour``), plus the paper sold (one sheet of paper per printed sheet)."""
    fee = masters * prices.master + sheets * (prices.colour_sheet if colour else prices.sheet)
    if paper == PaperSource.SOLD:
        fee += sheets * prices.paper_sheet
    return fee


def billing_period(day: dt.date, billing: str) -> tuple[dt.date, dt.date]:
    """The billing period (first, last day, inclusive) containing ``day``: the day itself (each
    visit), its calendar month, or its half of the fiscal year (April–September, October–March)."""
    if billing == Billing.MONTHLY:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return first, last
    if billing == Billing.HALF_YEAR:
        fy = fiscal_year_of(day)
        if 4 <= day.month <= 9:
            return dt.date(fy, 4, 1), dt.date(fy, 9, 30)
        return dt.date(fy, 10, 1), dt.date(fy + 1, 3, 31)
    return day, day


@dataclass(frozen=True)
class EquipmentItemView:
    """One catalogue entry: ``quantity`` units owned; fees in yen per ``unit_minutes`` (same day)
    and per day (longer loans); ``max_days`` the longest loan; ``classes`` the applicant class
    codes that may borrow (empty: everyone); ``window_days`` how many days ahead each class may
    apply (class code → days; a class not named: no limit)."""

    id: int
    facility_id: int
    code: str
    name: str
    quantity: int
    unit_minutes: int
    fee_per_unit: int
    fee_per_day: int
    max_days: int
    classes: tuple[str, ...]
    window_days: tuple[tuple[str, int], ...]
    active: bool
    version: int


@dataclass(frozen=True)
class LoanView:
    """One loan as the screens and commands show it. Times local; ``fee`` in yen."""

    id: int
    loan_no: str
    item_id: int
    item_name: str
    facility_id: int
    quantity: int
    group_id: int | None
    borrower: str
    applicant_class: str
    start_at: dt.datetime
    due_at: dt.datetime
    returned_at: dt.datetime | None
    status: str
    fee: int
    booking_id: int | None
    purpose: str
    version: int

    @property
    def status_label(self) -> str:
        """貸出中 / 返却済 / 取消."""
        return loan_status_label(self.status)

    def overdue_on(self, now: dt.datetime) -> bool:
        """True when the loan is still out after its due time."""
        return self.status == LoanStatus.LENT and self.due_at < now


@dataclass(frozen=True)
class PrintJobView:
    """One line of the printing room's 利用簿."""

    id: int
    facility_id: int
    group_id: int
    group_name: str
    used_on: dt.date
    machine: str
    masters: int
    sheets: int
    colour: bool
    paper: str
    fee: int
    billed: bool
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChargeView:
    """A charge (調定) of a service other than a room: ``amount`` yen, ``paid`` so far."""

    id: int
    facility_id: int
    group_id: int | None
    payer_name: str
    kind: str
    description: str
    amount: int
    paid: int
    charged_on: dt.date

    @property
    def outstanding(self) -> int:
        """Yen still due."""
        return max(self.amount - self.paid, 0)


@dataclass(frozen=True)
class QuotaUse:
    """A group's use of the printing room in one fiscal year against the quotas (0 = none)."""

    fiscal_year: int
    masters: int
    copies: int
    master_quota: int
    copy_quota: int


@dataclass(frozen=True)
class LoanPermitDocument:
    """What the 備品貸出許可書 prints: the loan, the borrower, the issuer (center name and head's
    title), the day issued and the clerk. Built by ``services.documents.loan_permit_pdf``."""

    loan_no: str
    item_name: str
    quantity: int
    borrower: str
    registration_no: str
    start_at: dt.datetime
    due_at: dt.datetime
    fee: int
    purpose: str
    booking_slip: str
    center_name: str
    head_line: str
    issued_on: dt.date
    clerk: str
