"""Models of mailings to groups (郵送).

``mail_templates``: the letter templates of 設定 → 郵送文書 (a name, the letter's heading and its
text with merge fields, :mod:`center_app.domain.mailings`); the renewal notice and a general
notice are seeded by the migration. ``mailings``: the sent-mail record, one row per group and
mailing — what was sent (letter with its template, address labels, envelope), the day and who
sent it; rows are never changed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from center_app.db import groups as _groups  # noqa: F401 - the table the foreign key refers to
from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now


class MailTemplate(Versioned, Base):
    """A letter template: ``name`` (unique), ``title`` and ``body`` with merge fields."""

    __tablename__ = "mail_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class Mailing(Base):
    """One group's copy of a mailing: ``kind`` (letter, labels, envelope), ``template_name`` (the
    letter's template as it was named then), ``sent_on``, ``sent_by`` (the staff member's name)."""

    __tablename__ = "mailings"
    __table_args__ = (Index("ix_mailings_group_sent", "group_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"))
    kind: Mapped[str] = mapped_column(String(20))
    template_name: Mapped[str] = mapped_column(String(100), default="")
    sent_on: Mapped[dt.date] = mapped_column(Date)
    sent_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
