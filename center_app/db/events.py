"""イベント: events the center runs with the groups (seminars, workshops, fairs), printed as
flyers and as the source of 修了証 / 感謝状.

``event_date`` may be empty while an event is being planned; such an event cannot be printed
(the flyer says which field is missing). The place is a room (``room_id``) or free text
(``place_text``), e.g. an outside venue. ``fee_yen`` 0 is 無料, None prints no fee.
``flyer_options`` keeps the choices of the last flyer: ``template``, ``easy_japanese``,
``easy_text``, ``second_language``, ``translated_title``, ``translated_text``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from center_app.db.base import Base, Versioned
from center_app.db.models import Room
from center_app.domain.clock import now as _now  # column defaults: the one clock, whole seconds


class Event(Versioned, Base):
    """An event: title, date and times, place, organiser, co-hosts, fee, capacity, how to
    apply, contact, description, picture and web address (for the flyer's QR code)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    catch_copy: Mapped[str] = mapped_column(String(200), default="")
    event_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    end_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"), nullable=True, index=True)
    #: The booking holding the room (an event in a room books it like the counter does).
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True, index=True)
    place_text: Mapped[str] = mapped_column(String(200), default="")
    organiser: Mapped[str] = mapped_column(String(200), default="")
    co_hosts: Mapped[str] = mapped_column(String(400), default="")
    fee_yen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fee_note: Mapped[str] = mapped_column(String(100), default="")
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    how_to_apply: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    image_path: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    flyer_options: Mapped[Any] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    room: Mapped[Room | None] = relationship()


class AwardNumber(Base):
    """The number of one 修了証: one per recipient (name and affiliation, as printed) and course,
    given once and printed again on every reprint. ``fiscal_year`` / ``serial`` are the year it was
    first issued and its place in that year (printed 第2026-0001号, numbers from
    ``document_counters`` kind ``award``)."""

    __tablename__ = "award_numbers"
    __table_args__ = (
        UniqueConstraint("course_name", "recipient_name", "affiliation", name="uq_award_numbers_recipient"),
        UniqueConstraint("fiscal_year", "serial", name="uq_award_numbers_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_name: Mapped[str] = mapped_column(String(200))
    recipient_name: Mapped[str] = mapped_column(String(200))
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    fiscal_year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
