"""summary months: the usage summary's figures kept per past month

New tables only (see center_app/db/summaries.py): the state row, the months and their kept
figures. Nothing is kept yet: the first summary of each past month reads it from the bookings
and the ledger and keeps it.

Revision ID: 0020_summary_months
Revises: 0019_summary_indexes
Create Date: 2026-12-06 01:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_summary_months'
down_revision = '0019_summary_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    state = op.create_table('summary_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_state'))
    )
    op.create_table('summary_months',
    sa.Column('month_start', sa.Date(), nullable=False),
    sa.Column('generation', sa.Integer(), server_default='0', nullable=False),
    sa.Column('figures_generation', sa.Integer(), nullable=True),
    sa.Column('state_generation', sa.Integer(), nullable=True),
    sa.Column('definition', sa.String(length=100), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('month_start', name=op.f('pk_summary_months'))
    )
    op.create_table('summary_month_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month_start', sa.Date(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('applicant_class_code', sa.String(length=40), nullable=True),
    *[sa.Column(f'value_{i}', sa.Integer(), nullable=False) for i in range(9)],
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_month_figures'))
    )
    with op.batch_alter_table('summary_month_figures', schema=None) as batch_op:
        batch_op.create_index('ix_summary_month_figures_month', ['month_start'], unique=False)
    op.bulk_insert(state, [{'id': 1, 'generation': 0}])


def downgrade() -> None:
    with op.batch_alter_table('summary_month_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_summary_month_figures_month')
    op.drop_table('summary_month_figures')
    op.drop_table('summary_months')
    op.drop_table('summary_state')
