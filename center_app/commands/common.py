"""What the commands share: signing in with ``--as LOGIN`` (the one way every command that acts
as a staff member, or reads personal data, gets its user), running a command's service calls with
the refusals mapped to exit statuses (:func:`run_action`), and printing the problems of a refused
import or form, one per line."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from center_app.db.database import Database
from center_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from center_app.i18n import _, ngettext

PASSWORD_ENV = "CENTER_APP_PASSWORD"
NEW_PASSWORD_ENV = "CENTER_APP_NEW_PASSWORD"

T = TypeVar("T")


def command_context(db: Database):
    """The ServiceContext of a headless command: the database and the command-line user (an
    administrator named after the operating-system account, so the audit log says who ran it)."""
    from center_app.services.context import ServiceContext, command_line_user

    return ServiceContext(db, command_line_user())


def add_as_option(parser: argparse.ArgumentParser) -> None:
    """The ``--as LOGIN`` option of commands acting as a staff member. Never required by
    argparse: a command run without it is refused by :func:`signed_in_context` (exit 3, one line,
    audited), the same for every command."""
    parser.add_argument("--as", dest="as_login", metavar="LOGIN",
                        help=f"操作する職員のログイン名（パスワードは {PASSWORD_ENV} または端末から）")


def _ask(prompt: str, variable: str = PASSWORD_ENV) -> str:
    """The password typed on the terminal after ``prompt``. Without a terminal (a script, a
    scheduled task, input from a file) nothing is asked: AuthenticationFailed (exit 1) at once,
    telling to set ``variable`` — rather than Python's English warning that the typing would show."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)  # raised before the prompt when there is no terminal
            return getpass.getpass(prompt)
    except getpass.GetPassWarning:
        raise AuthenticationFailed(_("There is no terminal to type the password on: set the environment variable {name} "
                                     "to the password.").format(name=variable)) from None
    except (EOFError, KeyboardInterrupt):
        raise AuthenticationFailed(_("No password was given.")) from None


def acting_password(login: str) -> str:
    """The acting user's password: ``CENTER_APP_PASSWORD`` or typed on the terminal."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    return _ask(_("Password of {login}: ").format(login=login))


def new_password(login: str) -> tuple[str, str]:
    """A new password of ``login`` (twice): ``CENTER_APP_NEW_PASSWORD`` or typed twice."""
    password = os.environ.get(NEW_PASSWORD_ENV)
    if password is not None:
        return password, password
    first = _ask(_("New password of {login}: ").format(login=login), NEW_PASSWORD_ENV)
    return first, _ask(_("The same password again: "), NEW_PASSWORD_ENV)


def acting_context(db: Database, login: str):
    """Sign ``login`` in (password from the environment or the terminal): a ServiceContext.
    Raises AuthenticationFailed (exit 1) like the sign-in dialog, with the same lockout."""
    from center_app.services import auth
    from center_app.services.context import ServiceContext

    return ServiceContext(db, auth.sign_in(db, login, acting_password(login)))


def signed_in_context(db: Database, args: argparse.Namespace, command: str, entity: str, refusal: str = ""):
    """The context of a command that acts as a staff member or reads personal data: ``--as
    LOGIN`` signed in (:func:`acting_context`; a wrong password or an unknown login is exit 1, a
    role that may not act exit 3). Without ``--as`` the command is refused — one line on stderr
    (``refusal``, or that a staff member must sign in), exit 3 (:class:`PermissionDenied`) — and
    the attempt is in the audit log, under the operating-system account that ran it. Every
    command that takes ``--as`` signs in here."""
    login = getattr(args, "as_login", None)
    if login:
        return acting_context(db, login)
    from center_app.services import audit

    audit.log(command_context(db), entity, "", "denied", note=f"{command} without --as")
    raise PermissionDenied(refusal or _(
        "{command} needs a staff member signed in: add --as LOGIN (the password comes from {env} or the terminal).").format(
        command=command, env=PASSWORD_ENV))


def run_action(db: Database, args: argparse.Namespace, command: str, entity: str, action: Callable[[Any], T],
               report: Callable[[T], int | None] | None = None, *, refusal: Callable[[ValidationError], None] | None = None) -> int:
    """The body of a command that acts as a staff member: sign in (:func:`signed_in_context`:
    ``--as`` missing or a role that may not act is exit 3), run ``action(ctx)`` — the service
    calls — and hand its result to ``report``, which prints the outcome and returns the exit
    status (None: 0). A :class:`ValidationError` of ``action`` prints its problems on stderr
    (``refusal``, default :func:`print_problems`; nothing was written) and exits 1; any other
    ``CenterError`` reaches ``cli.main``, which prints it (exit 1, or 3 for PermissionDenied);
    a PermissionDenied (the role may not) is first written to 操作履歴 as ``denied``."""
    ctx = signed_in_context(db, args, command, entity)
    try:
        result = action(ctx)
    except ValidationError as exc:
        (refusal or print_problems)(exc)
        return 1
    except PermissionDenied:
        from center_app.services import audit

        audit.log(ctx, entity, "", "denied", note=command)
        raise
    status = report(result) if report is not None else None
    return 0 if status is None else status


def written_report(path: Path, message: str) -> Callable[[bytes], int]:
    """The ``report`` of :func:`run_action` for a command that writes a document: write the
    bytes to ``path`` (:func:`write_output`), then print ``message``; exit 1 when the file cannot
    be written."""
    def report(data: bytes) -> int:
        if not write_output(path, data):
            return 1
        print(message)
        return 0

    return report


def write_output(path: Path, data: bytes) -> bool:
    """Write ``data`` (a document, bytes) to ``path``; on failure print the reason on stderr in
    the command line's language and return False (the command then exits 1)."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(_("The file {path} cannot be written ({reason}).").format(path=path, reason=exc.strerror or exc), file=sys.stderr)
        return False
    return True


def print_problems(error: ValidationError) -> None:
    """Each problem on one line of stderr: ``行 N: 列名: message`` for a file's rows, the message
    alone for internal field keys (see :func:`center_app.services.groups_io.format_problem`)."""
    from center_app.services.groups_io import format_problem

    for problem in error.problems:
        print(format_problem(problem), file=sys.stderr)


def print_import_refusal(error: ValidationError) -> None:
    """The problems of a refused import, then how many there were (nothing was written)."""
    print_problems(error)
    if any(p.row is not None for p in error.problems):
        count = len(error.problems)
        print(ngettext("Nothing was imported: {count} problem.", "Nothing was imported: {count} problems.", count).format(count=count), file=sys.stderr)


class TerminalProgress:
    """The progress of an import on the terminal: one line on stderr per 10 %, when stderr is a
    terminal (a script that reads stderr gets only the problems; stdout keeps only the summary).
    Ctrl+C stops the import; its transaction is rolled back."""

    def __init__(self, label: str):
        self.label = label
        self.shown = 0
        self.terminal = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> bool:
        tenth = 10 * done // max(total, 1)
        if self.terminal and tenth > self.shown:
            self.shown = tenth
            print(self.label.format(percent=10 * tenth), file=sys.stderr, flush=True)
        return True


def import_progress() -> TerminalProgress:
    """Progress lines of an import: 取り込み中… 10 %, 20 %, …"""
    from center_app.i18n import _

    return TerminalProgress(_("Importing… {percent} %"))


def print_interrupted() -> int:
    """Say that Ctrl+C stopped the import and nothing was written; the exit status (130)."""
    from center_app.i18n import _

    print(_("Stopped: nothing was imported."), file=sys.stderr)
    return 130


def date_argument(text: str):
    """An ``argparse`` type for a date option (``--date``, ``--from``, ``--to``): every form
    :func:`center_app.domain.normalize.parse_date` reads (2026-06-02, 2026/6/2, 令和8年6月2日,
    full-width digits), within 1900–2200; otherwise the Japanese reason and exit status 2."""
    from center_app.domain.normalize import parse_date

    try:
        day = parse_date(text, field="date")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if day is None:
        raise argparse.ArgumentTypeError(_("Enter a date such as 2026-04-01."))
    return day
