"""``center-app users add LOGIN --role counter|coordinator|admin [--name NAME] [--as LOGIN]``.

The acting user is ``--as LOGIN`` (an administrator); their password comes from the environment
variable ``CENTER_APP_PASSWORD`` or is asked on the terminal. The new account's password comes
from ``CENTER_APP_NEW_PASSWORD`` or is asked twice on the terminal (at least 10 characters). The
first account of an empty database needs no ``--as`` and must be an administrator.

Exit status: 0 created; 1 refused (bad or taken login name, weak password, wrong sign-in);
2 bad usage (``--as`` missing); 3 the acting user is not an administrator (audited).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from center_app.db.database import Database
from center_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from center_app.domain.roles import Role
from center_app.commands.common import print_problems
from center_app.i18n import _

PASSWORD_ENV = "CENTER_APP_PASSWORD"
NEW_PASSWORD_ENV = "CENTER_APP_NEW_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``users`` command family."""
    users = sub.add_parser("users", help="職員アカウントの管理")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION")
    add = actions.add_parser("add", help="職員アカウントを追加する（管理者のみ。空のデータベースの最初の1人は --as 不要）")
    add.add_argument("login", metavar="LOGIN")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", help="氏名（省略時はログイン名）")
    add_as_option(add)
    add.set_defaults(handler=add_handler, creates_database=True)


def add_as_option(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    """The ``--as LOGIN`` option of commands acting as a staff member."""
    parser.add_argument("--as", dest="as_login", metavar="LOGIN", required=required,
                        help=f"操作する職員のログイン名（パスワードは {PASSWORD_ENV} または端末から）")


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise AuthenticationFailed(_("No password was given.")) from None


def acting_password(login: str) -> str:
    """The acting user's password: ``CENTER_APP_PASSWORD`` or typed on the terminal."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    return _ask(_("Password of {login}: ").format(login=login))


def new_password(login: str) -> tuple[str, str]:
    """The new account's password (twice): ``CENTER_APP_NEW_PASSWORD`` or typed twice."""
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password, password
    first = _ask(_("New password of {login}: ").format(login=login))
    return first, _ask(_("The same password again: "))


def acting_context(db: Database, login: str):
    """Sign ``login`` in (password from the environment or the terminal): a ServiceContext.
    Raises AuthenticationFailed (exit 1) like the sign-in dialog, with the same lockout."""
    from center_app.services import auth
    from center_app.services.context import ServiceContext

    return ServiceContext(db, auth.sign_in(db, login, acting_password(login)))


def add_handler(args: argparse.Namespace, db: Database) -> int:
    """Create the account; print one line."""
    from center_app.services import auth, staff
    from center_app.services.consultations import record_denial

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
    if not args.as_login:
        print(_("--as LOGIN is needed: the login name of an administrator."), file=sys.stderr)
        return 2
    ctx = acting_context(db, args.as_login)
    try:
        ctx.require(Role.ADMIN)
    except PermissionDenied as exc:
        record_denial(ctx, "users add", entity="staff_user")
        print(str(exc), file=sys.stderr)
        return exc.exit_status
    password, again = new_password(args.login)
    try:
        created = staff.create_staff(ctx, args.login, name, Role(args.role), password, again)
    except ValidationError as exc:
        print_problems(exc)
        return 1
    print(_("Created the account {login} ({role}).").format(login=created.login_name, role=created.role.label))
    return 0
