"""Booking services: the overlap matrix on every path, closed days, horizon, cap, capacity,
registration, fees, cancel / un-cancel, attendance, no-show, withdrawal of a group."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from bookings_support import DAY, TODAY, clear_bookings, context, make_input, replace, room_ids, seeded_database, t
from sqlalchemy import select

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.models import AuditEntry
from center_app.domain.booking_values import BookingStatus
from center_app.domain.clock import frozen
from center_app.domain.errors import ClosedDayError, ConflictError, PermissionDenied, RuleError, StaleEditError, ValidationError
from center_app.domain.roles import Role
from center_app.services import bookings, bookings_series, groups
from center_app.services.group_values import GroupInput

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = seeded_database(tmp_path_factory.mktemp("bookings"))
    admin = context(db)
    with frozen(TODAY):
        group = groups.register_group(admin, GroupInput(
            name="髙﨑まちづくりの会", name_kana="タカサキマチヅクリノカイ", legal_form="voluntary", activity_fields=(3,),
            representative_name="髙橋 一郎", phone="055-282-2222",
        ))
    yield {"db": db, "admin": admin, "counter": context(db, Role.COUNTER, "窓口 次郎"), "rooms": room_ids(db), "group": group,
           "tmp": tmp_path_factory.mktemp("files")}
    db.dispose()


@pytest.fixture(autouse=True)
def _clock_and_cleanup(clock, env):
    clock(TODAY)
    yield
    clear_bookings(env["db"])


def book(env, room="M1", day=DAY, start="13:00", end="15:00", **extra):
    return bookings.create_booking(env["admin"], make_input(env["rooms"][room], day, start, end, **extra))


# --- the overlap matrix on every path ---------------------------------------------------------------

MATRIX = [
    ("15:00", "17:00", True),
    ("11:00", "13:00", True),
    ("14:59", "16:00", False),
    ("12:00", "13:01", False),
    ("13:30", "14:30", False),
    ("12:00", "16:00", False),
    ("13:00", "15:00", False),
]


def _path_create(env, start, end):
    return bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, start, end))


def _path_update(env, start, end):
    mine = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, "18:00", "19:00"))
    return bookings.update_booking(env["admin"], mine.id, make_input(env["rooms"]["M1"], DAY, start, end))


def _path_move(env, start, end):
    mine = bookings.create_booking(env["admin"], make_input(env["rooms"]["M2"], DAY + dt.timedelta(days=1), start, end))
    return bookings.move_booking(env["admin"], mine.id, room_id=env["rooms"]["M1"], day=DAY)


def _path_uncancel(env, start, end):
    other = bookings.get_booking(env["admin"], env["existing"])
    bookings.cancel_booking(env["admin"], other.id, "入れ替えのため")
    mine = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, start, end))
    bookings.cancel_booking(env["admin"], mine.id, "日程変更")
    bookings.uncancel_booking(env["admin"], other.id)
    return bookings.uncancel_booking(env["admin"], mine.id)


def _path_series(env, start, end):
    series = bookings_series.SeriesInput(make_input(env["rooms"]["M1"], DAY, start, end), "FREQ=WEEKLY;COUNT=2")
    preview = bookings_series.preview_series(env["admin"], series)
    blocked = [o for o in preview.occurrences if o.status == bookings_series.CONFLICT]
    result = bookings_series.save_series(env["admin"], series)
    assert not blocked
    return result


def _path_import(env, start, end):
    from center_app.services import bookings_io

    path = env["tmp"] / "ledger.csv"
    path.write_text(f"施設,部屋,利用日,開始,終了,申込者名,人数\r\nmain,M1,{DAY:%Y/%m/%d},{start},{end},山田 次郎,5\r\n", encoding="utf-8")
    try:
        return bookings_io.import_bookings(env["admin"], path)
    except ValidationError as exc:  # the import reports the conflict as a row problem
        raise ConflictError(str(exc)) from exc


PATHS = {"create": _path_create, "update": _path_update, "move": _path_move, "uncancel": _path_uncancel, "series": _path_series,
         "import": _path_import}


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize(("start", "end", "allowed"), MATRIX)
def test_overlap_matrix_on_every_path(env, path, start, end, allowed):
    existing = book(env, start="13:00", end="15:00", applicant_name="白根 花子")
    env["existing"] = existing.id
    if allowed:
        PATHS[path](env, start, end)
    else:
        with pytest.raises((ConflictError, RuleError)) as info:
            PATHS[path](env, start, end)
        assert "白根 花子" in str(info.value)  # the refusal names the other booking
        assert existing.slip_no in str(info.value)
    with env["db"].read() as session:
        live = session.scalars(select(Booking).where(Booking.status != BookingStatus.CANCELLED, Booking.room_id == env["rooms"]["M1"], Booking.start_at < dt.datetime.combine(DAY, t("23:00")), Booking.start_at >= dt.datetime.combine(DAY, t("00:00")))).all()
    intervals = sorted((b.start_at, b.end_at) for b in live)
    assert all(a[1] <= b[0] for a, b in zip(intervals, intervals[1:]))  # never two overlapping


def test_other_room_and_cancelled_bookings_block_nothing(env):
    first = book(env)
    book(env, room="M2")
    bookings.cancel_booking(env["admin"], first.id, "中止")
    assert book(env, start="14:00", end="16:00").status == BookingStatus.CONFIRMED


def test_conflict_error_carries_the_other_booking(env):
    first = book(env, applicant_name="櫛形 太郎")
    with pytest.raises(ConflictError) as info:
        book(env, start="14:00", end="16:00")
    assert info.value.other.id == first.id
    assert "会議室1" in str(info.value) and "13:00" in str(info.value)


def test_extend_refused_into_the_next_booking(env):
    book(env, applicant_name="若草 次郎")
    mine = book(env, start="11:00", end="12:00")
    assert bookings.extend_booking(env["admin"], mine.id, t("13:00")).end.time() == t("13:00")
    with pytest.raises(ConflictError, match="若草 次郎"):
        bookings.extend_booking(env["admin"], mine.id, t("13:01"))
    assert bookings.get_booking(env["admin"], mine.id).end.time() == t("13:00")


# --- the rules ------------------------------------------------------------------------------------


def test_created_booking_has_slip_number_fee_snapshot_and_audit(env):
    view = book(env)
    assert view.slip_no == f"B2026-{view.id:06d}"
    assert (view.fee, view.gross_fee, view.waived, view.slot_units) == (400, 400, 0, 1)  # 13–15 lies in 午後
    assert view.status == BookingStatus.CONFIRMED and view.created_by == "窓口 花子"
    with env["db"].read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "booking", AuditEntry.entity_id == str(view.id)))
    assert entry.action == "create" and entry.after["fee_yen"] == 400


def test_every_bad_field_reported_at_once(env):
    bad = make_input(None, DAY, "15:00", "14:00", applicant_name="", applicant_phone="", applicant_class="", expected_people=0)
    with pytest.raises(ValidationError) as info:
        bookings.create_booking(env["admin"], bad)
    assert {p.field for p in info.value.problems} >= {"room_id", "expected_people", "applicant_name", "applicant_class"}
    with pytest.raises(ValidationError) as info:
        bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, "15:00", "14:00", expected_people="abc"))
    assert {p.field for p in info.value.problems} == {"end_time", "expected_people"}


def test_slots_and_opening_hours(env):
    view = book(env, start=None, end=None, slot_names=("午後", "午前"))
    assert (view.start.time(), view.end.time(), view.slot_names, view.fee, view.slot_units) == (t("09:00"), t("17:00"), ("午前", "午後"), 700, 2)
    with pytest.raises(ValidationError) as info:
        book(env, day=DAY + dt.timedelta(days=1), start="08:00", end="10:00")
    assert info.value.problems[0].field == "start_time"


def test_closed_days_refused_with_reason_and_admin_override(env):
    monday = dt.date(2026, 6, 8)
    with pytest.raises(ClosedDayError) as info:
        book(env, day=monday)
    assert info.value.reason == "休館日"
    assert "令和8年6月8日（月）" in str(info.value)
    with pytest.raises(ClosedDayError):
        book(env, day=dt.date(2026, 7, 21))  # the Tuesday closed instead of 海の日 (Monday, open)
    assert book(env, day=dt.date(2026, 7, 20), group_id=env["group"].id, applicant_name="").status == BookingStatus.CONFIRMED
    with pytest.raises(PermissionDenied):
        bookings.create_booking(env["counter"], make_input(env["rooms"]["M1"], monday, closed_override_reason="選挙の開票作業"))
    opened = book(env, day=monday, closed_override_reason="選挙の開票作業")
    assert opened.closed_override_reason == "選挙の開票作業"
    with env["db"].read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "booking", AuditEntry.entity_id == str(opened.id)))
    assert entry.after["closed_override_reason"] == "選挙の開票作業"


def test_horizon_by_applicant_class_from_the_first_of_the_month(env):
    assert book(env, day=dt.date(2026, 7, 31)).status == BookingStatus.CONFIRMED  # 一般: 1 month → end of July
    with pytest.raises(RuleError) as info:
        book(env, day=dt.date(2026, 8, 4))
    assert info.value.rule == "horizon" and info.value.value == dt.date(2026, 7, 31)
    group = dict(group_id=env["group"].id, applicant_name="")
    assert book(env, day=dt.date(2026, 9, 30), **group).status == BookingStatus.CONFIRMED  # 登録団体: 3 months → end of September
    with pytest.raises(RuleError, match="2026|令和8年9月30日"):
        book(env, day=dt.date(2026, 10, 1), **group)


def test_past_dates_refused(env):
    with pytest.raises(RuleError) as info:
        book(env, day=TODAY - dt.timedelta(days=1))
    assert info.value.rule == "past"


def test_capacity(env):
    assert book(env, expected_people=18).expected_people == 18
    with pytest.raises(RuleError) as info:
        book(env, start="15:00", end="17:00", expected_people=19)
    assert (info.value.rule, info.value.value) == ("capacity", 18)


def test_monthly_slot_cap_per_group(env):
    group = dict(group_id=env["group"].id, applicant_name="", start=None, end=None)
    june = [dt.date(2026, 6, d) for d in (9, 10, 11, 12, 13, 14, 16, 17)]
    for day in june[:2]:
        book(env, day=day, slot_names=("全日",), **group)  # 3 slots each
    cancelled = book(env, day=june[2], slot_names=("午前",), **group)
    bookings.cancel_booking(env["admin"], cancelled.id, "中止")  # cancelled bookings do not count
    book(env, day=june[3], slot_names=("午前", "午後"), **group)  # 8 of 8
    with pytest.raises(RuleError) as info:
        book(env, day=june[4], slot_names=("夜間",), **group)
    assert (info.value.rule, info.value.value) == ("monthly_cap", 8)
    assert "8" in str(info.value)
    assert book(env, day=dt.date(2026, 7, 1), slot_names=("夜間",), **group).slot_units == 1  # another month


def test_monthly_cap_written_as_text_by_an_older_version_still_limits(env):
    from center_app.db.models import CenterSetting

    group = dict(group_id=env["group"].id, applicant_name="", start=None, end=None)
    with env["db"].write() as session:
        session.get(CenterSetting, "monthly_slot_cap_per_group").value = "3"
    try:
        book(env, day=dt.date(2026, 6, 9), slot_names=("全日",), **group)
        with pytest.raises(RuleError) as info:
            book(env, day=dt.date(2026, 6, 10), slot_names=("午前",), **group)
        assert (info.value.rule, info.value.value) == ("monthly_cap", 3)
    finally:
        with env["db"].write() as session:
            session.get(CenterSetting, "monthly_slot_cap_per_group").value = 8


def test_expired_registration_cannot_book_as_registered_group(env):
    with env["db"].write() as session:
        session.get(Group, env["group"].id).valid_until = TODAY - dt.timedelta(days=1)
    try:
        with pytest.raises(RuleError) as info:
            book(env, group_id=env["group"].id, applicant_name="")
        assert info.value.rule == "registration"
    finally:
        with env["db"].write() as session:
            session.get(Group, env["group"].id).valid_until = dt.date(2027, 3, 31)


def test_fees_by_class_exemption_and_hour(env):
    outside = book(env, room="M3", start=None, end=None, slot_names=("午後",), applicant_class="non_resident")
    assert (outside.gross_fee, outside.fee) == (900, 900)  # 600 × 1.5
    endorsed = book(env, room="M3", start=None, end=None, slot_names=("夜間",), applicant_class="non_resident", exemption_code="city_endorsed")
    assert (endorsed.gross_fee, endorsed.waived, endorsed.fee, endorsed.exemption_name) == (900, 450, 450, "市の後援")
    free = book(env, room="HALL", start=None, end=None, slot_names=("午後",), group_id=env["group"].id, applicant_name="", exemption_code="public_interest")
    assert (free.gross_fee, free.waived, free.fee, free.exemption_rate) == (1600, 1600, 0, 100)
    hourly = book(env, room="SPACE", start="10:00", end="11:30")
    assert hourly.fee == 200  # two started hours × 100 yen
    with pytest.raises(ValidationError) as info:
        book(env, room="M2", exemption_code="nonexistent")
    assert info.value.problems[0].field == "exemption_code"


def test_cancel_needs_a_reason_and_uncancel_rechecks(env):
    view = book(env)
    with pytest.raises(ValidationError):
        bookings.cancel_booking(env["admin"], view.id, "  ")
    cancelled = bookings.cancel_booking(env["admin"], view.id, "雨天中止")
    assert (cancelled.status, cancelled.cancel_reason) == (BookingStatus.CANCELLED, "雨天中止")
    with pytest.raises(RuleError):
        bookings.cancel_booking(env["admin"], view.id, "again")
    restored = bookings.uncancel_booking(env["admin"], view.id)
    assert (restored.status, restored.cancel_reason) == (BookingStatus.CONFIRMED, "")


def test_change_keeps_values_and_refuses_a_stale_form(env):
    view = book(env, status=BookingStatus.PROVISIONAL)
    changed = bookings.update_booking(env["admin"], view.id, replace(view.to_input(), purpose="総会", status=BookingStatus.CONFIRMED, expected_people=10))
    assert (changed.purpose, changed.status, changed.expected_people, changed.slip_no) == ("総会", BookingStatus.CONFIRMED, 10, view.slip_no)
    assert changed.version == view.version + 1
    with pytest.raises(StaleEditError):
        bookings.update_booking(env["admin"], view.id, view.to_input(), expected_version=view.version)


def test_cancel_restore_and_attendance_refuse_a_stale_view(env, clock):
    """Each action taken from a dialog opened before another PC saved the booking is refused, as
    a save is, and changes nothing."""
    view = book(env)
    changed = bookings.update_booking(env["admin"], view.id, replace(view.to_input(), note="別の端末"), expected_version=view.version)
    with pytest.raises(StaleEditError):
        bookings.cancel_booking(env["admin"], view.id, "雨天中止", expected_version=view.version)
    assert bookings.get_booking(env["admin"], view.id).status == view.status
    cancelled = bookings.cancel_booking(env["admin"], view.id, "雨天中止", expected_version=changed.version)
    with pytest.raises(StaleEditError):
        bookings.uncancel_booking(env["admin"], view.id, expected_version=changed.version)
    restored = bookings.uncancel_booking(env["admin"], view.id, expected_version=cancelled.version)
    clock(DAY)
    for action in (bookings.check_in, bookings.mark_no_show):
        with pytest.raises(StaleEditError):
            action(env["admin"], view.id, expected_version=view.version)
    with pytest.raises(StaleEditError):
        bookings.record_attendance(env["admin"], view.id, 4, expected_version=view.version)
    assert bookings.record_attendance(env["admin"], view.id, 4, expected_version=restored.version).attendance == 4


def test_check_in_attendance_and_no_show(env, clock):
    view = book(env)
    with pytest.raises(RuleError) as info:
        bookings.record_attendance(env["admin"], view.id, 4)
    assert info.value.rule == "not_yet"
    clock(DAY)
    assert bookings.check_in(env["admin"], view.id).checked_in_at is not None
    used = bookings.record_attendance(env["admin"], view.id, "4")
    assert (used.status, used.attendance) == (BookingStatus.USED, 4)
    other = book(env, start="18:00", end="20:00")
    gone = bookings.mark_no_show(env["admin"], other.id)
    assert (gone.status, gone.attendance) == (BookingStatus.NO_SHOW, None)
    with pytest.raises(ValidationError):
        bookings.record_attendance(env["admin"], other.id, -1)
    assert bookings.record_attendance(env["admin"], other.id, 3).status == BookingStatus.USED  # they came after all


def test_attendance_above_the_room_capacity_is_refused_like_a_booking(env, clock):
    view = book(env)
    clock(DAY)
    with pytest.raises(ValidationError) as info:
        bookings.record_attendance(env["admin"], view.id, 99)
    assert str(info.value) == "会議室1の定員は18人です。" and info.value.problems[0].field == "attendance"
    stored = bookings.get_booking(env["admin"], view.id)
    assert (stored.status, stored.attendance) == (BookingStatus.CONFIRMED, None)  # nothing written
    assert bookings.record_attendance(env["admin"], view.id, 18).attendance == 18  # the capacity itself is allowed


def test_quote_gives_fee_and_refusals_without_writing(env):
    book(env, applicant_name="芦安 三郎")
    quote = bookings.quote_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, "14:00", "16:00"))
    assert not quote.ok and quote.fee.fee == 400
    assert quote.conflict is not None and quote.conflict.applicant_name == "芦安 三郎"
    assert quote.refusals[0].field == "start_time"
    free = bookings.quote_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, "15:00", "17:00"))
    assert free.ok
    with env["db"].read() as session:
        assert len(session.scalars(select(Booking)).all()) == 1


def test_group_with_future_bookings_cannot_be_withdrawn(env):
    view = book(env, group_id=env["group"].id, applicant_name="")
    with pytest.raises(RuleError) as info:
        groups.withdraw_group(env["admin"], env["group"].id, "解散")
    assert info.value.rule == "future_bookings"
    assert "2026-06-09" in str(info.value) and "会議室1" in str(info.value)
    bookings.cancel_booking(env["admin"], view.id, "解散のため")
    with env["db"].read() as session:
        assert groups.future_bookings(session, env["group"].id, TODAY) == []


def test_counter_staff_books_and_signed_out_cannot(env):
    assert bookings.create_booking(env["counter"], make_input(env["rooms"]["M1"])).created_by == "窓口 次郎"
    with pytest.raises(PermissionDenied):
        bookings.create_booking(dataclasses.replace(env["counter"], user=None), make_input(env["rooms"]["M2"]))


def test_a_paused_groups_booking_can_change_its_details_but_not_its_date_time_or_room(env):
    """The defect: a booking of a 休止 group was refused at once, whatever was changed."""
    import dataclasses

    admin, group_id = env["admin"], env["group"].id
    mine = book(env, group_id=group_id, applicant_name="", purpose="例会")
    groups.pause_group(admin, group_id, "活動休止")
    try:
        quote = bookings.quote_booking(admin, mine.to_input(), mine.id)
        assert quote.ok and quote.notes == ("この団体は休止中です。新しい予約はできません。この予約は、団体・部屋・日時を変えなければ変更できます。",)
        changed = bookings.update_booking(admin, mine.id, dataclasses.replace(mine.to_input(), purpose="総会", expected_people=6),
                                          expected_version=mine.version)
        assert (changed.purpose, changed.expected_people) == ("総会", 6)
        for moved in (dict(day=DAY + dt.timedelta(days=1)), dict(start_time=dt.time(12, 0)), dict(room_id=env["rooms"]["M2"])):
            data = dataclasses.replace(changed.to_input(), **moved)
            assert [r.error.rule for r in bookings.quote_booking(admin, data, mine.id).refusals] == ["registration"]
            with pytest.raises(RuleError) as info:
                bookings.update_booking(admin, mine.id, data, expected_version=changed.version)
            assert info.value.rule == "registration"
        with pytest.raises(RuleError):
            book(env, day=DAY + dt.timedelta(days=2), group_id=group_id, applicant_name="")  # no new booking
    finally:
        groups.resume_group(admin, group_id)
