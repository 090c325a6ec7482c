"""Join the areas' migration branches into one schema history.

Revision ID: 0008_one_schema
Revises: 0002_appointments, 0003_documents, 0005_customer_tasks, 0005_live_presence, 0006_cards, 0007_onboarding
Create Date: 2026-11-28 22:41:59.463932

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_one_schema'
down_revision = ('0002_appointments', '0003_documents', '0005_customer_tasks', '0005_live_presence', '0006_cards', '0007_onboarding')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
