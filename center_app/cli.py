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
import sys
from collections.abc import Callable

from center_app.domain.errors import CenterError


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
    __import__("center_app.commands.programs", fromlist=["register"]).register(sub)


def run(args: argparse.Namespace, resolve_url: Callable[[str | None], str]) -> int:
    """Open the database (as the desktop app does) and run the chosen command; print user-facing errors, never tracebacks."""
    from center_app.services.startup import open_center_database

    handler = getattr(args, "handler", None)
    if handler is None:
        print("usage: center-app COMMAND ... (see center-app --help)", file=sys.stderr)
        return 2
    from center_app.installation import missing_shipped_files

    missing = missing_shipped_files()
    if missing:
        print("\n".join(missing), file=sys.stderr)
        return 1
    url = resolve_url(args.database_url)
    if getattr(args, "raw_url", False):
        try:
            return handler(args, url)
        except CenterError as exc:
            print(str(exc), file=sys.stderr)
            return exc.exit_status
    try:
        db = open_center_database(url, create=getattr(args, "creates_database", False))
    except CenterError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_status
    try:
        return handler(args, db)
    except CenterError as exc:
        print(str(exc), file=sys.stderr)
        return exc.exit_status
    finally:
        db.dispose()
