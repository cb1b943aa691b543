"""programs: 補助金・協働事業提案 — programs, rounds, applications, review panel, conflicts, scores;
共催・後援 (endorsements)

New tables only; nothing existing changes.

Revision ID: 0014_programs
Revises: 0013_award_numbers
Create Date: 2026-12-05 19:36:15.344324
"""
import sqlalchemy as sa
from alembic import op


revision = '0014_programs'
down_revision = '0013_award_numbers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('endorsements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('applicant_name', sa.String(length=200), nullable=False),
    sa.Column('event_title', sa.String(length=200), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('name_lent', sa.String(length=200), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('exemption_code', sa.String(length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_endorsements_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_endorsements_group_id_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_endorsements'))
    )
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_endorsements_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_endorsements_group_id'), ['group_id'], unique=False)

    op.create_table('grant_programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_programs')),
    sa.UniqueConstraint('name', name=op.f('uq_grant_programs_name'))
    )
    op.create_table('grant_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('budget_yen', sa.Integer(), nullable=False),
    sa.Column('cap_yen', sa.Integer(), nullable=False),
    sa.Column('pass_mark', sa.Integer(), nullable=False),
    sa.Column('criteria_text', sa.Text(), nullable=False),
    sa.Column('aggregation', sa.String(length=20), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['grant_programs.id'], name=op.f('fk_grant_rounds_program_id_grant_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_rounds')),
    sa.UniqueConstraint('program_id', 'name', name='uq_grant_rounds_program_name')
    )
    with op.batch_alter_table('grant_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_rounds_program_id'), ['program_id'], unique=False)

    op.create_table('grant_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('project_title', sa.String(length=200), nullable=False),
    sa.Column('field_code', sa.Integer(), nullable=True),
    sa.Column('budget_lines', sa.JSON(), nullable=False),
    sa.Column('requested_yen', sa.Integer(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('score_text', sa.String(length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('granted_yen', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('actual_spend_yen', sa.Integer(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_grant_applications_group_id_groups')),
    sa.ForeignKeyConstraint(['round_id'], ['grant_rounds.id'], name=op.f('fk_grant_applications_round_id_grant_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_applications')),
    sa.UniqueConstraint('round_id', 'group_id', name='uq_grant_applications_round_group')
    )
    with op.batch_alter_table('grant_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_applications_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_applications_round_id'), ['round_id'], unique=False)

    op.create_table('grant_reviewers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('affiliation', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['grant_rounds.id'], name=op.f('fk_grant_reviewers_round_id_grant_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_reviewers')),
    sa.UniqueConstraint('round_id', 'name', name='uq_grant_reviewers_round_name')
    )
    with op.batch_alter_table('grant_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_reviewers_round_id'), ['round_id'], unique=False)

    op.create_table('grant_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_conflicts_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['grant_reviewers.id'], name=op.f('fk_grant_conflicts_reviewer_id_grant_reviewers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_conflicts')),
    sa.UniqueConstraint('reviewer_id', 'application_id', name='uq_grant_conflicts_reviewer_application')
    )
    with op.batch_alter_table('grant_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_conflicts_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_conflicts_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('grant_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=100), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_scores_application_id_grant_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['grant_reviewers.id'], name=op.f('fk_grant_scores_reviewer_id_grant_reviewers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_scores')),
    sa.UniqueConstraint('application_id', 'reviewer_id', 'criterion', name='uq_grant_scores_sheet_criterion')
    )
    with op.batch_alter_table('grant_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_scores_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_scores_reviewer_id'), ['reviewer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('endorsements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_endorsements_group_id'))
        batch_op.drop_index(batch_op.f('ix_endorsements_event_id'))

    op.drop_table('endorsements')
    with op.batch_alter_table('grant_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_scores_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_grant_scores_application_id'))

    op.drop_table('grant_scores')
    with op.batch_alter_table('grant_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_conflicts_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_grant_conflicts_application_id'))

    op.drop_table('grant_conflicts')
    with op.batch_alter_table('grant_reviewers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_reviewers_round_id'))

    op.drop_table('grant_reviewers')
    with op.batch_alter_table('grant_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_applications_round_id'))
        batch_op.drop_index(batch_op.f('ix_grant_applications_group_id'))

    op.drop_table('grant_applications')
    with op.batch_alter_table('grant_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_rounds_program_id'))

    op.drop_table('grant_rounds')
    op.drop_table('grant_programs')