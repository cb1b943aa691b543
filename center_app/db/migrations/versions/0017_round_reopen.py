"""grant_rounds: how many times an allocated round was reopened

An allocated round is final until an administrator reopens it with a reason; each reopening
counts here, and the letters of a later allocation carry the count in their number (第12号の2), so
a letter number never means two decisions.

Revision ID: 0017_round_reopen
Revises: 0016_mailings
Create Date: 2026-12-05 22:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_round_reopen'
down_revision = '0016_mailings'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD/DROP COLUMN in place on both engines (as in 0015_lottery_windows): applications,
    # reviewers and scores refer to grant_rounds
    op.add_column('grant_rounds', sa.Column('reopen_count', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    op.execute('ALTER TABLE grant_rounds DROP COLUMN reopen_count')
