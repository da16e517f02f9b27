"""signalen_meldingen: a signal sent as a melding openbare ruimte to the gemeente's Signalen,
waiting to be sent (claimed, retried with back-off) and then its public id and status

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "signalen_meldingen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("share_contact", sa.Boolean(), nullable=False),
        sa.Column("signal_id", sa.String(length=36), nullable=True),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_text", sa.String(length=200), nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"], name=op.f("fk_signalen_meldingen_post_id_posts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sent_by_id"], ["users.id"], name=op.f("fk_signalen_meldingen_sent_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signalen_meldingen")),
        sa.UniqueConstraint("post_id", name=op.f("uq_signalen_meldingen_post_id")),
        sa.UniqueConstraint("signal_id", name=op.f("uq_signalen_meldingen_signal_id")),
    )
    op.create_index("ix_signalen_meldingen_waiting", "signalen_meldingen",
                    ["sent_at", "failed_at", "next_attempt_at"])
    op.create_index("ix_signalen_meldingen_state_synced", "signalen_meldingen", ["state", "synced_at"])


def downgrade():
    op.drop_index("ix_signalen_meldingen_state_synced", table_name="signalen_meldingen")
    op.drop_index("ix_signalen_meldingen_waiting", table_name="signalen_meldingen")
    op.drop_table("signalen_meldingen")
