"""備品貸出 and the 印刷室 through their services: fees, the units out at once, returns, damage and
loss, the overdue list, quotas and billing, and payment of the charges through the money ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from bookings_support import context
from equipment_support import NOW, item_id, setup
from sqlalchemy import func, select

from center_app.db.equipment import CounterCharge, EquipmentLoan, PrintJob
from center_app.domain import center_settings as cs
from center_app.domain.equipment import loan_fee
from center_app.domain.errors import RuleError, ValidationError
from center_app.domain.roles import Role
from center_app.services import center_settings, counter_charges, equipment, equipment_queries, income, printing_room

pytestmark = pytest.mark.postgres


@pytest.fixture
def env(tmp_path, clock):
    clock(NOW)
    db, groups, facility = setup(tmp_path)
    yield {"db": db, "ctx": context(db, Role.COUNTER), "admin": context(db), "groups": groups, "facility": facility}
    db.dispose()


def _count(db, model) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def at(hour: int, days: int = 0) -> dt.datetime:
    return dt.datetime.combine(NOW.date() + dt.timedelta(days=days), dt.time(hour))


def test_loan_fee_follows_saitama_rates():
    rates = {"unit_minutes": 180, "fee_per_unit": 410, "fee_per_day": 1640}
    assert loan_fee(at(9), at(12), **rates) == 410
    assert loan_fee(at(9), at(13), **rates) == 820  # a started 3 hours counts whole
    assert loan_fee(at(8), at(23), **rates) == 4 * 410  # over 12 hours in a day counts as 12 hours
    assert loan_fee(at(17), at(12, days=1), **rates) == 3280  # overnight = 2 days
    assert loan_fee(at(9), at(12), **rates, quantity=2) == 820


def test_lending_the_last_units_and_one_more_is_refused_and_writes_nothing(env):
    ctx, groups = env["ctx"], env["groups"]
    first = equipment.lend(ctx, "projector", start=at(13), due=at(17), group_id=groups["A"])
    assert first.loan_no == "E2026-000001" and first.fee == 820
    equipment.lend(ctx, "projector", start=at(15), due=at(12, days=1), group_id=groups["B"])
    loans_before, charges_before = _count(env["db"], EquipmentLoan), _count(env["db"], CounterCharge)
    with pytest.raises(RuleError, match="データプロジェクター.*貸出中|すべて貸出中"):
        equipment.lend(ctx, "projector", start=at(16), due=at(18), group_id=groups["A"])
    assert (_count(env["db"], EquipmentLoan), _count(env["db"], CounterCharge)) == (loans_before, charges_before)
    # before the first loan starts one unit is still free
    equipment.lend(ctx, "projector", start=at(10), due=at(13), group_id=groups["A"])
    assert equipment_queries.available(ctx, item_id(env["db"], "projector"), at(9, 2), at(12, 2)) == 2


def test_returning_twice_or_an_unknown_loan_is_refused(env):
    ctx = env["ctx"]
    loan = equipment.lend(ctx, "mic", start=at(10), due=at(12), group_id=env["groups"]["A"], quantity=3)
    returned = equipment.return_loan(ctx, "e2026-1")
    assert returned.status == "returned" and returned.returned_at == NOW
    with pytest.raises(RuleError, match="E2026-000001.*返却済"):
        equipment.return_loan(ctx, loan.loan_no)
    with pytest.raises(ValidationError, match="E2026-000099"):
        equipment.return_loan(ctx, "E2026-000099")


def test_rules_of_the_item_refuse_long_early_and_unregistered_loans(env):
    ctx, groups = env["ctx"], env["groups"]
    with pytest.raises(RuleError, match="7 日"):
        equipment.lend(ctx, "panel", start=at(10), due=at(10, days=8), group_id=groups["A"])
    with pytest.raises(RuleError, match="60 日"):
        equipment.lend(ctx, "panel", start=at(10, days=61), due=at(12, days=61), borrower_name="山田 太郎")
    equipment.lend(ctx, "panel", start=at(10, days=61), due=at(12, days=61), group_id=groups["A"])  # registered: 120 days
    with pytest.raises(RuleError, match="解散した会"):
        equipment.lend(ctx, "panel", start=at(10), due=at(12), group_id=groups["X"])
    with pytest.raises(ValidationError):
        equipment.lend(ctx, "panel", start=at(12), due=at(10), group_id=groups["A"])
    with pytest.raises(ValidationError, match="nothing|備品"):
        equipment.lend(ctx, "nothing", start=at(10), due=at(12), group_id=groups["A"])


def test_overdue_loans_are_listed_until_returned_and_keep_their_units(env, clock):
    ctx, groups = env["ctx"], env["groups"]
    loan = equipment.lend(ctx, "player", start=at(10), due=at(12), group_id=groups["A"])
    assert equipment_queries.overdue_loans(ctx) == []
    clock(at(9, days=1))
    assert [o.loan_no for o in equipment_queries.overdue_loans(ctx)] == [loan.loan_no]
    with pytest.raises(RuleError, match="DVD"):  # not back: the only player is still out
        equipment.lend(ctx, "player", start=at(13, days=1), due=at(15, days=1), group_id=groups["B"])
    equipment.return_loan(ctx, loan.loan_no)
    assert equipment_queries.overdue_loans(ctx) == []
    equipment.lend(ctx, "player", start=at(13, days=1), due=at(15, days=1), group_id=groups["B"])


def test_loss_is_charged_and_leaves_the_catalogue(env):
    ctx, groups = env["ctx"], env["groups"]
    loan = equipment.lend(ctx, "megaphone", start=at(10), due=at(12), group_id=groups["A"])
    equipment.record_damage(ctx, loan.loan_no, "loss", "帰りの電車に置き忘れ", "8,000")
    assert [i.quantity for i in equipment_queries.items(ctx, env["facility"]) if i.code == "megaphone"] == [1]
    due = counter_charges.charges(ctx, group_id=groups["A"])
    assert sorted(c.amount for c in due) == [100, 8000]
    with pytest.raises(ValidationError):
        equipment.record_damage(ctx, loan.loan_no, "loss", "", "100")


def test_charges_are_paid_through_the_ledger_and_count_in_the_daily_income(env):
    ctx, groups = env["ctx"], env["groups"]
    equipment.lend(ctx, "projector", start=at(13), due=at(17), group_id=groups["A"])
    ids = [c.id for c in counter_charges.charges(ctx, group_id=groups["A"])]
    payment = counter_charges.pay_charges(ctx, ids, "cash", tendered=1000)
    assert payment.receipt_no == "R2026-000001" and payment.amount == 820
    day = income.daily_income(ctx, NOW.date(), env["facility"])
    assert [(line.number, line.amount) for line in day.lines] == [("R2026-000001", 820)]
    assert counter_charges.charges(ctx, group_id=groups["A"]) == []
    with pytest.raises(ValidationError, match="支払済|納付済|already"):
        counter_charges.pay_charges(ctx, ids, "cash")
    from pypdf import PdfReader

    from center_app.services import documents, ledger

    receipt = documents.receipt_pdf(ctx, payment.receipt_no, original=True)
    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(receipt.pdf)).pages)
    assert "金820円" in text.replace(",", "") and "備品使用料として" in text
    ledger.void_payment(ctx, payment.receipt_no, "金額の入力誤り")  # 訂正: the charge is due again
    assert [c.outstanding for c in counter_charges.charges(ctx, group_id=groups["A"])] == [820]


def test_printing_fee_warning_and_quota(env):
    ctx, groups = env["ctx"], env["groups"]
    job = printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["A"], machine="輪転機", masters=2, sheets=200)
    assert job.fee == 2 * 30 + 200 and job.warnings == ()
    colour = printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["A"], machine="カラープリンター", sheets=10,
                                   colour=True, paper="sold")
    assert colour.fee == 10 * 10 + 10 * 1
    near = printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["A"], machine="輪転機", masters=118, sheets=10)
    assert near.warnings and "150" in near.warnings[0]
    before = _count(env["db"], PrintJob)
    with pytest.raises(RuleError, match="150.*120.*30"):
        printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["A"], machine="輪転機", masters=31, sheets=10)
    assert _count(env["db"], PrintJob) == before
    # another group has its own quota
    printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["B"], machine="輪転機", masters=31, sheets=10)
    with pytest.raises(ValidationError, match="輪転機"):
        printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["B"], machine="写真機", sheets=1)


def test_monthly_billing_charges_one_amount_per_group_after_the_month(env, clock):
    ctx, admin, groups = env["ctx"], env["admin"], env["groups"]
    with admin.db.write() as session:
        center_settings.set(session, None, cs.PRINT_BILLING, "monthly")
    for sheets in (100, 50):
        job = printing_room.log_job(ctx, facility_id=env["facility"], group_id=groups["A"], machine="コピー機", sheets=sheets)
        assert not job.billed
    assert printing_room.bill_period(ctx, env["facility"]) == []  # June is not over
    clock(dt.datetime(2026, 7, 1, 9))
    created = printing_room.bill_period(ctx, env["facility"])
    assert len(created) == 1
    [charge] = counter_charges.charges(ctx, group_id=groups["A"])
    assert charge.amount == 150 and "2件" in charge.description or "2" in charge.description
    assert printing_room.bill_period(ctx, env["facility"]) == []


def test_the_monthly_report_counts_loans_by_item_and_printing_by_group_and_machine(env, clock, tmp_path):
    from center_app.domain.statistics_values import Period
    from center_app.export import write_report
    from center_app.export.tables import build_report
    from center_app.services import statistics

    ctx, groups, facility = env["ctx"], env["groups"], env["facility"]
    equipment.lend(ctx, "projector", start=at(13), due=at(17), group_id=groups["A"])
    equipment.lend(ctx, "mic", start=at(13), due=at(17), group_id=groups["B"], quantity=2)
    equipment.lend(ctx, "projector", start=at(10, days=1), due=at(12, days=1), group_id=groups["B"])
    printing_room.log_job(ctx, facility_id=facility, group_id=groups["A"], machine="輪転機", masters=2, sheets=200)
    printing_room.log_job(ctx, facility_id=facility, group_id=groups["A"], machine="輪転機", masters=1, sheets=100)
    printing_room.log_job(ctx, facility_id=facility, group_id=groups["B"], machine="コピー機", sheets=30)
    clock(dt.datetime(2026, 7, 1, 9))
    report = build_report(statistics.summarize(ctx, Period.of_month(2026, 6), facility))
    loans = report.table("loans")
    assert loans.title == "備品貸出（備品別）"
    assert loans.rows == (("データプロジェクター", 2, 2, 820 + 410), ("ワイヤレスマイク", 1, 2, 400))
    assert loans.total == ("合計", 3, 4, 1630)
    printing = report.table("printing")
    assert printing.rows == (("みどりの会", "輪転機", 2, 3, 300, 390), ("子ども食堂ひまわり", "コピー機", 1, 0, 30, 30))
    path = tmp_path / "june.csv"
    write_report(report, path, "csv")
    text = path.read_text(encoding="utf-8-sig")
    assert "備品貸出（備品別）" in text and "データプロジェクター" in text and "印刷室（団体・機械別）" in text and "輪転機" in text


def test_coordinators_neither_lend_nor_log_printing(env):
    from center_app.domain.errors import PermissionDenied

    coordinator = context(env["db"], Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        equipment.lend(coordinator, "mic", start=at(13), due=at(15), group_id=env["groups"]["A"])
    with pytest.raises(PermissionDenied):
        printing_room.log_job(coordinator, facility_id=env["facility"], group_id=env["groups"]["A"], machine="輪転機", sheets=1)
    assert _count(env["db"], EquipmentLoan) == 0
