"""Opening a database already at the head reads the head from the migration files instead of
importing Alembic (0.2–0.3 s of every start-up, see docs/performance.md); it must agree with
Alembic, and fall back to Alembic when the files are not plain."""

from __future__ import annotations

import subprocess
import sys

from center_app.db import revisions as database


def test_the_head_read_from_the_files_is_alembics():
    database._written_head.cache_clear()
    assert database._written_head() == database.head_revision()
    assert database._written_head() in database.known_revisions()


def test_a_file_without_a_literal_revision_falls_back_to_alembic(tmp_path, monkeypatch):
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "0001_a.py").write_text('revision = "0001"\ndown_revision = None\n', encoding="utf-8")
    (versions / "0002_b.py").write_text('REV = "0002"\nrevision = REV\ndown_revision = "0001"\n', encoding="utf-8")
    monkeypatch.setattr(database.paths, "migrations_dir", lambda: tmp_path)
    database._written_head.cache_clear()
    try:
        assert database._written_head() is None
        (versions / "0002_b.py").write_text('revision: str = "0002"\ndown_revision: str | None = "0001"\n', encoding="utf-8")
        database._written_head.cache_clear()
        assert database._written_head() == "0002"
        (versions / "0003_c.py").write_text('revision = "0003"\ndown_revision = "0001"\n', encoding="utf-8")  # two heads
        database._written_head.cache_clear()
        assert database._written_head() is None
    finally:
        database._written_head.cache_clear()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path):
    path = tmp_path / "center.sqlite3"
    code = (
        "import sys\n"
        "from center_app.db.database import open_database, sqlite_url\n"
        f"open_database(sqlite_url({str(path)!r})).dispose()\n"  # new file: migrates (imports Alembic)
        "print('alembic' in sys.modules)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "True"
    code = (
        "import sys\n"
        "from center_app.db.database import open_database, sqlite_url\n"
        f"open_database(sqlite_url({str(path)!r})).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
