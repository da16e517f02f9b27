"""Werkgroepen and bewonersgroepen: groups, their themes and buurten, members and trekkers,
news and the members' thread; events.group_id; reviews.group_message_id

Revision ID: 0020
Revises: 0019

Six new tables, each belonging to a wijk (``district_id``, not null, indexed, a foreign key;
``portal/models/groups.py``): ``groups`` (slug unique per wijk), ``group_themes``,
``group_buurten``, ``group_members`` (one row per person per group: role member or trekker,
status requested or member), ``group_news`` and ``group_messages``.

``events`` gains a nullable ``group_id`` (the group that meets there), and so do
``survey_questions`` (a contact question "Wilt u meedoen met ...?" about one group). A message in a group's
thread can be reported: ``reviews`` gains ``group_message_id`` and its one-subject check is
widened to five columns. The three tables are rebuilt on SQLite (batch mode); ``migrations/env.py``
turns foreign keys off while migrating, so the rebuild deletes no reports or registrations.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

FOUR = (
    "(CASE WHEN post_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN reply_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_item_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN help_message_id IS NULL THEN 0 ELSE 1 END)"
)
FIVE = FOUR + " + (CASE WHEN group_message_id IS NULL THEN 0 ELSE 1 END)"


def upgrade():
    op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('meets', sa.String(length=200), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('quiet_nudged_at', sa.DateTime(), nullable=True),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_groups_district_id_districts')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_groups_proposed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('district_id', 'slug', name='uq_groups_district_id_slug')
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_proposed_by_id'), ['proposed_by_id'], unique=False)
        batch_op.create_index('ix_groups_status_name', ['status', 'name'], unique=False)

    op.create_table('group_buurten',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('neighbourhood_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_group_buurten_district_id_districts')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_buurten_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhoods.id'], name=op.f('fk_group_buurten_neighbourhood_id_neighbourhoods'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_buurten')),
    sa.UniqueConstraint('group_id', 'neighbourhood_id', name='uq_group_buurten_group_id_neighbourhood_id')
    )
    with op.batch_alter_table('group_buurten', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_buurten_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_buurten_neighbourhood_id'), ['neighbourhood_id'], unique=False)

    op.create_table('group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=True),
    sa.Column('show_email', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_group_members_district_id_districts')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_members_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_members')),
    sa.UniqueConstraint('group_id', 'user_id', name='uq_group_members_group_id_user_id')
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_members_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('group_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('moderation', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_group_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_group_messages_district_id_districts')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_messages_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_messages'))
    )
    with op.batch_alter_table('group_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_messages_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_messages_district_id'), ['district_id'], unique=False)
        batch_op.create_index('ix_group_messages_group_id_created_at', ['group_id', 'created_at'], unique=False)

    op.create_table('group_news',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_group_news_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_group_news_district_id_districts')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_news_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_news'))
    )
    with op.batch_alter_table('group_news', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_news_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_news_district_id'), ['district_id'], unique=False)
        batch_op.create_index('ix_group_news_group_id_created_at', ['group_id', 'created_at'], unique=False)

    op.create_table('group_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_group_themes_district_id_districts')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_themes_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_group_themes_theme_id_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_themes')),
    sa.UniqueConstraint('group_id', 'theme_id', name='uq_group_themes_group_id_theme_id')
    )
    with op.batch_alter_table('group_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_themes_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_themes_theme_id'), ['theme_id'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_events_group_id_groups'), 'groups', ['group_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_survey_questions_group_id'), ['group_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_survey_questions_group_id_groups'), 'groups', ['group_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reviews_one_subject'), type_='check')
        batch_op.add_column(sa.Column('group_message_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_reviews_group_message_id'), ['group_message_id'])
        batch_op.create_foreign_key(batch_op.f('fk_reviews_group_message_id_group_messages'), 'group_messages', ['group_message_id'], ['id'], ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_reviews_one_subject'), sa.text(f"{FIVE} = 1"))


def downgrade():
    op.execute("DELETE FROM reviews WHERE group_message_id IS NOT NULL")
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_reviews_one_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_reviews_group_message_id_group_messages'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_reviews_group_message_id'), type_='unique')
        batch_op.drop_column('group_message_id')
        batch_op.create_check_constraint(op.f('ck_reviews_one_subject'), sa.text(f"{FOUR} = 1"))

    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_survey_questions_group_id_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_survey_questions_group_id'))
        batch_op.drop_column('group_id')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_events_group_id_groups'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_events_group_id'))
        batch_op.drop_column('group_id')

    with op.batch_alter_table('group_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_themes_theme_id'))
        batch_op.drop_index(batch_op.f('ix_group_themes_district_id'))

    op.drop_table('group_themes')
    with op.batch_alter_table('group_news', schema=None) as batch_op:
        batch_op.drop_index('ix_group_news_group_id_created_at')
        batch_op.drop_index(batch_op.f('ix_group_news_district_id'))
        batch_op.drop_index(batch_op.f('ix_group_news_author_id'))

    op.drop_table('group_news')
    with op.batch_alter_table('group_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_group_messages_group_id_created_at')
        batch_op.drop_index(batch_op.f('ix_group_messages_district_id'))
        batch_op.drop_index(batch_op.f('ix_group_messages_author_id'))

    op.drop_table('group_messages')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_group_members_district_id'))

    op.drop_table('group_members')
    with op.batch_alter_table('group_buurten', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_buurten_neighbourhood_id'))
        batch_op.drop_index(batch_op.f('ix_group_buurten_district_id'))

    op.drop_table('group_buurten')
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_index('ix_groups_status_name')
        batch_op.drop_index(batch_op.f('ix_groups_proposed_by_id'))
        batch_op.drop_index(batch_op.f('ix_groups_district_id'))

    op.drop_table('groups')
