"""Values of the income reports (収入日報, 収入月報 / 調定表) built by :mod:`center_app.services.income`
from the money ledger, and drawn by :mod:`center_app.export.income` as PDF, XLSX and CSV.

Definitions (the same in every format and in the tests):

- **収入日報** (daily income report) of a day and a facility (or all): every ledger entry dated
  that day — receipts (+, by the day the money came in), voids of receipts (−, by the day of the
  訂正), refunds (−), voids of refunds (+); 充当 lines are listed but move no money. Totals by
  method and by clerk; **net cash** = the cash lines' sum: what the cash drawer gained that day.
- **調定表** of a month or fiscal year (by date of use): 調定額 = fees of bookings used in the
  period (not cancelled) plus what the center keeps of cancelled ones (還付なし); 減免額 = the
  amounts waived; 収入済額 = what the ledger holds for those bookings now; 未収額 = what is still
  due; 還付額 = refunds paid for them; 移行前 = fees of bookings made before the ledger (their
  payment is unknown, so they are neither received nor outstanding).
- **収入** by month (by date of entry): the daily reports' totals added up per month and method.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from center_app.domain.figures import sum_fields
from center_app.domain.money import PaymentMethod
from center_app.domain.statistics_values import FacilityChoice, Period

#: Kinds of a line of the daily report.
RECEIPT_LINE, VOID_LINE, REFUND_LINE, REFUND_VOID_LINE, APPLIED_LINE = "receipt", "void", "refund", "refund_void", "applied"


@dataclass(frozen=True)
class IncomeLine:
    """One entry of a day: ``amount`` is signed (receipts +, refunds and voids of receipts −);
    ``counts`` is False for 充当 (no money moves)."""

    kind: str
    number: str
    at: dt.datetime
    facility_name: str
    payer: str
    bookings: str
    method: str
    amount: int
    clerk: str
    note: str = ""
    counts: bool = True


@dataclass(frozen=True)
class DailyIncome:
    """収入日報 of ``day`` for ``facility`` (None: every facility)."""

    day: dt.date
    facility: FacilityChoice | None
    generated_on: dt.date
    lines: tuple[IncomeLine, ...]
    closed: bool = False
    closed_by: str = ""

    @property
    def counted(self) -> tuple[IncomeLine, ...]:
        """The lines that move money."""
        return tuple(line for line in self.lines if line.counts)

    @property
    def by_method(self) -> tuple[tuple[str, int], ...]:
        """(method code, net yen) for each method that has an entry, in the order of the methods."""
        totals: dict[str, int] = {}
        for line in self.counted:
            totals[line.method] = totals.get(line.method, 0) + line.amount
        order = [m.value for m in PaymentMethod]
        return tuple(sorted(totals.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))

    @property
    def by_clerk(self) -> tuple[tuple[str, int, int], ...]:
        """(clerk, number of entries, net yen) per clerk, by name."""
        totals: dict[str, list[int]] = {}
        for line in self.counted:
            entry = totals.setdefault(line.clerk, [0, 0])
            entry[0] += 1
            entry[1] += line.amount
        return tuple((clerk, n, yen) for clerk, (n, yen) in sorted(totals.items()))

    def total_of(self, kind: str) -> int:
        """The sum of the lines of ``kind`` (signed)."""
        return sum(line.amount for line in self.counted if line.kind == kind)

    @property
    def receipts(self) -> int:
        """Money received that day (before voids and refunds)."""
        return self.total_of(RECEIPT_LINE)

    @property
    def net_total(self) -> int:
        """Every method: receipts − voids − refunds + voided refunds."""
        return sum(line.amount for line in self.counted)

    @property
    def net_cash(self) -> int:
        """What the cash drawer gained that day (cash lines only)."""
        return sum(line.amount for line in self.counted if line.method == "cash")


@dataclass(frozen=True)
class AssessmentRow:
    """One room's line of the 調定表 (yen)."""

    facility_name: str
    room_name: str
    bookings: int = 0
    assessed: int = 0
    waived: int = 0
    received: int = 0
    outstanding: int = 0
    refunded: int = 0
    legacy: int = 0

    def __add__(self, other: AssessmentRow) -> AssessmentRow:
        """The sum of two lines, field by field, under this line's facility and room names."""
        return sum_fields(self, other, keep=("facility_name", "room_name"))


@dataclass(frozen=True)
class CashMonth:
    """Money entries of one month (by date of entry): receipts, voids, refunds per method (yen)."""

    year: int
    month: int
    by_method: tuple[tuple[str, int], ...]
    receipts: int
    voids: int
    refunds: int

    @property
    def net(self) -> int:
        """receipts − voids − refunds (refund voids already netted into refunds)."""
        return self.receipts - self.voids - self.refunds


@dataclass(frozen=True)
class IncomeSummary:
    """収入月報 / 調定表 of ``period`` for ``facility`` (None: every facility)."""

    period: Period
    facility: FacilityChoice | None
    generated_on: dt.date
    rooms: tuple[AssessmentRow, ...]
    months: tuple[CashMonth, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def total(self) -> AssessmentRow:
        """Every room together."""
        result = AssessmentRow("", "")
        for row in self.rooms:
            result = result + row
        return result
