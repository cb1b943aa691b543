"""Harness of ``make bench`` (docs/architecture.md §8): the data sets, timing helpers, and ONE table.

Every benchmark runs once on each data set (:data:`dataset.PROFILES`: ``small`` and ``large``,
the ``profile`` fixture; ``CENTER_APP_BENCH_PROFILES=large`` runs one), measures our figure and
a baseline in the same run, interleaved (our run, then the baseline's, N times) so that load
from other processes on a shared machine hits both alike, records a row with
:func:`harness.record`, and then asserts the target of docs/architecture.md §8 on the CPU time
(a missed target fails the test; the table still shows every row). At the end pytest prints the
table — metric, data set, runs, CPU and wall medians of ours and of the baseline, the ratio, the
target, met or not — with the machine it ran on; the same Markdown goes to
``<cache folder>/last-run.md``.

The data sets (:mod:`dataset`) are generated once per seed and schema head and kept in
``$CENTER_APP_BENCH_DIR`` or ``~/.cache/center-desk-bench``; each run works on private copies.
The screens run with the app's own fonts and translators (``application.prepare``), as a clerk
sees them. Not collected by ``make test`` (pyproject's ``norecursedirs`` lists ``bench``).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import dataset
import harness


def _quiet_offscreen_plugin() -> None:
    """Drop the offscreen platform's "does not support propagateSizeHints()" line (one a window)."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    _quiet_offscreen_plugin.handler = handler  # keep it alive
    qInstallMessageHandler(handler)


_quiet_offscreen_plugin()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    harness.terminal_summary(terminalreporter)


def _profiles() -> list[str]:
    chosen = [p for p in os.environ.get("CENTER_APP_BENCH_PROFILES", "").replace(",", " ").split() if p in dataset.PROFILES]
    return chosen or list(dataset.PROFILES)


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session", params=_profiles())
def profile(request) -> str:
    """The data set of this run of a benchmark: ``small`` or ``large``."""
    return request.param


@pytest.fixture(scope="session")
def qapp_fonts(qapp):
    """The application as the app prepares it: bundled fonts, application font, translators."""
    from center_app.ui import application

    assert application.prepare(qapp) == [], "files of the installation are missing"
    return qapp


@pytest.fixture(scope="session")
def bench_file(tmp_path_factory, profile) -> Path:
    """A private copy of the data set of ``profile`` (generated first when not cached)."""
    return dataset.copy_to(tmp_path_factory.mktemp(f"bench-{profile}"), profile)


@pytest.fixture(scope="session")
def bench_db(bench_file):
    """The data set opened as the app opens it (checks, migrations to head, configuration)."""
    from center_app.db.database import sqlite_url
    from center_app.services.startup import open_center_database

    db = open_center_database(sqlite_url(bench_file))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def bench_ctx(bench_db):
    """The bench administrator on the data set (no password needed in process)."""
    from sqlalchemy import select

    from center_app.db.models import StaffUser
    from center_app.domain.roles import Role
    from center_app.services.context import CurrentUser, ServiceContext

    with bench_db.read() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.login_name == dataset.ADMIN_LOGIN)).one()
        return ServiceContext(bench_db, CurrentUser(user.id, user.login_name, user.display_name, Role(user.role)))


@pytest.fixture(scope="session")
def raw_sqlite(bench_file):
    """A plain sqlite3 connection to the same file, for the hand-written baselines."""
    conn = sqlite3.connect(bench_file)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def main_facility(bench_db) -> int:
    from sqlalchemy import select

    from center_app.db.models import Facility

    with bench_db.read() as session:
        return session.scalar(select(Facility.id).where(Facility.is_main.is_(True)))
