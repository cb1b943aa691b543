"""groups: voicing-blind search key and 五十音 sort key, search keys refolded

``search_loose`` (the search key without voicing marks, the fallback match) and ``name_sort``
(the JIS X 4061 order of the reading, compared bytewise: ``COLLATE "C"`` on PostgreSQL) are
added; the list index sorts by ``name_sort``. Every group's keys are computed again, since the
search key now folds small kana, ー, 〜/～, 異体字 and 番地 and covers the address; each
consultation's search text gets its client's name and reading folded the same way.

Revision ID: 0012_search_keys
Revises: 0009
Create Date: 2026-12-05 19:00:00
"""
import sqlalchemy as sa
from alembic import op

from center_app.domain.search_keys import GROUP_KEY_SOURCES, group_keys, search_key

revision = '0012_search_keys'
down_revision = '0011_equipment_printing'
branch_labels = None
depends_on = None

_SORT_KEY = sa.String(length=1000).with_variant(sa.String(length=1000, collation='C'), 'postgresql')


def upgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_loose', sa.String(length=1000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('name_sort', _SORT_KEY, nullable=False, server_default=''))
        batch_op.drop_index('ix_groups_list')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.alter_column('search_loose', server_default=None)
        batch_op.alter_column('name_sort', server_default=None)
        batch_op.create_index(
            'ix_groups_list', ['name_sort', 'search_text', 'search_loose', 'status', 'valid_until', 'legal_form'], unique=False
        )
    _refresh_keys()
    _refresh_consultation_keys()


def _refresh_keys() -> None:
    """Derive every group's keys again, as the application does on every write."""
    groups = sa.table('groups', sa.column('id'), *(sa.column(n) for n in GROUP_KEY_SOURCES),
                      sa.column('name_search'), sa.column('kana_search'), sa.column('search_text'),
                      sa.column('search_loose'), sa.column('name_sort'))
    bind = op.get_bind()
    rows = bind.execute(sa.select(groups.c.id, *(groups.c[n] for n in GROUP_KEY_SOURCES))).mappings().all()
    for row in rows:
        bind.execute(groups.update().where(groups.c.id == row['id']).values(**group_keys(dict(row))))


def _refresh_consultation_keys() -> None:
    """Add the folded client name and reading as the last line of each consultation's search text,
    as the application writes it from now on (``consultations_values.client_keys``)."""
    consultations = sa.table('consultations', sa.column('id'), sa.column('client_name'), sa.column('client_kana'),
                             sa.column('search_text'))
    bind = op.get_bind()
    rows = bind.execute(sa.select(consultations.c.id, consultations.c.client_name, consultations.c.client_kana,
                                  consultations.c.search_text)).all()
    for row in rows:
        keys = ' '.join(part for part in (search_key(row.client_name), search_key(row.client_kana)) if part)
        if keys:
            text = '\n'.join(part for part in (row.search_text, keys) if part)
            bind.execute(consultations.update().where(consultations.c.id == row.id).values(search_text=text))


def downgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index('ix_groups_list')
        batch_op.drop_column('name_sort')
        batch_op.drop_column('search_loose')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index('ix_groups_list', ['name_kana', 'search_text', 'status', 'valid_until', 'legal_form'], unique=False)
