"""Retention: completed consultations past the period are listed and deleted by an admin, the text
is gone from the SQLite file, anonymous counts keep the statistics, and all of it is audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import event, select

from center_app.db.consultations import Consultation, ConsultationCount
from center_app.db.database import sqlite_path
from center_app.db.models import AuditEntry
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.services import consultations, consultations_queries, consultations_retention as retention
from center_app.services.consultations_values import ConsultationInput

pytestmark = pytest.mark.postgres

DAY = dt.date(2026, 6, 1)


def _record(ctx, consulted_on: dt.date, completed_on: dt.date | None, content: str, **extra) -> int:
    topics = {t.name: t.id for t in consultations_queries.list_topics(ctx)}
    detail = consultations.create_consultation(ctx, ConsultationInput(
        consulted_on=consulted_on, method="phone", client_type="individual", client_name="古川 直子",
        topic_ids=(topics["会計・税務"], topics["運営"]), activity_fields=(13,), content=content, duration_minutes=30,
        staff_user_id=ctx.user.id, status="done" if completed_on else "open", **extra,
    ))
    if completed_on:
        with ctx.db.write() as session:
            session.get(Consultation, detail.id).completed_on = completed_on
    return detail.id


def test_retention_period_is_configurable_by_admins_only(admin_ctx, coordinator_ctx):
    assert retention.retention_years(coordinator_ctx) == 5
    assert retention.set_retention_years(admin_ctx, 3) == 3
    assert retention.retention_years(coordinator_ctx) == 3
    with pytest.raises(ValidationError):
        retention.set_retention_years(admin_ctx, 0)
    with pytest.raises(PermissionDenied):
        retention.set_retention_years(coordinator_ctx, 10)


def _secure_delete_off_by_default(db) -> None:
    """Many SQLite builds (Debian's) turn secure_delete on at compile time; switch it off on every
    new connection so the test shows that the purge itself turns it on."""
    db.engine.dispose()
    event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA secure_delete=OFF"))


def test_admin_lists_and_deletes_expired_records_keeping_counts(admin_ctx, coordinator_ctx):
    path = sqlite_path(admin_ctx.db.url)  # None on PostgreSQL: no file to inspect
    if path is not None:
        _secure_delete_off_by_default(admin_ctx.db)
    old = _record(coordinator_ctx, dt.date(2020, 5, 10), dt.date(2021, 5, 31), "古い相談の内容-XYZZY-0001")
    boundary = _record(coordinator_ctx, dt.date(2021, 5, 20), dt.date(2021, 6, 1), "ちょうど5年")
    open_one = _record(coordinator_ctx, dt.date(2019, 4, 1), None, "まだ対応中")
    before = retention.consultation_stats(admin_ctx, dt.date(2019, 4, 1), dt.date(2021, 12, 31))

    listed = retention.expired_consultations(admin_ctx, day=DAY)
    assert [c.id for c in listed] == [old]
    assert listed[0].client_label == "古川 直子" and listed[0].topics == ("会計・税務", "運営")

    result = retention.purge_expired(admin_ctx, [c.id for c in listed], day=DAY)
    assert result.deleted == 1 and result.before == dt.date(2021, 6, 1)
    with admin_ctx.db.read() as session:
        remaining = set(session.scalars(select(Consultation.id)))
        counts = {(c.year, c.month, c.dimension, c.value): c.count for c in session.scalars(select(ConsultationCount))}
        deletions = list(session.scalars(select(AuditEntry).where(AuditEntry.action.in_(["delete", "purge"]))))
    assert remaining == {boundary, open_one}
    assert counts[(2020, 5, "total", "")] == 1 and counts[(2020, 5, "topic", "会計・税務")] == 1
    assert counts[(2020, 5, "method", "phone")] == 1 and counts[(2020, 5, "activity_field", "13")] == 1
    assert [(e.action, e.entity_id) for e in deletions] == [("delete", str(old)), ("purge", "")]
    assert all("古川" not in (e.note or "") for e in deletions)
    after = retention.consultation_stats(admin_ctx, dt.date(2019, 4, 1), dt.date(2021, 12, 31))
    assert after == before and after.total == 3 and after.minutes == 90 and after.by_topic["運営"] == 3

    if path is not None:
        raw = b"".join(p.read_bytes() for p in Path(path).parent.glob(Path(path).name + "*"))
        assert "XYZZY-0001".encode() not in raw  # secure_delete + checkpoint: the text is gone from the files


def test_purge_only_deletes_listed_records_still_past_the_period(admin_ctx, coordinator_ctx):
    first = _record(coordinator_ctx, dt.date(2019, 5, 1), dt.date(2019, 5, 1), "一件目")
    second = _record(coordinator_ctx, dt.date(2019, 6, 1), dt.date(2019, 6, 1), "二件目")
    assert retention.purge_expired(admin_ctx, [first], day=DAY).deleted == 1
    retention.set_retention_years(admin_ctx, 10)
    assert retention.expired_consultations(admin_ctx, day=DAY) == []
    assert retention.purge_expired(admin_ctx, [second], day=DAY).deleted == 0


def test_coordinators_cannot_list_or_delete_expired_records(coordinator_ctx):
    for call in (lambda: retention.expired_consultations(coordinator_ctx), lambda: retention.purge_expired(coordinator_ctx)):
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert refused.value.required_role == "admin"
