"""Sessions follow the database: a disabled, demoted or reset account is signed out at its next
action (every service call reads the account's role and session epoch); a locked account answers
the same for the right and a wrong password; ``center-app users disable|enable|set-role|
reset-password`` for the city's IT."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select, text

from center_app.app import main
from center_app.db.models import AuditEntry
from center_app.domain.errors import AuthenticationFailed, PermissionDenied, SessionEnded
from center_app.domain.roles import Role
from center_app.services import auth, consultations_queries, groups, staff
from center_app.services.context import ServiceContext

pytestmark = pytest.mark.postgres


def _account(admin_ctx, login: str):
    return next(u for u in staff.list_staff(admin_ctx) if u.login_name == login)


def _change(admin_ctx, login: str, **changes):
    account = _account(admin_ctx, login)
    values = {"display_name": account.display_name, "role": account.role, "active": account.active} | changes
    return staff.update_staff(admin_ctx, account.id, **values, expected_version=account.version)


def test_a_demoted_coordinator_no_longer_lists_consultations(admin_ctx, coordinator_ctx):
    """Old code: the signed-in session kept its role until it signed out."""
    consultations_queries.search_consultations(coordinator_ctx)
    _change(admin_ctx, "coordinator", role=Role.COUNTER)
    with pytest.raises(SessionEnded, match="サインインしてください"):
        consultations_queries.search_consultations(coordinator_ctx)
    again = ServiceContext(admin_ctx.db, auth.sign_in(admin_ctx.db, "coordinator", "staff-password-1"))
    assert again.user.role == Role.COUNTER
    with pytest.raises(PermissionDenied):
        consultations_queries.search_consultations(again)


def test_a_disabled_account_is_signed_out_at_its_next_action_and_it_is_audited(admin_ctx, counter_ctx):
    groups.search_groups(counter_ctx)
    _change(admin_ctx, "counter", active=False)
    with pytest.raises(SessionEnded, match="使用"):
        groups.search_groups(counter_ctx)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(admin_ctx.db, "counter", "staff-password-1")
    with admin_ctx.db.read() as session:
        ended = session.scalars(select(AuditEntry).where(AuditEntry.action == "session_ended")).all()
    assert [(e.staff_name, e.note) for e in ended] == [("counter 太郎", "disabled")]
    _change(admin_ctx, "counter", active=True)
    assert auth.sign_in(admin_ctx.db, "counter", "staff-password-1").role == Role.COUNTER


def test_a_password_reset_signs_the_account_out(admin_ctx, counter_ctx):
    staff.reset_password(admin_ctx, counter_ctx.user.id, "a-new-password-1", "a-new-password-1")
    with pytest.raises(SessionEnded):
        groups.search_groups(counter_ctx)
    assert auth.sign_in(admin_ctx.db, "counter", "a-new-password-1").session_epoch == counter_ctx.user.session_epoch + 1


def test_a_change_of_name_keeps_the_session(admin_ctx, counter_ctx):
    _change(admin_ctx, "counter", display_name="窓口 次郎")
    groups.search_groups(counter_ctx)


def test_the_role_checked_is_the_one_stored_now(admin_ctx, coordinator_ctx):
    with admin_ctx.db.write() as session:  # even a role written without the epoch (by hand, an old version)
        session.execute(text("UPDATE staff_users SET role = 'counter' WHERE login_name = 'coordinator'"))
    with pytest.raises(PermissionDenied):
        consultations_queries.search_consultations(coordinator_ctx)
    assert coordinator_ctx.require_signed_in().role == Role.COUNTER


def test_the_check_is_one_primary_key_read(admin_ctx):
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(admin_ctx.db.engine, "before_cursor_execute", listener)
    try:
        for _ in range(10):
            admin_ctx.require_signed_in()
    finally:
        event.remove(admin_ctx.db.engine, "before_cursor_execute", listener)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 10 and all("staff_users" in s for s in reads)


def test_while_locked_the_right_and_a_wrong_password_get_the_same_answer(admin_ctx, counter_ctx, clock):
    """Old code: the right password got 「…ロックされています…」 and a wrong one 「…正しくありません」."""
    start = dt.datetime(2026, 12, 5, 10, 0, 0)
    clock(start)
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(admin_ctx.db, "counter", "wrong-password")
    clock(start + dt.timedelta(minutes=1))
    with pytest.raises(AuthenticationFailed) as right:
        auth.sign_in(admin_ctx.db, "counter", "staff-password-1")
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.sign_in(admin_ctx.db, "counter", "another-guess")
    assert str(right.value) == str(wrong.value) and "ロック" in str(right.value)
    clock(start + dt.timedelta(minutes=15, seconds=1))  # the guesses during the lock did not extend it
    assert auth.sign_in(admin_ctx.db, "counter", "staff-password-1").login_name == "counter"


def test_last_administrator_cannot_be_disabled(admin_ctx):
    from center_app.domain.errors import RuleError

    with pytest.raises(RuleError):
        _change(admin_ctx, "admin", active=False)


# --- the command line ---------------------------------------------------------------------------------


def run(capsys, monkeypatch, db_url, *argv, password="admin-password-1", new_password=None):
    monkeypatch.setenv("CENTER_APP_PASSWORD", password)
    if new_password is None:
        monkeypatch.delenv("CENTER_APP_NEW_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("CENTER_APP_NEW_PASSWORD", new_password)
    status = main(["--database-url", db_url, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_users_commands_disable_enable_set_role_and_reset_password(capsys, monkeypatch, db_url, admin_ctx, coordinator_ctx):
    db = admin_ctx.db
    status, out, _err = run(capsys, monkeypatch, db_url, "users", "disable", "coordinator", "--as", "admin")
    assert status == 0 and "coordinator" in out
    with pytest.raises(SessionEnded):
        consultations_queries.search_consultations(coordinator_ctx)
    assert run(capsys, monkeypatch, db_url, "users", "enable", "coordinator", "--as", "admin")[0] == 0
    status, out, _err = run(capsys, monkeypatch, db_url, "users", "set-role", "coordinator", "--role", "counter", "--as", "admin")
    assert status == 0 and "窓口" in out
    assert auth.sign_in(db, "coordinator", "staff-password-1").role == Role.COUNTER
    status, out, _err = run(capsys, monkeypatch, db_url, "users", "reset-password", "coordinator", "--as", "admin", new_password="brand-new-pass-1")
    assert status == 0
    assert auth.sign_in(db, "coordinator", "brand-new-pass-1").login_name == "coordinator"


def test_users_commands_refuse_what_they_must(capsys, monkeypatch, db_url, admin_ctx, counter_ctx):
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "disable", "admin", "--as", "counter", password="staff-password-1")
    assert status == 3 and err.strip().count("\n") == 0
    with admin_ctx.db.read() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "denied", AuditEntry.note == "users disable")) is not None
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "disable", "admin", "--as", "admin")
    assert status == 1 and "管理者" in err  # the last active administrator stays
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "enable", "nobody", "--as", "admin")
    assert status == 1 and "nobody" in err
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "reset-password", "counter", "--as", "admin", new_password="short")
    assert status == 1 and "10" in err
    status, _out, err = run(capsys, monkeypatch, db_url, "users", "disable", "counter")
    assert status == 3 and "--as" in err  # refused like every command without --as (README)
