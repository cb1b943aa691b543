"""Models of the center's configuration, staff accounts and the audit log.

Times of day are naive local times (Asia/Tokyo wall time); money is integer yen; rates are
integer percent. Nothing is deleted from the configuration: rows are deactivated (``active``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now  # column defaults: the one clock, whole seconds


class Facility(Versioned, Base):
    """施設: the main center or a district center (地区センター). Opening hours in local time."""

    __tablename__ = "facilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    is_main: Mapped[bool] = mapped_column(Boolean, default=False)
    opening_time: Mapped[dt.time] = mapped_column(Time)
    closing_time: Mapped[dt.time] = mapped_column(Time)
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: The facility keeps its own cash: its receipts are numbered in a series of their own.
    own_receipt_series: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The facility's own lottery window (None: the center-wide value of 設定 → ロッカー・来館者・抽選).
    lottery_months_ahead: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lottery_entry_first_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lottery_entry_last_day: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lottery_entries_per_group: Mapped[int | None] = mapped_column(Integer, nullable=True)

    rooms: Mapped[list[Room]] = relationship(back_populates="facility", order_by="Room.sort_order")
    time_slots: Mapped[list[TimeSlot]] = relationship(back_populates="facility", order_by="TimeSlot.sort_order")
    closed_day_rules: Mapped[list[ClosedDayRule]] = relationship(back_populates="facility")


class Room(Versioned, Base):
    """部屋 / 会議室: a bookable space of a facility. ``fee_per_hour_yen`` is for hourly booking;
    ``conditions``: the room's own conditions of use printed on its permit (one a line)."""

    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("facility_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int] = mapped_column(Integer)
    fee_per_hour_yen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    conditions: Mapped[str] = mapped_column(Text, default="")

    facility: Mapped[Facility] = relationship(back_populates="rooms")


class TimeSlot(Versioned, Base):
    """利用区分: a named period of a facility (午前 9:00–12:00, …); 全日 spans the others."""

    __tablename__ = "time_slots"
    __table_args__ = (UniqueConstraint("facility_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    name: Mapped[str] = mapped_column(String(20))
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    is_all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    facility: Mapped[Facility] = relationship(back_populates="time_slots")


class ClosedDayRule(Versioned, Base):
    """休館日 rule of a facility. ``kind`` is one of:

    - ``weekly``: ``weekday`` (Mon=0) closes every week; ``holiday_shift`` opens it on a national
      holiday and closes the next working day instead;
    - ``range``: a yearly month-day range ``from_md``–``to_md`` (``"12-29"``–``"01-03"``), ``name``;
    - ``date``: one ``on_date``; ``closes`` false makes it an open override;
    - ``holidays``: ``closes`` true makes national holidays closing days.
    """

    __tablename__ = "closed_day_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)
    holiday_shift: Mapped[bool] = mapped_column(Boolean, default=False)
    from_md: Mapped[str | None] = mapped_column(String(5), nullable=True)
    to_md: Mapped[str | None] = mapped_column(String(5), nullable=True)
    on_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    closes: Mapped[bool] = mapped_column(Boolean, default=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    facility: Mapped[Facility] = relationship(back_populates="closed_day_rules")


class ApplicantClass(Versioned, Base):
    """申請者区分 (登録団体, 一般（市内）, 市外): fee multiplier in percent and booking horizon in months."""

    __tablename__ = "applicant_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    fee_multiplier_percent: Mapped[int] = mapped_column(Integer, default=100)
    booking_horizon_months: Mapped[int] = mapped_column(Integer, default=1)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FeeTable(Versioned, Base):
    """使用料: the base fee in yen of one room for one named slot (before class and 減免)."""

    __tablename__ = "fee_table"
    __table_args__ = (UniqueConstraint("room_id", "time_slot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    time_slot_id: Mapped[int] = mapped_column(ForeignKey("time_slots.id"), index=True)
    fee_yen: Mapped[int] = mapped_column(Integer)

    room: Mapped[Room] = relationship()
    time_slot: Mapped[TimeSlot] = relationship()


class FeeExemption(Versioned, Base):
    """減免: a reason code and the percent of the fee waived (100 = 免除, 50 = 5割減額)."""

    __tablename__ = "fee_exemptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    rate_percent: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CenterSetting(Versioned, Base):
    """Center-wide settings shared by every PC (monthly cap, number pattern, …) as JSON values."""

    __tablename__ = "center_settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class StaffUser(Versioned, Base):
    """職員: a sign-in account. ``role`` is counter / coordinator / admin; argon2id hash only.

    ``session_epoch`` goes up when the account is disabled, its role changes or its password is
    reset: every service call compares it with the epoch the session signed in with, so such a
    change signs that person out at their next action (:meth:`ServiceContext.require`)."""

    __tablename__ = "staff_users"
    #: Sign-in bookkeeping (and the rehash of a password at sign-in) is not an edit of the account.
    __version_ignored__ = frozenset({"failed_login_count", "locked_until", "last_login_at", "password_hash"})

    id: Mapped[int] = mapped_column(primary_key=True)
    login_name: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditEntry(Base):
    """操作履歴: who changed (or read) what and when; ``before``/``after`` are JSON snapshots."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    staff_name: Mapped[str] = mapped_column(String(100), default="")
    entity: Mapped[str] = mapped_column(String(40), index=True)
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    after: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
