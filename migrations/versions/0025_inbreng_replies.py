"""Replies on inbreng, moderated like the board's replies

Revision ID: 0025
Revises: 0024

- ``inbreng_replies``: a reaction on one contribution, a table of a wijk (``district_id``),
  with its moderation state (``status``) and an index for the page of one contribution's
  replies (``inbreng_id, status, created_at``).
- ``inbreng.reply_count``: its published replies, kept by the portal from here on (there are
  none yet, so nothing is counted). Added with ``ALTER TABLE ... ADD COLUMN`` and dropped with
  ``DROP COLUMN`` (SQLite 3.35 or later), never by rebuilding ``inbreng``, as 0007 does.
- ``reviews.inbreng_reply_id``: a reply on inbreng in the moderators' queue, and the
  one-subject check of reviews widened to seven columns (a rebuild on SQLite that keeps the
  reports, as 0022 does; PostgreSQL alters in place). The downgrade removes the reviews of
  such replies first (their reports go with them).
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


SIX = (  # as 0022 left it
    "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN reply_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_item_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_message_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN group_message_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN inbreng_id IS NULL THEN 0 ELSE 1 END)"
)
SEVEN = SIX + " + (CASE WHEN inbreng_reply_id IS NULL THEN 0 ELSE 1 END)"
REPORT_COLUMNS = "id, review_id, reporter_id, reason, explanation, created_at, resolved_at"
TABLE = "inbreng_replies"


def _references(column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{TABLE}_{column}_{target}",
                                   ondelete=ondelete)


def upgrade():
    with op.batch_alter_table("inbreng", recreate="never") as batch:
        batch.add_column(sa.Column("reply_count", sa.Integer(), server_default="0", nullable=False))

    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbreng_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=f"fk_{TABLE}_district_id_districts"),
        _references("inbreng_id", "inbreng", "CASCADE"),
        _references("author_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
    )
    op.create_index(f"ix_{TABLE}_district_id", TABLE, ["district_id"])
    op.create_index(f"ix_{TABLE}_author_id", TABLE, ["author_id"])
    op.create_index(f"ix_{TABLE}_inbreng_id_status_created_at", TABLE, ["inbreng_id", "status", "created_at"])

    def widen():
        with op.batch_alter_table("reviews") as batch:
            batch.drop_constraint(op.f("ck_reviews_one_subject"), type_="check")
            batch.add_column(sa.Column("inbreng_reply_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(op.f("fk_reviews_inbreng_reply_id_inbreng_replies"), TABLE,
                                     ["inbreng_reply_id"], ["id"], ondelete="CASCADE")
            batch.create_unique_constraint(op.f("uq_reviews_inbreng_reply_id"), ["inbreng_reply_id"])
            batch.create_check_constraint(op.f("ck_reviews_one_subject"), sa.text(f"{SEVEN} = 1"))

    _keeping_reports(widen)


def _keeping_reports(change) -> None:
    """Run ``change`` (which rebuilds ``reviews`` on SQLite) without losing the reports (as
    migrations 0014 and 0022 do)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute(f"CREATE TEMPORARY TABLE kept_reports AS SELECT {REPORT_COLUMNS} FROM reports")  # noqa: S608
    change()
    if sqlite:
        op.execute(f"INSERT INTO reports ({REPORT_COLUMNS}) SELECT {REPORT_COLUMNS} FROM kept_reports "  # noqa: S608
                   "WHERE review_id IN (SELECT id FROM reviews) AND id NOT IN (SELECT id FROM reports)")
        op.execute("DROP TABLE kept_reports")


def downgrade():
    def narrow():
        # Their reports first: SQLite migrates with foreign keys off, so nothing cascades.
        op.execute("DELETE FROM reports WHERE review_id IN "
                   "(SELECT id FROM reviews WHERE inbreng_reply_id IS NOT NULL)")
        op.execute("DELETE FROM reviews WHERE inbreng_reply_id IS NOT NULL")
        with op.batch_alter_table("reviews") as batch:
            batch.drop_constraint(op.f("ck_reviews_one_subject"), type_="check")
            batch.drop_constraint(op.f("uq_reviews_inbreng_reply_id"), type_="unique")
            batch.drop_constraint(op.f("fk_reviews_inbreng_reply_id_inbreng_replies"), type_="foreignkey")
            batch.drop_column("inbreng_reply_id")
            batch.create_check_constraint(op.f("ck_reviews_one_subject"), sa.text(f"{SIX} = 1"))

    _keeping_reports(narrow)
    op.drop_table(TABLE)
    with op.batch_alter_table("inbreng", recreate="never") as batch:
        batch.drop_column("reply_count")
