"""Report lines add up field by field through one helper (the 調定表's room lines, the booking figures)."""

from __future__ import annotations

import pytest

from center_app.domain.figures import sum_fields
from center_app.domain.income_values import AssessmentRow
from center_app.domain.statistics_values import BookingFigures


def test_assessment_lines_add_up_under_the_first_lines_names():
    total = AssessmentRow("本館", "会議室1", 2, 800, 100, 600, 200, 0, 1) + AssessmentRow("八田", "和室", 1, 400, 0, 400, 0, 400, 0)
    assert total == AssessmentRow("本館", "会議室1", 3, 1200, 100, 1000, 200, 400, 1)


def test_booking_figures_add_up_every_field():
    one = BookingFigures(*range(1, 12))
    assert one + one == BookingFigures(*range(2, 24, 2)) == BookingFigures.total([one, one])


def test_only_the_same_kind_of_figures_add_up():
    with pytest.raises(TypeError):
        sum_fields(BookingFigures(), AssessmentRow("本館", "会議室1"))
