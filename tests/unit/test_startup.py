"""One start path: every entry point opens a database through ``open_center_database``, so a new
database has its facilities, rooms and fees whether the desktop app or a command met it first."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import func, select

import center_app
from center_app.app import main
from center_app.db.bookings import Booking
from center_app.db.models import Facility
from center_app.services.startup import open_center_database

from bookings_support import TODAY
from conftest import command_line_admin

pytestmark = pytest.mark.postgres

DATA = Path(__file__).parent.parent / "data"
CENTER = "南アルプス市市民活動センター"

LEDGER = (
    "施設,部屋,利用日,区分,登録番号,申込者名,電話番号,人数\r\n"
    f"{CENTER},会議室1,2026/6/9,午後,R08-0001,,,12\r\n"
    f"{CENTER},M2,2026/6/10,午前,,櫛形 太郎,055-282-3333,4\r\n"
)


def _facilities(url: str) -> int:
    db = open_center_database(url)
    try:
        with db.read() as session:
            return session.scalar(select(func.count()).select_from(Facility))
    finally:
        db.dispose()


def test_a_new_database_takes_groups_then_a_ledger_from_the_command_line(db_url, tmp_path, clock, capsys):
    clock(TODAY)
    ledger = tmp_path / "ledger.csv"
    ledger.write_bytes(LEDGER.encode("utf-8-sig"))
    assert main(["--database-url", db_url, "groups", "import", str(DATA / "groups_sample.csv")]) == 0
    status = main(["--database-url", db_url, "bookings", "import", str(ledger)])
    err = capsys.readouterr().err
    assert status == 0, err
    db = open_center_database(db_url)
    try:
        with db.read() as session:
            made = [(b.start_at.date().isoformat(), b.applicant_name, b.group_id is not None) for b in session.scalars(select(Booking).order_by(Booking.start_at))]
    finally:
        db.dispose()
    assert made == [("2026-06-09", "白根おはなしの会", True), ("2026-06-10", "櫛形 太郎", False)]


def test_a_database_left_without_configuration_gets_it_at_the_next_command(db_url, tmp_path, monkeypatch):
    from center_app.db.database import open_database

    open_database(db_url).dispose()  # migrated but empty: what a command used to leave behind
    report = tmp_path / "hatta.csv"
    assert main(["--database-url", db_url, "report", "monthly", "--month", "2026-06", "--facility", "hatta", "--output", str(report),
                 *command_line_admin(db_url, monkeypatch)]) == 0
    assert report.exists()


@pytest.mark.sqlite_only
def test_a_command_that_only_reads_still_refuses_a_missing_file(tmp_path, capsys):
    missing = tmp_path / "typo.sqlite3"
    assert main(["--database-url", f"sqlite:///{missing}", "groups", "export", str(tmp_path / "out.csv")]) == 1
    assert "typo.sqlite3" in capsys.readouterr().err
    assert not missing.exists() and not (tmp_path / "out.csv").exists()


def test_an_edited_configuration_is_never_loaded_again(db_url, tmp_path, monkeypatch):
    db = open_center_database(db_url)
    try:
        with db.write() as session:
            main_center = session.scalar(select(Facility).where(Facility.code == "main"))
            main_center.name = "市民活動センター本館"
            count = session.scalar(select(func.count()).select_from(Facility))
    finally:
        db.dispose()
    assert main(["--database-url", db_url, "groups", "export", str(tmp_path / "out.csv"), *command_line_admin(db_url, monkeypatch)]) == 0
    assert _facilities(db_url) == count
    db = open_center_database(db_url)
    try:
        with db.read() as session:
            assert session.scalar(select(Facility.name).where(Facility.code == "main")) == "市民活動センター本館"
    finally:
        db.dispose()


def _calls_to(tree: ast.AST, name: str) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func_node = node.func
            called = func_node.id if isinstance(func_node, ast.Name) else getattr(func_node, "attr", None)
            if called == name:
                lines.append(node.lineno)
    return lines


def test_only_the_start_path_opens_a_database_without_its_configuration():
    """The desktop app, the screenshots, every command and the restore open through
    ``open_center_database``; ``open_database`` alone is for the storage layer itself."""
    package = Path(center_app.__file__).parent
    allowed = {package / "services" / "startup.py"}
    direct = []
    for path in sorted(package.rglob("*.py")):
        if path in allowed or path.is_relative_to(package / "db"):
            continue
        direct += [f"{path.relative_to(package)}:{line}" for line in _calls_to(ast.parse(path.read_bytes()), "open_database")]
    assert direct == []
    entry_points = {
        "cli.py": package / "cli.py",
        "ui/application.py": package / "ui" / "application.py",
        "services/backups.py": package / "services" / "backups.py",
    }
    assert {name: bool(_calls_to(ast.parse(path.read_bytes()), "open_center_database")) for name, path in entry_points.items()} == dict.fromkeys(entry_points, True)
