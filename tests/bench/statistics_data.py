"""A ten-year data set of a busy center for the statistics benchmark (DESIGN.md §8): the default
configuration (7 facilities, 19 rooms), 5,000 groups, 200,000 bookings and 50,000 consultations
from FY2016 to FY2025, generated from a fixed seed and bulk-inserted with Core.

``python tests/bench/statistics_data.py URL`` fills an empty database at URL (also used for
the screenshots of the 集計 screen). :func:`cached_sqlite` keeps one generated file per version
under the temp folder, so repeated benchmark runs skip the ~20 s of generation.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
import tempfile
from pathlib import Path

from sqlalchemy import insert, select

from center_app.db.bookings import Booking
from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationTopic, ConsultationTopicLink
from center_app.db.database import open_database, sqlite_url
from center_app.db.groups import Group
from center_app.db.models import FeeExemption, FeeTable, Room, StaffUser, TimeSlot
from center_app.services.seed import load_default_configuration

VERSION = 1
SEED = 20260401
FIRST_DAY = dt.date(2016, 4, 1)
LAST_DAY = dt.date(2026, 3, 31)
GROUPS, BOOKINGS, CONSULTATIONS = 5_000, 200_000, 50_000
CHUNK = 10_000


def fill(url: str, *, groups: int = GROUPS, bookings: int = BOOKINGS, consultations: int = CONSULTATIONS) -> None:
    """Seed and fill the (new, empty) database at ``url``."""
    rng = random.Random(SEED)
    db = open_database(url)
    load_default_configuration(db)
    days = (LAST_DAY - FIRST_DAY).days + 1
    with db.write() as session:
        staff = []
        for i, (login, name, role) in enumerate((("admin", "管理 花子", "admin"), ("coord1", "相談 一郎", "coordinator"),
                                                  ("coord2", "支援 二美", "coordinator"), ("counter", "窓口 三太", "counter"))):
            user = StaffUser(login_name=login, display_name=name, password_hash="x", role=role)
            session.add(user)
            session.flush()
            if role != "counter":
                staff.append(user.id)
        rooms = list(session.execute(select(Room.id, Room.facility_id, Room.capacity, Room.fee_per_hour_yen)))
        fees = {(r, s): f for r, s, f in session.execute(select(FeeTable.room_id, TimeSlot.name, FeeTable.fee_yen).join(TimeSlot))}
        exemptions = list(session.execute(select(FeeExemption.code, FeeExemption.name, FeeExemption.rate_percent)))
        topics = list(session.scalars(select(ConsultationTopic.id)))

        group_rows = []
        for i in range(groups):
            registered = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
            fy_end = dt.date(registered.year + (registered.month >= 4), 3, 31)
            years = rng.choice((0, 1, 2, 3, 5, 10))
            valid_until = dt.date(min(fy_end.year + years, 2027), 3, 31)
            renewed = dt.date(valid_until.year - 1, rng.choice((3, 4)), rng.randint(1, 28)) if valid_until > fy_end else None
            status = rng.choices(("registered", "paused", "withdrawn", "applied"), (85, 5, 8, 2))[0]
            group_rows.append({
                "registration_no": None if status == "applied" else f"B{i:05d}", "name": f"ベンチ団体{i:05d}",
                "name_kana": f"ベンチダンタイ{i:05d}", "legal_form": "voluntary",
                "registered_on": None if status == "applied" else registered, "renewed_on": renewed,
                "valid_until": None if status == "applied" else valid_until, "status": status,
                "status_changed_on": registered if status in ("registered", "applied") else valid_until - dt.timedelta(days=rng.randrange(300)),
                "public_consent": [],
            })
        session.execute(insert(Group), group_rows)
        group_ids = list(session.scalars(select(Group.id).where(Group.status != "applied")))

        slots = (("午前", 9, 12, 1), ("午後", 13, 17, 1), ("夜間", 18, 21, 1), ("全日", 9, 21, 3))
        rows = []
        for _ in range(bookings):
            room_id, _facility, capacity, per_hour = rng.choice(rooms)
            day = FIRST_DAY + dt.timedelta(days=rng.randrange(days))
            name, start, end, units = rng.choices(slots, (30, 35, 25, 10))[0]
            base = fees.get((room_id, name)) or (per_hour or 100) * (end - start)
            klass = rng.choices(("registered", "resident", "non_resident"), (70, 22, 8))[0]
            gross = base * 3 // 2 if klass == "non_resident" else base
            code, ex_name, rate = rng.choice(exemptions) if rng.random() < 0.2 else ("", "", 0)
            fee = (gross * (100 - rate) // 100) // 10 * 10
            status = rng.choices(("used", "cancelled", "no_show", "confirmed", "provisional"), (80, 7, 2, 8, 3))[0]
            rows.append({
                "room_id": room_id, "start_at": dt.datetime.combine(day, dt.time(start)), "end_at": dt.datetime.combine(day, dt.time(end)),
                "slot_names": [name], "slot_units": units, "status": status,
                "group_id": rng.choice(group_ids) if klass == "registered" else None, "applicant_name": "ベンチ 利用者",
                "applicant_class_code": klass, "attendance": rng.randint(2, capacity) if status == "used" else None,
                "base_fee_yen": base, "gross_fee_yen": gross, "fee_yen": fee, "waived_yen": gross - fee,
                "exemption_code": code, "exemption_name": ex_name, "exemption_rate_percent": rate,
            })
            if len(rows) == CHUNK:
                session.execute(insert(Booking), rows)
                rows = []
        if rows:
            session.execute(insert(Booking), rows)

        methods = ("visit", "phone", "email", "fax", "letter", "online", "outreach")
        client_types = ("civic_group", "individual", "company", "government", "support_org", "other")
        next_id = (session.scalar(select(Consultation.id).order_by(Consultation.id.desc()).limit(1)) or 0) + 1
        records, topic_links, field_links = [], [], []
        for i in range(consultations):
            cid = next_id + i
            records.append({
                "id": cid, "consulted_on": FIRST_DAY + dt.timedelta(days=rng.randrange(days)),
                "method": rng.choices(methods, (40, 30, 15, 2, 1, 10, 2))[0], "client_type": rng.choice(client_types),
                "staff_user_id": rng.choice(staff), "duration_minutes": rng.choice((15, 30, 45, 60, 90)),
                "status": "done", "client_name": "ベンチ 相談者",
            })
            for position, topic in enumerate(rng.sample(topics, rng.choice((1, 1, 2)))):
                topic_links.append({"consultation_id": cid, "topic_id": topic, "position": position})
            for position, code in enumerate(rng.sample(range(1, 21), rng.choice((0, 1, 2)))):
                field_links.append({"consultation_id": cid, "field_code": code, "position": position})
            if len(records) == CHUNK:
                session.execute(insert(Consultation), records)
                records = []
        if records:
            session.execute(insert(Consultation), records)
        session.execute(insert(ConsultationTopicLink), topic_links)
        session.execute(insert(ConsultationActivityField), field_links)
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    db.dispose()


def cached_sqlite(target: Path) -> Path:
    """A copy of the generated SQLite data set at ``target`` (generated once per VERSION)."""
    cache = Path(tempfile.gettempdir()) / "center-desk-bench" / f"statistics-v{VERSION}.sqlite3"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        fill(sqlite_url(partial))
        partial.rename(cache)
    shutil.copyfile(cache, target)
    return target


if __name__ == "__main__":  # pragma: no cover
    fill(sys.argv[1])
