"""Shared set-up of the money ledger tests: the PC of the receipt-number race (a separate OS
process), and bookings made quickly for it."""

from __future__ import annotations

import datetime as dt

from bookings_support import TODAY, context, make_input


def open_days(first: dt.date, count: int) -> list[dt.date]:
    """``count`` days from ``first`` on that are not Mondays (closed) nor national holidays."""
    import jpholiday

    days, day = [], first
    while len(days) < count:
        if day.weekday() != 0 and not jpholiday.is_holiday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def book_many(ctx, rooms: dict[str, int], count: int, first: dt.date) -> list[int]:
    """``count`` bookings of one slot each (午前 / 午後 / 夜間 in the main center's rooms) from
    ``first`` on, by one applicant; their ids in order."""
    from center_app.services import bookings

    codes = ["M1", "M2", "M3", "HALL", "WA", "COOK"]
    ids: list[int] = []
    for day in open_days(first, count // (len(codes) * 3) + 1):
        for code in codes:
            for slot in ("午前", "午後", "夜間"):
                if len(ids) == count:
                    return ids
                made = bookings.create_booking(ctx, make_input(rooms[code], day, None, None, slot_names=(slot,), applicant_name="申込者"))
                ids.append(made.id)
    return ids


def payment_worker(url: str, booking_ids: list[int], barrier, results, pc: str = "A", rounds_of: int = 10) -> None:
    """One PC of the receipt race (a separate OS process): record a cash payment for each booking
    of ``booking_ids`` one after the other, meeting the other PC at the barrier before every
    ``rounds_of`` payments so the two really write at the same moments. Reports (pc, outcomes):
    ("ok", receipt number), ("refused", message) for a booking the other PC paid first, or
    ("error", type and text)."""
    from center_app.db.database import open_database
    from center_app.domain import clock
    from center_app.domain.errors import ValidationError
    from center_app.domain.roles import Role
    from center_app.services import ledger

    clock.set_fixed(TODAY)
    db = open_database(url, migrate=False)
    ctx = context(db, Role.COUNTER, name=f"PC {pc}")
    outcome: list[tuple[str, str]] = []
    try:
        for index, booking_id in enumerate(booking_ids):
            if index % rounds_of == 0:
                barrier.wait(timeout=60)
            try:
                outcome.append(("ok", ledger.record_payment(ctx, [booking_id], "cash").receipt_no))
            except ValidationError as exc:
                outcome.append(("refused", str(exc)))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                outcome.append(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        db.dispose()
        results.put((pc, outcome))
