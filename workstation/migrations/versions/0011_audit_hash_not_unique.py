"""Audit log: no unique index on the event hash. Nothing looks events up by hash (the chain is
verified by walking it in id order), and the index cost a write at a random place of a large
index with every audited action.

Revision ID: 0011_audit_hash_not_unique
Revises: 0010_task_customer_index
Create Date: 2026-12-07 23:30:00

"""
from alembic import op


revision = '0011_audit_hash_not_unique'
down_revision = '0010_task_customer_index'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint('uq_audit_events_hash', type_='unique')


def downgrade():
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_audit_events_hash', ['hash'])
