"""Migration of the money ledger, on SQLite and (``make test-pg``) PostgreSQL: a booking stored
before it is 移行前 — never shown as paid nor as unpaid — the default 取消理由 are loaded, and
a downgrade removes the ledger again."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, MetaData, String, Table, Text, Time, inspect, select

from center_app.db.database import open_database
from center_app.db.engine import make_engine
from center_app.db.money import CancellationReason
from center_app.db.revisions import alembic_config
from center_app.domain.money import MoneyState
from center_app.domain.roles import Role
from center_app.services import ledger
from center_app.services.context import CurrentUser, ServiceContext

pytestmark = pytest.mark.postgres

LEDGER_TABLES = {"payments", "payment_allocations", "refunds", "ledger_voids", "document_counters", "permits", "permit_bookings",
                 "receipt_prints", "day_closes", "cancellation_reasons"}


def _filler(column):
    kind = type(column.type)
    if isinstance(column.type, Boolean):
        return False
    if isinstance(column.type, DateTime):
        return dt.datetime(2026, 5, 1, 10, 0)
    if isinstance(column.type, Date):
        return dt.date(2026, 5, 1)
    if isinstance(column.type, Time):
        return dt.time(9, 0)
    if isinstance(column.type, Integer):
        return 1
    if isinstance(column.type, String | Text):
        return ""
    if "JSON" in kind.__name__:
        return []
    raise AssertionError(f"no filler for {column}")


def _insert(conn, table_name: str, **values) -> int:
    table = Table(table_name, MetaData(), autoload_with=conn)
    row = {c.name: _filler(c) for c in table.columns if not c.nullable and not c.primary_key}
    row.update(values)
    return conn.execute(table.insert().values(**row).returning(table.c.id)).scalar_one()


def test_bookings_from_before_the_ledger_are_legacy_and_the_downgrade_removes_it(db_url):
    from alembic import command

    engine = make_engine(db_url)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
        facility = _insert(conn, "facilities", code="main", name="センター", opening_time=dt.time(9), closing_time=dt.time(22))
        room = _insert(conn, "rooms", facility_id=facility, code="M1", name="会議室1", capacity=10)
        booking = _insert(conn, "bookings", room_id=room, start_at=dt.datetime(2026, 5, 1, 13), end_at=dt.datetime(2026, 5, 1, 17),
                          status="used", applicant_name="白根 花子", fee_yen=400, gross_fee_yen=400, base_fee_yen=400, slip_no="B2026-000001")
    engine.dispose()

    db = open_database(db_url)
    try:
        ctx = ServiceContext(db, CurrentUser(None, "t", "窓口", Role.COUNTER))
        money = ledger.booking_money(ctx, [booking])[booking]
        assert (money.state, money.label, money.fee) == (MoneyState.LEGACY, "移行前", 400)
        with db.read() as session:
            reasons = [(r.code, r.refund_percent) for r in session.scalars(select(CancellationReason).order_by(CancellationReason.sort_order))]
        assert reasons == [("center", 100), ("disaster", 100), ("applicant", 0)]
        paid = ledger.record_payment(ctx, [booking], "cash")  # a 移行前 booking can still be paid at the counter
        assert paid.receipt_no == "R2026-000001"

        with db.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
        inspector = inspect(db.engine)
        assert not LEDGER_TABLES & set(inspector.get_table_names())
        assert "ledger_legacy" not in {c["name"] for c in inspector.get_columns("bookings")}
        assert "conditions" not in {c["name"] for c in inspector.get_columns("rooms")}
    finally:
        db.dispose()
