"""facilities: the lottery window of each facility

Four optional columns give a facility its own lottery window (months ahead, first and last day of
entries, entries per group); empty ones fall back to the center-wide values of 設定.

Revision ID: 0015_lottery_windows
Revises: 0014_programs
Create Date: 2026-12-05 20:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_lottery_windows'
down_revision = '0014_programs'
branch_labels = None
depends_on = None

_COLUMNS = ('lottery_months_ahead', 'lottery_entry_first_day', 'lottery_entry_last_day', 'lottery_entries_per_group')


def upgrade() -> None:
    # ADD/DROP COLUMN in place on both engines: a batch copy of facilities would drop a table that
    # rooms, bookings and the ledger refer to (as in 0008_money_ledger)
    for name in _COLUMNS:
        op.add_column('facilities', sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    for name in reversed(_COLUMNS):
        op.execute(f'ALTER TABLE facilities DROP COLUMN {name}')
