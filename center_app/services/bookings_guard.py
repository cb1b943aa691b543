"""The database's own guard against double bookings (PostgreSQL's exclusion constraint
``ex_bookings_room_time``, migration 0006), turned into the same conflict message the booking
check gives. Used by every booking write (:mod:`center_app.services.bookings`, the series, the import).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.models import Room
from center_app.domain.errors import ConflictError
from center_app.i18n import _
from center_app.services.bookings_checks import brief, find_conflict
from center_app.services.context import ServiceContext

#: SQLSTATEs with which PostgreSQL refuses a booking row: the exclusion constraint
#: ``ex_bookings_room_time`` (migration 0006) found an overlapping active booking, or two PCs
#: writing overlapping rows at once waited for each other and one was chosen to give way.
_OVERLAP_STATES = frozenset({"23P01", "40P01"})


class OverlapRefused(ConflictError):
    """PostgreSQL refused a booking row (see :func:`flush_booking`). Raised inside the write
    transaction; :func:`database_refusals` turns it into the usual message naming the other
    booking once that transaction is rolled back. Outside it, the message is still a conflict."""

    def __init__(self, room_id: int, start: dt.datetime, end: dt.datetime, own_id: int | None):
        super().__init__(_("This room was booked from another PC at the same moment. Check the calendar and try again."))
        self.room_id, self.start, self.end, self.own_id = room_id, start, end, own_id

    def explained(self, ctx: ServiceContext) -> ConflictError:
        """The ConflictError :func:`check_booking` would give, read in a fresh transaction (the
        other PC's booking may take a moment to commit after ours gave way)."""
        for attempt in range(20):
            with ctx.db.read() as session:
                other = find_conflict(session, self.room_id, self.start, self.end, self.own_id)
                if other is not None:
                    room = session.get(Room, self.room_id)
                    found = brief(session, other)
                    return ConflictError(
                        _("{room} is already booked at that time: {other}.").format(room=room.name if room else "", other=found.describe()), found,
                    )
            time.sleep(0.05 * (attempt + 1) / 4)
        return self


def overlap_refused(exc: BaseException) -> bool:
    """True when ``exc`` (IntegrityError / OperationalError of a write) is PostgreSQL refusing a
    booking row for overlapping another (the SQLSTATEs of :data:`_OVERLAP_STATES`)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in _OVERLAP_STATES


def flush_booking(session: Session, booking: Booking) -> None:
    """Write a new or changed booking now (call right after setting its room and times).

    The check and the room locks normally refuse an overlap first; if PostgreSQL still refuses the
    row (another PC, a path that skipped the check), raise :class:`OverlapRefused`."""
    room_id, start, end, own_id = booking.room_id, booking.start_at, booking.end_at, booking.id
    try:
        session.flush()
    except (IntegrityError, OperationalError) as exc:
        if getattr(exc.orig, "sqlstate", None) not in _OVERLAP_STATES:
            raise
        raise OverlapRefused(room_id, start, end, own_id) from exc


@contextmanager
def database_refusals(ctx: ServiceContext) -> Iterator[None]:
    """Wrap a write transaction that stores bookings (outside ``ctx.db.write()``, so it ends
    first): a row PostgreSQL refused becomes the same ConflictError, naming the other booking,
    as the check gives."""
    try:
        yield
    except OverlapRefused as refused:
        raise refused.explained(ctx) from None
