"""The bookings-and-ledger pass of a usage summary, with the figures of past months kept
(:mod:`center_app.db.summaries`, made stale by :mod:`center_app.db.summary_marks`).

A summary asks :func:`month_rows` for the pass's rows of every month of its period:

1. one statement reads which months are kept and still count, with their rows — a month counts
   while no write touched it since it was kept (its ``generation``), no bulk write touched the
   bookings or the ledger (the state's ``generation``) and it was kept by this version of the
   figures and of the schema (:func:`definition`);
2. one statement reads the other months from the bookings and the ledger
   (:func:`center_app.services.statistics_bookings.pass_statement`);
3. after the summary's read transaction, :func:`keep` stores the months read in step 2 that may
   be kept, in a write transaction of their own — only where no write touched the month since
   step 1 read its generation. Step 1 runs before step 2, so figures read under PostgreSQL's
   READ COMMITTED are never older than the generation they are kept with.

Months that may be kept: every day of them lies before yesterday on this PC's clock (and before
the summary's own day): a PC whose clock is a day behind still marks them when it writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from center_app.db.summaries import SummaryMonth, SummaryMonthFigure, SummaryState
from center_app.db.summary_marks import insert_with_conflicts
from center_app.domain import clock
from center_app.domain.roles import Role
from center_app.domain.statistics_values import Period

log = logging.getLogger(__name__)

#: Bump when the pass's figures change meaning (its SQL, its columns): months kept before are
#: then read again.
FIGURES_VERSION = 1

@functools.cache
def definition() -> str:
    """What kept months must have been kept with to count: this version of the figures and the
    schema's head (a migration may have rewritten the rows they were computed from)."""
    from center_app.db.revisions import schema_head

    return f"{FIGURES_VERSION}/{schema_head()}"


@dataclass(frozen=True)
class PendingMonth:
    """A month read from the bookings and the ledger that may be kept: its first day, the
    generations read before it was read (the month's, 0 when it had no row; the state's) and
    its rows (part, room id, applicant class code, nine figures)."""

    month_start: dt.date
    generation: int
    state_generation: int
    rows: tuple[tuple[Any, ...], ...]


def keepable(period: Period, today: dt.date | None) -> list[int]:
    """Indexes of the months of ``period`` that may be kept: the day after the month lies
    before this PC's today (so the month ended before yesterday) and not after ``today`` (the
    summary's day)."""
    now = clock.today()
    result = []
    for i, (year, month) in enumerate(period.months):
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        if following < now and (today is None or following <= today):
            result.append(i)
    return result


@functools.cache
def _kept_statement():
    """The state's generation, each asked month's row and, for the months that count, their
    kept rows (rows: state generation, month, generation, 1 when the month counts, part, room
    id, class code, figures; a month without a row, or without kept rows, gives NULLs where it
    has nothing)."""
    state, months, figures = SummaryState.__table__, SummaryMonth.__table__, SummaryMonthFigure.__table__
    counts = and_(
        months.c.figures_generation == months.c.generation,
        months.c.state_generation == state.c.generation,
        months.c.definition == bindparam("definition"),
    )
    return (
        select(state.c.generation, months.c.month_start, months.c.generation, case((counts, 1), else_=0), figures.c.part, figures.c.room_id,
               figures.c.applicant_class_code, *[figures.c[f"value_{i}"] for i in range(9)])
        .select_from(state)
        .outerjoin(months, months.c.month_start.in_(bindparam("months", expanding=True)))
        .outerjoin(figures, and_(figures.c.month_start == months.c.month_start, counts))
        .where(state.c.id == 1)
    )


def read_kept(conn: Connection, starts: Sequence[dt.date]) -> tuple[int | None, dict[dt.date, int], dict[dt.date, list[tuple[Any, ...]]]]:
    """(the state's generation — None when the database has no state row: nothing is kept —,
    month → its generation, month → kept rows of each month that counts, possibly none).
    One statement."""
    generations: dict[dt.date, int] = {}
    kept: dict[dt.date, list[tuple[Any, ...]]] = {}
    state_generation = None
    for row in conn.execute(_kept_statement(), {"months": list(starts), "definition": definition()}).all():
        state_generation = row[0]
        if row[1] is None:
            continue
        month = row[1] if isinstance(row[1], dt.date) else dt.date.fromisoformat(str(row[1]))
        generations[month] = row[2]
        if row[3]:
            rows = kept.setdefault(month, [])
            if row[4] is not None:
                rows.append(tuple(row[4:]))
    return state_generation, generations, kept


def keep(db: Any, pending: Sequence[PendingMonth]) -> None:
    """Store the figures of ``pending`` months (after the summary's read transaction), each only
    where its generation is still the one read before it was computed. Best effort: a failure
    (the database busy or read-only) is logged and changes nothing — the month is read from the
    bookings again next time."""
    if not pending:
        return
    months, figures = SummaryMonth.__table__, SummaryMonthFigure.__table__
    try:
        with db.write() as session:
            insert = insert_with_conflicts(session)
            stamp = clock.now()
            for month in sorted(pending, key=lambda p: p.month_start):
                session.execute(insert(months).values(month_start=month.month_start, generation=0)
                                .on_conflict_do_nothing(index_elements=[months.c.month_start]))
                result = session.execute(
                    update(months)
                    .where(months.c.month_start == month.month_start, months.c.generation == month.generation)
                    .values(figures_generation=month.generation, state_generation=month.state_generation,
                            definition=definition(), computed_at=stamp)
                )
                if result.rowcount != 1:
                    continue  # written since it was read: read again next time
                session.execute(delete(figures).where(figures.c.month_start == month.month_start))
                if month.rows:
                    session.execute(insert(figures), [
                        {"month_start": month.month_start, "part": int(row[0]), "room_id": row[1], "applicant_class_code": row[2],
                         **{f"value_{i}": int(value or 0) for i, value in enumerate(row[3:])}}
                        for row in month.rows
                    ])
    except SQLAlchemyError as error:  # pragma: no cover - a busy or read-only database
        log.warning("the summary's figures of past months were not kept: %s", error)


def forget_kept(ctx: Any) -> int:
    """Drop every kept month (``ctx``: a :class:`~center_app.services.context.ServiceContext`
    of an administrator), so the next summaries count every month from the bookings and the
    ledger again and keep them anew: the remedy when bookings or the ledger were written outside
    the app (a hand-made SQL repair), which no hook marks. Audited. Returns how many months were
    kept. Raises :class:`~center_app.domain.errors.PermissionDenied` for other roles."""
    from center_app.services import audit

    user = ctx.require(Role.ADMIN)
    months, figures = SummaryMonth.__table__, SummaryMonthFigure.__table__
    with ctx.db.write() as session:
        count = session.scalar(select(func.count()).select_from(months).where(months.c.figures_generation.is_not(None))) or 0
        session.execute(delete(figures))
        session.execute(update(months).values(figures_generation=None, state_generation=None, definition=None, computed_at=None))
        audit.record(session, user, "usage_summary", "", "recount", {"kept_months": count}, {"kept_months": 0})
    return int(count)
