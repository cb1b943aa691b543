"""Storage: migrations, pragmas, and refusing files it must not touch."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from center_app import paths
from center_app.db import models_all  # noqa: F401
from center_app.db.base import Base
from center_app.db.database import head_revision, open_database
from center_app.domain.errors import DatabaseUnavailable

pytestmark = pytest.mark.postgres


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_database_migrates_to_head_and_matches_models(db_url):
    db = open_database(db_url)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    db.dispose()
    assert diff == []


@pytest.mark.sqlite_only
def test_pragmas_read_back_from_a_live_connection(db):
    with db.read() as session:
        values = {p: session.execute(text(f"PRAGMA {p}")).scalar() for p in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout")}
    assert values == {"foreign_keys": 1, "journal_mode": "wal", "synchronous": 2, "busy_timeout": 10000}


@pytest.mark.sqlite_only
def test_write_sessions_take_the_write_lock_first(db):
    """A write transaction holds SQLite's RESERVED lock from BEGIN: a second writer must wait."""
    path = db.url.removeprefix("sqlite:///")
    with db.write() as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_foreign_keys_are_enforced(db):
    from sqlalchemy.exc import IntegrityError

    from center_app.db.models import Room

    with pytest.raises(IntegrityError):
        with db.write() as session:
            session.add(Room(facility_id=9999, code="X", name="x", capacity=1))


@pytest.mark.sqlite_only
def test_a_file_that_is_not_a_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("これはデータベースではありません\n" * 50, encoding="utf-8")
    before = _digest(path)
    with pytest.raises(DatabaseUnavailable) as error:
        open_database(f"sqlite:///{path}")
    assert str(path) in str(error.value)
    assert _digest(path) == before
    assert not (tmp_path / "notes.sqlite3-wal").exists()


@pytest.mark.sqlite_only
def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseUnavailable, match="other.db"):
        open_database(f"sqlite:///{path}")
    assert _digest(path) == before


@pytest.mark.sqlite_only
def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.sqlite3"
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseUnavailable) as error:
        open_database(f"sqlite:///{path}")
    assert "newer" in str(error.value) or "新しい" in str(error.value)
    assert str(path) in str(error.value)
    assert _digest(path) == before


@pytest.mark.sqlite_only
def test_an_unreadable_file_is_refused(tmp_path):
    import os

    if os.geteuid() == 0:
        path = tmp_path / "folder.sqlite3"
        path.mkdir()  # root reads everything: a folder in place of the file stands in for "unreadable"
    else:
        path = tmp_path / "locked.sqlite3"
        path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        path.chmod(0)
    with pytest.raises(DatabaseUnavailable, match=str(path.name)):
        open_database(f"sqlite:///{path}")


@pytest.mark.sqlite_only
def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseUnavailable):
        open_database(f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'db.sqlite3'}")


@pytest.mark.sqlite_only
def test_an_old_schema_is_backed_up_before_migrating(tmp_path):
    from migration_support import database_at

    path = tmp_path / "old.sqlite3"
    with database_at(f"sqlite:///{path}", "0001") as conn:
        conn.execute(text("INSERT INTO applicant_classes (code, name, fee_multiplier_percent, booking_horizon_months, sort_order, active) VALUES ('x', '一般', 100, 1, 0, 1)"))
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    backups = list(paths.backups_dir().glob("old-before-migration-*.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert copy.execute("SELECT name FROM applicant_classes").fetchall() == [("一般",)]
    copy.close()


def test_a_server_that_is_down_is_named_without_the_password():
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    url = f"postgresql+psycopg://desk:secret-pw@127.0.0.1:{port}/center_desk"
    with pytest.raises(DatabaseUnavailable) as error:
        open_database(url)
    message = str(error.value)
    assert "127.0.0.1" in message and "center_desk" in message
    assert "secret-pw" not in message
