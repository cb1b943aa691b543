"""versions of every mutable record; staff accounts' session epoch

Every table a clerk or an administrator changes gets ``version INTEGER NOT NULL DEFAULT 1``: the
counter of the edit pattern (docs/architecture.md §5, ``center_app.db.base.Versioned``); rows
that exist start at 1. ``staff_users.session_epoch`` (default 0) goes up when an account is
disabled, its role changes or its password is reset, which signs that person out at the next
action.

Batch mode on SQLite adds the columns with ``ALTER TABLE … ADD COLUMN`` (a constant default needs
no copy of the table); PostgreSQL adds them in place as well.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

#: The tables of versioned records (``center_app.db.base.Versioned``).
TABLES = (
    'facilities', 'rooms', 'time_slots', 'closed_day_rules', 'applicant_classes', 'fee_table', 'fee_exemptions',
    'center_settings', 'staff_users', 'groups', 'booking_series', 'bookings', 'consultation_topics', 'consultations',
    'events',
)


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): batch mode would copy each table, and copying
    # rooms or facilities fails its foreign keys once bookings refer to them.
    op.drop_column('staff_users', 'session_epoch')
    for table in reversed(TABLES):
        op.drop_column(table, 'version')
