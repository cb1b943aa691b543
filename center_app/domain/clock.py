"""The one clock (placeholder until the clock module lands)."""

import datetime as dt


def today() -> dt.date:
    """Today's local date."""
    return dt.date.today()
