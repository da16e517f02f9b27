"""Following at one's own pace: one table for what a person follows, the digest's items, the
pace in the mail settings, and a person's last visit

Revision ID: 0021
Revises: 0020

- ``follows``: what a person follows, ``kind`` (``theme``, ``group``, ``post``) and
  ``target_id``, unique per wijk, person, kind and target. Every row of ``post_follows`` is
  copied in as ``kind = 'post'``, and ``post_follows`` is dropped (one way to follow).
- ``digest_items``: news waiting for a person's daily or weekly digest, with its text.
- ``notification_preferences``: ``digest`` (``direct``, ``dagelijks``, ``wekelijks``,
  ``nooit``; ``wekelijks`` for new rows), ``digest_weekday`` (0 = Monday) and
  ``digest_sent_at``. Existing rows keep what they had: replies on followed posts came at
  once (``direct``) unless ``post_updates`` was off (``nooit``). Someone who follows a post
  but never saved a setting had the defaults, so mail at once: they get a row with
  ``direct``; everyone else without a row gets the new default, ``wekelijks``.
- ``participations.last_seen_at``: the person's last visit to the wijk (at most hourly).

Only columns and tables are added (and one dropped table), so nothing is rebuilt on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def _in_wijk(table: str) -> list:
    return [
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=f"fk_{table}_district_id_districts"),
    ]


def _user(table: str) -> list:
    return [
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE"),
    ]


def upgrade():
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_user("follows"),
        *_in_wijk("follows"),
        sa.PrimaryKeyConstraint("id", name="pk_follows"),
        sa.UniqueConstraint("district_id", "user_id", "kind", "target_id",
                            name="uq_follows_district_id_user_id_kind_target_id"),
    )
    op.create_index("ix_follows_district_id", "follows", ["district_id"])
    op.create_index("ix_follows_user_id", "follows", ["user_id"])
    op.create_index("ix_follows_kind_target_id", "follows", ["kind", "target_id"])
    op.create_table(
        "digest_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_user("digest_items"),
        *_in_wijk("digest_items"),
        sa.PrimaryKeyConstraint("id", name="pk_digest_items"),
    )
    op.create_index("ix_digest_items_district_id", "digest_items", ["district_id"])
    op.create_index("ix_digest_items_user_id", "digest_items", ["user_id"])
    op.create_index("ix_digest_items_created_at", "digest_items", ["created_at"])

    with op.batch_alter_table("notification_preferences", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(length=10), server_default="wekelijks", nullable=False))
        batch_op.add_column(sa.Column("digest_weekday", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("digest_sent_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("participations", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(), nullable=True))

    # What existing rows effectively had: replies came at once, unless switched off.
    op.execute("UPDATE notification_preferences "
               "SET digest = CASE WHEN post_updates THEN 'direct' ELSE 'nooit' END")
    # Followers without a row had the defaults, so mail at once: keep that for them.
    op.execute(
        "INSERT INTO notification_preferences "
        "(user_id, district_id, help_items, event_reminders, moderation, post_updates, digest, digest_weekday) "
        "SELECT DISTINCT f.user_id, f.district_id, 'daily', true, true, true, 'direct', 0 FROM post_follows f "
        "WHERE NOT EXISTS (SELECT 1 FROM notification_preferences p "
        "WHERE p.user_id = f.user_id AND p.district_id = f.district_id)"
    )
    op.execute(
        "INSERT INTO follows (district_id, user_id, kind, target_id, created_at) "
        "SELECT district_id, user_id, 'post', post_id, created_at FROM post_follows"
    )
    op.drop_table("post_follows")  # its indexes go with it


def downgrade():
    op.create_table(
        "post_follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("post_follows"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name="fk_post_follows_post_id_posts",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_post_follows_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_post_follows"),
        sa.UniqueConstraint("post_id", "user_id", name="uq_post_follows_post_id_user_id"),
    )
    op.create_index("ix_post_follows_user_id", "post_follows", ["user_id"])
    op.create_index("ix_post_follows_district_id", "post_follows", ["district_id"])
    op.execute(
        "INSERT INTO post_follows (district_id, post_id, user_id, created_at) "
        "SELECT f.district_id, f.target_id, f.user_id, f.created_at FROM follows f "
        "WHERE f.kind = 'post' AND EXISTS (SELECT 1 FROM posts p WHERE p.id = f.target_id)"
    )
    with op.batch_alter_table("participations", recreate="never") as batch_op:
        batch_op.drop_column("last_seen_at")
    with op.batch_alter_table("notification_preferences", recreate="never") as batch_op:
        batch_op.drop_column("digest_sent_at")
        batch_op.drop_column("digest_weekday")
        batch_op.drop_column("digest")
    op.drop_table("digest_items")
    op.drop_table("follows")
