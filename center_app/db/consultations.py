"""Models of the consultation log (相談記録) of the coordinators.

Stored codes (labels come from the catalog, see :mod:`center_app.services.consultations_values`):

- ``Consultation.method`` (相談方法): ``visit`` (来所), ``phone`` (電話), ``email`` (メール), ``fax``
  (FAX), ``letter`` (手紙), ``online`` (オンライン), ``outreach`` (出張・外出先).
- ``Consultation.client_type`` (相談者の属性): ``civic_group`` (市民活動団体), ``individual`` (個人),
  ``company`` (企業), ``government`` (行政), ``support_org`` (支援団体), ``other`` (その他).
- ``Consultation.status``: ``open`` (対応中) or ``done`` (完了); ``completed_on`` is the day it
  became 完了, the start of the retention period.

The client is a registered group (``group_id``) or an unregistered person or organisation
(``client_name``, ``client_kana``, ``client_contact``); both may be set (a person speaking for a
group). ``confidential`` (担当者限定) records are visible only to their ``staff_user_id`` and admins.

``ConsultationCount`` keeps anonymous monthly counts of records deleted by the retention rule,
so statistics of past years stay complete after the personal data is gone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now  # column defaults: the one clock, whole seconds


class ConsultationTopic(Versioned, Base):
    """相談分野: an editable list (設立, 法人化, 運営, …). Never deleted, only switched off."""

    __tablename__ = "consultation_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Consultation(Versioned, Base):
    """相談: one consultation. Dates and times are local (Asia/Tokyo wall time)."""

    __tablename__ = "consultations"
    __table_args__ = (
        Index("ix_consultations_status_completed_on", "status", "completed_on"),
        Index("ix_consultations_follow_up", "follow_up_needed", "follow_up_done", "follow_up_due"),
        # the usage summary's counts of a period by method, client type and staff member, read from this index alone
        Index("ix_consultations_summary", "consulted_on", "method", "client_type", "staff_user_id", "duration_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consulted_on: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time, nullable=True)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    method: Mapped[str] = mapped_column(String(20))
    client_type: Mapped[str] = mapped_column(String(20))

    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), nullable=True, index=True)
    client_name: Mapped[str] = mapped_column(String(200), default="")
    client_kana: Mapped[str] = mapped_column(String(200), default="")
    client_contact: Mapped[str] = mapped_column(String(300), default="")

    content: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    referral: Mapped[str] = mapped_column(String(300), default="")

    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    follow_up_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    follow_up_done: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="open")
    completed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)

    #: Normalised text of names, reading, contact, content, response and referral for free-text
    #: search (a contains-search over one column, refreshed on every write).
    search_text: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)

    topic_links: Mapped[list[ConsultationTopicLink]] = relationship(
        back_populates="consultation", order_by="ConsultationTopicLink.position", cascade="all, delete-orphan"
    )
    field_links: Mapped[list[ConsultationActivityField]] = relationship(
        back_populates="consultation", order_by="ConsultationActivityField.position", cascade="all, delete-orphan"
    )


class ConsultationTopicLink(Base):
    """A topic of a consultation (several per record)."""

    __tablename__ = "consultation_topic_links"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("consultation_topics.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="topic_links")
    topic: Mapped[ConsultationTopic] = relationship()


class ConsultationActivityField(Base):
    """An NPO Act activity field (活動分野, 1–20) the consultation concerns."""

    __tablename__ = "consultation_activity_fields"

    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True)
    field_code: Mapped[int] = mapped_column(ForeignKey("activity_fields.code"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="field_links")


class ConsultationCount(Base):
    """Anonymous counts of deleted consultations, per month of ``consulted_on``.

    ``dimension`` is ``total``, ``method``, ``client_type``, ``topic`` (``value`` = the topic's
    name) or ``activity_field`` (``value`` = its code); ``minutes`` sums the durations (total only).
    """

    __tablename__ = "consultation_counts"
    __table_args__ = (UniqueConstraint("year", "month", "dimension", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    dimension: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(String(60), default="")
    count: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
