"""Sign-in and staff accounts (職員). Passwords are hashed with argon2id (argon2-cffi defaults,
RFC 9106); a wrong password never reveals whether the account exists.
"""

from __future__ import annotations

import datetime as dt
import re
import functools
import threading
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import configure_mappers

from center_app.db.database import Database
from center_app.db.models import StaffUser
from center_app.domain import clock
from center_app.domain.errors import AuthenticationFailed, FieldProblem, ValidationError
from center_app.domain.roles import LOCKOUT_ATTEMPTS, LOCKOUT_MINUTES, MIN_PASSWORD_LENGTH, Role
from center_app.i18n import _
from center_app.services import audit
from center_app.services.context import CurrentUser
from center_app.services.editing import lock_name
from center_app.services.password_memory import PreparedMemory

#: Every hash and verification goes through this one hasher: argon2id with argon2-cffi's
#: defaults (RFC 9106 low-memory profile, t=3, m=64 MiB, p=4; about 0.1 s a hash). The parameters
#: are written into each hash, so a hash made with others still verifies, and a successful
#: sign-in rehashes it with these. The tests swap it for the cheapest parameters (conftest.py).
_hasher = PasswordHasher()
#: What a login name may hold after normalisation: typed the same on any PC and keyboard layout.
_LOGIN_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login name is unknown, so both paths cost the same time. Made
    on the first sign-in of the process, not at import (hashing took 0.1–0.25 s of every start)."""
    return _hasher.hash("not a real password")


def prepare_sign_in(db: Database | None = None) -> None:
    """Make the dummy hash now instead of at the first sign-in (the app calls this in the
    background while the sign-in dialog waits for the clerk), so the first sign-in costs one
    argon2 verification like every later one, and map the memory of that verification
    (:func:`release_sign_in_memory` gives it back). With ``db``, also do once what the first sign-in
    of a process would do before its verification: set up the ORM's mappings and compile the
    account's lookup (a lookup of a login name no account can have: it finds and locks nothing)."""
    _dummy_hash()
    _prepare_memory()
    if db is not None:
        configure_mappers()
        with db.read() as session:
            session.scalar(_account_query(""))


#: The working memory of the next verification, made ready by :func:`prepare_sign_in` (used once).
_prepared: PreparedMemory | None = None
#: That memory after its one check, until :func:`release_sign_in_memory` (or the next preparation).
_spent: PreparedMemory | None = None
_prepared_lock = threading.Lock()


def _prepare_memory() -> None:
    """Have the memory of the next argon2 verification mapped already (:mod:`.password_memory`):
    about a fifth of a verification's CPU time, spent while the clerk types instead of after Enter."""
    global _prepared, _spent
    with _prepared_lock:
        if _prepared is not None:
            return
        if _spent is not None:  # still mapped: it serves again
            _prepared, _spent = _spent, None
            return
        try:
            _prepared = PreparedMemory(_hasher.memory_cost)
        except (MemoryError, OSError, RuntimeError):  # no memory, or no allocator hook on this system: verify the usual way
            _prepared = None


def release_sign_in_memory() -> None:
    """Give back the memory prepared for the first sign-in's check (the app calls this once its
    main window is up; unmapping 64 MiB is a few ms of CPU, not worth making the clerk wait for)."""
    global _prepared, _spent
    with _prepared_lock:
        memories, _prepared, _spent = (_prepared, _spent), None, None
    for memory in memories:
        if memory is not None:
            memory.release()


def _verify(encoded: str, password: str) -> bool:
    """True when ``password`` matches the stored hash ``encoded`` (False for a damaged hash): in
    the memory prepared for it when there is one (used once), else by the hasher."""
    global _prepared, _spent
    with _prepared_lock:
        prepared, _prepared = _prepared, None
    if prepared is not None:
        result = prepared.verify(encoded, password)
        with _prepared_lock:
            spent, _spent = _spent, prepared
        if spent is not None:
            spent.release()
        if result is not None:
            return result
    try:
        return _hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False


def normalize_login_name(login_name: str) -> str:
    """Login names are compared after NFKC and lower-casing (全角 'ＡＤＭＩＮ' = 'admin')."""
    return unicodedata.normalize("NFKC", login_name or "").strip().lower()


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def validate_new_account(login_name: str, display_name: str, password: str, password_again: str) -> None:
    """Raise :class:`ValidationError` listing every problem of a new account's fields."""
    problems = []
    name = normalize_login_name(login_name)
    if not name:
        problems.append(FieldProblem("login_name", _("Enter a login name.")))
    elif len(name) > 50:
        problems.append(FieldProblem("login_name", _("A login name has at most 50 characters.")))
    elif not _LOGIN_NAME.fullmatch(name):
        problems.append(FieldProblem("login_name", _("Use letters a-z, digits and . _ - in a login name (no spaces).")))
    if not (display_name or "").strip():
        problems.append(FieldProblem("display_name", _("Enter the staff member's name.")))
    problems += password_problems(password, password_again)
    if problems:
        raise ValidationError(problems)


def password_problems(password: str, password_again: str) -> list[FieldProblem]:
    """Problems of a new password: at least MIN_PASSWORD_LENGTH characters, typed twice the same."""
    problems = []
    if len(password or "") < MIN_PASSWORD_LENGTH:
        problems.append(
            FieldProblem("password", _("A password needs at least {n} characters.").format(n=MIN_PASSWORD_LENGTH))
        )
    elif password != password_again:
        problems.append(FieldProblem("password_again", _("The two passwords are not the same.")))
    return problems


def _active_admins(session) -> int:
    return session.scalar(
        select(func.count()).select_from(StaffUser).where(StaffUser.role == Role.ADMIN.value, StaffUser.active.is_(True))
    )


def needs_first_admin(db: Database) -> bool:
    """True while the database has no active administrator: a new center, or a database made
    by ``center-app demo`` (whose demo staff have random passwords). Then the app asks for the
    administrator account instead of a sign-in nobody could pass."""
    with db.read() as session:
        return _active_admins(session) == 0


def create_first_admin(db: Database, login_name: str, display_name: str, password: str, password_again: str) -> CurrentUser:
    """Create the first administrator of a database without one and sign them in.

    Raises :class:`ValidationError` for bad fields (a login name already used included),
    :class:`AuthenticationFailed` if an active administrator exists.
    """
    validate_new_account(login_name, display_name, password, password_again)
    with db.write() as session:
        lock_name(session, "first_admin")  # two PCs at an empty database: one administrator is made
        if _active_admins(session):
            raise AuthenticationFailed(_("An administrator already exists. Please sign in."))
        if session.scalar(select(StaffUser).where(StaffUser.login_name == normalize_login_name(login_name))):
            raise ValidationError([FieldProblem("login_name", _("This login name is already used."))])
        user = StaffUser(
            login_name=normalize_login_name(login_name),
            display_name=display_name.strip(),
            password_hash=hash_password(password),
            role=Role.ADMIN.value,
            last_login_at=clock.now(),
        )
        session.add(user)
        session.flush()
        current = _current(user)
        audit.record(session, current, "staff_user", user.id, "create", after={"login_name": user.login_name, "role": user.role})
        return current


def _current(user: StaffUser) -> CurrentUser:
    return CurrentUser(id=user.id, login_name=user.login_name, display_name=user.display_name, role=Role(user.role),
                       session_epoch=user.session_epoch or 0)


def _account_query(name: str):
    """The account of the normalised login name ``name``, its row locked (FOR UPDATE)."""
    return select(StaffUser).where(StaffUser.login_name == name).with_for_update()


def sign_in(db: Database, login_name: str, password: str) -> CurrentUser:
    """Check a login name and password.

    Every refusal — an unknown name, a wrong password, a disabled account, a locked one — gets
    the same message (:func:`refusal`) after the same work: one argon2 verification and one
    write transaction with an audit entry (``sign_in_failed``; an unknown name is audited with
    no account, and without the name typed, which may be a password typed in the wrong field).
    So neither the answer nor its time tells whether a login name exists. After
    LOCKOUT_ATTEMPTS failures in a row the account is locked for LOCKOUT_MINUTES minutes
    (audited as ``locked``); while it is locked the right password is refused like a wrong one,
    and attempts during the lock do not extend it. An empty login name or password is refused
    at once (no account is read, nothing counted). Raises :class:`AuthenticationFailed`.
    """
    name = normalize_login_name(login_name)
    if not name:
        raise AuthenticationFailed(_("Enter your login name."))
    if not password:  # no guess was made: not a failure of the account (nothing counted or audited)
        raise AuthenticationFailed(_("Enter your password."))
    dummy = _dummy_hash()  # before the lookup: the first attempt costs the same for any name
    with db.write() as session:
        # the account's row is locked: two PCs signing in at once count failures one after the other
        user = session.scalar(_account_query(name))
        ok = _verify(user.password_hash if user is not None else dummy, password or "") and user is not None
        if user is None:
            audit.record(session, None, "staff_user", None, "sign_in_failed", note="unknown login name")
        else:
            now = clock.now()
            locked = user.locked_until is not None and user.locked_until > now
            if locked:
                audit.record(session, None, "staff_user", user.id, "sign_in_failed", note="locked")
            elif ok and user.active:
                user.failed_login_count = 0
                user.locked_until = None
                user.last_login_at = now
                if _hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = hash_password(password)
                current = _current(user)
                audit.record(session, current, "staff_user", user.id, "sign_in")
                return current
            else:
                if not ok:
                    user.failed_login_count += 1
                    if user.failed_login_count >= LOCKOUT_ATTEMPTS:
                        user.locked_until = now + dt.timedelta(minutes=LOCKOUT_MINUTES)
                        user.failed_login_count = 0
                        audit.record(session, None, "staff_user", user.id, "locked", note=f"{LOCKOUT_MINUTES} min")
                audit.record(session, None, "staff_user", user.id, "sign_in_failed")
    raise AuthenticationFailed(refusal())


def refusal() -> str:
    """The one answer to every refused sign-in: it names neither the account nor the reason,
    and says that repeated failures lock an account for a while."""
    return _("The login name or the password is not correct. After {attempts} failed sign-ins in a row an account "
             "cannot sign in for {minutes} minutes.").format(attempts=LOCKOUT_ATTEMPTS, minutes=LOCKOUT_MINUTES)
