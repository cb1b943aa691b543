"""The rules of 設定 → 使用料と収納: time outside every 区分 (never 0 円), rounding of the class
rate and of 減免, payment deadlines and 仮予約 limits applied by ``bookings expire``, and the
cancellation reasons edited in 設定."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from bookings_support import DAY, TODAY, clear_bookings, context, make_input, room_ids, seeded_database
from sqlalchemy import select, update

from center_app.db.bookings import Booking
from center_app.db.models import AuditEntry
from center_app.domain.booking_values import BookingStatus
from center_app.domain.center_settings import MONEY_RULES, SETTINGS_PAYMENTS
from center_app.domain.errors import RuleError, ValidationError
from center_app.domain.money import OVERDUE, PROVISIONAL_EXPIRED, UNPAID_USED, MoneyState
from center_app.domain.roles import Role
from center_app.services import bookings, center_settings, config, dues, ledger, ledger_refunds

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = seeded_database(tmp_path_factory.mktemp("rules"))
    yield {"db": db, "admin": context(db), "counter": context(db, Role.COUNTER, "窓口 次郎"), "rooms": room_ids(db)}
    db.dispose()


@pytest.fixture(autouse=True)
def _clock_and_cleanup(clock, env):
    clock(dt.datetime(2026, 6, 2, 9, 0))
    yield
    clear_bookings(env["db"])
    center_settings.save(env["admin"], SETTINGS_PAYMENTS, {s.key: s.default for s in MONEY_RULES})


def rules(env, **values):
    center_settings.save(env["admin"], SETTINGS_PAYMENTS, values)


# --- time outside every 区分 ----------------------------------------------------------------------


def test_the_gap_between_two_slots_is_charged_by_the_hour_not_0_yen(env):
    """The defect: 会議室1 booked 12:00–13:00 was quoted and saved at 0 円."""
    data = make_input(env["rooms"]["M1"], DAY, "12:00", "13:00")
    quote = bookings.quote_booking(env["admin"], data)
    assert quote.ok and quote.fee.fee == 100  # 午前 300 円 / 3 h, 午後 400 円 / 4 h → 100 円 an hour
    saved = bookings.create_booking(env["admin"], data)
    assert (saved.fee, saved.money.state) == (100, MoneyState.UNPAID)
    evening = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, "17:00", "18:00"))
    assert evening.fee == 100
    # a slot and the gap after it: the slot's fee and one started hour
    assert bookings.quote_booking(env["admin"], make_input(env["rooms"]["M2"], DAY, "11:00", "12:30")).fee.fee == 300 + 100
    # a room with an hourly fee is charged by the hour anyway
    assert bookings.quote_booking(env["admin"], make_input(env["rooms"]["SPACE"], DAY, "12:00", "13:00")).fee.fee == 100


def test_time_outside_the_slots_can_be_refused_naming_the_slot_times(env):
    rules(env, time_outside_slots="refuse")
    data = make_input(env["rooms"]["M1"], DAY, "12:00", "13:00")
    quote = bookings.quote_booking(env["admin"], data)
    assert not quote.ok
    message = quote.refusals[0].message
    assert "12:00–13:00" in message and "午前 09:00–12:00" in message and "午後 13:00–17:00" in message and "夜間 18:00–22:00" in message
    with pytest.raises(RuleError, match="区分"):
        bookings.create_booking(env["admin"], data)
    with env["db"].read() as session:
        assert session.scalar(select(Booking.id)) is None
    assert bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, "13:00", "15:00")).fee == 400  # within 午後


# --- rounding ----------------------------------------------------------------------------------------


def hatta(env, **extra):
    data = make_input(env["rooms"]["HA1"], DAY, None, None, slot_names=("午前",), applicant_class="non_resident", **extra)
    return bookings.quote_booking(env["admin"], data).fee


def test_rounding_of_the_class_rate_and_of_exemptions_follows_the_settings(env):
    # 八田 会議室 午前 250 円 × 1.5 (市外) = 375 円
    assert (hatta(env).gross, hatta(env).fee) == (370, 370)
    assert (hatta(env, exemption_code="city_endorsed").waived, hatta(env, exemption_code="city_endorsed").fee) == (190, 180)
    rules(env, exemption_rounding="floor_waived")
    assert (hatta(env, exemption_code="city_endorsed").waived, hatta(env, exemption_code="city_endorsed").fee) == (180, 190)
    rules(env, multiplier_rounding="floor_1", exemption_rounding="floor_fee")
    assert hatta(env).gross == 375
    assert hatta(env, exemption_code="public_interest").fee == 0  # 免除 is 0 円 whatever the rounding
    rules(env, exemption_rounding="floor_waived")
    assert hatta(env, exemption_code="public_interest").fee == 0


def test_a_rule_setting_refuses_a_value_that_is_not_a_choice(env):
    with pytest.raises(ValidationError, match="区分外の時間"):
        rules(env, time_outside_slots="free")
    with pytest.raises(ValidationError, match="納付期限"):
        rules(env, payment_deadline_days_before="-1")


# --- deadlines ---------------------------------------------------------------------------------------


def test_bookings_expire_cancels_unpaid_and_unconfirmed_bookings_as_set(env, clock):
    room = env["rooms"]["M1"]
    on = lambda day, slot, **extra: bookings.create_booking(env["admin"], make_input(room, day, None, None, slot_names=(slot,), **extra))  # noqa: E731
    soon = DAY - dt.timedelta(days=3)  # 2026-06-06 (Sat): deadline 06-03
    unpaid = on(soon, "午前")
    partly = on(soon, "午後")
    ledger.record_payment(env["counter"], [partly.id], "cash", "100")
    paid = on(soon, "夜間")
    ledger.record_payment(env["counter"], [paid.id], "cash")
    exempt = on(DAY - dt.timedelta(days=2), "午前", exemption_code="public_interest")
    legacy = on(DAY - dt.timedelta(days=2), "午後")
    with env["db"].write() as session:
        session.execute(update(Booking).where(Booking.id == legacy.id).values(ledger_legacy=True))
    provisional = on(DAY + dt.timedelta(days=14), "午前", status=BookingStatus.PROVISIONAL)  # made 06-02, limit 06-10

    clock(dt.datetime(2026, 6, 4, 9, 0))  # the day after the deadline of the 6th
    listed = {(i.kind, i.booking_id): i for i in dues.due_items(env["counter"])}
    assert listed[(OVERDUE, unpaid.id)].action == "cancel" and listed[(OVERDUE, partly.id)].action == "list"
    assert listed[(OVERDUE, unpaid.id)].limit == dt.date(2026, 6, 3)
    assert {b for _k, b in listed} & {paid.id, exempt.id, legacy.id, provisional.id} == set()

    dry = dues.expire_bookings(env["counter"], dry_run=True)
    assert dry.cancelled == () and {i.booking_id for i in dry.items} == {unpaid.id, partly.id}
    assert bookings.get_booking(env["admin"], unpaid.id).status == BookingStatus.CONFIRMED
    done = dues.expire_bookings(env["counter"])
    assert done.cancelled == (unpaid.id,)
    cancelled = bookings.get_booking(env["admin"], unpaid.id)
    assert cancelled.status == BookingStatus.CANCELLED and "2026-06-03" in cancelled.cancel_reason
    assert bookings.get_booking(env["admin"], partly.id).status == BookingStatus.CONFIRMED
    with env["db"].read() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.entity == "booking", AuditEntry.action == "expire"))
    assert (entry.entity_id, entry.staff_name) == (str(unpaid.id), "窓口 次郎")

    clock(dt.datetime(2026, 6, 11, 9, 0))  # the provisional booking is past its 8 days
    rules(env, provisional_after_limit="list")
    item = next(i for i in dues.due_items(env["counter"]) if i.booking_id == provisional.id)
    assert (item.kind, item.limit, item.action) == (PROVISIONAL_EXPIRED, dt.date(2026, 6, 10), "list")
    assert dues.expire_bookings(env["counter"]).cancelled == ()
    rules(env, provisional_after_limit="cancel")
    assert provisional.id in dues.expire_bookings(env["counter"]).cancelled
    # the partly paid booking of the 6th is now used and still owes the rest
    assert any(i.kind == UNPAID_USED and i.booking_id == partly.id and i.outstanding == 300 for i in dues.due_items(env["counter"]))


def test_a_deadline_set_to_list_never_cancels(env, clock):
    rules(env, unpaid_after_deadline="list", payment_deadline_days_before="5")
    unpaid = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, None, None, slot_names=("午前",)))
    clock(dt.datetime(2026, 6, 5, 9, 0))  # deadline 06-04
    assert [i.booking_id for i in dues.expire_bookings(env["counter"]).items] == [unpaid.id]
    assert bookings.get_booking(env["admin"], unpaid.id).status == BookingStatus.CONFIRMED


# --- cancellation reasons in 設定 --------------------------------------------------------------------


def test_cancellation_reasons_are_edited_in_settings(env):
    with pytest.raises(ValidationError) as caught:
        config.save_row(env["admin"], "cancellation_reason", None, {"code": "early", "name": "", "refund_percent": "150", "sort_order": "5", "active": True})
    assert {p.field for p in caught.value.problems} == {"name", "refund_percent"}
    row = config.save_row(env["admin"], "cancellation_reason", None, {
        "code": "early", "name": "使用者の都合・7日前まで", "refund_percent": "50", "min_days_before": "7", "sort_order": "5", "active": True})
    try:
        assert ("early", "使用者の都合・7日前まで", 50, 7) in [(r.code, r.name, r.refund_percent, r.min_days_before) for r in ledger_refunds.cancellation_reasons(env["counter"])]
    finally:
        config.save_row(env["admin"], "cancellation_reason", row.id, {"active": False})
    with pytest.raises(ValidationError, match="early"):
        booked = bookings.create_booking(env["admin"], make_input(env["rooms"]["M1"], DAY, None, None, slot_names=("午前",)))
        bookings.cancel_booking(env["admin"], booked.id, "", reason_code="early")


def test_a_room_keeps_its_own_conditions_of_use_as_typed(env):
    rows = {r.values["code"]: r for r in config.list_rows(env["admin"], "room")}
    saved = config.save_row(env["admin"], "room", rows["COOK"].id, {"conditions": " 火気は調理台のコンロのみ使用できます。\n\n使用後はガスの元栓を閉めてください。 "})
    assert saved.values["conditions"] == "火気は調理台のコンロのみ使用できます。\n使用後はガスの元栓を閉めてください。"
    config.save_row(env["admin"], "room", rows["COOK"].id, {"conditions": ""})


def test_dataclass_of_rules_is_declared_once():
    assert {s.key for s in MONEY_RULES} >= {"payment_deadline_days_before", "provisional_limit_days", "time_outside_slots"}
    assert all(dataclasses.is_dataclass(s) for s in MONEY_RULES)
    assert TODAY < DAY
