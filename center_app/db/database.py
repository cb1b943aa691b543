"""Opening the database: checks, backup, migrations to head.

:func:`open_database` refuses — with :class:`DatabaseUnavailable` naming the file, and without
writing anything — an unreadable file, a file that is not an SQLite database, and a database
whose schema is newer than this version of the app. Otherwise it backs a non-empty SQLite file
up (online backup API) when migrations are pending, then upgrades to head.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from center_app.db.backup import quick_check
from center_app.db.engine import make_engine, make_sessionmakers, session_scope
from center_app.db.location import is_network_path, sqlite_url  # noqa: F401 - sqlite_url is used from here too
from center_app.db.revisions import _written_head, alembic_config, head_revision, known_revisions
from center_app.domain.errors import DatabaseUnavailable
from center_app.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseDamaged(DatabaseUnavailable):
    """The SQLite file fails ``PRAGMA quick_check``; the app offers the newest good backup."""


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite:///`` URL; None for other engines and in-memory databases."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def display_location(url: str) -> str:
    """Where the database is, for the status bar and messages (never shows a password)."""
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return make_url(url).render_as_string(hide_password=True)


@dataclass
class Database:
    """An open, migrated database: its URL, engine and session factories."""

    url: str
    engine: Engine
    _read: sessionmaker[Session]
    _write: sessionmaker[Session]

    @property
    def location(self) -> str:
        """The file path or the URL without password."""
        return display_location(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction."""
        with session_scope(self._read) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction (``BEGIN IMMEDIATE`` on SQLite): commits at the end, rolls back on error."""
        with session_scope(self._write) as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _check_sqlite_file(path: Path) -> str | None:
    """Check a file without writing to it. Returns its Alembic revision (None: new or no schema)."""
    if not path.exists():
        if not path.parent.exists():
            raise DatabaseUnavailable(
                _("The folder of the database file does not exist: {path}").format(path=path.parent), str(path)
            )
        return None
    if path.is_dir():
        raise DatabaseUnavailable(_("{path} is a folder, not a database file.").format(path=path), str(path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise DatabaseUnavailable(
            _("The database file {path} cannot be read ({reason}).").format(path=path, reason=exc.strerror or exc),
            str(path),
        ) from exc
    if not header:
        return None  # an empty file becomes a new database
    if header != SQLITE_HEADER:
        raise DatabaseUnavailable(
            _("{path} is not a Center Desk database file. It was left unchanged.").format(path=path), str(path)
        )
    if not os.access(path, os.W_OK):
        raise DatabaseUnavailable(
            _("The database file {path} is read-only. Check its permissions.").format(path=path), str(path)
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                if tables:
                    raise DatabaseUnavailable(
                        _("{path} is an SQLite file of another program. It was left unchanged.").format(path=path),
                        str(path),
                    )
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnavailable(
            _("{path} is damaged or not a database ({reason}). It was left unchanged.").format(path=path, reason=exc),
            str(path),
        ) from exc


def check_sqlite_file(path: Path) -> None:
    """``PRAGMA quick_check`` of the SQLite file ``path`` (read-only; it reads the whole file).
    Raises :class:`DatabaseDamaged` naming the file and the first problem."""
    problems = quick_check(path)
    if problems:
        raise DatabaseDamaged(
            _("The database {path} is damaged ({problem}). It was left unchanged.").format(path=path, problem=problems[0]),
            str(path),
        )


def _refuse_newer(revision: str | None, where: str) -> None:
    if revision and revision != _written_head() and revision not in known_revisions():
        raise DatabaseUnavailable(
            _(
                "The database {path} was written by a newer version of Center Desk. "
                "Install the newer version; the database was left unchanged."
            ).format(path=where),
            where,
        )


def _backup_before_migration(path: Path) -> Path:
    from center_app.db import backup

    target = backup.create_backup(path, "before-migration")
    backup.rotate(path.stem)
    return target


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Run the migrations to head on ``engine``, in one transaction.

    On SQLite a batch-mode migration rebuilds a table (copy, ``DROP``, rename) that other tables
    refer to, which foreign-key enforcement refuses; so the migrations run with
    ``PRAGMA foreign_keys=OFF`` (set on the connection before the transaction begins: SQLite
    ignores it inside one), ``PRAGMA foreign_key_check`` must then find no row pointing nowhere,
    and enforcement is switched back on for the connection whatever happens. Raises
    :class:`DatabaseUnavailable` (everything rolled back) when such a row is found.
    """
    from alembic import command

    config = alembic_config()
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        return
    with engine.connect() as connection:
        dbapi_connection = connection.connection.dbapi_connection
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # no transaction is open yet
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    table, rowid, parent = broken[0][0], broken[0][1], broken[0][2]
                    where = display_location(str(engine.url))
                    raise DatabaseUnavailable(
                        _(
                            "The database {path} cannot be upgraded: {count} row(s) refer to records that do not exist "
                            "(first: table {table}, row {rowid}, refers to {parent}). It was left unchanged."
                        ).format(path=where, count=len(broken), table=table, rowid=rowid, parent=parent),
                        where,
                    )
        finally:
            dbapi_connection.execute("PRAGMA foreign_keys=ON")


def open_database(url: str, *, migrate: bool = True, create: bool = True, check: bool = True) -> Database:
    """Open ``url``: check it, back up a SQLite file when migrations are pending, upgrade to head.

    Raises :class:`DatabaseUnavailable` (message names the file) for an unreadable file, a file
    that is not a Center Desk database, a newer schema, a server that cannot be reached, an
    unsupported kind of database, and — with ``create`` False (commands that only read or
    export) — an SQLite file that does not exist yet, so a mistyped path is not taken for an
    empty center. An empty (0-byte) file becomes a database only when named .sqlite3/.sqlite/.db.
    :class:`DatabaseDamaged` when the file fails ``PRAGMA quick_check``; with ``check`` False the
    check, which reads the whole file, is left to the caller (:func:`check_sqlite_file`) unless
    a migration is due (a damaged file is never migrated).
    """
    try:
        path = sqlite_path(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(_("The database address {url} is not valid.").format(url=url.split("@")[-1]), "") from exc
    head = _written_head() or head_revision()
    if path is not None:
        if is_network_path(path):
            raise DatabaseUnavailable(
                _(
                    "{path} is on a network drive. SQLite files must not be shared over the network; "
                    "when several PCs share one database, use a PostgreSQL server (--database-url postgresql+psycopg://…)."
                ).format(path=path),
                str(path),
            )
        if not create and not path.exists():
            raise DatabaseUnavailable(
                _("The database file {path} does not exist. Check the path (--database-url).").format(path=path), str(path)
            )
        if path.is_file() and path.stat().st_size == 0 and path.suffix.lower() not in (".sqlite3", ".sqlite", ".db"):
            raise DatabaseUnavailable(
                _("{path} is an empty file that is not named like a database (.sqlite3). It was left unchanged.").format(path=path),
                str(path),
            )
        revision = _check_sqlite_file(path)
        if revision is not None and (check or (migrate and revision != head)):
            check_sqlite_file(path)
        _refuse_newer(revision, str(path))
        if migrate and revision != head and path.exists() and path.stat().st_size > 0:
            _backup_before_migration(path)
    try:
        engine = make_engine(url)
    except (ImportError, ArgumentError) as exc:  # no driver installed for this kind of database
        raise DatabaseUnavailable(
            _("The database {path} cannot be used: this kind of database is not supported ({reason}). Use SQLite or PostgreSQL (postgresql+psycopg://…).").format(
                path=display_location(url), reason=type(exc).__name__),
            display_location(url),
        ) from exc
    try:
        revision = _current_revision(engine)
        _refuse_newer(revision, display_location(url))
        if migrate and revision != head:
            upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        raise DatabaseUnavailable(
            _("The database {path} cannot be opened ({reason}).").format(path=display_location(url), reason=detail),
            display_location(url),
        ) from exc
    except DatabaseUnavailable:
        engine.dispose()
        raise
    read, write = make_sessionmakers(engine)
    return Database(url=url, engine=engine, _read=read, _write=write)
