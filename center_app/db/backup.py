"""Backups of the SQLite file: online backup API, verified copies, rotation, restore.

Automatic backups live in ``<data dir>/backups`` and are named
``<stem>-<kind>-<YYYYmmdd-HHMMSS>.sqlite3`` with kind ``daily`` (first start of the day),
``before-migration``, ``before-restore`` or ``manual``. Each copy is checked with
``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` before it counts; a copy that fails
is deleted and the backup reported as failed. Daily copies are rotated: the newest copy of each
of the last 7 days, 4 ISO weeks and 12 months is kept (grandfather-father-son). Manual copies
and those written before a restore are never deleted automatically; the last 10 copies written
before a migration are kept.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from center_app import paths
from center_app.db.revisions import known_revisions
from center_app.domain import clock
from center_app.domain.errors import DatabaseUnavailable, ValidationError
from center_app.i18n import _

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KEEP_BEFORE_MIGRATION = 10
#: ``{stem}-{kind}-{YYYYMMDD-HHMMSS}[-{n}].sqlite3``: ``-n`` keeps two backups of the same second apart.
_NAME = re.compile(r"^(?P<stem>.+)-(?P<kind>daily|before-migration|before-restore|manual)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: its path, kind, when it was taken (local time) and size in bytes."""

    path: Path
    kind: str
    taken_at: dt.datetime
    size: int


def _ro_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def check_file(path: Path) -> list[str]:
    """Problems found by ``integrity_check`` and ``foreign_key_check`` ([] = a sound file)."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            problems = [] if rows == ["ok"] else rows
            problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def quick_check(path: Path) -> list[str]:
    """Problems found by ``PRAGMA quick_check`` (the fast start-up check); [] when sound."""
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
            return [] if rows == ["ok"] else rows
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def copy_database(source: Path, target: Path, *, self_contained: bool = True) -> Path:
    """Copy an SQLite database with the online backup API (consistent while other PCs write).

    A ``self_contained`` copy (a backup) is switched to the rollback journal, so it is one file:
    opening it later (a check, a restore) leaves no ``-wal``/``-shm`` files beside it. The app
    switches a database it opens back to WAL (:mod:`center_app.db.engine`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(_ro_uri(source), uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            if self_contained:
                dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return target


def in_use(path: Path) -> bool:
    """Whether another connection has the SQLite file ``path`` open (this PC or another): the
    app keeps its connections open while it runs, and each holds a shared lock on the file, so
    an exclusive lock is refused at once (``timeout=0``). Nothing is written."""
    if not path.exists():
        return False
    conn = sqlite3.connect(path, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.rollback()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def backup_name(source: Path, kind: str, when: dt.datetime | None = None) -> Path:
    """The path of a new automatic backup of ``source`` of ``kind``."""
    stamp = (when or clock.now()).strftime("%Y%m%d-%H%M%S")
    return paths.backups_dir() / f"{source.stem}-{kind}-{stamp}.sqlite3"


def create_backup(source: Path, kind: str = "manual", target: Path | None = None) -> Path:
    """Back ``source`` up to ``target`` (default: the backups folder) and verify the copy.

    The copy is written and checked under a temporary name and renamed when sound, so a copy cut
    short (the app closed or the PC switched off meanwhile) never counts as a backup.
    Raises :class:`DatabaseUnavailable` when the copy fails its checks (the copy is deleted), and
    :class:`ValidationError` (field ``output``, nothing written) when the folder of ``target``
    does not exist: a typing mistake in the folder name must not silently create folders.
    """
    if target is not None and not target.parent.is_dir():
        raise ValidationError(_("The folder {folder} does not exist; no backup was written. Create it first or choose another "
                                "folder.").format(folder=target.parent), field_name="output")
    target = target or backup_name(source, kind)
    base, number = target, 1
    while target.exists():
        number += 1
        target = base.with_name(f"{base.stem}-{number}{base.suffix}")
    partial = target.with_name(target.name + ".partial")
    copy_database(source, partial)
    problems = check_file(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise DatabaseUnavailable(
            _("The backup of {path} failed its check: {problem}").format(path=source, problem=problems[0]), str(source)
        )
    for leftover in (Path(f"{partial}-wal"), Path(f"{partial}-shm")):  # the check's read-only connection leaves them, empty
        leftover.unlink(missing_ok=True)
    partial.replace(target)
    return target


def list_backups(stem: str | None = None) -> list[BackupInfo]:
    """Backups in the backups folder (of database ``stem`` if given), newest first."""
    found = []
    for path in paths.backups_dir().glob("*.sqlite3"):
        match = _NAME.match(path.name)
        if not match or (stem and match["stem"] != stem):
            continue
        taken = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        found.append(BackupInfo(path, match["kind"], taken, path.stat().st_size))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def rotate(stem: str) -> list[Path]:
    """Delete daily copies beyond 7 days / 4 weeks / 12 months and old pre-migration copies."""
    backups = list_backups(stem)
    daily = [b for b in backups if b.kind == "daily"]
    keep: set[Path] = set()
    for key, count in ((lambda b: b.taken_at.date(), KEEP_DAILY), (lambda b: b.taken_at.isocalendar()[:2], KEEP_WEEKLY), (lambda b: (b.taken_at.year, b.taken_at.month), KEEP_MONTHLY)):
        seen = []
        for b in daily:  # newest first: the first copy of each period is the one kept
            period = key(b)
            if period not in seen:
                seen.append(period)
                if len(seen) > count:
                    break
                keep.add(b.path)
    migration = [b for b in backups if b.kind == "before-migration"]
    keep.update(b.path for b in migration[:KEEP_BEFORE_MIGRATION])
    removed = []
    for b in daily + migration:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def daily_backup_if_due(source: Path, today: dt.date | None = None) -> Path | None:
    """Take the day's backup on the first start of the day (None if one exists), then rotate."""
    if not source.exists() or source.stat().st_size == 0:
        return None
    today = today or clock.today()
    if any(b.kind == "daily" and b.taken_at.date() == today for b in list_backups(source.stem)):
        return None
    path = create_backup(source, "daily")
    rotate(source.stem)
    return path


def newest_good_backup(stem: str) -> BackupInfo | None:
    """The newest backup of ``stem`` that passes the checks (for a damaged database)."""
    for info in list_backups(stem):
        if not check_file(info.path):
            return info
    return None


def _refuse_unsound(backup_file: Path) -> None:
    problems = check_file(backup_file)
    if problems:
        raise DatabaseUnavailable(
            _("The backup {path} fails its check ({problem}); nothing was restored.").format(path=backup_file, problem=problems[0]),
            str(backup_file),
        )


def restore(target: Path, backup_file: Path) -> Path:
    """Replace the database ``target`` with ``backup_file``; returns the copy of the old database.

    ``backup_file`` must pass :func:`check_file` and be a Center Desk database of a known schema
    (else :class:`DatabaseUnavailable`, nothing changed). The current database is first copied to
    a ``before-restore`` backup. A database that is open anywhere (:func:`in_use`: the app on this
    PC or another, another command) is refused with :class:`DatabaseUnavailable`, nothing changed;
    the caller closes its own connections first.
    """
    if not backup_file.is_file():
        raise DatabaseUnavailable(_("The backup file {path} does not exist.").format(path=backup_file), str(backup_file))
    _refuse_unsound(backup_file)
    try:
        conn = sqlite3.connect(_ro_uri(backup_file), uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        row = None
    if not row or row[0] not in known_revisions():
        raise DatabaseUnavailable(
            _("{path} is not a backup of a Center Desk database of this version; nothing was restored.").format(path=backup_file),
            str(backup_file),
        )
    if in_use(target):
        raise DatabaseUnavailable(
            _("{path} is open in Center Desk (on this PC or another one); nothing was restored. Close Center Desk wherever "
              "it is open, then restore again.").format(path=target),
            str(target),
        )
    kept = create_backup(target, "before-restore") if target.exists() and target.stat().st_size else None
    copy_database(backup_file, target, self_contained=False)
    return kept or target


def restore_copy(backup_file: Path, target: Path) -> Path:
    """Write a checked backup to a NEW file ``target`` (for a damaged database that must stay untouched)."""
    if target.exists():
        raise DatabaseUnavailable(_("{path} already exists; choose another file.").format(path=target), str(target))
    _refuse_unsound(backup_file)
    return copy_database(backup_file, target)
