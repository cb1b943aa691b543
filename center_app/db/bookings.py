"""Models of room booking (施設予約): bookings and repeating series.

Times are naive local wall times (Asia/Tokyo); an interval is half-open ``[start_at, end_at)`` and
lies within one day (``domain.booking_rules.MAX_BOOKING_LENGTH``), which lets the conflict check
read only the index range ``(room_id, start_at)`` of one day. Money is integer yen; rates are
integer percent.

Stored codes (labels come from the catalog, see :mod:`center_app.domain.booking_values`):

- ``Booking.status``: ``provisional`` (仮予約), ``confirmed`` (確定), ``used`` (利用済),
  ``cancelled`` (取消), ``no_show`` (無断キャンセル). Only a cancelled booking blocks nothing.
- ``Booking.slot_names``: JSON list of the named slots booked (["午前", "午後"]); empty when
  booked by free times.
- ``Booking.language``: the applicant's preferred language of documents (ja, en, pt_BR).

The fee columns are a snapshot taken when the booking was last saved, so a later change of the
fee table never changes a slip already handed out: ``base_fee_yen`` (room × slot or started
hours), ``gross_fee_yen`` (× the applicant class's multiplier), ``waived_yen`` (減免) and
``fee_yen`` (to pay); ``gross_fee_yen - waived_yen == fee_yen``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now  # column defaults: the one clock, whole seconds


class BookingSeries(Versioned, Base):
    """繰り返し予約: an RFC 5545 recurrence rule (``RRULE:…`` as python-dateutil's rrule reads it)
    from ``first_date``, with ``exdates`` (JSON list of ISO dates the clerk chose to skip)."""

    __tablename__ = "booking_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    rule: Mapped[str] = mapped_column(String(400))
    first_date: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[dt.time] = mapped_column(Time)
    end_time: Mapped[dt.time] = mapped_column(Time)
    slot_names: Mapped[Any] = mapped_column(JSON, default=list)
    exdates: Mapped[Any] = mapped_column(JSON, default=list)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True, index=True)
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class Booking(Versioned, Base):
    """予約: one room, one applicant, one ``[start_at, end_at)`` interval within one day.

    The applicant is a registered group (``group_id``; name and reading copied for lists and
    history) or an unregistered applicant (name, kana, phone). ``applicant_class_code`` is the
    class whose multiplier and horizon applied (登録団体, 一般（市内）, 市外).
    """

    __tablename__ = "bookings"
    __table_args__ = (
        Index("ix_bookings_room_start", "room_id", "start_at"),
        Index("ix_bookings_group_start", "group_id", "start_at"),
        Index("ix_bookings_start_at", "start_at"),
        # every column the usage summary reads of a period's bookings (services/statistics_queries):
        # its passes read this index alone, not the wide rows
        Index("ix_bookings_summary", "start_at", "room_id", "applicant_class_code", "status", "slot_units", "attendance", "fee_yen",
              "waived_yen", "group_id", "exemption_code", "gross_fee_yen", "exemption_rate_percent", "exemption_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slip_no: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime)
    end_at: Mapped[dt.datetime] = mapped_column(DateTime)
    slot_names: Mapped[Any] = mapped_column(JSON, default=list)
    #: Regular slots the interval overlaps (全日 = 3): the unit of the monthly cap and occupancy.
    slot_units: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default="confirmed")

    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True)
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    applicant_kana: Mapped[str] = mapped_column(String(200), default="")
    applicant_phone: Mapped[str] = mapped_column(String(20), default="")
    applicant_class_code: Mapped[str] = mapped_column(String(30), default="")
    language: Mapped[str] = mapped_column(String(10), default="ja")

    purpose: Mapped[str] = mapped_column(Text, default="")
    expected_people: Mapped[int] = mapped_column(Integer, default=1)
    attendance: Mapped[int | None] = mapped_column(Integer, nullable=True)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)

    base_fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    gross_fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    fee_yen: Mapped[int] = mapped_column(Integer, default=0)
    exemption_code: Mapped[str] = mapped_column(String(30), default="")
    exemption_name: Mapped[str] = mapped_column(String(100), default="")
    exemption_rate_percent: Mapped[int] = mapped_column(Integer, default=0)
    waived_yen: Mapped[int] = mapped_column(Integer, default=0)

    closed_override_reason: Mapped[str] = mapped_column(Text, default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    #: The configured 取消理由 (``cancellation_reasons.code``) whose 還付率 applies; "" for none.
    cancel_reason_code: Mapped[str] = mapped_column(String(30), default="")
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    series_id: Mapped[int | None] = mapped_column(ForeignKey("booking_series.id"), nullable=True, index=True)

    #: Booked before the money ledger existed (移行前): its payment is unknown, never "paid" (the
    #: ledger decides the money state; see :func:`center_app.domain.money.money_state`).
    ledger_legacy: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
