"""操作履歴: every change (and every read of protected data) writes an AuditEntry in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.models import AuditEntry
from center_app.services.context import CurrentUser, ServiceContext


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def record(
    session: Session,
    user: CurrentUser | None,
    entity: str,
    entity_id: object,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Add an audit entry to ``session`` (committed with the change it describes).

    ``action`` is one of create, update, deactivate, read, export, denied, sign_in, …;
    ``before``/``after`` hold only the fields that changed (dates as ISO strings).
    """
    session.add(
        AuditEntry(
            staff_user_id=user.id if user else None,
            staff_name=user.display_name if user else "",
            entity=entity,
            entity_id=str(entity_id) if entity_id is not None else "",
            action=action,
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            note=note,
        )
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs: (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class AuditView:
    """One audit entry as shown in 設定 → 操作履歴. ``at`` is local time."""

    at: dt.datetime
    staff_name: str
    entity: str
    entity_id: str
    action: str
    before: Any
    after: Any


def recent_entries(ctx: ServiceContext, *, entity: str | None = None, limit: int = 200) -> list[AuditView]:
    """The newest audit entries (admin only), optionally of one entity type."""
    from center_app.domain.roles import Role

    ctx.require(Role.ADMIN)
    with ctx.db.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        return [
            AuditView(e.at, e.staff_name, e.entity, e.entity_id, e.action, e.before, e.after)
            for e in session.scalars(query)
        ]
