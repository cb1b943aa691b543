"""Reading bookings for the 予約 calendar and ホーム: rooms and slots of a facility, the bookings
of a visible range, counts per day of a month, the pickers of the booking dialog.

Only the visible range is read, through the index ``(room_id, start_at)``: a booking lies within
one day, so "the bookings of these days" is exactly ``start_at`` in ``[first 00:00, last+1 00:00)``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.models import ApplicantClass, Facility, FeeExemption, FeeTable, Room, TimeSlot
from center_app.domain.booking_rules import Slot
from center_app.domain.booking_values import BLOCKING, OPEN, BookingCell, BookingChoices, CalendarFrame, Choice, RoomInfo
from center_app.domain.errors import ValidationError
from center_app.i18n import _
from center_app.services.context import ServiceContext


def _bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return dt.datetime.combine(first, dt.time(0)), dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0))


def calendar_frame(ctx: ServiceContext, facility_id: int) -> CalendarFrame:
    """Opening hours, active rooms (display order, with fees) and named slots of a facility."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        facility = session.get(Facility, facility_id)
        if facility is None:
            raise ValidationError(_("This facility no longer exists."))
        rooms = session.scalars(
            select(Room).where(Room.facility_id == facility_id, Room.active.is_(True)).order_by(Room.sort_order, Room.id)
        ).all()
        slots = session.scalars(
            select(TimeSlot).where(TimeSlot.facility_id == facility_id, TimeSlot.active.is_(True)).order_by(TimeSlot.sort_order, TimeSlot.id)
        ).all()
        fees: dict[int, list[tuple[str, int]]] = {}
        for room_id, name, yen in session.execute(
            select(FeeTable.room_id, TimeSlot.name, FeeTable.fee_yen)
            .join(TimeSlot, TimeSlot.id == FeeTable.time_slot_id)
            .where(TimeSlot.facility_id == facility_id)
            .order_by(TimeSlot.sort_order)
        ):
            fees.setdefault(room_id, []).append((name, yen))
        return CalendarFrame(
            facility_id=facility.id, facility_name=facility.name, opening=facility.opening_time, closing=facility.closing_time,
            rooms=tuple(RoomInfo(r.id, r.code, r.name, r.capacity, r.fee_per_hour_yen, tuple(fees.get(r.id, ()))) for r in rooms),
            slots=tuple(Slot(s.name, s.start_time, s.end_time, s.is_all_day) for s in slots),
        )


def bookings_between(ctx: ServiceContext, facility_id: int, first: dt.date, last: dt.date, *, include_cancelled: bool = False) -> list[BookingCell]:
    """The bookings of the facility's rooms on the days ``first`` … ``last`` (inclusive), by
    start time; cancelled ones only with ``include_cancelled``."""
    ctx.require_signed_in()
    start, end = _bounds(first, last)
    with ctx.db.read() as session:
        room_ids = select(Room.id).where(Room.facility_id == facility_id).scalar_subquery()
        query = (
            select(
                Booking.id, Booking.room_id, Room.name, Booking.start_at, Booking.end_at, Booking.status, Booking.applicant_name,
                Booking.purpose, Booking.slot_names, Booking.expected_people, Booking.attendance, Booking.checked_in_at,
                Booking.fee_yen, Booking.slip_no,
            )
            .join(Room, Room.id == Booking.room_id)
            .where(Booking.room_id.in_(room_ids), Booking.start_at >= start, Booking.start_at < end)
            .order_by(Booking.start_at, Room.sort_order, Booking.id)
        )
        if not include_cancelled:
            query = query.where(Booking.status.in_(BLOCKING))
        return [
            BookingCell(
                id=r.id, room_id=r.room_id, room_name=r.name, start=r.start_at, end=r.end_at, status=r.status,
                applicant_name=r.applicant_name, purpose=r.purpose, slot_names=tuple(r.slot_names or ()),
                expected_people=r.expected_people, attendance=r.attendance, checked_in=r.checked_in_at is not None,
                fee=r.fee_yen, slip_no=r.slip_no or "",
            )
            for r in session.execute(query)
        ]


def day_counts(ctx: ServiceContext, facility_id: int, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Number of bookings (not cancelled) per day from ``first`` to ``last`` (month overview)."""
    ctx.require_signed_in()
    start, end = _bounds(first, last)
    with ctx.db.read() as session:
        room_ids = select(Room.id).where(Room.facility_id == facility_id).scalar_subquery()
        rows = session.execute(
            select(Booking.start_at).where(Booking.room_id.in_(room_ids), Booking.start_at >= start, Booking.start_at < end, Booking.status.in_(BLOCKING))
        ).scalars()
        counts: dict[dt.date, int] = {}
        for started in rows:
            counts[started.date()] = counts.get(started.date(), 0) + 1
        return counts


def booking_choices(ctx: ServiceContext) -> BookingChoices:
    """Active applicant classes (multiplier %) and fee exemptions (rate %) in display order."""
    ctx.require_signed_in()
    with ctx.db.read() as session:
        classes = session.scalars(select(ApplicantClass).where(ApplicantClass.active.is_(True)).order_by(ApplicantClass.sort_order, ApplicantClass.id))
        exemptions = session.scalars(select(FeeExemption).where(FeeExemption.active.is_(True)).order_by(FeeExemption.sort_order, FeeExemption.id))
        return BookingChoices(
            classes=tuple(Choice(c.code, c.name, c.fee_multiplier_percent) for c in classes),
            exemptions=tuple(Choice(e.code, e.name, e.rate_percent) for e in exemptions),
        )


def future_bookings_of_group(session: Session, group_id: int, day: dt.date) -> list[str]:
    """Descriptions ("2026-12-01 午後 会議室1") of the group's provisional or confirmed bookings
    on or after ``day``, in date order: a group with any cannot be withdrawn
    (:func:`center_app.services.groups.withdraw_group`)."""
    rows = session.execute(
        select(Booking.start_at, Booking.end_at, Booking.slot_names, Room.name)
        .join(Room, Room.id == Booking.room_id)
        .where(Booking.group_id == group_id, Booking.start_at >= dt.datetime.combine(day, dt.time(0)), Booking.status.in_(OPEN))
        .order_by(Booking.start_at)
    ).all()
    return [
        f"{start:%Y-%m-%d} {'・'.join(slots) if slots else f'{start:%H:%M}–{end:%H:%M}'} {room}"
        for start, end, slots, room in rows
    ]
