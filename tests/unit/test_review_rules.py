"""The review's pure rules (domain/review.py): a round of 8 proposals, 5 reviewers — one
conflicted on two proposals — and a budget that funds 5, checked against a table computed by hand."""

from __future__ import annotations

from fractions import Fraction

import pytest

from center_app.domain.errors import ValidationError
from center_app.domain.review import (
    DEFAULT_CRITERIA, Aggregation, Criterion, Sheet, allocate, check_sheet, parse_criteria, rank, shown,
)

CRITERIA = parse_criteria(DEFAULT_CRITERIA)  # 5 criteria × 10 points, weight 1

# Each reviewer's total (out of 50) per proposal; None = conflict of interest (R5 on A2 and A6).
TOTALS = {
    #     R1  R2  R3  R4  R5
    1: (40, 42, 38, 45, 41),
    2: (35, 37, 36, 30, None),
    3: (44, 46, 45, 47, 43),
    4: (30, 33, 31, 29, 50),
    5: (41, 41, 41, 41, 41),
    6: (39, 40, 38, 42, None),
    7: (20, 25, 22, 24, 23),
    8: (36, 38, 37, 39, 35),
}
REQUESTED = {1: 200_000, 2: 90_000, 3: 150_000, 4: 50_000, 5: 100_000, 6: 120_000, 7: 60_000, 8: 80_000}
BUDGET, CAP = 600_000, 150_000

# By hand, dropping each proposal's highest and lowest total (八戸):
#   A1 drop 45 (R4), 38 (R3): (40+42+41)/3 = 41.00     A5 all 41: drop R1 (lowest), R2 (highest): 41.00
#   A2 R5 excluded; drop 37, 30: (35+36)/2 = 35.50      A6 R5 excluded; drop 42, 38: (39+40)/2 = 39.50
#   A3 drop 47, 43: (44+46+45)/3 = 45.00                A7 drop 25, 20: (22+24+23)/3 = 23.00
#   A4 drop 50, 29: (30+33+31)/3 = 31.33                A8 drop 39, 35: (36+38+37)/3 = 37.00
# Allocation down the ranking, cap 150,000, budget 600,000:
#   A3 150,000 (rest 450,000); A1 200,000 → capped 150,000 (300,000); A5 100,000 (200,000);
#   A6 120,000 (80,000); A8 80,000 (0); A2 90,000 does not fit → funding stops: A2, A4, A7 get 0.
EXPECTED = [
    # proposal, score, rank, tied with, granted, reason
    (3, "45.00", 1, (), 150_000, "funded"),
    (1, "41.00", 2, (5,), 150_000, "capped"),
    (5, "41.00", 2, (1,), 100_000, "funded"),
    (6, "39.50", 4, (), 120_000, "funded"),
    (8, "37.00", 5, (), 80_000, "funded"),
    (2, "35.50", 6, (), 0, "budget"),
    (4, "31.33", 7, (), 0, "budget"),
    (7, "23.00", 8, (), 0, "budget"),
]


def _points(total: int) -> dict[str, int]:
    """Spread a total over the five criteria (each 0–10): 41 → 9, 8, 8, 8, 8."""
    base, extra = divmod(total, 5)
    return {c.name: base + (1 if i < extra else 0) for i, c in enumerate(CRITERIA)}


def _round():
    sheets, conflicts = [], []
    for app, totals in TOTALS.items():
        for reviewer, total in enumerate(totals, start=1):
            if total is None:
                conflicts.append((reviewer, app))
            else:
                sheets.append(Sheet(app, reviewer, _points(total)))
    return sheets, conflicts


def test_the_round_ranks_and_allocates_as_computed_by_hand():
    sheets, conflicts = _round()
    ranking = rank(CRITERIA, list(TOTALS), [1, 2, 3, 4, 5], conflicts, sheets, Aggregation.TRIMMED)
    allocation = allocate(ranking, REQUESTED, BUDGET, CAP)
    got = [(r.application, str(shown(r.score)), r.rank, r.tied_with, a.granted, a.reason)
           for r, a in zip(ranking, allocation, strict=True)]
    assert got == EXPECTED
    assert sum(a.granted for a in allocation) == BUDGET
    assert sum(1 for a in allocation if a.granted) == 5


def test_each_score_contribution_is_shown_and_adds_up():
    sheets, conflicts = _round()
    ranking = {r.application: r for r in rank(CRITERIA, list(TOTALS), [1, 2, 3, 4, 5], conflicts, sheets, Aggregation.TRIMMED)}
    a2 = ranking[2]
    assert [(c.reviewer, c.total, c.dropped) for c in a2.contributions] == [
        (1, 35, ""), (2, 37, "highest"), (3, 36, ""), (4, 30, "lowest")]  # R5 is not there at all
    assert [c.share for c in a2.contributions] == [Fraction(35, 2), 0, Fraction(36, 2), 0]
    for r in ranking.values():
        assert sum(c.share for c in r.contributions) == r.score


def test_the_plain_mean_counts_every_sheet():
    sheets, conflicts = _round()
    ranking = {r.application: r for r in rank(CRITERIA, list(TOTALS), [1, 2, 3, 4, 5], conflicts, sheets, Aggregation.MEAN)}
    assert str(shown(ranking[4].score)) == "34.60"  # (30+33+31+29+50)/5: R5's 50 now counts
    assert str(shown(ranking[2].score)) == "34.50"  # (35+37+36+30)/4


def test_weights_multiply_the_points():
    criteria = (Criterion("公益性", 10, 2), Criterion("実現性", 5, 1))
    assert Sheet(1, 1, {"公益性": 7, "実現性": 5}).total(criteria) == 19


def test_a_score_above_the_maximum_is_refused_with_its_row():
    with pytest.raises(ValidationError) as raised:
        check_sheet(CRITERIA, {**_points(40), "実現性": 11}, where="3行目", row=3)
    assert raised.value.problems[0].row == 3
    assert "3行目" in str(raised.value) and "実現性" in str(raised.value) and "10" in str(raised.value)


def test_a_missing_score_is_refused():
    points = _points(40)
    del points["発展性"]
    with pytest.raises(ValidationError, match="発展性"):
        check_sheet(CRITERIA, points, where="申請 1・審査員 1")


def test_a_conflicted_reviewers_sheet_and_a_missing_sheet_are_both_named():
    sheets, conflicts = _round()
    sheets = [s for s in sheets if (s.application, s.reviewer) != (7, 3)] + [Sheet(2, 5, _points(40))]
    names = {("application", 2): "A2", ("application", 7): "A7", ("reviewer", 3): "佐藤", ("reviewer", 5): "鈴木"}
    with pytest.raises(ValidationError) as raised:
        rank(CRITERIA, list(TOTALS), [1, 2, 3, 4, 5], conflicts, sheets, Aggregation.TRIMMED, names)
    text = str(raised.value)
    assert "A2" in text and "鈴木" in text and "利益相反" in text
    assert "A7" in text and "佐藤" in text


def test_a_tie_the_budget_cannot_cover_is_named_before_anything_is_granted():
    sheets, conflicts = _round()
    ranking = rank(CRITERIA, list(TOTALS), [1, 2, 3, 4, 5], conflicts, sheets, Aggregation.TRIMMED)
    with pytest.raises(ValidationError) as raised:
        allocate(ranking, REQUESTED, 350_000, CAP, names={1: "A1", 5: "A5"})
    assert "A1" in str(raised.value) and "A5" in str(raised.value)


def test_criteria_text_is_checked_line_by_line():
    with pytest.raises(ValidationError, match="2"):
        parse_criteria("公益性:10:1\n実現性:ten")
    assert parse_criteria("公益性：１０：２") == (Criterion("公益性", 10, 2),)
