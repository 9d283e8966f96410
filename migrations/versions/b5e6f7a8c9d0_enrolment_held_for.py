"""enrolment.held_for_id: a learner who came into a period whose figures were approved

Revision ID: b5e6f7a8c9d0
Revises: a4e5c6d7f8b9
Create Date: 2026-11-26 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e6f7a8c9d0'
down_revision = 'a4e5c6d7f8b9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_for_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_enrolment_held_for_id_figure_approval'),
            'figure_approval',
            ['held_for_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('enrolment', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_enrolment_held_for_id_figure_approval'), type_='foreignkey'
        )
        batch_op.drop_column('held_for_id')
