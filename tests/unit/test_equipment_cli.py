"""備品貸出 and the 印刷室 from the command line as a script runs it: lend, refuse the unit that is
out, return, refuse the second return, pay the fee, log printing until the quota refuses —
exit 0 for what is done, 1 with the Japanese reason and nothing written, 2 for bad usage."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.equipment import EquipmentLoan, PrintJob
from center_app.db.groups import Group
from center_app.domain.roles import Role
from center_app.services import auth
from center_app.services.context import ServiceContext
from center_app.services.staff import create_staff

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 6, 2, 10, 0)


def run(capsys, monkeypatch, db_url, *argv):
    monkeypatch.setenv("CENTER_APP_PASSWORD", "clerk-password-1")
    try:
        status = main(["--database-url", db_url, *argv])
    except SystemExit as exit_:
        status = exit_.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def env(db, clock):
    clock(NOW)
    admin = auth.create_first_admin(db, "boss", "センター 長子", "boss-password-1", "boss-password-1")
    create_staff(ServiceContext(db, admin), "clerk", "窓口 花子", Role.COUNTER, "clerk-password-1", "clerk-password-1")
    with db.write() as session:
        session.add(Group(name="みどりの会", name_kana="ミドリノカイ", legal_form="voluntary", status="registered", registration_no="R08-0001"))
    return db


def count(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_lend_return_and_pay_from_the_command_line(env, capsys, monkeypatch):
    url = env.url
    lend = ("equipment", "lend", "player", "--group", "R08-0001", "--from", "2026-06-02 10:00", "--due", "2026-06-02 14:00", "--as", "clerk")
    status, out, err = run(capsys, monkeypatch, url, *lend)
    assert status == 0, err
    assert "E2026-000001" in out and "820" in out
    status, out, err = run(capsys, monkeypatch, url, *lend)
    assert status == 1 and "DVD・BDプレーヤー" in err and "貸出中" in err
    assert count(env, EquipmentLoan) == 1
    status, out, err = run(capsys, monkeypatch, url, "equipment", "return", "E2026-000001", "--as", "clerk")
    assert status == 0, err
    status, out, err = run(capsys, monkeypatch, url, "equipment", "return", "E2026-000001", "--as", "clerk")
    assert status == 1 and "返却済" in err
    status, out, err = run(capsys, monkeypatch, url, "equipment", "return", "E2026-000077", "--as", "clerk")
    assert status == 1 and "E2026-000077" in err
    status, out, err = run(capsys, monkeypatch, url, "charges", "list", "--as", "clerk")
    charge_id = out.split("\t")[0]
    status, out, err = run(capsys, monkeypatch, url, "charges", "pay", charge_id, "--method", "cash", "--as", "clerk")
    assert status == 0 and "R2026-000001" in out and "820" in out
    status, out, err = run(capsys, monkeypatch, url, "equipment", "lend", "player", "--group", "R08-0001", "--from", "tomorrow",
                           "--due", "2026-06-02 17:00", "--as", "clerk")
    assert status == 2


def test_printing_log_until_the_quota_refuses(env, capsys, monkeypatch):
    url = env.url
    base = ("printing", "log", "--group", "R08-0001", "--machine", "輪転機", "--as", "clerk")
    status, out, err = run(capsys, monkeypatch, url, *base, "--masters", "125", "--sheets", "500")
    assert status == 0, err
    assert "4,250" in out and "150" in err  # 125 × 30 + 500 × 1; near the quota of 150 masters
    status, out, err = run(capsys, monkeypatch, url, *base, "--masters", "26", "--sheets", "10")
    assert status == 1 and "150" in err and "25" in err
    assert count(env, PrintJob) == 1
    status, out, err = run(capsys, monkeypatch, url, "printing", "log", "--group", "R08-0001", "--machine", "写真機", "--sheets", "3",
                           "--as", "clerk")
    assert status == 1 and "輪転機" in err
    status, out, err = run(capsys, monkeypatch, url, "printing", "list", "--as", "clerk")
    assert status == 0 and "みどりの会" in out
