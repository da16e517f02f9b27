"""posts: an index on (district_id, id), so a wijk's posts can be read newest first

Revision ID: 0018
Revises: 0017

Search (``board/search.py``) lists a wijk's matching posts by ``id`` descending. On
PostgreSQL the planner walked the primary key backwards and tested every post of every wijk
on the way: with ten wijken of 100,000 posts, ``/zoeken?q=fietspad`` in the second wijk (whose
posts the later wijken's outnumber at the top of the key) took 348 ms for its page of 20;
through this index it reads the wijk's own posts only, 57 ms (``benchmarks/README.md``).
``ix_posts_district_id`` stays: every wijk table has it (``portal/wijk.py``).

Only an index is added (no table rebuild on SQLite).
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_posts_district_id_id", "posts", ["district_id", "id"], unique=False)


def downgrade():
    op.drop_index("ix_posts_district_id_id", table_name="posts")
