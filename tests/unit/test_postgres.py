"""PostgreSQL only (``make test-pg``): the database itself refuses overlapping active bookings of
a room (migration 0006), and a refusal reaches the clerk as the usual conflict message naming the
other booking; backups point to pg_dump."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from center_app.app import main
from center_app.db.bookings import Booking
from center_app.domain.errors import ConflictError
from center_app.services import bookings

from bookings_support import DAY, TODAY, context, make_input, room_ids, seeded_database

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("CENTER_APP_TEST_PG_URL"), reason="needs PostgreSQL (make test-pg)"),
]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = seeded_database(tmp_path_factory.mktemp("pg"))
    yield {"db": db, "admin": context(db), "rooms": room_ids(db)}
    db.dispose()


@pytest.fixture(autouse=True)
def _clock(clock, env):
    clock(TODAY)
    yield
    with env["db"].write() as session:
        session.execute(text("DELETE FROM audit_entries WHERE entity = 'booking'"))
        session.execute(text("DELETE FROM bookings"))


@pytest.fixture
def blind_check(monkeypatch):
    """The services' conflict check sees nothing (as if another PC's booking arrived just after
    it ran): only the database stands between the clerk and a double booking."""
    original = bookings.check_booking

    def without_conflicts(*args, **kwargs):
        checked = original(*args, **kwargs)
        checked.refusals = [r for r in checked.refusals if not isinstance(r.error, ConflictError)]
        checked.conflict = None
        return checked

    monkeypatch.setattr(bookings, "check_booking", without_conflicts)


def _count(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Booking.id)).where(Booking.status != "cancelled"))


def test_the_database_refuses_an_overlap_with_the_usual_message(env, blind_check):
    admin, room = env["admin"], env["rooms"]["M1"]
    first = bookings.create_booking(admin, make_input(room, DAY, "13:00", "15:00", applicant_name="白根 花子"))
    with pytest.raises(ConflictError) as refused:
        bookings.create_booking(admin, make_input(room, DAY, "14:00", "16:00"))
    message = str(refused.value)
    assert first.slip_no in message and "白根 花子" in message and "13:00" in message
    assert refused.value.other.id == first.id
    assert _count(env["db"]) == 1
    # half-open intervals: the next two hours are free, and so is another room at the same time
    bookings.create_booking(admin, make_input(room, DAY, "15:00", "17:00"))
    bookings.create_booking(admin, make_input(env["rooms"]["M2"], DAY, "13:00", "15:00"))
    assert _count(env["db"]) == 3


def test_moving_or_restoring_onto_a_booking_is_refused_by_the_database(env, blind_check):
    admin, room = env["admin"], env["rooms"]["M1"]
    first = bookings.create_booking(admin, make_input(room, DAY, "09:00", "12:00", applicant_name="甲府 一郎"))
    second = bookings.create_booking(admin, make_input(room, DAY, "13:00", "15:00"))
    with pytest.raises(ConflictError) as refused:
        bookings.move_booking(admin, second.id, start_time=first.start.time())
    assert refused.value.other.id == first.id and first.slip_no in str(refused.value)
    assert bookings.get_booking(admin, second.id).start == second.start  # unchanged

    bookings.cancel_booking(admin, first.id, "日程変更")
    moved = bookings.move_booking(admin, second.id, start_time=first.start.time())  # a cancelled booking blocks nothing
    with pytest.raises(ConflictError) as refused:
        bookings.uncancel_booking(admin, first.id)
    assert refused.value.other.id == moved.id
    assert bookings.get_booking(admin, first.id).status == "cancelled"


def test_a_raw_insert_cannot_double_book(env):
    """The guard is in the schema: SQL written by hand (or a future code path) is refused too."""
    admin, room = env["admin"], env["rooms"]["M1"]
    first = bookings.create_booking(admin, make_input(room, DAY, "13:00", "15:00"))
    columns = [c.name for c in Booking.__table__.columns if c.name not in ("id", "slip_no")]
    values = ["start_at + interval '1 hour'" if name == "start_at" else name for name in columns]  # 14:00–15:00
    with pytest.raises(IntegrityError) as refused, env["db"].write() as session:
        session.execute(text(
            f"INSERT INTO bookings ({', '.join(columns)}) SELECT {', '.join(values)} FROM bookings WHERE id = :id"
        ), {"id": first.id})
    assert refused.value.orig.sqlstate == "23P01"
    assert "ex_bookings_room_time" in str(refused.value)


def test_backup_commands_point_to_pg_dump(env, capsys):
    assert main(["--lang", "en", "--database-url", env["db"].url, "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err
