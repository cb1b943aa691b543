"""endorsements: the place, what is asked and the reason of a refusal

The 共催・後援 register keeps the event's place as applied for, what the applicant asks for (the
name on the flyer, a greeting, a prize …) and, for a refusal, its reason (printed on the
不承認通知). A withdrawn application has the status ``withdrawn``; the column is text already.

Revision ID: 0018_endorsement_register
Revises: 0017_round_reopen
Create Date: 2026-12-05 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_endorsement_register'
down_revision = '0017_round_reopen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN in place on both engines; existing rows get empty text
    op.add_column('endorsements', sa.Column('event_place', sa.String(length=200), nullable=False, server_default=''))
    op.add_column('endorsements', sa.Column('request', sa.Text(), nullable=False, server_default=''))
    op.add_column('endorsements', sa.Column('refusal_reason', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_column('refusal_reason')
        batch_op.drop_column('request')
        batch_op.drop_column('event_place')
