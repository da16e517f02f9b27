"""A place on the map for a meedenken traject and for each contribution (both optional)

Revision ID: 0026
Revises: 0025

Two nullable columns on ``trajecten`` and on ``inbreng``: added in place on SQLite too.
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

TABLES = ("trajecten", "inbreng")


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("latitude", sa.Float(), nullable=True))
        op.add_column(table, sa.Column("longitude", sa.Float(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("longitude")
            batch.drop_column("latitude")
