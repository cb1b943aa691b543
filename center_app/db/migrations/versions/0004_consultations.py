"""consultations: the consultation log (相談記録), its editable topics, and anonymous counts

The ten default topics (相談分野) are inserted here, so every database has them whatever path
created it; they can be renamed, reordered and switched off afterwards.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

#: 相談分野 of docs/architecture.md §2, in display order.
DEFAULT_TOPICS = ("設立", "法人化", "運営", "会計・税務", "資金・助成金", "広報", "人材・ボランティア", "協働・行政連携", "施設利用", "その他")


def upgrade() -> None:
    op.create_table('consultation_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=60), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_counts')),
    sa.UniqueConstraint('year', 'month', 'dimension', 'value', name=op.f('uq_consultation_counts_year'))
    )
    op.create_table('consultation_topics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_topics')),
    sa.UniqueConstraint('name', name=op.f('uq_consultation_topics_name'))
    )
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consulted_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('client_type', sa.String(length=20), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('client_name', sa.String(length=200), nullable=False),
    sa.Column('client_kana', sa.String(length=200), nullable=False),
    sa.Column('client_contact', sa.String(length=300), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('referral', sa.String(length=300), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('follow_up_needed', sa.Boolean(), nullable=False),
    sa.Column('follow_up_due', sa.Date(), nullable=True),
    sa.Column('follow_up_done', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], name=op.f('fk_consultations_created_by_id_staff_users')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_consultations_group_id_groups'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_users.id'], name=op.f('fk_consultations_staff_user_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_consulted_on'), ['consulted_on'], unique=False)
        batch_op.create_index('ix_consultations_follow_up', ['follow_up_needed', 'follow_up_done', 'follow_up_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_staff_user_id'), ['staff_user_id'], unique=False)
        batch_op.create_index('ix_consultations_status_completed_on', ['status', 'completed_on'], unique=False)

    op.create_table('consultation_activity_fields',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('field_code', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_activity_fields_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['field_code'], ['activity_fields.code'], name=op.f('fk_consultation_activity_fields_field_code_activity_fields')),
    sa.PrimaryKeyConstraint('consultation_id', 'field_code', name=op.f('pk_consultation_activity_fields'))
    )
    with op.batch_alter_table('consultation_activity_fields', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_activity_fields_field_code'), ['field_code'], unique=False)

    op.create_table('consultation_topic_links',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_topic_links_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['consultation_topics.id'], name=op.f('fk_consultation_topic_links_topic_id_consultation_topics')),
    sa.PrimaryKeyConstraint('consultation_id', 'topic_id', name=op.f('pk_consultation_topic_links'))
    )
    with op.batch_alter_table('consultation_topic_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_topic_links_topic_id'), ['topic_id'], unique=False)

    topics = sa.table("consultation_topics", sa.column("name", sa.String),
                      sa.column("sort_order", sa.Integer), sa.column("active", sa.Boolean))
    op.bulk_insert(topics, [
        {"name": name, "sort_order": (i + 1) * 10, "active": True} for i, name in enumerate(DEFAULT_TOPICS)
    ])


def downgrade() -> None:
    with op.batch_alter_table('consultation_topic_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_topic_links_topic_id'))

    op.drop_table('consultation_topic_links')
    with op.batch_alter_table('consultation_activity_fields', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_activity_fields_field_code'))

    op.drop_table('consultation_activity_fields')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index('ix_consultations_status_completed_on')
        batch_op.drop_index(batch_op.f('ix_consultations_staff_user_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_group_id'))
        batch_op.drop_index('ix_consultations_follow_up')
        batch_op.drop_index(batch_op.f('ix_consultations_consulted_on'))

    op.drop_table('consultations')
    op.drop_table('consultation_topics')
    op.drop_table('consultation_counts')
