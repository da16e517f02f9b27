"""The queries and changes of peilingen, shared by the views, the demo data and the account
page. Nothing here commits (the request or the CLI command does).

Pages run a fixed number of queries: a peiling is loaded with its questions and options in
three (``survey_or_none``), a list asks for the counts of all its peilingen at once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.models import (
    ContentStatus,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    User,
)
from portal.models.base import utcnow
from portal.models.surveys import CONTACT_YES

CLOSED_PER_PAGE = 20


class QuestionsLocked(Exception):
    """The peiling has answers: this change would break its results (the message is Dutch)."""


# --- Reading -------------------------------------------------------------------------------

def survey_or_none(survey_id: int) -> Survey | None:
    """The peiling with its buurt or theme, its questions and their options: three queries."""
    return db.session.scalar(
        select(Survey).where(Survey.id == survey_id).options(
            joinedload(Survey.neighbourhood), joinedload(Survey.theme),
            selectinload(Survey.questions).selectinload(SurveyQuestion.options),
        )
    )


@dataclass
class SurveyList:
    open: list[Survey] = field(default_factory=list)
    upcoming: list[Survey] = field(default_factory=list)  # only for moderators
    closed: object = None  # a page of closed peilingen (db.paginate)
    counts: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (all, on paper)
    answered: set[int] = field(default_factory=set)  # ids this person answered


def survey_list(viewer: User | None, with_upcoming: bool, page: int,
                now: datetime | None = None) -> SurveyList:
    """``/peilingen``: open peilingen (closing soonest first), those in preparation (for
    moderators) and a page of closed ones (newest first). Five queries at most."""
    now = now or utcnow()
    places = (joinedload(Survey.neighbourhood), joinedload(Survey.theme))
    listing = SurveyList()
    listing.open = list(db.session.scalars(
        select(Survey).where(Survey.opens_at <= now, Survey.closes_at >= now)
        .order_by(Survey.closes_at, Survey.id).options(*places)))
    if with_upcoming:
        listing.upcoming = list(db.session.scalars(
            select(Survey).where(Survey.opens_at > now)
            .order_by(Survey.opens_at, Survey.id).options(*places)))
    closed = (select(Survey).where(Survey.closes_at < now)
              .order_by(Survey.closes_at.desc(), Survey.id.desc()).options(*places))
    listing.closed = db.paginate(closed, page=page, per_page=CLOSED_PER_PAGE, error_out=False)
    shown = [s.id for s in listing.open + listing.upcoming + list(listing.closed.items)]
    listing.counts = response_counts(shown)
    listing.answered = answered_by(viewer, shown)
    return listing


def response_counts(survey_ids) -> dict[int, tuple[int, int]]:
    """(responses, of which on paper) per peiling, in one query."""
    ids = list(survey_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(SurveyResponse.survey_id, func.count(),
               func.coalesce(func.sum(case((SurveyResponse.on_paper, 1), else_=0)), 0))
        .where(SurveyResponse.survey_id.in_(ids)).group_by(SurveyResponse.survey_id)
    )
    return {survey_id: (total, int(paper)) for survey_id, total, paper in rows}


def answered_by(user: User | None, survey_ids) -> set[int]:
    ids = list(survey_ids)
    if not ids or user is None or not user.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(SurveyResponse.survey_id)
        .where(SurveyResponse.user_id == user.id, SurveyResponse.survey_id.in_(ids))))


def response_of(user: User | None, survey: Survey) -> SurveyResponse | None:
    """This person's own response, with its answers (two queries), or None."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id)
        .options(selectinload(SurveyResponse.answers)))


def has_responses(survey: Survey) -> bool:
    """Once the first answer is in, the questions are locked (see ``update_question``)."""
    return bool(db.session.scalar(select(exists().where(SurveyResponse.survey_id == survey.id))))


def paper_entered_by(user: User, survey: Survey) -> int:
    return db.session.scalar(select(func.count()).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.entered_by_id == user.id)) or 0


# --- Building ------------------------------------------------------------------------------

@dataclass
class SurveyDetails:
    title: str
    introduction: str
    opens_at: datetime
    closes_at: datetime
    neighbourhood_id: int | None = None
    theme_id: int | None = None


def create_survey(details: SurveyDetails, author: User) -> Survey:
    survey = Survey(created_by=author)
    update_survey(survey, details)
    db.session.add(survey)
    db.session.flush()  # its id, for the address
    return survey


def update_survey(survey: Survey, details: SurveyDetails) -> None:
    """Title, introduction, days and audience may change at any time: they do not touch the
    results."""
    for name, value in vars(details).items():
        setattr(survey, name, value)


@dataclass
class QuestionDetails:
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    group_id: int | None = None  # a contact question about one group


def add_question(survey: Survey, details: QuestionDetails) -> SurveyQuestion:
    if has_responses(survey):
        raise QuestionsLocked(
            "Er zijn al antwoorden. Een vraag toevoegen kan niet meer: wie al meedeed, kreeg "
            "die vraag niet.")
    position = max((q.position for q in survey.questions), default=0) + 1
    question = SurveyQuestion(survey=survey, kind=details.kind, position=position)
    _fill_question(question, details)
    question.options = [SurveyOption(position=n, label=label) for n, label in enumerate(details.options, 1)]
    db.session.add(question)
    db.session.flush()
    return question


def update_question(question: SurveyQuestion, details: QuestionDetails, locked: bool) -> None:
    """Change a question. When the peiling has answers (``locked``), only the words may
    change: the kind stays, and options keep their number and order (each line renames the
    option in its place), so every answer still means what it meant."""
    if locked:
        if details.kind != question.kind:
            raise QuestionsLocked("Er zijn al antwoorden. Het soort vraag kan niet meer veranderen.")
        if question.has_options and len(details.options) != len(question.options):
            raise QuestionsLocked(
                f"Er zijn al antwoorden. U kunt de woorden van een antwoord verbeteren, maar er "
                f"geen weghalen of toevoegen. Houd {len(question.options)} regels, in dezelfde volgorde.")
    _fill_question(question, details)
    question.kind = details.kind
    if not question.has_options:
        question.options = []
    elif locked:
        for option, label in zip(question.options, details.options, strict=True):
            option.label = label
    else:
        _replace_options(question, details.options)


def _replace_options(question: SurveyQuestion, labels: list[str]) -> None:
    """Without answers options may change freely; those that keep their words keep their row."""
    existing = {option.label: option for option in question.options}
    question.options = [existing.pop(label, None) or SurveyOption(label=label) for label in labels]
    for position, option in enumerate(question.options, start=1):
        option.position = position


def _fill_question(question: SurveyQuestion, details: QuestionDetails) -> None:
    question.text = details.text
    question.help_text = details.help_text
    question.required = details.required
    scale = details.kind == QuestionKind.SCALE
    question.low_label = details.low_label if scale else ""
    question.high_label = details.high_label if scale else ""
    question.group_id = details.group_id if details.kind == QuestionKind.CONTACT else None


def delete_question(question: SurveyQuestion) -> None:
    if has_responses(question.survey):
        raise QuestionsLocked("Er zijn al antwoorden. Een vraag weghalen kan niet meer.")
    survey = question.survey
    survey.questions.remove(question)
    db.session.delete(question)
    _renumber(survey.questions)


def move_question(question: SurveyQuestion, step: int) -> bool:
    """Swap with the question above (-1) or below (+1); False at either end. The order never
    changes what an answer means, so this is allowed after the first answer too."""
    questions = list(question.survey.questions)
    index = questions.index(question)
    other = index + step
    if not 0 <= other < len(questions):
        return False
    questions[index], questions[other] = questions[other], questions[index]
    _renumber(questions)
    question.survey.questions.sort(key=lambda q: q.position)
    return True


def _renumber(questions) -> None:
    for position, question in enumerate(questions, start=1):
        question.position = position


def has_contact_question(survey: Survey, other_than: SurveyQuestion | None = None) -> bool:
    return any(q.kind == QuestionKind.CONTACT and q is not other_than for q in survey.questions)


def publish_results(survey: Survey, publish: bool) -> None:
    survey.results_published_at = (survey.results_published_at or utcnow()) if publish else None


# --- Answering -----------------------------------------------------------------------------

@dataclass
class Given:
    """What someone answered to one question (checked by ``forms.AnswerSheet``)."""

    question: SurveyQuestion
    option_ids: list[int] = field(default_factory=list)
    value: int | None = None
    text: str | None = None


def save_response(survey: Survey, given: list[Given], user: User | None = None,
                  entered_by: User | None = None,
                  on_behalf_name: str | None = None) -> tuple[SurveyResponse, bool]:
    """Store a response: a person's own (``user``; a second time it replaces their answers,
    so one account never counts twice) or a paper form (``entered_by``, ``on_behalf_name``).
    Returns the response and whether it is new."""
    now = utcnow()
    response = None if user is None else _own_response(survey, user)
    created = response is None
    if created:
        response = SurveyResponse(survey_id=survey.id, user=user, on_paper=user is None,
                                  entered_by=entered_by, on_behalf_name=on_behalf_name or None,
                                  created_at=now, updated_at=now)
        try:
            with db.session.begin_nested():  # the same person twice at the same moment
                db.session.add(response)
        except IntegrityError:
            response, created = _own_response(survey, user), False
    kept_reviews = {}
    if not created:
        kept_reviews = {(a.question_id, a.text): a.text_status for a in response.answers if a.text}
        db.session.execute(delete(SurveyAnswer).where(SurveyAnswer.response_id == response.id))
        db.session.expire(response, ["answers"])
        response.updated_at = now
    db.session.add_all(_answer_rows(response, given, kept_reviews, now))
    db.session.flush()
    return response, created


def _own_response(survey: Survey, user: User) -> SurveyResponse | None:
    return db.session.scalar(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id)
        .options(selectinload(SurveyResponse.answers)).execution_options(populate_existing=True))


def _answer_rows(response: SurveyResponse, given: list[Given], kept_reviews: dict, now: datetime):
    """One row per chosen option, per scale or yes/no value, per open text. An open text that
    did not change keeps the moderator's decision; a new or changed one waits for it again."""
    for answer in given:
        row = {"response_id": response.id, "question_id": answer.question.id, "created_at": now}
        for option_id in answer.option_ids:
            yield SurveyAnswer(**row, option_id=option_id)
        if answer.value is not None:
            yield SurveyAnswer(**row, value=answer.value)
        if answer.text:
            status = kept_reviews.get((answer.question.id, answer.text), ContentStatus.PENDING)
            yield SurveyAnswer(**row, text=answer.text, text_status=status)


# --- Open answers and the contact list (moderators) ----------------------------------------

def open_answers(survey: Survey) -> list[SurveyAnswer]:
    """Every open answer of the peiling, waiting ones first, then newest first."""
    waiting_first = case((SurveyAnswer.text_status == ContentStatus.PENDING, 0), else_=1)
    return list(db.session.scalars(
        select(SurveyAnswer).join(SurveyQuestion)
        .where(SurveyQuestion.survey_id == survey.id, SurveyAnswer.text.is_not(None))
        .order_by(waiting_first, SurveyAnswer.created_at.desc(), SurveyAnswer.id.desc())
        .options(joinedload(SurveyAnswer.question))))


def answer_or_none(answer_id: int) -> SurveyAnswer | None:
    return db.session.scalar(
        select(SurveyAnswer).where(SurveyAnswer.id == answer_id, SurveyAnswer.text.is_not(None))
        .options(joinedload(SurveyAnswer.question).joinedload(SurveyQuestion.survey)))


def review_open_answer(answer: SurveyAnswer, approve: bool) -> None:
    answer.text_status = ContentStatus.PUBLISHED if approve else ContentStatus.HIDDEN


def waiting_open_answers(survey_ids) -> dict[int, int]:
    """Open answers that wait for a moderator, per peiling, in one query."""
    ids = list(survey_ids)
    if not ids:
        return {}
    return dict(db.session.execute(
        select(SurveyQuestion.survey_id, func.count()).join(SurveyAnswer.question)
        .where(SurveyQuestion.survey_id.in_(ids), SurveyAnswer.text_status == ContentStatus.PENDING)
        .group_by(SurveyQuestion.survey_id)).all())


@dataclass
class Contact:
    """Someone who said yes to "Mag de wijkplatformgroep u benaderen?"."""

    name: str
    email: str | None  # None for a paper form: contact runs through the verbinder
    via: User | None
    on_paper: bool
    answered_at: datetime


def contacts(survey: Survey) -> list[Contact]:
    rows = db.session.scalars(
        select(SurveyResponse).join(SurveyAnswer).join(SurveyAnswer.question)
        .where(SurveyResponse.survey_id == survey.id, SurveyQuestion.kind == QuestionKind.CONTACT,
               SurveyAnswer.value == CONTACT_YES)
        .order_by(SurveyResponse.created_at, SurveyResponse.id)
        .options(joinedload(SurveyResponse.user), joinedload(SurveyResponse.entered_by))
    ).unique()
    found = []
    for response in rows:
        if response.on_paper:
            found.append(Contact(response.on_behalf_name or "(geen naam)", None, response.entered_by,
                                 True, response.created_at))
        elif response.user is not None:
            found.append(Contact(response.user.name, response.user.email, None, False, response.created_at))
    return found


# --- The person's data (account export, deleting an account) -------------------------------

def export_of(user: User) -> list[dict]:
    """The peilingen this person answered, with their own answers (AVG: right of access)."""
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.user_id == user.id)
        .options(joinedload(SurveyResponse.survey),
                 selectinload(SurveyResponse.answers).joinedload(SurveyAnswer.question),
                 selectinload(SurveyResponse.answers).joinedload(SurveyAnswer.option))
        .order_by(SurveyResponse.created_at)).all()
    return [{"peiling": r.survey.title, "ingevuld": r.created_at.isoformat(timespec="seconds"),
             "antwoorden": [{"vraag": a.question.text,
                             "antwoord": a.option.label if a.option else (a.text if a.text else a.value)}
                            for a in r.answers]} for r in responses]


def forget(user: User) -> None:
    """Deleting an account keeps its answers in the counts but no longer linked to anyone."""
    db.session.execute(
        db.update(SurveyResponse).where(SurveyResponse.user_id == user.id).values(user_id=None))
