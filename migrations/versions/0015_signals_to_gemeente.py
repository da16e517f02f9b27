"""Signals to the gemeente and back; paper cards; following a post

Revision ID: 0015
Revises: 0014

- ``posts.forwarded_at``: when a moderator first set the signal to ``doorgestuurd`` (the mail
  to ``GEMEENTE_MAIL``); the median time to answer on ``/signalen`` counts from it.
- ``posts.answer_hidden``: a moderator hid the gemeente's answer (logged).
- ``posts.on_behalf_name`` and ``posts.source``: a paper card from a meeting, posted *namens*
  a resident by a moderator or verbinder, and where it came from.
- ``post_follows``: who follows a post ("Volgen") to get its replies and answer by mail.
- ``notification_preferences.post_updates``: the switch for that mail (and the steps of a
  signal one wrote or supported); on by default.

Only columns and a table are added (``ALTER TABLE ... ADD COLUMN`` on SQLite, no rebuild).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("posts", recreate="never") as batch_op:  # a rebuild drops the search triggers
        batch_op.add_column(sa.Column("forwarded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("answer_hidden", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("on_behalf_name", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=200), nullable=True))
    with op.batch_alter_table("notification_preferences", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("post_updates", sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        "post_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name="fk_post_follows_post_id_posts",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_post_follows_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_post_follows"),
        sa.UniqueConstraint("post_id", "user_id", name="uq_post_follows_post_id_user_id"),
    )
    op.create_index("ix_post_follows_user_id", "post_follows", ["user_id"])


def downgrade():
    op.drop_index("ix_post_follows_user_id", table_name="post_follows")
    op.drop_table("post_follows")
    with op.batch_alter_table("notification_preferences", recreate="never") as batch_op:
        batch_op.drop_column("post_updates")
    with op.batch_alter_table("posts", recreate="never") as batch_op:
        batch_op.drop_column("source")
        batch_op.drop_column("on_behalf_name")
        batch_op.drop_column("answer_hidden")
        batch_op.drop_column("forwarded_at")
