"""summary indexes: covering indexes for the usage summary, and payments by group

The monthly and fiscal-year summary (services/statistics_queries) reads every booking of the
period, the ledger's payments and refunds of the period, the consultations and visitor counts
of the period and the dates of every group. These indexes hold all the columns those passes read, so each is a
scan of a narrow index instead of a lookup of every wide row (the fiscal year of a large center
75 → 60 ms); ``payments.group_id`` had no index at all (a group's payments, or the check of
its foreign key when a group row is deleted, scanned every payment). Only indexes: nothing to
back-fill, the same DDL on SQLite and PostgreSQL.

Revision ID: 0019_summary_indexes
Revises: 0018_endorsement_register
Create Date: 2026-12-05 21:45:00
"""
from alembic import op

revision = '0019_summary_indexes'
down_revision = '0018_endorsement_register'
branch_labels = None
depends_on = None

#: name → (table, columns); the same tuples as the models' ``__table_args__``.
INDEXES = {
    'ix_bookings_summary': ('bookings', (
        'start_at', 'room_id', 'applicant_class_code', 'status', 'slot_units', 'attendance', 'fee_yen', 'waived_yen', 'group_id',
        'exemption_code', 'gross_fee_yen', 'exemption_rate_percent', 'exemption_name',
    )),
    'ix_payment_allocations_summary': ('payment_allocations', ('payment_id', 'booking_id', 'amount_yen')),
    'ix_payments_group_id': ('payments', ('group_id',)),
    'ix_refunds_refunded_on': ('refunds', ('refunded_on',)),
    'ix_consultations_summary': ('consultations', ('consulted_on', 'method', 'client_type', 'staff_user_id', 'duration_minutes')),
    'ix_groups_dates': ('groups', ('status', 'registered_on', 'renewed_on', 'status_changed_on', 'valid_until')),
    'ix_visitor_counts_day': ('visitor_counts', ('day', 'purpose', 'count')),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, list(columns))


def downgrade() -> None:
    for name, (table, _columns) in reversed(INDEXES.items()):
        op.drop_index(name, table_name=table)
