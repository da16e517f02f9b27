"""The buurtcirkels a service covers, and a verbinder's referral of a help item to a service

Revision ID: 0023
Revises: 0022

- ``service_areas``: a service of the sociale kaart and a buurtcirkel it covers (a service
  with none covers the whole wijk); one row per pair.
- ``help_referrals``: a verbinder pointed a help item to a service; removed with the item or
  the service.

Both belong to a wijk (``district_id``). Only tables are added: nothing is rebuilt on SQLite.
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
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
    op.create_table(
        "service_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        *_in_wijk("service_areas"),
        _references("service_areas", "service_id", "services", "CASCADE"),
        _references("service_areas", "circle_id", "circles", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_service_areas"),
        sa.UniqueConstraint("service_id", "circle_id", name="uq_service_areas_service_id_circle_id"),
    )
    op.create_table(
        "help_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("help_item_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        *_in_wijk("help_referrals"),
        _references("help_referrals", "help_item_id", "help_items", "CASCADE"),
        _references("help_referrals", "service_id", "services", "CASCADE"),
        _references("help_referrals", "referred_by_id", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_help_referrals"),
    )
    for table, columns in (("service_areas", ("district_id", "service_id", "circle_id")),
                           ("help_referrals", ("district_id", "help_item_id", "service_id", "referred_by_id"))):
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade():
    op.drop_table("help_referrals")
    op.drop_table("service_areas")
