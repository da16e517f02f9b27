"""device_sessions: each signed-in device, which the server can end; users.deleted_at

Revision ID: 0016
Revises: 0015

- ``device_sessions``: one row per signed-in browser (issue 24, ``portal/accounts/sessions.py``):
  the SHA-256 digest of the token in its session cookie, a short device label ("iPad,
  Safari"), whether "Ingelogd blijven" was ticked, and when it signed in and was last seen.
  Rows go with their account (``ON DELETE CASCADE``).
- ``users.deleted_at``: a deleted account's placeholder ("verwijderde deelnemer") can never
  be signed in to again. Accounts deleted before this migration are recognised by their
  placeholder address (``verwijderd-<id>-...@invalid``) and marked too.

Sessions signed in before this migration carry a person's number instead of a token: they
match no row, so everybody signs in once more.

Only a column and a table are added (``ALTER TABLE ... ADD COLUMN`` on SQLite, no rebuild).
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE users SET deleted_at = created_at "
               "WHERE email LIKE 'verwijderd-%@invalid' AND name = 'verwijderde deelnemer'")
    op.create_table(
        "device_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("device", sa.String(length=80), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_device_sessions_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_device_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_device_sessions_token_hash"),
    )
    op.create_index("ix_device_sessions_user_id", "device_sessions", ["user_id"])


def downgrade():
    op.drop_index("ix_device_sessions_user_id", table_name="device_sessions")
    op.drop_table("device_sessions")
    with op.batch_alter_table("users", recreate="never") as batch_op:
        batch_op.drop_column("deleted_at")
