"""award numbers: the stored number of every 修了証

``award_numbers`` holds one row per recipient (name and affiliation as printed) and course: the
fiscal year it was first issued in and its serial in that year (printed 第2026-0001号), so a
reprint for the same person and course shows the same number. Serials come from
``document_counters`` (kind ``award``), locked in the write transaction that gives them.

Revision ID: 0013_award_numbers
Revises: 0012_search_keys
Create Date: 2026-12-05 19:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_award_numbers'
down_revision = '0012_search_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('award_numbers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_name', sa.String(length=200), nullable=False),
    sa.Column('recipient_name', sa.String(length=200), nullable=False),
    sa.Column('affiliation', sa.String(length=200), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_numbers')),
    sa.UniqueConstraint('course_name', 'recipient_name', 'affiliation', name='uq_award_numbers_recipient'),
    sa.UniqueConstraint('fiscal_year', 'serial', name='uq_award_numbers_number')
    )


def downgrade() -> None:
    op.drop_table('award_numbers')
