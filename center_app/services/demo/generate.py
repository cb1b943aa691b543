"""The demo data generator behind ``center-app demo`` (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import String, bindparam, cast, func, insert, literal, select, update
from sqlalchemy.orm import Session

from center_app.db.bookings import Booking
from center_app.db.consultations import Consultation, ConsultationActivityField, ConsultationTopic, ConsultationTopicLink
from center_app.db.database import Database
from center_app.db.groups import Group, GroupActivityField
from center_app.db.models import ApplicantClass, Facility, FeeExemption, FeeTable, Room, StaffUser, TimeSlot
from center_app.db.money import DocumentCounter, LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.domain import clock
from center_app.domain.booking_rules import Slot, base_fee, compute_fee, slot_units
from center_app.domain.closed_days import day_status
from center_app.domain.errors import RuleCode, RuleError
from center_app.domain.fiscal import fiscal_year_of, fiscal_year_range, registration_valid_until
from center_app.domain.money import RECEIPT, REFUND, format_number
from center_app.domain.registration_no import format_registration_no
from center_app.domain.roles import Role
from center_app.i18n import _
from center_app.services.auth import hash_password
from center_app.services.consultations_values import CLIENT_TYPES, METHODS, search_text
from center_app.services.demo import equipment as demo_equipment
from center_app.services.demo import grants as demo_grants
from center_app.services.demo import names
from center_app.services.facilities import closed_day_rules
from center_app.services.group_values import LEGAL_FORMS, search_columns
from center_app.services.seed import load_default_configuration

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Profile:
    """Size of a demo data set. Days are counted back from and ahead of ``today``.

    ``slot_share``: share of (room, open day, slot) units booked; ``split_share``: share of the
    booked units let as two half bookings (13:00–15:00 and 15:00–17:00) instead of one.
    ``bookings``: stop at this many (None: no limit).
    """

    groups: int
    history_days: int
    future_days: int
    slot_share: float
    split_share: float
    bookings: int | None
    consultations: int
    coordinators: int = 3
    counter_staff: int = 4


PROFILES: dict[str, Profile] = {
    "small": Profile(groups=300, history_days=365, future_days=60, slot_share=0.3, split_share=0.2, bookings=None, consultations=600),
    "large": Profile(groups=5000, history_days=3650, future_days=90, slot_share=0.78, split_share=0.5, bookings=200_000, consultations=50_000),
}


@dataclass(frozen=True)
class DemoSummary:
    """What was generated: counts and the covered period (local dates)."""

    groups: int
    bookings: int
    consultations: int
    staff: int
    first_day: dt.date
    last_day: dt.date


def _chunks(rows: list[dict], size: int = 5000):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _insert_returning_ids(session: Session, table, rows: list[dict]) -> list[int]:
    ids: list[int] = []
    for chunk in _chunks(rows):
        result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk)
        ids += [row[0] for row in result]
    return ids


def _bulk(session: Session, table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(table), chunk)


def generate(db: Database, profile: str | Profile = "small", seed: int = 1, today: dt.date | None = None,
             progress: Progress | None = None) -> DemoSummary:
    """Fill ``db`` (default configuration loaded if empty) with the demo data set ``profile``
    (a name of :data:`PROFILES` or a :class:`Profile`).

    Refuses with :class:`RuleError` when the database already has groups (demo data never mixes
    with a center's real records). Deterministic for a given ``seed``, ``today`` and clock time.
    Nothing is dated after now (``today`` at the clock's time of day): a booking, payment, refund
    or consultation of today is made, entered or held before this moment.
    """
    spec = PROFILES[profile] if isinstance(profile, str) else profile
    rng = random.Random(seed)
    today = today or clock.today()
    now = dt.datetime.combine(today, clock.now().time())
    report = progress or (lambda _step, _percent: None)
    load_default_configuration(db)
    with db.write() as session:
        if session.scalar(select(func.count()).select_from(Group)):
            raise RuleError(_("This database already has groups; demo data is only added to a new database."), rule=RuleCode.DEMO_ON_EMPTY)
        first, last = today - dt.timedelta(days=spec.history_days), today + dt.timedelta(days=spec.future_days)
        report("staff", 0)
        staff_count, staff_ids = _staff(session, rng, spec)
        report("groups", 5)
        group_rows = _groups(session, rng, spec, today, first)
        report("bookings", 20)
        bookings = _bookings(session, rng, spec, now, first, last, group_rows, report)
        report("consultations", 85)
        consultations = _consultations(session, rng, spec, now, first, staff_ids, group_rows)
        report("services", 95)
        _services(session, rng, today, first, group_rows)
        report("equipment", 95)
        demo_equipment.generate(session, random.Random(seed + 7), today, first, group_rows, now=now)  # its own draws: the rest stays as it was
        demo_grants.generate(session, random.Random(seed + 11), today, group_rows)  # its own draws too
        _number_receipts_in_date_order(session)
        report("done", 100)
        return DemoSummary(len(group_rows), bookings, consultations, staff_count, first, last)


def _person(rng: random.Random) -> tuple[str, str]:
    family, given = rng.choice(names.FAMILY), rng.choice(names.GIVEN)
    return f"{family[0]} {given[0]}", f"{family[1]}　{given[1]}"


def _staff(session: Session, rng: random.Random, spec: Profile) -> tuple[int, list[int]]:
    """Coordinators and counter staff with random passwords (an admin resets one to sign in).
    Returns (accounts created, ids of those who answer consultations)."""
    rows = []
    for role, count in ((Role.COORDINATOR, spec.coordinators), (Role.COUNTER, spec.counter_staff)):
        for i in range(1, count + 1):
            name, _kana = _person(rng)
            rows.append({"login_name": f"demo-{role.value}{i}", "display_name": name, "role": role.value,
                         "password_hash": hash_password(secrets.token_urlsafe(18)), "active": True, "failed_login_count": 0})
    ids = _insert_returning_ids(session, StaffUser.__table__, rows)
    admins = session.scalars(select(StaffUser.id).where(StaffUser.role.in_([Role.ADMIN.value, Role.COORDINATOR.value]))).all()
    return len(ids), sorted(set(ids[: spec.coordinators]) | set(admins))


def _groups(session: Session, rng: random.Random, spec: Profile, today: dt.date, first: dt.date) -> list[dict]:
    combos = [(p, t, s) for p in names.PLACES for t in names.THEMES for s in names.SUFFIXES]
    rng.shuffle(combos)
    if spec.groups > len(combos):
        raise ValueError("not enough name combinations")
    span = max((today - first).days, 1)
    current_fy_end = fiscal_year_range(fiscal_year_of(today))[1]
    serials: dict[int, int] = {}
    rows: list[dict] = []
    for (place, theme, suffix) in combos[: spec.groups]:
        registered = first + dt.timedelta(days=rng.randrange(span))
        fy = fiscal_year_of(registered)
        serials[fy] = serials.get(fy, 0) + 1
        roll = rng.random()
        status, valid_until, renewed = "registered", current_fy_end, None
        if roll < 0.06:
            status = "withdrawn"
            valid_until = registration_valid_until(registered)
        elif roll < 0.09:
            status = "paused"
        elif roll < 0.16:
            valid_until = registration_valid_until(registered)  # not renewed: shows as 期限切れ
        if status != "withdrawn" and fiscal_year_of(registered) < fiscal_year_of(today) and valid_until == current_fy_end:
            renewed = fiscal_year_range(fiscal_year_of(today))[0]
        rep, rep_kana = _person(rng)
        postal, address = rng.choice(names.POSTAL)
        values = {
            "registration_no": format_registration_no(registered, serials[fy]),
            "registration_fiscal_year": fy, "registration_serial": serials[fy],
            "name": f"{place[0]}{theme[0]}{suffix[0]}", "name_kana": f"{place[1]}{theme[1]}{suffix[1]}",
            "legal_form": rng.choices(LEGAL_FORMS, weights=(70, 12, 4, 8, 6))[0],
            "purpose": f"{theme[0]}を通じて地域に貢献する", "activities": f"月{rng.randint(1, 4)}回の{rng.choice(names.PURPOSES)}",
            "representative_name": rep, "representative_kana": rep_kana, "contact_name": "", "contact_kana": "",
            "postal_code": postal, "address": f"{address}{rng.randint(1, 3000)}", "phone": f"055-2{rng.randint(10, 99)}-{rng.randint(0, 9999):04d}",
            "mobile": "", "fax": "", "email": "", "website": "", "member_count": rng.randint(3, 60), "membership_fee": "",
            "founded_on": registered - dt.timedelta(days=rng.randint(0, 3000)), "registered_on": registered, "renewed_on": renewed,
            "valid_until": valid_until, "status": status, "status_changed_on": registered,
            "public_consent": ["name", "activity_fields", "purpose", "activities"] if rng.random() < 0.8 else [],
            "notes": "", "certificate_reissue_count": 0,
        }
        values.update(search_columns(values))
        rows.append(values)
    ids = _insert_returning_ids(session, Group.__table__, rows)
    links = []
    for group_id, values in zip(ids, rows, strict=True):
        values["id"] = group_id
        for position, code in enumerate(rng.sample(range(1, 21), rng.choice((1, 1, 2, 2, 3)))):
            links.append({"group_id": group_id, "field_code": code, "position": position})
    _bulk(session, GroupActivityField.__table__, links)
    return rows


@dataclass(frozen=True)
class _RoomPlan:
    id: int
    facility_id: int
    capacity: int
    hourly_fee: int | None
    slots: tuple[Slot, ...]
    slot_fees: dict[str, int]


def _room_plans(session: Session) -> list[_RoomPlan]:
    slots_by_facility: dict[int, list[Slot]] = {}
    for ts in session.scalars(select(TimeSlot).where(TimeSlot.active.is_(True)).order_by(TimeSlot.facility_id, TimeSlot.sort_order)):
        slots_by_facility.setdefault(ts.facility_id, []).append(Slot(ts.name, ts.start_time, ts.end_time, ts.is_all_day))
    fees: dict[int, dict[str, int]] = {}
    for room_id, name, fee in session.execute(select(FeeTable.room_id, TimeSlot.name, FeeTable.fee_yen).join(TimeSlot)):
        fees.setdefault(room_id, {})[name] = fee
    return [
        _RoomPlan(r.id, r.facility_id, r.capacity, r.fee_per_hour_yen, tuple(slots_by_facility.get(r.facility_id, ())), fees.get(r.id, {}))
        for r in session.scalars(select(Room).where(Room.active.is_(True)).order_by(Room.facility_id, Room.sort_order))
    ]


def _bookings(session: Session, rng: random.Random, spec: Profile, now: dt.datetime, first: dt.date, last: dt.date,
              groups: list[dict], report: Progress) -> int:
    today = now.date()
    plans = _room_plans(session)
    rules = {fid: closed_day_rules(session, fid) for fid in {p.facility_id for p in plans}}
    classes = {c.code: c.fee_multiplier_percent for c in session.scalars(select(ApplicantClass))}
    exemptions = [(e.code, e.name, e.rate_percent) for e in session.scalars(select(FeeExemption).where(FeeExemption.active.is_(True)))]
    active_groups = [g for g in groups if g["status"] != "withdrawn"]
    rows: list[dict] = []
    day, total_days = first, (last - first).days + 1
    while day <= last:
        open_today = {fid: day_status(day, r).is_open for fid, r in rules.items()}
        for plan in plans:
            if not open_today[plan.facility_id]:
                continue
            for slot in (s for s in plan.slots if not s.is_all_day):
                if rng.random() >= spec.slot_share:
                    continue
                if rng.random() < spec.split_share:
                    middle = (dt.datetime.combine(day, slot.start) + (dt.datetime.combine(day, slot.end) - dt.datetime.combine(day, slot.start)) / 2).time()
                    pieces = [((slot.start, middle), ()), ((middle, slot.end), ())]
                else:
                    pieces = [((slot.start, slot.end), (slot.name,))]
                for (start, end), slot_names in pieces:
                    rows.append(_booking_row(rng, plan, day, start, end, slot_names, now, active_groups, classes, exemptions))
        day += dt.timedelta(days=1)
        if (day - first).days % 30 == 0:
            report("bookings", 20 + 40 * (day - first).days // total_days)
    if spec.bookings is not None and len(rows) > spec.bookings:
        rows = sorted(rng.sample(rows, spec.bookings), key=lambda r: (r["start_at"], r["room_id"]))
    money_rng = random.Random(rng.random())  # its own stream: the bookings stay what they were
    settled = [_settlement(money_rng, row, today) for row in rows]
    for row, plan in zip(rows, settled, strict=True):
        row["cancel_reason_code"] = plan.reason_code if plan else ""
    ids = _insert_returning_ids(session, Booking.__table__, rows)
    report("bookings", 75)
    slips = [{"b_id": i, "slip": f"B{fiscal_year_of(r['created_at'].date())}-{i:06d}"} for i, r in zip(ids, rows, strict=True)]
    table = Booking.__table__
    for chunk in _chunks(slips):
        session.execute(update(table).where(table.c.id == bindparam("b_id")).values(slip_no=bindparam("slip")), chunk)
    report("payments", 78)
    facility_of = {p.id: p.facility_id for p in plans}
    _payments(session, money_rng, ids, rows, settled, facility_of, now)
    return len(rows)


@dataclass(frozen=True)
class _Settlement:
    """How a demo booking's fee was settled: paid on ``received_on`` by ``method`` (or not), and
    for a cancelled one the 取消理由 and whether the money was paid back."""

    received_on: dt.date | None
    method: str = "cash"
    reason_code: str = ""
    refunded: bool = False
    voided_first: bool = False


_METHODS = (("cash", 80), ("transfer", 12), ("cashless", 5), ("invoice", 3))


def _settlement(rng: random.Random, row: dict, today: dt.date) -> _Settlement | None:
    """Most bookings are paid at the counter before use (by the deadline, 3 days before), some
    by transfer; a few used ones stay unpaid; future ones are paid as their deadline comes;
    cancelled ones paid before were refunded when the center cancelled, not when the applicant did."""
    day = row["start_at"].date()
    made = row["created_at"].date()
    method = rng.choices([m for m, _w in _METHODS], weights=[w for _m, w in _METHODS])[0]
    status = row["status"]
    if status == "cancelled":
        code = rng.choices(("applicant", "center", "disaster"), weights=(85, 10, 5))[0]
        cancelled = row["cancelled_at"].date()
        if row["fee_yen"] <= 0 or rng.random() > 0.35 or cancelled <= made or cancelled > today:
            return _Settlement(None, reason_code=code)
        paid = made + dt.timedelta(days=rng.randint(0, max(0, (cancelled - made).days - 1)))
        return _Settlement(paid, method, code, refunded=code != "applicant")
    if row["fee_yen"] <= 0 or status == "provisional":
        return None
    deadline = day - dt.timedelta(days=3)
    earliest = max(made, day - dt.timedelta(days=21))
    if day < today:
        if rng.random() < 0.05:
            return None  # used and still unpaid (未収)
        last = min(deadline if rng.random() < 0.85 else day, today)
    else:
        if deadline >= today and rng.random() < 0.7:
            return None  # not yet
        last = min(deadline, today)
    if last < earliest:
        last = min(max(earliest, made), today)
    paid = earliest + dt.timedelta(days=rng.randint(0, max(0, (last - earliest).days)))
    return _Settlement(min(paid, today), method, voided_first=rng.random() < 0.004)


def _payments(session: Session, rng: random.Random, ids: list[int], rows: list[dict], settled: list[_Settlement | None],
              facility_of: dict[int, int], now: dt.datetime) -> None:
    """Payments, refunds and voids of the demo bookings, numbered per fiscal year in the order
    they were received, with the counters left where a real ledger would leave them. Today's
    receipts are spread over the counter's opening hours of the facility up to ``now`` (none
    before it opens: the money planned for today then stays unpaid)."""
    clerks = session.scalars(select(StaffUser.display_name).where(StaffUser.role == Role.COUNTER.value).order_by(StaffUser.id)).all() or ["demo"]
    today, now_minute = now.date(), now.hour * 60 + now.minute
    hours = {f.id: (f.opening_time.hour * 60 + f.opening_time.minute, f.closing_time.hour * 60 + f.closing_time.minute)
             for f in session.scalars(select(Facility))}
    entries = []  # (received_on, minute, booking index, voided)
    for index, plan in enumerate(settled):
        if plan is None or plan.received_on is None:
            continue
        if plan.received_on == today:  # so far today: from the opening to now, a voided entry before its correction
            opening, closing = hours[facility_of[rows[index]["room_id"]]]
            until = min(closing, now_minute)
            if until - opening < 2:
                continue  # the counter has not opened yet
            minute = rng.randint(opening + 1, until - 1)
            if plan.voided_first:
                entries.append((today, rng.randint(opening, minute - 1), index, True))
            entries.append((today, minute, index, False))
            continue
        if plan.voided_first:
            entries.append((plan.received_on, rng.randint(9 * 60, 12 * 60), index, True))
        entries.append((plan.received_on, rng.randint(12 * 60, 17 * 60), index, False))
    entries.sort()
    serials: dict[int, int] = {}
    payment_rows = []
    for day, minute, index, voided in entries:
        row, plan = rows[index], settled[index]
        fiscal_year = fiscal_year_of(day)
        serials[fiscal_year] = serials.get(fiscal_year, 0) + 1
        payment_rows.append({
            "receipt_no": format_number(RECEIPT, fiscal_year, serials[fiscal_year]), "fiscal_year": fiscal_year, "unit": "",
            "serial": serials[fiscal_year], "facility_id": facility_of[row["room_id"]], "group_id": row["group_id"],
            "payer_name": row["applicant_name"], "amount_yen": row["fee_yen"], "method": plan.method, "received_on": day,
            "recorded_at": min(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)), now), "recorded_by_id": None,
            "recorded_by": rng.choice(clerks), "tendered_yen": None, "note": "", "corrects_payment_id": None,
        })
    payment_ids = _insert_returning_ids(session, Payment.__table__, payment_rows)
    _bulk(session, PaymentAllocation.__table__, [
        {"payment_id": pid, "booking_id": ids[index], "amount_yen": rows[index]["fee_yen"]}
        for pid, (_d, _m, index, _v) in zip(payment_ids, entries, strict=True)
    ])
    voids, refunds = [], []
    refund_serials: dict[int, int] = {}
    for pid, prow, (day, _minute, index, voided) in zip(payment_ids, payment_rows, entries, strict=True):
        if voided:
            voids.append({"entry_kind": "payment", "entry_id": pid, "facility_id": prow["facility_id"], "voided_on": day,
                          "reason": "金額の入力誤り（同日に正しく入力）", "recorded_at": min(prow["recorded_at"] + dt.timedelta(minutes=3), now),
                          "recorded_by": prow["recorded_by"]})
        elif settled[index].refunded:
            row = rows[index]
            on = row["cancelled_at"].date()
            fiscal_year = fiscal_year_of(on)
            refund_serials[fiscal_year] = refund_serials.get(fiscal_year, 0) + 1
            refunds.append({
                "refund_no": format_number(REFUND, fiscal_year, refund_serials[fiscal_year]), "kind": "refund", "payment_id": pid,
                "booking_id": ids[index], "target_booking_id": None, "facility_id": prow["facility_id"], "amount_yen": row["fee_yen"],
                "method": prow["method"], "reason": row["cancel_reason"], "rule": "市・センターの都合 100%", "rate_percent": 100,
                "refunded_on": on, "recorded_at": row["cancelled_at"], "recorded_by": prow["recorded_by"], "approved_by": prow["recorded_by"],
            })
    _bulk(session, LedgerVoid.__table__, voids)
    refunds.sort(key=lambda r: r["refund_no"])
    _bulk(session, Refund.__table__, refunds)
    counters = [{"kind": RECEIPT, "fiscal_year": fy, "unit": "", "last_serial": n} for fy, n in serials.items()]
    counters += [{"kind": REFUND, "fiscal_year": fy, "unit": "", "last_serial": n} for fy, n in refund_serials.items()]
    _bulk(session, DocumentCounter.__table__, counters)


def _number_receipts_in_date_order(session: Session) -> None:
    """Number the demo's receipts of each fiscal year (and unit) in the order they were received, as
    a real counter does: the bookings' payments were numbered before those of equipment, printing
    and lockers, so a receipt of 12/05 came after those of 12/06. The counters keep their last
    serial (the count does not change)."""
    table = Payment.__table__
    rows = session.execute(select(table.c.id, table.c.fiscal_year, table.c.unit)
                           .order_by(table.c.fiscal_year, table.c.unit, table.c.received_on, table.c.recorded_at, table.c.id)).all()
    serials: dict[tuple[int, str], int] = {}
    numbers = []
    for row in rows:
        key = (row.fiscal_year, row.unit)
        serials[key] = serials.get(key, 0) + 1
        numbers.append({"p_id": row.id, "serial": serials[key], "number": format_number(RECEIPT, row.fiscal_year, serials[key], row.unit)})
    # first out of the way of the unique numbers, then in place
    session.execute(update(table).values(serial=-table.c.id, receipt_no=literal("tmp-") + cast(table.c.id, String)))
    for chunk in _chunks(numbers):
        session.execute(update(table).where(table.c.id == bindparam("p_id")).values(serial=bindparam("serial"), receipt_no=bindparam("number")),
                        chunk)


def _booking_row(rng, plan: _RoomPlan, day, start, end, slot_names, now, groups, classes, exemptions) -> dict:
    """One demo booking; it was made (and cancelled) no later than ``now``."""
    today = now.date()
    start_at, end_at = dt.datetime.combine(day, start), dt.datetime.combine(day, end)
    registered = rng.random() < 0.8 and groups
    exemption = rng.choice(exemptions) if registered and exemptions and rng.random() < 0.35 else ("", "", 0)
    klass = "registered" if registered else rng.choice(("resident", "resident", "non_resident"))
    base = base_fee(slot_names=slot_names, start=start, end=end, slots=plan.slots, slot_fees=plan.slot_fees, hourly_fee=plan.hourly_fee)
    fee = compute_fee(base, classes.get(klass, 100), exemption[2])
    created = min(start_at - dt.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8)), now)
    expected = rng.randint(max(1, plan.capacity // 4), plan.capacity)
    status, attendance, cancelled_at, reason = "confirmed", None, None, ""
    roll = rng.random()
    if roll < 0.06:
        status, cancelled_at, reason = "cancelled", min(created + dt.timedelta(days=rng.randint(0, 5)), now), rng.choice(("都合により", "会員の体調不良", "日程変更"))
    elif day < today:
        if roll < 0.08:
            status = "no_show"
        else:
            status, attendance = "used", max(1, expected - rng.randint(0, max(1, expected // 3)))
    elif roll < 0.12:
        status = "provisional"
    if registered:
        group = rng.choice(groups)
        applicant = {"group_id": group["id"], "applicant_name": group["name"], "applicant_kana": group["name_kana"], "applicant_phone": group["phone"]}
    else:
        name, kana = _person(rng)
        applicant = {"group_id": None, "applicant_name": name, "applicant_kana": kana, "applicant_phone": f"090-{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}"}
    return {
        "room_id": plan.id, "start_at": start_at, "end_at": end_at, "slot_names": list(slot_names),
        "slot_units": slot_units(start, end, plan.slots), "status": status, **applicant, "applicant_class_code": klass,
        "language": "ja", "purpose": rng.choice(names.PURPOSES), "expected_people": expected, "attendance": attendance,
        "checked_in_at": start_at if attendance else None, "base_fee_yen": fee.base, "gross_fee_yen": fee.gross,
        "fee_yen": fee.fee, "exemption_code": exemption[0], "exemption_name": exemption[1],
        "exemption_rate_percent": exemption[2], "waived_yen": fee.waived, "closed_override_reason": "", "cancel_reason": reason,
        "cancelled_at": cancelled_at, "note": "", "created_at": created, "created_by": "demo", "updated_at": cancelled_at or created,
        "updated_by": "demo",
    }


def _consultations(session: Session, rng: random.Random, spec: Profile, now: dt.datetime, first: dt.date,
                   staff_ids: list[int], groups: list[dict]) -> int:
    """Demo consultations of ``first`` … today, each held and written down before ``now``."""
    today = now.date()
    topics = session.scalars(select(ConsultationTopic.id).order_by(ConsultationTopic.sort_order)).all()
    span = max((today - first).days, 1)
    rows, extra = [], []
    for _i in range(spec.consultations):
        day = first + dt.timedelta(days=rng.randrange(span + 1))
        client_type = rng.choices(CLIENT_TYPES, weights=(50, 25, 7, 4, 12, 2))[0]
        group = rng.choice(groups) if client_type == "civic_group" and groups else None
        name, kana = ("", "") if group else _person(rng)
        done = day < today - dt.timedelta(days=14) or rng.random() < 0.6
        follow_up = rng.random() < 0.2
        start = dt.time(rng.randint(9, 20), rng.choice((0, 15, 30, 45)))
        duration = rng.choice((10, 15, 20, 30, 45, 60, 90))
        if dt.datetime.combine(day, start) > now:  # later today: held yesterday instead
            day -= dt.timedelta(days=1)
        written = min(dt.datetime.combine(day, start) + dt.timedelta(minutes=duration), now)
        values = {
            "consulted_on": day, "start_time": start, "duration_minutes": duration,
            "method": rng.choices(METHODS, weights=(30, 50, 10, 2, 2, 5, 1))[0], "client_type": client_type,
            "group_id": group["id"] if group else None, "client_name": name, "client_kana": kana, "client_contact": "",
            "content": rng.choice(names.CONSULTATION_TOPICS_TEXT), "response": "資料を渡して説明した。", "referral": "",
            "staff_user_id": rng.choice(staff_ids), "follow_up_needed": follow_up,
            "follow_up_due": day + dt.timedelta(days=14) if follow_up else None, "follow_up_done": follow_up and done,
            "status": "done" if done else "open", "completed_on": day if done else None, "confidential": rng.random() < 0.05,
            "created_at": written, "created_by_id": None, "updated_at": written,
        }
        values["search_text"] = search_text(values)
        rows.append(values)
        extra.append((rng.sample(topics, rng.choice((1, 1, 2))) if topics else [], rng.sample(range(1, 21), 1)))
    ids = _insert_returning_ids(session, Consultation.__table__, rows)
    topic_links, field_links = [], []
    for cid, (chosen, fields) in zip(ids, extra, strict=True):
        topic_links += [{"consultation_id": cid, "topic_id": t, "position": p} for p, t in enumerate(chosen)]
        field_links += [{"consultation_id": cid, "field_code": f, "position": p} for p, f in enumerate(fields)]
    _bulk(session, ConsultationTopicLink.__table__, topic_links)
    _bulk(session, ConsultationActivityField.__table__, field_links)
    return len(rows)


def _services(session: Session, rng: random.Random, today: dt.date, first: dt.date, group_rows: list[dict]) -> None:
    """Visitors of every open day of the main facility (関市: 219–432 a month), lockers and letter
    cases allocated for the current term (key out, some mail waiting), and a room lottery for the
    month two ahead, entered this month and drawn only once its entry window has closed (winners
    booked as 仮予約; while the window runs the lottery stays open for entries)."""
    from center_app.db.lockers import LockerAllocation, LockerMail, LockerUnit
    from center_app.db.lottery import LotteryEntry
    from center_app.db.models import Facility
    from center_app.db.visitors import VisitorCount
    from center_app.domain.center_settings import LOCKER_TERM_START_MONTH, MONTHLY_SLOT_CAP, VISITOR_PURPOSES, visitor_purposes
    from center_app.services import center_settings, lockers, lottery
    from center_app.services.bookings_checks import units_in_month

    facility = session.scalars(select(Facility).order_by(Facility.sort_order, Facility.id)).first()
    rules = closed_day_rules(session, facility.id)
    purposes = visitor_purposes(center_settings.get(session, VISITOR_PURPOSES))
    ranges = [(2, 6), (1, 5), (0, 3), (1, 4), (0, 2)] + [(0, 2)] * max(0, len(purposes) - 5)
    rows, day = [], max(first, today - dt.timedelta(days=365))
    while day <= today:
        if day_status(day, rules).is_open:
            for purpose, (low, high) in zip(purposes, ranges):
                count = rng.randint(low, high)
                if count:
                    rows.append({"facility_id": facility.id, "day": day, "purpose": purpose, "count": count, "reason": "",
                                 "recorded_at": dt.datetime.combine(day, dt.time(17, 0)), "recorded_by": "デモ"})
        day += dt.timedelta(days=1)
    _bulk(session, VisitorCount.__table__, rows)

    start_month = center_settings.get(session, LOCKER_TERM_START_MONTH)
    term = lockers.term_of(today, start_month)
    term_first, term_last = lockers.term_dates(term, start_month)
    registered = [g for g in group_rows if g["status"] == "registered" and g.get("registration_no")]
    units = session.scalars(select(LockerUnit).where(LockerUnit.facility_id == facility.id).order_by(LockerUnit.sort_order)).all()
    holders: dict[str, set[int]] = {}
    for unit in units:
        if rng.random() > 0.7:
            continue
        free = [g for g in registered if g["id"] not in holders.setdefault(unit.kind, set())]
        if not free:
            break
        group = rng.choice(free)
        holders[unit.kind].add(group["id"])
        allocation = LockerAllocation(unit_id=unit.id, term=term, group_id=group["id"], starts_on=term_first, ends_on=term_last,
                                      fee_yen=unit.monthly_fee_yen * 12, key_state="issued" if rng.random() < 0.8 else "center",
                                      created_at=dt.datetime.combine(term_first, dt.time(10, 0)), created_by="デモ")
        session.add(allocation)
        session.flush()
        if unit.kind == "letter_case" and rng.random() < 0.2:
            session.add(LockerMail(allocation_id=allocation.id, received_on=today, sender=rng.choice(["南アルプス市役所", "山梨県", "社会福祉協議会"]),
                                   received_by="デモ"))

    window = lottery.window_for(session, today, facility)
    year, number = lottery.parse_month(window.month)
    month_days = [dt.date(year, number, d) for d in range(1, 29) if day_status(dt.date(year, number, d), rules).is_open]
    rooms = session.scalars(select(Room).where(Room.facility_id == facility.id, Room.code.in_(["M1", "M2", "HALL"])).order_by(Room.sort_order)).all()
    month_end = dt.date(year + number // 12, number % 12 + 1, 1) - dt.timedelta(days=1)
    cap = center_settings.get(session, MONTHLY_SLOT_CAP)  # a winner must still be bookable under the group's monthly cap
    valid = [g for g in registered if g["valid_until"] and g["valid_until"] >= month_end
             and units_in_month(session, g["id"], month_end) + window.per_group <= cap]
    if not month_days or not rooms or len(valid) < 8:
        return
    popular = [(rng.choice(rooms), rng.choice(month_days[:10]), rng.choice(["午前", "午後", "夜間"])) for _i in range(6)]
    entrants = rng.sample(valid, 8)
    if today < window.first_entry_day:  # no entries before the window opens
        return
    entered = dt.datetime.combine(window.first_entry_day, dt.time(10, 0))
    for group in entrants:
        for _i in range(rng.randint(1, window.per_group)):
            room, day, slot = rng.choice(popular)
            session.add(LotteryEntry(facility_id=facility.id, month=window.month, group_id=group["id"], room_id=room.id, day=day, slot_name=slot,
                                     people=min(8, room.capacity or 8), entered_at=entered, entered_by="デモ"))
    session.flush()
    if today > window.last_entry_day:  # a window still running is left open, as a real one would be
        lottery.draw_in_session(session, None, facility, window.month, rng.randrange(2**31), after_window=False)
