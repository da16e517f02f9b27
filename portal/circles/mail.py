"""Mail about help items: a response to your item, new items in your circle (at once or in
the daily digest).

Every message goes through ``portal.notifications.service.notify`` (preference check,
unsubscribe link and headers), which writes it to the outbox in the same unit of work as the
change; it is sent after the commit. Mail never holds phone numbers or addresses of other
people: only first names, the item's title and a link to the item on the portal (members only).
"""

from datetime import datetime, timedelta

from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import HelpItem, HelpItemMail, HelpMessageMail, Membership, NotificationPreference, User
from portal.models.base import ContentStatus, utcnow
from portal.models.circles import HelpKind, HelpStatus
from portal.notifications.service import MailKind, notify, preferences_for, users_with_help_item_mode
from portal.wijk import required_district_id

FIRST_DIGEST_LOOKBACK = timedelta(days=1)  # someone's first digest covers the last day


def _item_url(item: HelpItem) -> str:
    return public_url("circles.help_item", item_id=item.id)


def _new_item_subject(item: HelpItem) -> str:
    return "Nieuwe hulpvraag in uw buurtcirkel" if item.is_request else "Nieuw hulpaanbod in uw buurtcirkel"


def _member_ids(circle_id: int, except_user_id: int) -> list[int]:
    return list(db.session.scalars(
        db.select(Membership.user_id).where(Membership.circle_id == circle_id,
                                            Membership.user_id != except_user_id)
    ))


def mail_response(item: HelpItem, responder: User) -> bool:
    """Tell the item's author (for items *namens*: the connector who posted it) that someone
    responded."""
    text = render_text("circles/mail/response.txt", item=item, responder=responder, url=_item_url(item))
    subject = "Iemand reageerde op uw hulpvraag" if item.is_request else "Iemand reageerde op uw hulpaanbod"
    return notify(item.author, MailKind.HELP_ITEMS, subject, text)


def mail_new_item_now(item: HelpItem) -> int:
    """The members of the item's circle who chose "direct" (not the author): one mail each.
    An item waiting for a moderator is not mailed (the digest picks it up once approved)."""
    if not item.is_published:
        return 0
    text = render_text("circles/mail/new_item.txt", item=item, url=_item_url(item))
    sent = 0
    readers = users_with_help_item_mode(_member_ids(item.circle_id, item.author_id), HelpItemMail.DIRECT)
    for reader in readers:
        sent += notify(reader, MailKind.HELP_ITEMS, _new_item_subject(item), text)
    return sent


# --- the daily digest ----------------------------------------------------------------------


def _digest_items(user: User, circle_id: int, since: datetime, until: datetime) -> list[HelpItem]:
    """Open items of the circle posted by others in (since, until]."""
    return list(db.session.scalars(
        db.select(HelpItem)
        .where(HelpItem.circle_id == circle_id, HelpItem.author_id != user.id,
               HelpItem.status == HelpStatus.OPEN, HelpItem.moderation == ContentStatus.PUBLISHED,
               HelpItem.created_at > since, HelpItem.created_at <= until)
        .options(joinedload(HelpItem.author))
        .order_by(HelpItem.created_at, HelpItem.id)
    ))


def _record_digest(user: User, at: datetime) -> None:
    preference = preferences_for(user)
    preference.last_digest_at = at
    db.session.add(preference)


def send_help_item_digests(now: datetime | None = None) -> int:
    """One mail per member whose setting is "daily", listing the circle's new help items since
    their last digest; nothing when there is nothing new. What was covered is recorded
    (``last_digest_at``) in the same unit of work as the queued mail, so a second run queues
    nothing and a mail server that is down only delays it (the outbox tries again).
    Returns how many digests were queued."""
    now = now or utcnow()
    circle_by_user = dict(db.session.execute(db.select(Membership.user_id, Membership.circle_id)).all())
    queued = 0
    for reader in users_with_help_item_mode(circle_by_user, HelpItemMail.DAILY):
        previous = db.session.get(NotificationPreference, (reader.id, required_district_id()))
        last = previous.last_digest_at if previous is not None else None
        items = _digest_items(reader, circle_by_user[reader.id], last or now - FIRST_DIGEST_LOOKBACK, now)
        if not items:
            continue
        _record_digest(reader, now)
        _queue_digest(reader, items)
        queued += 1
    return queued


def _queue_digest(reader: User, items: list[HelpItem]) -> None:
    requests = [item for item in items if item.kind == HelpKind.REQUEST]
    offers = [item for item in items if item.kind == HelpKind.OFFER]
    text = render_text(
        "circles/mail/digest.txt", reader=reader, requests=requests, offers=offers,
        item_url=_item_url, circle_url=public_url("circles.show", slug=items[0].circle.slug),
    )
    subject = f"Nieuw in uw buurtcirkel {items[0].circle.name}"
    notify(reader, MailKind.HELP_ITEMS, subject, text)


# --- after "ik help": the helper, the others who offered, the conversation ----------------------


def _asker_name(item: HelpItem) -> str:
    """Who asked, as a neighbour calls them: the neighbour without internet, or the author."""
    return item.on_behalf_name or item.author.first_name


def mail_helper_chosen(item: HelpItem) -> int:
    """The chosen helper hears it ("Riet rekent op u voor ..."); the others who offered get a
    kind word that someone else helps. Returns how many mails were queued."""
    url = _item_url(item)
    text = render_text("circles/mail/helper_chosen.txt", item=item, asker=_asker_name(item), url=url)
    subject = (f"{_asker_name(item)} rekent op u" if item.is_request
               else f"{item.author.first_name} heeft u gekozen")
    sent = int(notify(item.taken_by, MailKind.HELP_ITEMS, subject, text))
    circle_url = public_url("circles.show", slug=item.circle.slug)
    for response in item.responses:
        if response.user_id in (item.taken_by_id, item.author_id):
            continue
        text = render_text("circles/mail/helper_not_needed.txt", item=item, person=response.user,
                           circle_url=circle_url)
        sent += notify(response.user, MailKind.HELP_ITEMS, "Er helpt al iemand anders", text)
    return sent


def mail_helper_stepped_back(item: HelpItem, helper: User, helper_name: str) -> bool:
    """The chosen helper stepped back: the author hears that the item is open again."""
    if item.author_id == helper.id:
        return False
    text = render_text("circles/mail/helper_stepped_back.txt", item=item, person=item.author,
                       helper_name=helper_name, url=_item_url(item))
    return notify(item.author, MailKind.HELP_ITEMS, f"{helper_name} kan toch niet helpen", text)


def mail_reopened(item: HelpItem, former_helper: User, actor: User) -> bool:
    """Someone else set a promised item open again: the helper need not come."""
    if former_helper.id == actor.id:
        return False
    text = render_text("circles/mail/reopened.txt", item=item, person=former_helper, actor=actor,
                       url=_item_url(item))
    return notify(former_helper, MailKind.HELP_ITEMS, "U hoeft niet meer te helpen", text)


def mail_thanks(item: HelpItem, actor: User) -> bool:
    """Closing an item ("afgerond") thanks the helper, unless the helper closed it."""
    if item.taken_by is None or item.taken_by_id == actor.id:
        return False
    text = render_text("circles/mail/thanks.txt", item=item, url=_item_url(item))
    return notify(item.taken_by, MailKind.HELP_ITEMS, "Dank u wel voor uw hulp", text)


MESSAGE_MAIL_EVERY = timedelta(hours=1)


def _other_side(item: HelpItem, writer: User) -> list[User]:
    """Who hears of a new message: the asker's side and the helper's side, not the writer.
    A verbinder who is neither reads along on the page; their message goes to both."""
    people = [person for person in (item.author, item.taken_by) if person is not None]
    return [person for person in {p.id: p for p in people}.values() if person.id != writer.id]


def mail_new_message(item: HelpItem, writer: User, now: datetime | None = None) -> int:
    """Mail the other side of the conversation about a new message: at most one mail per
    person per conversation per hour (recorded in ``help_message_mails``)."""
    now = now or utcnow()
    sent = 0
    for person in _other_side(item, writer):
        record = db.session.get(HelpMessageMail, (item.id, person.id))
        if record is not None and now - record.mailed_at < MESSAGE_MAIL_EVERY:
            continue
        text = render_text("circles/mail/new_message.txt", item=item, person=person, writer=writer,
                           url=_item_url(item) + "#gesprek")
        if notify(person, MailKind.HELP_ITEMS, f"Nieuw bericht van {writer.first_name}", text):
            if record is None:
                db.session.add(HelpMessageMail(item_id=item.id, user_id=person.id, mailed_at=now))
            else:
                record.mailed_at = now
            sent += 1
    return sent
