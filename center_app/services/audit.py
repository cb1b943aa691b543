"""操作履歴: every change (and every read of protected data) writes an AuditEntry in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.models import AuditEntry
from center_app.i18n import N_, _
from center_app.services.bulk import Steps, insert_rows
from center_app.services.context import CurrentUser, ServiceContext


#: Types stored in the JSON as they are (most values of a record).
_PLAIN = (str, int, bool, float)


def _jsonable(value: Any) -> Any:
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, dict):  # a record's snapshot: its plain values without a call each
        return {str(k): v if v is None or type(v) in _PLAIN else _jsonable(v) for k, v in value.items()}
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


def log(ctx: ServiceContext, entity: str, entity_id: object, action: str, note: str = "") -> None:
    """Write one audit entry in a transaction of its own, as ``ctx``'s user (or nobody): a
    command's read of personal data (``export``, ``print``, ``report``) or a refusal (``denied``)."""
    with ctx.db.write() as session:
        record(session, ctx.user, entity, entity_id, action, note=note)


def record_many(
    session: Session,
    user: CurrentUser | None,
    entity: str,
    action: str,
    entries: Iterable[tuple[object, dict[str, Any] | None, dict[str, Any] | None]],
    note: str = "",
    steps: Steps | None = None,
) -> None:
    """One audit entry per ``(entity_id, before, after)`` of ``entries``, the same as
    :func:`record` would add one by one, written with one executemany (an import of many rows).
    ``steps`` advances by each chunk written."""
    rows = [
        {
            "staff_user_id": user.id if user else None, "staff_name": user.display_name if user else "", "entity": entity,
            "entity_id": str(entity_id) if entity_id is not None else "", "action": action,
            "before": _jsonable(before) if before is not None else None, "after": _jsonable(after) if after is not None else None,
            "note": note,
        }
        for entity_id, before, after in entries
    ]
    insert_rows(session, AuditEntry.__table__, rows, steps)


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
    note: str = ""


_ENTITY_LABELS = {
    "consultation": N_("Consultation"), "consultation_topic": N_("Consultation topic"), "group": N_("Group"),
    "staff_user": N_("Staff account"), "center_setting": N_("Center setting"), "booking": N_("Booking"),
    "booking_series": N_("Booking series"), "event": N_("Event"), "database": N_("Database"),
    "payment": N_("Payment (receipt)"), "refund": N_("Refund"), "permit": N_("Use permit"), "day_close": N_("Day close"),
    "report": N_("Usage report"), "usage_summary": N_("Usage summary (figures kept per month)"),
    "visitor_count": N_("Visitor count"), "lottery_entry": N_("Lottery entry"), "lottery": N_("Lottery draw"),
    "locker_application": N_("Locker application"), "locker_allocation": N_("Locker allocation"), "locker_mail": N_("Mail for a locker"),
    "locker_unit": N_("Locker"),
    "charge": N_("Charge (equipment, printing)"), "equipment_item": N_("Equipment item"), "equipment_loan": N_("Equipment loan"),
    "print_job": N_("Printing job"),
    "grant_program": N_("Funding program"), "grant_round": N_("Funding round"), "grant_application": N_("Grant application"),
    "grant_reviewer": N_("Reviewer"), "grant_conflict": N_("Conflict of interest"), "grant_score": N_("Score sheet"),
    "endorsement": N_("Co-hosting / support"), "public_site": N_("Public site"),
    "mail_template": N_("Letter template"),
}
_ACTION_LABELS = {
    "create": N_("Created"), "update": N_("Changed"), "read": N_("Opened"), "list": N_("Listed"), "export": N_("Exported"),
    "import": N_("Imported"), "denied": N_("Refused"), "delete": N_("Deleted"), "purge": N_("Deleted (retention)"),
    "sign_in": N_("Signed in"), "sign_in_failed": N_("Sign-in failed"), "locked": N_("Account locked"),
    "count": N_("Counted"), "reset_password": N_("Password reset"), "print": N_("Printed"), "report": N_("Report written"),
    "session_ended": N_("Signed out (account changed)"), "possible_duplicate": N_("Possible duplicate"),
    "cancel": N_("Cancel booking"), "uncancel": N_("Restore booking"), "check_in": N_("Check-in"), "attendance": N_("Attendance"),
    "no_show": N_("No-show"), "renew": N_("Renewed"), "reissue_certificate": N_("Certificate reissued"),
    "backup": N_("Backed up"), "restore": N_("Restored"),
    "confirm": N_("Confirmed by payment"), "expire": N_("Cancelled by the deadline rules"), "void": N_("Voided (correction)"),
    "correct": N_("Corrected"), "withdraw": N_("Withdrawn"), "draw": N_("Drawn"), "key_issue": N_("Key issued"),
    "key_return": N_("Key returned"), "hand_over": N_("Handed over"),
    "return": N_("Returned"), "damage": N_("Damage recorded"), "loss": N_("Loss recorded"),
    "status": N_("Status changed"), "rank": N_("Ranked"), "allocate": N_("Grants allocated"), "grant": N_("Grant changed"),
    "reopen": N_("Reopened for review"), "recount": N_("Kept figures dropped (count again)"),
    "decide": N_("Decided"),
    "mail": N_("Mailed"),
}


def entity_label(code: str) -> str:
    """The name of an audited entity in the current language (the code itself when unknown)."""
    return _(_ENTITY_LABELS[code]) if code in _ENTITY_LABELS else code


def action_label(code: str) -> str:
    """The name of an audited action in the current language (the code itself when unknown)."""
    return _(_ACTION_LABELS[code]) if code in _ACTION_LABELS else code


#: ``staff_user_id`` filter value for entries written without a signed-in user (CLI, failed sign-ins).
NO_USER = 0


def recent_entries(
    ctx: ServiceContext,
    *,
    entity: str | None = None,
    limit: int = 200,
    staff_user_id: int | None = None,
    action: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[AuditView]:
    """The newest audit entries (admin only), optionally of one entity type, one staff user
    (:data:`NO_USER` for entries without one), one action, and days ``start``–``end`` (inclusive)."""
    from center_app.domain.roles import Role

    ctx.require(Role.ADMIN)
    with ctx.db.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if entity:
            query = query.where(AuditEntry.entity == entity)
        if staff_user_id == NO_USER:
            query = query.where(AuditEntry.staff_user_id.is_(None))
        elif staff_user_id is not None:
            query = query.where(AuditEntry.staff_user_id == staff_user_id)
        if action:
            query = query.where(AuditEntry.action == action)
        if start:
            query = query.where(AuditEntry.at >= dt.datetime.combine(start, dt.time(0)))
        if end:
            query = query.where(AuditEntry.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0)))
        return [
            AuditView(e.at, e.staff_name, e.entity, e.entity_id, e.action, e.before, e.after, e.note or "")
            for e in session.scalars(query)
        ]


@dataclass(frozen=True)
class AuditChoices:
    """Values the audit log can be filtered by: staff (id, name), entities and actions in use."""

    staff: tuple[tuple[int, str], ...]
    entities: tuple[str, ...]
    actions: tuple[str, ...]


def audit_filter_choices(ctx: ServiceContext) -> AuditChoices:
    """The staff accounts and the entities and actions that occur in the audit log (admin only)."""
    from center_app.db.models import StaffUser
    from center_app.domain.roles import Role

    ctx.require(Role.ADMIN)
    with ctx.db.read() as session:
        staff = tuple((i, name) for i, name in session.execute(select(StaffUser.id, StaffUser.display_name).order_by(StaffUser.display_name)))
        entities = tuple(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))
        actions = tuple(session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
    return AuditChoices(staff, entities, actions)
