"""``center-app users add`` and ``center-app consultations import|export|retention`` as a script runs them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from center_app.app import main
from center_app.db.database import open_database
from center_app.db.models import AuditEntry
from center_app.domain import clock

pytestmark = pytest.mark.postgres

DAY = clock.today() - dt.timedelta(days=5)
LOG = (
    "相談日,開始時刻,所要時間(分),相談方法,相談者区分,相談者名,相談分野,相談内容,対応内容,対応者\r\n"
    f"{DAY:%Y/%m/%d},10:00,30,来所,個人,山田 太郎,設立,NPOを作りたい,手引きを渡した,coord\r\n"
)


def run(capsys, monkeypatch, db_url, *argv, password=None, new_password=None):
    for name, value in (("CENTER_APP_PASSWORD", password), ("CENTER_APP_NEW_PASSWORD", new_password)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    status = main(["--lang", "en", "--database-url", db_url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def people(capsys, monkeypatch, db_url):
    """An admin (first user, no --as), a coordinator and a counter clerk made with the CLI."""
    assert run(capsys, monkeypatch, db_url, "users", "add", "boss", "--role", "admin", new_password="boss-password")[0] == 0
    for login, role in (("coord", "coordinator"), ("clerk", "counter")):
        status, out, err = run(capsys, monkeypatch, db_url, "users", "add", login, "--role", role, "--as", "boss",
                               password="boss-password", new_password=f"{login}-password-1")
        assert status == 0, err
        assert login in out
    return db_url


def _audit(db_url, action):
    db = open_database(db_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
    finally:
        db.dispose()


def test_first_user_needs_no_as_but_must_be_admin(capsys, monkeypatch, db_url):
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "add", "first", "--role", "counter", new_password="long-password")
    assert status == 1 and "administrator" in err
    status, out, _err = run(capsys, monkeypatch, db_url, "users", "add", "first", "--role", "admin", new_password="long-password")
    assert status == 0 and "first" in out
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "add", "second", "--role", "counter", new_password="long-password")
    assert status == 3 and "--as" in err


def test_passwords_are_asked_on_the_terminal(capsys, monkeypatch, db_url, people):
    answers = iter(["boss-password", "terminal-pass-1", "terminal-pass-1"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    status, out, err = run(capsys, monkeypatch, db_url, "users", "add", "yamada", "--role", "coordinator", "--as", "boss")
    assert status == 0, err
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "add", "weak", "--role", "counter", "--as", "boss",
                            password="boss-password", new_password="short")
    assert status == 1 and "10" in err


def test_non_admin_cannot_add_users_exit_3_and_audited(capsys, monkeypatch, people):
    status, out, err = run(capsys, monkeypatch, people, "users", "add", "sneaky", "--role", "admin", "--as", "coord",
                           password="coord-password-1", new_password="sneaky-password")
    assert status == 3 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Administrator" in err
    assert [e.note for e in _audit(people, "denied")] == ["users add"]


def test_wrong_password_is_exit_1(capsys, monkeypatch, people):
    status, _out, err = run(capsys, monkeypatch, people, "consultations", "export", "--as", "coord", "--output", "x.csv", password="nope")
    assert status == 1 and "not correct" in err


def test_import_and_export_as_a_coordinator(capsys, monkeypatch, people, tmp_path):
    source = tmp_path / "log.csv"
    source.write_text(LOG, encoding="utf-8-sig")
    status, out, err = run(capsys, monkeypatch, people, "consultations", "import", str(source), "--as", "coord", password="coord-password-1")
    assert (status, err) == (0, "") and "1" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(LOG.replace("来所", "伝書鳩").replace("設立", "占い"), encoding="utf-8-sig")
    status, _out, err = run(capsys, monkeypatch, people, "consultations", "import", str(bad), "--as", "coord", password="coord-password-1")
    assert status == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith("Row 2: 相談方法:") and any(line.startswith("Row 2: 相談分野:") for line in lines)
    assert "Nothing was imported" in lines[-1]
    target = tmp_path / "out.csv"
    status, out, err = run(capsys, monkeypatch, people, "consultations", "export", "--as", "coord", "--output", str(target), "--redacted",
                           password="coord-password-1")
    assert status == 0 and "1" in out
    text = target.read_text(encoding="utf-8-sig")
    assert "山田" not in text and "相談者-" in text and "NPOを作りたい" in text


def test_counter_staff_get_exit_3_with_one_line_and_an_audit_entry(capsys, monkeypatch, people, tmp_path):
    source = tmp_path / "log.csv"
    source.write_text(LOG, encoding="utf-8-sig")
    for argv in (("consultations", "export", "--output", str(tmp_path / "x.csv")), ("consultations", "import", str(source)),
                 ("consultations", "retention")):
        status, out, err = run(capsys, monkeypatch, people, *argv, "--as", "clerk", password="clerk-password-1")
        assert status == 3, argv
        assert out == "" and len(err.strip().splitlines()) == 1 and "needs the role" in err
    assert not (tmp_path / "x.csv").exists()
    assert [e.note for e in _audit(people, "denied")] == ["export", "import", "retention"]


def test_retention_lists_and_deletes_for_admins(capsys, monkeypatch, people, tmp_path):
    status, out, _err = run(capsys, monkeypatch, people, "consultations", "retention", "--as", "boss", "--years", "3", password="boss-password")
    assert status == 0 and "0 completed" in out and "3 years" in out
    status, _out, err = run(capsys, monkeypatch, people, "consultations", "retention", "--as", "coord", password="coord-password-1")
    assert status == 3
