"""Peilingen (surveys): a questionnaire for the wijk, answered on the portal or on paper.

- ``Survey``: a title, an introduction, the days it is open (``opens_at`` to ``closes_at``,
  naive UTC like every timestamp) and who it is meant for (the whole wijk, one buurt or one
  theme). Its results are public only once a moderator published them
  (``results_published_at``).
- ``SurveyQuestion``: one question of one of five kinds (``QuestionKind``), in ``position``
  order. Choice questions have ``SurveyOption`` rows; a scale question has words at both
  ends (``low_label``, ``high_label``); the contact question ("Mag de wijkplatformgroep u
  benaderen?") is a yes/no question whose "ja" puts the person on a list only moderators see;
  asked about a group ("Wilt u meedoen met ...?", ``group_id``), also on that group's trekker's.
- ``SurveyResponse``: one filled-in questionnaire. An account has at most one per survey
  (unique ``survey_id, user_id``; a second attempt changes it). A paper form entered by a
  verbinder has no account (``user_id`` NULL, ``on_paper``, ``entered_by``) and the first
  name of the neighbour, which only the moderators' contact list shows.
- ``SurveyAnswer``: one answer to one question: an option (one row per chosen option for
  "several choices"), a ``value`` (the scale's 1-5, or 1/0 for the contact question's
  ja/nee) or a ``text`` (open questions). Open texts are public only once a moderator
  approved them (``text_status``, a ``ContentStatus``).

Results are anonymous: no page or download shows who answered what.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import utcnow
from portal.models.board import Theme
from portal.models.circles import Neighbourhood
from portal.models.groups import Group
from portal.models.meedenken import Traject
from portal.wijk import InWijk

TITLE_MAX = 160
INTRODUCTION_MAX = 3000
QUESTION_MAX = 300
HELP_MAX = 300
OPTION_MAX = 200
SCALE_LABEL_MAX = 60
OPEN_ANSWER_MAX = 2000
NAME_MAX = 40


class QuestionKind(StrEnum):
    ONE = "one"  # one choice (radio buttons)
    MANY = "many"  # several choices (check boxes)
    SCALE = "scale"  # 1 to 5, with words at both ends
    OPEN = "open"  # open text
    CONTACT = "contact"  # "Mag de wijkplatformgroep u benaderen?": ja (1) or nee (0)


SCALE_VALUES = (1, 2, 3, 4, 5)
CONTACT_YES, CONTACT_NO = 1, 0


class Survey(InWijk, db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    introduction: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(index=True)  # UTC, 00:00 Amsterdam of the first day
    closes_at: Mapped[datetime] = mapped_column(index=True)  # UTC, 23:59:59 Amsterdam of the last day
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"), index=True)
    # the meedenken traject it belongs to (``portal/models/meedenken.py``), if any
    traject_id: Mapped[int | None] = mapped_column(
        ForeignKey("trajecten.id", ondelete="SET NULL"), index=True
    )
    results_published_at: Mapped[datetime | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    theme: Mapped[Theme | None] = relationship()
    traject: Mapped[Traject | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    questions: Mapped[list["SurveyQuestion"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SurveyQuestion.position, SurveyQuestion.id",
    )

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.opens_at <= now <= self.closes_at

    def has_started(self, now: datetime | None = None) -> bool:
        return self.opens_at <= (now or utcnow())

    def is_closed(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) > self.closes_at

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    @property
    def audience(self) -> str:
        """Who it is for, in words: "buurt De Meern", "thema Verkeer"; empty for the whole wijk
        (the page says "heel {{ wijk_name() }}": the model does not know the wijk's name)."""
        if self.neighbourhood is not None:
            return f"buurt {self.neighbourhood.name}"
        if self.theme is not None:
            return f"thema {self.theme.name}"
        return ""

    def __repr__(self) -> str:
        return f"<Survey {self.id} {self.title!r}>"


class SurveyQuestion(InWijk, db.Model):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(QUESTION_MAX))
    help_text: Mapped[str] = mapped_column(String(HELP_MAX), default="")
    required: Mapped[bool] = mapped_column(default=False)
    low_label: Mapped[str] = mapped_column(String(SCALE_LABEL_MAX), default="")
    high_label: Mapped[str] = mapped_column(String(SCALE_LABEL_MAX), default="")
    # A contact question about one group ("Wilt u meedoen met ...?"): its "ja" puts the person
    # on that group's trekker's list too (``portal/groups/service.py: survey_volunteers``).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    group: Mapped[Group | None] = relationship()
    options: Mapped[list["SurveyOption"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SurveyOption.position, SurveyOption.id",
    )

    @property
    def has_options(self) -> bool:
        return self.kind in (QuestionKind.ONE, QuestionKind.MANY)

    def __repr__(self) -> str:
        return f"<SurveyQuestion {self.id} {self.kind} {self.text[:30]!r}>"


class SurveyOption(InWijk, db.Model):
    __tablename__ = "survey_options"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(OPTION_MAX))

    question: Mapped[SurveyQuestion] = relationship(back_populates="options")


class SurveyResponse(InWijk, db.Model):
    """One filled-in questionnaire: of an account, or a paper form (``user_id`` NULL, as NULLs
    are distinct for the unique constraint on SQLite and PostgreSQL alike)."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    on_paper: Mapped[bool] = mapped_column(default=False)
    on_behalf_name: Mapped[str | None] = mapped_column(String(NAME_MAX))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    answers: Mapped[list["SurveyAnswer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True,
        order_by="SurveyAnswer.id",
    )


class SurveyAnswer(InWijk, db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (
        Index("ix_survey_answers_question_option", "question_id", "option_id"),
        Index("ix_survey_answers_question_text_status", "question_id", "text_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_options.id", ondelete="CASCADE"), index=True)
    value: Mapped[int | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(Text)
    text_status: Mapped[str | None] = mapped_column(String(20))  # ContentStatus, open answers only
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
    question: Mapped[SurveyQuestion] = relationship()
    option: Mapped[SurveyOption | None] = relationship()
