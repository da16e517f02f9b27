"""Nothing open unseen: the daily follow-up of help requests (``flask send-digests``).

- A request open for ``WAIT_FOR_CONNECTORS`` (3 days) without any offer goes once into a mail
  to the verbinders of its circle (``waiting_told_at``); at ``WAIT_FOR_COORDINATORS`` (7 days)
  once into a mail to the coordinators (``escalated_at``).
- The day after the day a promised item was for (``wanted_on``; without a day, a week after
  the promise) the asker gets "Is het gelukt?" once (``done_asked_at``), with two one-click
  links. Each link holds a signed token for one answer; it opens a page with a button (a mail
  scanner that follows the link changes nothing), and works once (``done_answered_at``).

Every mail goes through ``notify`` (settings, unsubscribe) into the outbox, in the same unit
of work as what records it, so a second run the same day sends nothing twice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from portal.circles import service
from portal.dates import local_today
from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import Circle, HelpItem, HelpResponse, Participation, Role, User
from portal.models.base import ContentStatus, utcnow
from portal.models.circles import EventAction, HelpItemEvent, HelpKind, HelpStatus
from portal.notifications.service import MailKind, notify

WAIT_FOR_CONNECTORS = timedelta(days=3)
WAIT_FOR_COORDINATORS = timedelta(days=7)
ASK_WITHOUT_DAY_AFTER = timedelta(days=7)  # "Is het gelukt?" for a promise without a day
TOKEN_VALID = timedelta(days=30)
ANSWERS = ("afgerond", "nog-niet")


def _item_url(item: HelpItem) -> str:
    return public_url("circles.help_item", item_id=item.id)


def _without_offers():
    return ~db.select(HelpResponse.id).where(HelpResponse.item_id == HelpItem.id).exists()


def _waiting_requests(older_than: datetime, not_yet_recorded) -> list[HelpItem]:
    """Open, published requests without any offer, posted before ``older_than``."""
    return list(db.session.scalars(
        db.select(HelpItem)
        .join(HelpItem.circle)
        .where(HelpItem.kind == HelpKind.REQUEST, HelpItem.status == HelpStatus.OPEN,
               HelpItem.moderation == ContentStatus.PUBLISHED, HelpItem.created_at <= older_than,
               Circle.archived_at.is_(None), not_yet_recorded, _without_offers())
        .options(joinedload(HelpItem.circle))
        .order_by(HelpItem.created_at, HelpItem.id)
    ))


def days_waiting(item: HelpItem, now: datetime) -> int:
    return (now - item.created_at).days


def _queue_waiting(reader: User, items: list[HelpItem], now: datetime, for_coordinators: bool) -> bool:
    circle = items[0].circle
    text = render_text(
        "circles/mail/waiting.txt", reader=reader, items=[(item, days_waiting(item, now)) for item in items],
        item_url=_item_url, for_coordinators=for_coordinators, circle_name=circle.name,
        overview_url=None if for_coordinators else public_url("circles.overview", slug=circle.slug),
    )
    subject = ("Hulpvragen die al een week wachten" if for_coordinators
               else f"Hulpvragen die wachten in {circle.name}")
    return notify(reader, MailKind.HELP_ITEMS, subject, text)


def tell_connectors_of_waiting_requests(now: datetime | None = None) -> int:
    """Once per request, at 3 days without an offer: a mail to each verbinder of its circle."""
    now = now or utcnow()
    items = _waiting_requests(now - WAIT_FOR_CONNECTORS, HelpItem.waiting_told_at.is_(None))
    by_circle: dict[int, list[HelpItem]] = defaultdict(list)
    for item in items:
        item.waiting_told_at = now
        by_circle[item.circle_id].append(item)
    queued = 0
    for circle_items in by_circle.values():
        for connector in service.connectors_of(circle_items[0].circle):
            queued += _queue_waiting(connector, circle_items, now, for_coordinators=False)
    return queued


def tell_coordinators_of_waiting_requests(now: datetime | None = None) -> int:
    """Once per request, at 7 days without an offer: one mail to each coordinator (and admin)."""
    now = now or utcnow()
    items = _waiting_requests(now - WAIT_FOR_COORDINATORS, HelpItem.escalated_at.is_(None))
    if not items:
        return 0
    for item in items:
        item.escalated_at = now
    coordinators = db.session.scalars(
        db.select(User).outerjoin(Participation, Participation.user_id == User.id)
        .where(db.or_(Participation.role == Role.COORDINATOR, User.platform_admin)).order_by(User.id)
    )
    return sum(_queue_waiting(person, items, now, for_coordinators=True) for person in coordinators)


def waiting_for_coordinators(now: datetime | None = None) -> list[tuple[HelpItem, int]]:
    """What ``/beheer/cirkels`` shows: requests of every circle without an offer for 7 days."""
    now = now or utcnow()
    items = _waiting_requests(now - WAIT_FOR_COORDINATORS, db.true())
    return [(item, days_waiting(item, now)) for item in items]


# --- "Is het gelukt?" ------------------------------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="help-item-done")


def _asked_stamp(item: HelpItem) -> int:
    """When the question was asked, in whole seconds (stored naive UTC): ties a link to it."""
    return int(item.done_asked_at.replace(tzinfo=UTC).timestamp())


def done_token(item: HelpItem, answer: str) -> str:
    return _serializer().dumps([item.id, item.author_id, answer, _asked_stamp(item)])


def done_url(item: HelpItem, answer: str) -> str:
    return public_url("circles.is_it_done", item_id=item.id, token=done_token(item, answer))


@dataclass
class DoneAnswer:
    item: HelpItem
    answer: str  # "afgerond" or "nog-niet"

    @property
    def is_done(self) -> bool:
        return self.answer == "afgerond"


def answer_from_token(item_id: int, token: str) -> DoneAnswer | None:
    """The answer the link stands for, while it is still the question asked and not yet
    answered (one use); None when tampered with, too old, or used."""
    try:
        token_item_id, author_id, answer, asked_at = _serializer().loads(
            token, max_age=int(TOKEN_VALID.total_seconds()))
    except (BadSignature, ValueError, TypeError):
        return None
    item = db.session.get(HelpItem, item_id)
    if (item is None or token_item_id != item.id or author_id != item.author_id or answer not in ANSWERS
            or item.done_asked_at is None or _asked_stamp(item) != asked_at
            or item.done_answered_at is not None or item.status != HelpStatus.PROMISED):
        return None
    return DoneAnswer(item, answer)


def record_answer(answer: DoneAnswer, at: datetime | None = None) -> None:
    """"afgerond" closes the item as the asker; "nog niet" keeps it promised and says so in
    its history. Either way the links have done their work."""
    at = at or utcnow()
    item = answer.item
    item.done_answered_at = at
    if answer.is_done:
        service.change_status(item, HelpStatus.DONE, item.author, at=at)
    else:
        item.events.append(HelpItemEvent(actor=item.author, action=EventAction.NOT_YET, created_at=at))


def _due_for_question(now: datetime) -> list[HelpItem]:
    today = local_today(now)  # the day in Vleuten-De Meern, not in UTC
    day_passed = HelpItem.wanted_on.is_not(None) & (HelpItem.wanted_on < today)
    week_passed = HelpItem.wanted_on.is_(None) & (HelpItem.promised_at <= now - ASK_WITHOUT_DAY_AFTER)
    return list(db.session.scalars(
        db.select(HelpItem)
        .where(HelpItem.status == HelpStatus.PROMISED, HelpItem.taken_by_id.is_not(None),
               HelpItem.done_asked_at.is_(None), day_passed | week_passed)
        .options(joinedload(HelpItem.author), joinedload(HelpItem.taken_by), joinedload(HelpItem.circle))
        .order_by(HelpItem.id)
    ))


def ask_whether_done(now: datetime | None = None) -> int:
    """"Is het gelukt?" to the asker, once per promise, the day after its day."""
    now = (now or utcnow()).replace(microsecond=0)
    queued = 0
    for item in _due_for_question(now):
        item.done_asked_at = now
        text = render_text("circles/mail/is_it_done.txt", item=item, done_url=done_url(item, "afgerond"),
                           not_yet_url=done_url(item, "nog-niet"))
        queued += notify(item.author, MailKind.HELP_ITEMS, f"Is het gelukt? {item.title}", text)
    return queued
