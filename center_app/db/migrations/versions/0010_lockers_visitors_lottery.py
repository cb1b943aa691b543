"""lockers, letter cases, the visitor tally and the opening-day lottery

New tables only: locker units, applications, allocations (a unit once per term:
uq_locker_allocations_unit_term), key events and mail; visitor counts; lottery entries and
recorded draws. Nothing existing changes.

Revision ID: 0010_lockers_visitors_lottery
Revises: 0009
Create Date: 2026-12-05 18:23:38.260098
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_lockers_visitors_lottery'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lottery_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('seed', sa.BigInteger(), nullable=False),
    sa.Column('cap', sa.Integer(), nullable=False),
    sa.Column('tickets', sa.JSON(), nullable=False),
    sa.Column('taken', sa.JSON(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('drawn_at', sa.DateTime(), nullable=False),
    sa.Column('drawn_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lottery_draws')),
    sa.UniqueConstraint('kind', 'scope', 'period', name='uq_lottery_draws_period')
    )
    op.create_table('locker_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=False),
    sa.Column('applied_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_locker_applications_facility_id_facilities')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_locker_applications_group_id_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locker_applications'))
    )
    with op.batch_alter_table('locker_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locker_applications_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_locker_applications_term'), ['term'], unique=False)

    op.create_table('locker_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('size', sa.String(length=60), nullable=False),
    sa.Column('monthly_fee_yen', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_locker_units_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locker_units')),
    sa.UniqueConstraint('facility_id', 'code', name='uq_locker_units_code')
    )
    op.create_table('visitor_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_visitor_counts_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visitor_counts'))
    )
    with op.batch_alter_table('visitor_counts', schema=None) as batch_op:
        batch_op.create_index('ix_visitor_counts_facility_day', ['facility_id', 'day'], unique=False)

    op.create_table('locker_allocations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('fee_yen', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('key_state', sa.String(length=10), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['locker_applications.id'], name=op.f('fk_locker_allocations_application_id_locker_applications')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_locker_allocations_group_id_groups')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_locker_allocations_payment_id_payments')),
    sa.ForeignKeyConstraint(['unit_id'], ['locker_units.id'], name=op.f('fk_locker_allocations_unit_id_locker_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locker_allocations')),
    sa.UniqueConstraint('unit_id', 'term', name='uq_locker_allocations_unit_term')
    )
    with op.batch_alter_table('locker_allocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locker_allocations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_locker_allocations_term'), ['term'], unique=False)

    op.create_table('locker_key_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('person', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['allocation_id'], ['locker_allocations.id'], name=op.f('fk_locker_key_events_allocation_id_locker_allocations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locker_key_events'))
    )
    with op.batch_alter_table('locker_key_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locker_key_events_allocation_id'), ['allocation_id'], unique=False)

    op.create_table('locker_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('allocation_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('sender', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('received_by', sa.String(length=100), nullable=False),
    sa.Column('handed_at', sa.DateTime(), nullable=True),
    sa.Column('handed_to', sa.String(length=100), nullable=False),
    sa.Column('handed_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['allocation_id'], ['locker_allocations.id'], name=op.f('fk_locker_mail_allocation_id_locker_allocations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locker_mail'))
    )
    with op.batch_alter_table('locker_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_locker_mail_allocation_id'), ['allocation_id'], unique=False)

    op.create_table('lottery_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('slot_name', sa.String(length=40), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.Column('entered_by', sa.String(length=100), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_lottery_entries_booking_id_bookings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_lottery_entries_facility_id_facilities')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_lottery_entries_group_id_groups')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_lottery_entries_room_id_rooms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lottery_entries'))
    )
    with op.batch_alter_table('lottery_entries', schema=None) as batch_op:
        batch_op.create_index('ix_lottery_entries_facility_month', ['facility_id', 'month'], unique=False)
        batch_op.create_index(batch_op.f('ix_lottery_entries_group_id'), ['group_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('lottery_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lottery_entries_group_id'))
        batch_op.drop_index('ix_lottery_entries_facility_month')

    op.drop_table('lottery_entries')
    with op.batch_alter_table('locker_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locker_mail_allocation_id'))

    op.drop_table('locker_mail')
    with op.batch_alter_table('locker_key_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locker_key_events_allocation_id'))

    op.drop_table('locker_key_events')
    with op.batch_alter_table('locker_allocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locker_allocations_term'))
        batch_op.drop_index(batch_op.f('ix_locker_allocations_group_id'))

    op.drop_table('locker_allocations')
    with op.batch_alter_table('visitor_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_visitor_counts_facility_day')

    op.drop_table('visitor_counts')
    op.drop_table('locker_units')
    with op.batch_alter_table('locker_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_locker_applications_term'))
        batch_op.drop_index(batch_op.f('ix_locker_applications_group_id'))

    op.drop_table('locker_applications')
    op.drop_table('lottery_draws')
