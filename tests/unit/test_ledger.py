"""The money ledger: payments with receipt numbers, money states derived from the ledger,
refunds by the cancellation rules, 充当, voids (訂正), the day close — and every bad input
refused with a message naming the booking or receipt, writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from bookings_support import DAY, TODAY, clear_bookings, context, make_input, room_ids, seeded_database
from sqlalchemy import func, select, update

from center_app.db.bookings import Booking
from center_app.db.models import AuditEntry, Facility
from center_app.db.money import CancellationReason, DocumentCounter, LedgerVoid, Payment, Refund
from center_app.domain.booking_values import BookingStatus
from center_app.domain.errors import PermissionDenied, RuleCode, RuleError, ValidationError
from center_app.domain.money import MoneyState, change_due, format_number, normalize_number, parse_yen, refund_for_rate
from center_app.domain.roles import Role
from center_app.services import bookings, ledger, ledger_close, ledger_refunds

pytestmark = pytest.mark.postgres

NOW = dt.datetime(2026, 6, 2, 10, 30)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    db = seeded_database(tmp_path_factory.mktemp("ledger"))
    yield {"db": db, "admin": context(db), "counter": context(db, Role.COUNTER, "窓口 次郎"),
           "coordinator": context(db, Role.COORDINATOR, "相談 三郎"), "rooms": room_ids(db)}
    db.dispose()


@pytest.fixture(autouse=True)
def _clock_and_cleanup(clock, env):
    clock(NOW)
    yield
    clear_bookings(env["db"])
    with env["db"].write() as session:
        session.execute(update(Facility).values(own_receipt_series=False))


def book(env, room="M1", day=DAY, slot="午後", **extra):
    return bookings.create_booking(env["admin"], make_input(env["rooms"][room], day, None, None, slot_names=(slot,), **extra))


def state(env, booking_id):
    return bookings.get_booking(env["admin"], booking_id).money


def ledger_rows(env):
    with env["db"].read() as session:
        return (session.scalar(select(func.count()).select_from(Payment)), session.scalar(select(func.count()).select_from(Refund)),
                session.scalar(select(func.count()).select_from(LedgerVoid)),
                tuple(session.execute(select(DocumentCounter.kind, DocumentCounter.last_serial).order_by(DocumentCounter.kind)).all()))


# --- pure rules ------------------------------------------------------------------------------------


def test_numbers_amounts_and_change():
    assert format_number("receipt", 2026, 12) == "R2026-000012"
    assert format_number("receipt", 2026, 3, "hatta") == "HATTA-R2026-000003"
    assert normalize_number("ｒ２０２６－１２") == "R2026-000012"
    assert normalize_number(" hatta-r2026-3 ") == "HATTA-R2026-000003"
    assert parse_yen("１，６００円") == 1600 and parse_yen("¥400") == 400 and parse_yen(-5) == -5
    for bad in ("1600.5", "千円", "", "1e3"):
        with pytest.raises(ValueError, match="円単位"):
            parse_yen(bad)
    assert parse_yen("99,999,999") == 99_999_999
    with pytest.raises(ValueError, match="99,999,999"):  # お預かり 99999999999999999999 gave お釣り of 20 digits
        parse_yen("99999999999999999999")
    assert refund_for_rate(1610, 50) == 805 and refund_for_rate(333, 50) == 166
    assert change_due(400, 1000) == 600
    with pytest.raises(ValueError):
        change_due(400, 100)


# --- paying ----------------------------------------------------------------------------------------


def test_a_payment_gets_the_next_receipt_number_and_the_booking_becomes_paid(env):
    booked = book(env)
    assert booked.fee == 400 and booked.money.state == MoneyState.UNPAID
    paid = ledger.record_payment(env["counter"], [booked.id], "cash", tendered="1,000")
    assert (paid.receipt_no, paid.amount, paid.change, paid.method_label) == ("R2026-000001", 400, 600, "現金")
    assert (paid.received_on, paid.recorded_by, paid.payer_name) == (TODAY, "窓口 次郎", "山田 太郎")
    assert [b.slip_no for b in paid.bookings] == [booked.slip_no]
    money = state(env, booked.id)
    assert (money.state, money.label, money.outstanding) == (MoneyState.PAID, "納付済", 0)
    again = ledger.record_payment(env["counter"], [book(env, slot="夜間").id], "transfer")
    assert again.receipt_no == "R2026-000002"
    with env["db"].read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "payment").order_by(AuditEntry.id)).first()
    assert (entry.entity_id, entry.action, entry.staff_name, entry.after["amount_yen"]) == ("R2026-000001", "create", "窓口 次郎", 400)


def test_part_payments_then_the_rest_and_one_payment_for_several_bookings(env):
    first, second = book(env), book(env, slot="夜間")
    part = ledger.record_payment(env["counter"], [first.id], "cash", "100")
    assert state(env, first.id).state == MoneyState.PARTLY_PAID and state(env, first.id).label == "一部納付"
    rest = ledger.record_payment(env["counter"], [first.id, second.id], "cash")
    assert rest.amount == 300 + 400
    assert [b.amount for b in rest.bookings] == [300, 400]
    assert {state(env, b).state for b in (first.id, second.id)} == {MoneyState.PAID}
    assert (part.receipt_no, rest.receipt_no) == ("R2026-000001", "R2026-000002")


def test_paying_a_provisional_booking_in_full_confirms_it(env):
    booked = book(env, status=BookingStatus.PROVISIONAL)
    ledger.record_payment(env["counter"], [booked.id], "cash", "100")
    assert bookings.get_booking(env["admin"], booked.id).status == BookingStatus.PROVISIONAL
    ledger.record_payment(env["counter"], [booked.id], "cash")
    assert bookings.get_booking(env["admin"], booked.id).status == BookingStatus.CONFIRMED


def test_an_exempt_booking_is_exempt_and_cannot_be_paid(env):
    booked = book(env, exemption_code="public_interest")
    assert (booked.fee, booked.money.state, booked.money.label) == (0, MoneyState.EXEMPT, "免除")
    before = ledger_rows(env)
    with pytest.raises(ValidationError, match=f"{booked.slip_no}.*0 円|{booked.slip_no}.*免除"):
        ledger.record_payment(env["counter"], [booked.id], "cash")
    assert ledger_rows(env) == before


@pytest.mark.parametrize(("amount", "message"), [
    ("-100", "0 円より"), ("0", "0 円より"), ("150.5", "円単位"), ("千円", "円単位"), ("401", "超えて"),
])
def test_bad_amounts_are_refused_and_nothing_is_written(env, amount, message):
    booked = book(env)
    before = ledger_rows(env)
    with pytest.raises(ValidationError, match=message) as caught:
        ledger.record_payment(env["counter"], [booked.id], "cash", amount)
    assert caught.value.problems[0].field == "amount"
    assert ledger_rows(env) == before
    assert state(env, booked.id).state == MoneyState.UNPAID


def test_cancelled_paid_and_mixed_bookings_are_refused_by_name(env):
    cancelled = book(env)
    bookings.cancel_booking(env["admin"], cancelled.id, "日程変更")
    paid = book(env, slot="夜間")
    ledger.record_payment(env["counter"], [paid.id], "cash")
    other = book(env, slot="午前", applicant_name="櫛形 次郎")
    before = ledger_rows(env)
    with pytest.raises(ValidationError) as caught:
        ledger.record_payment(env["counter"], [cancelled.id, paid.id], "cash")
    text = str(caught.value)
    assert f"予約 {cancelled.slip_no} は取り消されて" in text and f"予約 {paid.slip_no} は納付済" in text
    with pytest.raises(ValidationError, match=f"{other.slip_no}.*櫛形 次郎"):
        ledger.record_payment(env["counter"], [book(env, room="M2").id, other.id], "cash")
    with pytest.raises(ValidationError, match="9999"):
        ledger.record_payment(env["counter"], [9999], "cash")
    with pytest.raises(ValidationError, match="支払方法"):
        ledger.record_payment(env["counter"], [other.id], "bitcoin")
    with pytest.raises(ValidationError, match="先の日付"):
        ledger.record_payment(env["counter"], [other.id], "transfer", received_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="お預かり"):
        ledger.record_payment(env["counter"], [other.id], "cash", tendered="100")
    assert ledger_rows(env) == before


def test_coordinators_do_not_handle_money(env):
    booked = book(env)
    with pytest.raises(PermissionDenied):
        ledger.record_payment(env["coordinator"], [booked.id], "cash")


def test_receipt_numbers_follow_the_fiscal_year_of_the_day_received(env, clock):
    clock(dt.datetime(2027, 3, 31, 16, 0))
    late = book(env, day=dt.date(2027, 4, 6))
    evening = book(env, day=dt.date(2027, 4, 6), slot="夜間")
    earlier = ledger.record_payment(env["counter"], [late.id], "cash", "100")
    clock(dt.datetime(2027, 4, 1, 9, 0))
    new_year = ledger.record_payment(env["counter"], [late.id], "cash")
    with pytest.raises(ValidationError) as before_booked:
        ledger.record_payment(env["counter"], [evening.id], "transfer", received_on=dt.date(2027, 3, 30))
    assert "予約より前" in str(before_booked.value)
    transfer = ledger.record_payment(env["counter"], [evening.id], "transfer", received_on=dt.date(2027, 3, 31))  # came in yesterday
    assert (earlier.receipt_no, new_year.receipt_no, transfer.receipt_no) == ("R2026-000001", "R2027-000001", "R2026-000002")


def test_a_facility_with_its_own_cash_numbers_its_own_receipts(env):
    with env["db"].write() as session:
        session.execute(update(Facility).where(Facility.code == "hatta").values(own_receipt_series=True))
    main = ledger.record_payment(env["counter"], [book(env).id], "cash")
    hatta = ledger.record_payment(env["counter"], [book(env, room="HA1").id], "cash")
    shirane = ledger.record_payment(env["counter"], [book(env, room="SH1").id], "cash")
    assert (main.receipt_no, hatta.receipt_no, shirane.receipt_no) == ("R2026-000001", "HATTA-R2026-000001", "R2026-000002")
    with pytest.raises(ValidationError, match="施設"):
        ledger.record_payment(env["counter"], [book(env, slot="夜間").id, book(env, room="HA1", slot="夜間").id], "cash")


# --- voids (訂正) -------------------------------------------------------------------------------------


def test_a_voided_receipt_keeps_its_number_and_the_booking_owes_again(env):
    booked = book(env)
    wrong = ledger.record_payment(env["counter"], [booked.id], "cash")
    with pytest.raises(ValidationError, match="理由"):
        ledger.void_payment(env["counter"], wrong.receipt_no, " ")
    voided = ledger.void_payment(env["counter"], "r2026-1", "金額の入力誤り")
    assert voided.voided and voided.void_reason == "金額の入力誤り"
    assert state(env, booked.id).state == MoneyState.UNPAID
    right = ledger.record_payment(env["counter"], [booked.id], "cash")
    assert right.receipt_no == "R2026-000002"  # the voided number is never given again
    with pytest.raises(RuleError, match="R2026-000001.*取消済"):
        ledger.void_payment(env["counter"], wrong.receipt_no, "もう一度")
    with pytest.raises(ValidationError, match="R2026-000099"):
        ledger.void_payment(env["counter"], "R2026-000099", "ない番号")
    with env["db"].read() as session:  # the voided payment is still in the ledger, unchanged
        assert session.scalar(select(Payment.amount_yen).where(Payment.receipt_no == "R2026-000001")) == 400


# --- refunds and 充当 ---------------------------------------------------------------------------------


def test_a_booking_cancelled_by_the_center_is_refunded_in_full(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    bookings.cancel_booking(env["counter"], booked.id, "", reason_code="center")
    assert state(env, booked.id).refundable == 400
    [refund] = ledger_refunds.refund_payment(env["counter"], paid.receipt_no, "空調故障のため休室")
    assert (refund.refund_no, refund.amount, refund.rule, refund.rate) == ("K2026-000001", 400, "市・センターの都合 100%", 100)
    money = state(env, booked.id)
    assert (money.state, money.label, money.net) == (MoneyState.REFUNDED, "還付済", 0)
    with pytest.raises(ValidationError, match="R2026-000001"):  # nothing left to refund
        ledger_refunds.refund_payment(env["admin"], paid.receipt_no, "二重", "1")


def test_the_applicants_own_cancellation_refunds_nothing_by_default(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    bookings.cancel_booking(env["counter"], booked.id, "会員の都合", reason_code="applicant")
    assert (state(env, booked.id).state, state(env, booked.id).label) == (MoneyState.NOT_REFUNDED, "還付なし")
    before = ledger_rows(env)
    with pytest.raises(RuleError, match="還付.*ありません"):
        ledger_refunds.refund_payment(env["counter"], paid.receipt_no, "お願い")
    with pytest.raises(PermissionDenied, match="管理者"):  # more than the rule: an administrator decides
        ledger_refunds.refund_payment(env["counter"], paid.receipt_no, "特例", "400")
    with pytest.raises(ValidationError, match="401.*400"):
        ledger_refunds.refund_payment(env["admin"], paid.receipt_no, "特例", "401")
    assert ledger_rows(env) == before
    [refund] = ledger_refunds.refund_payment(env["admin"], paid.receipt_no, "センター長判断", "200")
    assert (refund.rule, refund.approved_by, refund.amount) == ("manual", "窓口 花子", 200)


def test_a_graded_refund_by_days_before_use(env):
    with env["db"].write() as session:
        session.add(CancellationReason(code="early", name="使用者の都合（7日前まで）", refund_percent=50, min_days_before=7, sort_order=9))
    try:
        early, late = book(env, day=DAY + dt.timedelta(days=7)), book(env, day=DAY - dt.timedelta(days=3))  # 14 and 4 days ahead
        paid_early = ledger.record_payment(env["counter"], [early.id], "cash")
        paid_late = ledger.record_payment(env["counter"], [late.id], "cash")
        bookings.cancel_booking(env["counter"], early.id, "", reason_code="early")
        bookings.cancel_booking(env["counter"], late.id, "", reason_code="early")
        assert [r.amount for r in ledger_refunds.refund_rules(env["counter"], paid_early.receipt_no)] == [200]
        assert [(r.rate, r.amount) for r in ledger_refunds.refund_rules(env["counter"], paid_late.receipt_no)] == [(0, 0)]
    finally:
        with env["db"].write() as session:
            session.query(CancellationReason).filter_by(code="early").delete()


def test_refunding_a_voided_receipt_is_refused(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    ledger.void_payment(env["counter"], paid.receipt_no, "誤入力")
    bookings.cancel_booking(env["counter"], booked.id, "", reason_code="center")
    with pytest.raises(RuleError, match=f"{paid.receipt_no}.*取消"):
        ledger_refunds.refund_payment(env["admin"], paid.receipt_no, "還付")


def test_a_receipt_with_a_refund_is_voided_only_after_the_refund(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    bookings.cancel_booking(env["counter"], booked.id, "", reason_code="center")
    [refund] = ledger_refunds.refund_payment(env["counter"], paid.receipt_no, "休室")
    with pytest.raises(RuleError, match="還付"):
        ledger.void_payment(env["counter"], paid.receipt_no, "誤り")
    ledger_refunds.void_refund(env["counter"], refund.refund_no, "還付の入力誤り")
    assert state(env, booked.id).state == MoneyState.NOT_REFUNDED
    ledger.void_payment(env["counter"], paid.receipt_no, "誤り")
    assert state(env, booked.id).state == MoneyState.NOT_DUE


def test_applying_a_cancelled_bookings_payment_to_another_booking(env):
    cancelled, next_one = book(env), book(env, day=DAY + dt.timedelta(days=7))
    paid = ledger.record_payment(env["counter"], [cancelled.id], "cash")
    bookings.cancel_booking(env["counter"], cancelled.id, "", reason_code="disaster")
    other_applicant = book(env, slot="夜間", applicant_name="櫛形 次郎")
    with pytest.raises(ValidationError, match="櫛形 次郎"):
        ledger_refunds.apply_to_booking(env["counter"], cancelled.id, other_applicant.id, "充当")
    [applied] = ledger_refunds.apply_to_booking(env["counter"], cancelled.id, next_one.id, "台風で休館、翌週分に充当")
    assert (applied.kind, applied.amount, applied.receipt_no, applied.target_slip_no) == ("applied", 400, paid.receipt_no, next_one.slip_no)
    assert (state(env, cancelled.id).state, state(env, cancelled.id).label) == (MoneyState.APPLIED, "充当")
    assert state(env, next_one.id).state == MoneyState.PAID
    with pytest.raises(ValidationError, match="納付済"):
        ledger.record_payment(env["counter"], [next_one.id], "cash")


def test_lowering_the_fee_of_a_paid_booking_shows_an_overpayment_to_refund(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    changed = bookings.update_booking(env["admin"], booked.id, bookings.get_booking(env["admin"], booked.id).to_input().__class__(
        **{**bookings.get_booking(env["admin"], booked.id).to_input().__dict__, "exemption_code": "city_endorsed"}))
    assert (changed.fee, changed.money.state, changed.money.refundable) == (200, MoneyState.OVERPAID, 200)
    [refund] = ledger_refunds.refund_payment(env["counter"], paid.receipt_no, "減免の適用漏れ")
    assert (refund.amount, refund.rule) == (200, "overpayment")
    assert state(env, booked.id).state == MoneyState.PAID


def test_a_booking_still_to_be_used_is_not_refunded_a_correction_is_a_void(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    before = ledger_rows(env)
    for ctx, amount in ((env["counter"], None), (env["admin"], "400"), (env["admin"], "100")):
        with pytest.raises(RuleError, match=f"{booked.slip_no}.*取り消.*{paid.receipt_no}.*訂正") as refused:
            ledger_refunds.refund_payment(ctx, paid.receipt_no, "返金希望", amount)
        assert refused.value.rule == RuleCode.REFUND_RULE
    assert ledger_rows(env) == before and state(env, booked.id).state == MoneyState.PAID
    ledger.void_payment(env["counter"], paid.receipt_no, "入力誤り")  # the way to correct it
    assert state(env, booked.id).state == MoneyState.UNPAID


def test_only_the_overpayment_of_a_booking_still_to_be_used_is_refunded(env):
    booked = book(env)
    paid = ledger.record_payment(env["counter"], [booked.id], "cash")
    data = bookings.get_booking(env["admin"], booked.id).to_input()
    bookings.update_booking(env["admin"], booked.id, data.__class__(**{**data.__dict__, "exemption_code": "city_endorsed"}))
    with pytest.raises(RuleError, match=booked.slip_no):
        ledger_refunds.refund_payment(env["admin"], paid.receipt_no, "全額返金", "400")
    [refund] = ledger_refunds.refund_payment(env["admin"], paid.receipt_no, "減免の適用漏れ", "200")
    assert refund.amount == 200 and state(env, booked.id).state == MoneyState.PAID


# --- the day close -------------------------------------------------------------------------------------


def test_a_closed_day_refuses_new_entries(env):
    booked = book(env)
    main = env["rooms"]["M1"]
    with env["db"].read() as session:
        facility_id = session.scalar(select(Facility.id).where(Facility.code == "main"))
    ledger.record_payment(env["counter"], [booked.id], "cash")
    totals = ledger_close.close_day(env["counter"], facility_id)
    assert totals["net_cash"] == 400 and ledger_close.is_day_closed(env["counter"], facility_id, TODAY)
    with pytest.raises(RuleError, match="締め"):
        ledger_close.close_day(env["counter"], facility_id)
    other = book(env, slot="夜間")
    before = ledger_rows(env)
    with pytest.raises(RuleError, match="締め"):
        ledger.record_payment(env["counter"], [other.id], "cash")
    with pytest.raises(RuleError, match="締め"):
        ledger.void_payment(env["counter"], "R2026-000001", "誤り")
    assert ledger_rows(env) == before
    assert main  # the next day is open again
    tomorrow = TODAY + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        ledger_close.close_day(env["counter"], facility_id, tomorrow)


# --- 移行前 -----------------------------------------------------------------------------------------------


def test_a_booking_from_before_the_ledger_is_never_shown_as_paid(env):
    booked = book(env)
    with env["db"].write() as session:
        session.execute(update(Booking).where(Booking.id == booked.id).values(ledger_legacy=True))
    money = state(env, booked.id)
    assert (money.state, money.label) == (MoneyState.LEGACY, "移行前")
    ledger.record_payment(env["counter"], [booked.id], "cash")  # it may still be paid at the counter
    assert state(env, booked.id).state == MoneyState.PAID
