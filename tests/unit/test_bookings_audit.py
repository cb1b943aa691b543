"""操作履歴 of bookings: a cancellation, a change, a move and an un-cancel each leave one entry
saying who did it (the staff account, not the one who booked), what (the action as the
administrator reads it in 設定 → 操作履歴, on which booking) and the changed fields before → after."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from center_app.db.models import AuditEntry, Room
from center_app.services import audit, bookings
from center_app.domain.booking_values import BookingInput, BookingStatus

pytestmark = pytest.mark.postgres

TODAY = dt.date(2026, 6, 2)  # Tuesday
DAY = dt.date(2026, 6, 9)  # the Tuesday after


@pytest.fixture(autouse=True)
def _clock(clock):
    clock(TODAY)


@pytest.fixture
def rooms(db):
    with db.read() as session:
        return {code: room_id for code, room_id in session.execute(select(Room.code, Room.id))}


@pytest.fixture
def booked(admin_ctx, rooms):
    """A booking made by the administrator: 会議室1, DAY 13:00–15:00, 山田 太郎, 5 people, 打合せ."""
    return bookings.create_booking(admin_ctx, BookingInput(
        room_id=rooms["M1"], day=DAY, start_time=dt.time(13), end_time=dt.time(15), applicant_name="山田 太郎",
        applicant_phone="055-282-1111", applicant_class="resident", expected_people=5, purpose="打合せ",
    ))


def last_entry(db, booking_id: int) -> AuditEntry:
    with db.read() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "booking", AuditEntry.entity_id == str(booking_id)).order_by(AuditEntry.id)
        ).all()
        session.expunge_all()
    assert entries, "no audit entry for the booking"
    return entries[-1]


def assert_by_counter_clerk(entry: AuditEntry, counter_ctx) -> None:
    assert (entry.staff_user_id, entry.staff_name) == (counter_ctx.user.id, "counter 太郎")


def test_cancellation_is_audited_with_who_the_reason_and_the_status_change(db, counter_ctx, booked):
    bookings.cancel_booking(counter_ctx, booked.id, "雨天中止")
    entry = last_entry(db, booked.id)
    assert_by_counter_clerk(entry, counter_ctx)
    assert (entry.action, audit.action_label(entry.action), entry.note) == ("cancel", "予約の取消", "雨天中止")
    assert entry.before == {"status": BookingStatus.CONFIRMED, "cancel_reason": ""}
    assert entry.after == {"status": BookingStatus.CANCELLED, "cancel_reason": "雨天中止"}


def test_change_is_audited_with_the_changed_fields_only(db, counter_ctx, booked):
    bookings.update_booking(counter_ctx, booked.id, dataclasses.replace(booked.to_input(), purpose="総会", expected_people=10))
    entry = last_entry(db, booked.id)
    assert_by_counter_clerk(entry, counter_ctx)
    assert (entry.action, audit.action_label(entry.action)) == ("update", "変更")
    assert entry.before == {"purpose": "打合せ", "expected_people": 5}
    assert entry.after == {"purpose": "総会", "expected_people": 10}


def test_move_to_another_room_date_and_time_is_audited_with_where_and_when_before_and_after(db, counter_ctx, booked, rooms):
    moved = bookings.move_booking(counter_ctx, booked.id, room_id=rooms["M2"], day=DAY + dt.timedelta(days=1), start_time=dt.time(15))
    assert (moved.room_id, moved.start, moved.end) == (rooms["M2"], dt.datetime(2026, 6, 10, 15), dt.datetime(2026, 6, 10, 17))
    entry = last_entry(db, booked.id)
    assert_by_counter_clerk(entry, counter_ctx)
    assert entry.action == "update"
    where_and_when = {"room_id", "start_at", "end_at"}
    assert where_and_when <= set(entry.after) and "purpose" not in entry.after
    assert {k: entry.before[k] for k in where_and_when} == {"room_id": rooms["M1"], "start_at": "2026-06-09T13:00:00", "end_at": "2026-06-09T15:00:00"}
    assert {k: entry.after[k] for k in where_and_when} == {"room_id": rooms["M2"], "start_at": "2026-06-10T15:00:00", "end_at": "2026-06-10T17:00:00"}


def test_uncancel_is_audited_with_who_restored_it_and_the_status_change(db, admin_ctx, counter_ctx, booked):
    bookings.cancel_booking(admin_ctx, booked.id, "雨天中止")
    bookings.uncancel_booking(counter_ctx, booked.id)
    entry = last_entry(db, booked.id)
    assert_by_counter_clerk(entry, counter_ctx)
    assert (entry.action, audit.action_label(entry.action)) == ("uncancel", "予約を元に戻す")
    assert entry.before == {"status": BookingStatus.CANCELLED, "cancel_reason": "雨天中止"}
    assert entry.after == {"status": BookingStatus.CONFIRMED, "cancel_reason": ""}


def test_every_booking_action_has_a_name_and_records_only_what_it_changed(db, admin_ctx, booked, rooms, clock):
    bookings.update_booking(admin_ctx, booked.id, dataclasses.replace(booked.to_input(), purpose="総会"))
    bookings.cancel_booking(admin_ctx, booked.id, "雨天中止")
    bookings.uncancel_booking(admin_ctx, booked.id)
    other = bookings.create_booking(admin_ctx, dataclasses.replace(booked.to_input(), room_id=rooms["M2"]))
    clock(DAY)
    bookings.check_in(admin_ctx, booked.id)
    bookings.record_attendance(admin_ctx, booked.id, 4)
    bookings.mark_no_show(admin_ctx, other.id)
    entries = audit.recent_entries(admin_ctx, entity="booking")
    shown = {(e.action, audit.action_label(e.action)) for e in entries}
    assert {action for action, _label in shown} == {"create", "update", "cancel", "uncancel", "check_in", "attendance", "no_show"}
    assert all(label != action for action, label in shown), shown  # never the internal code
    for entry in entries:
        if entry.action != "create":
            unchanged = [k for k in entry.after if entry.before.get(k) == entry.after[k]]
            assert not unchanged, (entry.action, unchanged)  # before → after names only what changed
