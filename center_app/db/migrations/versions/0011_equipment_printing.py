"""equipment loans and the printing room: catalogue, loans, damage, printing jobs, their charges

備品 per facility with fees, who may borrow and how far ahead; loans with due dates and returns;
破損・紛失 records; the printing room's job log; and ``counter_charges`` (調定 of these services)
with ``counter_charge_payments``, the parts of ledger payments that pay them.

Revision ID: 0011_equipment_printing
Revises: 0009
Create Date: 2026-12-05 18:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_equipment_printing'
down_revision = '0010_lockers_visitors_lottery'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'equipment_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('unit_minutes', sa.Integer(), nullable=False),
        sa.Column('fee_per_unit_yen', sa.Integer(), nullable=False),
        sa.Column('fee_per_day_yen', sa.Integer(), nullable=False),
        sa.Column('max_days', sa.Integer(), nullable=False),
        sa.Column('classes', sa.String(length=200), nullable=False),
        sa.Column('window_days', sa.String(length=200), nullable=False),
        sa.Column('sort_order', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_equipment_items_facility_id_facilities')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_items')),
        sa.UniqueConstraint('facility_id', 'code', name=op.f('uq_equipment_items_facility_id')),
    )
    op.create_index(op.f('ix_equipment_items_facility_id'), 'equipment_items', ['facility_id'], unique=False)
    op.create_table(
        'counter_charges',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('payer_name', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('description', sa.String(length=300), nullable=False),
        sa.Column('amount_yen', sa.Integer(), nullable=False),
        sa.Column('charged_on', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_counter_charges_facility_id_facilities')),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_counter_charges_group_id_groups')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_charges')),
    )
    op.create_index('ix_counter_charges_facility_on', 'counter_charges', ['facility_id', 'charged_on'], unique=False)
    op.create_index(op.f('ix_counter_charges_group_id'), 'counter_charges', ['group_id'], unique=False)
    op.create_table(
        'counter_charge_payments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('charge_id', sa.Integer(), nullable=False),
        sa.Column('amount_yen', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['charge_id'], ['counter_charges.id'], name=op.f('fk_counter_charge_payments_charge_id_counter_charges')),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_counter_charge_payments_payment_id_payments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_counter_charge_payments')),
        sa.UniqueConstraint('payment_id', 'charge_id', name=op.f('uq_counter_charge_payments_payment_id')),
    )
    op.create_index(op.f('ix_counter_charge_payments_charge_id'), 'counter_charge_payments', ['charge_id'], unique=False)
    op.create_index(op.f('ix_counter_charge_payments_payment_id'), 'counter_charge_payments', ['payment_id'], unique=False)
    op.create_table(
        'equipment_loans',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('loan_no', sa.String(length=40), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('borrower_name', sa.String(length=200), nullable=False),
        sa.Column('applicant_class', sa.String(length=30), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=True),
        sa.Column('start_at', sa.DateTime(), nullable=False),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('returned_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('fee_yen', sa.Integer(), nullable=False),
        sa.Column('charge_id', sa.Integer(), nullable=True),
        sa.Column('purpose', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('returned_by', sa.String(length=100), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_equipment_loans_booking_id_bookings'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['charge_id'], ['counter_charges.id'], name=op.f('fk_equipment_loans_charge_id_counter_charges')),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_equipment_loans_facility_id_facilities')),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_equipment_loans_group_id_groups')),
        sa.ForeignKeyConstraint(['item_id'], ['equipment_items.id'], name=op.f('fk_equipment_loans_item_id_equipment_items')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_loans')),
        sa.UniqueConstraint('loan_no', name=op.f('uq_equipment_loans_loan_no')),
    )
    op.create_index(op.f('ix_equipment_loans_booking_id'), 'equipment_loans', ['booking_id'], unique=False)
    op.create_index(op.f('ix_equipment_loans_due_at'), 'equipment_loans', ['due_at'], unique=False)
    op.create_index(op.f('ix_equipment_loans_group_id'), 'equipment_loans', ['group_id'], unique=False)
    op.create_index(op.f('ix_equipment_loans_item_id'), 'equipment_loans', ['item_id'], unique=False)
    op.create_index('ix_equipment_loans_item_status', 'equipment_loans', ['item_id', 'status'], unique=False)
    op.create_table(
        'equipment_damages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('loan_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('units', sa.Integer(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('amount_yen', sa.Integer(), nullable=False),
        sa.Column('charge_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['charge_id'], ['counter_charges.id'], name=op.f('fk_equipment_damages_charge_id_counter_charges')),
        sa.ForeignKeyConstraint(['loan_id'], ['equipment_loans.id'], name=op.f('fk_equipment_damages_loan_id_equipment_loans')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_equipment_damages')),
    )
    op.create_index(op.f('ix_equipment_damages_loan_id'), 'equipment_damages', ['loan_id'], unique=False)
    op.create_table(
        'print_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('facility_id', sa.Integer(), nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('used_on', sa.Date(), nullable=False),
        sa.Column('machine', sa.String(length=60), nullable=False),
        sa.Column('masters', sa.Integer(), nullable=False),
        sa.Column('sheets', sa.Integer(), nullable=False),
        sa.Column('colour', sa.Boolean(), nullable=False),
        sa.Column('paper', sa.String(length=10), nullable=False),
        sa.Column('fee_yen', sa.Integer(), nullable=False),
        sa.Column('charge_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(['charge_id'], ['counter_charges.id'], name=op.f('fk_print_jobs_charge_id_counter_charges')),
        sa.ForeignKeyConstraint(['facility_id'], ['facilities.id'], name=op.f('fk_print_jobs_facility_id_facilities')),
        sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_print_jobs_group_id_groups')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs')),
    )
    op.create_index(op.f('ix_print_jobs_charge_id'), 'print_jobs', ['charge_id'], unique=False)
    op.create_index('ix_print_jobs_group_used', 'print_jobs', ['group_id', 'used_on'], unique=False)
    op.create_index(op.f('ix_print_jobs_used_on'), 'print_jobs', ['used_on'], unique=False)


def downgrade() -> None:
    for table in ('print_jobs', 'equipment_damages', 'equipment_loans', 'counter_charge_payments', 'counter_charges', 'equipment_items'):
        op.drop_table(table)
