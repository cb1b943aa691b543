"""Imports on each data set (docs/architecture.md §8; targets on the CPU time):

- a booking ledger of 20,000 rows (``services.bookings_io.import_bookings``, what ``center-app
  bookings import`` runs): ≤ 5 s and ≤ 8 × a bare SQLAlchemy Core executemany INSERT of the
  same 20,000 bookings (the rows the import wrote, inserted again in a transaction that is rolled
  back); and the growth: 20,000 rows take ≤ 2.3 × the time of the first 10,000;
- a group list of 5,000 new groups (``services.groups_io.import_groups``): ≤ 2 s; baseline the
  bare executemany of the same 5,000 group rows (reported).

The files (:mod:`ledger`) hold valid rows only, in years before the data sets' history; each
run imports into the data set as it is, and the rows it wrote are deleted again (untimed)
before the next run.
"""

from __future__ import annotations

from harness import Row, check, interleaved, median, note, record
from sqlalchemy import delete, func, insert, select

import ledger

RUNS = 5
ROWS = 20_000


def _imported_rows(db, table, first_id: int) -> list[dict]:
    with db.read() as session:
        rows = [dict(r._mapping) for r in session.execute(select(table).where(table.c.id > first_id).order_by(table.c.id))]
    for row in rows:
        row.pop("id")
    return rows


def _forget(db, tables_from: dict) -> None:
    """Delete what an import wrote (rows of each table above the id it had before)."""
    with db.write() as session:
        for table, first_id in tables_from.items():
            session.execute(delete(table).where(table.c.id > first_id))


def _max_id(db, table) -> int:
    with db.read() as session:
        return session.scalar(select(func.coalesce(func.max(table.c.id), 0)))


def _bare_insert(db, table, rows: list[dict]) -> None:
    """The baseline: one Core executemany INSERT of ``rows`` (in a transaction rolled back)."""
    with db.engine.connect() as conn:
        transaction = conn.begin()
        try:
            conn.execute(insert(table), rows)
        finally:
            transaction.rollback()


def test_bookings_import(bench_db, bench_ctx, tmp_path, profile):
    from center_app.db.bookings import Booking
    from center_app.db.models import AuditEntry
    from center_app.services import bookings_io

    bookings, audit = Booking.__table__, AuditEntry.__table__
    half = ledger.write_ledger(bench_db, tmp_path / "ledger-10000.csv", ROWS // 2)
    full = ledger.write_ledger(bench_db, tmp_path / f"ledger-{ROWS}.csv", ROWS)
    before = {bookings: _max_id(bench_db, bookings), audit: _max_id(bench_db, audit)}
    created: list[int] = []

    def import_file(path):
        def run() -> None:
            created.append(bookings_io.import_bookings(bench_ctx, path).created)
        return run

    import_file(full)()  # warm, and the rows of the baseline
    written = _imported_rows(bench_db, bookings, before[bookings])
    _forget(bench_db, before)
    assert len(written) == ROWS and created == [ROWS]
    fee_total = sum(r["fee_yen"] for r in written if r["status"] != "cancelled")

    def forget() -> None:
        _forget(bench_db, before)

    ours, _forgotten, bare, half_times, _forgotten_again = interleaved(
        RUNS, import_file(full), forget, lambda: _bare_insert(bench_db, bookings, written), import_file(half), forget,
    )
    assert set(created) <= {ROWS, ROWS // 2}
    (cpu, wall), (bare_cpu, bare_wall), (half_cpu, half_wall) = ours.medians(), bare.medians(), half_times.medians()
    note("bookings_import", profile, f"bookings import: {ROWS} rows, {sum(1 for r in written if r['status'] == 'cancelled')} cancelled, "
         f"fee total {fee_total:,} yen; {ROWS // 2} rows CPU {half_cpu:.2f} s (wall {half_wall:.2f} s)")
    row = record("bookings_import", profile, Row(f"bookings import, {ROWS:,} rows", RUNS, cpu, wall, bare_cpu, bare_wall,
                                                 "bare Core executemany of the same rows", "s", "≤ 5 s and ≤ 8 × baseline",
                                                 cpu <= 5 and cpu <= 8 * bare_cpu))
    growth = record("bookings_import_growth", profile, Row(f"bookings import, {ROWS:,} rows ÷ {ROWS // 2:,} rows", RUNS, cpu / half_cpu,
                                                          wall / half_wall, None, None, "", "×", "≤ 2.3 ×", cpu / half_cpu <= 2.3))
    check(row)
    check(growth)


def test_groups_import(bench_db, bench_ctx, tmp_path, profile):
    from center_app.db.groups import Group, GroupActivityField
    from center_app.db.models import AuditEntry
    from center_app.services import groups_io

    count = 5_000
    groups, audit = Group.__table__, AuditEntry.__table__
    path = ledger.write_groups(tmp_path / "groups.csv", count)
    before = {groups: _max_id(bench_db, groups), audit: _max_id(bench_db, audit)}
    results = []

    def forget() -> None:
        # the new groups are referenced by nothing, so the foreign keys are not checked: each deleted
        # group would scan every column referring to groups that has no index (payments.group_id:
        # 170,000 rows of the large set, 5,000 times)
        raw = bench_db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(f"DELETE FROM {GroupActivityField.__table__.name} WHERE group_id > ?", (before[groups],))
            for table, first_id in before.items():
                cursor.execute(f"DELETE FROM {table.name} WHERE id > ?", (first_id,))
            cursor.execute("COMMIT")
        finally:
            raw.cursor().execute("PRAGMA foreign_keys=ON")
            raw.close()

    def ours() -> None:
        results.append(groups_io.import_groups(bench_ctx, path))

    ours()  # warm, and the rows of the baseline
    written = _imported_rows(bench_db, groups, before[groups])
    forget()
    assert len(written) == count and results[0].created == count
    times, _forgotten, bare = interleaved(RUNS, ours, forget, lambda: _bare_insert(bench_db, groups, written))
    assert all(r.created == count for r in results)
    (cpu, wall), (bare_cpu, bare_wall) = times.medians(), bare.medians()
    note("groups_import", profile, f"groups import: {count} new groups numbered by the import, median of {median(times):.2f} s wall")
    row = record("groups_import", profile, Row(f"groups import, {count:,} new groups", RUNS, cpu, wall, bare_cpu, bare_wall,
                                               "bare Core executemany of the same rows", "s", "≤ 2 s", cpu <= 2))
    check(row)
