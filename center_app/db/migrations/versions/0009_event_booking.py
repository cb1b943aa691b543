"""events: the booking that holds an event's room (``booking_id``)

An event held in a room books that room through the booking service, with the same checks as a
booking at the counter; ``events.booking_id`` links the two (the booking's event is found through
it). Deleting the booking leaves the event without one (``SET NULL``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 16:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('booking_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_booking_id'), ['booking_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_booking_id_bookings'), 'bookings', ['booking_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_booking_id_bookings'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_booking_id'))
        batch_op.drop_column('booking_id')
