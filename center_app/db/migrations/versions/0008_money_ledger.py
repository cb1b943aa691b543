"""money ledger: payments, refunds, voids, numbered receipts and permits, day closes, 取消理由

Tables (``db/money.py``): ``payments`` with ``payment_allocations`` (the bookings each pays),
``refunds`` (還付 and 充当), ``ledger_voids`` (訂正), ``document_counters`` (receipt, refund and
permit numbers per fiscal year and cash unit, locked in the write transaction that uses them),
``permits`` / ``permit_bookings``, ``receipt_prints`` (an original, then 再発行), ``day_closes``
(日計の締め), and ``cancellation_reasons`` with their 還付率, loaded with the published defaults:

- 市・センターの都合 100 % and 災害・警報による休館 100 % — 宇都宮市 (from 令和7年度) refunds nothing
  "except cancellation by the city"; 田辺市: 津波警報 and 暴風警報 mean no use;
- 使用者の都合 0 % — 宇都宮市's "no refunds"; a graded refund by days before use (many 条例) is
  added in 設定 → 取消理由 as a reason with its rate and ``min_days_before``.

Columns: ``rooms.conditions`` (the room's own conditions of use, printed on its permit),
``facilities.own_receipt_series`` (the facility keeps its own cash and receipt series),
``bookings.cancel_reason_code`` and ``bookings.ledger_legacy``: every booking stored before this
migration is 移行前 — its payment is unknown to the ledger, so it is never shown as paid (nor as
unpaid, nor cancelled for non-payment).

Works on SQLite (batch mode) and PostgreSQL; new NOT NULL columns get a server default so the
existing rows are valid.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 16:04:32
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

#: The default 取消理由 (code, name, 還付率 %, sort order); sources in the docstring.
DEFAULT_REASONS = (
    ('center', '市・センターの都合', 100, 0),
    ('disaster', '災害・警報による休館', 100, 1),
    ('applicant', '使用者の都合', 0, 2),
)


def upgrade() -> None:
    op.create_table('cancellation_reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('refund_percent', sa.Integer(), nullable=False),
    sa.Column('min_days_before', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cancellation_reasons')),
    sa.UniqueConstraint('code', name=op.f('uq_cancellation_reasons_code'))
    )
    op.create_table('document_counters',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'fiscal_year', 'unit', name=op.f('pk_document_counters'))
    )
    op.create_table('permits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('permit_no', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_by', sa.String(length=100), nullable=False),
    sa.Column('print_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_permits')),
    sa.UniqueConstraint('permit_no', name=op.f('uq_permits_permit_no'))
    )
    op.create_table('day_closes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by', sa.String(length=100), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_day_closes_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_day_closes')),
    sa.UniqueConstraint('facility_id', 'day', name=op.f('uq_day_closes_facility_id'))
    )
    op.create_table('ledger_voids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_kind', sa.String(length=10), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('voided_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_ledger_voids_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_voids')),
    sa.UniqueConstraint('entry_kind', 'entry_id', name=op.f('uq_ledger_voids_entry_kind'))
    )
    with op.batch_alter_table('ledger_voids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_voids_voided_on'), ['voided_on'], unique=False)

    op.create_table('payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('payer_name', sa.String(length=200), nullable=False),
    sa.Column('amount_yen', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('tendered_yen', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('corrects_payment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['corrects_payment_id'], ['payments.id'], name=op.f('fk_payments_corrects_payment_id_payments')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_payments_facility_id_facilities')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_payments_group_id_groups')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_users.id'], name=op.f('fk_payments_recorded_by_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('fiscal_year', 'unit', 'serial', name='uq_payments_number'),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_payments_receipt_no'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index('ix_payments_facility_received', ['facility_id', 'received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_received_on'), ['received_on'], unique=False)

    op.create_table('receipt_prints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('printed_at', sa.DateTime(), nullable=False),
    sa.Column('printed_by', sa.String(length=100), nullable=False),
    sa.Column('reissue', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_receipt_prints_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_prints'))
    )
    with op.batch_alter_table('receipt_prints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_prints_payment_id'), ['payment_id'], unique=False)

    op.create_table('payment_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('amount_yen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_payment_allocations_booking_id_bookings')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_allocations_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocations')),
    sa.UniqueConstraint('payment_id', 'booking_id', name=op.f('uq_payment_allocations_payment_id'))
    )
    with op.batch_alter_table('payment_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocations_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocations_payment_id'), ['payment_id'], unique=False)

    op.create_table('permit_bookings',
    sa.Column('permit_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_permit_bookings_booking_id_bookings')),
    sa.ForeignKeyConstraint(['permit_id'], ['permits.id'], name=op.f('fk_permit_bookings_permit_id_permits')),
    sa.PrimaryKeyConstraint('permit_id', 'booking_id', name=op.f('pk_permit_bookings')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_permit_bookings_booking_id'))
    )
    op.create_table('refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('refund_no', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('target_booking_id', sa.Integer(), nullable=True),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('amount_yen', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('rule', sa.String(length=100), nullable=False),
    sa.Column('rate_percent', sa.Integer(), nullable=True),
    sa.Column('refunded_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('approved_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_refunds_booking_id_bookings')),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_refunds_facility_id_facilities')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_refunds_payment_id_payments')),
    sa.ForeignKeyConstraint(['target_booking_id'], ['bookings.id'], name=op.f('fk_refunds_target_booking_id_bookings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refunds')),
    sa.UniqueConstraint('refund_no', name=op.f('uq_refunds_refund_no'))
    )
    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_refunds_booking_id'), ['booking_id'], unique=False)
        batch_op.create_index('ix_refunds_facility_on', ['facility_id', 'refunded_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_payment_id'), ['payment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_refunds_target_booking_id'), ['target_booking_id'], unique=False)

    # ADD COLUMN in place (SQLite supports it for a column with a constant default): a batch copy
    # of facilities or rooms would drop a table other rows refer to.
    op.add_column('bookings', sa.Column('cancel_reason_code', sa.String(length=30), nullable=False, server_default=''))
    op.add_column('bookings', sa.Column('ledger_legacy', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('facilities', sa.Column('own_receipt_series', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('rooms', sa.Column('conditions', sa.Text(), nullable=False, server_default=''))

    # every booking made before the ledger existed: 移行前
    op.execute(sa.text('UPDATE bookings SET ledger_legacy = :yes').bindparams(yes=True))
    reasons = sa.table(
        'cancellation_reasons', sa.column('code', sa.String), sa.column('name', sa.String), sa.column('refund_percent', sa.Integer),
        sa.column('min_days_before', sa.Integer), sa.column('sort_order', sa.Integer), sa.column('active', sa.Boolean),
    )
    op.bulk_insert(reasons, [
        {'code': code, 'name': name, 'refund_percent': rate, 'min_days_before': None, 'sort_order': order, 'active': True}
        for code, name, rate, order in DEFAULT_REASONS
    ])


def downgrade() -> None:
    # DROP COLUMN in place (SQLite 3.35+ and PostgreSQL), for the reason given in upgrade()
    for table, column in (('rooms', 'conditions'), ('facilities', 'own_receipt_series'), ('bookings', 'ledger_legacy'),
                          ('bookings', 'cancel_reason_code')):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')

    with op.batch_alter_table('refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_refunds_target_booking_id'))
        batch_op.drop_index(batch_op.f('ix_refunds_payment_id'))
        batch_op.drop_index('ix_refunds_facility_on')
        batch_op.drop_index(batch_op.f('ix_refunds_booking_id'))

    op.drop_table('refunds')
    op.drop_table('permit_bookings')
    with op.batch_alter_table('payment_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_allocations_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocations_booking_id'))

    op.drop_table('payment_allocations')
    with op.batch_alter_table('receipt_prints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_prints_payment_id'))

    op.drop_table('receipt_prints')
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_received_on'))
        batch_op.drop_index('ix_payments_facility_received')

    op.drop_table('payments')
    with op.batch_alter_table('ledger_voids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_voids_voided_on'))

    op.drop_table('ledger_voids')
    op.drop_table('day_closes')
    op.drop_table('permits')
    op.drop_table('document_counters')
    op.drop_table('cancellation_reasons')
