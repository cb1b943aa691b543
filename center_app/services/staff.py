"""職員アカウント: create, change role, disable, reset password (admin only; audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from center_app.db.models import StaffUser
from center_app.domain.errors import FieldProblem, RuleCode, RuleError, ValidationError
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.auth import hash_password, normalize_login_name, password_problems, validate_new_account
from center_app.services.context import ServiceContext


@dataclass(frozen=True)
class StaffView:
    """A staff account as listed in 設定 → 職員 (no hash). Times are local."""

    id: int
    login_name: str
    display_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None


def _view(user: StaffUser) -> StaffView:
    return StaffView(user.id, user.login_name, user.display_name, Role(user.role), user.active, user.locked_until, user.last_login_at)


def list_staff(ctx: ServiceContext) -> list[StaffView]:
    """Every staff account, by login name."""
    ctx.require(Role.ADMIN)
    with ctx.db.read() as session:
        return [_view(u) for u in session.scalars(select(StaffUser).order_by(StaffUser.login_name))]


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
        audit.record(session, admin, "staff_user", user.id, "create", after={"login_name": name, "role": user.role})
        return _view(user)


def update_staff(ctx: ServiceContext, user_id: int, *, display_name: str, role: Role, active: bool) -> StaffView:
    """Change name, role or active flag. The last active administrator cannot be demoted or disabled."""
    admin = ctx.require(Role.ADMIN)
    if not display_name.strip():
        raise ValidationError([FieldProblem("display_name", _("Enter the staff member's name."))])
    with ctx.db.write() as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise ValidationError(_("This account no longer exists. Reload the list."))
        losing_admin = user.role == Role.ADMIN and user.active and (Role(role) != Role.ADMIN or not active)
        if losing_admin:
            admins = session.scalar(
                select(func.count()).select_from(StaffUser).where(StaffUser.role == Role.ADMIN.value, StaffUser.active.is_(True))
            )
            if admins <= 1:
                raise RuleError(_("At least one active administrator must remain."), rule=RuleCode.LAST_ADMIN)
        before = {"display_name": user.display_name, "role": user.role, "active": user.active}
        user.display_name, user.role, user.active = display_name.strip(), Role(role).value, bool(active)
        after = {"display_name": user.display_name, "role": user.role, "active": user.active}
        old, new = audit.changes(before, after)
        audit.record(session, admin, "staff_user", user.id, "update", old, new)
        return _view(user)


def reset_password(ctx: ServiceContext, user_id: int, password: str, password_again: str) -> None:
    """Set a new password and lift a lock. Raises :class:`ValidationError` for a weak password."""
    admin = ctx.require(Role.ADMIN)
    problems = password_problems(password, password_again)
    if problems:
        raise ValidationError(problems)
    with ctx.db.write() as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise ValidationError(_("This account no longer exists. Reload the list."))
        user.password_hash = hash_password(password)
        user.failed_login_count = 0
        user.locked_until = None
        audit.record(session, admin, "staff_user", user.id, "reset_password")
