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


def test_migration_0010_derives_the_keys_of_groups_stored_before_it(db_url, clock):
    """Groups and consultations stored before the search keys are found by 異体字 and listed in
    五十音 order once migrated; a downgrade removes the keys again."""
    import datetime as dt

    from alembic import command
    from sqlalchemy import inspect

    from center_app.db.revisions import alembic_config
    from center_app.domain.roles import Role
    from center_app.services import groups
    from center_app.services.context import CurrentUser, ServiceContext
    from migration_support import database_at, insert

    clock(dt.date(2026, 6, 1))
    with database_at(db_url, "0009") as conn:
        for name, kana in (("ガイドの会", "ガイドノカイ"), ("髙橋会", "タカハシカイ"), ("カイトの会", "カイトノカイ")):
            insert(conn, "groups", name=name, name_kana=kana, legal_form="voluntary", status="registered",
                   address="南アルプス市小笠原1589番地の1", search_text=name)

    db = open_database(db_url)
    try:
        ctx = ServiceContext(db, CurrentUser(None, "t", "窓口", Role.COUNTER))
        assert [g.name for g in groups.search_groups(ctx, "").items] == ["カイトの会", "ガイドの会", "髙橋会"]
        assert [g.name for g in groups.search_groups(ctx, "高橋").items] == ["髙橋会"]
        assert [g.name for g in groups.search_groups(ctx, "がいど").items] == ["ガイドの会", "カイトの会"]  # exact first
        assert len(groups.search_groups(ctx, "1589-1").items) == 3
        with db.engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0009")
        assert not {"name_sort", "search_loose"} & {c["name"] for c in inspect(db.engine).get_columns("groups")}
    finally:
        db.dispose()
