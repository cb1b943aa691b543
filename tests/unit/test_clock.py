"""The one clock (center_app.domain.clock): Asia/Tokyo wall time whatever the PC's zone, settable
once for tests, readable from any thread."""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from center_app.domain import clock as app_clock


# --- the clock itself --------------------------------------------------------------------------------


def _tokyo_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + dt.timedelta(hours=9)


def test_real_time_is_tokyo_wall_time_whatever_the_pcs_zone(monkeypatch):
    if not hasattr(time, "tzset"):
        pytest.skip("the process's time zone can only be changed on Unix")
    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    time.tzset()
    try:
        tokyo = _tokyo_now()
        now = app_clock.now()
        assert abs(now - tokyo) < dt.timedelta(seconds=5)
        assert abs(dt.datetime.now() - tokyo) > dt.timedelta(hours=1)  # the PC's own wall time differs
        assert app_clock.today() == now.date() and now.microsecond == 0 and now.tzinfo is None
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_fixed_moment_stands_still_until_reset():
    moment = dt.datetime(2026, 12, 5, 23, 59, 59, 750000)
    app_clock.set_fixed(moment)
    assert (app_clock.today(), app_clock.now(), app_clock.precise_now()) == (
        dt.date(2026, 12, 5), dt.datetime(2026, 12, 5, 23, 59, 59), moment)
    app_clock.set_fixed(dt.date(2027, 1, 4))
    assert app_clock.now() == dt.datetime(2027, 1, 4, 0, 0)
    app_clock.reset()
    assert abs(app_clock.now() - _tokyo_now()) < dt.timedelta(seconds=5)


def test_frozen_restores_the_moment_before_and_aware_times_are_refused():
    app_clock.set_fixed(dt.datetime(2026, 6, 2, 9, 0))
    with app_clock.frozen(dt.date(2026, 12, 5)):
        assert app_clock.today() == dt.date(2026, 12, 5)
    assert app_clock.now() == dt.datetime(2026, 6, 2, 9, 0)
    with pytest.raises(ValueError):
        app_clock.set_fixed(dt.datetime(2026, 12, 5, tzinfo=dt.timezone.utc))


def test_a_worker_thread_reads_the_moment_set_on_the_main_thread():
    app_clock.set_fixed(dt.datetime(2026, 12, 5, 10, 30))
    with ThreadPoolExecutor(max_workers=4) as pool:
        seen = set(pool.map(lambda _i: (app_clock.today(), app_clock.now()), range(200)))
    assert seen == {(dt.date(2026, 12, 5), dt.datetime(2026, 12, 5, 10, 30))}
