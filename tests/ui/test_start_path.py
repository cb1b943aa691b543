"""The desktop app and the screenshots open a new database the way every command does: migrated,
with the default configuration (7 facilities), before anyone signs in."""

from __future__ import annotations

from sqlalchemy import func, select

from center_app.db.database import sqlite_url
from center_app.db.models import Facility
from center_app.ui import application


def _facilities(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Facility))


def test_the_app_shows_the_sign_in_on_a_new_database_that_has_its_facilities(qapp, tmp_path, monkeypatch):
    seen = []

    def sign_in_cancelled(session):
        seen.append(_facilities(session.db))  # what the first administrator would find
        return False

    monkeypatch.setattr(application.Session, "sign_in", sign_in_cancelled)
    assert application.run(sqlite_url(tmp_path / "center.sqlite3")) == 0
    assert seen == [7]


def test_the_screenshot_database_has_its_facilities(qapp, tmp_path, monkeypatch):
    from center_app.services import demo

    monkeypatch.setattr(demo, "generate", lambda db, profile, seed: None)  # the demo data would load them too
    db, ctx = application.throwaway_session(tmp_path)
    try:
        assert _facilities(db) == 7
        assert ctx.user.login_name == "screenshot"
    finally:
        db.dispose()
