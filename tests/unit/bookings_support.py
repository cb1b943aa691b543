"""Shared set-up of the booking tests: a seeded database, users without password hashing,
rooms by code, a registered group, and a form input with sensible defaults."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import delete, select

from center_app.db.bookings import Booking, BookingSeries
from center_app.db.database import Database, sqlite_url
from center_app.db.models import AuditEntry, Room
from center_app.domain.booking_values import BookingInput
from center_app.domain.roles import Role
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.startup import open_center_database

#: A Tuesday; the booking tests set the clock here.
TODAY = dt.date(2026, 6, 2)
#: The Tuesday after: open, within every horizon.
DAY = dt.date(2026, 6, 9)


def seeded_database(folder) -> Database:
    """A migrated, seeded database: an SQLite file in ``folder``, or under ``make test-pg`` a new
    PostgreSQL database (``folder`` is then only a key: the same folder gives the same database)."""
    return open_center_database(database_url(folder))


_URLS: dict[str, str] = {}


def database_url(folder) -> str:
    """The database of ``folder`` (see :func:`seeded_database`)."""
    from conftest import PG_SERVER_URL, new_database_url

    if not PG_SERVER_URL:
        return sqlite_url(folder / "bookings.sqlite3")
    key = str(folder)
    if key not in _URLS:
        _URLS[key] = new_database_url(folder)
    return _URLS[key]


def context(db: Database, role: Role = Role.ADMIN, name: str = "窓口 花子") -> ServiceContext:
    return ServiceContext(db, CurrentUser(id=None, login_name=f"test-{role.value}", display_name=name, role=role))


def room_ids(db: Database) -> dict[str, int]:
    with db.read() as session:
        return {r.code: r.id for r in session.scalars(select(Room))}


def clear_bookings(db: Database) -> None:
    from center_app.db import money

    with db.write() as session:
        for table in (money.ReceiptPrint, money.PermitBooking, money.Permit, money.LedgerVoid, money.Refund, money.PaymentAllocation,
                      money.Payment, money.DocumentCounter, money.DayClose):
            session.execute(delete(table))
        session.execute(delete(Booking))
        session.execute(delete(BookingSeries))
        session.execute(delete(AuditEntry).where(AuditEntry.entity.in_(("booking", "booking_series", "payment", "refund", "day_close"))))


def t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def make_input(room_id: int, day: dt.date = DAY, start: str | None = "13:00", end: str | None = "15:00", **extra) -> BookingInput:
    values = dict(
        room_id=room_id, day=day, start_time=t(start) if start else None, end_time=t(end) if end else None,
        applicant_name="山田 太郎", applicant_phone="055-282-1111", applicant_class="resident", expected_people=5, purpose="打合せ",
    )
    values.update(extra)
    return BookingInput(**values)


def replace(data: BookingInput, **changes) -> BookingInput:
    return dataclasses.replace(data, **changes)


def race_worker(url: str, room_id: int, slots: list[tuple[str, str, str]], barrier, results, pc: str = "A",
                room_lock: bool = True) -> None:
    """One PC of the race test (a separate OS process): for each (day, start, end) wait for the
    other PC at the barrier, then try to book it as applicant "申込者 {pc}". Reports (pc, outcomes):
    ("ok", booking id) for a booking made, ("conflict", id of the booking named by the
    ConflictError), or ("error", the error's type and text). ``room_lock=False`` skips the
    services' room lock, leaving PostgreSQL's exclusion constraint as the only guard."""
    from center_app.db.database import open_database
    from center_app.domain import clock
    from center_app.domain.errors import ConflictError
    from center_app.services import bookings

    clock.set_fixed(TODAY)  # the clock of the test
    if not room_lock:
        bookings.lock_rooms = lambda session, room_ids: None
    db = open_database(url, migrate=False)
    ctx = context(db, name=f"PC {pc}")
    outcome: list[tuple[str, object]] = []
    try:
        for day, start, end in slots:
            barrier.wait(timeout=60)
            try:
                made = bookings.create_booking(ctx, make_input(room_id, dt.date.fromisoformat(day), start, end, applicant_name=f"申込者 {pc}"))
                outcome.append(("ok", made.id))
            except ConflictError as exc:
                outcome.append(("conflict", getattr(exc.other, "id", None)))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                outcome.append(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
        results.put((pc, outcome))


def crash_worker(url: str, slots: list[tuple[int, str, str, str]], first: int, ids) -> None:
    """The PC that crashes (a separate OS process, killed with SIGKILL by the crash test): books
    ``slots[first:]`` one after the other through the service, and after each commit returns
    sends the booking's id down the pipe ``ids``. A slot already taken (booked by an earlier
    child whose report the kill cut off) is skipped."""
    from center_app.db.database import open_database
    from center_app.domain import clock
    from center_app.domain.errors import ConflictError
    from center_app.services import bookings

    clock.set_fixed(TODAY)
    db = open_database(url, migrate=False)
    ctx = context(db, name="PC crash")
    for room_id, day, start, end in slots[first:]:
        try:
            made = bookings.create_booking(ctx, make_input(room_id, dt.date.fromisoformat(day), start, end))
        except ConflictError:
            continue
        ids.send(made.id)
    ids.send(None)  # ran out of slots: the test gives too few
