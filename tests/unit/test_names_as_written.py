"""Names, addresses and free text are stored exactly as typed on every path (forms, updates,
imports): compatibility kanji (神 U+FA19, 福 U+FA1B, 塚 U+FA10), a kanji with its variation
selector, and both tildes 〜 (U+301C) and ～ (U+FF5E) are never folded; only search keys fold."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import select

from center_app.db.models import Room
from center_app.domain.booking_values import BookingInput
from center_app.domain.normalize import clean_lines, clean_text
from center_app.domain.roles import Role
from center_app.services import bookings, consultations, consultations_queries, events, groups, staff
from center_app.services.consultations_values import ConsultationInput
from center_app.services.context import ServiceContext
from center_app.services.group_values import GroupInput

WRITTEN = "\uFA19社 \uFA1Bの\uFA10 葛\U000E0102城 〜秋祭り～"


def test_clean_text_keeps_every_such_character():
    assert clean_text(f"  {WRITTEN}\u3000") == WRITTEN
    assert clean_lines(f"{WRITTEN}\n{WRITTEN}") == f"{WRITTEN}\n{WRITTEN}"


def test_group_form_and_update_keep_names_and_address_as_written(admin_ctx):
    group = groups.register_group(admin_ctx, GroupInput(
        name=WRITTEN, name_kana="ジンジャ", legal_form="voluntary", activity_fields=(2,), representative_name="\uFA10本 \U00020BB7子",
        address="甲府市〜1丁目", notes=WRITTEN))
    assert (group.name, group.representative_name, group.address, group.notes) == (WRITTEN, "\uFA10本 \U00020BB7子", "甲府市〜1丁目", WRITTEN)
    edited = dataclasses.replace(GroupInput.from_detail(group), address="甲府市～2丁目")
    changed = groups.update_group(admin_ctx, group.id, edited, expected_version=group.version)
    assert changed.address == "甲府市～2丁目" and changed.name == WRITTEN


def test_a_booking_keeps_the_applicant_and_purpose_as_written(db, admin_ctx, clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    with db.read() as session:
        room = session.scalars(select(Room)).first()
    booked = bookings.create_booking(admin_ctx, BookingInput(
        room_id=room.id, day=dt.date(2026, 6, 9), slot_names=("午後",), applicant_name="\uFA19田 \U00020BB7郎", applicant_phone="055-282-3333",
        applicant_class="resident", purpose="〜準備～", expected_people=3))
    detail = bookings.get_booking(admin_ctx, booked.id)
    assert (detail.applicant_name, detail.purpose) == ("\uFA19田 \U00020BB7郎", "〜準備～")


def test_an_event_and_a_consultation_keep_their_texts_as_written(admin_ctx, clock):
    clock(dt.datetime(2026, 6, 2, 10, 0))
    event = events.save_event(admin_ctx, None, events.EventInput(title=WRITTEN, event_date="2026-07-01", organiser="\uFA1B祉会", contact="〜担当～"))
    stored = events.get_event(admin_ctx, event.id)
    assert (stored.title, stored.organiser, stored.contact) == (WRITTEN, "\uFA1B祉会", "〜担当～")
    staff.create_staff(admin_ctx, "coord", "相談 花子", Role.COORDINATOR, "staff-password-1", "staff-password-1")
    from center_app.services import auth

    coordinator = ServiceContext(admin_ctx.db, auth.sign_in(admin_ctx.db, "coord", "staff-password-1"))
    topic = consultations_queries.list_topics(coordinator)[0].id
    record = consultations.create_consultation(coordinator, ConsultationInput(
        consulted_on=dt.date(2026, 6, 1), method="visit", client_type="individual", client_name="\uFA19田 \U00020BB7子",
        topic_ids=(topic,), content=WRITTEN, staff_user_id=coordinator.user.id))
    again = consultations_queries.get_consultation(coordinator, record.id)
    assert (again.client_name, again.content) == ("\uFA19田 \U00020BB7子", WRITTEN)
