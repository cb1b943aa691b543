"""Open or closed, and why, for the seeded main center around holiday Mondays and the year end."""

from __future__ import annotations

import datetime as dt

import pytest

from center_app.services import facilities

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    ("day", "is_open", "reason"),
    [
        (dt.date(2026, 11, 30), False, "休館日"),  # an ordinary Monday
        (dt.date(2026, 11, 23), True, None),  # 勤労感謝の日 (Monday): open …
        (dt.date(2026, 11, 24), False, "休館日"),  # … and the Tuesday after closes instead
        (dt.date(2026, 12, 28), False, "休館日"),  # Monday before the year-end range
        (dt.date(2026, 12, 29), False, "年末年始"),
        (dt.date(2027, 1, 3), False, "年末年始"),
        (dt.date(2027, 1, 4), False, "休館日"),  # Monday after the range
        (dt.date(2027, 1, 5), True, None),
        (dt.date(2027, 1, 11), True, None),  # 成人の日 (Monday) open
        (dt.date(2027, 1, 12), False, "休館日"),
    ],
)
def test_main_center_opening(admin_ctx, day, is_open, reason):
    main_id = facilities.list_facilities(admin_ctx)[0].id
    status = facilities.day_statuses(admin_ctx, main_id, day, 1)[0][1]
    assert (status.is_open, status.reason) == (is_open, reason)
