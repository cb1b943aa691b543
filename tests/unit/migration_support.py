"""Old databases for the migration tests: a database migrated only up to an earlier revision,
with rows written as that schema had them (on SQLite and, under ``make test-pg``, PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, String, Table, Text, Time


@contextmanager
def database_at(url: str, revision: str) -> Iterator:
    """``with database_at(url, "0009") as conn:`` — the database at ``url`` migrated up to
    ``revision`` and no further, and a connection to it in one transaction for the rows of the
    test (committed at the end of the block, the engine disposed after it)."""
    from alembic import command

    from center_app.db.engine import make_engine
    from center_app.db.revisions import alembic_config

    engine = make_engine(url)
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            yield conn
    finally:
        engine.dispose()


def _filler(column):
    kind = type(column.type)
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, DateTime):
        return dt.datetime(2026, 5, 1, 10, 0)
    if isinstance(column.type, Date):
        return dt.date(2026, 5, 1)
    if isinstance(column.type, Time):
        return dt.time(9, 0)
    if isinstance(column.type, Integer):
        return 1
    if isinstance(column.type, String | Text):
        return ""
    if "JSON" in kind.__name__:
        return []
    raise AssertionError(f"no filler for {column}")


def insert(conn, table_name: str, **values) -> int:
    """Insert a row into ``table_name`` as the schema of the moment has it (every required column
    not given gets a plain value); its id."""
    table = Table(table_name, MetaData(), autoload_with=conn)
    row = {c.name: _filler(c) for c in table.columns if not c.nullable and not c.primary_key}
    row.update(values)
    return conn.execute(table.insert().values(**row).returning(table.c.id)).scalar_one()


def a_room(conn) -> int:
    """The room 会議室1 (M1) of a facility センター open 9:00–22:00; the room's id."""
    facility = insert(conn, "facilities", code="main", name="センター", opening_time=dt.time(9), closing_time=dt.time(22))
    return insert(conn, "rooms", facility_id=facility, code="M1", name="会議室1", capacity=10)
