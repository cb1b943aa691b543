"""Who is acting on which database: passed as the first argument of every service.

Every service call checks the signed-in account against the database (:meth:`ServiceContext.require`):
one read of the account's row by its primary key. An account disabled, or whose role or password
was changed by an administrator since it signed in (its ``session_epoch`` went up, see
:mod:`center_app.services.staff`), is refused with :class:`SessionEnded` — the app signs that
person out with the message, the command line exits 3 — and the attempt is audited. The role a
service checks is the one stored now, never the one remembered at sign-in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from center_app.db.database import Database
from center_app.db.models import AuditEntry, StaffUser
from center_app.domain.errors import PermissionDenied, SessionEnded
from center_app.domain.roles import Role
from center_app.i18n import _


#: What every service call reads of the signed-in account (built once: bound parameters only).
_ACCOUNT = select(StaffUser.active, StaffUser.role, StaffUser.session_epoch).where(StaffUser.id == bindparam("id"))


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in staff user. ``session_epoch`` is the account's epoch when it signed in."""

    id: int | None  # None for the command line, which acts as an administrator of this PC
    login_name: str
    display_name: str
    role: Role
    session_epoch: int = 0


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

    def require(self, *roles: Role, connection: Connection | None = None) -> CurrentUser:
        """The current user, as the database holds the account now, if its role is one of
        ``roles``; otherwise :class:`PermissionDenied`. :class:`SessionEnded` when the account
        was disabled, or its role or password changed, since it signed in. ``connection``: the
        caller's open transaction to read the account in (else a plain connection of its own)."""
        if self.user is None:
            raise PermissionDenied(_("Please sign in first."))
        user = self.current_account(connection)
        if user.role not in roles:
            needed = " / ".join(role.label for role in roles)
            raise PermissionDenied(
                _("This needs the role: {roles}.").format(roles=needed), required_role=roles[0].value
            )
        return user

    def require_signed_in(self, connection: Connection | None = None) -> CurrentUser:
        """The current user, of any role (see :meth:`require`)."""
        return self.require(*Role, connection=connection)

    def current_account(self, connection: Connection | None = None) -> CurrentUser:
        """The signed-in user with the role stored now (one primary-key read, in ``connection`` when
        given). The command-line user (no account) is returned as it is. Raises :class:`SessionEnded` (audited) for an
        account that is gone, disabled, or changed by an administrator since it signed in."""
        user = self.user
        if user is None or user.id is None:
            if user is None:
                raise PermissionDenied(_("Please sign in first."))
            return user
        if connection is not None:
            row = connection.execute(_ACCOUNT, {"id": user.id}).first()
        else:
            with self.db.engine.connect() as own:  # a plain connection: about 70 µs on SQLite, no ORM session
                row = own.execute(_ACCOUNT, {"id": user.id}).first()
        if row is None or not row.active:
            self._ended("disabled")
            raise SessionEnded(_("Your account is no longer in use, so you were signed out. Ask an administrator if this is a mistake."))
        if row.session_epoch != user.session_epoch:
            self._ended("changed")
            raise SessionEnded(_("An administrator changed your account (role or password), so you were signed out. Please sign in again."))
        return user if row.role == user.role.value else dataclasses.replace(user, role=Role(row.role))

    def _ended(self, reason: str) -> None:
        """Record that a session was refused (its own transaction; never stops the refusal)."""
        try:
            with self.db.write() as session:
                session.add(AuditEntry(staff_user_id=self.user.id, staff_name=self.user.display_name, entity="staff_user",
                                       entity_id=str(self.user.id), action="session_ended", note=reason))
        except Exception:  # noqa: BLE001 - the database may be the reason; the sign-out happens anyway
            pass
