"""Shared fixtures. Qt runs offscreen (set before Qt loads, or pytest aborts without a display);
every test gets its own data and settings folders, so nothing touches the real user's files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from center_app import i18n  # noqa: E402

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _isolated_folders(tmp_path_factory, monkeypatch):
    """Per-test user data and settings folders; Japanese UI (the default) unless a test changes it."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("CENTER_APP_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("CENTER_APP_SETTINGS_DIR", str(base / "settings"))
    monkeypatch.delenv("CENTER_APP_DATABASE_URL", raising=False)
    i18n.set_language("ja")
    yield
    i18n.set_language("ja")


@pytest.fixture(autouse=True)
def _real_clock():
    """Every test ends with the clock running on the real time again."""
    yield
    from center_app.domain import clock

    clock.reset()


@pytest.fixture
def clock():
    """Sets the one clock of the app (services, database defaults, documents, screens) for this
    test: ``clock(dt.date(2026, 6, 2))`` (midnight) or ``clock(dt.datetime(2026, 6, 2, 10, 30))``;
    call it again to move the time. The clock stands still at that moment until moved."""
    from center_app.domain import clock as the_clock

    return the_clock.set_fixed


@pytest.fixture(autouse=True)
def _no_unanswered_message_box(monkeypatch):
    """Offscreen, a message box nobody answers waits forever and the suite hangs: one that a
    test did not expect (and replace with its own answer) fails that test with its text."""
    from PySide6.QtWidgets import QMessageBox

    def unexpected(*args, **kwargs):
        texts = [a for a in args if isinstance(a, str)]
        raise AssertionError(f"unexpected message box: {' / '.join(texts)}")

    for name in ("critical", "warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def enter_at_questions(monkeypatch) -> list[str]:
    """QMessageBox.question shows a real box that the clerk answers with Enter (its default
    button); the questions asked are listed in the returned list."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []
    buttons = QMessageBox.StandardButton

    def question(parent, title, text, choices=buttons.Yes | buttons.No, default=buttons.NoButton):
        box = QMessageBox(QMessageBox.Icon.Question, title, text, choices, parent)
        if default != buttons.NoButton:
            box.setDefaultButton(default)
        asked.append(text)
        QTimer.singleShot(0, lambda: QTest.keyClick(box, Qt.Key.Key_Return))
        return buttons(box.exec())

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request, monkeypatch):
    """argon2id with its cheapest parameters (t=1, 8 KiB, p=1) instead of the app's (~0.1 s a
    hash, half of the suite's time). Hashes carry their parameters, so sign-in works the same.
    A test marked ``production_hashing`` keeps the app's hasher."""
    from center_app.services import auth

    auth._dummy_hash.cache_clear()  # never verify against a dummy hash made with the other parameters
    auth.release_sign_in_memory()  # nor in memory prepared by an earlier test
    if request.node.get_closest_marker("production_hashing"):
        return
    from argon2 import PasswordHasher

    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


#: Server URL of a PostgreSQL cluster (``make test-pg`` starts a throwaway one and sets it).
PG_SERVER_URL = os.environ.get("CENTER_APP_TEST_PG_URL", "")


def pytest_collection_modifyitems(config, items):
    """In PostgreSQL mode, skip what only makes sense for an SQLite file."""
    if not PG_SERVER_URL:
        return
    skip = pytest.mark.skip(reason="SQLite file behaviour")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


def _fresh_pg_database() -> str:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"center_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


_WIDER_PG_DATABASES: list[str] = []


def new_database_url(folder) -> str:
    """URL of a fresh database for fixtures wider than one test (module scope, helper modules):
    an SQLite file in ``folder``, or a new PostgreSQL database under ``make test-pg``, dropped
    when the session ends."""
    if not PG_SERVER_URL:
        return f"sqlite:///{Path(folder) / 'center.sqlite3'}"
    url = _fresh_pg_database()
    _WIDER_PG_DATABASES.append(url)
    return url


def pytest_sessionfinish(session, exitstatus):
    while _WIDER_PG_DATABASES:
        _drop_pg_database(_WIDER_PG_DATABASES.pop())


@pytest.fixture
def db_url(tmp_path):
    """URL of a fresh database: an SQLite file, or a new PostgreSQL database under ``make test-pg``."""
    if not PG_SERVER_URL:
        yield f"sqlite:///{tmp_path / 'center.sqlite3'}"
        return
    url = _fresh_pg_database()
    yield url
    _drop_pg_database(url)


@pytest.fixture
def db(db_url):
    """A migrated database with the default configuration, opened as the app opens one."""
    from center_app.services.startup import open_center_database

    database = open_center_database(db_url)
    yield database
    database.dispose()


def _user(db, login: str, role: str):
    from center_app.domain.roles import Role
    from center_app.services import auth
    from center_app.services.context import ServiceContext
    from center_app.services.staff import create_staff

    if auth.needs_first_admin(db):
        admin = auth.create_first_admin(db, "admin", "管理 花子", "admin-password-1", "admin-password-1")
    else:
        admin = auth.sign_in(db, "admin", "admin-password-1")
    if role == "admin":
        return ServiceContext(db, admin)
    admin_ctx = ServiceContext(db, admin)
    create_staff(admin_ctx, login, f"{login} 太郎", Role(role), "staff-password-1", "staff-password-1")
    return ServiceContext(db, auth.sign_in(db, login, "staff-password-1"))


@pytest.fixture
def admin_ctx(db):
    """ServiceContext of an administrator (login admin / admin-password-1)."""
    return _user(db, "admin", "admin")


@pytest.fixture
def counter_ctx(db, admin_ctx):
    """ServiceContext of a counter clerk (login counter / staff-password-1)."""
    return _user(db, "counter", "counter")


@pytest.fixture
def coordinator_ctx(db, admin_ctx):
    """ServiceContext of a coordinator (login coordinator / staff-password-1)."""
    return _user(db, "coordinator", "coordinator")


@pytest.fixture
def app_state(qtbot, admin_ctx):
    """AppState of an administrator with an ImmediateRunner (jobs run at once)."""
    from center_app.ui.runner import ImmediateRunner
    from center_app.ui.state import AppState

    return AppState(admin_ctx, ImmediateRunner())


@pytest.fixture
def threaded_runner(qtbot):
    """The app's own :class:`~center_app.ui.runner.Runner`: jobs run on its worker thread, their
    results come back on the GUI thread through a queued signal. Tests wait for what the clerk
    would see with ``qtbot.waitUntil`` / ``qtbot.waitSignal`` (see ``tests/ui/runner_support.py``).
    At teardown the worker finishes its job before the database goes away, the test's widgets
    (closed by pytest-qt) are deleted with their timers, and results nobody waited for are
    dropped with the runner instead of reaching the next test's widgets."""
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent

    from center_app.ui.runner import Runner

    runner = Runner()
    yield runner
    assert runner.wait(30_000), "a background job did not finish"
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shiboken6.delete(runner)


@pytest.fixture
def threaded_state(admin_ctx, threaded_runner):
    """AppState of an administrator with the real threaded runner."""
    from center_app.ui.state import AppState

    return AppState(admin_ctx, threaded_runner)


def command_line_admin(database, monkeypatch) -> list[str]:
    """``["--as", "admin"]`` for a command run on ``database`` (a Database or its URL), which
    needs a signed-in staff member: the administrator admin / admin-password-1, made when the
    database has none, with its password in ``CENTER_APP_PASSWORD``."""
    from center_app.db.database import Database, open_database
    from center_app.services import auth

    db = database if isinstance(database, Database) else open_database(database)  # migrated only: the command loads the rest
    try:
        if auth.needs_first_admin(db):
            auth.create_first_admin(db, "admin", "管理 花子", "admin-password-1", "admin-password-1")
    finally:
        if db is not database:
            db.dispose()
    monkeypatch.setenv("CENTER_APP_PASSWORD", "admin-password-1")
    return ["--as", "admin"]


@pytest.fixture(autouse=True)
def _center_date_style():
    """Every test ends with the default date style (和暦) again, whatever a test chose in 設定."""
    yield
    from center_app.domain import wareki

    wareki.set_date_style(wareki.WAREKI_STYLE)
