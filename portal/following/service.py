"""Who follows what, and telling them: the one way to follow a theme, a group or a post.

How a domain uses it (the board for a theme's new post; a group for its news)::

    from portal.following.service import tell_followers
    from portal.models import FollowKind

    tell_followers(FollowKind.THEME, theme.id, source=f"Thema {theme.name}", title=post.title,
                   text=post.body, url=public_url("board.post", post_id=post.id),
                   skip_user_ids={post.author_id})

``tell_followers(kind, target_id, *, source, title, text, url, subject=None,
also_user_ids=(), skip_user_ids=()) -> Told`` reaches every follower of ``(kind,
target_id)`` plus ``also_user_ids`` (e.g. a group's members), except ``skip_user_ids`` (the
one who wrote it), each once, by their pace (``NotificationPreference.digest``; no row =
``wekelijks``). ``tell_people(user_ids, kind, target_id, ...)`` does the same for the people
named only (news for one person, such as a reaction on their inbreng), not the followers:

- ``direct``: one mail now, through ``notify`` (the outbox, in the caller's unit of work),
  subject ``subject`` or ``"<source>: <title>"``;
- ``dagelijks`` / ``wekelijks``: a ``DigestItem`` with the text itself, for the next digest
  (``portal/following/digest.py``);
- ``nooit``: nothing.

``source`` says where it comes from ("Thema Verkeer", "Werkgroep Groen", "Bericht ‘Bankje bij
de vijver’"): the digest groups items by it. Service mail (a new password, a helper chosen,
an answer to one's own question or signal) does not go through here: it is always direct.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for
from sqlalchemy import delete, select

from portal.database import insert_once
from portal.extensions import db
from portal.mail import render_text
from portal.models import (
    ContentStatus,
    DigestItem,
    DigestPace,
    Follow,
    FollowKind,
    Group,
    NotificationPreference,
    Post,
    Theme,
    Traject,
    User,
)
from portal.models.base import utcnow
from portal.notifications.service import MailKind, notify

TEXT_MAX = 3000  # of one item's text in a mail or digest: enough to read, never a whole essay
SOURCE_MAX = TITLE_MAX = 200


@dataclass
class Told:
    mailed: int = 0  # direct mails queued
    kept: int = 0  # digest items stored
    skipped: int = 0  # nooit

    @property
    def total(self) -> int:
        return self.mailed + self.kept


# --- following ------------------------------------------------------------------------------


def is_following(user, kind: FollowKind, target_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user.id, Follow.kind == kind.value, Follow.target_id == target_id)) is not None


def follow(user: User, kind: FollowKind, target_id: int) -> bool:
    """Start following; False when already following (two clicks at once: one row)."""
    if is_following(user, kind, target_id):
        return False
    return insert_once(Follow, user_id=user.id, kind=kind.value, target_id=target_id, created_at=utcnow())


def unfollow(user: User, kind: FollowKind, target_id: int) -> bool:
    """Stop following; False when not following."""
    return bool(db.session.execute(delete(Follow).where(
        Follow.user_id == user.id, Follow.kind == kind.value, Follow.target_id == target_id)).rowcount)


def set_following(user: User, kind: FollowKind, target_id: int, wanted: bool) -> bool:
    """Follow (``wanted``) or stop; idempotent. Whether anything changed."""
    return follow(user, kind, target_id) if wanted else unfollow(user, kind, target_id)


def follower_ids(kind: FollowKind, target_id: int) -> frozenset[int]:
    return frozenset(db.session.scalars(
        select(Follow.user_id).where(Follow.kind == kind.value, Follow.target_id == target_id)))


def followers_query(kind: FollowKind, target_id: int):
    """``SELECT user_id`` of the followers, to use inside another query."""
    return select(Follow.user_id).where(Follow.kind == kind.value, Follow.target_id == target_id)


# --- telling them ---------------------------------------------------------------------------


def paces(user_ids: Iterable[int]) -> list[tuple[User, str]]:
    """Each of these people with their pace (no settings row: ``wekelijks``), in one query."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    pace = db.func.coalesce(NotificationPreference.digest, DigestPace.WEEKLY.value)
    return [(user, value) for user, value in db.session.execute(
        select(User, pace)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(User.id.in_(ids))
        .order_by(User.id)
    ).all()]


def shortened(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= TEXT_MAX else text[:TEXT_MAX].rstrip() + "…"


@dataclass(frozen=True)
class Followed:
    """One thing a person follows, as her account page lists it."""

    kind: FollowKind
    name: str
    url: str


# What each kind is, and where it is shown: its row, its name and its page.
_TARGETS = {
    FollowKind.THEME: (Theme, lambda theme: theme.name,
                       lambda theme: url_for("board.board", slug=theme.slug)),
    FollowKind.GROUP: (Group, lambda group: group.name,
                       lambda group: url_for("groups.group", slug=group.slug)),
    FollowKind.POST: (Post, lambda post: post.title, lambda post: url_for("board.post", post_id=post.id)),
    FollowKind.TRAJECT: (Traject, lambda traject: traject.title,
                         lambda traject: url_for("meedenken.traject", slug=traject.slug)),
}


def followed_by(user: User) -> list[Followed]:
    """What a person follows in this wijk, kind by kind (themes, groups, posts, trajecten),
    each by name: one query for her follows and one per kind she follows. A post that went
    off line is left out."""
    follows = db.session.execute(select(Follow.kind, Follow.target_id).where(Follow.user_id == user.id)).all()
    found = []
    for kind, (model, name, url) in _TARGETS.items():
        ids = [target_id for follow_kind, target_id in follows if follow_kind == kind]
        if not ids:
            continue
        query = select(model).where(model.id.in_(ids))
        if model is Post:
            query = query.where(Post.status == ContentStatus.PUBLISHED)
        rows = sorted(db.session.scalars(query), key=name)
        found.extend(Followed(kind, name(row), url(row)) for row in rows)
    return found


def tell_followers(kind: FollowKind, target_id: int, *, source: str, title: str, text: str, url: str,
                   subject: str | None = None, also_user_ids: Iterable[int] = (),
                   skip_user_ids: Iterable[int] = ()) -> Told:
    """News about something people follow: to each follower (and ``also_user_ids``), by their
    pace; see the module's docstring. Nothing is sent while anyone waits: direct mail goes
    into the outbox, digest items into ``digest_items``, both in the caller's unit of work."""
    kind = FollowKind(kind)
    wanted = (set(follower_ids(kind, target_id)) | set(also_user_ids)) - set(skip_user_ids)
    return tell_people(wanted, kind, target_id, source=source, title=title, text=text, url=url,
                       subject=subject)


def tell_people(user_ids: Iterable[int], kind: FollowKind, target_id: int, *, source: str, title: str,
                text: str, url: str, subject: str | None = None) -> Told:
    """The same news to these people only, not to the followers of ``(kind, target_id)``, each
    by their pace (as ``tell_followers``; the digest groups it with the target's other news):
    news that concerns one person, such as a reaction on the inbreng they gave."""
    kind = FollowKind(kind)
    told = Told()
    source, title, text = source[:SOURCE_MAX], title[:TITLE_MAX], shortened(text)
    for person, pace in paces(user_ids):
        if pace == DigestPace.DIRECT:
            body = render_text("following/mail/news.txt", user=person, source=source, title=title, text=text,
                               url=url)
            told.mailed += notify(person, MailKind.FOLLOWING, subject or f"{source}: {title}", body)
        elif pace in (DigestPace.DAILY, DigestPace.WEEKLY):
            db.session.add(DigestItem(user_id=person.id, kind=kind.value, target_id=target_id, source=source,
                                      title=title, text=text, url=url, created_at=utcnow()))
            told.kept += 1
        else:
            told.skipped += 1
    return told
