"""live queue presence: waiting customers check in

Revision ID: 0005_live_presence
Revises: 0005_live
Create Date: 2026-11-28 21:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_live_presence'
down_revision = '0005_live'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_queue_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE live_queue_entries SET last_seen_at = joined_at")
    with op.batch_alter_table('live_queue_entries', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(timezone=True),
                              nullable=False)
        batch_op.create_index(batch_op.f('ix_live_queue_entries_last_seen_at'), ['last_seen_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('live_queue_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_queue_entries_last_seen_at'))
        batch_op.drop_column('last_seen_at')
