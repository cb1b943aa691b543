"""Models of lockers and letter cases (ロッカー・レターケース): the units, the yearly 公募's
applications, the allocations for a term, key custody and the mail-received log.

A unit is allocated at most once per term: ``uq_locker_allocations_unit_term`` is the database's
last word when two PCs allocate the same unit at once (the services lock the unit row first).
Terms are named by the year they start in (``term``: 2026 = 2026-04-01 … 2027-03-31 with the
default first month). Fees are integer yen, paid in advance for the whole term through the money
ledger (``payment_id``: the receipt).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db import groups as _groups  # noqa: F401 - tables the foreign keys refer to
from center_app.db import models as _models  # noqa: F401
from center_app.db import money as _money  # noqa: F401
from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now


class LockerUnit(Versioned, Base):
    """One locker or letter case: ``code`` (L-01), ``kind`` (locker_large, locker_small,
    letter_case), ``size`` as printed (幅30×高さ40×奥行45cm), ``monthly_fee_yen``."""

    __tablename__ = "locker_units"
    __table_args__ = (UniqueConstraint("facility_id", "code", name="uq_locker_units_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[str] = mapped_column(String(60), default="")
    monthly_fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class LockerApplication(Versioned, Base):
    """公募への申込: ``group_id`` applies for a unit of ``kind`` at ``facility_id`` for ``term``;
    ``status`` applied, won, lost, withdrawn."""

    __tablename__ = "locker_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    term: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="applied")
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    applied_by: Mapped[str] = mapped_column(String(100), default="")


class LockerAllocation(Versioned, Base):
    """A unit given to a group for a term (``starts_on`` … ``ends_on`` inclusive), its fee for the
    term (``fee_yen``), its receipt (``payment_id``) and where the key is (``key_state``: center,
    issued, returned)."""

    __tablename__ = "locker_allocations"
    __table_args__ = (UniqueConstraint("unit_id", "term", name="uq_locker_allocations_unit_term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("locker_units.id"))
    term: Mapped[int] = mapped_column(Integer, index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    fee_yen: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True)
    key_state: Mapped[str] = mapped_column(String(10), default="center")
    application_id: Mapped[int | None] = mapped_column(ForeignKey("locker_applications.id"), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class LockerKeyEvent(Base):
    """鍵の受け渡し: the key of an allocation ``issued`` to the group or ``returned``, when and to whom."""

    __tablename__ = "locker_key_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("locker_allocations.id"), index=True)
    action: Mapped[str] = mapped_column(String(10))
    person: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class LockerMail(Versioned, Base):
    """郵便物の受け取り: mail received for the group of an allocation (``sender``, ``note``), and
    its hand-over (``handed_at``, ``handed_to``)."""

    __tablename__ = "locker_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("locker_allocations.id"), index=True)
    received_on: Mapped[dt.date] = mapped_column(Date)
    sender: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    received_by: Mapped[str] = mapped_column(String(100), default="")
    handed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    handed_to: Mapped[str] = mapped_column(String(100), default="")
    handed_by: Mapped[str] = mapped_column(String(100), default="")
