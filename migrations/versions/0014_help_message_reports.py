"""A message in the conversation on a help item can be reported: help_messages.moderation,
reviews.help_message_id, and the one-subject check of reviews widened to four columns

Revision ID: 0014
Revises: 0013

``help_messages`` gains a column (``ALTER TABLE ... ADD COLUMN``; existing messages are
published). Changing the CHECK constraint of ``reviews`` means rebuilding that table on
SQLite (batch mode): the rebuild drops the old table, and with foreign keys on, dropping it
deletes the reports that point at it (``ON DELETE CASCADE``). So on SQLite the reports are
kept in a temporary table and put back after the rebuild. PostgreSQL alters in place.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

THREE = (
    "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN reply_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_item_id IS NULL THEN 0 ELSE 1 END)"
)
FOUR = THREE + " + (CASE WHEN help_message_id IS NULL THEN 0 ELSE 1 END)"
REPORT_COLUMNS = "id, review_id, reporter_id, reason, explanation, created_at, resolved_at"


def _keeping_reports(change) -> None:
    """Run ``change`` (which rebuilds ``reviews`` on SQLite) without losing the reports."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(f"CREATE TEMPORARY TABLE kept_reports AS SELECT {REPORT_COLUMNS} FROM reports")
    change()
    if sqlite:
        op.execute(f"INSERT INTO reports ({REPORT_COLUMNS}) SELECT {REPORT_COLUMNS} FROM kept_reports "
                   "WHERE review_id IN (SELECT id FROM reviews) AND id NOT IN (SELECT id FROM reports)")
        op.execute("DROP TABLE kept_reports")


def upgrade():
    with op.batch_alter_table("help_messages", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("moderation", sa.String(length=20), server_default="published",
                                      nullable=False))

    def widen():
        with op.batch_alter_table("reviews") as batch_op:
            batch_op.drop_constraint(op.f("ck_reviews_one_subject"), type_="check")
            batch_op.add_column(sa.Column("help_message_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(op.f("fk_reviews_help_message_id_help_messages"), "help_messages",
                                        ["help_message_id"], ["id"], ondelete="CASCADE")
            batch_op.create_unique_constraint(op.f("uq_reviews_help_message_id"), ["help_message_id"])
            batch_op.create_check_constraint(op.f("ck_reviews_one_subject"), sa.text(f"{FOUR} = 1"))

    _keeping_reports(widen)


def downgrade():
    def narrow():
        op.execute("DELETE FROM reviews WHERE help_message_id IS NOT NULL")
        with op.batch_alter_table("reviews") as batch_op:
            batch_op.drop_constraint(op.f("ck_reviews_one_subject"), type_="check")
            batch_op.drop_constraint(op.f("uq_reviews_help_message_id"), type_="unique")
            batch_op.drop_constraint(op.f("fk_reviews_help_message_id_help_messages"), type_="foreignkey")
            batch_op.drop_column("help_message_id")
            batch_op.create_check_constraint(op.f("ck_reviews_one_subject"), sa.text(f"{THREE} = 1"))

    _keeping_reports(narrow)
    with op.batch_alter_table("help_messages", recreate="never") as batch_op:
        batch_op.drop_column("moderation")
