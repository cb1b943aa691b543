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
    refused = str(info.value)  # one line a date, in the one date style (it mixed ISO dates and 「。;」)
    assert "\n・令和8年7月21日（火）：" in refused and "\n・令和8年7月28日（火）：" in refused
    assert "2026-07" not in refused and "。;" not in refused
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


def _tuesdays(env, first=dt.date(2026, 6, 9), count=4):
    template = make_input(env["rooms"]["M1"], first, group_id=env["group"].id, applicant_name="")
    return bookings_series.save_series(env["admin"], SeriesInput(template, weekly_rule(first.weekday(), count=count)))


def test_the_rest_of_a_series_is_changed_in_one_action_all_or_nothing_unless_a_refused_date_is_skipped(env):
    from center_app.db.models import AuditEntry
    from center_app.services.bookings_series import SeriesChange

    made = _tuesdays(env)  # 6/9, 6/16, 6/23, 6/30 13:00–15:00
    other = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], dt.date(2026, 6, 23), "16:00", "17:00", applicant_name="甲西 四郎"))
    change = SeriesChange(start_time=dt.time(15), end_time=dt.time(17), expected_people=8)
    with pytest.raises(ValidationError):  # one reason is required
        bookings_series.change_series(env["admin"], made.series_id, change, " ", from_day=dt.date(2026, 6, 16))
    with pytest.raises(RuleError) as info:
        bookings_series.change_series(env["admin"], made.series_id, change, "講師の都合", from_day=dt.date(2026, 6, 16))
    assert info.value.rule == "series_unresolved" and [o.day for o in info.value.value] == [dt.date(2026, 6, 23)]
    assert "令和8年6月23日" in str(info.value) and other.slip_no in str(info.value)  # each refused date with its reason
    now = [bookings.get_booking(env["admin"], b.id) for b in made.bookings]
    assert [(b.start.hour, b.version) for b in now] == [(13, 1)] * 4  # nothing written

    result = bookings_series.change_series(env["admin"], made.series_id, change, "講師の都合", from_day=dt.date(2026, 6, 16),
                                           versions={b.id: b.version for b in now}, skip=[dt.date(2026, 6, 23)])
    assert [b.day for b in result.changed] == [dt.date(2026, 6, 16), dt.date(2026, 6, 30)] and result.skipped == (dt.date(2026, 6, 23),)
    now = [bookings.get_booking(env["admin"], b.id) for b in made.bookings]
    assert [(b.start.hour, b.end.hour, b.expected_people) for b in now] == [(13, 15, 5), (15, 17, 8), (13, 15, 5), (15, 17, 8)]
    assert [b.version for b in now] == [1, 2, 1, 2]  # versioned like any edit
    with env["db"].read() as session:
        notes = [e.note for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "booking", AuditEntry.action == "update"))]
    assert notes == ["講師の都合", "講師の都合"]


def test_a_series_moved_a_week_later_takes_its_own_old_places_and_a_stale_view_is_refused(env):
    from center_app.domain.errors import StaleEditError
    from center_app.services.bookings_series import SeriesChange

    made = _tuesdays(env)
    stale = {b.id: b.version for b in made.bookings}
    bookings.update_booking(env["admin"], made.bookings[3].id, dataclasses_replace(made.bookings[3].to_input(), purpose="総会"),
                            expected_version=made.bookings[3].version)  # changed on another PC meanwhile
    with pytest.raises(StaleEditError):
        bookings_series.change_series(env["admin"], made.series_id, SeriesChange(shift_days=7), "会場の都合", versions=stale)
    result = bookings_series.change_series(env["admin"], made.series_id, SeriesChange(shift_days=7), "会場の都合")
    # each date moves into the next one's old place (same room): the series' own old places do not clash
    assert [(b.day, b.room_id) for b in result.changed] == [(dt.date(2026, 6, 16) + dt.timedelta(weeks=i), env["rooms"]["M1"]) for i in range(4)]
    result = bookings_series.change_series(env["admin"], made.series_id, SeriesChange(room_id=env["rooms"]["M2"]), "会場の都合",
                                           from_day=dt.date(2026, 6, 30))
    assert [(b.day, b.room_id) for b in result.changed] == [(dt.date(2026, 6, 30), env["rooms"]["M2"]), (dt.date(2026, 7, 7), env["rooms"]["M2"])]


def dataclasses_replace(value, **changes):
    import dataclasses

    return dataclasses.replace(value, **changes)


def test_the_rest_of_a_series_is_cancelled_with_one_configured_reason_whose_refund_rate_applies_to_each(env):
    from center_app.db.models import AuditEntry
    from center_app.domain.money import MoneyState
    from center_app.services import ledger, ledger_refunds

    made = _tuesdays(env)  # 6/9, 6/16, 6/23, 6/30 13:00–15:00
    paid = ledger.record_payment(env["admin"], [made.bookings[2].id], "cash")  # 6/23 paid in advance
    before = [bookings.get_booking(env["admin"], b.id) for b in made.bookings]
    with pytest.raises(ValidationError, match="nonesuch"):  # an unknown 取消理由: nothing is written
        bookings_series.cancel_series(env["admin"], made.series_id, "", from_day=dt.date(2026, 6, 16), reason_code="nonesuch")
    assert [bookings.get_booking(env["admin"], b.id) for b in made.bookings] == before
    with pytest.raises(ValidationError):  # neither a configured reason nor a typed one
        bookings_series.cancel_series(env["admin"], made.series_id, " ", from_day=dt.date(2026, 6, 16))

    cancelled = bookings_series.cancel_series(env["admin"], made.series_id, "", from_day=dt.date(2026, 6, 16), reason_code="center")
    assert [b.day for b in cancelled] == [dt.date(2026, 6, 16), dt.date(2026, 6, 23), dt.date(2026, 6, 30)]
    now = [bookings.get_booking(env["admin"], b.id) for b in made.bookings]
    assert [(b.status, b.cancel_reason_code, b.cancel_reason) for b in now[1:]] == [("cancelled", "center", "市・センターの都合")] * 3
    assert now[0].status != "cancelled" and now[0].cancel_reason_code == ""  # the dates before stay booked
    assert bookings.get_booking(env["admin"], made.bookings[2].id).money.refundable == paid.amount  # its 還付率 (100 %) applies
    [refund] = ledger_refunds.refund_booking(env["admin"], made.bookings[2].id, "空調故障のため休室")
    assert (refund.amount, refund.rate) == (paid.amount, 100)
    assert bookings.get_booking(env["admin"], made.bookings[2].id).money.state == MoneyState.REFUNDED
    with env["db"].read() as session:
        notes = [e.note for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "booking", AuditEntry.action == "cancel"))]
    assert notes == ["市・センターの都合"] * 3  # one reason recorded for all
