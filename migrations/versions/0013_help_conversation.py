"""After "ik help": the chosen helper, the private conversation on a help item, and what the
daily jobs record so that no request stays open unseen

Revision ID: 0013
Revises: 0012

``help_items`` gains the day it is for (``wanted_on``), the helper namens a neighbour
without internet, when a helper was chosen, and when the follow-up mails went out;
``help_responses`` gains the neighbour a verbinder offers namens. New tables:
``help_messages`` (the conversation) and ``help_message_mails`` (at most one mail per
conversation per hour). Only columns are added to existing tables (``ALTER TABLE ... ADD
COLUMN`` on SQLite too, no table rebuild).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ITEM_COLUMNS = [
    ("wanted_on", sa.Date()),
    ("taken_on_behalf_name", sa.String(length=40)),
    ("promised_at", sa.DateTime()),
    ("waiting_told_at", sa.DateTime()),
    ("escalated_at", sa.DateTime()),
    ("done_asked_at", sa.DateTime()),
    ("done_answered_at", sa.DateTime()),
]


def upgrade():
    with op.batch_alter_table("help_items", recreate="never") as batch_op:
        for name, type_ in ITEM_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("help_responses", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("on_behalf_name", sa.String(length=40), nullable=True))
    op.create_table(
        "help_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["help_items.id"],
                                name=op.f("fk_help_messages_item_id_help_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_help_messages_author_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_messages")),
    )
    op.create_index(op.f("ix_help_messages_author_id"), "help_messages", ["author_id"])
    op.create_index("ix_help_messages_item_id_created_at", "help_messages", ["item_id", "created_at"])
    op.create_table(
        "help_message_mails",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mailed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["help_items.id"],
                                name=op.f("fk_help_message_mails_item_id_help_items"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_help_message_mails_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "user_id", name=op.f("pk_help_message_mails")),
    )
    op.create_index(op.f("ix_help_message_mails_user_id"), "help_message_mails", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_help_message_mails_user_id"), table_name="help_message_mails")
    op.drop_table("help_message_mails")
    op.drop_index("ix_help_messages_item_id_created_at", table_name="help_messages")
    op.drop_index(op.f("ix_help_messages_author_id"), table_name="help_messages")
    op.drop_table("help_messages")
    with op.batch_alter_table("help_responses", recreate="never") as batch_op:
        batch_op.drop_column("on_behalf_name")
        batch_op.drop_column("on_behalf_of_id")
    with op.batch_alter_table("help_items", recreate="never") as batch_op:
        for name, _ in reversed(ITEM_COLUMNS):
            batch_op.drop_column(name)
