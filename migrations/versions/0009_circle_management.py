"""Circles run from the portal: archived circles, neighbours without internet, requests for a
circle in a street that has none. (The coordinator role and the new log lines need no column.)

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("circles") as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(), nullable=True))
    op.create_table(
        "offline_neighbours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=40), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("consent_at", sa.DateTime(), nullable=False),
        sa.Column("consent_by_id", sa.Integer(), nullable=True),
        sa.Column("consent_text", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circles.id"],
                                name=op.f("fk_offline_neighbours_circle_id_circles"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["consent_by_id"], ["users.id"],
                                name=op.f("fk_offline_neighbours_consent_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_neighbours")),
    )
    op.create_index(op.f("ix_offline_neighbours_circle_id"), "offline_neighbours", ["circle_id"])
    # No foreign key on purpose (see HelpItem.on_behalf_of_id): adding one on SQLite means
    # rebuilding help_items, which other tables point at.
    with op.batch_alter_table("help_items", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_help_items_on_behalf_of_id"), "help_items", ["on_behalf_of_id"])
    op.create_table(
        "circle_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_circle_requests_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle_requests")),
        sa.UniqueConstraint("user_id", "street", name="uq_circle_requests_user_id_street"),
    )
    op.create_index(op.f("ix_circle_requests_street"), "circle_requests", ["street"])


def downgrade():
    op.drop_index(op.f("ix_circle_requests_street"), table_name="circle_requests")
    op.drop_table("circle_requests")
    op.drop_index(op.f("ix_help_items_on_behalf_of_id"), table_name="help_items")
    with op.batch_alter_table("help_items", recreate="never") as batch_op:
        batch_op.drop_column("on_behalf_of_id")
    op.drop_index(op.f("ix_offline_neighbours_circle_id"), table_name="offline_neighbours")
    op.drop_table("offline_neighbours")
    with op.batch_alter_table("circles", recreate="never") as batch_op:
        batch_op.drop_column("archived_at")
