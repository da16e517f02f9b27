"""Daily digest of help items: remember what each person's digest covered.

Revision ID: 0006
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification_preferences") as batch_op:
        batch_op.add_column(sa.Column("last_digest_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("notification_preferences") as batch_op:
        batch_op.drop_column("last_digest_at")
