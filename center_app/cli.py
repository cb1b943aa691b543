"""Headless commands of ``center-app``: contracts other tools script, documented in README.

Exit status: 0 success, 1 a user-facing error (validation, conflict, rule, database),
2 bad usage (argparse), 3 permission denied. Messages go to stderr, summaries to stdout.
Each command registers itself in :func:`add_subcommands` with a ``handler(args, db) -> int``;
a command that must not open the database first (restore) sets ``raw_url=True`` and gets
``handler(args, url)`` instead. The database is opened like the desktop app opens it
(:func:`center_app.services.startup.open_center_database`: migrated, and the default
configuration loaded into a new one). Only commands that set ``creates_database=True`` (demo,
users add, the imports) may create a new SQLite file; the others refuse a path that does not exist.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from center_app.domain.errors import CenterError
from center_app.i18n import N_, _, ngettext

#: argparse's own words that reach a user (usage, the help headings, its refusals), marked for
#: the catalog: argparse asks gettext's default domain, which has no Japanese (Python 3.11's
#: argparse; its messages for programming mistakes are left out).
ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"), N_("argument %(argument_name)s: %(message)s"), N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"), N_("one of the arguments %s is required"), N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"), N_("expected one argument"), N_("expected at most one argument"),
    N_("expected at least one argument"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"), N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("can't open '%(filename)s': %(error)s"),
)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":  # the one plural argparse shows a user, spelled out for the catalog
        return ngettext("expected %s argument", "expected %s arguments", n)
    return ngettext(singular, plural, n)


def translate_argparse() -> None:
    """Let argparse speak the language of the command line (``--lang``, Japanese by default):
    its ``_`` and ``ngettext`` become the catalog's. Call before the parser is built (the help
    headings are translated when a parser is made)."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def add_subcommands(parser: argparse.ArgumentParser) -> None:
    """Attach every headless command to the top-level parser."""
    from center_app.commands import consultations as consultations_commands
    from center_app.commands import groups as groups_commands
    from center_app.commands import maintenance
    from center_app.commands import users as users_commands

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups_commands.register(sub)
    maintenance.register(sub)
    users_commands.register(sub)
    consultations_commands.register(sub)
    __import__("center_app.commands.reports", fromlist=["register"]).register(sub)
    __import__("center_app.commands.printing", fromlist=["register"]).register(sub)  # before bookings: `print` family
    from center_app.commands import bookings as bookings_commands  # adds `print slip` to the `print` family

    bookings_commands.register(sub)
    __import__("center_app.commands.payments", fromlist=["register"]).register(sub)
    __import__("center_app.commands.demo", fromlist=["register"]).register(sub)
    __import__("center_app.commands.visitors", fromlist=["register"]).register(sub)
    __import__("center_app.commands.lottery", fromlist=["register"]).register(sub)
    __import__("center_app.commands.lockers", fromlist=["register"]).register(sub)
    __import__("center_app.commands.equipment", fromlist=["register"]).register(sub)
    __import__("center_app.commands.print_room", fromlist=["register"]).register(sub)
    __import__("center_app.commands.programs", fromlist=["register"]).register(sub)
    __import__("center_app.commands.mail", fromlist=["register"]).register(sub)
    __import__("center_app.commands.publish", fromlist=["register"]).register(sub)


#: The exit status of a command whose reader went away (``… | head``): 128 + SIGPIPE, as a shell reports it.
EXIT_BROKEN_PIPE = 141


def _run_handler(handler: Callable, args: argparse.Namespace, target: object) -> int:
    """Run ``handler``; when whoever reads its output stops reading (``center-app charges list |
    head``), end quietly with :data:`EXIT_BROKEN_PIPE` instead of a BrokenPipeError traceback
    (a write transaction in progress is rolled back by the exception)."""
    try:
        status = handler(args, target)
        sys.stdout.flush()  # the last buffered lines: a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)  # Python flushes stdout again at exit: let that go nowhere
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def run(args: argparse.Namespace, resolve_url: Callable[[str | None], str]) -> int:
    """Open the database (as the desktop app does) and run the chosen command; print user-facing errors, never tracebacks."""
    from center_app.services.startup import open_center_database

    handler = getattr(args, "handler", None)
    if handler is None:
        print(_("usage: center-app COMMAND … (see center-app --help)"), file=sys.stderr)
        return 2
    from center_app.installation import missing_shipped_files

    missing = missing_shipped_files()
    if missing:
        print("\n".join(missing), file=sys.stderr)
        return 1
    url = resolve_url(args.database_url)
    if getattr(args, "raw_url", False):
        try:
            return _run_handler(handler, args, url)
        except CenterError as exc:
            print(str(exc), file=sys.stderr)
            return exc.exit_status
    try:
        db = open_center_database(url, create=getattr(args, "creates_database", False))
    except CenterError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_status
    try:
        return _run_handler(handler, args, db)
    except CenterError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_status
    finally:
        db.dispose()
