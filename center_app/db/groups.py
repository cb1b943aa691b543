"""Models of the group registry (団体登録): groups, the 20 NPO Act activity fields, and the link.

Stored codes (labels come from the catalog, see :mod:`center_app.services.groups`):

- ``Group.status``: ``applied`` (申請中), ``registered`` (登録), ``paused`` (休止),
  ``withdrawn`` (廃止). 期限切れ (``expired``) is never stored: it is a ``registered`` group whose
  ``valid_until`` lies before today, computed when reading, so no nightly job is needed.
- ``Group.legal_form``: ``voluntary`` (任意団体), ``npo`` (NPO法人), ``general_association``
  (一般社団法人), ``neighborhood`` (自治会・町内会), ``other`` (その他).
- ``Group.public_consent``: JSON list of the public-field keys the group agreed to publish
  (``name``, ``contact``, ``representative``, ``founded_on``, ``member_count``,
  ``membership_fee``, ``website``, ``activity_fields``, ``purpose``, ``activities``).

The ``*_search`` and ``search_text`` columns are derived from the visible fields on every write
(see ``services.group_values.search_columns``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from center_app.db.base import Base, Versioned
from center_app.domain.clock import now as _now  # column defaults: the one clock, whole seconds

#: Type of a stored sort key: compared bytewise on both engines (SQLite's BINARY, PostgreSQL's "C").
SORT_KEY = String(1000).with_variant(String(1000, collation="C"), "postgresql")


class ActivityField(Base):
    """活動分野: one of the 20 fields of 特定非営利活動促進法 別表; ``code`` 1–20 is its number."""

    __tablename__ = "activity_fields"

    code: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    short_name: Mapped[str] = mapped_column(String(40), unique=True)


class Group(Versioned, Base):
    """市民活動団体 / 登録団体. Phone numbers are stored as ``0XX-XXX-XXXX``; kana in full-width
    katakana; dates are local dates. ``registration_no`` is None only while 申請中."""

    __tablename__ = "groups"
    __table_args__ = (
        UniqueConstraint("registration_fiscal_year", "registration_serial"),
        Index("ix_groups_list", "name_sort", "search_text", "search_loose", "status", "valid_until", "legal_form"),
        # the usage summary's registrations per month, read from this index alone
        Index("ix_groups_dates", "status", "registered_on", "renewed_on", "status_changed_on", "valid_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_no: Mapped[str | None] = mapped_column(String(30), unique=True, nullable=True)
    #: Fiscal year and serial the number was assigned from (None for numbers imported in another
    #: pattern); the next serial of a fiscal year is max(serial) + 1.
    registration_fiscal_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    registration_serial: Mapped[int | None] = mapped_column(Integer, nullable=True)

    name: Mapped[str] = mapped_column(String(200))
    name_kana: Mapped[str] = mapped_column(String(200))
    legal_form: Mapped[str] = mapped_column(String(30))
    purpose: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[str] = mapped_column(Text, default="")

    representative_name: Mapped[str] = mapped_column(String(100), default="")
    representative_kana: Mapped[str] = mapped_column(String(100), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_kana: Mapped[str] = mapped_column(String(100), default="")
    postal_code: Mapped[str] = mapped_column(String(8), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    mobile: Mapped[str] = mapped_column(String(20), default="")
    fax: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")

    member_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    membership_fee: Mapped[str] = mapped_column(String(100), default="")
    founded_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    registered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    renewed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    status_changed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    public_consent: Mapped[Any] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    certificate_reissue_count: Mapped[int] = mapped_column(Integer, default=0)

    #: Exact-match keys of the duplicate warning (normalised name, katakana reading key).
    name_search: Mapped[str] = mapped_column(String(200), default="", index=True)
    kana_search: Mapped[str] = mapped_column(String(200), default="", index=True)
    #: Contains-search key: name, reading, number, phone digits, persons and address, each folded
    #: by ``domain.search_keys.search_key``, separated by spaces. ``ix_groups_list`` covers it with the sort key and
    #: the filter columns, so a search scans the small index in 五十音順, never the wide table rows.
    search_text: Mapped[str] = mapped_column(String(1000), default="")
    #: The parts of ``search_text`` that voicing marks change, without them: the fallback match
    #: (かいど finds ガイド), ranked after.
    search_loose: Mapped[str] = mapped_column(String(1000), default="")
    #: 五十音 order of the reading per JIS X 4061 (``domain.search_keys.kana_sort_key``): sorts
    #: bytewise, so PostgreSQL compares it with ``COLLATE "C"`` as SQLite does.
    name_sort: Mapped[str] = mapped_column(SORT_KEY, default="")

    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, onupdate=_now)

    activity_links: Mapped[list[GroupActivityField]] = relationship(
        back_populates="group", order_by="GroupActivityField.position", cascade="all, delete-orphan"
    )


class GroupActivityField(Base):
    """A group's activity field; ``position`` 0 is the main field (主たる活動分野)."""

    __tablename__ = "group_activity_fields"

    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True)
    field_code: Mapped[int] = mapped_column(ForeignKey("activity_fields.code"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[Group] = relationship(back_populates="activity_links")
    field: Mapped[ActivityField] = relationship()
