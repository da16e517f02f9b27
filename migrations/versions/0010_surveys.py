"""Peilingen: surveys, their questions and options, responses (online and on paper) and answers.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("introduction", sa.Text(), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("neighbourhood_id", sa.Integer(), nullable=True),
        sa.Column("theme_id", sa.Integer(), nullable=True),
        sa.Column("results_published_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_surveys_created_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["neighbourhood_id"], ["neighbourhoods.id"],
                                name=op.f("fk_surveys_neighbourhood_id_neighbourhoods")),
        sa.ForeignKeyConstraint(["theme_id"], ["themes.id"], name=op.f("fk_surveys_theme_id_themes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
    )
    for column in ("closes_at", "created_by_id", "neighbourhood_id", "opens_at", "theme_id"):
        op.create_index(op.f(f"ix_surveys_{column}"), "surveys", [column])

    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("help_text", sa.String(length=300), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("low_label", sa.String(length=60), nullable=False),
        sa.Column("high_label", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"],
                                name=op.f("fk_survey_questions_survey_id_surveys"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_questions")),
    )
    op.create_index(op.f("ix_survey_questions_survey_id"), "survey_questions", ["survey_id"])

    op.create_table(
        "survey_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["question_id"], ["survey_questions.id"],
                                name=op.f("fk_survey_options_question_id_survey_questions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_options")),
    )
    op.create_index(op.f("ix_survey_options_question_id"), "survey_options", ["question_id"])

    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("on_paper", sa.Boolean(), nullable=False),
        sa.Column("on_behalf_name", sa.String(length=40), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entered_by_id"], ["users.id"],
                                name=op.f("fk_survey_responses_entered_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["survey_id"], ["surveys.id"],
                                name=op.f("fk_survey_responses_survey_id_surveys"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_survey_responses_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
        sa.UniqueConstraint("survey_id", "user_id", name=op.f("uq_survey_responses_survey_id")),
    )
    for column in ("entered_by_id", "survey_id", "user_id"):
        op.create_index(op.f(f"ix_survey_responses_{column}"), "survey_responses", [column])

    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("text_status", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["option_id"], ["survey_options.id"],
                                name=op.f("fk_survey_answers_option_id_survey_options"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["survey_questions.id"],
                                name=op.f("fk_survey_answers_question_id_survey_questions"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["response_id"], ["survey_responses.id"],
                                name=op.f("fk_survey_answers_response_id_survey_responses"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
    )
    op.create_index(op.f("ix_survey_answers_option_id"), "survey_answers", ["option_id"])
    op.create_index(op.f("ix_survey_answers_response_id"), "survey_answers", ["response_id"])
    op.create_index("ix_survey_answers_question_option", "survey_answers", ["question_id", "option_id"])
    op.create_index("ix_survey_answers_question_text_status", "survey_answers",
                    ["question_id", "text_status"])


def downgrade():
    # Dropping a table drops its indexes with it (SQLite and PostgreSQL).
    for table in ("survey_answers", "survey_responses", "survey_options", "survey_questions", "surveys"):
        op.drop_table(table)
