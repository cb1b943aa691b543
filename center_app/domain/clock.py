"""The one clock of the application: every "today" and "now" of the services, the database's
column defaults, the printed documents, the screens and the backup file names comes from here.

Times are naive local wall times of Asia/Tokyo (docs/architecture.md §4), whatever time zone the PC is set
to: Japan keeps UTC+9 all year (no daylight saving time since 1951), so a fixed offset gives the
same wall time as the tz database without needing one (Windows has none without an extra package).

Tests set the clock once with :func:`set_fixed` (or :func:`frozen`) and every layer sees the same
moment; :func:`reset` goes back to the real time. The fixed moment stands still until it is set
again. Reading is safe from any thread (the UI runs service calls on a worker thread).

Standard library only.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Japan Standard Time, UTC+9 all year.
TOKYO = dt.timezone(dt.timedelta(hours=9), "JST")

_lock = threading.Lock()
_fixed: dt.datetime | None = None


def precise_now() -> dt.datetime:
    """The local wall time of Asia/Tokyo now, naive, with microseconds (the fixed moment when set).

    :func:`now` and :func:`today` derive from it; dates and stored times use those.
    """
    with _lock:
        fixed = _fixed
    if fixed is not None:
        return fixed
    return dt.datetime.now(TOKYO).replace(tzinfo=None)


def now() -> dt.datetime:
    """The local wall time of Asia/Tokyo now, naive, in whole seconds (as stored in the database)."""
    return precise_now().replace(microsecond=0)


def today() -> dt.date:
    """Today's date in Asia/Tokyo."""
    return precise_now().date()


def set_fixed(when: dt.datetime | dt.date) -> None:
    """Stop the clock at ``when`` (a naive local datetime; a date means its midnight) until
    :func:`reset` or the next :func:`set_fixed`. Raises ValueError for an aware datetime."""
    global _fixed
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time())
    if when.tzinfo is not None:
        raise ValueError("the clock holds naive Asia/Tokyo wall times, not aware datetimes")
    with _lock:
        _fixed = when


def reset() -> None:
    """Let the clock run on the real time again."""
    global _fixed
    with _lock:
        _fixed = None


@contextmanager
def frozen(when: dt.datetime | dt.date) -> Iterator[None]:
    """Within the ``with`` block the clock stands at ``when``; afterwards it is as before."""
    with _lock:
        before = _fixed
    set_fixed(when)
    try:
        yield
    finally:
        if before is None:
            reset()
        else:
            set_fixed(before)
