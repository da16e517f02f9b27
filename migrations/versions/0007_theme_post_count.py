"""themes.post_count: a cached count of each theme's published posts, filled from the posts

Revision ID: 0007
Revises: 0006

Only a column is added (``ALTER TABLE ... ADD COLUMN`` on SQLite too, no table rebuild), then
counted once from the existing posts; from here on the portal keeps it up to date. The
downgrade drops it with ``ALTER TABLE ... DROP COLUMN`` (SQLite 3.35 or later) and never
rebuilds the table: on SQLite a rebuild drops ``themes``, which the posts' foreign key forbids.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COUNT_PUBLISHED_POSTS = (
    "UPDATE themes SET post_count = (SELECT count(*) FROM posts "
    "WHERE posts.theme_id = themes.id AND posts.status = 'published')"
)


def upgrade():
    with op.batch_alter_table("themes") as batch_op:
        batch_op.add_column(sa.Column("post_count", sa.Integer(), server_default="0", nullable=False))
    op.execute(COUNT_PUBLISHED_POSTS)


def downgrade():
    with op.batch_alter_table("themes", recreate="never") as batch_op:
        batch_op.drop_column("post_count")
