"""Models of the opening-day lottery for rooms (抽選) and the record of every draw.

``lottery_entries``: one wish of a group — a room, a day and a time slot of the lottery month of a
facility. ``lottery_draws``: one recorded draw (rooms of a facility and month, or lockers of a kind
and term): the seed, the tickets in canonical order and the outcomes, so the draw can be run again
(:mod:`center_app.domain.lottery`). A period is drawn once (unique ``kind``, ``scope``, ``period``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db import bookings as _bookings  # noqa: F401 - tables the foreign keys refer to
from center_app.db import groups as _groups  # noqa: F401
from center_app.db import models as _models  # noqa: F401
from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now

ENTERED, WON, LOST, WITHDRAWN = "entered", "won", "lost", "withdrawn"


class LotteryEntry(Versioned, Base):
    """抽選の申込: ``group_id`` wishes ``room_id`` on ``day`` in the time slot ``slot_name`` of the
    lottery month ``month`` (``YYYY-MM``) of ``facility_id``, for ``people`` (利用人数の予定). ``status``: entered, won (its 仮予約
    is ``booking_id``), lost, withdrawn."""

    __tablename__ = "lottery_entries"
    __table_args__ = (Index("ix_lottery_entries_facility_month", "facility_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    month: Mapped[str] = mapped_column(String(7))
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    slot_name: Mapped[str] = mapped_column(String(40))
    people: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default=ENTERED)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"), nullable=True)
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    entered_by: Mapped[str] = mapped_column(String(100), default="")


class LotteryDraw(Base):
    """One recorded draw: ``kind`` rooms or lockers, ``scope`` (the facility's code, or the locker
    kind), ``period`` (``YYYY-MM`` or the term's first year), the ``seed``, the ``tickets`` in
    canonical order and the ``outcomes`` (number, rank, won, reason) in priority order."""

    __tablename__ = "lottery_draws"
    __table_args__ = (UniqueConstraint("kind", "scope", "period", name="uq_lottery_draws_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    scope: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(10))
    seed: Mapped[int] = mapped_column(BigInteger)
    cap: Mapped[int] = mapped_column(Integer)
    tickets: Mapped[list[Any]] = mapped_column(JSON)
    taken: Mapped[list[Any]] = mapped_column(JSON)
    outcomes: Mapped[list[Any]] = mapped_column(JSON)
    drawn_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    drawn_by: Mapped[str] = mapped_column(String(100), default="")
