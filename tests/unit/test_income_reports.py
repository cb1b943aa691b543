"""Income comes only from the ledger: the usage report separates 実績 from 予定 and never counts
a booking's fee as income; the 収入日報 lists each day's entries; the 調定表 gives 調定額, 減免額,
収入済額, 未収額, 還付額 and 移行前 by room."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from bookings_support import context, room_ids, seeded_database
from pypdf import PdfReader
from sqlalchemy import update

from center_app.db.bookings import Booking
from center_app.domain.booking_values import BookingInput, BookingStatus
from center_app.domain.statistics_values import Period
from center_app.export.income import build_daily_report, build_income_report
from center_app.export.pdf import render_pdf
from center_app.export.tables import build_report
from center_app.services import bookings, income, ledger, ledger_refunds, statistics

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(tmp_path, clock):
    clock(dt.datetime(2026, 11, 20, 10, 0))
    db = seeded_database(tmp_path)
    rooms = room_ids(db)
    ctx = context(db)

    def book(day, slot="午前", room="M1", **extra):
        values = dict(room_id=rooms[room], day=day, slot_names=(slot,), applicant_name="白根 花子", applicant_phone="055-282-1111",
                      applicant_class="resident", expected_people=5)
        values.update(extra)
        return bookings.create_booking(ctx, BookingInput(**values))

    yield {"db": db, "ctx": ctx, "book": book}
    db.dispose()


def test_a_fiscal_year_report_printed_on_december_5_shows_no_income_of_january(env, clock):
    """The defect: the usage report counted the fees of future, unpaid bookings as 使用料."""
    november = env["book"](dt.date(2026, 11, 25))  # 300 円, paid today
    ledger.record_payment(env["ctx"], [november.id], "cash")
    env["book"](dt.date(2026, 11, 26), slot="午後")  # 400 円, used but never paid
    clock(dt.datetime(2026, 12, 1, 9, 0))  # January opens for booking
    env["book"](dt.date(2027, 1, 13))  # 300 円, confirmed for January, unpaid
    env["book"](dt.date(2027, 1, 14), status=BookingStatus.PROVISIONAL)
    clock(dt.datetime(2026, 12, 5, 9, 0))
    summary = statistics.summarize(env["ctx"], Period.of_fiscal_year(2026))
    months = {(m.year, m.month): m.figures for m in summary.months}
    january, nov = months[(2027, 1)], months[(2026, 11)]
    assert (january.bookings, january.fees_yen, january.income_yen) == (0, 0, 0)
    assert (january.planned_bookings, january.planned_slots) == (2, 2)
    assert (nov.bookings, nov.fees_yen, nov.income_yen) == (2, 700, 300)  # 実績 700 円 assessed, 300 円 received
    assert (summary.total.income_yen, summary.total.fees_yen) == (300, 700)
    table = build_report(summary).table("months")
    header = [c.header for c in table.columns]
    row = next(r for r in table.rows if r[0] == "令和9年1月")
    assert row[header.index("調定額・実績（円）")] == 0 and row[header.index("収入済額（円）")] == 0 and row[header.index("予定件数")] == 2
    overview = dict(build_report(summary).table("overview").rows)
    assert overview["収入済額（円）"] == 300 and overview["予定件数"] == 2


def test_income_of_the_usage_report_follows_the_ledger_not_the_fee(env, clock):
    paid_ahead = env["book"](dt.date(2026, 12, 16))
    ledger.record_payment(env["ctx"], [paid_ahead.id], "cash")  # paid in November for December
    refunded = env["book"](dt.date(2026, 11, 25))
    receipt = ledger.record_payment(env["ctx"], [refunded.id], "cash")
    bookings.cancel_booking(env["ctx"], refunded.id, "", reason_code="center")
    clock(dt.datetime(2026, 12, 2, 9, 0))
    ledger_refunds.refund_payment(env["ctx"], receipt.receipt_no, "休室")
    voided = env["book"](dt.date(2026, 12, 3))
    wrong = ledger.record_payment(env["ctx"], [voided.id], "cash")
    ledger.void_payment(env["ctx"], wrong.receipt_no, "誤り")
    clock(dt.datetime(2026, 12, 5, 9, 0))
    months = {(m.year, m.month): m.figures for m in statistics.summarize(env["ctx"], Period.of_fiscal_year(2026)).months}
    assert months[(2026, 11)].income_yen == 600  # both received in November, December's use paid ahead
    assert months[(2026, 12)].income_yen == -300  # the refund paid in December; the voided receipt never counts
    assert (months[(2026, 12)].fees_yen, months[(2026, 12)].planned_bookings) == (300, 1)  # 12/3 used (owed again), 12/16 予定


def test_the_daily_income_report_lists_each_entry_with_totals(env, clock):
    clock(dt.datetime(2026, 11, 17, 9, 0))
    third = env["book"](dt.date(2026, 11, 25), slot="夜間")  # booked on the 17th, paid by transfer on the 18th
    clock(dt.datetime(2026, 11, 20, 10, 0))
    first, second = (env["book"](dt.date(2026, 11, 25), slot=s) for s in ("午前", "午後"))
    clock(dt.datetime(2026, 11, 20, 10, 5))
    ledger.record_payment(env["ctx"], [first.id], "cash", tendered="1000")
    clock(dt.datetime(2026, 11, 20, 11, 0))
    ledger.record_payment(env["ctx"], [second.id], "cashless")
    transfer = ledger.record_payment(env["ctx"], [third.id], "transfer", received_on=dt.date(2026, 11, 18))
    day = income.daily_income(env["ctx"], dt.date(2026, 11, 20))
    assert [(line.kind, line.number, line.amount, line.method) for line in day.lines] == [
        ("receipt", "R2026-000001", 300, "cash"), ("receipt", "R2026-000002", 400, "cashless")]
    assert (day.net_cash, day.net_total, dict(day.by_method)) == (300, 700, {"cash": 300, "cashless": 400})
    assert day.by_clerk == (("窓口 花子", 2, 700),)
    earlier = income.daily_income(env["ctx"], dt.date(2026, 11, 18))
    assert [line.number for line in earlier.lines] == [transfer.receipt_no] and earlier.net_cash == 0
    clock(dt.datetime(2026, 11, 21, 9, 0))  # voided the next day: the 20th is unchanged, the 21st shows it
    ledger.void_payment(env["ctx"], "R2026-000001", "入力誤り")
    assert income.daily_income(env["ctx"], dt.date(2026, 11, 20)).net_cash == 300
    next_day = income.daily_income(env["ctx"], dt.date(2026, 11, 21))
    assert [(line.kind, line.amount) for line in next_day.lines] == [("void", -300)] and next_day.net_cash == -300
    report = build_daily_report(day)
    assert report.table("cash").total == ("本日の現金増減", 300)
    text = PdfReader(io.BytesIO(render_pdf(report))).pages[0].extract_text()
    assert "収入日報" in text and "R2026-000001" in text and "本日の現金増減" in text


def test_the_assessment_table_by_room(env, clock):
    book = env["book"]
    paid = book(dt.date(2026, 12, 1))  # 300
    ledger.record_payment(env["ctx"], [paid.id], "cash")
    part = book(dt.date(2026, 12, 1), slot="午後")  # 400, 100 paid
    ledger.record_payment(env["ctx"], [part.id], "cash", "100")
    exempt = book(dt.date(2026, 12, 2), exemption_code="city_endorsed")  # 300 - 150
    kept = book(dt.date(2026, 12, 3))  # paid, cancelled by the applicant: 還付なし
    ledger.record_payment(env["ctx"], [kept.id], "cash")
    bookings.cancel_booking(env["ctx"], kept.id, "", reason_code="applicant")
    back = book(dt.date(2026, 12, 4))  # paid, cancelled by the center: refunded
    receipt = ledger.record_payment(env["ctx"], [back.id], "cash")
    bookings.cancel_booking(env["ctx"], back.id, "", reason_code="center")
    ledger_refunds.refund_payment(env["ctx"], receipt.receipt_no, "休室")
    old = book(dt.date(2026, 12, 8))
    with env["db"].write() as session:
        session.execute(update(Booking).where(Booking.id == old.id).values(ledger_legacy=True))
    summary = income.income_summary(env["ctx"], Period.of_month(2026, 12))
    m1 = next(r for r in summary.rooms if r.room_name == "会議室1")
    assert (m1.bookings, m1.assessed, m1.waived, m1.received, m1.outstanding, m1.refunded, m1.legacy) == (
        4, 300 + 400 + 150 + 300, 150, 300 + 100 + 300, 300 + 150, 300, 300)
    assert exempt.fee == 150
    report = build_income_report(summary)
    assert report.table("assessment").total[3:] == (1150, 150, 700, 450, 300, 300)
    november = build_income_report(income.income_summary(env["ctx"], Period.of_month(2026, 11)))
    assert november.table("months").total[1:5] == (1000, 0, 300, 700)  # the money came in and went back on 11/20


def test_the_daily_income_entries_keep_numbers_times_and_names_on_one_line(env, clock):
    """The defect: with a long payer, several bookings and a long reason, the 明細 squeezed every
    column alike, so times, receipt numbers, methods and clerks broke over two or three lines."""
    payer = "NPO法人やまなし子どもの居場所づくりネットワーク"
    clock(dt.datetime(2026, 11, 20, 10, 0))
    booked = [env["book"](dt.date(2026, 11, 25 + i // 3), slot=s, applicant_name=payer)
              for i, s in enumerate(("午前", "午後", "夜間", "午前", "午後"))]
    wrong = ledger.record_payment(env["ctx"], [booked[0].id, booked[3].id, booked[4].id], "cash")
    ledger.record_payment(env["ctx"], [booked[1].id], "cashless")
    ledger.record_payment(env["ctx"], [booked[2].id], "transfer")
    ledger.void_payment(env["ctx"], wrong.receipt_no, "金額の入力を誤ったため取り消し、正しい金額で収納し直します（窓口で申込者に確認済み）")
    report = build_daily_report(income.daily_income(env["ctx"], dt.date(2026, 11, 20)))
    text = PdfReader(io.BytesIO(render_pdf(report))).pages[0].extract_text()
    lines = {line.strip() for line in text.splitlines()}
    entries = text[text.index("明細"):]
    for whole in ("時刻", "取扱者", "納付方法", "10:00", "収納取消", "R2026-000001", "R2026-000003", "キャッシュレス", "口座振込", "-1,000"):
        assert whole in entries, whole
    assert "窓口 花子" in lines and booked[3].slip_no in entries.split()


def test_the_assessment_table_counts_the_counter_charges_like_the_daily_income(env, clock):
    from sqlalchemy import select

    from center_app.db.models import Facility
    from center_app.services import counter_charges

    clock(dt.datetime(2026, 12, 1, 10, 0))
    paid_booking = env["book"](dt.date(2026, 12, 1))  # 300, paid
    ledger.record_payment(env["ctx"], [paid_booking.id], "cash")
    with env["db"].write() as session:
        main = session.scalars(select(Facility).order_by(Facility.sort_order)).first().id
        charges = [counter_charges.add_charge(session, env["ctx"].user, facility_id=main, group_id=None, payer_name="白根 花子", kind=kind,
                                              description=text, amount=yen, day=dt.date(2026, 12, 1)).id
                   for kind, text, yen in (("loan", "プロジェクター", 410), ("printing", "印刷 3 版 100 枚", 190), ("printing", "印刷 1 版", 31))]
    counter_charges.pay_charges(env["ctx"], charges[:2], "cash")  # 410 + 190 paid, 31 outstanding
    summary = income.income_summary(env["ctx"], Period.of_month(2026, 12))
    rows = {r.room_name: r for r in summary.rooms}
    assert (rows["備品使用料"].assessed, rows["備品使用料"].received, rows["備品使用料"].outstanding) == (410, 410, 0)
    assert (rows["印刷機・コピー使用料"].assessed, rows["印刷機・コピー使用料"].received, rows["印刷機・コピー使用料"].outstanding) == (221, 190, 31)
    daily = income.daily_income(env["ctx"], dt.date(2026, 12, 1))
    assert summary.total.received == sum(line.amount for line in daily.lines if line.counts) == 300 + 600
    assert (summary.total.assessed, summary.total.outstanding, summary.total.bookings) == (300 + 631, 31, 1)
    report = build_income_report(summary)
    assert ("備品使用料" in {row[1] for row in report.table("assessment").rows})
