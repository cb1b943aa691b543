"""Sums of report figures: the frozen dataclasses of the reports (a room's line of the 調定表,
the booking figures of a room or month) add up field by field."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def sum_fields(first: T, second: T, *, keep: Iterable[str] = ()) -> T:
    """A new ``first`` whose fields are ``first``'s plus ``second``'s, one by one (counts and yen),
    except the fields named in ``keep`` (labels such as the room's name), which are ``first``'s.
    Both must be instances of the same dataclass; TypeError otherwise."""
    if type(first) is not type(second) or not dataclasses.is_dataclass(first):
        raise TypeError(f"cannot add {type(second).__name__} to {type(first).__name__}")
    kept = set(keep)
    sums: dict[str, Any] = {f.name: getattr(first, f.name) + getattr(second, f.name) for f in dataclasses.fields(first) if f.name not in kept}
    return dataclasses.replace(first, **sums)
