"""groups: the registry of citizen groups and the 20 NPO Act activity fields (data included)

The activity fields are loaded from ``resources/seed/npo_activity_fields.csv`` (特定非営利活動促進法
別表) in this migration, so every database has them whatever path created it.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 20:35:25.649862
"""
import csv

from alembic import op
import sqlalchemy as sa

from center_app import paths


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activity_fields',
    sa.Column('code', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_activity_fields')),
    sa.UniqueConstraint('name', name=op.f('uq_activity_fields_name')),
    sa.UniqueConstraint('short_name', name=op.f('uq_activity_fields_short_name'))
    )
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('registration_no', sa.String(length=30), nullable=True),
    sa.Column('registration_fiscal_year', sa.Integer(), nullable=True),
    sa.Column('registration_serial', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_kana', sa.String(length=200), nullable=False),
    sa.Column('legal_form', sa.String(length=30), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('activities', sa.Text(), nullable=False),
    sa.Column('representative_name', sa.String(length=100), nullable=False),
    sa.Column('representative_kana', sa.String(length=100), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_kana', sa.String(length=100), nullable=False),
    sa.Column('postal_code', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('mobile', sa.String(length=20), nullable=False),
    sa.Column('fax', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=True),
    sa.Column('membership_fee', sa.String(length=100), nullable=False),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('renewed_on', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_changed_on', sa.Date(), nullable=True),
    sa.Column('public_consent', sa.JSON(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('certificate_reissue_count', sa.Integer(), nullable=False),
    sa.Column('name_search', sa.String(length=200), nullable=False),
    sa.Column('kana_search', sa.String(length=200), nullable=False),
    sa.Column('search_text', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('registration_fiscal_year', 'registration_serial', name=op.f('uq_groups_registration_fiscal_year')),
    sa.UniqueConstraint('registration_no', name=op.f('uq_groups_registration_no'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_kana_search'), ['kana_search'], unique=False)
        batch_op.create_index('ix_groups_list', ['name_kana', 'search_text', 'status', 'valid_until', 'legal_form'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_name_search'), ['name_search'], unique=False)

    op.create_table('group_activity_fields',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('field_code', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['field_code'], ['activity_fields.code'], name=op.f('fk_group_activity_fields_field_code_activity_fields')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_activity_fields_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'field_code', name=op.f('pk_group_activity_fields'))
    )
    with op.batch_alter_table('group_activity_fields', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_activity_fields_field_code'), ['field_code'], unique=False)

    _load_activity_fields()



def downgrade() -> None:
    with op.batch_alter_table('group_activity_fields', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_activity_fields_field_code'))

    op.drop_table('group_activity_fields')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_name_search'))
        batch_op.drop_index('ix_groups_list')
        batch_op.drop_index(batch_op.f('ix_groups_kana_search'))

    op.drop_table('groups')
    op.drop_table('activity_fields')


def _load_activity_fields() -> None:
    """Insert the 20 activity fields (code, name, short_name) from the seed CSV."""
    table = sa.table(
        "activity_fields",
        sa.column("code", sa.Integer),
        sa.column("name", sa.String),
        sa.column("short_name", sa.String),
    )
    with (paths.seed_dir() / "npo_activity_fields.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            {"code": int(row["code"]), "name": row["name"].strip(), "short_name": row["short_name"].strip()}
            for row in csv.DictReader(handle)
        ]
    op.bulk_insert(table, rows)
