"""The one edit pattern (services/editing.py): every mutable record carries a version; a save made
from an older version is refused with 「ほかの端末で変更されました。開き直してください。」 naming
who changed it and when, and writes nothing; the version goes up once per save, whatever path
made it; a write that skipped the row lock still cannot overwrite a newer version."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from bookings_support import DAY, TODAY, make_input, room_ids
from sqlalchemy import select, text

from center_app.db.bookings import Booking
from center_app.db.groups import Group
from center_app.db.models import StaffUser
from center_app.domain.center_settings import MONTHLY_SLOT_CAP, SETTINGS_CENTER
from center_app.domain.errors import StaleEditError
from center_app.domain.roles import Role
from center_app.services import auth, bookings, center_settings, config, consultations, consultations_queries, events, groups, staff
from center_app.services.consultations_values import ConsultationInput
from center_app.services.context import CurrentUser, ServiceContext
from center_app.services.group_values import GroupInput

pytestmark = pytest.mark.postgres

STALE = "ほかの端末で変更されました。開き直してください。"
NOON = dt.datetime.combine(TODAY, dt.time(12, 0, 0))


def _pc(ctx: ServiceContext, name: str) -> ServiceContext:
    """The same signed-in account on another PC, named so the message can say who saved first."""
    return ServiceContext(ctx.db, dataclasses.replace(ctx.user, display_name=name))


def test_a_second_save_in_the_same_second_is_refused(admin_ctx, clock):
    """Old code compared whole-second timestamps: a save by PC B in the same second as the booking
    was last written let PC A, opened before it, overwrite B's change silently."""
    clock(NOON)  # the clock stands still: every save happens in the same second
    pc_a, pc_b = _pc(admin_ctx, "窓口 A"), _pc(admin_ctx, "窓口 B")
    room = room_ids(admin_ctx.db)["M1"]
    made = bookings.create_booking(pc_a, make_input(room, DAY, expected_people=5))
    opened_by_a = bookings.get_booking(pc_a, made.id)
    opened_by_b = bookings.get_booking(pc_b, made.id)
    bookings.update_booking(pc_b, made.id, dataclasses.replace(opened_by_b.to_input(), expected_people=8), expected_version=opened_by_b.version)
    with pytest.raises(StaleEditError) as refused:
        bookings.update_booking(pc_a, made.id, dataclasses.replace(opened_by_a.to_input(), purpose="総会"), expected_version=opened_by_a.version)
    assert str(refused.value) == f"{STALE}（2026/06/02 12:00:00 に 窓口 B が変更）"
    stored = bookings.get_booking(pc_a, made.id)
    assert (stored.expected_people, stored.purpose, stored.version) == (8, "打合せ", opened_by_b.version + 1)
    # reopened, A's change goes through
    again = bookings.update_booking(pc_a, made.id, dataclasses.replace(stored.to_input(), purpose="総会"), expected_version=stored.version)
    assert (again.expected_people, again.purpose) == (8, "総会")


def test_one_save_is_one_new_version_and_an_unchanged_save_keeps_it(admin_ctx, clock):
    clock(NOON)
    room = room_ids(admin_ctx.db)["M1"]
    made = bookings.create_booking(admin_ctx, make_input(room, DAY))
    assert made.version == 1  # inserted, then given its slip number in the same transaction
    changed = bookings.update_booking(admin_ctx, made.id, dataclasses.replace(made.to_input(), expected_people=9), expected_version=1)
    assert changed.version == 2 == bookings.get_booking(admin_ctx, made.id).version
    same = bookings.update_booking(admin_ctx, made.id, changed.to_input(), expected_version=2)
    assert same.version == 2
    cancelled = bookings.cancel_booking(admin_ctx, made.id, "雨天")
    assert cancelled.version == 3


def _group(ctx) -> int:
    return groups.register_group(ctx, GroupInput(
        name="白根おはなしの会", name_kana="シラネオハナシノカイ", legal_form="voluntary", activity_fields=(2,), representative_name="山田 花子",
    )).id


def _edit_group(ctx, first: bool):
    group_id = _group(ctx)
    detail = groups.get_group(ctx, group_id)

    def save(who, value):
        changed = dataclasses.replace(GroupInput.from_detail(detail), member_count=value)
        return groups.update_group(who, group_id, changed, expected_version=detail.version)
    return save, lambda: groups.get_group(ctx, group_id).member_count


def _edit_consultation(ctx, first: bool):
    topic = consultations_queries.list_topics(ctx)[0].id
    record = consultations.create_consultation(ctx, ConsultationInput(
        consulted_on=TODAY, method="visit", client_type="individual", client_name="相談 太郎", topic_ids=(topic,),
        content="設立の相談", staff_user_id=ctx.user.id,
    ))

    def save(who, value):
        changed = dataclasses.replace(record.as_input(), duration_minutes=str(value))
        return consultations.update_consultation(who, record.id, changed, expected_version=record.version)
    return save, lambda: consultations_queries.get_consultation(ctx, record.id).duration_minutes


def _edit_staff(ctx, first: bool):
    made = staff.create_staff(ctx, "clerk", "窓口 一郎", Role.COUNTER, "staff-password-1", "staff-password-1")

    def save(who, value):
        return staff.update_staff(who, made.id, display_name=f"窓口 {value}", role=Role.COUNTER, active=True, expected_version=made.version)
    return save, lambda: next(u.display_name for u in staff.list_staff(ctx) if u.id == made.id).removeprefix("窓口 ")


def _edit_room(ctx, first: bool):
    row = next(r for r in config.list_rows(ctx, "room") if r.values["code"] == "M1")

    def save(who, value):
        return config.save_row(who, "room", row.id, {"capacity": str(value)}, expected_version=row.version)
    return save, lambda: next(r for r in config.list_rows(ctx, "room") if r.id == row.id).values["capacity"]


def _edit_center_settings(ctx, first: bool):
    shown = {v.spec.key: v for v in center_settings.values_for(ctx, SETTINGS_CENTER)}
    versions = {key: value.version for key, value in shown.items()}

    def save(who, value):
        return center_settings.save(who, SETTINGS_CENTER, {MONTHLY_SLOT_CAP.key: str(value)}, expected_versions=versions)
    return save, lambda: center_settings.get(ctx, MONTHLY_SLOT_CAP)


def _edit_event(ctx, first: bool):
    saved = events.save_event(ctx, None, events.EventInput(title="講座", capacity="10"))

    def save(who, value):
        return events.save_event(who, saved.id, events.EventInput(title="講座", capacity=str(value)), expected_version=saved.version)
    return save, lambda: events.get_event(ctx, saved.id).capacity


def _edit_topic(ctx, first: bool):
    topic = consultations_queries.list_topics(ctx)[0]

    def save(who, value):
        return consultations.save_topic(who, topic.id, topic.name, value, expected_version=topic.version)
    return save, lambda: next(t.sort_order for t in consultations_queries.list_topics(ctx, include_inactive=True) if t.id == topic.id)


@pytest.mark.parametrize("record", [_edit_group, _edit_consultation, _edit_staff, _edit_room, _edit_center_settings, _edit_event, _edit_topic],
                         ids=["group", "consultation", "staff", "settings_row", "center_settings", "event", "topic"])
def test_every_mutable_record_refuses_a_save_from_an_older_version(admin_ctx, clock, record):
    clock(NOON)
    save, stored = record(admin_ctx, True)
    save(_pc(admin_ctx, "管理 B"), 12)
    with pytest.raises(StaleEditError) as refused:
        save(_pc(admin_ctx, "管理 A"), 15)
    assert str(refused.value).startswith(STALE) and "管理 B" in str(refused.value)
    assert stored() in (12, "12")


def test_a_write_that_skipped_the_row_lock_cannot_overwrite_a_newer_version(admin_ctx):
    """The last guard: the UPDATE names the version it read (SQLAlchemy's version counter), so a
    path that forgot to lock is refused instead of silently overwriting."""
    group_id = _group(admin_ctx)
    with pytest.raises(StaleEditError, match=STALE):
        with admin_ctx.db.write() as session:
            group = session.get(Group, group_id)
            session.execute(text("UPDATE groups SET version = version + 1, notes = 'other PC' WHERE id = :id"), {"id": group_id})
            group.notes = "this PC"
    assert groups.get_group(admin_ctx, group_id).notes == ""  # the refused transaction wrote nothing


def test_sign_ins_do_not_make_a_new_version_of_the_account(admin_ctx):
    made = staff.create_staff(admin_ctx, "clerk", "窓口 一郎", Role.COUNTER, "staff-password-1", "staff-password-1")
    auth.sign_in(admin_ctx.db, "clerk", "staff-password-1")
    with pytest.raises(Exception):
        auth.sign_in(admin_ctx.db, "clerk", "wrong-password")
    saved = staff.update_staff(admin_ctx, made.id, display_name="窓口 一郎", role=Role.COORDINATOR, active=True, expected_version=made.version)
    assert saved.role == Role.COORDINATOR


def test_existing_rows_start_at_version_one(db):
    with db.read() as session:
        assert set(session.scalars(select(Booking.version))) <= {1}
        assert set(session.scalars(select(StaffUser.session_epoch))) <= {0}
        assert session.execute(text("SELECT min(version), max(version) FROM rooms")).one() == (1, 1)


def test_a_command_line_user_edits_like_anyone(db, clock):
    clock(NOON)
    cli = ServiceContext(db, CurrentUser(None, "cli:desk", "CLI (desk)", Role.ADMIN))
    group_id = _group(cli)
    detail = groups.get_group(cli, group_id)
    groups.update_group(cli, group_id, dataclasses.replace(GroupInput.from_detail(detail), notes="1"), expected_version=detail.version)
    with pytest.raises(StaleEditError, match="CLI \\(desk\\)"):
        groups.update_group(cli, group_id, dataclasses.replace(GroupInput.from_detail(detail), notes="2"), expected_version=detail.version)
