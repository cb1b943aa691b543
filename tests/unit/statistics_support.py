"""A small hand-built data set for the statistics tests, with the figures worked out by hand.

October 2026 (令和8年10月): Mondays 5, 12, 19, 26; 12 is スポーツの日, so that Monday is open and
Tuesday 13 is closed instead → closed 5, 13, 19, 26 → 27 open days; × 3 slots = 81 available
slots per room. 19 rooms (main 7, six district centers × 2) → 1,539 available slots.

Bookings (fees as the booking service stores them: gross − waived = fee, rounded down to 10 yen):

=====  ====  ==================  =========  ==========  ============  =====  ======  ===  ======
 id    room  start               slots      class       status        att.   gross   fee  減免
=====  ====  ==================  =========  ==========  ============  =====  ======  ===  ======
 b1    M1    10-01 09:00 (Thu)   午前 1     registered  used          10     300     0    公益 100%
 b2    M1    10-05 13:00 (Mon*)  午後 1     registered  used          8      400     400  —
 b3    M1    10-12 09:00 (祝Mon) 全日 3     registered  used          20     1100    550  後援 50%
 b4    M2    10-20 18:00         夜間 1     resident    cancelled     —      400     400  —
 b5    M2    10-21 09:00         午前 1     registered  no_show       —      300     300  —
 b6    HA1   10-22 13:00         午後 1     non_res.    used          5      450     220  高齢 50%
 b7    HALL  10-31 18:00         夜間 1     registered  used          50     1600    0    共催 100%
 b8    M1    11-01 09:00         午前 1     registered  used          6      300     300  — (November)
 b9    M1    09-30 18:00         夜間 1     registered  used          7      400     400  — (September)
 b10   M1    2027-03-31 18:00    夜間 1     resident    confirmed     —      400     400  — (FY2026, last)
 b11   M1    2027-04-01 09:00    午前 1     resident    confirmed     —      300     300  — (FY2027)
 b12   M1    2026-04-01 09:00    午前 1     resident    used          3      300     300  — (FY2026, first)
 b13   M1    2026-03-31 18:00    夜間 1     resident    used          4      400     400  — (FY2025)
 b14   M1    2026-12-28 13:00    午後 1     resident    cancelled     —      400     400  — (closed Monday, cancelled)
=====  ====  ==================  =========  ==========  ============  =====  ======  ===  ======

(* 10-05 is a closed Monday, booked with an override reason.) Groups: A (b1, b2, b8, b9),
B (b3, b5), C (b7).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from center_app.db.bookings import Booking
from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationCount, ConsultationTopic, ConsultationTopicLink
from center_app.db.groups import Group
from center_app.db.models import Facility, Room, StaffUser
from center_app.services.context import ServiceContext

#: A day after every booking of the data set: a report made then counts them all as 実績 (used).
AFTER = dt.date(2027, 6, 1)

EXEMPTIONS = {
    "public_interest": ("登録団体の公益活動", 100),
    "city_cohosted": ("市との共催", 100),
    "city_endorsed": ("市の後援", 50),
    "elderly_disabled": ("高齢者・障がい者団体", 50),
}

# (key, room, start, slot names, slot units, class, group, status, attendance, gross, fee, exemption)
BOOKINGS = [
    ("b1", "M1", "2026-10-01 09:00", ["午前"], 1, "registered", "A", "used", 10, 300, 0, "public_interest"),
    ("b2", "M1", "2026-10-05 13:00", ["午後"], 1, "registered", "A", "used", 8, 400, 400, ""),
    ("b3", "M1", "2026-10-12 09:00", ["全日"], 3, "registered", "B", "used", 20, 1100, 550, "city_endorsed"),
    ("b4", "M2", "2026-10-20 18:00", ["夜間"], 1, "resident", None, "cancelled", None, 400, 400, ""),
    ("b5", "M2", "2026-10-21 09:00", ["午前"], 1, "registered", "B", "no_show", None, 300, 300, ""),
    ("b6", "HA1", "2026-10-22 13:00", ["午後"], 1, "non_resident", None, "used", 5, 450, 220, "elderly_disabled"),
    ("b7", "HALL", "2026-10-31 18:00", ["夜間"], 1, "registered", "C", "used", 50, 1600, 0, "city_cohosted"),
    ("b8", "M1", "2026-11-01 09:00", ["午前"], 1, "registered", "A", "used", 6, 300, 300, ""),
    ("b9", "M1", "2026-09-30 18:00", ["夜間"], 1, "registered", "A", "used", 7, 400, 400, ""),
    ("b10", "M1", "2027-03-31 18:00", ["夜間"], 1, "resident", None, "confirmed", None, 400, 400, ""),
    ("b11", "M1", "2027-04-01 09:00", ["午前"], 1, "resident", None, "confirmed", None, 300, 300, ""),
    ("b12", "M1", "2026-04-01 09:00", ["午前"], 1, "resident", None, "used", 3, 300, 300, ""),
    ("b13", "M1", "2026-03-31 18:00", ["夜間"], 1, "resident", None, "used", 4, 400, 400, ""),
    ("b14", "M1", "2026-12-28 13:00", ["午後"], 1, "resident", None, "cancelled", None, 400, 400, ""),
]

_SLOT_END = {"午前": "12:00", "午後": "17:00", "夜間": "22:00", "全日": "22:00"}

# name, kana, registered_on, renewed_on, valid_until, status, status_changed_on
GROUPS = {
    "A": ("あおぞら会", "アオゾラカイ", "2025-05-10", "2026-03-15", "2027-03-31", "registered", "2025-05-10"),
    "B": ("ばら=の会", "バラノカイ", "2026-10-05", None, "2027-03-31", "registered", "2026-10-05"),
    "C": ("@ちどり会", "チドリカイ", "2024-04-01", "2026-10-20", "2027-03-31", "registered", "2024-04-01"),
    "D": ("でいご会", "デイゴカイ", "2023-06-01", None, "2027-03-31", "withdrawn", "2026-10-15"),
    "E": ("えのき会", "エノキカイ", "2022-04-01", None, "2026-03-31", "registered", "2022-04-01"),
    "F": ("ふじ会", "フジカイ", None, None, None, "applied", "2026-10-01"),
    "G": ("ぎんなん会", "ギンナンカイ", "2025-04-01", None, "2027-03-31", "paused", "2026-11-10"),
    "H": ("はす会", "ハスカイ", "2020-01-01", None, "2027-03-31", "withdrawn", "2026-11-02"),
}


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def build(ctx: ServiceContext, *, consultations: bool = True) -> dict[str, int]:
    """Insert the data set; returns ids by key (groups A…H, bookings b1…)."""
    ids: dict[str, int] = {}
    with ctx.db.write() as session:
        rooms = {r.code: r.id for r in session.scalars(select(Room))}
        for key, (name, kana, registered, renewed, until, status, changed) in GROUPS.items():
            group = Group(
                name=name, name_kana=kana, legal_form="voluntary", registered_on=_d(registered), renewed_on=_d(renewed),
                valid_until=_d(until), status=status, status_changed_on=_d(changed),
                registration_no=None if status == "applied" else f"R08-{ord(key) - 64:04d}",
            )
            session.add(group)
            session.flush()
            ids[key] = group.id
        for key, room, start, slots, units, klass, group_key, status, attendance, gross, fee, exemption in BOOKINGS:
            start_at = dt.datetime.fromisoformat(start)
            end_at = dt.datetime.combine(start_at.date(), dt.time.fromisoformat(_SLOT_END[slots[-1]]))
            name, rate = EXEMPTIONS.get(exemption, ("", 0))
            booking = Booking(
                room_id=rooms[room], start_at=start_at, end_at=end_at, slot_names=slots, slot_units=units, status=status,
                group_id=ids[group_key] if group_key else None, applicant_name=GROUPS[group_key][0] if group_key else "山田 太郎",
                applicant_class_code=klass, attendance=attendance, base_fee_yen=gross, gross_fee_yen=gross, fee_yen=fee,
                waived_yen=gross - fee, exemption_code=exemption, exemption_name=name, exemption_rate_percent=rate,
                closed_override_reason="理事会のため" if key == "b2" else "",
            )
            session.add(booking)
            session.flush()
            ids[key] = booking.id
        if consultations:
            _consultations(session, ctx)
    return ids


def _consultations(session, ctx: ServiceContext) -> None:
    """c1 (10-03, visit, civic group, coordinator or admin, 設立+運営, fields 1+3), c2 (10-31,
    phone, individual, admin, confidential, 会計・税務), c3 (11-01, email, company, 設立), c4
    (09-30, visit, other); counts kept for two deleted October records (visit + fax, client
    type other, topic 設立 ×2, field 3 once, 60 minutes)."""
    topics = {t.name: t.id for t in session.scalars(select(ConsultationTopic))}
    staff = {u.login_name: u.id for u in session.scalars(select(StaffUser))}
    admin = staff["admin"]
    coordinator = staff.get("coordinator", admin)
    specs = [
        ("2026-10-03", "visit", "civic_group", coordinator, ["設立", "運営"], [1, 3], False, 30),
        ("2026-10-31", "phone", "individual", admin, ["会計・税務"], [], True, 15),
        ("2026-11-01", "email", "company", admin, ["設立"], [], False, None),
        ("2026-09-30", "visit", "other", admin, [], [], False, None),
    ]
    for day, method, client_type, staff_id, topic_names, fields, confidential, minutes in specs:
        record = Consultation(
            consulted_on=dt.date.fromisoformat(day), method=method, client_type=client_type, staff_user_id=staff_id,
            client_name="相談 者", content="個人情報を含む相談内容", confidential=confidential, duration_minutes=minutes,
        )
        session.add(record)
        session.flush()
        for position, name in enumerate(topic_names):
            session.add(ConsultationTopicLink(consultation_id=record.id, topic_id=topics[name], position=position))
        for position, code in enumerate(fields):
            session.add(ConsultationActivityField(consultation_id=record.id, field_code=code, position=position))
    for dimension, value, count, minutes in [
        ("total", "", 2, 60), ("method", "visit", 1, 0), ("method", "fax", 1, 0), ("client_type", "other", 2, 0),
        ("topic", "設立", 2, 0), ("activity_field", "3", 1, 0),
    ]:
        session.add(ConsultationCount(year=2026, month=10, dimension=dimension, value=value, count=count, minutes=minutes))


def facility_id(ctx: ServiceContext, code: str) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(Facility.id).where(Facility.code == code))
