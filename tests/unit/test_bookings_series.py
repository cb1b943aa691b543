"""Repeating bookings: preview date by date, explicit skips, overlap inside a series, cap."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from center_app.db.bookings import Booking, BookingSeries
from center_app.domain.errors import RuleError, ValidationError
from center_app.services import bookings, bookings_series, groups
from center_app.services.bookings_series import CLOSED, CONFLICT, OK, RULE, SKIPPED, SeriesInput, weekly_rule
from center_app.services.group_values import GroupInput

from bookings_support import TODAY, context, make_input, room_ids, seeded_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(tmp_path, clock):
    clock(TODAY)
    db = seeded_database(tmp_path)
    admin = context(db)
    group = groups.register_group(admin, GroupInput(
        name="八田ヨガの会", name_kana="ハッタヨガノカイ", legal_form="voluntary", activity_fields=(2,), representative_name="山本 花",
    ))
    yield {"db": db, "admin": admin, "rooms": room_ids(db), "group": group}
    db.dispose()


def test_series_across_a_holiday_monday_and_an_existing_booking(env):
    room = env["rooms"]["M1"]
    group = dict(group_id=env["group"].id, applicant_name="")
    other = bookings.create_booking(env["admin"], make_input(room, dt.date(2026, 7, 28), "14:00", "16:00", applicant_name="甲西 四郎"))
    # Tuesdays 13:00–15:00 from July 14: July 21 is closed (海の日 is Monday, so the center closes on Tuesday)
    series = SeriesInput(make_input(room, dt.date(2026, 7, 14), **group), weekly_rule(1, count=4))
    preview = bookings_series.preview_series(env["admin"], series)
    assert [(o.day.isoformat(), o.status) for o in preview.occurrences] == [
        ("2026-07-14", OK), ("2026-07-21", CLOSED), ("2026-07-28", CONFLICT), ("2026-08-04", OK),
    ]
    assert "休館日" in preview.occurrences[1].message
    assert preview.occurrences[2].other.id == other.id and "甲西 四郎" in preview.occurrences[2].message
    assert preview.occurrences[0].fee == 400

    with pytest.raises(RuleError) as info:
        bookings_series.save_series(env["admin"], series)
    assert info.value.rule == "series_unresolved"
    assert "2026-07-21" in str(info.value) and "2026-07-28" in str(info.value)
    with env["db"].read() as session:
        assert session.scalars(select(Booking).where(Booking.series_id.is_not(None))).all() == []

    skip = [dt.date(2026, 7, 21), dt.date(2026, 7, 28)]
    assert [o.status for o in bookings_series.preview_series(env["admin"], series, skip).occurrences] == [OK, SKIPPED, SKIPPED, OK]
    result = bookings_series.save_series(env["admin"], series, skip)
    assert [b.day for b in result.bookings] == [dt.date(2026, 7, 14), dt.date(2026, 8, 4)]
    assert all(b.series_id == result.series_id for b in result.bookings)
    with env["db"].read() as session:
        row = session.get(BookingSeries, result.series_id)
        assert row.exdates == ["2026-07-21", "2026-07-28"] and row.rule.startswith("FREQ=WEEKLY")


def test_monday_series_books_the_holiday_mondays_only(env):
    room = env["rooms"]["M2"]
    series = SeriesInput(make_input(room, dt.date(2026, 9, 14), "09:00", "12:00", group_id=env["group"].id, applicant_name=""), "FREQ=WEEKLY;COUNT=3")
    statuses = [(o.day.day, o.status) for o in bookings_series.preview_series(env["admin"], series).occurrences]
    assert statuses == [(14, CLOSED), (21, OK), (28, CLOSED)]  # 9/21 敬老の日 opens the center


def test_series_whose_dates_overlap_each_other_is_refused(env):
    series = SeriesInput(make_input(env["rooms"]["M1"], dt.date(2026, 6, 9), "13:00", "15:00"), "FREQ=HOURLY;COUNT=3")
    with pytest.raises(RuleError) as info:
        bookings_series.preview_series(env["admin"], series)
    assert info.value.rule == "series_overlap"
    with pytest.raises(RuleError):
        bookings_series.save_series(env["admin"], series)


def test_series_counts_its_own_dates_for_the_monthly_cap(env):
    series = SeriesInput(
        make_input(env["rooms"]["M1"], dt.date(2026, 6, 3), None, None, slot_names=("全日",), group_id=env["group"].id, applicant_name=""),
        "FREQ=WEEKLY;COUNT=4",
    )
    statuses = [o.status for o in bookings_series.preview_series(env["admin"], series).occurrences]
    assert statuses == [OK, OK, RULE, RULE]  # 3 + 3 slots; a third 全日 would make 9 of 8


def test_rule_without_end_or_unreadable_is_refused(env):
    for rule in ("FREQ=WEEKLY", "FREQ=SOMETIMES;COUNT=2"):
        with pytest.raises(ValidationError) as info:
            bookings_series.preview_series(env["admin"], SeriesInput(make_input(env["rooms"]["M1"]), rule))
        assert info.value.problems[0].field == "rule"
