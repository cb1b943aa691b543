"""bookings: room bookings (予約) and repeating series (繰り返し予約)

The index ``(room_id, start_at)`` serves the conflict check and the calendar, which read one
room's bookings of a bounded time range (docs/architecture.md §8); ``(group_id, start_at)`` serves the
monthly cap and the future bookings of a group.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 20:42:45.829708
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('booking_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=400), nullable=False),
    sa.Column('first_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('slot_names', sa.JSON(), nullable=False),
    sa.Column('exdates', sa.JSON(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_booking_series_group_id_groups')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_booking_series_room_id_rooms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series'))
    )
    with op.batch_alter_table('booking_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_series_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_booking_series_room_id'), ['room_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slip_no', sa.String(length=20), nullable=True),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('start_at', sa.DateTime(), nullable=False),
    sa.Column('end_at', sa.DateTime(), nullable=False),
    sa.Column('slot_names', sa.JSON(), nullable=False),
    sa.Column('slot_units', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('applicant_kana', sa.String(length=200), nullable=False),
    sa.Column('applicant_phone', sa.String(length=20), nullable=False),
    sa.Column('applicant_class_code', sa.String(length=30), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('expected_people', sa.Integer(), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('base_fee_yen', sa.Integer(), nullable=False),
    sa.Column('gross_fee_yen', sa.Integer(), nullable=False),
    sa.Column('fee_yen', sa.Integer(), nullable=False),
    sa.Column('exemption_code', sa.String(length=30), nullable=False),
    sa.Column('exemption_name', sa.String(length=100), nullable=False),
    sa.Column('exemption_rate_percent', sa.Integer(), nullable=False),
    sa.Column('waived_yen', sa.Integer(), nullable=False),
    sa.Column('closed_override_reason', sa.Text(), nullable=False),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_bookings_group_id_groups')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_bookings_room_id_rooms')),
    sa.ForeignKeyConstraint(['series_id'], ['booking_series.id'], name=op.f('fk_bookings_series_id_booking_series')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('slip_no', name=op.f('uq_bookings_slip_no'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_group_start', ['group_id', 'start_at'], unique=False)
        batch_op.create_index('ix_bookings_room_start', ['room_id', 'start_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_series_id'), ['series_id'], unique=False)
        batch_op.create_index('ix_bookings_start_at', ['start_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_start_at')
        batch_op.drop_index(batch_op.f('ix_bookings_series_id'))
        batch_op.drop_index('ix_bookings_room_start')
        batch_op.drop_index('ix_bookings_group_start')

    op.drop_table('bookings')
    with op.batch_alter_table('booking_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_series_room_id'))
        batch_op.drop_index(batch_op.f('ix_booking_series_group_id'))

    op.drop_table('booking_series')
