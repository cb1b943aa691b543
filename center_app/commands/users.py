"""``center-app users add|disable|enable|set-role|reset-password LOGIN … --as ADMIN`` (staff accounts).

- ``add LOGIN --role counter|coordinator|admin [--name NAME] [--as ADMIN]``: a new account. While
  the database has no active administrator (a new database, or one made by ``center-app demo``)
  ``add`` needs no ``--as`` and creates that first administrator (another role is refused);
  once there is one, ``add`` without ``--as`` is refused, saying so (exit 3, audited).
- ``disable LOGIN --as ADMIN`` / ``enable LOGIN --as ADMIN``: take an account out of use (its
  sessions are signed out at their next action) or back into use.
- ``set-role LOGIN --role counter|coordinator|admin --as ADMIN``: change the role (signs the
  account's sessions out).
- ``reset-password LOGIN --as ADMIN``: a new password (lifts a lockout; signs the account's
  sessions out).

The acting user is ``--as LOGIN`` (an administrator); their password comes from the environment
variable ``CENTER_APP_PASSWORD`` or is asked on the terminal. A new password comes from
``CENTER_APP_NEW_PASSWORD`` or is asked twice on the terminal (at least 10 characters). The last
active administrator cannot be disabled or demoted.

Exit status: 0 done; 1 refused (bad or taken login name, unknown account, weak password, the last
administrator, wrong sign-in); 2 bad usage; 3 ``--as`` missing or the acting user is not an
administrator (audited).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from center_app.commands.common import PASSWORD_ENV, add_as_option, new_password, print_problems, signed_in_context
from center_app.db.database import Database
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.domain.roles import Role
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``users`` command family."""
    users = sub.add_parser("users", help="職員アカウントの管理")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION")
    add = actions.add_parser("add", help="職員アカウントを追加する（管理者のみ。管理者のいないデータベースの最初の管理者は --as 不要）")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", help="氏名（省略時はログイン名）")
    add_as_option(add)
    add.set_defaults(handler=add_handler, creates_database=True)

    for name, help_text, handler in (
        ("disable", "職員アカウントを使用停止にする（サインイン中の画面は次の操作でサインアウト）", disable_handler),
        ("enable", "使用停止の職員アカウントを再び使えるようにする", enable_handler),
        ("set-role", "職員アカウントの権限を変更する（サインイン中の画面は次の操作でサインアウト）", set_role_handler),
        ("reset-password", "職員アカウントのパスワードを再設定する（ロックも解除。新しいパスワードは CENTER_APP_NEW_PASSWORD または端末から）", reset_password_handler),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("login", metavar="LOGIN")
        if name == "set-role":
            action.add_argument("--role", required=True, choices=[r.value for r in Role])
        add_as_option(action)
        action.set_defaults(handler=handler)


def _as_admin(db: Database, args: argparse.Namespace, command: str, refusal: str = ""):
    """The signed-in ``--as`` administrator; PermissionDenied (exit 3, audited) for another role
    or without ``--as`` (``refusal``: the line that says why)."""
    from center_app.services import audit

    ctx = signed_in_context(db, args, f"users {command}", "staff_user", refusal)
    try:
        ctx.require(Role.ADMIN)
    except PermissionDenied:
        audit.log(ctx, "staff_user", "", "denied", note=f"users {command}")
        raise
    return ctx


def add_handler(args: argparse.Namespace, db: Database) -> int:
    """Create the account; print one line."""
    from center_app.services import auth, staff

    name = args.name or args.login
    if auth.needs_first_admin(db):
        if args.role != Role.ADMIN.value:
            print(_("The first account of a database must be an administrator (--role admin)."), file=sys.stderr)
            return 1
        password, again = new_password(args.login)
        try:
            user = auth.create_first_admin(db, args.login, name, password, again)
        except ValidationError as exc:
            print_problems(exc)
            return 1
        print(_("Created the account {login} ({role}).").format(login=user.login_name, role=user.role.label))
        return 0
    ctx = _as_admin(db, args, "add", _(
        "users add: this database has an administrator already, so accounts are added by an administrator: add --as LOGIN (an "
        "administrator's login; the password comes from {env} or the terminal). Without --as, users add only creates the first "
        "administrator of a database that has none.").format(env=PASSWORD_ENV))
    password, again = new_password(args.login)
    try:
        created = staff.create_staff(ctx, args.login, name, Role(args.role), password, again)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    print(_("Created the account {login} ({role}).").format(login=created.login_name, role=created.role.label))
    return 0


def _change(args: argparse.Namespace, db: Database, command: str, change: Callable) -> int:
    """Find the account, apply ``change(ctx, view)`` (returns the message), print it."""
    from center_app.services import staff

    ctx = _as_admin(db, args, command)
    try:
        account = staff.find_staff(ctx, args.login)
        message = change(ctx, account)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    print(message)
    return 0


def disable_handler(args: argparse.Namespace, db: Database) -> int:
    """``users disable LOGIN``."""
    from center_app.services import staff

    def change(ctx, account):
        staff.update_staff(ctx, account.id, display_name=account.display_name, role=account.role, active=False, expected_version=account.version)
        return _("The account {login} is no longer in use; its sessions are signed out at their next action.").format(login=account.login_name)
    return _change(args, db, "disable", change)


def enable_handler(args: argparse.Namespace, db: Database) -> int:
    """``users enable LOGIN``."""
    from center_app.services import staff

    def change(ctx, account):
        staff.update_staff(ctx, account.id, display_name=account.display_name, role=account.role, active=True, expected_version=account.version)
        return _("The account {login} is in use again.").format(login=account.login_name)
    return _change(args, db, "enable", change)


def set_role_handler(args: argparse.Namespace, db: Database) -> int:
    """``users set-role LOGIN --role ROLE``."""
    from center_app.services import staff

    def change(ctx, account):
        role = Role(args.role)
        staff.update_staff(ctx, account.id, display_name=account.display_name, role=role, active=account.active, expected_version=account.version)
        return _("The account {login} now has the role {role}.").format(login=account.login_name, role=role.label)
    return _change(args, db, "set-role", change)


def reset_password_handler(args: argparse.Namespace, db: Database) -> int:
    """``users reset-password LOGIN`` (the new password from the environment or the terminal)."""
    from center_app.services import staff

    def change(ctx, account):
        password, again = new_password(account.login_name)
        staff.reset_password(ctx, account.id, password, again)
        return _("The password of {login} was reset; its sessions are signed out at their next action.").format(login=account.login_name)
    return _change(args, db, "reset-password", change)
