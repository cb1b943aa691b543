"""Who is acting on which database: passed as the first argument of every service."""

from __future__ import annotations

from dataclasses import dataclass

from center_app.db.database import Database
from center_app.domain.errors import PermissionDenied
from center_app.domain.roles import Role
from center_app.i18n import _


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in staff user."""

    id: int | None  # None for the command line, which acts as an administrator of this PC
    login_name: str
    display_name: str
    role: Role


def command_line_user() -> CurrentUser:
    """The user of headless commands (``center-app groups import`` …): an administrator named
    after the operating-system account, so the audit log says who ran it."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some service accounts
        name = "unknown"
    return CurrentUser(id=None, login_name=f"cli:{name}", display_name=f"CLI ({name})", role=Role.ADMIN)


@dataclass(frozen=True)
class ServiceContext:
    """A database and the signed-in user (None only before sign-in)."""

    db: Database
    user: CurrentUser | None = None

    def require(self, *roles: Role) -> CurrentUser:
        """The current user if their role is one of ``roles``; otherwise :class:`PermissionDenied`."""
        if self.user is None:
            raise PermissionDenied(_("Please sign in first."))
        if self.user.role not in roles:
            needed = " / ".join(role.label for role in roles)
            raise PermissionDenied(
                _("This needs the role: {roles}.").format(roles=needed), required_role=roles[0].value
            )
        return self.user

    def require_signed_in(self) -> CurrentUser:
        """The current user, of any role."""
        return self.require(*Role)
