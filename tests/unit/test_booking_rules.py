"""Pure booking rules: half-open overlap, slots, opening hours, started hours, fees, horizon."""

from __future__ import annotations

import datetime as dt

import pytest

from center_app.domain import booking_rules as rules
from center_app.domain.booking_rules import Slot
from center_app.domain.errors import ValidationError

DAY = dt.date(2026, 6, 9)
SLOTS = (
    Slot("午前", dt.time(9), dt.time(12)),
    Slot("午後", dt.time(13), dt.time(17)),
    Slot("夜間", dt.time(18), dt.time(22)),
    Slot("全日", dt.time(9), dt.time(22), is_all_day=True),
)


def at(text: str) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time.fromisoformat(text))


# The overlap matrix against an existing booking 13:00–15:00.
MATRIX = [
    ("15:00", "17:00", False),  # starts when the other ends
    ("11:00", "13:00", False),  # ends when the other starts
    ("14:59", "16:00", True),   # one minute into it
    ("12:00", "13:01", True),   # one minute into its start
    ("13:30", "14:30", True),   # inside
    ("12:00", "16:00", True),   # enclosing
    ("13:00", "15:00", True),   # identical
    ("09:00", "12:00", False),  # well before
    ("15:01", "16:00", False),  # well after
]


@pytest.mark.parametrize(("start", "end", "expected"), MATRIX)
def test_half_open_overlap_matrix(start, end, expected):
    assert rules.overlaps(at(start), at(end), at("13:00"), at("15:00")) is expected
    assert rules.overlaps(at("13:00"), at("15:00"), at(start), at(end)) is expected  # symmetric


def test_empty_interval_overlaps_nothing():
    assert not rules.overlaps(at("14:00"), at("14:00"), at("13:00"), at("15:00"))


def test_first_overlap_finds_two_overlapping_intervals_in_any_order():
    intervals = [(at("18:00"), at("20:00")), (at("09:00"), at("12:00")), (at("11:00"), at("13:00"))]
    assert rules.first_overlap(intervals) == (1, 2)
    assert rules.first_overlap(intervals[:2]) is None


def test_slots_interval_spans_consecutive_slots_and_refuses_gaps():
    assert rules.slots_interval(["午後", "午前"], SLOTS) == (dt.time(9), dt.time(17))
    assert rules.slots_interval(["全日"], SLOTS) == (dt.time(9), dt.time(22))
    with pytest.raises(ValidationError, match="連続した区分"):
        rules.slots_interval(["午前", "夜間"], SLOTS)
    with pytest.raises(ValidationError, match="全日は他の区分"):
        rules.slots_interval(["全日", "午前"], SLOTS)
    with pytest.raises(ValidationError) as info:
        rules.slots_interval(["朝"], SLOTS, field="slot_names")
    assert info.value.problems[0].field == "slot_names"
    assert "朝" in str(info.value)


def test_slot_units_count_regular_slots_touched():
    assert rules.slot_units(dt.time(9), dt.time(12), SLOTS) == 1
    assert rules.slot_units(dt.time(9), dt.time(22), SLOTS) == 3
    assert rules.slot_units(dt.time(10), dt.time(14), SLOTS) == 2
    assert rules.slot_units(dt.time(12), dt.time(13), SLOTS) == 1  # lunch gap still counts as one use


def test_check_times_opening_hours_and_order():
    opening, closing = dt.time(9), dt.time(22)
    assert rules.check_times(dt.time(9), dt.time(22), opening, closing) == []
    assert [p.field for p in rules.check_times(dt.time(8, 30), dt.time(10), opening, closing)] == ["start_time"]
    assert [p.field for p in rules.check_times(dt.time(21), dt.time(22, 30), opening, closing)] == ["end_time"]
    assert [p.field for p in rules.check_times(dt.time(15), dt.time(14), opening, closing)] == ["end_time"]
    assert {p.field for p in rules.check_times(None, None, opening, closing)} == {"start_time", "end_time"}


@pytest.mark.parametrize(("start", "end", "hours"), [("10:00", "11:00", 1), ("10:00", "11:01", 2), ("10:00", "11:30", 2), ("10:00", "10:10", 1)])
def test_a_started_hour_counts_whole(start, end, hours):
    assert rules.started_hours(dt.time.fromisoformat(start), dt.time.fromisoformat(end)) == hours


FEES = {"午前": 300, "午後": 400, "夜間": 400, "全日": 1100}


def test_base_fee_by_slot_by_hour_and_by_times_in_a_slot_room():
    kw = dict(slots=SLOTS, slot_fees=FEES)
    assert rules.base_fee(slot_names=("午前", "午後"), start=dt.time(9), end=dt.time(17), hourly_fee=None, **kw) == 700
    assert rules.base_fee(slot_names=("全日",), start=dt.time(9), end=dt.time(22), hourly_fee=None, **kw) == 1100
    assert rules.base_fee(slot_names=(), start=dt.time(10), end=dt.time(11, 30), hourly_fee=100, **kw) == 200
    # touches 午前 and 午後, and 12:00–13:00 lies outside every slot: one started hour at the given rate
    assert rules.base_fee(slot_names=(), start=dt.time(11), end=dt.time(14), hourly_fee=None, outside_rate=100, **kw) == 800
    assert rules.base_fee(slot_names=(), start=dt.time(13), end=dt.time(15), hourly_fee=None, **kw) == 400  # within 午後
    with pytest.raises(ValueError):  # time outside the slots is never 0 円 silently
        rules.base_fee(slot_names=(), start=dt.time(12), end=dt.time(13), hourly_fee=None, **kw)


# base, class multiplier %, exemption %, (gross, waived, fee)
FEE_TABLE = [
    (400, 100, 0, (400, 0, 400)),        # 登録団体 / 一般, no exemption
    (400, 100, 100, (400, 400, 0)),      # 登録団体の公益活動 / 市との共催: 免除
    (400, 100, 50, (400, 200, 200)),     # 市の後援 / 高齢者・障がい者団体: 5割減額
    (250, 150, 0, (370, 0, 370)),        # 市外 ×1.5 = 375, rounded down to 10 yen: rounding, not 減免
    (250, 150, 50, (370, 190, 180)),     # 市外 and 5割: 370 × 50 % = 185 → 180
    (1600, 150, 100, (2400, 2400, 0)),
    (300, 100, 25, (300, 80, 220)),      # 25 %: 225 → 220
    (0, 100, 0, (0, 0, 0)),
]


@pytest.mark.parametrize(("base", "multiplier", "rate", "expected"), FEE_TABLE)
def test_fee_table_with_each_exemption(base, multiplier, rate, expected):
    fee = rules.compute_fee(base, multiplier, rate)
    assert (fee.gross, fee.waived, fee.fee) == expected
    assert fee.gross - fee.waived == fee.fee
    assert fee.fee % 10 == 0
    assert all(isinstance(v, int) for v in (fee.base, fee.gross, fee.waived, fee.fee))


def test_fee_inputs_out_of_range_are_refused():
    with pytest.raises(ValueError):
        rules.compute_fee(100, 100, 120)


@pytest.mark.parametrize(
    ("today", "months", "last"),
    [
        (dt.date(2026, 6, 1), 3, dt.date(2026, 9, 30)),
        (dt.date(2026, 6, 30), 3, dt.date(2026, 9, 30)),
        (dt.date(2026, 7, 1), 3, dt.date(2026, 10, 31)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 31)),
        (dt.date(2027, 11, 2), 3, dt.date(2028, 2, 29)),
    ],
)
def test_horizon_counted_from_the_first_of_the_month(today, months, last):
    assert rules.horizon_end(today, months) == last


def test_add_months_clamps_to_month_end():
    assert rules.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert rules.month_range(dt.date(2028, 2, 10)) == (dt.date(2028, 2, 1), dt.date(2028, 2, 29))
