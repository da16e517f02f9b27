"""The wijkbrief: subscribers, issues, their blocks and deliveries; an HTML part in the outbox

Revision ID: 0024
Revises: 0023

- ``newsletter_subscribers``: an address (unique per wijk), maybe an account, the consent
  (moment, wording, where), confirmed / unsubscribed / bounced moments, an organisation and a
  buurt for the segments.
- ``newsletters``: an issue (concept or verzonden; its number per wijk once sent).
- ``newsletter_blocks``: the editable parts of an issue.
- ``newsletter_deliveries``: one recipient of one issue (unique), with its outbox message.
- ``outbox.html``: an optional HTML alternative of a message.

All but the outbox column are new tables of a wijk (``district_id``): nothing is rebuilt on
SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def _in_wijk(table: str) -> list:
    return [
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=f"fk_{table}_district_id_districts"),
    ]


def _references(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}",
                                   ondelete=ondelete)


def upgrade():
    op.add_column("outbox", sa.Column("html", sa.Text(), nullable=True))
    op.create_table(
        "newsletter_subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(160), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("consent_source", sa.String(200), nullable=False),
        sa.Column("confirmation_sent_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("bounced_at", sa.DateTime(), nullable=True),
        *_in_wijk("newsletter_subscribers"),
        _references("newsletter_subscribers", "user_id", "users", "CASCADE"),
        _references("newsletter_subscribers", "neighbourhood_id", "neighbourhoods", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_newsletter_subscribers"),
        sa.UniqueConstraint("district_id", "email", name="uq_newsletter_subscribers_district_id_email"),
    )
    op.create_table(
        "newsletters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("segment", sa.String(20), nullable=False),
        sa.Column("buurten", sa.String(300), nullable=False),
        sa.Column("segment_target_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        *_in_wijk("newsletters"),
        _references("newsletters", "created_by_id", "users", "SET NULL"),
        _references("newsletters", "sent_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_newsletters"),
        sa.UniqueConstraint("district_id", "number", name="uq_newsletters_district_id_number"),
    )
    op.create_table(
        "newsletter_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsletter_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("heading", sa.String(200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_in_wijk("newsletter_blocks"),
        _references("newsletter_blocks", "newsletter_id", "newsletters", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_newsletter_blocks"),
    )
    op.create_table(
        "newsletter_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("newsletter_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("newsletter_deliveries"),
        _references("newsletter_deliveries", "newsletter_id", "newsletters", "CASCADE"),
        _references("newsletter_deliveries", "subscriber_id", "newsletter_subscribers", "CASCADE"),
        _references("newsletter_deliveries", "outbox_id", "outbox", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_newsletter_deliveries"),
        sa.UniqueConstraint("newsletter_id", "subscriber_id",
                            name="uq_newsletter_deliveries_newsletter_id_subscriber_id"),
    )
    op.create_index("ix_newsletter_deliveries_newsletter_id_outbox_id", "newsletter_deliveries",
                    ["newsletter_id", "outbox_id"])
    for table, columns in (
            ("newsletter_subscribers", ("district_id", "user_id", "neighbourhood_id")),
            ("newsletters", ("district_id", "created_by_id", "sent_by_id")),
            ("newsletter_blocks", ("district_id", "newsletter_id")),
            ("newsletter_deliveries", ("district_id", "subscriber_id"))):
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade():
    op.drop_table("newsletter_deliveries")
    op.drop_table("newsletter_blocks")
    op.drop_table("newsletters")
    op.drop_table("newsletter_subscribers")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("html")
