"""相談記録: list, search, open, record and edit consultations; follow-ups; a group's history.

Access (enforced here, not only by hidden buttons): coordinators and admins only. Counter staff
are refused every action — listing, opening, searching, counting by client, exporting — with
:class:`PermissionDenied` naming the role needed, and the refusal is written to the audit log.
Confidential records (担当者限定) are visible only to their staff member and to admins: other
coordinators never see them in a list, a search, a count, a follow-up list, a group's history or
an export, and opening one by id is refused (and audited).

Audit (entity ``consultation``): ``list`` for every list read (with the filters and the number
of rows, never names), ``read`` for every record opened, ``create`` / ``update`` (personal and
free-text fields are recorded as changed without their values, so the audit log never keeps
what the retention rule deletes), ``denied`` for every refused attempt (``note`` = the action).
Export, import and retention are in :mod:`consultations_io` and :mod:`consultations_retention`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import false, func, or_, select, true
from sqlalchemy.orm import Session

from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationTopic, ConsultationTopicLink
from center_app.db.groups import ActivityField, Group
from center_app.db.models import StaffUser
from center_app.domain import clock
from center_app.domain.errors import FieldProblem, PermissionDenied, ValidationError
from center_app.domain.normalize import clean_text, kana_search_key
from center_app.domain.search_keys import search_key as folded_key
from center_app.domain.registration_no import normalize_registration_no
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.consultations_values import (
    DONE,
    ROLES,
    ClientCount,
    ConsultationDetail,
    ConsultationFilter,
    ConsultationInput,
    ConsultationPage,
    ConsultationSummary,
    StaffChoice,
    TopicInfo,
    clean_consultation_input,
    search_key,
    search_text,
)
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.editing import check_version, lock_for_edit

ENTITY = "consultation"
TOPIC_ENTITY = "consultation_topic"
#: Fields whose values never go to the audit log (only the fact that they changed).
PRIVATE_FIELDS = frozenset({"client_name", "client_kana", "client_contact", "content", "response", "referral"})
_CHANGED = "(changed)"


# --- access ----------------------------------------------------------------------------------------


def record_denial(ctx: ServiceContext, action: str, entity: str = ENTITY, entity_id: object = "") -> None:
    """Write a ``denied`` audit entry for ``action`` in its own transaction."""
    with ctx.db.write() as session:
        audit.record(session, ctx.user, entity, entity_id, "denied", note=action)


def allow(ctx: ServiceContext, action: str, *roles: Role) -> CurrentUser:
    """The current user if their role may do ``action`` (default: coordinators and admins);
    otherwise the refusal is audited and :class:`PermissionDenied` raised."""
    try:
        return ctx.require(*(roles or ROLES))
    except PermissionDenied:
        record_denial(ctx, action)
        raise


def visible_condition(user: CurrentUser):
    """SQL condition of the consultations ``user`` may see (confidential ones: their own only)."""
    if user.role == Role.ADMIN:
        return true()
    if user.role != Role.COORDINATOR:
        return false()
    return or_(Consultation.confidential.is_(False), Consultation.staff_user_id == user.id)


def can_see(user: CurrentUser, record: Consultation) -> bool:
    """Whether ``user`` may see ``record`` (same rule as :func:`visible_condition`)."""
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.COORDINATOR and (not record.confidential or record.staff_user_id == user.id)


def _restricted() -> PermissionDenied:
    return PermissionDenied(
        _("This consultation is restricted to the staff member who answered it and to administrators."),
        required_role=Role.ADMIN.value,
    )


# --- reference lists -------------------------------------------------------------------------------


def list_topics(ctx: ServiceContext, *, include_inactive: bool = False) -> list[TopicInfo]:
    """The 相談分野 in display order (not personal data: any signed-in role, e.g. statistics)."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        query = select(ConsultationTopic).order_by(ConsultationTopic.sort_order, ConsultationTopic.id)
        if not include_inactive:
            query = query.where(ConsultationTopic.active.is_(True))
        return [TopicInfo(t.id, t.name, t.sort_order, t.active, t.version) for t in session.scalars(query)]


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


def staff_choices(ctx: ServiceContext) -> list[StaffChoice]:
    """Staff who may answer consultations (coordinators and admins), active ones first."""
    allow(ctx, "staff_choices")
    with ctx.db.read() as session:
        rows = session.scalars(
            select(StaffUser).where(StaffUser.role.in_([r.value for r in ROLES])).order_by(StaffUser.active.desc(), StaffUser.display_name)
        )
        return [StaffChoice(u.id, u.display_name, u.active) for u in rows]


# --- reading -----------------------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _term_condition(term: str):
    conditions = []
    key = search_key(term)
    if key:
        conditions.append(Consultation.search_text.like(_like(key), escape="\\"))
        conditions.append(Group.name_search.like(_like("".join(key.split())), escape="\\"))
    kana = kana_search_key(term)
    if kana and kana != key:
        conditions.append(Consultation.search_text.like(_like(kana), escape="\\"))
        conditions.append(Group.kana_search.like(_like(kana), escape="\\"))
    folded = folded_key(term)  # 異体字, small kana, ー: the client's and the group's names
    if folded and folded not in (key, kana):
        conditions.append(Consultation.search_text.like(_like(folded), escape="\\"))
        conditions.append(Group.search_text.like(_like(folded), escape="\\"))
    number = normalize_registration_no(term)
    if number:
        conditions.append(Group.registration_no.like(_like(number), escape="\\"))
    return or_(*conditions) if conditions else None


def _filter_conditions(filters: ConsultationFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.start:
        conditions.append(Consultation.consulted_on >= filters.start)
    if filters.end:
        conditions.append(Consultation.consulted_on <= filters.end)
    if filters.staff_user_id:
        conditions.append(Consultation.staff_user_id == filters.staff_user_id)
    if filters.method:
        conditions.append(Consultation.method == filters.method)
    if filters.client_type:
        conditions.append(Consultation.client_type == filters.client_type)
    if filters.status:
        conditions.append(Consultation.status == filters.status)
    if filters.group_id:
        conditions.append(Consultation.group_id == filters.group_id)
    if filters.topic_id:
        conditions.append(
            select(ConsultationTopicLink.consultation_id)
            .where(ConsultationTopicLink.consultation_id == Consultation.id, ConsultationTopicLink.topic_id == filters.topic_id)
            .exists()
        )
    if filters.follow_up_open:
        conditions += [Consultation.follow_up_needed.is_(True), Consultation.follow_up_done.is_(False)]
    for word in (filters.text or "").split():
        condition = _term_condition(word)
        if condition is not None:
            conditions.append(condition)
    return conditions


def _topic_names(session: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not ids:
        return {}
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(ConsultationTopicLink.consultation_id, ConsultationTopic.name)
        .join(ConsultationTopic, ConsultationTopic.id == ConsultationTopicLink.topic_id)
        .where(ConsultationTopicLink.consultation_id.in_(ids))
        .order_by(ConsultationTopicLink.consultation_id, ConsultationTopicLink.position)
    )
    for cid, name in rows:
        names.setdefault(cid, []).append(name)
    return {cid: tuple(v) for cid, v in names.items()}


def _summary_query():
    return (
        select(Consultation, Group.name, Group.registration_no, StaffUser.display_name)
        .outerjoin(Group, Group.id == Consultation.group_id)
        .join(StaffUser, StaffUser.id == Consultation.staff_user_id)
    )


def client_label(record: Consultation, group_name: str | None) -> str:
    """The client as listed: the group's name, with the person's name when both are given."""
    if group_name and record.client_name:
        return f"{group_name}（{record.client_name}）"
    return group_name or record.client_name


def _summaries(session: Session, rows) -> tuple[ConsultationSummary, ...]:
    rows = list(rows)
    topics = _topic_names(session, [r[0].id for r in rows])
    return tuple(
        ConsultationSummary(
            id=c.id, consulted_on=c.consulted_on, start_time=c.start_time, duration_minutes=c.duration_minutes,
            method=c.method, client_type=c.client_type, client_label=client_label(c, group_name), group_id=c.group_id,
            registration_no=number or "", topics=topics.get(c.id, ()), staff_user_id=c.staff_user_id, staff_name=staff_name,
            status=c.status, follow_up_needed=c.follow_up_needed, follow_up_due=c.follow_up_due,
            follow_up_done=c.follow_up_done, confidential=c.confidential,
        )
        for c, group_name, number, staff_name in rows
    )


def _filters_note(filters: ConsultationFilter, count: int) -> str:
    parts = [f"{name}={getattr(filters, name)}" for name in ConsultationFilter.__dataclass_fields__
             if name != "text" and getattr(filters, name) not in (None, "", False)]
    if filters.text:
        parts.append("text=…")  # search words may be names: never logged
    parts.append(f"rows={count}")
    return " ".join(parts)


#: Columns the consultation list may be sorted by (a clicked header).
SORT_COLUMNS = ("consulted_on", "start_time", "method", "client_type", "client_label", "staff_name", "status", "follow_up_due",
                "confidential")


def _order(order: str, descending: bool) -> list:
    """ORDER BY of :func:`search_consultations`: the chosen column (the date when unknown), then
    the newest first."""
    column = {
        "client_label": func.coalesce(Group.name_kana, Consultation.client_kana, Consultation.client_name),
        "staff_name": StaffUser.display_name,
    }.get(order) if order in ("client_label", "staff_name") else getattr(Consultation, order if order in SORT_COLUMNS else "consulted_on")
    first = column.desc() if descending else column.asc()
    return [first, Consultation.consulted_on.desc(), Consultation.start_time.desc(), Consultation.id.desc()]


def search_consultations(ctx: ServiceContext, filters: ConsultationFilter | None = None, *, offset: int = 0, limit: int = 500,
                         order: str = "consulted_on", descending: bool = True) -> ConsultationPage:
    """The visible consultations matching ``filters``, one page (audited ``list``), sorted in the
    database by ``order`` (one of :data:`SORT_COLUMNS`; a client by its group's or its own
    reading), newest first by default and within equal values."""
    user = allow(ctx, "list")
    filters = filters or ConsultationFilter()
    conditions = [visible_condition(user), *_filter_conditions(filters)]
    with ctx.db.write() as session:
        base = select(func.count(Consultation.id)).select_from(Consultation).outerjoin(Group, Group.id == Consultation.group_id)
        total = session.scalar(base.where(*conditions)) or 0
        rows = session.execute(
            _summary_query().where(*conditions).order_by(*_order(order, descending)).offset(offset).limit(limit)
        ).all()
        items = _summaries(session, rows)
        audit.record(session, user, ENTITY, "", "list", note=_filters_note(filters, len(items)))
    return ConsultationPage(items=items, total=total, offset=offset)


def _gone() -> str:
    return _("This consultation no longer exists. Reload the list.")


def _load_visible(session: Session, user: CurrentUser, consultation_id: int) -> Consultation:
    record = session.get(Consultation, consultation_id)
    if record is None:
        raise ValidationError(_gone())
    if not can_see(user, record):
        raise _restricted()
    return record


def _lock_visible(session: Session, user: CurrentUser, consultation_id: int, expected_version: int | None) -> Consultation:
    """The record's row, locked and read afresh; refused like :func:`_load_visible`, and with
    StaleEditError when it changed since ``expected_version`` (:mod:`center_app.services.editing`)."""
    record = lock_for_edit(session, Consultation, consultation_id, entity=ENTITY, missing=_gone())
    if not can_see(user, record):
        raise _restricted()
    check_version(session, record, expected_version, ENTITY)
    return record


def _detail(session: Session, record: Consultation) -> ConsultationDetail:
    group = session.get(Group, record.group_id) if record.group_id else None
    staff = session.get(StaffUser, record.staff_user_id)
    return ConsultationDetail(
        id=record.id, consulted_on=record.consulted_on, start_time=record.start_time, duration_minutes=record.duration_minutes,
        method=record.method, client_type=record.client_type, group_id=record.group_id,
        group_name=group.name if group else "", registration_no=(group.registration_no or "") if group else "",
        client_name=record.client_name, client_kana=record.client_kana, client_contact=record.client_contact,
        topic_ids=tuple(link.topic_id for link in record.topic_links),
        topic_names=tuple(link.topic.name for link in record.topic_links),
        activity_fields=tuple(link.field_code for link in record.field_links),
        content=record.content, response=record.response, referral=record.referral,
        staff_user_id=record.staff_user_id, staff_name=staff.display_name if staff else "",
        follow_up_needed=record.follow_up_needed, follow_up_due=record.follow_up_due, follow_up_done=record.follow_up_done,
        status=record.status, completed_on=record.completed_on, confidential=record.confidential,
        created_at=record.created_at, updated_at=record.updated_at, version=record.version,
    )


def get_consultation(ctx: ServiceContext, consultation_id: int) -> ConsultationDetail:
    """One consultation with every field (audited ``read``). A confidential record of another
    staff member is refused with :class:`PermissionDenied` (audited ``denied``)."""
    user = allow(ctx, "read")
    try:
        with ctx.db.write() as session:
            record = _load_visible(session, user, consultation_id)
            detail = _detail(session, record)
            audit.record(session, user, ENTITY, record.id, "read")
            return detail
    except PermissionDenied:
        record_denial(ctx, "read", entity_id=consultation_id)
        raise


def follow_ups_due(ctx: ServiceContext, *, until: dt.date | None = None, mine_only: bool = False) -> list[ConsultationSummary]:
    """Open follow-ups due on or before ``until`` (default: a week from today), overdue first
    (audited ``list``). ``mine_only``: only the signed-in staff member's consultations."""
    user = allow(ctx, "follow_ups")
    until = until or clock.today() + dt.timedelta(days=7)
    conditions = [
        visible_condition(user), Consultation.follow_up_needed.is_(True), Consultation.follow_up_done.is_(False),
        Consultation.follow_up_due <= until,
    ]
    if mine_only:
        conditions.append(Consultation.staff_user_id == user.id)
    with ctx.db.write() as session:
        rows = session.execute(_summary_query().where(*conditions).order_by(Consultation.follow_up_due, Consultation.id)).all()
        items = list(_summaries(session, rows))
        audit.record(session, user, ENTITY, "", "list", note=f"follow_ups until={until.isoformat()} rows={len(items)}")
    return items


def group_history(ctx: ServiceContext, group_id: int) -> list[ConsultationSummary]:
    """The visible consultations of one registered group, newest first (audited ``list``)."""
    user = allow(ctx, "group_history")
    with ctx.db.write() as session:
        rows = session.execute(
            _summary_query().where(visible_condition(user), Consultation.group_id == group_id)
            .order_by(Consultation.consulted_on.desc(), Consultation.id.desc())
        ).all()
        items = list(_summaries(session, rows))
        audit.record(session, user, ENTITY, "", "list", note=f"group_id={group_id} rows={len(items)}")
    return items


def count_for_group(ctx: ServiceContext, group_id: int) -> int:
    """How many visible consultations a group had (a count by client: audited, refused to counter staff)."""
    user = allow(ctx, "count_by_client")
    with ctx.db.write() as session:
        count = session.scalar(
            select(func.count(Consultation.id)).where(visible_condition(user), Consultation.group_id == group_id)
        ) or 0
        audit.record(session, user, ENTITY, "", "count", note=f"group_id={group_id} count={count}")
    return count


def count_by_client(ctx: ServiceContext, start: dt.date | None = None, end: dt.date | None = None, *, limit: int = 100) -> list[ClientCount]:
    """Clients with the most visible consultations in ``start``–``end`` (audited ``count``)."""
    user = allow(ctx, "count_by_client")
    conditions = [visible_condition(user)]
    if start:
        conditions.append(Consultation.consulted_on >= start)
    if end:
        conditions.append(Consultation.consulted_on <= end)
    with ctx.db.write() as session:
        label = func.coalesce(Group.name, Consultation.client_name)
        rows = session.execute(
            select(Consultation.group_id, label, func.count(Consultation.id).label("n"))
            .outerjoin(Group, Group.id == Consultation.group_id)
            .where(*conditions)
            .group_by(Consultation.group_id, label)
            .order_by(func.count(Consultation.id).desc(), label)
            .limit(limit)
        ).all()
        result = [ClientCount(gid, name or "", n) for gid, name, n in rows]
        audit.record(session, user, ENTITY, "", "count", note=f"by_client rows={len(result)}")
    return result


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
