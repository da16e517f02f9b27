"""What moderation works on: posts, replies and help items (and accounts), seen through one
small interface, so the queue, the decisions and the log need no ``if post ... elif reply``.

Posts and replies keep their moderation state in ``status``; a help item has a workflow
status of its own (open, toegezegd, ...) and keeps this state in ``moderation``. Both hold a
``ContentStatus``: published, pending or hidden.
"""

from dataclasses import dataclass

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.database import add_to_counter
from portal.extensions import db
from portal.models import ContentStatus, HelpItem, Post, Reply, Review, SubjectType, Theme, User
from portal.models.base import utcnow

Content = Post | Reply | HelpItem
LABEL_MAX = 120


@dataclass(frozen=True)
class ContentKind:
    type: SubjectType
    model: type
    state: str  # the attribute that holds the ContentStatus
    review_key: str  # the Review column that points at it


KINDS = {
    SubjectType.POST: ContentKind(SubjectType.POST, Post, "status", "post_id"),
    SubjectType.REPLY: ContentKind(SubjectType.REPLY, Reply, "status", "reply_id"),
    SubjectType.HELP: ContentKind(SubjectType.HELP, HelpItem, "moderation", "help_item_id"),
}


def kind_of(item: Content) -> ContentKind:
    return next(kind for kind in KINDS.values() if isinstance(item, kind.model))


def type_of(subject: Content | User) -> SubjectType:
    return SubjectType.ACCOUNT if isinstance(subject, User) else kind_of(subject).type


def state_of(item: Content) -> str:
    return getattr(item, kind_of(item).state)


def set_state(item: Content, state: str) -> None:
    """Change the moderation state. A reply that goes on or off line changes its post's cached
    ``reply_count``, a post its theme's ``post_count``, in the same transaction
    (``count = count ± 1`` in SQL, safe under load)."""
    was_public = state_of(item) == ContentStatus.PUBLISHED
    setattr(item, kind_of(item).state, state)
    now_public = state == ContentStatus.PUBLISHED
    if was_public == now_public:
        return
    amount = 1 if now_public else -1
    if isinstance(item, Reply):
        add_to_counter(Post.reply_count, item.post_id, amount)
    elif isinstance(item, Post):
        add_to_counter(Theme.post_count, item.theme_id, amount)


def subject_or_404(subject_type: SubjectType, subject_id: int) -> Content | User:
    model = User if subject_type == SubjectType.ACCOUNT else KINDS[subject_type].model
    subject = db.session.get(model, subject_id)
    if subject is None:
        abort(404)
    return subject


def author_of(subject: Content | User) -> User:
    """Whose content this is (or, for an account, the person)."""
    return subject if isinstance(subject, User) else subject.author


def label_of(subject: Content | User) -> str:
    """A short, recognisable name for the log: the title, or a reply's opening words."""
    if isinstance(subject, User):
        return subject.name
    if isinstance(subject, Reply):
        return _shortened(subject.body)
    return subject.title


def _shortened(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rstrip() + "…"


def path_of(subject: Content | User) -> str | None:
    """Where the item is shown (for moderators and its author); accounts have no page. Also
    outside a request (the demo data writes log lines too)."""
    if isinstance(subject, Post):
        return _path("board.post", post_id=subject.id)
    if isinstance(subject, Reply):
        return _path("board.post", post_id=subject.post_id) + f"#reactie-{subject.id}"
    if isinstance(subject, HelpItem):
        return _path("circles.help_item", item_id=subject.id)
    return None


def _path(endpoint: str, **values) -> str:
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
    if not review.is_open:
        review.is_open, review.opened_at, review.closed_at = True, utcnow(), None
    return review
