"""The digest of what a person follows: one mail per person whose pace is due, with what
waited for them (``DigestItem``), grouped by where it comes from, newest first.

- ``dagelijks``: at most once a (Dutch) day; ``wekelijks``: on the person's day
  (``digest_weekday``, 0 = Monday), once that day. A person who changed to ``direct`` since
  gets what waited at the next run; one who chose ``nooit`` gets nothing, and what waited is
  removed.
- Nothing waiting: no mail. Visited the wijk after the newest item (``last_seen_at`` of their
  participation, ``visits.py``): they saw it all, so no mail and the items go.
- The items are deleted in the same unit of work as the mail is queued (the outbox sends it
  after the commit and retries when the mail server is down); ``flask purge`` removes items
  older than ``KEEP_ITEMS`` that never went (a weekly reader who chose a day that was skipped).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from portal.dates import local_today
from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import DigestItem, DigestPace, Participation, User
from portal.models.base import utcnow
from portal.notifications.service import MailKind, notify, preferences_for

KEEP_ITEMS = timedelta(days=30)


@dataclass
class Source:
    """The items of one place (a theme, a group, a post), newest first."""

    name: str
    items: list[DigestItem] = field(default_factory=list)


def is_due(pace: str, weekday: int, sent_at: datetime | None, now: datetime) -> bool:
    today = local_today(now)
    if sent_at is not None and local_today(sent_at) == today:
        return False  # once a day at most
    if pace == DigestPace.WEEKLY:
        return today.weekday() == weekday
    return pace in (DigestPace.DAILY, DigestPace.DIRECT)


def grouped(items: list[DigestItem]) -> list[Source]:
    """Items by where they come from; the place with the newest item first, and within each
    place the newest first."""
    by_place: dict[tuple[str, int], Source] = {}
    for item in sorted(items, key=lambda item: (item.created_at, item.id), reverse=True):
        by_place.setdefault((item.kind, item.target_id), Source(item.source)).items.append(item)
    return list(by_place.values())


def send_follow_digests(now: datetime | None = None) -> int:
    """Queue each due person's digest in the current wijk; how many were queued."""
    now = now or utcnow()
    waiting: dict[int, list[DigestItem]] = defaultdict(list)
    for item in db.session.scalars(select(DigestItem).where(DigestItem.created_at <= now)):
        waiting[item.user_id].append(item)
    if not waiting:
        return 0
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(waiting)))}
    seen = dict(db.session.execute(
        select(Participation.user_id, Participation.last_seen_at).where(Participation.user_id.in_(waiting))
    ).all())
    queued = 0
    for user_id, items in sorted(waiting.items()):
        person = people.get(user_id)
        if person is None:
            continue
        preference = preferences_for(person)
        if preference.digest == DigestPace.NEVER:
            _forget(items)
            continue
        if not is_due(preference.digest, preference.digest_weekday, preference.digest_sent_at, now):
            continue
        newest = max(item.created_at for item in items)
        last_seen = seen.get(user_id)
        if last_seen is not None and last_seen >= newest:
            _forget(items)  # they came by after all of it: they saw it
            continue
        _queue(person, items, preference.digest)
        preference.digest_sent_at = now
        db.session.add(preference)
        _forget(items)
        queued += 1
    return queued


def _forget(items: list[DigestItem]) -> None:
    db.session.execute(delete(DigestItem).where(DigestItem.id.in_([item.id for item in items])))


def _queue(person: User, items: list[DigestItem], pace: str) -> None:
    sources = grouped(items)
    text = render_text("following/mail/digest.txt", user=person, sources=sources, count=len(items),
                       weekly=pace == DigestPace.WEEKLY,
                       settings_url=public_url("notifications.preferences"))
    what = "week" if pace == DigestPace.WEEKLY else "dag"
    subject = f"Uw overzicht van de {what}: {len(items)} {'bericht' if len(items) == 1 else 'berichten'}"
    notify(person, MailKind.FOLLOWING, subject, text)


def purge_old_items(now: datetime | None = None) -> int:
    """Items that never went out (30 days old): removed by ``flask purge``."""
    cutoff = (now or utcnow()) - KEEP_ITEMS
    return db.session.execute(delete(DigestItem).where(DigestItem.created_at < cutoff)).rowcount
