"""mailings: letter templates (設定 → 郵送文書) and the sent-mail record per group

New tables only; the renewal notice and a general notice are added as the first templates.

Revision ID: 0016_mailings
Revises: 0015_lottery_windows
Create Date: 2026-12-05 22:00:00
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0016_mailings'
down_revision = '0015_lottery_windows'
branch_labels = None
depends_on = None

RENEWAL_BODY = """日頃より{センター名}をご利用いただき、ありがとうございます。

貴団体（登録番号 {登録番号}）の市民活動団体としての登録は、{有効期限}で有効期限を迎えます。引き続き登録を希望される場合は、有効期限までに更新の手続きをお願いいたします。

更新には、登録更新申請書、今年度の活動計画書、役員名簿（変更があった場合）を{センター名}の窓口にご提出ください。更新されない場合、有効期限の翌日から団体としての予約ができなくなります。

ご不明な点は、{センター名}の窓口までお問い合わせください。"""

GENERAL_BODY = """日頃より{センター名}をご利用いただき、ありがとうございます。

（ここにお知らせの内容を書いてください。）

ご不明な点は、{センター名}の窓口までお問い合わせください。"""


def upgrade() -> None:
    templates = op.create_table('mail_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_templates')),
    sa.UniqueConstraint('name', name=op.f('uq_mail_templates_name'))
    )
    op.create_table('mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('template_name', sa.String(length=100), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('sent_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_mailings_group_id_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailings'))
    )
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.create_index('ix_mailings_group_sent', ['group_id', 'sent_on'], unique=False)
    now = dt.datetime(2026, 12, 5, 22, 0)
    op.bulk_insert(templates, [
        {'name': '登録更新のお知らせ', 'title': '市民活動団体登録の更新について（お知らせ）', 'body': RENEWAL_BODY, 'created_at': now, 'version': 1},
        {'name': 'お知らせ', 'title': '{センター名}からのお知らせ', 'body': GENERAL_BODY, 'created_at': now, 'version': 1},
    ])


def downgrade() -> None:
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.drop_index('ix_mailings_group_sent')
    op.drop_table('mailings')
    op.drop_table('mail_templates')
