"""Writing many rows in one transaction (the imports): SQLAlchemy Core ``INSERT`` executemany in
chunks, and the progress of a long action with a way to stop it.

An import checks every row first, then writes them here, with one statement per chunk of
:data:`CHUNK` rows instead of one ORM flush per row. Values come from the same functions that
fill a single record (``apply_checked``, ``apply_clean``) applied to a plain namespace, so a
bulk row holds exactly what the one-by-one path would store; column defaults (timestamps) are
filled by SQLAlchemy as for any insert.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.orm import Session

from center_app.domain.errors import Cancelled

#: Rows written per statement (and between two progress reports).
CHUNK = 1000

#: ``progress(done, total)``: called now and then during a long action; returning False stops it.
Progress = Callable[[int, int], bool | None]


_pause_lock = threading.Lock()
_pauses = 0
_collector_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an import reads, checks and writes its rows.

    An import keeps every row it has read until it writes them, so the live objects grow by tens
    of thousands; each automatic collection walks all of them again, yet finds almost nothing
    (the rows are freed by their reference counts). On a 20,000-row ledger that walking was a
    fifth of the import's CPU time; the one collection that runs later finds the little left in
    a few hundredths of a second. The pause is the process's (the screens' thread too, for the
    seconds an import takes). Nested and concurrent pauses share one: the collector runs again
    when the last ends (exception or not), and only if it ran before the first began."""
    global _pauses, _collector_was_enabled
    with _pause_lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_enabled:
                gc.enable()


class Steps:
    """The progress of one action of ``total`` steps, reported to ``progress`` about once a
    percent (and at the end). When ``progress`` returns False, :class:`Cancelled` is raised
    there; the caller is inside its write transaction, so nothing is written."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, max(total, 1), 0
        self._next = 0

    def advance(self, count: int = 1) -> None:
        """``count`` more steps done."""
        self.done = min(self.done + count, self.total)
        if self.progress is not None and (self.done >= self._next or self.done == self.total):
            self._next = self.done + max(self.total // 100, 1)
            if self.progress(self.done, self.total) is False:
                raise Cancelled()


def record(values: dict[str, Any] | None = None, **more: Any) -> SimpleNamespace:
    """A plain object to fill with the attribute setters of a model (``apply_checked`` …)."""
    return SimpleNamespace(**(values or {}), **more)


def row_values(obj: Any, table: Table) -> dict[str, Any]:
    """The column values ``obj`` has (its other attributes, such as relationships, left out)."""
    columns = _column_names.get(table)
    if columns is None:
        columns = _column_names[table] = frozenset(table.columns.keys())
    return {key: value for key, value in vars(obj).items() if key in columns}


#: The column names of each table :func:`row_values` was given (a set is read much faster than
#: the table's column collection, once per attribute of every row).
_column_names: dict[Table, frozenset[str]] = {}


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]], steps: Steps | None = None, *, ids: bool = False) -> list[int]:
    """INSERT ``rows`` into ``table`` with executemany, :data:`CHUNK` at a time (``steps``
    advances by each chunk). ``ids``: return the new ids, in the order of ``rows``."""
    new_ids: list[int] = []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True) if ids else insert(table)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        result = session.execute(statement, chunk)
        if ids:
            new_ids += [row[0] for row in result]
        if steps is not None:
            steps.advance(len(chunk))
    return new_ids


def update_by_id(session: Session, table: Table, values: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """UPDATE each row ``id`` with its ``values`` (the same columns in every row), executemany."""
    rows = [{"row_id": row_id, **{f"new_{k}": v for k, v in changed.items()}} for row_id, changed in values]
    if not rows:
        return
    columns = [key.removeprefix("new_") for key in rows[0] if key != "row_id"]
    statement = update(table).where(table.c.id == bindparam("row_id")).values({c: bindparam(f"new_{c}") for c in columns})
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, rows[start : start + CHUNK])
