"""Card replacement fees: the hold placed when the customer confirms, the posting at activation.

Revision ID: 0009_replacement_fee_posting
Revises: 0008_one_schema
Create Date: 2026-11-29 11:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_replacement_fee_posting'
down_revision = '0008_one_schema'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('card_replacements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fee_hold_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_transaction_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('fee_charged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('card_replacements', schema=None) as batch_op:
        batch_op.drop_column('fee_charged_at')
        batch_op.drop_column('fee_transaction_id')
        batch_op.drop_column('fee_hold_id')
