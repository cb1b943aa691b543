"""Retention of consultation records (保存期間) and the anonymous counts kept for statistics.

A completed consultation (完了) is kept for a configurable number of whole years after the day it
was completed (設定 ``consultation_retention_years``, default 5). An admin lists the records past
that period and deletes them: before deleting, each record is added to the anonymous monthly
counts (:class:`ConsultationCount`: total and minutes, by method, client type, topic and NPO
field), so the statistics of past years do not change. On SQLite the deleting connection runs
with ``PRAGMA secure_delete`` (freed pages are overwritten with zeros) and the WAL is
checkpointed afterwards, so the deleted text does not linger in the file; PostgreSQL has no such
pragma (VACUUM reclaims the space later). Every deleted record is audited (``delete``, without
personal data), and the run as a whole (``purge``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.consultations import (
    Consultation,
    ConsultationActivityField,
    ConsultationCount,
    ConsultationTopic,
    ConsultationTopicLink,
)
from center_app.db.groups import Group
from center_app.db.models import StaffUser
from center_app.domain import clock
from center_app.domain.center_settings import RETENTION_YEARS
from center_app.domain.roles import Role
from center_app.services import audit, center_settings
from center_app.services.consultations_queries import ENTITY, allow, client_label
from center_app.services.consultations_values import DONE, RetentionCandidate
from center_app.services.context import ServiceContext

RETENTION_KEY = RETENTION_YEARS.key
DEFAULT_RETENTION_YEARS = RETENTION_YEARS.default
MAX_RETENTION_YEARS = RETENTION_YEARS.maximum


def _years(session: Session) -> int:
    return center_settings.get(session, RETENTION_YEARS)


def retention_years(ctx: ServiceContext) -> int:
    """The configured retention period in years (coordinators and admins). ValidationError
    naming the setting when the stored period is not valid: records are never listed or deleted
    under a period nobody chose."""
    allow(ctx, "retention")
    with ctx.db.read() as session:
        return _years(session)


def set_retention_years(ctx: ServiceContext, years: int) -> int:
    """Change the retention period (admin only, audited). Raises ValidationError for a value
    outside 1 … 100 (field ``consultation_retention_years``); also replaces an invalid stored
    period."""
    user = allow(ctx, "retention_settings", Role.ADMIN)
    with ctx.db.write() as session:
        return center_settings.set(session, user, RETENTION_YEARS, years)


def cutoff(years: int, day: dt.date) -> dt.date:
    """Records completed before this date are past the retention period on ``day``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # February 29
        return day.replace(year=day.year - years, day=28)


def _expired_query(limit_day: dt.date):
    return (
        select(Consultation, Group.name, StaffUser.display_name)
        .outerjoin(Group, Group.id == Consultation.group_id)
        .join(StaffUser, StaffUser.id == Consultation.staff_user_id)
        .where(Consultation.status == DONE, Consultation.completed_on.is_not(None), Consultation.completed_on < limit_day)
        .order_by(Consultation.completed_on, Consultation.id)
    )


def expired_consultations(ctx: ServiceContext, *, day: dt.date | None = None) -> list[RetentionCandidate]:
    """Completed consultations past the retention period on ``day`` (default today), oldest
    first (admin only; audited ``list``)."""
    user = allow(ctx, "retention_list", Role.ADMIN)
    day = day or clock.today()
    with ctx.db.write() as session:
        limit_day = cutoff(_years(session), day)
        rows = session.execute(_expired_query(limit_day)).all()
        topics = _topics_of(session, [c.id for c, _g, _s in rows])
        result = [
            RetentionCandidate(c.id, c.consulted_on, c.completed_on, c.method, c.client_type, client_label(c, g), s, tuple(topics.get(c.id, ())))
            for c, g, s in rows
        ]
        audit.record(session, user, ENTITY, "", "list", note=f"retention before={limit_day.isoformat()} rows={len(result)}")
    return result


def _topics_of(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if ids:
        rows = session.execute(
            select(ConsultationTopicLink.consultation_id, ConsultationTopic.name)
            .join(ConsultationTopic, ConsultationTopic.id == ConsultationTopicLink.topic_id)
            .where(ConsultationTopicLink.consultation_id.in_(ids))
            .order_by(ConsultationTopicLink.position)
        )
        for cid, name in rows:
            found.setdefault(cid, []).append(name)
    return found


@dataclass(frozen=True)
class PurgeResult:
    """Records deleted by the retention rule and the date they were completed before."""

    deleted: int
    before: dt.date


def _add_counts(session: Session, record: Consultation, topic_names: list[str]) -> None:
    year, month = record.consulted_on.year, record.consulted_on.month
    entries = [("total", "", record.duration_minutes or 0), ("method", record.method, 0), ("client_type", record.client_type, 0)]
    entries += [("topic", name, 0) for name in topic_names]
    entries += [("activity_field", str(link.field_code), 0) for link in record.field_links]
    for dimension, value, minutes in entries:
        row = session.scalar(
            select(ConsultationCount).where(
                ConsultationCount.year == year, ConsultationCount.month == month,
                ConsultationCount.dimension == dimension, ConsultationCount.value == value,
            ).with_for_update()
        )
        if row is None:
            row = ConsultationCount(year=year, month=month, dimension=dimension, value=value, count=0, minutes=0)
            session.add(row)
        row.count += 1
        row.minutes += minutes
        session.flush()


def purge_expired(ctx: ServiceContext, ids: list[int] | None = None, *, day: dt.date | None = None) -> PurgeResult:
    """Delete the consultations past the retention period (admin only).

    ``ids`` limits the deletion to the records the admin was shown (records no longer past the
    period are left alone). Counts are kept (see the module docstring); each deletion is audited.
    """
    user = allow(ctx, "retention_delete", Role.ADMIN)
    day = day or clock.today()
    sqlite = ctx.db.engine.dialect.name == "sqlite"
    with ctx.db.write() as session:
        connection = session.connection()
        previous = None
        if sqlite:
            previous = connection.exec_driver_sql("PRAGMA secure_delete").scalar()
            connection.exec_driver_sql("PRAGMA secure_delete=ON")
        try:
            limit_day = cutoff(_years(session), day)
            query = _expired_query(limit_day).with_for_update(of=Consultation)  # no edit of them meanwhile
            if ids is not None:
                query = query.where(Consultation.id.in_(list(ids)))
            records = [c for c, _g, _s in session.execute(query).all()]
            topics = _topics_of(session, [c.id for c in records])
            for record in records:
                _add_counts(session, record, topics.get(record.id, []))
                audit.record(session, user, ENTITY, record.id, "delete", note=f"retention completed_on={record.completed_on.isoformat()}")
                session.delete(record)
            session.flush()
            audit.record(session, user, ENTITY, "", "purge", note=f"retention before={limit_day.isoformat()} deleted={len(records)}")
        finally:
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA secure_delete={int(previous or 0)}")
    if sqlite and records:
        with ctx.db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return PurgeResult(len(records), limit_day)


# --- statistics --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationStats:
    """Anonymous counts of consultations in a period: live records plus the counts kept for
    deleted ones. Keys: method codes, client type codes, topic names, activity field codes."""

    total: int = 0
    minutes: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    by_client_type: dict[str, int] = field(default_factory=dict)
    by_topic: dict[str, int] = field(default_factory=dict)
    by_activity_field: dict[int, int] = field(default_factory=dict)


def consultation_stats(ctx: ServiceContext, start: dt.date, end: dt.date) -> ConsultationStats:
    """Counts of consultations held ``start``–``end`` (inclusive) for 集計: coordinators and
    administrators only, like the consultation log (confidential records are counted: a count
    names nobody); counter staff are refused with PermissionDenied, audited — a count over a
    short period would tell them that a confidential consultation took place. Counts of deleted
    records are kept per month, so they are included for every month that overlaps the period."""
    allow(ctx, "statistics")
    by: dict[str, Counter] = {k: Counter() for k in ("method", "client_type", "topic", "activity_field")}
    total = minutes = 0
    with ctx.db.read() as session:
        records = session.execute(
            select(Consultation.id, Consultation.method, Consultation.client_type, Consultation.duration_minutes)
            .where(Consultation.consulted_on >= start, Consultation.consulted_on <= end)
        ).all()
        ids = [r.id for r in records]
        for r in records:
            total += 1
            minutes += r.duration_minutes or 0
            by["method"][r.method] += 1
            by["client_type"][r.client_type] += 1
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            for _cid, names in _topics_of(session, chunk).items():
                by["topic"].update(names)
            for code in session.scalars(select(ConsultationActivityField.field_code).where(ConsultationActivityField.consultation_id.in_(chunk))):
                by["activity_field"][str(code)] += 1
        first, last = start.year * 12 + start.month - 1, end.year * 12 + end.month - 1
        month_index = ConsultationCount.year * 12 + ConsultationCount.month - 1
        for row in session.scalars(select(ConsultationCount).where(month_index >= first, month_index <= last)):
            if row.dimension == "total":
                total += row.count
                minutes += row.minutes
            elif row.dimension in by:
                by[row.dimension][row.value] += row.count
    return ConsultationStats(
        total=total, minutes=minutes, by_method=dict(by["method"]), by_client_type=dict(by["client_type"]),
        by_topic=dict(by["topic"]), by_activity_field={int(k): v for k, v in by["activity_field"].items()},
    )
