"""The wijkinformatiepunt and the sociale kaart: organisations, services, locations, opening
hours, questions to the informatiepunt and proposed changes

Revision ID: 0019
Revises: 0018

Nine new tables, each belonging to a wijk (``district_id``, not null, indexed, a foreign key),
named after Open Referral's HSDS 3.0 where they fit (``portal/models/infopoint.py``):

- ``organizations`` (slug unique per wijk; ``is_infopoint`` marks the wijk's
  wijkinformatiepunt; ``assured_date`` is "laatst gecontroleerd"), ``services`` (for whom,
  what it costs, how to get it, what to bring), ``service_needs`` (the needs a service helps
  with: geldzaken, eenzaamheid, ...), ``locations`` (address, how to get there, the accessible
  entrance), ``service_at_locations`` and ``schedules`` (an RFC 5545 RRULE with the hours it
  opens and closes, Europe/Amsterdam), ``closed_days`` (days an organisation marks closed);
- ``questions``: the informatiepunt's cases (name, e-mail or phone, the question, consent,
  status and answer, referral or hand-over), removed 90 days after they were last handled;
- ``change_proposals``: a change an organisation proposes to its record, for a moderator.

The ``informatiepunt`` role is a new value of ``participations.role`` (a string): no change.
Only tables are added, so nothing is rebuilt on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _in_wijk(table: str) -> list:
    """The ``district_id`` column and its foreign key, as every wijk table has them."""
    return [
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["district_id"], ["districts.id"], name=f"fk_{table}_district_id_districts"),
    ]


def _references(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}",
                                   ondelete=ondelete)


def _indexes(table: str, *columns: str) -> None:
    for column in ("district_id", *columns):
        op.create_index(f"ix_{table}_{column}", table, [column])


# Every table with its indexed columns besides district_id, in the order they are made.
INDEXES = {
    "organizations": (),
    "services": ("organization_id",),
    "service_needs": ("service_id", "need"),
    "locations": ("organization_id",),
    "service_at_locations": ("service_id", "location_id"),
    "schedules": ("service_at_location_id",),
    "closed_days": ("organization_id",),
    "questions": ("status", "referred_organization_id", "handed_circle_id", "handled_by_id", "created_at"),
    "change_proposals": ("organization_id", "proposed_by_id", "status"),
}


def upgrade():
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("is_infopoint", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("assured_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *_in_wijk("organizations"),
        sa.PrimaryKeyConstraint("id", name="pk_organizations"),
        sa.UniqueConstraint("district_id", "slug", name="uq_organizations_district_id_slug"),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("eligibility_description", sa.Text(), nullable=False),
        sa.Column("fees_description", sa.Text(), nullable=False),
        sa.Column("application_process", sa.Text(), nullable=False),
        sa.Column("required_documents", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        *_in_wijk("services"),
        _references("services", "organization_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_services"),
    )
    op.create_table(
        "service_needs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("need", sa.String(length=40), nullable=False),
        *_in_wijk("service_needs"),
        _references("service_needs", "service_id", "services", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_service_needs"),
        sa.UniqueConstraint("service_id", "need", name="uq_service_needs_service_id_need"),
    )
    op.create_table(
        "locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("address_1", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=80), nullable=False),
        sa.Column("transportation", sa.Text(), nullable=False),
        sa.Column("accessibility", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=True),
        sa.Column("longitude", sa.Double(), nullable=True),
        *_in_wijk("locations"),
        _references("locations", "organization_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_locations"),
    )
    op.create_table(
        "service_at_locations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        *_in_wijk("service_at_locations"),
        _references("service_at_locations", "service_id", "services", "CASCADE"),
        _references("service_at_locations", "location_id", "locations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_service_at_locations"),
        sa.UniqueConstraint("service_id", "location_id", name="uq_service_at_locations_service_id_location_id"),
    )
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_at_location_id", sa.Integer(), nullable=False),
        sa.Column("rrule", sa.String(length=200), nullable=False),
        sa.Column("opens_at", sa.Time(), nullable=False),
        sa.Column("closes_at", sa.Time(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        *_in_wijk("schedules"),
        _references("schedules", "service_at_location_id", "service_at_locations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_schedules"),
    )
    op.create_table(
        "closed_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        *_in_wijk("closed_days"),
        _references("closed_days", "organization_id", "organizations", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_closed_days"),
        sa.UniqueConstraint("organization_id", "day", name="uq_closed_days_organization_id_day"),
    )
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("consent", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("referred_organization_id", sa.Integer(), nullable=True),
        sa.Column("handed_circle_id", sa.Integer(), nullable=True),
        sa.Column("handled_by_id", sa.Integer(), nullable=True),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("questions"),
        _references("questions", "referred_organization_id", "organizations", "SET NULL"),
        _references("questions", "handed_circle_id", "circles", "SET NULL"),
        _references("questions", "handled_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_questions"),
    )
    op.create_table(
        "change_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("change_proposals"),
        _references("change_proposals", "organization_id", "organizations", "CASCADE"),
        _references("change_proposals", "proposed_by_id", "users", "SET NULL"),
        _references("change_proposals", "reviewed_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_change_proposals"),
    )
    for table, columns in INDEXES.items():
        _indexes(table, *columns)


def downgrade():
    for table, columns in reversed(INDEXES.items()):
        for column in ("district_id", *columns):
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
