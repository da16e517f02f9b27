"""Meedenken: trajecten, inbreng with steun and reports, maatregelen; peilingen and
bijeenkomsten can belong to a traject

Revision ID: 0022
Revises: 0021

Four new tables, each belonging to a wijk (``district_id``, not null, indexed, a foreign key;
``portal/models/meedenken.py``): ``trajecten`` (slug unique per wijk), ``inbreng``,
``inbreng_supports`` (one per person per contribution), ``maatregelen``. Inbreng is moderated
like a post: ``reviews.inbreng_id``, and the one-subject check of reviews widened to six
columns (after 0020's ``group_message_id``) (a rebuild on SQLite that keeps the reports, as 0014 does). ``events`` and
``surveys`` gain a nullable ``traject_id`` (SET NULL when the traject goes); adding a
foreign key rebuilds those two tables on SQLite (batch mode; the migrations run with
foreign keys off, ``migrations/env.py``). PostgreSQL alters in place.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


FIVE = (  # as 0020 left it
    "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN reply_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_item_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_message_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN group_message_id IS NULL THEN 0 ELSE 1 END)"
)
SIX = FIVE + " + (CASE WHEN inbreng_id IS NULL THEN 0 ELSE 1 END)"
REPORT_COLUMNS = "id, review_id, reporter_id, reason, explanation, created_at, resolved_at"


def _in_wijk(table: str) -> list:
    return [
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=f"fk_{table}_district_id_districts"),
    ]


def _references(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}",
                                   ondelete=ondelete)


def upgrade():
    op.create_table(
        "trajecten",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("decider", sa.String(length=200), nullable=False),
        sa.Column("documents", sa.Text(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("ophalen_until", sa.Date(), nullable=False),
        sa.Column("advies_on", sa.Date(), nullable=True),
        sa.Column("besluit_on", sa.Date(), nullable=True),
        sa.Column("uitvoering_on", sa.Date(), nullable=True),
        sa.Column("advies", sa.Text(), nullable=False),
        sa.Column("advies_published_at", sa.DateTime(), nullable=True),
        sa.Column("advies_sent_at", sa.DateTime(), nullable=True),
        sa.Column("advies_sent_to", sa.Text(), nullable=False),
        sa.Column("advies_told_at", sa.DateTime(), nullable=True),
        sa.Column("reactie", sa.Text(), nullable=False),
        sa.Column("besluit", sa.Text(), nullable=False),
        sa.Column("reactie_at", sa.DateTime(), nullable=True),
        sa.Column("reactie_told_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("trajecten"),
        _references("trajecten", "created_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_trajecten"),
        sa.UniqueConstraint("district_id", "slug", name="uq_trajecten_district_id_slug"),
    )
    op.create_index("ix_trajecten_district_id", "trajecten", ["district_id"])

    op.create_table(
        "inbreng",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("traject_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("on_behalf_name", sa.String(length=80), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("cited", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("inbreng"),
        _references("inbreng", "traject_id", "trajecten", "CASCADE"),
        _references("inbreng", "author_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_inbreng"),
    )
    op.create_index("ix_inbreng_district_id", "inbreng", ["district_id"])
    op.create_index("ix_inbreng_author_id", "inbreng", ["author_id"])
    op.create_index("ix_inbreng_traject_id_status_created_at", "inbreng",
                    ["traject_id", "status", "created_at"])

    table = "inbreng_supports"
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbreng_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk(table),
        _references(table, "inbreng_id", "inbreng", "CASCADE"),
        _references(table, "user_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
        sa.UniqueConstraint("inbreng_id", "user_id", name=f"uq_{table}_inbreng_id_user_id"),
    )
    op.create_index(f"ix_{table}_district_id", table, ["district_id"])
    op.create_index(f"ix_{table}_user_id", table, ["user_id"])

    op.create_table(
        "maatregelen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("traject_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *_in_wijk("maatregelen"),
        _references("maatregelen", "traject_id", "trajecten", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_maatregelen"),
    )
    op.create_index("ix_maatregelen_district_id", "maatregelen", ["district_id"])
    op.create_index("ix_maatregelen_traject_id", "maatregelen", ["traject_id"])

    for table in ("events", "surveys"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("traject_id", sa.Integer(), nullable=True))
            batch.create_index(f"ix_{table}_traject_id", ["traject_id"])
            batch.create_foreign_key(f"fk_{table}_traject_id_trajecten", "trajecten", ["traject_id"], ["id"],
                                     ondelete="SET NULL")

    def widen():
        with op.batch_alter_table("reviews") as batch:
            batch.drop_constraint(op.f("ck_reviews_one_subject"), type_="check")
            batch.add_column(sa.Column("inbreng_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(op.f("fk_reviews_inbreng_id_inbreng"), "inbreng", ["inbreng_id"], ["id"],
                                     ondelete="CASCADE")
            batch.create_unique_constraint(op.f("uq_reviews_inbreng_id"), ["inbreng_id"])
            batch.create_check_constraint(op.f("ck_reviews_one_subject"), sa.text(f"{SIX} = 1"))

    _keeping_reports(widen)


def _keeping_reports(change) -> None:
    """Run ``change`` (which rebuilds ``reviews`` on SQLite) without losing the reports (as
    migration 0014 does)."""
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
        op.execute("DELETE FROM reviews WHERE inbreng_id IS NOT NULL")
        with op.batch_alter_table("reviews") as batch:
            batch.drop_constraint(op.f("ck_reviews_one_subject"), type_="check")
            batch.drop_constraint(op.f("uq_reviews_inbreng_id"), type_="unique")
            batch.drop_constraint(op.f("fk_reviews_inbreng_id_inbreng"), type_="foreignkey")
            batch.drop_column("inbreng_id")
            batch.create_check_constraint(op.f("ck_reviews_one_subject"), sa.text(f"{FIVE} = 1"))

    _keeping_reports(narrow)
    for table in ("surveys", "events"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_traject_id_trajecten", type_="foreignkey")
            batch.drop_index(f"ix_{table}_traject_id")
            batch.drop_column("traject_id")
    for table in ("maatregelen", "inbreng_supports", "inbreng", "trajecten"):
        op.drop_table(table)
