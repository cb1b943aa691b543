"""Migration 0002 (groups): the migrated schema equals the models, and the 20 fields are loaded
(on SQLite and, under ``make test-pg``, on PostgreSQL: the downgrade runs through every later
migration, 0006's PostgreSQL-only constraint included)."""

from __future__ import annotations

import csv

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from center_app import paths
from center_app.db import models_all  # noqa: F401  (all tables on the metadata)
from center_app.db.base import Base
from center_app.db.database import open_database
from center_app.db.groups import ActivityField

pytestmark = pytest.mark.postgres


def test_migrated_schema_matches_models(db_url):
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(context, Base.metadata)
        assert diffs == []
    finally:
        db.dispose()


def test_activity_fields_loaded_from_seed_csv(db_url):
    db = open_database(db_url)
    try:
        with db.read() as session:
            stored = [(f.code, f.name, f.short_name) for f in session.scalars(select(ActivityField).order_by(ActivityField.code))]
        with (paths.seed_dir() / "npo_activity_fields.csv").open(encoding="utf-8") as handle:
            expected = [(int(r["code"]), r["name"], r["short_name"]) for r in csv.DictReader(handle)]
        assert len(stored) == 20
        assert stored == expected
        assert stored[12][2] == "子どもの健全育成"
    finally:
        db.dispose()


def test_downgrade_removes_group_tables(db_url):
    from alembic import command
    from sqlalchemy import inspect

    from center_app.db.revisions import alembic_config

    db = open_database(db_url)
    try:
        config = alembic_config()
        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        tables = set(inspect(db.engine).get_table_names())
        assert not {"groups", "activity_fields", "group_activity_fields"} & tables
        assert "staff_users" in tables
    finally:
        db.dispose()
