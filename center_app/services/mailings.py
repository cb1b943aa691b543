"""Mailings to groups (郵送): the letter templates of 設定 → 郵送文書, choosing the groups by a
filter, and the sent-mail record of each group.

The PDFs themselves are built by :func:`center_app.services.documents.mail_letters_pdf`,
``mail_labels_pdf`` and ``mail_envelopes_pdf`` from :func:`recipients`; after the clerk (or the
command) has saved the PDF, :func:`record_mailing` writes what was sent to each group (audited).
A group without an address (or 〒) is listed with the reason and never printed blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.groups import ActivityField, Group, GroupActivityField
from center_app.db.mailings import Mailing, MailTemplate
from center_app.db.models import Facility, Room
from center_app.domain import clock
from center_app.domain.booking_values import BookingStatus
from center_app.domain.errors import FieldProblem, ValidationError
from center_app.domain.mailings import (
    MAIL_STATUSES,
    MailFilter,
    MailingRecord,
    MailKind,
    MailTemplateView,
    Recipient,
    check_template,
    skip_reason,
)
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit, lock_name
from center_app.services.group_values import EXPIRED, REGISTERED, WITHDRAWN, effective_status
from center_app.services.printable import unprintable_problems

# --- templates ------------------------------------------------------------------------------------


def _view(row: MailTemplate) -> MailTemplateView:
    return MailTemplateView(row.id, row.name, row.title, row.body, row.version)


def templates(ctx: ServiceContext) -> list[MailTemplateView]:
    """Every letter template, by name."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return [_view(row) for row in session.scalars(select(MailTemplate).order_by(MailTemplate.name))]


def template_named(ctx: ServiceContext, name: str) -> MailTemplateView:
    """The template called ``name``; ValidationError naming the templates there are otherwise."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        return _template_named(session, name)


def _template_named(session: Session, name: str) -> MailTemplateView:
    row = session.scalar(select(MailTemplate).where(MailTemplate.name == name.strip()))
    if row is None:
        names = "、".join(session.scalars(select(MailTemplate.name).order_by(MailTemplate.name)))
        raise ValidationError([FieldProblem("template", _("There is no letter template called {name}. Templates: {names}.").format(name=name, names=names or "—"))])
    return _view(row)


def save_template(ctx: ServiceContext, template_id: int | None, name: str, title: str, body: str, *,
                  expected_version: int | None = None) -> MailTemplateView:
    """Add (``template_id`` None) or change a letter template (any signed-in staff member; audited).
    Refused with every problem at once (:func:`center_app.domain.mailings.template_problems`: an
    unknown merge field is named), or when another template has the name; a stale
    ``expected_version`` raises StaleEditError. Text is stored as typed (trimmed)."""
    user = ctx.require_signed_in()
    name, title, body = name.strip(), title.strip(), body.strip()
    check_template(name, title, body)
    with ctx.db.write() as session:
        lock_name(session, "mail_templates")
        other = session.scalar(select(MailTemplate.id).where(MailTemplate.name == name))
        if other is not None and other != template_id:
            raise ValidationError([FieldProblem("name", _("Another template is already called {name}.").format(name=name))])
        if template_id is None:
            row = MailTemplate(name=name, title=title, body=body)
            session.add(row)
            session.flush()
            audit.record(session, user, "mail_template", row.id, "create", after={"name": name, "title": title, "body": body})
        else:
            row = lock_for_edit(session, MailTemplate, template_id, entity="mail_template",
                                missing=_("The template no longer exists."), expected_version=expected_version)
            before = {"name": row.name, "title": row.title, "body": row.body}
            row.name, row.title, row.body = name, title, body
            changed_before, changed_after = audit.changes(before, {"name": name, "title": title, "body": body})
            audit.record(session, user, "mail_template", row.id, "update", changed_before, changed_after)
        session.flush()
        return _view(row)


# --- choosing the groups ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FilterChoices:
    """What the filter may name: the 活動分野 (code, name) and the facilities (code, name)."""

    fields: tuple[tuple[int, str], ...]
    facilities: tuple[tuple[str, str], ...]


def filter_choices(ctx: ServiceContext) -> FilterChoices:
    """The 活動分野 and facilities a filter may name, in their order."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        fields = tuple((row.code, row.name) for row in session.scalars(select(ActivityField).order_by(ActivityField.code)))
        facilities = tuple((row.code, row.name) for row in session.scalars(select(Facility).order_by(Facility.id)))
    return FilterChoices(fields, facilities)


def field_code(ctx: ServiceContext, text: str) -> int:
    """The 活動分野 named by ``text``: its number (1–20), its name or its short name (まちづくり);
    ValidationError otherwise."""
    ctx.require_signed_in()
    text = text.strip()
    with ctx.db.read() as session:
        for row in session.scalars(select(ActivityField).order_by(ActivityField.code)):
            if text in (str(row.code), row.name, row.short_name) or (text and text in row.name):
                return row.code
    raise ValidationError([FieldProblem("field", _("There is no activity field {name}.").format(name=text))])


def _status_condition(statuses: Sequence[str], today: dt.date):
    if not statuses:
        return Group.status != WITHDRAWN
    conditions = []
    for status in statuses:
        if status == REGISTERED:
            conditions.append(and_(Group.status == REGISTERED, or_(Group.valid_until.is_(None), Group.valid_until >= today)))
        elif status == EXPIRED:
            conditions.append(or_(Group.status == EXPIRED, and_(Group.status == REGISTERED, Group.valid_until < today)))
        else:
            conditions.append(Group.status == status)
    return or_(*conditions)


def _check_filter(session: Session, mail_filter: MailFilter) -> None:
    problems = [FieldProblem("status", _("Unknown status {status}: use {known}.").format(status=s, known=", ".join(MAIL_STATUSES)))
                for s in mail_filter.statuses if s not in MAIL_STATUSES]
    if mail_filter.field_code is not None and session.get(ActivityField, mail_filter.field_code) is None:
        problems.append(FieldProblem("field", _("There is no activity field {name}.").format(name=mail_filter.field_code)))
    if mail_filter.facility_code is not None and session.scalar(select(Facility.id).where(Facility.code == mail_filter.facility_code)) is None:
        problems.append(FieldProblem("facility", _("There is no facility with the code {code}.").format(code=mail_filter.facility_code)))
    if problems:
        raise ValidationError(problems)


def _recipient(group: Group, today: dt.date) -> Recipient:
    """The group as a mailing prints it; skipped (``skip_reason``) without an address or 〒, or
    when what would be printed holds a character no bundled font has (named with its code point),
    so one such name never stops the mailing of the others."""
    reason = skip_reason(group.postal_code, group.address)
    if not reason:
        problems = unprintable_problems((("name", group.name), ("representative_name", group.representative_name),
                                         ("postal_code", group.postal_code), ("address", group.address)))
        reason = problems[0].message if problems else ""
    return Recipient(group.id, group.registration_no or "", group.name, group.representative_name, group.postal_code, group.address,
                     group.valid_until, effective_status(group.status, group.valid_until, today), reason)


def choose(ctx: ServiceContext, mail_filter: MailFilter) -> list[Recipient]:
    """The groups ``mail_filter`` chooses, in 五十音 order (``name_sort``), those without an
    address (or 〒) included with their ``skip_reason``. ValidationError for a status, 活動分野 or
    facility that does not exist."""
    ctx.require_signed_in()
    today = clock.today()
    with ctx.db.read() as session:
        _check_filter(session, mail_filter)
        query = select(Group).where(_status_condition(mail_filter.statuses, today))
        if mail_filter.expires_before is not None:
            # expiring, not expired: valid through today (the renewal letter speaks of an expiry to come)
            query = query.where(Group.valid_until.is_not(None), Group.valid_until >= today, Group.valid_until < mail_filter.expires_before)
        if mail_filter.field_code is not None:
            query = query.where(exists().where(GroupActivityField.group_id == Group.id, GroupActivityField.field_code == mail_filter.field_code))
        if mail_filter.facility_code is not None:
            query = query.where(exists().where(
                Booking.group_id == Group.id, Booking.status != BookingStatus.CANCELLED.value, Booking.room_id == Room.id,
                Room.facility_id == Facility.id, Facility.code == mail_filter.facility_code))
        return [_recipient(group, today) for group in session.scalars(query.order_by(Group.name_sort, Group.id))]


def recipients(ctx: ServiceContext, group_ids: Sequence[int]) -> tuple[list[Recipient], list[Recipient]]:
    """(the groups of ``group_ids`` that can be printed, those skipped with their reason — no
    address, or a character no font has), in 五十音 order. An empty selection is refused, and so
    is one where no group can be printed (ValidationError: nothing would be printed)."""
    ctx.require_signed_in()
    if not group_ids:
        raise ValidationError([FieldProblem("groups", _("No group is chosen: choose the groups to mail first."))])
    today = clock.today()
    with ctx.db.read() as session:
        found = [_recipient(g, today) for g in session.scalars(select(Group).where(Group.id.in_(list(group_ids))).order_by(Group.name_sort, Group.id))]
    printable = [r for r in found if r.printable]
    skipped = [r for r in found if not r.printable]
    if not printable:
        raise ValidationError([FieldProblem("groups", _("None of the chosen groups can be printed (no address, or a character no font has): nothing was printed."))])
    return printable, skipped


# --- the sent-mail record ------------------------------------------------------------------------------


def record_mailing(ctx: ServiceContext, kind: MailKind, template_name: str, group_ids: Sequence[int], *, sent_on: dt.date | None = None) -> int:
    """Record that ``kind`` (a letter from ``template_name``, labels, envelopes) was sent to each
    group of ``group_ids`` today (or ``sent_on``) by the signed-in staff member: one row and one
    audit entry per group, in one transaction. Returns the number of groups recorded."""
    user = ctx.require_signed_in()
    day = sent_on or clock.today()
    with ctx.db.write() as session:
        known = set(session.scalars(select(Group.id).where(Group.id.in_(list(group_ids)))))
        for group_id in dict.fromkeys(group_ids):
            if group_id not in known:
                continue
            session.add(Mailing(group_id=group_id, kind=MailKind(kind).value, template_name=template_name, sent_on=day, sent_by=user.display_name))
            audit.record(session, user, "group", group_id, "mail", after={"kind": MailKind(kind).value, "template": template_name, "sent_on": day})
    return len(known)


def group_mailings(ctx: ServiceContext, group_id: int) -> list[MailingRecord]:
    """What was mailed to the group, newest first."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        rows = session.scalars(select(Mailing).where(Mailing.group_id == group_id).order_by(Mailing.sent_on.desc(), Mailing.id.desc()))
        return [MailingRecord(r.id, r.group_id, MailKind(r.kind), r.template_name, r.sent_on, r.sent_by) for r in rows]

