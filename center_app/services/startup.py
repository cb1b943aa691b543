"""Opening a database for use: the one start path of the desktop app, of every ``center-app``
command and of the tests.

A database is usable only with its configuration (facilities, rooms, slots, fees, applicant
classes, closed days): a booking ledger names a facility, a report counts its rooms. Opening
through :func:`open_center_database` gives every entry point the same database, whichever of
them meets a new file first.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from center_app.db import backup
from center_app.db.database import Database, check_sqlite_file, open_database, sqlite_path
from center_app.domain.errors import DatabaseUnavailable
from center_app.i18n import _
from center_app.services import center_settings, seed


def open_center_database(url: str, *, create: bool = True, check: bool = True) -> Database:
    """Open ``url`` ready for use: the checks, backup and migrations of
    :func:`center_app.db.database.open_database`, then the default configuration
    (``resources/seed/default_center.json``) loaded when the database has none yet.

    A database that already has its configuration is never touched by the loading, so a center's
    own facilities and fees stay as they were edited. ``create`` False refuses an SQLite file that
    does not exist (commands that only read or export). ``check`` False leaves ``PRAGMA
    quick_check`` of an SQLite file to :func:`daily_checks` (the desktop app runs it once its main
    window is up), except before a migration.

    Raises :class:`DatabaseUnavailable` (the message names the database) for everything
    ``open_database`` refuses, and when the configuration cannot be written; no connection is
    left open then.
    """
    db = open_database(url, create=create, check=check)
    try:
        seed.load_default_configuration(db)
        with db.read() as session:
            center_settings.apply_date_style(session)  # the center's one date style, on every screen and slip
    except SQLAlchemyError as exc:
        db.dispose()
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        raise DatabaseUnavailable(
            _("The database {path} cannot be opened ({reason}).").format(path=db.location, reason=detail), db.location
        ) from exc
    except BaseException:
        db.dispose()
        raise
    return db


def daily_checks(db: Database) -> Path | None:
    """What the desktop app does in the background once its main window is up: ``PRAGMA
    quick_check`` of an SQLite file, then the day's backup when none was taken today (a verified
    copy, :func:`center_app.db.backup.daily_backup_if_due`). Returns the new backup, or None
    (already taken today, or not an SQLite file).

    Raises :class:`~center_app.db.database.DatabaseDamaged` when the file fails the check (the
    app offers the newest good backup), :class:`DatabaseUnavailable` when the copy fails its own
    check. Reads the database only through its own connections, so the app keeps working meanwhile.
    """
    path = sqlite_path(db.url)
    if path is None:
        return None
    check_sqlite_file(path)
    return backup.daily_backup_if_due(path)
