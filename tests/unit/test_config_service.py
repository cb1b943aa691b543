"""設定 service: validation of every column, cross-field rules, uniqueness, audit, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from center_app.db.models import AuditEntry
from center_app.domain.errors import PermissionDenied, ValidationError
from center_app.services import config, facilities

pytestmark = pytest.mark.postgres


def _room(admin_ctx, code):
    return next(r for r in config.list_rows(admin_ctx, "room") if r.values["code"] == code)


def test_default_configuration_is_loaded(admin_ctx):
    names = [f.name for f in facilities.list_facilities(admin_ctx)]
    assert names[0] == "南アルプス市市民活動センター" and len(names) == 7
    assert len(config.list_rows(admin_ctx, "room")) == 19
    hall = _room(admin_ctx, "HALL")
    assert hall.values["capacity"] == 80
    fees = {(r.values["room_id"], r.values["time_slot_id"]): r.values["fee_yen"] for r in config.list_rows(admin_ctx, "fee")}
    assert sorted(v for (room, _slot), v in fees.items() if room == hall.id) == [1200, 1600, 1600, 4400]


def test_editing_a_room_validates_and_audits(admin_ctx):
    hall = _room(admin_ctx, "HALL")
    with pytest.raises(ValidationError) as error:
        config.save_row(admin_ctx, "room", hall.id, {"capacity": "八十", "name": ""})
    assert {p.field for p in error.value.problems} == {"capacity", "name"}
    assert _room(admin_ctx, "HALL").values["capacity"] == 80  # nothing written
    saved = config.save_row(admin_ctx, "room", hall.id, {"capacity": "１２０"})
    assert saved.values["capacity"] == 120
    with admin_ctx.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "room").order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.before, entry.after) == ("update", {"capacity": 80}, {"capacity": 120})


def test_time_slot_must_end_after_it_starts(admin_ctx):
    slot = config.list_rows(admin_ctx, "time_slot")[0]
    with pytest.raises(ValidationError) as error:
        config.save_row(admin_ctx, "time_slot", slot.id, {"start_time": "13:00", "end_time": "12:00"})
    assert error.value.problems[0].field == "end_time"
    assert config.save_row(admin_ctx, "time_slot", slot.id, {"start_time": "9:30"}).values["start_time"] == dt.time(9, 30)


def test_duplicate_codes_are_refused(admin_ctx):
    main_id = facilities.list_facilities(admin_ctx)[0].id
    with pytest.raises(ValidationError, match="already|既に"):
        config.save_row(admin_ctx, "room", None, {"facility_id": main_id, "code": "HALL", "name": "別ホール", "capacity": "10", "sort_order": "9", "active": True})


def test_new_closed_date_closes_the_facility(admin_ctx):
    main_id = facilities.list_facilities(admin_ctx)[0].id
    day = dt.date(2026, 12, 10)  # a Thursday, normally open
    assert facilities.day_statuses(admin_ctx, main_id, day, 1)[0][1].is_open
    with pytest.raises(ValidationError) as error:
        config.save_row(admin_ctx, "closed_day", None, {"facility_id": main_id, "kind": "date", "closes": True, "name": "臨時休館"})
    assert error.value.problems[0].field == "on_date"
    config.save_row(admin_ctx, "closed_day", None, {"facility_id": main_id, "kind": "date", "on_date": "2026/12/10", "closes": True, "name": "設備点検", "active": True})
    status = facilities.day_statuses(admin_ctx, main_id, day, 1)[0][1]
    assert (status.is_open, status.reason) == (False, "設備点検")


def test_counter_staff_cannot_edit_configuration(counter_ctx):
    with pytest.raises(PermissionDenied):
        config.list_rows(counter_ctx, "room")
    with pytest.raises(PermissionDenied):
        config.save_row(counter_ctx, "room", 1, {"capacity": "5"})


def test_a_slot_outside_opening_hours_is_refused(admin_ctx):
    slot = config.list_rows(admin_ctx, "time_slot")[0]  # 午前 of the main center, open 09:00-22:00
    with pytest.raises(ValidationError, match="09:00"):
        config.save_row(admin_ctx, "time_slot", slot.id, {"start_time": "06:00", "end_time": "08:00"})
