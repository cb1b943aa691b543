"""The command line signs in where it reads personal data: ``groups export`` (not ``--public``),
``report …`` and every ``print …`` take ``--as LOGIN``; without it they exit 3 with one line and
an audit entry, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from center_app.app import build_parser, main
from center_app.commands import printing
from center_app.db.models import AuditEntry
from center_app.services import bookings
from center_app.services.group_values import GroupInput
from center_app.services.groups import register_group

pytestmark = pytest.mark.postgres


@pytest.fixture
def center(admin_ctx, counter_ctx, clock):
    clock(dt.date(2026, 6, 2))
    register_group(admin_ctx, GroupInput(
        name="白根おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary", activity_fields=(2,),
        representative_name="山田 花子", phone="055-282-0101", email="ohanashi@example.jp", public_consent=("name",),
    ))
    from bookings_support import make_input, room_ids

    booking = bookings.create_booking(admin_ctx, make_input(room_ids(admin_ctx.db)["M1"], dt.date(2026, 6, 9)))
    return {"db": admin_ctx.db, "slip": booking.slip_no}


def run(capsys, monkeypatch, center, *argv, password="admin-password-1"):
    monkeypatch.setenv("CENTER_APP_PASSWORD", password)
    status = main(["--database-url", center["db"].url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def _refusals(db) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditEntry.note).where(AuditEntry.action == "denied").order_by(AuditEntry.id)))


COMMANDS = {
    "groups export": lambda tmp: ["groups", "export", str(tmp / "groups.csv")],
    "report": lambda tmp: ["report", "monthly", "--month", "2026-06", "--output", str(tmp / "report.xlsx")],
    "print slip": lambda tmp: ["print", "slip", "--booking", "{slip}", "--output", str(tmp / "slip.pdf")],
    "print certificate": lambda tmp: ["print", "certificate", "--group", "R08-0001", "--output", str(tmp / "cert.pdf")],
    "print certificates": lambda tmp: ["print", "certificates", "--all-active", "--output", str(tmp / "certs.pdf")],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_without_as_the_command_is_refused_with_exit_3_and_audited(capsys, monkeypatch, center, tmp_path, command):
    """Old code: these commands wrote names, addresses and phones without any sign-in or audit."""
    folder = tmp_path / "out"
    folder.mkdir()
    argv = [a.format(slip=center["slip"]) for a in COMMANDS[command](folder)]
    status, out, err = run(capsys, monkeypatch, center, *argv)
    assert status == 3 and out == "" and err.count("\n") == 1 and "--as" in err
    assert list(folder.iterdir()) == []
    assert _refusals(center["db"]) == [f"{command} without --as"]
    status, out, err = run(capsys, monkeypatch, center, *argv, "--as", "admin")
    assert status == 0, err
    with center["db"].read() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.staff_name == "管理 花子" and last.action in ("export", "report", "print")


def test_a_wrong_password_is_exit_1_and_writes_nothing(capsys, monkeypatch, center, tmp_path):
    status, _out, err = run(capsys, monkeypatch, center, "groups", "export", str(tmp_path / "g.csv"), "--as", "admin", password="wrong")
    assert status == 1 and "正しくありません" in err and not (tmp_path / "g.csv").exists()


def test_without_a_terminal_and_without_the_variable_the_password_is_refused_at_once(center, tmp_path, monkeypatch):
    """A script (no terminal, no CENTER_APP_PASSWORD) gets the Japanese message at once, never
    Python's English 「GetPassWarning: Can not control echo…」 and a prompt."""
    import os
    import subprocess
    import sys

    monkeypatch.delenv("CENTER_APP_PASSWORD", raising=False)
    done = subprocess.run([sys.executable, "-m", "center_app", "--database-url", center["db"].url, "groups", "export", str(tmp_path / "g.csv"),
                           "--as", "admin"], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                          env={**os.environ}, start_new_session=True)  # a new session has no terminal
    assert done.returncode == 1, done.stderr
    assert "GetPassWarning" not in done.stderr and "Can not control echo" not in done.stderr
    assert "CENTER_APP_PASSWORD" in done.stderr and "端末" in done.stderr
    assert not (tmp_path / "g.csv").exists()


def test_the_public_export_stays_open(capsys, monkeypatch, center, tmp_path):
    target = tmp_path / "public.csv"
    status, out, _err = run(capsys, monkeypatch, center, "groups", "export", str(target), "--public")
    assert status == 0 and "1" in out
    text = target.read_text(encoding="utf-8-sig")
    assert "白根おはなしの会" in text and "055-282-0101" not in text and "ohanashi@example.jp" not in text


def test_a_report_takes_what_the_signed_in_role_may_see(capsys, monkeypatch, center, tmp_path):
    import openpyxl

    counter, admin = tmp_path / "counter.xlsx", tmp_path / "admin.xlsx"
    assert run(capsys, monkeypatch, center, "report", "monthly", "--month", "2026-06", "--output", str(counter),
               "--as", "counter", password="staff-password-1")[0] == 0
    assert run(capsys, monkeypatch, center, "report", "monthly", "--month", "2026-06", "--output", str(admin), "--as", "admin")[0] == 0
    sheets = lambda path: openpyxl.load_workbook(path).sheetnames  # noqa: E731
    assert not any("相談" in name for name in sheets(counter)) and any("相談" in name for name in sheets(admin))


def test_every_print_document_takes_as():
    parser = build_parser()
    documents = printing.print_actions().choices
    assert {"slip", "certificate", "certificates"} <= set(documents)
    for name, sub in documents.items():
        assert any(action.dest == "as_login" for action in sub._actions), name
    assert parser.parse_args(["print", "slip", "--booking", "1", "--output", "x.pdf", "--as", "kanri"]).as_login == "kanri"


#: Every other command that takes --as: README's contract is the same for all of them.
ACTING = {
    "payments record": lambda tmp: ["payments", "record", "{slip}", "--method", "cash"],
    "payments refund": lambda tmp: ["payments", "refund", "R2026-000001", "--reason", "還付"],
    "payments void": lambda tmp: ["payments", "void", "R2026-000001", "--reason", "誤り"],
    "print permit": lambda tmp: ["print", "permit", "--booking", "{slip}", "--output", str(tmp / "permit.pdf")],
    "print receipt": lambda tmp: ["print", "receipt", "--receipt", "R2026-000001", "--output", str(tmp / "receipt.pdf")],
    "bookings expire": lambda tmp: ["bookings", "expire", "--dry-run"],
    "consultations import": lambda tmp: ["consultations", "import", str(tmp / "c.csv"), "--dry-run"],
    "consultations export": lambda tmp: ["consultations", "export", "--output", str(tmp / "c.csv")],
    "consultations retention": lambda tmp: ["consultations", "retention"],
    "users add": lambda tmp: ["users", "add", "newclerk", "--role", "counter"],
    "users disable": lambda tmp: ["users", "disable", "counter"],
    "users enable": lambda tmp: ["users", "enable", "counter"],
    "users set-role": lambda tmp: ["users", "set-role", "counter", "--role", "coordinator"],
    "users reset-password": lambda tmp: ["users", "reset-password", "counter"],
}


@pytest.mark.parametrize("command", list(ACTING))
def test_every_command_without_as_exits_3_with_one_line_and_an_audit_entry(capsys, monkeypatch, center, tmp_path, command):
    """The defect: README promised exit 3 without --as, but payments, consultations, users and
    bookings expire left it to argparse (exit 2, a usage text, nothing audited)."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setenv("CENTER_APP_NEW_PASSWORD", "brand-new-password-1")
    argv = [a.format(slip=center["slip"]) for a in ACTING[command](folder)]
    status, out, err = run(capsys, monkeypatch, center, *argv)
    assert (status, out, err.count("\n")) == (3, "", 1) and "--as LOGIN" in err
    assert list(folder.iterdir()) == []
    assert _refusals(center["db"])[-1].startswith(command.split()[0])


@pytest.mark.parametrize("login", ["admin", "nobody"])
def test_a_wrong_password_and_an_unknown_login_are_exit_1_alike(capsys, monkeypatch, center, login):
    status, _out, err = run(capsys, monkeypatch, center, "payments", "record", center["slip"], "--method", "cash", "--as", login,
                            password="wrong")
    assert status == 1 and "正しくありません" in err


def test_users_add_without_as_creates_only_the_first_administrator_and_says_so_once_there_is_one(capsys, monkeypatch, db_url):
    """README said 「the first account of an empty database needs no --as」; the command allowed it
    while no administrator exists, and once one did it answered only that a sign-in is needed."""
    from center_app.services import auth
    from center_app.services.startup import open_center_database

    monkeypatch.setenv("CENTER_APP_NEW_PASSWORD", "brand-new-password-1")
    status = main(["--database-url", db_url, "users", "add", "boss", "--role", "counter"])
    assert status == 1 and "管理者" in capsys.readouterr().err  # the first account must be an administrator
    assert main(["--database-url", db_url, "users", "add", "boss", "--role", "admin"]) == 0
    assert "boss" in capsys.readouterr().out
    status = main(["--database-url", db_url, "users", "add", "boss2", "--role", "admin"])
    out, err = capsys.readouterr()
    assert (status, out, err.count("\n")) == (3, "", 1)
    assert "すでに管理者がいます" in err and "--as LOGIN" in err
    db = open_center_database(db_url)
    try:
        assert _refusals(db)[-1] == "users add without --as"
        assert auth.sign_in(db, "boss", "brand-new-password-1").login_name == "boss"
        with pytest.raises(Exception):
            auth.sign_in(db, "boss2", "brand-new-password-1")
    finally:
        db.dispose()
