"""職員アカウント: create, change role, disable, enable, reset password (admin only; audited).

Disabling an account, changing its role and resetting its password raise its
``session_epoch``: whoever is signed in with it is signed out at their next action
(:meth:`center_app.services.context.ServiceContext.require`). Each change locks the account's
row first (:mod:`center_app.services.editing`); the form's save is refused when the account
changed since the form was opened (``expected_version``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from center_app.db.models import StaffUser
from center_app.domain.errors import FieldProblem, RuleCode, RuleError, ValidationError
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.auth import hash_password, normalize_login_name, password_problems, validate_new_account
from center_app.services.context import ServiceContext
from center_app.services.editing import lock_for_edit

ENTITY = "staff_user"


@dataclass(frozen=True)
class StaffView:
    """A staff account as listed in 設定 → 職員 (no hash). Times are local; ``version`` is the
    stored version the view was read at."""

    id: int
    login_name: str
    display_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    version: int = 1


def _view(user: StaffUser) -> StaffView:
    return StaffView(user.id, user.login_name, user.display_name, Role(user.role), user.active, user.locked_until, user.last_login_at,
                     user.version)


def _lock(session, user_id: int, expected_version: int | None = None) -> StaffUser:
    return lock_for_edit(session, StaffUser, user_id, entity=ENTITY, missing=_("This account no longer exists. Reload the list."),
                         expected_version=expected_version)


def list_staff(ctx: ServiceContext) -> list[StaffView]:
    """Every staff account, by login name."""
    ctx.require(Role.ADMIN)
    with ctx.db.read() as session:
        return [_view(u) for u in session.scalars(select(StaffUser).order_by(StaffUser.login_name))]


def find_staff(ctx: ServiceContext, login_name: str) -> StaffView:
    """The account with ``login_name`` (compared as at sign-in: NFKC, lower case); administrators
    only. ValidationError (field ``login_name``) naming it when there is none."""
    ctx.require(Role.ADMIN)
    name = normalize_login_name(login_name)
    with ctx.db.read() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.login_name == name)) if name else None
        if user is None:
            raise ValidationError(_("There is no staff account {login}.").format(login=login_name.strip()), field_name="login_name")
        return _view(user)


def create_staff(ctx: ServiceContext, login_name: str, display_name: str, role: Role, password: str, password_again: str) -> StaffView:
    """A new account. Raises :class:`ValidationError` (bad fields, login name taken)."""
    admin = ctx.require(Role.ADMIN)
    validate_new_account(login_name, display_name, password, password_again)
    name = normalize_login_name(login_name)
    with ctx.db.write() as session:
        if session.scalar(select(StaffUser).where(StaffUser.login_name == name)):
            raise ValidationError([FieldProblem("login_name", _("This login name is already used."))])
        user = StaffUser(login_name=name, display_name=display_name.strip(), password_hash=hash_password(password), role=Role(role).value)
        session.add(user)
        session.flush()
        audit.record(session, admin, ENTITY, user.id, "create", after={"login_name": name, "role": user.role})
        return _view(user)


def update_staff(ctx: ServiceContext, user_id: int, *, display_name: str, role: Role, active: bool,
                 expected_version: int | None = None) -> StaffView:
    """Change name, role or active flag. The last active administrator cannot be demoted or
    disabled (RuleError ``last_admin``). Disabling or changing the role signs the account's
    sessions out at their next action. ``expected_version``: see the module docstring."""
    admin = ctx.require(Role.ADMIN)
    if not display_name.strip():
        raise ValidationError([FieldProblem("display_name", _("Enter the staff member's name."))])
    with ctx.db.write() as session:
        admins: list[int] = []
        if Role(role) != Role.ADMIN or not active:
            # the rule counts the active administrators: their rows are locked first (in id order,
            # before the account's own), so two PCs cannot each remove "the other" last one
            admins = list(session.scalars(
                select(StaffUser.id).where(StaffUser.role == Role.ADMIN.value, StaffUser.active.is_(True)).order_by(StaffUser.id).with_for_update()
            ))
        user = _lock(session, user_id, expected_version)
        if user.role == Role.ADMIN and user.active and (Role(role) != Role.ADMIN or not active) and len(admins) <= 1:
            raise RuleError(_("At least one active administrator must remain."), rule=RuleCode.LAST_ADMIN)
        before = {"display_name": user.display_name, "role": user.role, "active": user.active}
        revoked = user.role != Role(role).value or (user.active and not active)
        user.display_name, user.role, user.active = display_name.strip(), Role(role).value, bool(active)
        if revoked:
            user.session_epoch += 1
        after = {"display_name": user.display_name, "role": user.role, "active": user.active}
        old, new = audit.changes(before, after)
        audit.record(session, admin, ENTITY, user.id, "update", old, new)
        session.flush()
        return _view(user)


def reset_password(ctx: ServiceContext, user_id: int, password: str, password_again: str) -> None:
    """Set a new password and lift a lock; the account's sessions are signed out at their next
    action. Raises :class:`ValidationError` for a weak password."""
    admin = ctx.require(Role.ADMIN)
    problems = password_problems(password, password_again)
    if problems:
        raise ValidationError(problems)
    with ctx.db.write() as session:
        user = _lock(session, user_id)
        user.password_hash = hash_password(password)
        user.failed_login_count = 0
        user.locked_until = None
        user.session_epoch += 1
        audit.record(session, admin, ENTITY, user.id, "reset_password")
