"""Models of the money ledger (使用料の収納): payments, refunds, voids, numbered documents, day closes.

Ledger rows (``payments``, ``payment_allocations``, ``refunds``, ``ledger_voids``) are only ever
inserted: nothing in them is edited or deleted. A mistake is corrected by a 訂正 — a row in
``ledger_voids`` naming the entry and the reason — and, where needed, a new entry
(``payments.corrects_payment_id`` points at the receipt it replaces). Every write is audited.

Numbers come from ``document_counters``: one row per kind (receipt, refund, permit), fiscal year
and cash unit (a facility code when the facility keeps its own series, else ""), read with a row
lock in the write transaction that uses the number — consecutive, no gaps, never reused, also
with several PCs (see :mod:`center_app.services.ledger`).

Dates are local (Asia/Tokyo); money is integer yen; rates integer percent. Stored codes:
``payments.method`` is a :class:`~center_app.domain.money.PaymentMethod`; ``refunds.kind`` is
``refund`` (money paid back) or ``applied`` (充当: moved to ``target_booking_id``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db import bookings as _bookings  # noqa: F401 - tables the foreign keys refer to
from center_app.db import groups as _groups  # noqa: F401
from center_app.db import models as _models  # noqa: F401
from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now  # column defaults: the one clock, whole seconds


class CancellationReason(Versioned, Base):
    """取消理由 with its 還付率: the refund rate of a booking cancelled for this reason, when the
    cancellation is at least ``min_days_before`` days before the day of use (None: whenever);
    later, nothing is refunded. Edited in 設定 → 取消理由 (versioned like every edited row)."""

    __tablename__ = "cancellation_reasons"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    refund_percent: Mapped[int] = mapped_column(Integer, default=0)
    min_days_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DocumentCounter(Base):
    """The last number given of one kind (receipt / refund / permit), fiscal year and cash unit."""

    __tablename__ = "document_counters"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)


class Payment(Base):
    """収納: money received for one or more bookings of one applicant (``payment_allocations``),
    with its receipt number. ``received_on`` is the day the money came in (the 収入日報's day);
    ``recorded_at`` / ``recorded_by`` say who entered it and when."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("fiscal_year", "unit", "serial", name="uq_payments_number"),
        Index("ix_payments_facility_received", "facility_id", "received_on"),
        Index("ix_payments_group_id", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(20), default="")
    serial: Mapped[int] = mapped_column(Integer)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    payer_name: Mapped[str] = mapped_column(String(200))
    amount_yen: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    received_on: Mapped[dt.date] = mapped_column(Date, index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    tendered_yen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    corrects_payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True)


class PaymentAllocation(Base):
    """The part of a payment that pays one booking."""

    __tablename__ = "payment_allocations"
    __table_args__ = (
        UniqueConstraint("payment_id", "booking_id"),
        # the usage summary's income per room: a payment's allocations read from this index alone
        Index("ix_payment_allocations_summary", "payment_id", "booking_id", "amount_yen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    amount_yen: Mapped[int] = mapped_column(Integer)


class Refund(Base):
    """還付 (``kind`` refund: money paid back, numbered ``K2026-000001``) or 充当 (``kind``
    applied: the amount moved to ``target_booking_id`` of the same applicant, no cash) of a
    booking paid by ``payment_id``. ``rule`` names the cancellation reason and rate applied
    (or "manual"); ``approved_by`` who decided it."""

    __tablename__ = "refunds"
    __table_args__ = (Index("ix_refunds_facility_on", "facility_id", "refunded_on"), Index("ix_refunds_refunded_on", "refunded_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_no: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="refund")
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), index=True)
    target_booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id"), nullable=True, index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    amount_yen: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20), default="cash")
    reason: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(100), default="")
    rate_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refunded_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
    approved_by: Mapped[str] = mapped_column(String(100), default="")


class LedgerVoid(Base):
    """訂正: the void of one payment or refund (``entry_kind`` payment / refund), with its reason.
    A voided entry no longer counts; it stays in the ledger and its number is never reused."""

    __tablename__ = "ledger_voids"
    __table_args__ = (UniqueConstraint("entry_kind", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_kind: Mapped[str] = mapped_column(String(10))
    entry_id: Mapped[int] = mapped_column(Integer)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    voided_on: Mapped[dt.date] = mapped_column(Date, index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class Permit(Base):
    """使用許可書: the permit of one or more bookings of one applicant (``permit_bookings``),
    numbered ``P2026-000001`` when first printed; ``print_count`` > 1 prints 再発行."""

    __tablename__ = "permits"

    id: Mapped[int] = mapped_column(primary_key=True)
    permit_no: Mapped[str] = mapped_column(String(40), unique=True)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(100), default="")
    print_count: Mapped[int] = mapped_column(Integer, default=0)


class PermitBooking(Base):
    """A booking listed on a permit (a booking is on one permit)."""

    __tablename__ = "permit_bookings"

    permit_id: Mapped[int] = mapped_column(ForeignKey("permits.id"), primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id"), primary_key=True, unique=True)


class ReceiptPrint(Base):
    """One print of a receipt: the first is the original, every later one is a 再発行."""

    __tablename__ = "receipt_prints"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    printed_by: Mapped[str] = mapped_column(String(100), default="")
    reissue: Mapped[bool] = mapped_column(Boolean, default=False)


class DayClose(Base):
    """日計の締め: the day ``day`` of a facility's cash is closed; entries dated that day are
    refused from then on (corrections are 訂正 entries on a later day). ``totals`` keeps the
    figures of the 収入日報 at the close (JSON: method → yen, net cash)."""

    __tablename__ = "day_closes"
    __table_args__ = (UniqueConstraint("facility_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    closed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    closed_by: Mapped[str] = mapped_column(String(100), default="")
    totals: Mapped[Any] = mapped_column(JSON, default=dict)
