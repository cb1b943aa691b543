"""設定 → バックアップ: list, take and restore backups of the SQLite database (admin only)."""

from __future__ import annotations

from pathlib import Path

from center_app.db import backup
from center_app.db.backup import BackupInfo
from center_app.db.database import sqlite_path
from center_app.domain.errors import RuleCode, RuleError
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import ServiceContext


def _file(ctx: ServiceContext) -> Path:
    path = sqlite_path(ctx.db.url)
    if path is None:
        raise RuleError(_("Backups of a PostgreSQL database are made with pg_dump; see README."), rule=RuleCode.POSTGRESQL)
    return path


def list_backups(ctx: ServiceContext) -> list[BackupInfo]:
    """Backups of the current database, newest first."""
    ctx.require(Role.ADMIN)
    return backup.list_backups(_file(ctx).stem)


def backup_now(ctx: ServiceContext) -> Path:
    """Take a verified manual backup; returns its path."""
    user = ctx.require(Role.ADMIN)
    path = backup.create_backup(_file(ctx), "manual")
    with ctx.db.write() as session:
        audit.record(session, user, "database", path.name, "backup")
    return path


def restore_backup(ctx: ServiceContext, backup_file: Path) -> Path:
    """Replace the database with ``backup_file`` (checked first); returns the copy of the old one.

    Closes every connection of ``ctx.db``: the app must reopen the database afterwards.
    """
    user = ctx.require(Role.ADMIN)
    target = _file(ctx)
    ctx.db.dispose()
    kept = backup.restore(target, backup_file)
    from center_app.services.startup import open_center_database

    reopened = open_center_database(ctx.db.url)
    try:
        with reopened.write() as session:
            audit.record(session, user if user.id is None else None, "database", backup_file.name, "restore", note=f"{user.display_name}; kept {kept.name}")
    finally:
        reopened.dispose()
    return kept
