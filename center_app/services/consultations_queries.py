"""相談記録, what is read: who may see which consultation (the access rule every read and
write applies, with its audited refusals), the 相談分野 and the staff who may answer, the
search and its filters, one record opened, follow-ups, a group's history and the counts by
client. Every read of a list or a record is audited. The commands (record, edit, the topic list)
are in :mod:`center_app.services.consultations`, whose docstring has the rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import false, func, or_, select, true
from sqlalchemy.orm import Session

from center_app.db.consultations import Consultation, ConsultationTopic, ConsultationTopicLink
from center_app.db.groups import Group
from center_app.db.models import StaffUser
from center_app.domain import clock
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.normalize import kana_search_key
from center_app.domain.search_keys import search_key as folded_key
from center_app.domain.registration_no import normalize_registration_no
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.consultations_values import (
    ROLES,
    ClientCount,
    ConsultationDetail,
    ConsultationFilter,
    ConsultationPage,
    ConsultationSummary,
    StaffChoice,
    TopicInfo,
    search_key,
)
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.editing import check_version, lock_for_edit

ENTITY = "consultation"


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
