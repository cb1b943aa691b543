"""Kept summary months go stale in the same transaction as the write that changes them.

The usage summary keeps the figures of past months (:mod:`center_app.db.summaries`). Two hooks on
every session see every write that could change them, whatever service made it:

- :func:`_mark_flushed_months` (``before_flush``): each booking, payment, payment allocation,
  refund or void being inserted, changed or deleted names the months it counts in — a booking
  the month of its start (before and after an edit; when its room changes, also the months its
  payments and refunds were received or paid in, since income is counted per room), a payment
  the month it was received, a refund the month it was paid, an allocation or a void the month
  of its payment or refund. Of these, the months wholly before today get ``generation + 1``.
- :func:`_mark_bulk_writes` (``do_orm_execute``): an INSERT, UPDATE or DELETE statement on those
  tables run through a session (the imports, the demo) moves the state's ``generation``, which
  makes every kept month stale.

A kept month therefore counts only while no write has touched it since; writes outside the
app's sessions (a migration, a tool on the file) are covered by the definition the months are
kept with (it names the schema's head) — never write these tables behind the app's back.
A month is kept only from the second day after its end (see
:mod:`center_app.services.statistics_months`), so a PC whose clock is a day behind still
marks the months another PC keeps.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import event, inspect, select, union_all, update
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.util import identity_key

from center_app.db.bookings import Booking
from center_app.db.money import LedgerVoid, Payment, PaymentAllocation, Refund
from center_app.db.summaries import SummaryMonth, SummaryState
from center_app.domain import clock

#: The tables whose rows the kept figures are computed from.
WATCHED_TABLES = frozenset(model.__tablename__ for model in (Booking, Payment, PaymentAllocation, Refund, LedgerVoid))

#: The booking columns the kept figures read; a change to any other column changes no figure.
_BOOKING_FIGURES = ("start_at", "room_id", "applicant_class_code", "status", "slot_units", "attendance", "fee_yen", "waived_yen")


def month_start(day: dt.date | dt.datetime) -> dt.date:
    """The first day of the month of ``day``."""
    return dt.date(day.year, day.month, 1)


def _values(obj: Any, attribute: str) -> list[Any]:
    """The attribute's value now and, for a changed or deleted row, the value it was read with."""
    history = inspect(obj).attrs[attribute].history
    return [value for value in (*history.added, *history.unchanged, *history.deleted) if value is not None]


def _changed(obj: Any, attributes: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attributes)


def _ledger_days(session: Session, payment_ids: set[int], refund_ids: set[int], booking_ids: set[int]) -> list[dt.date]:
    """The days the given payments were received and refunds paid, and those of every payment
    and refund of the given bookings (one statement)."""
    parts = []
    if payment_ids:
        parts.append(select(Payment.received_on).where(Payment.id.in_(payment_ids)))
    if refund_ids:
        parts.append(select(Refund.refunded_on).where(Refund.id.in_(refund_ids)))
    if booking_ids:
        parts.append(select(Payment.received_on).join(PaymentAllocation, PaymentAllocation.payment_id == Payment.id)
                     .where(PaymentAllocation.booking_id.in_(booking_ids)))
        parts.append(select(Refund.refunded_on).where(Refund.booking_id.in_(booking_ids)))
    if not parts:
        return []
    with session.no_autoflush:
        return list(session.execute(parts[0] if len(parts) == 1 else union_all(*parts)).scalars())


def touched_months(session: Session) -> set[dt.date]:
    """The first days of the months whose kept figures the pending changes of ``session`` touch
    (every month, past or not)."""
    days: list[dt.date | dt.datetime] = []
    payment_ids: set[int] = set()
    refund_ids: set[int] = set()
    moved_bookings: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        fresh = obj in session.new
        if isinstance(obj, Booking):
            if fresh or obj in session.deleted or _changed(obj, _BOOKING_FIGURES):
                days += _values(obj, "start_at")
                if not fresh and obj.id is not None and _changed(obj, ("room_id",)):
                    moved_bookings.add(obj.id)
        elif isinstance(obj, Payment):
            days += _values(obj, "received_on")
        elif isinstance(obj, Refund):
            days += _values(obj, "refunded_on")
        elif isinstance(obj, PaymentAllocation):  # a payment new in this flush is marked itself
            for payment_id in _values(obj, "payment_id"):
                payment = session.identity_map.get(identity_key(Payment, payment_id))
                if payment is not None and "received_on" in inspect(payment).dict:
                    days.append(payment.received_on)  # the payment this service just read or wrote
                else:
                    payment_ids.add(payment_id)
        elif isinstance(obj, LedgerVoid):
            for kind, entry_id in zip(_values(obj, "entry_kind"), _values(obj, "entry_id"), strict=False):
                (payment_ids if kind == "payment" else refund_ids).add(entry_id)
    days += _ledger_days(session, payment_ids, refund_ids, moved_bookings)
    return {month_start(day) for day in days}


def insert_with_conflicts(session: Session) -> Any:
    """The ``insert`` of the session's dialect, which has ``on_conflict_do_update`` /
    ``on_conflict_do_nothing`` (INSERT … ON CONFLICT: SQLite ≥ 3.24 and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _bump_months(session: Session, months: set[dt.date]) -> None:
    """``generation + 1`` of each month, creating its row when missing (INSERT … ON CONFLICT,
    which SQLite and PostgreSQL both take: a summary keeping the month at the same time either
    sees the new generation or waits for this transaction)."""
    insert = insert_with_conflicts(session)
    table = SummaryMonth.__table__
    for month in sorted(months):  # one order on every PC: no deadlock between two writers
        statement = insert(table).values(month_start=month, generation=1)
        session.execute(statement.on_conflict_do_update(index_elements=[table.c.month_start],
                                                        set_={"generation": table.c.generation + 1}))


@event.listens_for(Session, "before_flush")
def _mark_flushed_months(session: Session, _context: Any, _instances: Any) -> None:
    """Mark the past months the pending changes touch (see the module docstring)."""
    if not (session.new or session.dirty or session.deleted):
        return
    if not any(isinstance(obj, (Booking, Payment, PaymentAllocation, Refund, LedgerVoid))
               for obj in (*session.new, *session.dirty, *session.deleted)):
        return
    today = clock.today()
    past = {month for month in touched_months(session) if month < month_start(today)}
    if past:
        _bump_months(session, past)


@event.listens_for(Session, "do_orm_execute")
def _mark_bulk_writes(state: ORMExecuteState) -> None:
    """A bulk INSERT / UPDATE / DELETE on a watched table makes every kept month stale."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        state.session.execute(update(SummaryState).values(generation=SummaryState.generation + 1))
