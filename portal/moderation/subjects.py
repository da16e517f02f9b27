"""What moderation works on: content the domains registered (posts, replies, help items,
messages in a help conversation) and accounts, seen through one small interface
(``ContentKind``), so the queue, the decisions and the log need no ``if post ... elif reply``
and import no domain.

Posts and replies keep their moderation state in ``status``; a help item has a workflow
status of its own (open, toegezegd, ...) and keeps this state in ``moderation``. Both hold a
``ContentStatus``: published, pending or hidden.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import ContentStatus, Review, SubjectType, User
from portal.models.base import utcnow

Content = Any  # a post, a reply, a help item: whatever a domain registered
LABEL_MAX = 120


@dataclass(frozen=True)
class ContentKind:
    """What moderation needs to know about one kind of content. Each domain describes its
    own (``portal/board/moderated.py``, ``portal/circles/moderated.py``) and ``create_app``
    registers them, so moderation imports no domain."""

    type: SubjectType
    model: type
    state: str  # the attribute that holds the ContentStatus
    review_key: str  # the Review column that points at it
    endpoint: str  # where it is shown, e.g. "board.post"
    url_values: Callable[[Content], dict]  # the endpoint's values for one item
    report_endpoint: str  # the domain's report route, e.g. "board.report_post"
    report_argument: str  # the item's id in that route, e.g. "post_id"
    queue_loading: Any  # a loader option on Review that loads it for the queue
    text_columns: tuple  # what the duplicate check compares (title first, main text last)
    anchor: Callable[[Content], str] = lambda item: ""  # noqa: E731 - "#reactie-3" for a reply
    # More values of the report route than the item's id (a message: also its help item's)
    report_values: Callable[[Content], dict] = lambda item: {}  # noqa: E731
    on_visibility_change: Callable[[Content, int], None] | None = None  # e.g. cached counters


KINDS: dict[SubjectType, ContentKind] = {}


def register(*kinds: ContentKind) -> None:
    for kind in kinds:
        KINDS[kind.type] = kind


def kind_of(item: Content) -> ContentKind:
    return next(kind for kind in KINDS.values() if isinstance(item, kind.model))


def type_of(subject: Content | User) -> SubjectType:
    return SubjectType.ACCOUNT if isinstance(subject, User) else kind_of(subject).type


def state_of(item: Content) -> str:
    return getattr(item, kind_of(item).state)


def set_state(item: Content, state: str) -> None:
    """Change the moderation state; when the item goes on or off line, its domain hears it
    (``on_visibility_change``: the board keeps its cached counts in the same transaction)."""
    kind = kind_of(item)
    was_public = state_of(item) == ContentStatus.PUBLISHED
    setattr(item, kind.state, state)
    now_public = state == ContentStatus.PUBLISHED
    if was_public != now_public and kind.on_visibility_change is not None:
        kind.on_visibility_change(item, 1 if now_public else -1)


def subject_or_none(subject_type: SubjectType, subject_id: int) -> Content | User | None:
    """The item or account a decision is about, in this wijk: content of another wijk is out
    of the scope's reach, and an account that takes no part here is nobody's to decide on."""
    if subject_type == SubjectType.ACCOUNT:
        user = db.session.get(User, subject_id)
        return user if user is not None and user.here is not None else None
    return db.session.get(KINDS[subject_type].model, subject_id)


def author_of(subject: Content | User) -> User:
    """Whose content this is (or, for an account, the person)."""
    return subject if isinstance(subject, User) else subject.author


def label_of(subject: Content | User) -> str:
    """A short, recognisable name for the log: the title, or a reply's opening words."""
    if isinstance(subject, User):
        return subject.name
    title = getattr(subject, "title", None)  # a reply has no title: its opening words
    return title if title is not None else _shortened(text_of(subject))


def text_of(item: Content) -> str:
    """The main text (a post's body, a help item's text, ...): the last of its text columns."""
    return getattr(item, kind_of(item).text_columns[-1].key) or ""


def _shortened(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def path_of(subject: Content | User) -> str | None:
    """Where the item is shown (for moderators and its author); accounts have no page. Also
    outside a request (the demo data writes log lines too)."""
    if isinstance(subject, User):
        return None
    kind = kind_of(subject)
    return url_path(kind.endpoint, **kind.url_values(subject)) + kind.anchor(subject)


def url_path(endpoint: str, **values) -> str:
    return current_app.url_map.bind("localhost").build(endpoint, values)


# --- Reviews: one per item that ever needed a moderator -------------------------------------


def review_of(item: Content) -> Review | None:
    if item.id is None:  # not stored yet, so never reviewed (and ``== None`` would match others)
        return None
    column = getattr(Review, kind_of(item).review_key)
    return db.session.scalar(select(Review).where(column == item.id))


def open_review(item: Content) -> Review:
    """The item's review, opened (again) now if it was closed; made when there was none.

    Two requests at the same moment (two reporters) may both try to make it: the unique
    column lets one win, and the other takes the row the winner made."""
    db.session.flush()  # a new item needs its id
    review = review_of(item)
    if review is None:
        try:
            with db.session.begin_nested():
                review = Review(author_id=item.author_id, opened_at=utcnow(), is_open=True,
                                report_count=0, **{kind_of(item).review_key: item.id})
                db.session.add(review)
        except IntegrityError:
            review = review_of(item)
    reopen(review)
    return review


def reopen(review: Review) -> None:
    """A closed review joins the queue again (an open one is left as it is)."""
    if not review.is_open:
        review.is_open, review.opened_at, review.closed_at = True, utcnow(), None
