"""Sign-in: first administrator, refusals that reveal nothing, lockout, password rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from center_app.db.models import AuditEntry, StaffUser
from center_app.domain.errors import AuthenticationFailed, PermissionDenied, ValidationError
from center_app.domain.roles import Role
from center_app.services import auth, staff

pytestmark = pytest.mark.postgres


def test_first_admin_is_created_only_on_an_empty_database(db):
    assert auth.needs_first_admin(db)
    user = auth.create_first_admin(db, "ＡＤＭＩＮ", "管理 花子", "long-enough-1", "long-enough-1")
    assert (user.login_name, user.role) == ("admin", Role.ADMIN)
    assert not auth.needs_first_admin(db)
    with pytest.raises(AuthenticationFailed):
        auth.create_first_admin(db, "second", "二人目", "long-enough-1", "long-enough-1")


def test_a_demo_database_without_administrator_asks_for_one(db):
    from center_app.services.demo import Profile, generate

    generate(db, Profile(groups=5, history_days=5, future_days=5, slot_share=0.1, split_share=0.0, bookings=None, consultations=2))
    assert auth.needs_first_admin(db)  # demo staff exist, but nobody could sign in
    assert auth.create_first_admin(db, "kanri", "管理 花子", "long-enough-1", "long-enough-1").role == Role.ADMIN
    assert not auth.needs_first_admin(db)


def test_first_admin_form_reports_every_problem_at_once(db):
    with pytest.raises(ValidationError) as error:
        auth.create_first_admin(db, "", "", "short", "short")
    assert {p.field for p in error.value.problems} == {"login_name", "display_name", "password"}
    assert "10" in " ".join(error.value.for_field("password"))


def test_wrong_password_and_unknown_user_get_the_same_message(admin_ctx):
    with pytest.raises(AuthenticationFailed) as wrong:
        auth.sign_in(admin_ctx.db, "admin", "not-the-password")
    with pytest.raises(AuthenticationFailed) as unknown:
        auth.sign_in(admin_ctx.db, "nobody", "not-the-password")
    assert str(wrong.value) == str(unknown.value)
    assert "admin" not in str(wrong.value) and "nobody" not in str(unknown.value)


def test_five_failures_lock_the_account_even_for_the_right_password(admin_ctx, clock):
    db = admin_ctx.db
    start = dt.datetime(2026, 12, 5, 10, 0, 0)
    clock(start)
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(db, "admin", "wrong-password")
    with pytest.raises(AuthenticationFailed, match="15 分間"):
        auth.sign_in(db, "admin", "admin-password-1")
    with db.write() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.login_name == "admin"))
        assert user.locked_until > start
        user.locked_until = start - dt.timedelta(seconds=1)
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "staff_user")).all()
    assert "locked" in actions
    assert auth.sign_in(db, "admin", "admin-password-1").login_name == "admin"


def test_a_locked_account_and_an_unknown_login_get_the_same_answer_after_the_same_work(admin_ctx, clock, monkeypatch):
    """The defect: after five failures an existing login answered 「ロックされています」 while an
    unknown one never did, which told a guesser which login names exist."""
    db = admin_ctx.db
    clock(dt.datetime(2026, 12, 5, 10, 0, 0))
    verified = []

    class CountingHasher(type(auth._hasher)):
        def verify(self, hashed, password):
            verified.append(hashed)
            return super().verify(hashed, password)

    monkeypatch.setattr(auth, "_hasher", CountingHasher(time_cost=1, memory_cost=8, parallelism=1))

    def answers(login: str, password: str) -> list[str]:
        found = []
        for _attempt in range(7):
            with pytest.raises(AuthenticationFailed) as refused:
                auth.sign_in(db, login, password)
            found.append(str(refused.value))
        return found

    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    real, unknown = answers("admin", "wrong-password"), answers("nobody", "wrong-password")
    assert real == unknown and len(set(real)) == 1
    assert "ロックされています" not in real[0] and "5 回" in real[0]
    assert len(verified) == 14  # one password verification for every attempt, known name or not
    with pytest.raises(AuthenticationFailed) as right_password:
        auth.sign_in(db, "admin", "admin-password-1")  # the real account is locked all the same
    assert str(right_password.value) == real[0]
    with db.read() as session:
        entries = session.execute(select(AuditEntry.action, AuditEntry.entity_id, AuditEntry.note).order_by(AuditEntry.id)).all()[before:]
    assert [e.action for e in entries].count("locked") == 1
    assert [e for e in entries if e.action == "sign_in_failed" and e.entity_id == ""] == [("sign_in_failed", "", "unknown login name")] * 7


def test_disabled_account_cannot_sign_in(admin_ctx):
    clerk = staff.create_staff(admin_ctx, "clerk", "窓口 一郎", Role.COUNTER, "clerk-password", "clerk-password")
    staff.update_staff(admin_ctx, clerk.id, display_name="窓口 一郎", role=Role.COUNTER, active=False)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(admin_ctx.db, "clerk", "clerk-password")


def test_last_admin_cannot_be_demoted(admin_ctx):
    from center_app.domain.errors import RuleError

    with pytest.raises(RuleError):
        staff.update_staff(admin_ctx, admin_ctx.user.id, display_name="管理 花子", role=Role.COUNTER, active=True)


def test_counter_staff_cannot_manage_accounts(counter_ctx):
    with pytest.raises(PermissionDenied) as error:
        staff.list_staff(counter_ctx)
    assert error.value.required_role == "admin"
    assert error.value.exit_status == 3


def test_reset_password_lifts_a_lock(admin_ctx):
    clerk = staff.create_staff(admin_ctx, "clerk", "窓口 一郎", Role.COUNTER, "clerk-password", "clerk-password")
    for _attempt in range(5):
        with pytest.raises(AuthenticationFailed):
            auth.sign_in(admin_ctx.db, "clerk", "wrong")
    staff.reset_password(admin_ctx, clerk.id, "brand-new-password", "brand-new-password")
    assert auth.sign_in(admin_ctx.db, "clerk", "brand-new-password").role == Role.COUNTER


def test_login_names_are_plain_and_an_empty_one_is_asked_for(db):
    with pytest.raises(ValidationError) as error:
        auth.create_first_admin(db, "a b😀", "管理 花子", "long-enough-1", "long-enough-1")
    assert error.value.problems[0].field == "login_name"
    auth.create_first_admin(db, "kanri.01", "管理 花子", "long-enough-1", "long-enough-1")
    with pytest.raises(AuthenticationFailed, match="ログイン名を入力"):
        auth.sign_in(db, "  ", "long-enough-1")


def test_an_empty_password_is_asked_for_and_never_counts_towards_the_lock_out(db):
    """Enter pressed on an empty password box is no guess: it is asked for, and neither counted
    nor audited as a failed sign-in (five of them used to lock the account)."""
    auth.create_first_admin(db, "kanri", "管理 花子", "long-enough-1", "long-enough-1")
    for _attempt in range(6):
        with pytest.raises(AuthenticationFailed, match="パスワードを入力"):
            auth.sign_in(db, "kanri", "")
    with db.read() as session:
        assert session.scalar(select(StaffUser.failed_login_count).where(StaffUser.login_name == "kanri")) == 0
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "sign_in_failed")) == 0
    assert auth.sign_in(db, "kanri", "long-enough-1").login_name == "kanri"


@pytest.mark.production_hashing
def test_passwords_are_stored_with_the_apps_argon2_parameters_and_cheaper_hashes_are_upgraded(db):
    """The app hashes with argon2id at 64 MiB, 3 passes, 4 lanes (the tests use cheaper ones). A
    password stored with other parameters still signs in, and is then stored with the app's."""
    from argon2 import PasswordHasher

    production = "$argon2id$v=19$m=65536,t=3,p=4$"
    auth.create_first_admin(db, "admin", "管理 花子", "admin-password-1", "admin-password-1")
    with db.write() as session:
        user = session.scalar(select(StaffUser).where(StaffUser.login_name == "admin"))
        assert user.password_hash.startswith(production)
        user.password_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("admin-password-1")
    assert auth.sign_in(db, "admin", "admin-password-1").login_name == "admin"
    with db.read() as session:
        assert session.scalar(select(StaffUser.password_hash).where(StaffUser.login_name == "admin")).startswith(production)
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(db, "admin", "not-the-password")
