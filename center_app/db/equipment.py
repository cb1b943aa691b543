"""Models of 備品貸出 and the 印刷室: the equipment catalogue, loans, damage records, printing
jobs, and the charges (調定) they raise, paid through the money ledger.

A charge is paid by a ``payments`` row of the ledger (a receipt number, the daily income) whose
parts are ``counter_charge_payments``; like the rest of the ledger, charges and their payments
are never edited or deleted. Times are local wall time (Asia/Tokyo, naive); money integer yen.
"""

from __future__ import annotations

import datetime as dt
from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db import bookings as _bookings  # noqa: F401 - tables the foreign keys refer to
from center_app.db import groups as _groups  # noqa: F401
from center_app.db import money as _money  # noqa: F401
from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now


class EquipmentItem(Versioned, Base):
    """備品: one kind of item of a facility — ``quantity`` units; the fee per started
    ``unit_minutes`` of a same-day loan and per day of a longer one; the longest loan in days;
    who may borrow (``classes``: applicant class codes separated by spaces, empty = everyone) and
    how many days ahead each class may apply (``window_days``: ``registered=120 resident=60``; a
    class not named has no limit) — read by :func:`center_app.domain.equipment.parse_classes` and
    :func:`~center_app.domain.equipment.parse_windows`. Edited in 設定 → 備品."""

    __tablename__ = "equipment_items"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_minutes: Mapped[int] = mapped_column(Integer, default=180)
    fee_per_unit_yen: Mapped[int] = mapped_column(Integer, default=0)
    fee_per_day_yen: Mapped[int] = mapped_column(Integer, default=0)
    max_days: Mapped[int] = mapped_column(Integer, default=7)
    classes: Mapped[str] = mapped_column(String(200), default="")
    window_days: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CounterCharge(Base):
    """調定 of a service other than a room (備品, 弁償, 印刷): ``amount_yen`` owed by a group (or a
    named borrower), dated ``charged_on``. Never edited; what was paid comes from the ledger."""

    __tablename__ = "counter_charges"
    __table_args__ = (Index("ix_counter_charges_facility_on", "facility_id", "charged_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True, index=True)
    payer_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(300))
    amount_yen: Mapped[int] = mapped_column(Integer)
    charged_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class CounterChargePayment(Base):
    """The part of a ledger payment that pays one charge."""

    __tablename__ = "counter_charge_payments"
    __table_args__ = (UniqueConstraint("payment_id", "charge_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("counter_charges.id"), index=True)
    amount_yen: Mapped[int] = mapped_column(Integer)


class EquipmentLoan(Versioned, Base):
    """備品貸出: ``quantity`` units of one item lent for ``[start_at, due_at)`` to a group (or a
    named borrower), optionally with a room booking; ``returned_at`` once back. ``loan_no``
    (``E2026-000001``) is printed on the permit slip; ``fee_yen`` is the fee it was lent with and
    ``charge_id`` its charge (none for a free loan)."""

    __tablename__ = "equipment_loans"
    __table_args__ = (Index("ix_equipment_loans_item_status", "item_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_no: Mapped[str] = mapped_column(String(40), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("equipment_items.id"), index=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True, index=True)
    borrower_name: Mapped[str] = mapped_column(String(200))
    applicant_class: Mapped[str] = mapped_column(String(30), default="")
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True, index=True)
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    due_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="lent")
    fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("counter_charges.id"), nullable=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    returned_by: Mapped[str] = mapped_column(String(100), default="")


class EquipmentDamage(Base):
    """破損 / 紛失 of ``units`` of a loan's item, with what the borrower pays (``charge_id``)."""

    __tablename__ = "equipment_damages"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("equipment_loans.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    units: Mapped[int] = mapped_column(Integer, default=1)
    description: Mapped[str] = mapped_column(Text)
    amount_yen: Mapped[int] = mapped_column(Integer, default=0)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("counter_charges.id"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class PrintJob(Base):
    """印刷室の利用簿: one group's job on one machine — masters (製版), sheets, colour, paper
    brought or sold — with its fee; ``charge_id`` once billed (at once, or at the end of the
    month / half year, 設定 → 印刷室)."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_group_used", "group_id", "used_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    used_on: Mapped[dt.date] = mapped_column(Date, index=True)
    machine: Mapped[str] = mapped_column(String(60))
    masters: Mapped[int] = mapped_column(Integer, default=0)
    sheets: Mapped[int] = mapped_column(Integer, default=0)
    colour: Mapped[bool] = mapped_column(Boolean, default=False)
    paper: Mapped[str] = mapped_column(String(10), default="brought")
    fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("counter_charges.id"), nullable=True, index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")
