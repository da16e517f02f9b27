"""Counting a peiling: per question the number and percentage of each answer and the number
of people who answered it; the open answers a moderator approved; the chart's geometry; the
CSV for moderators (one row per response, no names).

Whatever the number of responses, the results page costs the same five queries here (plus
the three that load the peiling): the database counts, Python only arranges the counts.
"""

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import ContentStatus, QuestionKind, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from portal.models.surveys import CONTACT_NO, CONTACT_YES, SCALE_VALUES
from portal.surveys.words import CONTACT_LABELS, percentage

OPEN_ANSWERS_SHOWN = 5  # per open question on the results page; the rest on a page of their own
LABEL_CHARACTERS = 34  # a label in the chart (the table has the whole text)
ROW_EM = 3.4  # the height of one bar with its label, in em (so it grows with the text size)


@dataclass
class Row:
    label: str
    count: int
    percent: int

    @property
    def chart_label(self) -> str:
        label = self.label
        if len(label) > LABEL_CHARACTERS:
            label = label[: LABEL_CHARACTERS - 1].rstrip() + "…"
        return f"{label}: {self.percent}%"


@dataclass
class QuestionResult:
    question: SurveyQuestion
    number: int
    answered: int = 0
    rows: list[Row] = field(default_factory=list)
    average: float | None = None  # scale questions
    open_answers: list[str] = field(default_factory=list)  # approved, newest first
    open_approved: int = 0
    open_waiting: int = 0

    @property
    def is_open(self) -> bool:
        return self.question.kind == QuestionKind.OPEN

    @property
    def chart_height_em(self) -> float:
        return round(len(self.rows) * ROW_EM + 0.4, 1)

    def chart_rows(self):
        """(row, y of its label, y of its bar) in em from the top of the chart."""
        for n, row in enumerate(self.rows):
            top = n * ROW_EM
            yield row, round(top + 1.2, 1), round(top + 1.6, 1)


@dataclass
class Results:
    survey: Survey
    total: int = 0
    on_paper: int = 0
    questions: list[QuestionResult] = field(default_factory=list)


def results_of(survey: Survey, open_shown: int = OPEN_ANSWERS_SHOWN) -> Results:
    results = Results(survey)
    results.total, results.on_paper = _totals(survey)
    question_ids = [q.id for q in survey.questions]
    tallies = _tallies(question_ids)
    answered = _answered(question_ids)
    texts = _approved_texts(question_ids, open_shown)
    reviews = _open_reviews(question_ids)
    for number, question in enumerate(survey.questions, start=1):
        result = QuestionResult(question, number, answered=answered.get(question.id, 0))
        counts = tallies.get(question.id, {})
        result.rows = [Row(label, counts.get(key, 0), percentage(counts.get(key, 0), result.answered))
                       for key, label in _choices(question)]
        if question.kind == QuestionKind.SCALE and result.answered:
            result.average = sum(v * counts.get(v, 0) for v in SCALE_VALUES) / result.answered
        result.open_answers = texts.get(question.id, [])
        result.open_approved = reviews.get((question.id, ContentStatus.PUBLISHED), 0)
        result.open_waiting = reviews.get((question.id, ContentStatus.PENDING), 0)
        results.questions.append(result)
    return results


def _choices(question: SurveyQuestion) -> list[tuple[int, str]]:
    """The answers one can give, as (the key their count has, the words)."""
    if question.has_options:
        return [(option.id, option.label) for option in question.options]
    if question.kind == QuestionKind.SCALE:
        ends = {1: question.low_label, 5: question.high_label}
        return [(v, f"{v} ({ends[v]})" if ends.get(v) else str(v)) for v in SCALE_VALUES]
    if question.kind == QuestionKind.CONTACT:
        return [(CONTACT_YES, CONTACT_LABELS[CONTACT_YES]), (CONTACT_NO, CONTACT_LABELS[CONTACT_NO])]
    return []


def _totals(survey: Survey) -> tuple[int, int]:
    total, paper = db.session.execute(
        select(func.count(), func.count().filter(SurveyResponse.on_paper.is_(True)))
        .where(SurveyResponse.survey_id == survey.id)).one()
    return total, paper


def _tallies(question_ids: list[int]) -> dict[int, dict[int, int]]:
    """{question: {option id or value: count}} for choice, scale and yes/no answers."""
    if not question_ids:
        return {}
    key = func.coalesce(SurveyAnswer.option_id, SurveyAnswer.value)
    rows = db.session.execute(
        select(SurveyAnswer.question_id, key, func.count())
        .where(SurveyAnswer.question_id.in_(question_ids), SurveyAnswer.text.is_(None))
        .group_by(SurveyAnswer.question_id, key))
    tallies: dict[int, dict[int, int]] = {}
    for question_id, value, count in rows:
        tallies.setdefault(question_id, {})[value] = count
    return tallies


def _answered(question_ids: list[int]) -> dict[int, int]:
    """How many responses answered each question (several choices count once)."""
    if not question_ids:
        return {}
    return dict(db.session.execute(
        select(SurveyAnswer.question_id, func.count(func.distinct(SurveyAnswer.response_id)))
        .where(SurveyAnswer.question_id.in_(question_ids)).group_by(SurveyAnswer.question_id)).all())


def _approved_texts(question_ids: list[int], per_question: int) -> dict[int, list[str]]:
    """The newest approved open answers of each question, at most ``per_question`` each, in
    one query (a window function: SQLite 3.25+ and PostgreSQL)."""
    if not question_ids or per_question <= 0:
        return {}
    rank = func.row_number().over(partition_by=SurveyAnswer.question_id,
                                  order_by=(SurveyAnswer.created_at.desc(), SurveyAnswer.id.desc()))
    ranked = (select(SurveyAnswer.question_id, SurveyAnswer.text, rank.label("rank"))
              .where(SurveyAnswer.question_id.in_(question_ids),
                     SurveyAnswer.text_status == ContentStatus.PUBLISHED).subquery())
    rows = db.session.execute(
        select(ranked.c.question_id, ranked.c.text).where(ranked.c.rank <= per_question)
        .order_by(ranked.c.question_id, ranked.c.rank))
    texts: dict[int, list[str]] = {}
    for question_id, text in rows:
        texts.setdefault(question_id, []).append(text)
    return texts


def _open_reviews(question_ids: list[int]) -> dict[tuple[int, str], int]:
    if not question_ids:
        return {}
    rows = db.session.execute(
        select(SurveyAnswer.question_id, SurveyAnswer.text_status, func.count())
        .where(SurveyAnswer.question_id.in_(question_ids), SurveyAnswer.text.is_not(None))
        .group_by(SurveyAnswer.question_id, SurveyAnswer.text_status))
    return {(question_id, status): count for question_id, status, count in rows}


def approved_answers_page(question: SurveyQuestion, page: int, per_page: int = 25):
    """All approved answers of one open question, newest first, a page at a time."""
    query = (select(SurveyAnswer.text)
             .where(SurveyAnswer.question_id == question.id,
                    SurveyAnswer.text_status == ContentStatus.PUBLISHED)
             .order_by(SurveyAnswer.created_at.desc(), SurveyAnswer.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- The CSV for moderators ------------------------------------------------------------------

# An open answer may hold a name or worse until a moderator approved it: the CSV, which may be
# passed on for analysis, carries only approved texts.
UNREVIEWED_TEXT = {ContentStatus.PENDING: "(nog niet gecontroleerd)", ContentStatus.HIDDEN: "(verborgen)"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A cell a spreadsheet shows as text: what someone typed never becomes a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(survey: Survey) -> str:
    """One row per response: a number, online or on paper, the day, then one column per
    question. No names, no accounts, no e-mail addresses, and of open answers only those a
    moderator approved. Semicolons and a byte-order mark, so Dutch Excel opens it as it is."""
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
        .order_by(SurveyResponse.created_at, SurveyResponse.id)
        .options(selectinload(SurveyResponse.answers))).all()
    labels = {option.id: option.label for q in survey.questions for option in q.options}
    contact = {q.id for q in survey.questions if q.kind == QuestionKind.CONTACT}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    headings = [_cell(f"{n}. {q.text}") for n, q in enumerate(survey.questions, start=1)]
    writer.writerow(["nummer", "hoe", "ingevuld", *headings])
    for number, response in enumerate(responses, start=1):
        by_question: dict[int, list[str]] = {}
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(_answer_words(answer, labels, contact))
        writer.writerow(
            [number, "papier" if response.on_paper else "online", response.created_at.date().isoformat()]
            + [_cell("; ".join(by_question.get(q.id, []))) for q in survey.questions])
    return "\ufeff" + out.getvalue()


def _answer_words(answer: SurveyAnswer, labels: dict[int, str], contact: set[int]) -> str:
    if answer.option_id is not None:
        return labels.get(answer.option_id, "")
    if answer.text is not None:
        approved = answer.text_status == ContentStatus.PUBLISHED
        return answer.text if approved else UNREVIEWED_TEXT.get(answer.text_status, "")
    if answer.question_id in contact:
        return "ja" if answer.value == CONTACT_YES else "nee"
    return str(answer.value)
