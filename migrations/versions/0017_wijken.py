"""Ten wijken in one install: hosts per wijk, a district_id on everything of a wijk, and
roles per wijk (participations)

Revision ID: 0017
Revises: 0016

- ``districts`` gets what differs per wijk: its ``host`` and ``aliases``, the contact line,
  the gemeente's addresses, Signalen, the sender's name, an accent colour and a logo. When
  there is no wijk yet (a new install), Vleuten-De Meern is made. The first wijk's host is
  ``localhost``; it also answers on the host of ``PUBLIC_URL`` (``127.0.0.1`` for ``make run``)
  and, in development, on any host no wijk claims (``portal/wijken/hosts.py``).
- Every table that belongs to a wijk gets ``district_id`` (not null, indexed, a foreign key),
  set to the first wijk for the rows already there. Mail settings are per wijk too
  (``notification_preferences`` is keyed by person and wijk). Slugs of themes, buurten and circles are
  unique per wijk; so is a person's membership of a circle.
- ``participations``: a person's part in a wijk (role, trusted, blocked), one row per account
  in the first wijk; ``users.role``, ``trusted`` and ``blocked`` move there, and the account's
  ``admin`` role becomes ``users.platform_admin``.

On SQLite the tables are rebuilt (``migrations/env.py`` turns foreign keys off meanwhile);
the search triggers on ``posts`` are put back afterwards.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Every table of a wijk, with the unique constraint that becomes one per wijk.
WIJK_TABLES = {
    "neighbourhoods": ("uq_neighbourhoods_slug", "slug"),
    "circles": ("uq_circles_slug", "slug"),
    "streets": None,
    "memberships": ("uq_memberships_user_id", "user_id"),
    "help_items": None,
    "help_item_events": None,
    "help_responses": None,
    "help_messages": None,
    "help_message_mails": None,
    "offline_neighbours": None,
    "circle_requests": None,
    "themes": ("uq_themes_slug", "slug"),
    "posts": None,
    "replies": None,
    "supports": None,
    "post_follows": None,
    "events": None,
    "registrations": None,
    "reviews": None,
    "reports": None,
    "moderation_decisions": None,
    "moderation_notices": None,
    "outbox": None,
    "signalen_meldingen": None,
    "surveys": None,
    "survey_questions": None,
    "survey_options": None,
    "survey_responses": None,
    "survey_answers": None,
}


def upgrade():
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    triggers = _sqlite_triggers(bind) if sqlite else []

    with op.batch_alter_table("districts") as batch:
        batch.add_column(sa.Column("host", sa.String(253), nullable=True))
        batch.add_column(sa.Column("aliases", sa.String(1000), nullable=False, server_default=""))
        batch.add_column(sa.Column("contact_line", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("gemeente_mail", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("signalen_url", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("signalen_category", sa.String(300), nullable=False, server_default=""))
        batch.add_column(sa.Column("mail_from_name", sa.String(120), nullable=False, server_default=""))
        batch.add_column(sa.Column("accent_colour", sa.String(7), nullable=False, server_default="#0b4a8b"))
        batch.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("logo_type", sa.String(40), nullable=False, server_default=""))
        batch.add_column(sa.Column("created_at", sa.DateTime(), nullable=True))
    first = bind.execute(sa.text("SELECT min(id) FROM districts")).scalar()
    if first is None:
        bind.execute(sa.text("INSERT INTO districts (slug, name, host, aliases) "
                             "VALUES ('vleuten-de-meern', 'Vleuten-De Meern', 'localhost', '')"))
        first = bind.execute(sa.text("SELECT min(id) FROM districts")).scalar()
    bind.execute(sa.text("UPDATE districts SET host = 'localhost' WHERE id = :id"),
                 {"id": first})
    bind.execute(sa.text("UPDATE districts SET host = slug || '.localhost' WHERE host IS NULL"))
    bind.execute(sa.text("UPDATE districts SET created_at = CURRENT_TIMESTAMP"))
    with op.batch_alter_table("districts") as batch:
        batch.alter_column("host", existing_type=sa.String(253), nullable=False)
        batch.alter_column("created_at", existing_type=sa.DateTime(), nullable=False)
        batch.create_unique_constraint("uq_districts_host", ["host"])

    for table, unique in WIJK_TABLES.items():
        _belongs_to_a_wijk(table, unique, first, already=table == "neighbourhoods")

    op.add_column("notification_preferences", sa.Column("district_id", sa.Integer(), nullable=True))
    bind.execute(sa.text("UPDATE notification_preferences SET district_id = :d"), {"d": first})
    with op.batch_alter_table("notification_preferences") as batch:
        batch.alter_column("district_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_notification_preferences_district_id_districts", "districts",
                                 ["district_id"], ["id"])
        batch.create_index("ix_notification_preferences_district_id", ["district_id"])
        batch.drop_constraint("pk_notification_preferences", type_="primary")
        batch.create_primary_key("pk_notification_preferences", ["user_id", "district_id"])

    op.create_table(
        "participations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("blocked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name="fk_participations_district_id_districts"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_participations_user_id_users",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_participations"),
        sa.UniqueConstraint("district_id", "user_id", name="uq_participations_district_id_user_id"),
    )
    op.create_index("ix_participations_district_id", "participations", ["district_id"])
    op.create_index("ix_participations_user_id", "participations", ["user_id"])
    bind.execute(sa.text(
        "INSERT INTO participations (district_id, user_id, role, trusted, blocked, created_at) "
        "SELECT :d, id, CASE WHEN role = 'admin' THEN 'resident' ELSE role END, trusted, blocked, created_at "
        "FROM users"), {"d": first})
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("platform_admin", sa.Boolean(), nullable=False, server_default=sa.false()))
    bind.execute(sa.text("UPDATE users SET platform_admin = (role = 'admin')"))
    with op.batch_alter_table("users") as batch:
        batch.drop_column("role")
        batch.drop_column("trusted")
        batch.drop_column("blocked")

    for sql in triggers:
        bind.exec_driver_sql(sql)


def _belongs_to_a_wijk(table: str, unique, first: int, already: bool = False) -> None:
    if not already:
        op.add_column(table, sa.Column("district_id", sa.Integer(), nullable=True))
        op.get_bind().execute(sa.text(f"UPDATE {table} SET district_id = :d"), {"d": first})  # noqa: S608
    with op.batch_alter_table(table) as batch:
        if not already:
            batch.alter_column("district_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f"fk_{table}_district_id_districts", "districts", ["district_id"], ["id"])
            batch.create_index(f"ix_{table}_district_id", ["district_id"])
        if unique:
            name, column = unique
            batch.drop_constraint(name, type_="unique")
            batch.create_unique_constraint(f"uq_{table}_district_id_{column}", ["district_id", column])


def _sqlite_triggers(bind) -> list[str]:
    """The triggers SQLite drops with a rebuilt table (the search index's, on ``posts``)."""
    return [row[0] for row in bind.execute(sa.text(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"))]


def downgrade():
    raise NotImplementedError("Ten wijken cannot be folded back into one: restore the backup instead.")
