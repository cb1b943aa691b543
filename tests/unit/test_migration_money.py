"""Migration of the money ledger, on SQLite and (``make test-pg``) PostgreSQL: a booking stored
before it is 移行前 — never shown as paid nor as unpaid — the default 取消理由 are loaded, and
a downgrade removes the ledger again."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, select

from center_app.db.database import open_database
from center_app.db.money import CancellationReason
from center_app.db.revisions import alembic_config
from center_app.domain.money import MoneyState
from center_app.domain.roles import Role
from center_app.services import ledger
from center_app.services.context import CurrentUser, ServiceContext
from migration_support import a_room, database_at, insert

pytestmark = pytest.mark.postgres

LEDGER_TABLES = {"payments", "payment_allocations", "refunds", "ledger_voids", "document_counters", "permits", "permit_bookings",
                 "receipt_prints", "day_closes", "cancellation_reasons"}


def test_bookings_from_before_the_ledger_are_legacy_and_the_downgrade_removes_it(db_url):
    from alembic import command

    with database_at(db_url, "0006") as conn:
        booking = insert(conn, "bookings", room_id=a_room(conn), start_at=dt.datetime(2026, 5, 1, 13), end_at=dt.datetime(2026, 5, 1, 17),
                         status="used", applicant_name="白根 花子", fee_yen=400, gross_fee_yen=400, base_fee_yen=400, slip_no="B2026-000001")

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
            config = alembic_config()
            config.attributes["connection"] = conn
            command.downgrade(config, "0006")
        inspector = inspect(db.engine)
        assert not LEDGER_TABLES & set(inspector.get_table_names())
        assert "ledger_legacy" not in {c["name"] for c in inspector.get_columns("bookings")}
        assert "conditions" not in {c["name"] for c in inspector.get_columns("rooms")}
    finally:
        db.dispose()
