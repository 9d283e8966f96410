"""instrument_version.items_revision: the key of the per-process item cache

Revision ID: a4e5c6d7f8b9
Revises: f3d4b9e5a6c7
Create Date: 2026-11-26 11:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4e5c6d7f8b9'
down_revision = 'f3d4b9e5a6c7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('instrument_version', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('items_revision', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('instrument_version', schema=None) as batch_op:
        batch_op.drop_column('items_revision')
