"""The one edit pattern of every mutable record (docs/architecture.md §4 and §5, "Edits").

Two PCs — or two windows of one PC — may open the same booking, group, consultation, staff
account, settings row or event at once. Every service that changes a stored record does, inside
its one write transaction:

1. **lock the row first** — :func:`lock_for_edit` reads it with ``SELECT … FOR UPDATE`` on
   PostgreSQL (the other PC's transaction waits until this one ends; the row read is the latest
   committed one). On SQLite the write transaction began with ``BEGIN IMMEDIATE`` and holds the
   database's write lock already (:mod:`center_app.db.engine`);
2. **compare the version the form was opened with** (``expected_version``, from the view the
   service returned when the form was filled): a different stored version means someone saved
   in between, and the save is refused with :class:`StaleEditError` — 「ほかの端末で変更されまし
   た。開き直してください。」 naming who changed it and when (from the audit log). The form keeps
   what was typed and can open the record again;
3. **lock what a rule counts across rows** before reading it (:func:`lock_rows`): the rooms of a
   booking (conflicts, capacity) and the group whose monthly slots the cap counts, so two PCs
   booking different rooms for one group take turns;
4. check the rules on the values now read, write, audit. The row's ``version`` goes up by itself
   with the write (:class:`center_app.db.base.Versioned`), and the written view carries it.

Actions that change one thing and check their own rule on the locked row (cancel, check-in, a
group's status, a renewal, a reissue, a password reset) lock the row and take no
``expected_version``: they never write values read earlier by a form.

Lock order, the same in every path so two PCs never wait for each other in a circle: the
record's own row (booking, group, …), then rooms in id order, then groups in id order, then the
center-wide settings rows. PostgreSQL would still resolve a circle (one transaction fails with a
deadlock, the clerk sees the usual conflict message), but none is built.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from center_app.db.models import AuditEntry
from center_app.domain.errors import StaleEditError, ValidationError

T = TypeVar("T")

#: Audit actions that record a read or a refusal, not a change (never named as "who changed it").
NOT_CHANGES = frozenset({
    "read", "list", "count", "denied", "export", "print", "report", "sign_in", "sign_in_failed", "locked",
    "session_ended", "possible_duplicate",
})


def lock(session: Session, model: type[T], key: Any) -> T | None:
    """The row of ``model`` with primary key ``key``, read afresh and locked until the end of the
    transaction (``FOR UPDATE`` on PostgreSQL; SQLite's write transaction holds the database).
    None when there is no such row."""
    column = inspect(model).primary_key[0]
    query = select(model).where(column == key).with_for_update().execution_options(populate_existing=True)
    return session.scalars(query).first()


def lock_rows(session: Session, model: type, keys: Iterable[Any]) -> None:
    """Lock the rows of ``model`` with the primary keys ``keys`` (None ignored), in key order, so
    a rule that counts across them (a group's monthly slots, a room's bookings) reads what no
    other PC can change until this transaction ends."""
    wanted = sorted({k for k in keys if k is not None})
    if wanted:
        column = inspect(model).primary_key[0]
        session.execute(select(column).where(column.in_(wanted)).order_by(column).with_for_update()).all()


def lock_name(session: Session, name: str) -> None:
    """Serialise the writers of something that has no row to lock — the next number of a
    sequence (registration numbers; receipt numbers will be one), the first administrator of an
    empty database, the first configuration — until the end of the transaction: a transaction
    lock named ``name`` on PostgreSQL (``pg_advisory_xact_lock``); SQLite's write transaction
    holds the whole database already. Take it after the row locks of the same transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"center_app:{name}"})


def stale_edit(session: Session, entity: str, entity_id: Any, current_version: int | None = None) -> StaleEditError:
    """The refusal of a save made from an older version: names the newest change of
    ``entity``/``entity_id`` in the audit log (who, when) if there is one."""
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id), AuditEntry.action.not_in(NOT_CHANGES))
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if entry is None or not entry.staff_name:
        return StaleEditError(current_version=current_version)
    return StaleEditError(entry.staff_name, entry.at, current_version)


def check_version(session: Session, row: Any, expected_version: int | None, entity: str, entity_id: Any = None) -> None:
    """Refuse (:class:`StaleEditError`) when ``expected_version`` is given and the locked ``row``
    has another version."""
    if expected_version is not None and row.version != expected_version:
        raise stale_edit(session, entity, row.id if entity_id is None else entity_id, row.version)


def lock_for_edit(session: Session, model: type[T], key: Any, *, entity: str, missing: str,
                  expected_version: int | None = None) -> T:
    """Steps 1 and 2 of the pattern: the locked, freshly read row of ``model`` ``key``.

    Raises :class:`ValidationError` with ``missing`` when the row no longer exists, and
    :class:`StaleEditError` when ``expected_version`` is given and differs from the stored one."""
    row = lock(session, model, key)
    if row is None:
        raise ValidationError(missing)
    check_version(session, row, expected_version, entity, key)
    return row
