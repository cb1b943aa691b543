"""Engine factory and session scope.

SQLite (the embedded default): ``foreign_keys=ON``, WAL, ``synchronous=FULL`` and a busy timeout
are set on every connection; the pysqlite driver's own transaction handling is switched off so
SQLAlchemy emits ``BEGIN`` itself — ``BEGIN IMMEDIATE`` for write sessions, so a check-then-insert
holds the write lock from its first read (the recipe of SQLAlchemy's SQLite dialect docs,
"Serializable isolation / Savepoints / Transactional DDL"). PostgreSQL needs none of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from center_app.domain.errors import StaleEditError

#: Milliseconds a connection waits for another PC's or thread's write lock before giving up.
BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "center_app_write"


def is_sqlite(url: str) -> bool:
    """True for a ``sqlite://`` URL."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with the storage pragmas of docs/architecture.md §5 on SQLite."""
    if not is_sqlite(url):
        return create_engine(url, echo=echo, pool_pre_ping=True)

    engine = create_engine(url, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def make_sessionmakers(engine: Engine) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
    """(read, write) session factories; write sessions begin with the write lock on SQLite."""
    from center_app.db import summary_marks  # noqa: F401 - its session hooks mark kept summary months stale
    read = sessionmaker(engine, expire_on_commit=False)
    write = sessionmaker(engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False)
    return read, write


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back on any exception.

    A versioned row whose version changed under an unlocked write (``StaleDataError``, see
    :mod:`center_app.db.base`) is refused as :class:`StaleEditError`: nothing is written."""
    session = factory()
    try:
        with session.begin():
            yield session
    except StaleDataError:
        raise StaleEditError() from None
    finally:
        session.close()
