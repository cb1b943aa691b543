"""相談記録: list, search, open, record and edit consultations; follow-ups; a group's history.

Access (enforced in these services, not only by hidden buttons): coordinators and admins only. Counter staff
are refused every action — listing, opening, searching, counting by client, exporting — with
:class:`PermissionDenied` naming the role needed, and the refusal is written to the audit log.
Confidential records (担当者限定) are visible only to their staff member and to admins: other
coordinators never see them in a list, a search, a count, a follow-up list, a group's history or
an export, and opening one by id is refused (and audited).

Audit (entity ``consultation``): ``list`` for every list read (with the filters and the number
of rows, never names), ``read`` for every record opened, ``create`` / ``update`` (personal and
free-text fields are recorded as changed without their values, so the audit log never keeps
what the retention rule deletes), ``denied`` for every refused attempt (``note`` = the action).
Export, import and retention are in :mod:`consultations_io` and :mod:`consultations_retention`; the
access rule and every read in :mod:`consultations_queries`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationTopic, ConsultationTopicLink
from center_app.db.groups import ActivityField, Group
from center_app.db.models import StaffUser
from center_app.domain import clock
from center_app.domain.errors import FieldProblem, PermissionDenied, ValidationError
from center_app.domain.normalize import clean_text
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.consultations_queries import ENTITY, _detail, _lock_visible, allow, record_denial
from center_app.services.consultations_values import (
    DONE,
    ROLES,
    ConsultationDetail,
    ConsultationInput,
    TopicInfo,
    clean_consultation_input,
    search_text,
)
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit

TOPIC_ENTITY = "consultation_topic"
#: Fields whose values never go to the audit log (only the fact that they changed).
PRIVATE_FIELDS = frozenset({"client_name", "client_kana", "client_contact", "content", "response", "referral"})
_CHANGED = "(changed)"


# --- the topic list ---------------------------------------------------------------------------------


def save_topic(ctx: ServiceContext, topic_id: int | None, name: str, sort_order: int, active: bool = True, *,
               expected_version: int | None = None) -> TopicInfo:
    """Add (``topic_id`` None) or change a topic of the editable list (admin only, audited).
    Topics are never deleted: switch one off with ``active`` False; records keep it. A change
    saved from an older version (``expected_version``) is refused with StaleEditError."""
    user = allow(ctx, "edit_topics", Role.ADMIN)
    clean = clean_text(name)
    problems = []
    if not clean:
        problems.append(FieldProblem("name", _("Enter the name of the topic.")))
    elif len(clean) > 60:
        problems.append(FieldProblem("name", _("At most {n} characters.").format(n=60)))
    if not isinstance(sort_order, int) or not 0 <= sort_order <= 9999:
        problems.append(FieldProblem("sort_order", _("Enter an order between 0 and 9999.")))
    if problems:
        raise ValidationError(problems)
    with ctx.db.write() as session:
        topic = None
        if topic_id is not None:
            topic = lock_for_edit(session, ConsultationTopic, topic_id, entity=TOPIC_ENTITY,
                                  missing=_("This topic no longer exists. Reload the list."), expected_version=expected_version)
        same = session.scalar(select(ConsultationTopic).where(ConsultationTopic.name == clean))
        if same is not None and same.id != topic_id:
            raise ValidationError(_("This topic already exists."), field_name="name")
        if topic is None:
            topic = ConsultationTopic(name=clean, sort_order=sort_order, active=bool(active))
            session.add(topic)
            session.flush()
            audit.record(session, user, TOPIC_ENTITY, topic.id, "create", after={"name": clean, "sort_order": sort_order, "active": bool(active)})
        else:
            before = {"name": topic.name, "sort_order": topic.sort_order, "active": topic.active}
            topic.name, topic.sort_order, topic.active = clean, sort_order, bool(active)
            old, new = audit.changes(before, {"name": clean, "sort_order": sort_order, "active": bool(active)})
            if new:
                audit.record(session, user, TOPIC_ENTITY, topic.id, "update", old, new)
        session.flush()
        return TopicInfo(topic.id, topic.name, topic.sort_order, topic.active, topic.version)


# --- writing -----------------------------------------------------------------------------------------


def _choices(session: Session) -> tuple[set[int], set[int], set[int]]:
    topics = set(session.scalars(select(ConsultationTopic.id)))
    fields = set(session.scalars(select(ActivityField.code)))
    staff = set(session.scalars(select(StaffUser.id).where(StaffUser.role.in_([r.value for r in ROLES]))))
    return topics, fields, staff


def clean_in_session(session: Session, data: ConsultationInput, day: dt.date) -> dict[str, Any]:
    """Validate ``data`` against the database's topics, fields, staff and groups."""
    topics, fields, staff = _choices(session)
    group_exists = data.group_id is None or session.get(Group, data.group_id) is not None
    return clean_consultation_input(data, today=day, topic_ids=topics, field_codes=fields, staff_ids=staff, group_exists=group_exists)


def snapshot(record: Consultation) -> dict[str, Any]:
    """Values of a record for :func:`audit_changes` (which masks the personal and free-text ones)."""
    values: dict[str, Any] = {
        name: getattr(record, name) for name in (
            "consulted_on", "start_time", "duration_minutes", "method", "client_type", "group_id", "staff_user_id",
            "follow_up_needed", "follow_up_due", "follow_up_done", "status", "completed_on", "confidential",
        )
    }
    values["topic_ids"] = [link.topic_id for link in record.topic_links]
    values["activity_fields"] = [link.field_code for link in record.field_links]
    for name in PRIVATE_FIELDS:
        values[name] = getattr(record, name)
    return values


def audit_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(before, after) for the audit log: changed keys only, private values replaced by a marker."""
    if before is None:
        old, new = None, dict(after)
    else:
        old, new = audit.changes(before, after)

    def mask(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        return {k: (_CHANGED if k in PRIVATE_FIELDS and v not in (None, "") else v) for k, v in values.items()}
    return mask(old), mask(new)


def apply_clean(record: Consultation, clean: dict[str, Any], day: dt.date) -> None:
    """Copy clean values onto ``record``, keep ``completed_on`` and the search column right."""
    for name, value in clean.items():
        if name == "topic_ids":
            record.topic_links = [ConsultationTopicLink(topic_id=t, position=i) for i, t in enumerate(value)]
        elif name == "activity_fields":
            record.field_links = [ConsultationActivityField(field_code=c, position=i) for i, c in enumerate(value)]
        else:
            setattr(record, name, value)
    if record.status == DONE:
        record.completed_on = record.completed_on or clean.get("completed_on") or day
    else:
        record.completed_on = None
    record.search_text = search_text(clean)


def create_consultation(ctx: ServiceContext, data: ConsultationInput) -> ConsultationDetail:
    """Record a consultation. Raises ValidationError listing every bad field (nothing written)."""
    user = allow(ctx, "create")
    day = clock.today()
    with ctx.db.write() as session:
        clean = clean_in_session(session, data, day)
        record = Consultation(created_by_id=user.id)
        apply_clean(record, clean, day)
        session.add(record)
        session.flush()
        old, new = audit_changes(None, snapshot(record))
        audit.record(session, user, ENTITY, record.id, "create", old, new)
        return _detail(session, record)


def update_consultation(ctx: ServiceContext, consultation_id: int, data: ConsultationInput, *,
                        expected_version: int | None = None) -> ConsultationDetail:
    """Save the form of an existing, visible consultation.

    ``expected_version`` (:attr:`ConsultationDetail.version` the form was opened with) refuses
    (:class:`StaleEditError`, naming who changed it) to overwrite a change saved meanwhile on
    another PC. Raises ValidationError listing every bad field; PermissionDenied (audited) for a
    confidential record of another staff member.
    """
    user = allow(ctx, "update")
    day = clock.today()
    try:
        with ctx.db.write() as session:
            record = _lock_visible(session, user, consultation_id, expected_version)
            clean = clean_in_session(session, data, day)
            before = snapshot(record)
            apply_clean(record, clean, day)
            session.flush()
            old, new = audit_changes(before, snapshot(record))
            if new:
                record.updated_at = clock.now()
                audit.record(session, user, ENTITY, record.id, "update", old, new)
            return _detail(session, record)
    except PermissionDenied:
        record_denial(ctx, "update", entity_id=consultation_id)
        raise
