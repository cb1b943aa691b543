"""Declarative base with a naming convention, so Alembic batch migrations can name constraints;
and the version counter every mutable record carries (docs/architecture.md §5, "Edits").

:class:`Versioned` gives a model an integer ``version`` (1 for a new row) that goes up by one in
every flush that changes the row — a column or a collection of the row (a group's activity
fields, a consultation's topics) — whatever code path made the change, so no path can forget it
(:func:`_new_versions`, a ``before_flush`` hook on every session). SQLAlchemy then writes the
row with ``UPDATE … WHERE id = ? AND version = <the version read>`` (``version_id_col`` with the
counter managed here), so a write that was not preceded by a row lock still cannot overwrite
another PC's change silently: it fails with ``StaleDataError``, which
:func:`center_app.db.engine.session_scope` turns into the clerk's "changed on another PC"
message. The services lock the row first and compare the version the form was opened with
(:mod:`center_app.services.editing`).
"""

from __future__ import annotations

import weakref
from typing import Any, ClassVar

from sqlalchemy import Integer, MetaData, event, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, declared_attr, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every model; ``Base.metadata`` is what the migrations must match."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """Mixin of every record a clerk or an administrator may change: ``version`` starts at 1 and
    goes up by one with every flush that changes the row (see the module docstring).

    ``__version_ignored__`` names columns whose change is bookkeeping, not an edit (a staff
    account's failed sign-ins): changing only those keeps the version."""

    __version_ignored__: ClassVar[frozenset[str]] = frozenset()

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declared_attr takes the class
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


_SETTLED = "center_app_versioned"


@event.listens_for(Session, "before_flush")
def _new_versions(session: Session, _context: Any, _instances: Any) -> None:
    """Give every changed :class:`Versioned` row its next version — once per transaction: a row
    inserted, or already given its new version, by an earlier flush of the same transaction
    keeps it (one save is one new version, however often it flushes)."""
    settled: weakref.WeakSet = session.info.setdefault(_SETTLED, weakref.WeakSet())
    settled.update(obj for obj in session.new if isinstance(obj, Versioned))
    for obj in session.dirty:
        if not isinstance(obj, Versioned) or obj in settled:
            continue
        state = inspect(obj)
        ignored = type(obj).__version_ignored__
        if state.attrs.version.history.has_changes():
            settled.add(obj)  # set explicitly by the code
        elif any(attr.key not in ignored and attr.key != "version" and attr.history.has_changes() for attr in state.attrs):
            obj.version = (obj.version or 0) + 1
            settled.add(obj)


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_SETTLED, None)
