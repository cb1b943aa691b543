"""Loading the default configuration (resources/seed/default_center.json) into an empty database."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from center_app import paths
from center_app.db.database import Database
from center_app.db.models import (
    ApplicantClass,
    ClosedDayRule,
    Facility,
    FeeExemption,
    FeeTable,
    Room,
    TimeSlot,
)
from center_app.domain.center_settings import CENTER_NAME, HEAD_TITLE, MONTHLY_SLOT_CAP, REGISTRATION_NO_PATTERN
from center_app.services import center_settings, equipment
from center_app.services.editing import lock_name

_WEEKDAYS_JA = "月火水木金土日"


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def default_configuration() -> dict[str, Any]:
    """The parsed seed file."""
    path = paths.seed_dir() / "default_center.json"
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_default_configuration(db: Database) -> bool:
    """Fill an empty database with the default configuration. Returns False if it has facilities."""
    with db.write() as session:
        lock_name(session, "configuration")  # two PCs starting on a new database load it once
        if session.scalar(select(func.count()).select_from(Facility)):
            return False
        _load(session, default_configuration())
        return True


def _load(session: Session, config: dict[str, Any]) -> None:
    for order, item in enumerate(config["applicant_classes"]):
        session.add(
            ApplicantClass(
                code=item["code"],
                name=item["name"],
                fee_multiplier_percent=round(float(item["fee_multiplier"]) * 100),
                booking_horizon_months=int(item["booking_horizon_months"]),
                sort_order=order,
            )
        )
    for order, item in enumerate(config["exemptions"]):
        session.add(FeeExemption(code=item["code"], name=item["name"], rate_percent=int(item["rate_percent"]), sort_order=order))
    center_settings.seed(session, {
        MONTHLY_SLOT_CAP: config.get(MONTHLY_SLOT_CAP.key, MONTHLY_SLOT_CAP.default),
        REGISTRATION_NO_PATTERN: REGISTRATION_NO_PATTERN.default,  # its row is what number assignment locks
        CENTER_NAME: config["facilities"][0]["name"],
        HEAD_TITLE: HEAD_TITLE.default,
    })
    closed = config["closed_days"]
    for order, item in enumerate(config["facilities"]):
        opening, closing = item["opening"].split("-")
        facility = Facility(
            code=item["code"], name=item["name"], is_main=order == 0,
            opening_time=_time(opening), closing_time=_time(closing), sort_order=order,
        )
        session.add(facility)
        slots = []
        for slot_order, slot in enumerate(item["slots"]):
            ts = TimeSlot(facility=facility, name=slot["name"], start_time=_time(slot["start"]), end_time=_time(slot["end"]), sort_order=slot_order)
            session.add(ts)
            slots.append(ts)
        all_day = None
        if item.get("all_day_slot"):
            spec = item["all_day_slot"]
            all_day = TimeSlot(facility=facility, name=spec["name"], start_time=_time(spec["start"]), end_time=_time(spec["end"]), is_all_day=True, sort_order=len(slots))
            session.add(all_day)
        for room_order, spec in enumerate(item["rooms"]):
            room = Room(facility=facility, code=spec["code"], name=spec["name"], capacity=int(spec["capacity"]), fee_per_hour_yen=spec.get("fee_per_hour_yen"), sort_order=room_order)
            session.add(room)
            fees = spec.get("fee_per_slot_yen") or {}
            for ts in slots:
                if ts.name in fees:
                    session.add(FeeTable(room=room, time_slot=ts, fee_yen=int(fees[ts.name])))
            if all_day is not None and fees:
                session.add(FeeTable(room=room, time_slot=all_day, fee_yen=sum(int(fees[ts.name]) for ts in slots if ts.name in fees)))
        for day in closed.get("weekly", []):
            session.add(ClosedDayRule(facility=facility, kind="weekly", weekday=_WEEKDAYS_JA.index(day), holiday_shift=True, name="休館日"))
        for rng in closed.get("ranges", []):
            session.add(ClosedDayRule(facility=facility, kind="range", from_md=rng["from"], to_md=rng["to"], name=rng["name"]))
        session.add(ClosedDayRule(facility=facility, kind="holidays", closes=str(closed.get("national_holidays", "")).startswith("closed"), name="祝日"))
        equipment_spec = config.get("equipment") or {}
        if equipment_spec.get("facility") == item["code"]:
            session.flush()
            equipment.seed_items(session, facility, equipment_spec.get("items", []))
        if order == 0:
            _load_locker_units(session, facility, config.get("locker_units", {}).get("units", []))


def _load_locker_units(session: Session, facility: Facility, specs: list[dict[str, Any]]) -> None:
    """The lockers and letter cases of the main facility: ``count`` units of a kind, coded
    ``prefix`` + a two-digit number (L-01)."""
    from center_app.db.lockers import LockerUnit

    session.flush()
    order = 0
    for spec in specs:
        for number in range(1, int(spec["count"]) + 1):
            session.add(LockerUnit(facility_id=facility.id, code=f"{spec['prefix']}{number:02d}", kind=spec["kind"], size=spec.get("size", ""),
                                   monthly_fee_yen=int(spec["monthly_fee_yen"]), sort_order=order))
            order += 1
