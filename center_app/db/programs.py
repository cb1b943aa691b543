"""補助金・協働事業提案: programs, their rounds, applications, the review panel, declared
conflicts of interest and the score sheets (docs/architecture.md §2).

A round keeps the criteria and the aggregation rule it was opened with (copied from 設定), so a
later change of the settings never changes a round under review. ``score_text`` and ``rank`` of
an application are written by the ranking (the exact score rounded to 2 decimals, as printed);
``granted_yen`` by the allocation. Amounts are whole yen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now


class GrantProgram(Versioned, Base):
    """A program: 市民活動支援補助金, 協働事業提案制度 … ``kind`` is a :class:`ProgramKind` value."""

    __tablename__ = "grant_programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class GrantRound(Versioned, Base):
    """One call for applications of a program: the window (``opens_on`` … ``closes_on``,
    inclusive), the budget and the cap per project (0: none), the criteria (setting text) and
    aggregation rule fixed at opening, and the pass mark (0: none)."""

    __tablename__ = "grant_rounds"
    __table_args__ = (UniqueConstraint("program_id", "name", name="uq_grant_rounds_program_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("grant_programs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    fiscal_year: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    budget_yen: Mapped[int] = mapped_column(Integer)
    cap_yen: Mapped[int] = mapped_column(Integer, default=0)
    pass_mark: Mapped[int] = mapped_column(Integer, default=0)
    criteria_text: Mapped[str] = mapped_column(Text)
    aggregation: Mapped[str] = mapped_column(String(20))
    #: open → ranked → allocated (a new score or conflict sets it back to open); allocated is
    #: final until an administrator reopens the round
    stage: Mapped[str] = mapped_column(String(20), default="open")
    #: how many times an administrator reopened the allocated round (the letters' number suffix)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class GrantReviewer(Versioned, Base):
    """A member of a round's review panel (審査委員)."""

    __tablename__ = "grant_reviewers"
    __table_args__ = (UniqueConstraint("round_id", "name", name="uq_grant_reviewers_round_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    affiliation: Mapped[str] = mapped_column(String(200), default="")


class GrantApplication(Versioned, Base):
    """An application by a registered group: the project, its 活動分野 (``field_code``), the
    budget lines (``[{"item": str, "amount_yen": int}]``), the requested amount, the documents
    received (``{name: bool}``), the status (:class:`ApplicationStatus` value), and what the
    review and the 実績報告 wrote."""

    __tablename__ = "grant_applications"
    __table_args__ = (UniqueConstraint("round_id", "group_id", name="uq_grant_applications_round_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("grant_rounds.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    project_title: Mapped[str] = mapped_column(String(200))
    field_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    budget_lines: Mapped[Any] = mapped_column(JSON, default=list)
    requested_yen: Mapped[int] = mapped_column(Integer)
    documents: Mapped[Any] = mapped_column(JSON, default=dict)
    received_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="received")
    score_text: Mapped[str] = mapped_column(String(20), default="")
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    granted_yen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    actual_spend_yen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reported_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class GrantConflict(Base):
    """A reviewer's declared conflict of interest with one application: that reviewer is left
    out of its review, and a sheet of theirs for it is refused."""

    __tablename__ = "grant_conflicts"
    __table_args__ = (UniqueConstraint("reviewer_id", "application_id", name="uq_grant_conflicts_reviewer_application"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("grant_reviewers.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class GrantScore(Base):
    """One reviewer's whole points for one criterion of one application."""

    __tablename__ = "grant_scores"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id", "criterion", name="uq_grant_scores_sheet_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("grant_applications.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("grant_reviewers.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(100))
    points: Mapped[int] = mapped_column(Integer)
    entered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Endorsement(Versioned, Base):
    """共催・後援: an application for the city's or the center's name (``name_lent``) on an
    event — ``kind`` cohost (共催) or support (後援) — its decision (``status`` applied /
    approved / refused, the date, the conditions) and the 減免 reason (``exemption_code``) an
    approval gives the event's booking. ``event_id`` is the stored event (its flyer shows the
    approved name); ``event_title``, ``event_date`` and ``event_place`` are as applied for;
    ``request`` is what the applicant asks for; ``refusal_reason`` the reason of a refusal
    (``status`` refused). A withdrawn application (取下げ) has ``status`` withdrawn."""

    __tablename__ = "endorsements"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), nullable=True, index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), nullable=True, index=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    event_title: Mapped[str] = mapped_column(String(200))
    event_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    event_place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    request: Mapped[str] = mapped_column(Text, default="", server_default="")
    name_lent: Mapped[str] = mapped_column(String(200))
    received_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="applied")
    decided_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    conditions: Mapped[str] = mapped_column(Text, default="")
    exemption_code: Mapped[str] = mapped_column(String(30), default="")
    refusal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
