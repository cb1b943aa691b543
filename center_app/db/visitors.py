"""Model of the visitor tally (来館者数): one row per key press on ホーム or per correction.

Rows are only inserted: a correction by the clerk is a row with a negative (or positive) ``count``
and its reason, audited; a day's total per purpose is the sum. ``purpose`` is stored as named in
設定 at the time (renaming a purpose later keeps the history as it was counted).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db import models as _models  # noqa: F401 - tables the foreign keys refer to
from center_app.db.base import Base
from center_app.domain.clock import now as _now


class VisitorCount(Base):
    """来館者: ``count`` visitors (1 a key press; a correction may be negative) of ``purpose`` at
    ``facility_id`` on ``day``; ``reason`` is set for a correction."""

    __tablename__ = "visitor_counts"
    __table_args__ = (
        Index("ix_visitor_counts_facility_day", "facility_id", "day"),
        # the reports' visitors per day and purpose of a period, all facilities, read from this index alone
        Index("ix_visitor_counts_day", "day", "purpose", "count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(40))
    count: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")
