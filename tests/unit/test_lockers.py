"""Lockers and letter cases: units seeded with their fees, allocation once per term (also when two
PCs race), the 公募's recorded draw, the fee in advance through the ledger, keys and mail."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from center_app.app import main
from center_app.db.lockers import LockerAllocation
from center_app.db.money import Payment
from center_app.domain.errors import RuleCode, RuleError, ValidationError
from center_app.services import lockers

from bookings_support import seeded_database
from conftest import command_line_admin
from services_support import ENTRY_DAY, locker_worker, new_group

pytestmark = pytest.mark.postgres


def _allocations(db) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(LockerAllocation))


def test_units_of_the_default_configuration(db, counter_ctx, clock):
    clock(ENTRY_DAY)
    units = lockers.list_units(counter_ctx)
    kinds = {u.kind: u.monthly_fee_yen for u in units}
    assert kinds == {"locker_large": 620, "locker_small": 310, "letter_case": 0}
    assert len(units) == 60 and units[0].code == "L-01" and units[0].term == 2026


def test_a_unit_is_never_allocated_twice_for_one_term(db, counter_ctx, clock):
    clock(ENTRY_DAY)
    first, second = new_group(counter_ctx, 1, "ロッカーの会"), new_group(counter_ctx, 2)
    unit = lockers.unit_id_for(counter_ctx, "l-01")
    view = lockers.allocate_unit(counter_ctx, unit, first)
    assert view.group_name == "ロッカーの会" and view.fee_yen == 620 * 10  # June 2026 … March 2027
    with pytest.raises(RuleError) as taken:
        lockers.allocate_unit(counter_ctx, unit, second)
    assert taken.value.rule == RuleCode.LOCKER_TAKEN and "ロッカーの会" in str(taken.value)
    assert _allocations(db) == 1
    lockers.allocate_unit(counter_ctx, unit, second, 2027)  # the next term is free


def test_the_fee_goes_through_the_ledger_once(db, counter_ctx, clock):
    clock(ENTRY_DAY)
    group = new_group(counter_ctx, 1)
    unit = lockers.unit_id_for(counter_ctx, "S-03")
    lockers.allocate_unit(counter_ctx, unit, group)
    allocation = lockers.allocation_for(counter_ctx, unit)
    receipt = lockers.pay_allocation(counter_ctx, allocation)
    assert receipt.startswith("R2026-")
    with db.read() as session:
        payment = session.scalars(select(Payment)).one()
    assert payment.amount_yen == 3100 and payment.receipt_no == receipt and payment.note.startswith("ロッカー（小） S-03")
    with pytest.raises(ValidationError, match=receipt):
        lockers.pay_allocation(counter_ctx, allocation)
    from center_app.services import ledger

    ledger.void_payment(counter_ctx, receipt, "金額の誤り")  # 訂正: the fee is unpaid again and paid anew
    assert lockers.list_units(counter_ctx)[12].receipt_no == ""
    receipt = lockers.pay_allocation(counter_ctx, allocation)
    assert lockers.list_units(counter_ctx)[10 + 2].receipt_no == receipt
    case = lockers.unit_id_for(counter_ctx, "C-01")
    lockers.allocate_unit(counter_ctx, case, group)
    with pytest.raises(ValidationError):
        lockers.pay_allocation(counter_ctx, lockers.allocation_for(counter_ctx, case))  # letter cases are free


def test_keys_and_mail(db, counter_ctx, clock):
    clock(ENTRY_DAY)
    group = new_group(counter_ctx, 1)
    unit = lockers.unit_id_for(counter_ctx, "C-05")
    lockers.allocate_unit(counter_ctx, unit, group)
    allocation = lockers.allocation_for(counter_ctx, unit)
    with pytest.raises(ValidationError):
        lockers.record_key(counter_ctx, allocation, "return", "代表者")  # not out
    assert lockers.record_key(counter_ctx, allocation, "issue", "抽選 太郎").key_state == "issued"
    with pytest.raises(ValidationError):
        lockers.record_key(counter_ctx, allocation, "issue", "抽選 太郎")
    assert lockers.record_key(counter_ctx, allocation, "return", "抽選 太郎").key_state == "returned"
    mail = lockers.receive_mail(counter_ctx, allocation, "南アルプス市役所")
    assert [m.id for m in lockers.mail_waiting(counter_ctx)] == [mail.id]
    lockers.hand_over_mail(counter_ctx, mail.id, "抽選 花子")
    assert lockers.mail_waiting(counter_ctx) == []
    with pytest.raises(ValidationError, match="抽選 花子"):
        lockers.hand_over_mail(counter_ctx, mail.id, "別の人")


def test_the_public_call_is_drawn_reproducibly(db, counter_ctx, clock):
    clock(ENTRY_DAY)
    groups = [new_group(counter_ctx, n) for n in range(1, 14)]
    for group in groups:
        lockers.apply_for_unit(counter_ctx, group, "locker_large", 2027)
    preview = lockers.draw_units(counter_ctx, "locker_large", 2027, 77, dry_run=True)
    assert _allocations(db) == 0
    lines = lockers.draw_units(counter_ctx, "locker_large", 2027, 77)
    assert [(l.application_id, l.unit_code) for l in lines] == [(l.application_id, l.unit_code) for l in preview]
    assert sum(l.won for l in lines) == 10 and len({l.unit_code for l in lines if l.won}) == 10  # ten large lockers
    assert {l.reason for l in lines if not l.won} == {"この種類の空きがありません"}
    with pytest.raises(ValidationError):
        lockers.apply_for_unit(counter_ctx, groups[0], "locker_large", 2027)  # drawn: no more applications


def test_commands(db, clock, monkeypatch, capsys):
    clock(ENTRY_DAY)
    signed_in = command_line_admin(db, monkeypatch)
    from center_app.services import auth, groups as group_service
    from center_app.services.context import ServiceContext

    ctx = ServiceContext(db, auth.sign_in(db, "admin", "admin-password-1"))
    number = group_service.get_group(ctx, new_group(ctx, 1)).registration_no
    url = ["--database-url", db.url]
    assert main([*url, "lockers", "allocate", "--unit", "L-02", "--group", number, *signed_in]) == 0
    assert "6,200" in capsys.readouterr().out
    assert main([*url, "lockers", "allocate", "--unit", "L-02", "--group", number, *signed_in]) == 1
    assert "L-02" in capsys.readouterr().err
    assert main([*url, "lockers", "pay", "--unit", "L-02", *signed_in]) == 0
    assert "R2026-" in capsys.readouterr().out
    assert main([*url, "lockers", "key", "issue", "--unit", "L-02", "--person", "代表", *signed_in]) == 0
    assert main([*url, "lockers", "mail", "receive", "--unit", "L-02", "--sender", "市役所", *signed_in]) == 0
    capsys.readouterr()
    assert main([*url, "lockers", "list", *signed_in]) == 0
    assert "市役所" not in capsys.readouterr().out
    assert _allocations(db) == 1


def test_two_processes_never_both_get_one_unit(tmp_path):
    db = seeded_database(tmp_path)
    from bookings_support import context
    from center_app.domain import clock

    clock.set_fixed(ENTRY_DAY)
    ctx = context(db, name="準備")
    groups = [new_group(ctx, 1), new_group(ctx, 2)]
    unit = lockers.unit_id_for(ctx, "L-01")
    url = db.url
    db.dispose()
    terms = list(range(2030, 2050))
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(2), spawn.Queue()
    workers = [spawn.Process(target=locker_worker, args=(url, unit, group, terms, barrier, results, pc)) for pc, group in zip("AB", groups)]
    for worker in workers:
        worker.start()
    outcomes = dict(results.get(timeout=240) for _worker in workers)
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    for index, (a, b) in enumerate(zip(outcomes["A"], outcomes["B"], strict=True)):
        assert sorted((a[0], b[0])) == ["ok", "taken"], f"round {index}: {a} {b}"
    db = seeded_database(tmp_path)
    try:
        assert _allocations(db) == len(terms)
    finally:
        db.dispose()


def test_the_assessment_table_counts_the_fees_of_the_terms(db, counter_ctx, clock):
    from center_app.domain.statistics_values import Period
    from center_app.services import income

    clock(ENTRY_DAY)
    group = new_group(counter_ctx, 1)
    paid, unpaid = lockers.unit_id_for(counter_ctx, "L-01"), lockers.unit_id_for(counter_ctx, "S-03")
    lockers.allocate_unit(counter_ctx, paid, group)
    lockers.allocate_unit(counter_ctx, unpaid, group)
    lockers.pay_allocation(counter_ctx, lockers.allocation_for(counter_ctx, paid))
    summary = income.income_summary(counter_ctx, Period.of_month(2026, 6))
    row = next(r for r in summary.rooms if r.room_name == "ロッカー・レターケース使用料")
    assert (row.assessed, row.received, row.outstanding) == (6200 + 3100, 6200, 3100)
    daily = income.daily_income(counter_ctx, ENTRY_DAY)
    assert summary.total.received == sum(line.amount for line in daily.lines if line.counts) == 6200
    assert income.income_summary(counter_ctx, Period.of_month(2026, 7)).total.assessed == 0  # counted in the month the term starts
