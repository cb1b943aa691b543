"""団体登録: register, edit, renew, pause and withdraw citizen groups. Finding and reading them
is :mod:`center_app.services.groups_queries` (its names are given here too).

One function per user action, one transaction each, every change audited (entity ``group``).
Every change locks the group's row first and checks on what it reads then; the form's save is
refused when the group changed since the form was opened (``expected_version``,
:mod:`center_app.services.editing`). Withdrawal reads the group's future bookings after locking
the group row, which every booking of the group locks too, so a booking made for the group by
another PC at the same moment either comes first (and blocks the withdrawal) or is refused.
Counter staff, coordinators and admins may all manage groups. Results are frozen data objects
of :mod:`center_app.services.group_values`, never ORM objects. Import and export live in
:mod:`center_app.services.groups_io`.

期限切れ is computed, not stored: a ``registered`` group whose ``valid_until`` lies before today
is shown and filtered as ``expired`` (see :func:`group_values.effective_status`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from center_app.db.groups import Group, GroupActivityField
from center_app.domain import clock
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.domain.fiscal import fiscal_year_of, fiscal_year_range, registration_valid_until
from center_app.i18n import _
from center_app.services import audit
from center_app.services.bookings_calendar import future_bookings_of_group
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit, lock_rows
from center_app.services.group_numbers import assign_registration_no
from center_app.services.group_values import APPLIED, PAUSED, REGISTERED, WITHDRAWN, GroupDetail, GroupInput, clean_group_input, refresh_search
from center_app.services.groups_queries import (  # noqa: F401 - the public names stay importable from here
    SORT_COLUMNS,
    SimilarGroup,
    _detail,
    _fields,
    activity_fields,
    count_groups,
    find_group_by_number,
    find_similar,
    get_group,
    search_groups,
)

#: Columns copied between the clean input and the model (activity fields are separate).
_PLAIN = tuple(n for n in GroupInput.__dataclass_fields__ if n not in ("activity_fields",))
_AUDITED = _PLAIN + ("activity_fields", "status", "valid_until", "registration_no", "renewed_on")


# --- future bookings --------------------------------------------------------------------------


def future_bookings(session: Session, group_id: int, day: dt.date) -> list[str]:
    """Descriptions ("2026-12-01 午後 会議室1") of the group's open bookings on or after ``day``."""
    return future_bookings_of_group(session, group_id, day)


def _lock(session: Session, group_id: int, expected_version: int | None = None) -> Group:
    """The group's row, locked and read afresh (see :mod:`center_app.services.editing`)."""
    return lock_for_edit(session, Group, group_id, entity="group", missing=_("This group no longer exists. Reload the list."),
                         expected_version=expected_version)


# --- writing ---------------------------------------------------------------------------------------


def _snapshot(group: Group) -> dict[str, Any]:
    values = {name: getattr(group, name) for name in _AUDITED if name != "activity_fields"}
    values["activity_fields"] = [link.field_code for link in group.activity_links]
    return values


def apply_clean(group: Group, clean: dict[str, Any], names: Iterable[str]) -> None:
    """Copy the clean values ``names`` onto ``group`` and refresh its search columns."""
    for name in names:
        if name == "activity_fields":
            group.activity_links = [GroupActivityField(field_code=code, position=i) for i, code in enumerate(clean[name])]
        else:
            setattr(group, name, clean[name])
    refresh_search(group)


def register_group(ctx: ServiceContext, data: GroupInput, *, applied: bool = False) -> GroupDetail:
    """Register a new group (新規登録), or record an application (申請中) with ``applied``.

    A registered group gets its registration number (configured pattern, next serial of the
    fiscal year of its registration date, default today), and is valid until March 31 of that
    fiscal year. Raises ValidationError listing every bad field; nothing is written then.
    """
    user = ctx.require_signed_in()
    day = clock.today()
    with ctx.db.write() as session:
        clean = clean_group_input(data, _fields(session), today=day)
        group = Group(status=APPLIED if applied else REGISTERED, status_changed_on=day, certificate_reissue_count=0)
        apply_clean(group, clean, _PLAIN + ("activity_fields",))
        if not applied:
            group.registered_on = clean["registered_on"] or day
            group.valid_until = registration_valid_until(group.registered_on)
            assign_registration_no(session, group, group.registered_on)
        session.add(group)
        session.flush()
        audit.record(session, user, "group", group.id, "create", None, _snapshot(group))
        return _detail(group, day)


def update_group(ctx: ServiceContext, group_id: int, data: GroupInput, *, expected_version: int | None = None) -> GroupDetail:
    """Save the form of an existing group (status, number and validity are not changed here).

    ``expected_version`` (:attr:`GroupDetail.version` of the detail the form was opened with)
    refuses, with :class:`StaleEditError` naming who changed it, to overwrite a change saved
    meanwhile. Raises ValidationError listing every bad field.
    """
    user = ctx.require_signed_in()
    day = clock.today()
    with ctx.db.write() as session:
        group = _lock(session, group_id, expected_version)
        clean = clean_group_input(data, _fields(session), today=day)
        before = _snapshot(group)
        names = [n for n in _PLAIN if n != "registered_on" or clean[n]] + ["activity_fields"]
        apply_clean(group, clean, names)
        session.flush()
        old, new = audit.changes(before, _snapshot(group))
        if new:
            group.updated_at = clock.now()
            audit.record(session, user, "group", group.id, "update", old, new)
        return _detail(group, day)


def default_renewal_fiscal_year(day: dt.date) -> int:
    """The fiscal year renewals are usually for: the next one from January to March (renewal
    season), else the current one."""
    year = fiscal_year_of(day)
    return year + 1 if day.month <= 3 else year


@dataclass(frozen=True)
class RenewResult:
    """Outcome of a renewal: how many groups were renewed, and the skipped ones (id, reason)."""

    renewed: int
    skipped: tuple[tuple[int, str], ...]


class Cancelled(Exception):
    """Raised inside a bulk action when its progress callback asked to stop (nothing is kept)."""


def renew_groups(ctx: ServiceContext, ids: Iterable[int], fiscal_year: int, progress: Callable[[int, int], bool | None] | None = None) -> RenewResult:
    """Renew groups (更新) for ``fiscal_year``: valid until March 31 ending it, status 登録.

    Paused groups stay paused (their validity is extended); applications and withdrawn groups
    are skipped with a reason. One transaction: ``progress(done, total)`` is called after each
    group; returning False cancels and rolls everything back (raises :class:`Cancelled`).
    """
    user = ctx.require_signed_in()
    day = clock.today()
    ids = list(dict.fromkeys(ids))
    until = fiscal_year_range(fiscal_year)[1]
    if until < day:
        raise ValidationError(_("A renewal must be for the current or a later fiscal year."), field_name="fiscal_year")
    renewed, skipped = 0, []
    with ctx.db.write() as session:
        lock_rows(session, Group, ids)
        for done, group_id in enumerate(ids, start=1):
            group = session.get(Group, group_id)
            if group is None:
                skipped.append((group_id, _("This group no longer exists. Reload the list.")))
            elif group.status in (APPLIED, WITHDRAWN):
                skipped.append((group_id, _("{name}: only registered or paused groups can be renewed.").format(name=group.name)))
            else:
                before = {"valid_until": group.valid_until, "renewed_on": group.renewed_on}
                group.valid_until, group.renewed_on = until, day
                audit.record(session, user, "group", group.id, "renew", before, {"valid_until": until, "renewed_on": day}, note=str(fiscal_year))
                renewed += 1
            if progress is not None and progress(done, len(ids)) is False:
                raise Cancelled()
    return RenewResult(renewed, tuple(skipped))


def _set_status(ctx: ServiceContext, group_id: int, status: str, allowed: tuple[str, ...], refusal: str, action: str, reason: str) -> GroupDetail:
    user = ctx.require_signed_in()
    day = clock.today()
    with ctx.db.write() as session:
        group = _lock(session, group_id)
        if group.status not in allowed:
            raise RuleError(refusal.format(name=group.name), rule=RuleCode.STATUS, value=group.status)
        if status == WITHDRAWN:
            bookings = future_bookings(session, group.id, day)
            if bookings:
                raise RuleError(
                    _("{name} cannot be withdrawn while it has future bookings. Cancel them first: {bookings}").format(
                        name=group.name, bookings="、".join(bookings)
                    ),
                    rule=RuleCode.FUTURE_BOOKINGS, value=bookings,
                )
        before = {"status": group.status}
        group.status, group.status_changed_on = status, day
        if status == REGISTERED and group.registration_no is None:
            group.registered_on = group.registered_on or day
            group.valid_until = registration_valid_until(group.registered_on)
            assign_registration_no(session, group, group.registered_on)
        audit.record(session, user, "group", group.id, action, before, {"status": status, "registration_no": group.registration_no}, note=reason)
        session.flush()
        return _detail(group, day)


def approve_application(ctx: ServiceContext, group_id: int) -> GroupDetail:
    """Register an application (申請中 → 登録): assigns the registration number."""
    return _set_status(ctx, group_id, REGISTERED, (APPLIED,), _("{name} is not an application."), "approve", "")


def pause_group(ctx: ServiceContext, group_id: int, reason: str = "") -> GroupDetail:
    """Pause a group (休止); its history and number are kept. Refused unless registered."""
    return _set_status(ctx, group_id, PAUSED, (REGISTERED,), _("{name} is not registered, so it cannot be paused."), "pause", reason)


def resume_group(ctx: ServiceContext, group_id: int) -> GroupDetail:
    """Resume a paused group (休止 → 登録)."""
    return _set_status(ctx, group_id, REGISTERED, (PAUSED,), _("{name} is not paused."), "resume", "")


def withdraw_group(ctx: ServiceContext, group_id: int, reason: str = "") -> GroupDetail:
    """Withdraw a group (廃止); the row and its history are kept.

    Raises RuleError (rule ``future_bookings``, value = the bookings) while the group has
    bookings on or after today, as reported by :func:`future_bookings`; RuleError (rule
    ``status``) if it is already withdrawn.
    """
    return _set_status(ctx, group_id, WITHDRAWN, (APPLIED, REGISTERED, PAUSED), _("{name} is already withdrawn."), "withdraw", reason)
