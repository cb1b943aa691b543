"""``center-app backup [--output FILE]`` and ``center-app restore FILE`` (SQLite databases).

For PostgreSQL both refuse with exit status 1 and point to pg_dump / pg_restore (README).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from center_app.db import backup
from center_app.db.database import Database, sqlite_path
from center_app.i18n import _


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``backup`` and ``restore``."""
    make = sub.add_parser("backup", help="データベースのバックアップ（SQLite）")
    make.add_argument("--output", type=Path, help=_("backup file (default: the backups folder of the data directory)"))
    make.set_defaults(handler=run_backup)
    restore = sub.add_parser("restore", help="バックアップからの復元（SQLite）")
    restore.add_argument("file", type=Path, help=_("a backup file made by Center Desk"))
    restore.set_defaults(handler=run_restore, raw_url=True)


def _sqlite_file(url: str) -> Path | None:
    path = sqlite_path(url)
    if path is None:
        print(_("Backups of a PostgreSQL database are made with pg_dump; see README."), file=sys.stderr)
    return path


def run_backup(args: argparse.Namespace, db: Database) -> int:
    """Write a verified copy; print its path."""
    path = _sqlite_file(db.url)
    if path is None:
        return 1
    target = backup.create_backup(path, "manual", args.output)
    print(_("Backup written: {path}").format(path=target))
    return 0


def run_restore(args: argparse.Namespace, url: str) -> int:
    """Replace the database with a checked backup, keeping the current one as a backup first."""
    path = _sqlite_file(url)
    if path is None:
        return 1
    kept = backup.restore(path, args.file)
    print(_("Restored {backup} into {path}. The previous database was kept as {kept}.").format(backup=args.file, path=path, kept=kept))
    return 0
