"""bookings: on PostgreSQL the database itself refuses overlapping active bookings of one room

``EXCLUDE USING gist (room_id WITH =, tsrange(start_at, end_at, '[)') WITH &&) WHERE (status <>
'cancelled')``: two bookings of the same room whose half-open intervals overlap cannot both be
stored unless one is cancelled (取消; every other status — provisional, confirmed, used, no_show —
occupies the room, see ``bookings_values.BLOCKING``). The equality on an integer inside a gist
index needs the ``btree_gist`` extension (in PostgreSQL's contrib, shipped with the server
packages; creating it needs the CREATE privilege on the database, which the owner has).

The services check for conflicts first and lock the room rows, so this constraint is the last
guard (two PCs, a future code path, a hand-made INSERT). A violation (SQLSTATE 23P01) reaches the
user as the usual conflict message: see ``services.bookings_guard.flush_booking``.

SQLite has no exclusion constraints: there ``BEGIN IMMEDIATE`` serialises every check-then-write,
and this migration does nothing. The constraint is PostgreSQL-only DDL and is not on the models'
metadata: Alembic's autogenerate does not compare exclusion constraints, and drops the gist index
PostgreSQL builds for it from the comparison (reflected as ``duplicates_constraint``), so the
migrated schema still equals the models (``tests/unit/test_database.py`` checks it on both engines).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00
"""
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

#: Name of the constraint (and of the gist index PostgreSQL builds for it).
CONSTRAINT = 'ex_bookings_room_time'


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
    op.execute(
        f"ALTER TABLE bookings ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (room_id WITH =, tsrange(start_at, end_at, '[)') WITH &&) "
        "WHERE (status <> 'cancelled')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(f'ALTER TABLE bookings DROP CONSTRAINT IF EXISTS {CONSTRAINT}')
    # btree_gist stays: other objects of the database may use it, and it is harmless.
