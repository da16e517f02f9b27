"""The wijkbrief's queries and changes (no commits; see ``portal/models/newsletter.py``).

Subscribing is double opt-in: ``subscribe`` keeps the consent and mails a signed link
(``confirm_token``, valid ``CONFIRM_DAYS`` days); nothing else is sent before it is followed.
The same answer for an address we already know, and no second confirmation within
``RESEND_AFTER``. Unconfirmed addresses are forgotten after ``CONFIRM_DAYS`` (``purge``).

Sending is once: ``send`` first moves the issue from ``concept`` to ``verzonden`` with one
conditional UPDATE, whose row count decides (two tabs, two servers: one wins); then one
delivery row per recipient (unique per issue and subscriber) and one outbox message each,
``NEWSLETTER_PER_MINUTE`` per minute (``next_attempt_at``; ``flask send-mail`` sends only
what is due).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.following.service import followers_query
from portal.mail import public_url, render_text
from portal.models import (
    FollowKind,
    Group,
    GroupMember,
    GroupMemberStatus,
    GroupStatus,
    Neighbourhood,
    Newsletter,
    NewsletterBlock,
    NewsletterDelivery,
    NewsletterStatus,
    OutboxMessage,
    Segment,
    Subscriber,
    Theme,
    User,
)
from portal.models.accounts import normalise_email
from portal.models.base import utcnow
from portal.newsletter import render
from portal.newsletter.blocks import BLOCKS
from portal.outbox import queue_mail
from portal.wijken import settings

TARGETED = (Segment.THEME, Segment.GROUP)  # segments that name a theme or a group
CONFIRM_DAYS = 7
RESEND_AFTER = timedelta(hours=1)
CONSENT_TEXT = (
    "Ja, stuur mij de wijkbrief van het Buurtportaal per e-mail (ongeveer één keer per maand). "
    "Afmelden kan altijd met één klik onder elke wijkbrief."
)
ACCOUNT_CONSENT_TEXT = "Ja, stuur de wijkbrief naar het e-mailadres van mijn account."


# --- subscribers ------------------------------------------------------------------------------

def subscriber_by_email(email: str) -> Subscriber | None:
    return db.session.scalar(select(Subscriber).where(Subscriber.email == normalise_email(email)))


def subscriber_by_id(subscriber_id) -> Subscriber | None:
    if not isinstance(subscriber_id, int):
        return None
    return db.session.scalar(select(Subscriber).where(Subscriber.id == subscriber_id))


def neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(select(Neighbourhood).order_by(Neighbourhood.name)))


def _give_consent(subscriber: Subscriber, text: str, source: str, now: datetime) -> None:
    subscriber.consent_at = now
    subscriber.consent_text = text
    subscriber.consent_source = source[:200]


def subscribe(email: str, organisation: str = "", neighbourhood_id: int | None = None,
              source: str = "/nieuwsbrief", now: datetime | None = None) -> bool:
    """Keep the consent and mail the confirmation link; True when a mail was queued. An
    address we know answers the same to the person (the view does not tell), and gets no
    second confirmation within ``RESEND_AFTER``; one that receives already gets nothing."""
    now = now or utcnow()
    email = normalise_email(email)
    subscriber = subscriber_by_email(email)
    if subscriber is None:
        subscriber = Subscriber(email=email, created_at=now)
        try:
            with db.session.begin_nested():  # the same address at the same moment: one row
                db.session.add(subscriber)
        except IntegrityError:  # the unique constraint: someone else made it just now
            subscriber = subscriber_by_email(email)
            if subscriber is None:
                raise
    elif subscriber.receives:
        return False
    if subscriber.confirmation_sent_at and now - subscriber.confirmation_sent_at < RESEND_AFTER:
        return False
    subscriber.organisation = organisation or subscriber.organisation or ""
    subscriber.neighbourhood_id = neighbourhood_id or subscriber.neighbourhood_id
    if subscriber.unsubscribed_at:  # coming back: confirm again
        subscriber.unsubscribed_at = None
        subscriber.confirmed_at = None
        subscriber.created_at = now
    _give_consent(subscriber, CONSENT_TEXT, source, now)
    subscriber.confirmation_sent_at = now
    db.session.flush()
    _queue_confirmation(subscriber)
    return True


def _queue_confirmation(subscriber: Subscriber) -> None:
    text = render_text("newsletter/mail/confirm.txt", wijk=settings.wijk_name(),
                       confirm_url=public_url("newsletter.confirm", token=confirm_token(subscriber)),
                       unsubscribe_url=unsubscribe_url(subscriber), days=CONFIRM_DAYS)
    queue_mail(subscriber.email, f"Bevestig uw aanmelding voor de wijkbrief van {settings.wijk_name()}",
               text, unsubscribe_url=unsubscribe_url(subscriber))


class AlreadyConfirmed(Exception):
    pass


def confirm(token: str, now: datetime | None = None) -> Subscriber | None:
    """Confirm with the mailed link's token: None when it was tampered with (or the address is
    gone), ``SignatureExpired`` when it is older than ``CONFIRM_DAYS``, ``AlreadyConfirmed``
    the second time."""
    subscriber = confirmable(token)
    if subscriber is not None:
        subscriber.confirmed_at = now or utcnow()
        subscriber.unsubscribed_at = None
        subscriber.bounced_at = None
    return subscriber


def confirmable(token: str) -> Subscriber | None:
    """The subscriber the token would confirm, changing nothing (the page with the button:
    a mail scanner that opens the link confirms nothing); raises as ``confirm`` does."""
    try:
        subscriber_id, email = _confirm_serializer().loads(token, max_age=CONFIRM_DAYS * 24 * 3600)
    except SignatureExpired:
        raise
    except (BadSignature, ValueError, TypeError):
        return None
    subscriber = subscriber_by_id(subscriber_id)
    if subscriber is None or subscriber.email != email:
        return None
    if subscriber.confirmed_at is not None and subscriber.unsubscribed_at is None:
        raise AlreadyConfirmed
    return subscriber


def unsubscribe(subscriber: Subscriber, now: datetime | None = None) -> None:
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = now or utcnow()


def account_subscription(user: User) -> Subscriber | None:
    return db.session.scalar(
        select(Subscriber).where(or_(Subscriber.user_id == user.id, Subscriber.email == user.email))
        .order_by(Subscriber.user_id.is_(None), Subscriber.id).limit(1))


def opt_in(user: User, now: datetime | None = None) -> Subscriber:
    """An account holder's one button: their account's address, confirmed at once (the
    account is theirs), with the consent kept."""
    now = now or utcnow()
    subscriber = account_subscription(user)
    if subscriber is None:
        subscriber = Subscriber(email=user.email, created_at=now)
        db.session.add(subscriber)
    subscriber.user_id = user.id
    subscriber.email = user.email
    _give_consent(subscriber, ACCOUNT_CONSENT_TEXT, "/nieuwsbrief (ingelogd)", now)
    subscriber.confirmed_at = now
    subscriber.unsubscribed_at = None
    subscriber.bounced_at = None
    return subscriber


def opt_out(user: User, now: datetime | None = None) -> None:
    subscriber = account_subscription(user)
    if subscriber is not None:
        unsubscribe(subscriber, now)


def export_of(user: User) -> dict | None:
    """The account's subscription in this wijk, for the AVG export."""
    subscriber = account_subscription(user)
    if subscriber is None:
        return None
    return {"e-mailadres": subscriber.email, "organisatie": subscriber.organisation or None,
            "toestemming": subscriber.consent_text, "toestemming_gegeven": subscriber.consent_at.isoformat(),
            "toestemming_waar": subscriber.consent_source,
            "bevestigd": subscriber.confirmed_at and subscriber.confirmed_at.isoformat(),
            "afgemeld": subscriber.unsubscribed_at and subscriber.unsubscribed_at.isoformat()}


def forget(user: User) -> None:
    """A deleted account's subscription goes with it (before its address is changed)."""
    db.session.execute(
        db.delete(Subscriber).where(or_(Subscriber.user_id == user.id, Subscriber.email == user.email))
        .execution_options(synchronize_session=False))


def purge_unconfirmed(now: datetime | None = None) -> int:
    """Forget addresses that did not confirm within ``CONFIRM_DAYS`` (``flask purge``)."""
    cutoff = (now or utcnow()) - timedelta(days=CONFIRM_DAYS)
    return db.session.execute(
        db.delete(Subscriber).where(Subscriber.confirmed_at.is_(None), Subscriber.created_at < cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount


def mark_bounced(addresses: set[str], now: datetime | None = None) -> int:
    if not addresses:
        return 0
    return db.session.execute(
        update(Subscriber).where(Subscriber.email.in_(sorted(addresses)), Subscriber.bounced_at.is_(None))
        .values(bounced_at=now or utcnow()).execution_options(synchronize_session=False)
    ).rowcount


# --- signed links -----------------------------------------------------------------------------

def _confirm_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="newsletter-confirm")


def confirm_token(subscriber: Subscriber) -> str:
    return _confirm_serializer().dumps([subscriber.id, subscriber.email])


def _unsubscribe_serializer() -> URLSafeSerializer:
    """No expiry: the link in last year's wijkbrief must still work."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="newsletter-unsubscribe")


def unsubscribe_token(subscriber: Subscriber) -> str:
    return _unsubscribe_serializer().dumps([subscriber.id, subscriber.email])


def unsubscribe_url(subscriber: Subscriber) -> str:
    return public_url("newsletter.unsubscribe", token=unsubscribe_token(subscriber))


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        subscriber_id, email = _unsubscribe_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    subscriber = subscriber_by_id(subscriber_id)
    return subscriber if subscriber is not None and subscriber.email == email else None


# --- issues -----------------------------------------------------------------------------------

def newsletters() -> list[Newsletter]:
    return list(db.session.scalars(
        select(Newsletter).order_by(Newsletter.status, Newsletter.number.desc(), Newsletter.id.desc())))


def sent_newsletters() -> list[Newsletter]:
    return list(db.session.scalars(
        select(Newsletter).where(Newsletter.status == NewsletterStatus.SENT)
        .order_by(Newsletter.number.desc())))


def newsletter_or_none(newsletter_id: int) -> Newsletter | None:
    return db.session.scalar(select(Newsletter).where(Newsletter.id == newsletter_id))


def sent_newsletter(number: int) -> Newsletter | None:
    return db.session.scalar(
        select(Newsletter).where(Newsletter.number == number, Newsletter.status == NewsletterStatus.SENT))


def create_newsletter(title: str, intro: str, kinds: list[str], author: User, segment: str = Segment.WIJK,
                      buurt_ids: list[int] | None = None, now: datetime | None = None,
                      target_id: int | None = None) -> Newsletter:
    now = now or utcnow()
    newsletter = Newsletter(title=title, intro=intro, created_by_id=author.id, created_at=now,
                            segment=segment, buurten=" ".join(str(i) for i in buurt_ids or []),
                            segment_target_id=target_id if segment in TARGETED else None)
    for position, kind in enumerate(kind for kind in BLOCKS if kind in kinds):
        heading, text = BLOCKS[kind].filler(now)
        newsletter.blocks.append(NewsletterBlock(kind=kind, position=position, heading=heading, text=text))
    db.session.add(newsletter)
    db.session.flush()
    return newsletter


@dataclass
class BlockText:
    block_id: int
    heading: str
    text: str


def update_newsletter(newsletter: Newsletter, title: str, intro: str, segment: str, buurt_ids: list[int],
                      blocks: list[BlockText], add_text_block: bool = False,
                      target_id: int | None = None) -> None:
    newsletter.title = title
    newsletter.intro = intro
    newsletter.segment = segment
    newsletter.buurten = " ".join(str(i) for i in buurt_ids) if segment == Segment.BUURTEN else ""
    newsletter.segment_target_id = target_id if segment in TARGETED else None
    by_id = {block.id: block for block in newsletter.blocks}
    for given in blocks:
        block = by_id.get(given.block_id)
        if block is not None:
            block.heading, block.text = given.heading, given.text
    if add_text_block:
        newsletter.blocks.append(NewsletterBlock(kind="tekst", heading="", text="",
                                                 position=len(newsletter.blocks)))


def recipients_query(newsletter: Newsletter):
    """Confirmed, not unsubscribed, not bounced, in the issue's segment."""
    query = select(Subscriber).where(Subscriber.confirmed_at.is_not(None),
                                     Subscriber.unsubscribed_at.is_(None), Subscriber.bounced_at.is_(None))
    if newsletter.segment == Segment.BUURTEN:
        query = query.where(Subscriber.neighbourhood_id.in_(newsletter.buurt_ids or [-1]))
    elif newsletter.segment == Segment.PROFESSIONALS:
        query = query.where(Subscriber.organisation != "")
    elif newsletter.segment == Segment.THEME:
        query = query.where(Subscriber.user_id.in_(
            followers_query(FollowKind.THEME, newsletter.segment_target_id or -1)))
    elif newsletter.segment == Segment.GROUP:
        query = query.where(Subscriber.user_id.in_(
            select(GroupMember.user_id).where(GroupMember.group_id == (newsletter.segment_target_id or -1),
                                              GroupMember.status == GroupMemberStatus.MEMBER)))
    return query


def themes() -> list[Theme]:
    return list(db.session.scalars(select(Theme).order_by(Theme.position, Theme.id)))


def groups() -> list[Group]:
    return list(db.session.scalars(
        select(Group).where(Group.status != GroupStatus.PROPOSED).order_by(Group.name, Group.id)))


def recipient_count(newsletter: Newsletter) -> int:
    return db.session.scalar(select(func.count()).select_from(recipients_query(newsletter).subquery()))


def issue_subject(newsletter: Newsletter, number: int | None = None) -> str:
    number = number or newsletter.number
    label = f"Wijkbrief {settings.wijk_name()}" + (f" nr. {number}" if number else "")
    return f"{newsletter.title} | {label}"


def web_url(newsletter: Newsletter) -> str | None:
    return public_url("newsletter.issue", nummer=newsletter.number) if newsletter.number else None


def message_for(newsletter: Newsletter, unsubscribe_link: str | None,
                test: bool = False) -> tuple[str, str, str]:
    """(subject, text, html) of the issue as it arrives."""
    subject = issue_subject(newsletter)
    context = {"newsletter": newsletter, "wijk": settings.wijk_name(), "web_url": web_url(newsletter),
               "unsubscribe_url": unsubscribe_link, "test": test, "home": public_url("pages.home"),
               "contact": settings.contact_line()}
    return ((f"[Test] {subject}" if test else subject),
            render.text_version(context), render.html_version(context))


def send_test(newsletter: Newsletter, user: User) -> None:
    """To the redacteur's own address only; the issue stays a concept."""
    subject, text, html = message_for(newsletter, None, test=True)
    queue_mail(user.email, subject, text, html=html)


NUMBER_LOCK = 29_000_000  # + the wijk's id: PostgreSQL's lock while an issue gets its number (SQLite
# writes one at a time anyway)
PERSONAL_LINK = "https://afmelden.invalid/persoonlijke-link"  # stands in for each reader's own


class AlreadySent(Exception):
    pass


def send(newsletter_id: int, user: User, now: datetime | None = None) -> int:
    """Send the issue once: the conditional UPDATE decides (``AlreadySent`` for the second
    try, also at the same moment); then one delivery and one message per recipient."""
    now = now or utcnow()
    won = db.session.execute(
        update(Newsletter)
        .where(Newsletter.id == newsletter_id, Newsletter.status == NewsletterStatus.CONCEPT)
        .values(status=NewsletterStatus.SENT, sent_at=now, sent_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        raise AlreadySent
    newsletter = newsletter_or_none(newsletter_id)
    db.session.refresh(newsletter)
    if db.session.connection().dialect.name == "postgresql":  # two issues sent at once: one number each
        db.session.execute(sql("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": NUMBER_LOCK + newsletter.district_id})
    newsletter.number = (db.session.scalar(select(func.max(Newsletter.number))) or 0) + 1
    db.session.flush()
    per_minute = current_app.config.get("NEWSLETTER_PER_MINUTE", 60)
    subject, text, html = message_for(newsletter, PERSONAL_LINK)  # rendered once, then per person
    count = 0
    recipients = db.session.scalars(recipients_query(newsletter).order_by(Subscriber.id))
    for count, subscriber in enumerate(recipients, start=1):
        link = unsubscribe_url(subscriber)  # URL-safe: the same in text and HTML
        message = queue_mail(subscriber.email, subject, text.replace(PERSONAL_LINK, link),
                             unsubscribe_url=link, html=html.replace(PERSONAL_LINK, link),
                             not_before=now + timedelta(minutes=(count - 1) // per_minute))
        db.session.flush()
        db.session.add(NewsletterDelivery(newsletter_id=newsletter.id, subscriber_id=subscriber.id,
                                          outbox_id=message.id, created_at=now))
    newsletter.recipient_count = count
    return count


@dataclass
class Counts:
    recipients: int = 0
    sent: int = 0
    failed: int = 0
    waiting: int = 0
    bounced: int = 0


def counts(newsletter: Newsletter) -> Counts:
    """From the outbox rows' state and the subscribers' bounce mark."""
    outbox_rows = db.session.execute(
        select(OutboxMessage.sent_at.is_not(None), OutboxMessage.failed_at.is_not(None), func.count())
        .select_from(NewsletterDelivery)
        .join(OutboxMessage, OutboxMessage.id == NewsletterDelivery.outbox_id)
        .where(NewsletterDelivery.newsletter_id == newsletter.id)
        .group_by(OutboxMessage.sent_at.is_not(None), OutboxMessage.failed_at.is_not(None))
    ).all()
    result = Counts(recipients=newsletter.recipient_count)
    for sent, failed, number in outbox_rows:
        if sent:
            result.sent += number
        elif failed:
            result.failed += number
        else:
            result.waiting += number
    result.bounced = db.session.scalar(
        select(func.count()).select_from(NewsletterDelivery)
        .join(Subscriber, and_(Subscriber.id == NewsletterDelivery.subscriber_id))
        .where(NewsletterDelivery.newsletter_id == newsletter.id, Subscriber.bounced_at.is_not(None)))
    return result
