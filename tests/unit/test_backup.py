"""Backups: verified copies, rotation, restore, damaged files, network locations, CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from center_app import paths
from center_app.app import main
from center_app.db import backup
from center_app.db.database import DatabaseDamaged, open_database
from center_app.db.location import is_network_path, linux_mount_type
from center_app.db.models import Facility
from center_app.domain.errors import DatabaseUnavailable


def _file(db) -> Path:
    return Path(db.url.removeprefix("sqlite:///"))


def test_manual_backup_is_verified_and_listed(db):
    path = backup.create_backup(_file(db), "manual")
    assert backup.check_file(path) == []
    assert [b.kind for b in backup.list_backups(_file(db).stem)] == ["manual"]


def test_two_backups_in_the_same_second_are_both_listed_and_restorable(db, clock):
    clock(dt.datetime(2026, 12, 5, 10, 30, 15))
    first = backup.create_backup(_file(db), "manual")
    second = backup.create_backup(_file(db), "manual")
    assert first != second and first.exists() and second.exists()
    assert sorted(b.path for b in backup.list_backups(_file(db).stem)) == sorted([first, second])


def test_a_copy_is_named_as_a_backup_only_once_it_passed_its_check(db, monkeypatch):
    seen = []
    real_check = backup.check_file

    def check(path):
        seen.append((path.name, [b.path.name for b in backup.list_backups(_file(db).stem)]))
        return real_check(path)

    monkeypatch.setattr(backup, "check_file", check)
    path = backup.create_backup(_file(db), "daily")
    assert seen == [(path.name + ".partial", [])]  # checked under another name: a copy cut short never counts
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    source = tmp_path / "center.sqlite3"
    sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.commit()
    start = dt.datetime(2025, 1, 1, 9, 0)
    for day in range(400):
        when = start + dt.timedelta(days=day)
        backup.copy_database(source, backup.backup_name(source, "daily", when))
    backup.rotate(source.stem)
    kept = sorted(b.taken_at.date() for b in backup.list_backups(source.stem))
    last = (start + dt.timedelta(days=399)).date()
    assert [last - dt.timedelta(days=i) for i in range(7)] == sorted(kept, reverse=True)[:7]
    assert len(kept) <= 7 + 4 + 12 and len(kept) >= 12
    months = {(d.year, d.month) for d in kept}
    assert len(months) == 12


def test_daily_backup_only_once_a_day(db, clock):
    clock(dt.datetime(2026, 12, 5, 23, 59, 59))
    assert backup.daily_backup_if_due(_file(db)) is not None
    assert backup.daily_backup_if_due(_file(db)) is None
    clock(dt.datetime(2026, 12, 6, 0, 0, 1))
    assert backup.daily_backup_if_due(_file(db)) is not None


def test_restore_keeps_the_current_database_first(db, admin_ctx):
    copy = backup.create_backup(_file(db), "manual")
    with db.write() as session:
        session.scalars(select(Facility)).first().name = "改名後のセンター"
    db.dispose()
    kept = backup.restore(_file(db), copy)
    assert "before-restore" in kept.name
    reopened = open_database(db.url)
    with reopened.read() as session:
        assert session.scalars(select(Facility).order_by(Facility.id)).first().name == "南アルプス市市民活動センター"
    reopened.dispose()
    old = sqlite3.connect(kept)
    assert ("改名後のセンター",) in old.execute("SELECT name FROM facilities").fetchall()
    old.close()


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    db.dispose()  # closing checkpoints the WAL into the file: compare from here on
    before = hashlib.sha256(_file(db).read_bytes()).hexdigest()
    with pytest.raises(DatabaseUnavailable):
        backup.restore(_file(db), junk)
    assert hashlib.sha256(_file(db).read_bytes()).hexdigest() == before


def _damage(path: Path) -> None:
    """Overwrite the middle pages of a database file with garbage."""
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 12), 7):
        data[offset] = 0xFF
    path.write_bytes(bytes(data))


def test_damaged_file_is_refused_untouched_and_a_good_backup_is_found(db):
    path = _file(db)
    good = backup.create_backup(path, "daily")
    db.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    _damage(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(DatabaseUnavailable) as error:
        open_database(db.url)
    assert isinstance(error.value, DatabaseDamaged) or "damaged" in str(error.value) or "壊れ" in str(error.value)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert backup.newest_good_backup(path.stem).path == good
    restored = backup.restore_copy(good, path.with_name("restored.sqlite3"))
    assert backup.check_file(restored) == []


def test_network_mounts_are_recognised(tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "server:/export /mnt/center nfs4 rw 0 0\n"
        "//nas/share /media/share\\040drive cifs rw 0 0\n",
        encoding="utf-8",
    )
    assert linux_mount_type(Path("/mnt/center/db.sqlite3"), str(mounts)) == "nfs4"
    assert is_network_path(Path("/mnt/center/db.sqlite3"), platform="linux", mounts_file=str(mounts))
    assert is_network_path(Path("/media/share drive/x.sqlite3"), platform="linux", mounts_file=str(mounts))
    assert not is_network_path(Path("/home/desk/db.sqlite3"), platform="linux", mounts_file=str(mounts))
    assert is_network_path(Path("//server/share/center.sqlite3"), platform="linux", mounts_file=str(mounts))


def test_cli_backup_and_restore(db, tmp_path, capsys):
    db.dispose()
    target = tmp_path / "copy.sqlite3"
    assert main(["--database-url", db.url, "backup", "--output", str(target)]) == 0
    assert backup.check_file(target) == []
    assert main(["--database-url", db.url, "restore", str(target)]) == 0
    assert "before-restore" in capsys.readouterr().out
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("x", encoding="utf-8")
    assert main(["--database-url", db.url, "restore", str(bad)]) == 1
    assert list(paths.backups_dir().glob("*before-restore*"))


def test_backup_into_a_folder_that_does_not_exist_is_refused(db, tmp_path, capsys):
    """The defect: ``backup --output`` into a mistyped folder created it silently."""
    db.dispose()
    target = tmp_path / "no-such-folder" / "copy.sqlite3"
    assert main(["--database-url", db.url, "backup", "--output", str(target)]) == 1
    err = capsys.readouterr().err
    assert "no-such-folder" in err and "存在しません" in err
    assert not target.parent.exists()


def test_a_backup_is_one_file_even_after_it_is_checked_and_restored(db, tmp_path):
    """The defect: a backup kept the database's WAL mode, so checking or restoring it left
    ``-wal`` and ``-shm`` files beside the copy."""
    db.dispose()
    folder = tmp_path / "copies"
    folder.mkdir()
    assert main(["--database-url", db.url, "backup", "--output", str(folder / "copy.sqlite3")]) == 0
    assert backup.check_file(folder / "copy.sqlite3") == []
    assert main(["--database-url", db.url, "restore", str(folder / "copy.sqlite3")]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["copy.sqlite3"]
    assert [p.name for p in paths.backups_dir().iterdir() if p.name.endswith(("-wal", "-shm"))] == []


def test_restore_is_refused_while_the_app_has_the_database_open(db, tmp_path, capsys):
    """The defect: ``restore`` replaced the file under a running app."""
    import subprocess
    import sys

    copy = backup.create_backup(_file(db), "manual")
    db.dispose()
    before = hashlib.sha256(_file(db).read_bytes()).hexdigest()
    app = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from center_app.db.database import open_database; d = open_database(sys.argv[1]); "
         "s = d.read().__enter__(); print('open', flush=True); time.sleep(60)", db.url],
        stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout.readline().strip() == "open"
        assert main(["--database-url", db.url, "restore", str(copy)]) == 1
        assert "開いています" in capsys.readouterr().err
    finally:
        app.kill()
        app.wait()
    assert hashlib.sha256(_file(db).read_bytes()).hexdigest() == before
    assert not list(paths.backups_dir().glob("*before-restore*"))
    assert main(["--database-url", db.url, "restore", str(copy)]) == 0  # once the app is closed
