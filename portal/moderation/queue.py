"""What moderators (and authors) read: the queue with its context, the log, the people, and
an author's own waiting items and notices. Each page runs a fixed number of queries."""

import re
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.models import (
    ContentStatus,
    Decision,
    Notice,
    Participation,
    Report,
    Review,
    Role,
    SubjectType,
    User,
    Verdict,
)
from portal.moderation import subjects
from portal.moderation.words import VERDICT_BY_SLUG
from portal.web import choice, page_number

PER_PAGE = 20
ID = re.compile(r"[0-9]{1,9}")
AUTOMATIC = "automatisch"  # the log filter for what the portal decided by itself


def is_id(value: str) -> bool:
    """A row id as typed in a form or URL: ASCII digits only ("²" is a digit to Python, not to int)."""
    return ID.fullmatch(value or "") is not None


def open_count() -> int:
    """The number in the header, "Moderatie (3)": one indexed count."""
    return db.session.scalar(select(func.count(Review.id)).where(Review.is_open))


# --- The queue ------------------------------------------------------------------------------


@dataclass
class History:
    """An author's record with the moderators: approved and hidden contributions."""

    approved: int = 0
    hidden: int = 0


@dataclass
class QueueRow:
    review: Review
    reports: list[Report] = field(default_factory=list)
    history: History = field(default_factory=History)

    @property
    def subject(self):
        return self.review.subject

    @property
    def state(self) -> str:
        return subjects.state_of(self.subject)

    @property
    def waiting(self) -> bool:
        """A new account's contribution, not yet public (rather than a reported one)."""
        return self.state == ContentStatus.PENDING


def _with_subjects(query):
    """Each review with its author and its subject, as the subject's domain loads it."""
    return query.options(
        joinedload(Review.author), *(kind.queue_loading for kind in subjects.KINDS.values())
    )


def queue_page(page: int):
    """Open reviews, oldest first, with their reports and their authors' history."""
    query = _with_subjects(select(Review).where(Review.is_open).order_by(Review.opened_at, Review.id))
    result = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    result.rows = _rows(result.items)
    return result


def queue_row(review_id: int) -> QueueRow | None:
    """One row, as the queue shows it (after an inline decision)."""
    review = db.session.scalar(_with_subjects(select(Review).where(Review.id == review_id)))
    return _rows([review])[0] if review is not None else None


def _rows(reviews: list[Review]) -> list[QueueRow]:
    reports: dict[int, list[Report]] = {}
    if reviews:
        found = db.session.scalars(
            select(Report)
            .where(Report.review_id.in_([r.id for r in reviews]), Report.resolved_at.is_(None))
            .options(joinedload(Report.reporter))
            .order_by(Report.created_at, Report.id)
        )
        for report in found:
            reports.setdefault(report.review_id, []).append(report)
    histories = history_of([r.author_id for r in reviews])
    return [QueueRow(r, reports.get(r.id, []), histories.get(r.author_id, History())) for r in reviews]


def history_of(user_ids: list[int]) -> dict[int, History]:
    """Approved and hidden contributions per person, in one grouped query over the log."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        select(Decision.subject_user_id, Decision.verdict, func.count(Decision.id))
        .where(Decision.subject_user_id.in_(set(user_ids)),
               Decision.verdict.in_([Verdict.APPROVE, Verdict.HIDE]),
               Decision.subject_type != SubjectType.ACCOUNT)
        .group_by(Decision.subject_user_id, Decision.verdict)
    )
    histories: dict[int, History] = {}
    for user_id, verdict, count in rows:
        history = histories.setdefault(user_id, History())
        if verdict == Verdict.APPROVE:
            history.approved = count
        else:
            history.hidden = count
    return histories


# --- The log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    """``?moderator=<id>|automatisch&besluit=<verdict slug>&pagina=N``"""

    moderator: str = ""
    verdict: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "LogFilters":
        moderator = args.get("moderator", "")
        return cls(
            moderator=moderator if moderator == AUTOMATIC or is_id(moderator) else "",
            verdict=choice(args, "besluit", VERDICT_BY_SLUG),
            page=page_number(args),
        )

    def url_args(self) -> dict[str, str]:
        return {k: v for k, v in {"moderator": self.moderator, "besluit": self.verdict}.items() if v}


def log_page(filters: LogFilters):
    """Newest first, twenty a page: two queries."""
    query = select(Decision)
    if filters.moderator == AUTOMATIC:
        query = query.where(Decision.moderator_id.is_(None))
    elif filters.moderator:
        query = query.where(Decision.moderator_id == int(filters.moderator))
    if filters.verdict:
        query = query.where(Decision.verdict == VERDICT_BY_SLUG[filters.verdict])
    query = query.order_by(Decision.created_at.desc(), Decision.id.desc()).options(
        joinedload(Decision.moderator), joinedload(Decision.subject_user)
    )
    return db.paginate(query, page=filters.page, per_page=PER_PAGE, error_out=False)


def deciders() -> list[User]:
    """Everyone who moderates now or has decided before, for the log's filter."""
    decided = select(Decision.moderator_id).where(Decision.moderator_id.is_not(None))
    return list(db.session.scalars(
        select(User).outerjoin(Participation, Participation.user_id == User.id)
        .where(or_(Participation.role == Role.MODERATOR, User.platform_admin, User.id.in_(decided)))
        .order_by(User.name, User.id)
    ))


# --- People ---------------------------------------------------------------------------------

PEOPLE_KINDS = {
    "": "Iedereen",
    "nieuw": "Nieuwe deelnemers",
    "geblokkeerd": "Geblokkeerd",
    "moderatoren": "Moderatoren en beheerders",
}


def people_page(name: str, kind: str, page: int):
    """The people who take part in this wijk (their ``Participation`` in it)."""
    query = select(User).join(Participation, Participation.user_id == User.id)
    if name:
        query = query.where(func.lower(User.name).contains(name.lower(), autoescape=True))
    if kind == "nieuw":
        query = query.where(Participation.role == Role.RESIDENT, Participation.trusted.is_(False),
                            User.platform_admin.is_(False))
    elif kind == "geblokkeerd":
        query = query.where(Participation.blocked.is_(True))
    elif kind == "moderatoren":
        query = query.where(or_(Participation.role == Role.MODERATOR, User.platform_admin))
    query = query.order_by(User.created_at.desc(), User.id.desc())
    result = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    result.histories = history_of([u.id for u in result.items])
    return result


# --- The author's own view ------------------------------------------------------------------


def waiting_items_of(user: User, limit: int = 20) -> list:
    """The person's own posts, replies and help items that wait for a moderator."""
    reviews = db.session.scalars(
        _with_subjects(select(Review).where(Review.author_id == user.id, Review.is_open))
        .order_by(Review.opened_at.desc(), Review.id.desc()).limit(limit)
    )
    return [r.subject for r in reviews if subjects.state_of(r.subject) == ContentStatus.PENDING]


def notices_of(user: User, limit: int = 20) -> list[Decision]:
    """The decisions told to this person, newest first."""
    return list(db.session.scalars(
        select(Decision).join(Notice, Notice.decision_id == Decision.id)
        .where(Notice.user_id == user.id)
        .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)
    ))

