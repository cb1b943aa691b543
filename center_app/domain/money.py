"""使用料の収納: the vocabulary of the money ledger and its pure rules (docs/architecture.md §4).

The ledger (``db/money.py``) holds what really happened to money: a :class:`PaymentMethod`
payment (収納) for one or more bookings of one applicant, refunds (還付) and 充当 (a paid amount
moved to another booking of the same applicant instead of a refund), and voids (訂正: an entry
cancelled with a reason; nothing is edited or deleted). A booking's money state is derived from
those entries by :func:`money_state`, never from booking columns alone.

Amounts are integer yen; rates integer percent; dates local (Asia/Tokyo). Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from center_app.domain.fiscal import fiscal_year_of
from center_app.domain.roles import Role
from center_app.i18n import N_, _

#: Roles that handle money at the counter (record payments, refunds, voids; read the income reports).
CASH_ROLES = (Role.COUNTER, Role.ADMIN)


class PaymentMethod(StrEnum):
    """How money was received (stored in ``payments.method``; the CLI's ``--method``)."""

    CASH = "cash"  #: 現金 at the counter: goes into the cash drawer
    TRANSFER = "transfer"  #: 口座振込 to the city's account
    INVOICE = "invoice"  #: 納付書 paid at a bank or convenience store
    CASHLESS = "cashless"  #: キャッシュレス (card, QR code)


_METHOD_LABELS = {
    PaymentMethod.CASH: N_("Cash"),
    PaymentMethod.TRANSFER: N_("Bank transfer"),
    PaymentMethod.INVOICE: N_("Payment slip"),
    PaymentMethod.CASHLESS: N_("Cashless"),
}


def method_label(code: str) -> str:
    """現金, 口座振込, 納付書, キャッシュレス in the current language."""
    try:
        return _(_METHOD_LABELS[PaymentMethod(code)])
    except ValueError:
        return code


class MoneyState(StrEnum):
    """A booking's money state, derived from the ledger by :func:`money_state`.

    The names follow the states Japanese facility systems keep on a 調定 (未収納, 一部入金, 完納,
    超過, 免除, 還付済, 充当, 還付なし), plus 移行前 for bookings that existed before the ledger."""

    UNPAID = "unpaid"  #: 未納 (未収納): nothing received for a fee due
    PARTLY_PAID = "partly_paid"  #: 一部納付 (一部入金)
    PAID = "paid"  #: 納付済 (完納)
    OVERPAID = "overpaid"  #: 超過: more received than the fee (the fee was lowered): refund or 充当 due
    EXEMPT = "exempt"  #: 免除: the fee is 0 円 (減免 100 % or a free room); never a receipt
    REFUNDED = "refunded"  #: 還付済: cancelled, and money was paid back
    APPLIED = "applied"  #: 充当: cancelled, the paid amount moved to another booking
    NOT_REFUNDED = "not_refunded"  #: 還付なし: cancelled, paid, and the rule refunds nothing
    NOT_DUE = "not_due"  #: cancelled before anything was paid: nothing due
    LEGACY = "legacy"  #: 移行前: booked before the ledger existed; its payment is unknown, never "paid"


_STATE_LABELS = {
    MoneyState.UNPAID: N_("Unpaid"),
    MoneyState.PARTLY_PAID: N_("Partly paid"),
    MoneyState.PAID: N_("Paid"),
    MoneyState.OVERPAID: N_("Overpaid"),
    MoneyState.EXEMPT: N_("Exempt"),
    MoneyState.REFUNDED: N_("Refunded"),
    MoneyState.APPLIED: N_("Applied to another booking"),
    MoneyState.NOT_REFUNDED: N_("Not refunded"),
    MoneyState.NOT_DUE: N_("Nothing due"),
    MoneyState.LEGACY: N_("Before the ledger"),
}

#: States in which money is still to be received.
OUTSTANDING = (MoneyState.UNPAID, MoneyState.PARTLY_PAID)


def state_label(code: str) -> str:
    """未納, 一部納付, 納付済, 超過, 免除, 還付済, 充当, 還付なし, —, 移行前 in the current language."""
    try:
        return _(_STATE_LABELS[MoneyState(code)])
    except ValueError:
        return code


@dataclass(frozen=True)
class BookingMoney:
    """The ledger's totals for one booking, in yen, and the state they give.

    ``received``: allocations of payments not voided; ``refunded``: refunds paid out;
    ``applied_out`` / ``applied_in``: 充当 from / to this booking; ``due``: the fee still assessed
    (0 for a cancelled booking). ``net = received + applied_in − refunded − applied_out``."""

    booking_id: int
    fee: int
    due: int
    received: int
    refunded: int
    applied_out: int
    applied_in: int
    state: MoneyState

    @property
    def net(self) -> int:
        """What the center keeps for this booking."""
        return self.received + self.applied_in - self.refunded - self.applied_out

    @property
    def outstanding(self) -> int:
        """Still to be received (never negative)."""
        return max(self.due - self.net, 0)

    @property
    def refundable(self) -> int:
        """What the center holds beyond what is due (a cancelled booking's payment, an overpayment)."""
        return max(self.net - self.due, 0)

    @property
    def label(self) -> str:
        """The state in the current language."""
        return state_label(self.state)


def money_state(*, fee: int, cancelled: bool, legacy: bool, received: int, refunded: int, applied_out: int,
                applied_in: int) -> MoneyState:
    """The money state of a booking from its fee (integer yen to pay), whether it is cancelled
    (取消), whether it existed before the ledger (``legacy``) and its ledger totals.

    - a booking from before the ledger with no ledger entry is 移行前, never paid nor unpaid;
    - a cancelled booking: 還付済 when anything was refunded, else 充当 when moved, else 還付なし when
      the center keeps money, else nothing due;
    - otherwise a fee of 0 円 is 免除; else 未納 / 一部納付 / 納付済 / 超過 by what the center holds.
    """
    touched = received or refunded or applied_out or applied_in
    if legacy and not touched:
        return MoneyState.LEGACY
    net = received + applied_in - refunded - applied_out
    if cancelled:
        if refunded:
            return MoneyState.REFUNDED
        if applied_out:
            return MoneyState.APPLIED
        return MoneyState.NOT_REFUNDED if net > 0 else MoneyState.NOT_DUE
    if fee <= 0:
        return MoneyState.OVERPAID if net > 0 else MoneyState.EXEMPT
    if net <= 0:
        return MoneyState.UNPAID
    if net < fee:
        return MoneyState.PARTLY_PAID
    return MoneyState.PAID if net == fee else MoneyState.OVERPAID


def booking_money(booking_id: int, *, fee: int, cancelled: bool, legacy: bool, received: int = 0, refunded: int = 0,
                  applied_out: int = 0, applied_in: int = 0) -> BookingMoney:
    """:class:`BookingMoney` of one booking (see :func:`money_state`)."""
    state = money_state(fee=fee, cancelled=cancelled, legacy=legacy, received=received, refunded=refunded,
                        applied_out=applied_out, applied_in=applied_in)
    due = 0 if cancelled else fee  # a 移行前 booking may still be paid through the ledger
    return BookingMoney(booking_id, fee, due, received, refunded, applied_out, applied_in, state)


def refund_for_rate(paid_yen: int, rate_percent: int) -> int:
    """還付額 = the amount paid × the refund rate, fractions of a yen dropped (1円未満切捨て).
    ``refund_for_rate(1600, 50)`` → 800; a rate outside 0–100 raises ValueError."""
    if not 0 <= rate_percent <= 100 or paid_yen < 0:
        raise ValueError("refund inputs out of range")
    return paid_yen * rate_percent // 100


def change_due(amount_due: int, tendered: int) -> int:
    """お釣り: what goes back to the applicant who handed over ``tendered`` (お預かり) for
    ``amount_due``; ValueError when less was handed over than is due."""
    if tendered < amount_due:
        raise ValueError("tendered less than due")
    return tendered - amount_due


# --- numbers -----------------------------------------------------------------------------------------

#: Kinds of numbered documents and their letters: R 領収 (receipt), K 還付 (refund), P 許可 (permit).
RECEIPT, REFUND, PERMIT = "receipt", "refund", "permit"
_LETTERS = {RECEIPT: "R", REFUND: "K", PERMIT: "P"}
_NUMBER = re.compile(r"^(?:([A-Z0-9_]+)-)?([RKP])(\d{4})-(\d{1,9})$")


def format_number(kind: str, fiscal_year: int, serial: int, unit: str = "") -> str:
    """The printed number of a receipt, refund or permit: ``R2026-000123`` (receipt 123 of
    令和8年度), ``HATTA-R2026-000012`` for a facility that keeps its own series (``unit``: its
    code). Consecutive per kind, fiscal year and unit; never reused."""
    prefix = f"{unit.upper()}-" if unit else ""
    return f"{prefix}{_LETTERS[kind]}{fiscal_year}-{serial:06d}"


def normalize_number(text: str) -> str:
    """A number as typed (full-width, lower case, spaces) in its stored form (``r2026-123`` →
    ``R2026-000123``); the text upper-cased and trimmed when it does not look like a number."""
    folded = unicodedata.normalize("NFKC", text or "").strip().upper().replace(" ", "")
    match = _NUMBER.match(folded)
    if not match:
        return folded
    unit, letter, year, serial = match.groups()
    return f"{unit + '-' if unit else ''}{letter}{year}-{int(serial):06d}"


def number_kind(text: str) -> str | None:
    """Which kind of document a number as typed names (:data:`RECEIPT`, :data:`REFUND` or
    :data:`PERMIT`, by its letter R / K / P); None when it does not look like a number."""
    match = _NUMBER.match(normalize_number(text))
    if not match:
        return None
    return next(kind for kind, letter in _LETTERS.items() if letter == match.group(2))


def receipt_fiscal_year(received_on: dt.date) -> int:
    """The fiscal year a receipt is numbered in: that of the day the money was received."""
    return fiscal_year_of(received_on)


# --- amounts as typed ------------------------------------------------------------------------------

_YEN = re.compile(r"^[+-]?\d+$")


#: The largest amount of money the counter handles in one entry, in yen.
MAX_YEN = 99_999_999


def parse_yen(text: str | int | None, *, field: str = "amount") -> int:
    """An amount of whole yen from what was typed (``1,600``, ``１６００円``, ``¥1600``).

    Raises ValueError with a clerk's message for text that is not a whole number of yen
    (``1600.5``, ``千円``) or beyond :data:`MAX_YEN`; the sign is kept (the caller refuses
    negative amounts)."""
    if isinstance(text, bool):
        raise ValueError(_("Enter the amount in whole yen, for example 1600."))
    if isinstance(text, int):
        return text
    folded = unicodedata.normalize("NFKC", str(text or "")).strip().replace(",", "").removesuffix("円").removeprefix("¥").removeprefix("\\").strip()
    if not _YEN.match(folded):
        raise ValueError(_("Enter the amount in whole yen, for example 1600."))
    value = int(folded)
    if abs(value) > MAX_YEN:  # a key held down, or a number pasted by mistake
        raise ValueError(_("Enter at most {limit} yen.").format(limit=f"{MAX_YEN:,}"))
    return value


# --- views of the ledger -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaidBooking:
    """One booking a payment pays: its slip number, date of use, room and the amount allocated."""

    booking_id: int
    slip_no: str
    start: dt.datetime
    end: dt.datetime
    room_name: str
    amount: int


@dataclass(frozen=True)
class PaymentView:
    """A recorded payment (収納) as the counter, the receipt and the reports show it."""

    id: int
    receipt_no: str
    facility_id: int
    facility_name: str
    payer_name: str
    group_id: int | None
    amount: int
    method: str
    received_on: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    bookings: tuple[PaidBooking, ...]
    tendered: int | None = None
    note: str = ""
    voided: bool = False
    void_reason: str = ""
    refunded: int = 0  #: refunds and 充当 made against this receipt (not voided)
    corrects: str = ""  #: the receipt number this payment replaces (訂正), if any

    @property
    def change(self) -> int | None:
        """お釣り of a cash payment with お預かり recorded."""
        return None if self.tendered is None else self.tendered - self.amount

    @property
    def method_label(self) -> str:
        """現金, 口座振込, … in the current language."""
        return method_label(self.method)


@dataclass(frozen=True)
class RefundView:
    """A recorded refund (還付) or 充当."""

    id: int
    refund_no: str
    kind: str
    receipt_no: str
    booking_id: int
    slip_no: str
    target_slip_no: str
    facility_id: int
    amount: int
    method: str
    reason: str
    rule: str
    rate: int | None
    refunded_on: dt.date
    recorded_by: str
    approved_by: str
    voided: bool = False


#: Kinds of a refund row: money paid back, or moved to another booking (充当).
REFUND_KIND, APPLIED_KIND = "refund", "applied"


@dataclass(frozen=True)
class DueItem:
    """A booking on the 未納・期限切れ panel: ``kind`` is ``due_soon`` (unpaid, deadline within a
    week), ``overdue`` (unpaid past its deadline), ``unpaid_used`` (used and still unpaid) or
    ``provisional_expired`` (仮予約 past its limit) or ``refund_held`` (cancelled, and its 取消理由
    refunds money still held: ``outstanding`` is that refund in yen, ``limit`` the day it was
    cancelled, ``rule`` the 取消理由 and its 還付率); ``limit`` is the deadline or limit; ``action``
    what the rule does with it (cancel / list / refund)."""

    kind: str
    booking_id: int
    slip_no: str
    applicant_name: str
    room_name: str
    start: dt.datetime
    fee: int
    outstanding: int
    limit: dt.date
    action: str
    state: MoneyState
    rule: str = ""


DUE_SOON, OVERDUE, UNPAID_USED, PROVISIONAL_EXPIRED = "due_soon", "overdue", "unpaid_used", "provisional_expired"
#: a cancelled booking whose 取消理由 refunds money the center still holds (``outstanding``: that refund)
REFUND_HELD = "refund_held"

_DUE_LABELS = {
    DUE_SOON: N_("Due soon"),
    OVERDUE: N_("Past the payment deadline"),
    UNPAID_USED: N_("Used, not paid"),
    PROVISIONAL_EXPIRED: N_("Provisional booking past its limit"),
    REFUND_HELD: N_("Cancelled, refund due"),
}


def due_label(kind: str) -> str:
    """The panel's name of a :class:`DueItem` kind in the current language."""
    return _(_DUE_LABELS.get(kind, kind))


def payment_deadline(use_day: dt.date, days_before: int) -> dt.date:
    """The last day to pay for use on ``use_day`` (設定: days before use; 宇都宮市: 3)."""
    return use_day - dt.timedelta(days=days_before)


def provisional_limit(made_on: dt.date, limit_days: int) -> dt.date:
    """The last day a 仮予約 made on ``made_on`` may stay provisional (設定; 仙台市: 8 days)."""
    return made_on + dt.timedelta(days=limit_days)
