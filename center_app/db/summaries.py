"""Figures of the usage summary kept per month (集計の月別保存), so a fiscal year of past months is
read from a few hundred rows instead of every booking and payment of the year.

Only months wholly in the past are kept, and only the figures of one pass over the bookings and
the ledger (:mod:`center_app.services.statistics_bookings`: per room and applicant class, and the
ledger's income per room). They are a copy, never the record: any write that could change a
kept month makes it stale in the same transaction (:mod:`center_app.db.summary_marks`), and the
summary then reads that month from the bookings and the ledger again and keeps the new figures.

- :class:`SummaryState` — one row: ``generation`` goes up whenever the bookings or the ledger are
  written in bulk (an import, the demo), which makes every kept month stale at once.
- :class:`SummaryMonth` — one row per month ever marked or kept: ``generation`` goes up with
  every write to that month's figures; the kept figures count only while ``figures_generation``
  equals it, ``state_generation`` equals the state's and ``definition`` names this version of the
  figures and of the schema (see :func:`center_app.services.statistics_months.definition`).
- :class:`SummaryMonthFigure` — the kept rows of the pass, as the pass returns them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db.base import Base


class SummaryState(Base):
    """The one row (``id`` 1) whose ``generation`` makes every kept month stale when it moves."""

    __tablename__ = "summary_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class SummaryMonth(Base):
    """A month (``month_start``: its first day) whose figures are or were kept."""

    __tablename__ = "summary_months"

    month_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    figures_generation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state_generation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    definition: Mapped[str | None] = mapped_column(String(100), nullable=True)
    computed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class SummaryMonthFigure(Base):
    """One kept row of the month's pass: ``part`` 0 — the bookings of ``room_id`` and
    ``applicant_class_code``, ``part`` 1 — the ledger's income of ``room_id`` (yen, in
    ``value_0``); ``value_0`` … ``value_8`` are the figures in the order of
    :data:`center_app.services.statistics_bookings.FIGURES`."""

    __tablename__ = "summary_month_figures"
    __table_args__ = (Index("ix_summary_month_figures_month", "month_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month_start: Mapped[dt.date] = mapped_column(Date)
    part: Mapped[int] = mapped_column(Integer)
    room_id: Mapped[int] = mapped_column(Integer)
    applicant_class_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    value_0: Mapped[int] = mapped_column(Integer, default=0)
    value_1: Mapped[int] = mapped_column(Integer, default=0)
    value_2: Mapped[int] = mapped_column(Integer, default=0)
    value_3: Mapped[int] = mapped_column(Integer, default=0)
    value_4: Mapped[int] = mapped_column(Integer, default=0)
    value_5: Mapped[int] = mapped_column(Integer, default=0)
    value_6: Mapped[int] = mapped_column(Integer, default=0)
    value_7: Mapped[int] = mapped_column(Integer, default=0)
    value_8: Mapped[int] = mapped_column(Integer, default=0)
