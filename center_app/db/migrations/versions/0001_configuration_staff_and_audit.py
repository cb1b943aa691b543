"""configuration, staff and audit

Revision ID: 0001
Revises: 
Create Date: 2026-11-29 20:31:53.364955
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('applicant_classes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('fee_multiplier_percent', sa.Integer(), nullable=False),
    sa.Column('booking_horizon_months', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicant_classes')),
    sa.UniqueConstraint('code', name=op.f('uq_applicant_classes_code'))
    )
    op.create_table('center_settings',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_center_settings'))
    )
    op.create_table('facilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('is_main', sa.Boolean(), nullable=False),
    sa.Column('opening_time', sa.Time(), nullable=False),
    sa.Column('closing_time', sa.Time(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_facilities')),
    sa.UniqueConstraint('code', name=op.f('uq_facilities_code'))
    )
    op.create_table('fee_exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('rate_percent', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_exemptions')),
    sa.UniqueConstraint('code', name=op.f('uq_fee_exemptions_code'))
    )
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login_name', sa.String(length=50), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_login_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('login_name', name=op.f('uq_staff_users_login_name'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=True),
    sa.Column('staff_name', sa.String(length=100), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_audit_entries_staff_user_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_entity'), ['entity'], unique=False)

    op.create_table('closed_day_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=True),
    sa.Column('holiday_shift', sa.Boolean(), nullable=False),
    sa.Column('from_md', sa.String(length=5), nullable=True),
    sa.Column('to_md', sa.String(length=5), nullable=True),
    sa.Column('on_date', sa.Date(), nullable=True),
    sa.Column('closes', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_closed_day_rules_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_day_rules'))
    )
    with op.batch_alter_table('closed_day_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_closed_day_rules_facility_id'), ['facility_id'], unique=False)

    op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('fee_per_hour_yen', sa.Integer(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_rooms_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms')),
    sa.UniqueConstraint('facility_id', 'code', name=op.f('uq_rooms_facility_id'))
    )
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rooms_facility_id'), ['facility_id'], unique=False)

    op.create_table('time_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('facility_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('is_all_day', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_time_slots_facility_id_facilities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_slots')),
    sa.UniqueConstraint('facility_id', 'name', name=op.f('uq_time_slots_facility_id'))
    )
    with op.batch_alter_table('time_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_time_slots_facility_id'), ['facility_id'], unique=False)

    op.create_table('fee_table',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('time_slot_id', sa.Integer(), nullable=False),
    sa.Column('fee_yen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_fee_table_room_id_rooms')),
    sa.ForeignKeyConstraint(['time_slot_id'], ['time_slots.id'], name=op.f('fk_fee_table_time_slot_id_time_slots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_table')),
    sa.UniqueConstraint('room_id', 'time_slot_id', name=op.f('uq_fee_table_room_id'))
    )
    with op.batch_alter_table('fee_table', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fee_table_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fee_table_time_slot_id'), ['time_slot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('fee_table', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_table_time_slot_id'))
        batch_op.drop_index(batch_op.f('ix_fee_table_room_id'))

    op.drop_table('fee_table')
    with op.batch_alter_table('time_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_time_slots_facility_id'))

    op.drop_table('time_slots')
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rooms_facility_id'))

    op.drop_table('rooms')
    with op.batch_alter_table('closed_day_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_closed_day_rules_facility_id'))

    op.drop_table('closed_day_rules')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_entity'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))

    op.drop_table('audit_entries')
    op.drop_table('staff_users')
    op.drop_table('fee_exemptions')
    op.drop_table('facilities')
    op.drop_table('center_settings')
    op.drop_table('applicant_classes')
