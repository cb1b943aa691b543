"""The usage summary reads covering indexes (migration 0019_summary_indexes), not the wide rows:
a fiscal year of a large center took 75 ms reading every booking, consultation and group row
and 12 scans of the refunds. Checked on SQLite's query plans of the summary's own statements (a
column added to a pass without its index would make the pass read the table again)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from center_app.domain.statistics_values import Period
from center_app.services import statistics


def _plans(ctx, period: Period) -> str:
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(ctx.db.engine, "before_cursor_execute", capture)
    try:
        statistics.summarize(ctx, period)
    finally:
        event.remove(ctx.db.engine, "before_cursor_execute", capture)
    lines = []
    with ctx.db.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        for statement, parameters in statements:
            lines += [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
    return "\n".join(lines)


def test_the_fiscal_years_passes_read_their_covering_indexes(admin_ctx):
    if not admin_ctx.db.url.startswith("sqlite"):
        pytest.skip("SQLite's query plans")
    plans = _plans(admin_ctx, Period.of_fiscal_year(2026))
    assert "SEARCH bookings USING COVERING INDEX ix_bookings_summary" in plans
    assert "SEARCH payment_allocations USING COVERING INDEX ix_payment_allocations_summary" in plans
    assert "SEARCH consultations USING COVERING INDEX ix_consultations_summary" in plans
    assert "SCAN groups USING COVERING INDEX ix_groups_dates" in plans
    assert "SCAN refunds" not in plans and "USING INDEX ix_refunds_refunded_on" in plans
    assert "ix_bookings_start_at" not in plans  # no pass looks up the wide booking rows
