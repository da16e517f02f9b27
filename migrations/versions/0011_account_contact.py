"""users.pending_email, users.phone, users.share_phone: an address that waits for its
confirmation link, and a phone number with who may see it

Revision ID: 0011
Revises: 0010

Only columns are added (``ALTER TABLE ... ADD COLUMN`` on SQLite too, no table rebuild).
Existing accounts have no phone number and share nothing (server defaults). The downgrade
drops the columns with ``ALTER TABLE ... DROP COLUMN`` (SQLite 3.35 or later) and never
rebuilds the table: on SQLite a rebuild drops ``users``, which every foreign key points at.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("pending_email", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("phone", sa.String(length=30), server_default="", nullable=False))
        batch_op.add_column(sa.Column("share_phone", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.drop_column("share_phone")
        batch_op.drop_column("phone")
        batch_op.drop_column("pending_email")
