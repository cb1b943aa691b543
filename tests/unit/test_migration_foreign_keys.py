"""Upgrading an SQLite database whose rows refer to each other: the batch-mode migrations rebuild
tables (``groups`` in 0012) that other tables refer to, so they run with foreign-key enforcement
off, are checked with ``PRAGMA foreign_key_check`` before commit, and enforcement is on again
afterwards."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import text

from center_app import paths
from center_app.db.database import open_database
from center_app.domain.errors import DatabaseUnavailable
from migration_support import a_room, database_at, insert

pytestmark = pytest.mark.sqlite_only


def _database_at_0009(path) -> int:
    """A database migrated to 0009 with a group and a booking of it; returns the booking's id."""
    with database_at(f"sqlite:///{path}", "0009") as conn:
        room = a_room(conn)
        group = insert(conn, "groups", name="白根の会", name_kana="シラネノカイ", legal_form="voluntary", status="registered",
                       search_text="白根の会")
        booking = insert(conn, "bookings", room_id=room, group_id=group, start_at=dt.datetime(2026, 5, 1, 13),
                         end_at=dt.datetime(2026, 5, 1, 17), status="confirmed", applicant_name="白根の会",
                         fee_yen=400, gross_fee_yen=400, base_fee_yen=400, slip_no="B2026-000001")
    return booking


def test_a_database_with_bookings_of_groups_is_upgraded_once_with_one_backup(tmp_path):
    path = tmp_path / "old.sqlite3"
    booking = _database_at_0009(path)

    db = open_database(f"sqlite:///{path}")
    try:
        with db.read() as session:
            assert session.execute(text("SELECT g.name FROM bookings b JOIN groups g ON g.id = b.group_id WHERE b.id = :id"),
                                   {"id": booking}).scalar_one() == "白根の会"
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with db.write() as session:
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.dispose()
    assert len(list(paths.backups_dir().glob("old-before-migration-*.sqlite3"))) == 1
    open_database(f"sqlite:///{path}").dispose()  # at head now: no second backup
    assert len(list(paths.backups_dir().glob("old-before-migration-*.sqlite3"))) == 1


def test_a_row_referring_to_nothing_stops_the_upgrade_and_nothing_is_written(tmp_path):
    path = tmp_path / "dangling.sqlite3"
    _database_at_0009(path)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys=OFF")
    raw.execute("DELETE FROM groups")  # the booking now refers to a group that does not exist
    raw.commit()
    raw.close()

    with pytest.raises(DatabaseUnavailable, match="bookings"):
        open_database(f"sqlite:///{path}")
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0009",)
    raw.close()
