"""Customer tasks: one index fewer to write per task; (customer_id, seq) serves lookups by customer.

Revision ID: 0010_task_customer_index
Revises: 0009_replacement_fee_posting
Create Date: 2026-12-07 19:40:00

"""
from alembic import op


revision = '0010_task_customer_index'
down_revision = '0009_replacement_fee_posting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('customer_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_customer_tasks_customer_id')


def downgrade():
    with op.batch_alter_table('customer_tasks', schema=None) as batch_op:
        batch_op.create_index('ix_customer_tasks_customer_id', ['customer_id'], unique=False)
