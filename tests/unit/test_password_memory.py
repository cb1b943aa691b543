"""The first sign-in's argon2id check in memory prepared while the clerk types: the same answer as
argon2-cffi's own verification, and the usual way whenever the prepared memory cannot do it."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type

from center_app.domain.errors import AuthenticationFailed
from center_app.services import auth
from center_app.services.password_memory import PreparedMemory

pytestmark = pytest.mark.postgres


@pytest.fixture
def memory():
    prepared = PreparedMemory(64)
    yield prepared
    prepared.release()


@pytest.mark.parametrize("parallelism", [1, 2, 4])
def test_it_answers_as_the_hasher_does(memory, parallelism):
    hasher = PasswordHasher(time_cost=2, memory_cost=64, parallelism=parallelism)
    stored = hasher.hash("正しいパスワード-1")
    assert memory.verify(stored, "正しいパスワード-1") is True
    assert memory.verify(stored, "正しいパスワード-2") is False
    assert memory.verify(stored, "") is False
    assert memory.verify(stored, "正しいパスワード-1") is True  # the memory serves again after a check


def test_it_answers_for_a_hash_with_the_apps_own_parameters():
    hasher = PasswordHasher()  # the app's: t=3, 64 MiB, p=4
    stored = hasher.hash("long-enough-1")
    prepared = PreparedMemory(hasher.memory_cost)
    try:
        assert prepared.verify(stored, "long-enough-1") is True
        assert prepared.verify(stored, "long-enough-2") is False
    finally:
        prepared.release()


def test_what_it_cannot_check_is_left_to_the_hasher(memory):
    larger = PasswordHasher(time_cost=1, memory_cost=128, parallelism=1).hash("long-enough-1")
    argon2i = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1, type=Type.I).hash("long-enough-1")
    assert memory.verify(larger, "long-enough-1") is None  # needs more memory than prepared
    assert memory.verify(argon2i, "long-enough-1") is None
    assert memory.verify("not a hash", "long-enough-1") is None
    assert memory.verify(larger.rsplit("$", 1)[0] + "$!!!", "long-enough-1") is None
    stored = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1).hash("long-enough-1")
    memory.release()
    assert memory.verify(stored, "long-enough-1") is None


def test_the_first_sign_in_after_preparing_uses_the_memory_once(db):
    auth.create_first_admin(db, "kanri", "管理 花子", "long-enough-1", "long-enough-1")
    auth.prepare_sign_in(db)
    assert auth._prepared is not None
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(db, "kanri", "long-enough-2")
    assert auth._prepared is None and auth._spent is not None  # used once; given back by release_sign_in_memory
    auth.prepare_sign_in(db)
    assert auth.sign_in(db, "kanri", "long-enough-1").login_name == "kanri"
    assert auth._prepared is None
    assert auth.sign_in(db, "kanri", "long-enough-1").login_name == "kanri"  # later sign-ins: the hasher
    auth.release_sign_in_memory()
    assert auth._spent is None
