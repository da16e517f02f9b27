"""Signals to the gemeente and back: where a signal stands, who hears of it, and the figures.

* ``set_status`` is the one way a signal's status or the gemeente's answer changes, whoever
  changes it (a moderator on the post, the gemeente on its answer page). Setting
  ``doorgestuurd`` mails the signal to the wijk's gemeente addresses (``GEMEENTE_MAIL``
  where the wijk has none, ``portal/wijken/settings.py``) with a signed link to
  ``/signalen/antwoord/<token>``; every change of status, and an answer that arrives, is
  mailed to the author and the supporters (``notify``, ``POST_UPDATES``) and told to the
  followers at their pace (``portal/following``, ``tell_followers``).
  A moderator who changes an answer that was there corrects it: logged, nobody mailed.
* The answer link (``answer_token``) holds the post's id and the moment it was made, signed
  with ``SECRET_KEY`` and a salt of its own; it is valid ``ANSWER_LINK_DAYS`` days.
* Volgen: ``set_following`` (``portal/following``); ``reply_posted`` tells the followers of a post.
* ``/signalen``: ``overview`` counts per theme and status and the median days to answer.

Nothing here commits (the request or command does).
"""

import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload

from portal.board.words import municipal_label, phase_label
from portal.extensions import db
from portal.following import service as following
from portal.following.service import tell_followers
from portal.mail import public_url, render_text
from portal.models import (
    ContentStatus,
    FollowKind,
    MunicipalStatus,
    Post,
    PostKind,
    Reply,
    SubjectType,
    Support,
    Theme,
    User,
    Verdict,
)
from portal.models.base import utcnow
from portal.moderation.service import log_change
from portal.notifications.service import MailKind, notify
from portal.outbox import queue_mail
from portal.wijken import settings

ANSWER_LINK_DAYS = 60
PUBLISHED = ContentStatus.PUBLISHED
STATUSES = tuple(MunicipalStatus)
ANSWERED = MunicipalStatus.ANSWERED


# --- GEMEENTE_MAIL -------------------------------------------------------------------------


def parse_gemeente_mail(setting: str) -> dict[str, list[str]]:
    """``"a@x; verkeer=b@x, c@x"`` → ``{"": ["a@x"], "verkeer": ["b@x", "c@x"]}``: parts
    separated by ``;``, addresses by ``,``; a part ``<theme slug>=...`` is for that theme."""
    addresses: dict[str, list[str]] = {}
    for theme, written in settings.gemeente_mail_parts(setting):
        found = [address for address in written if "@" in address]
        if found:
            addresses.setdefault(theme or "", []).extend(found)
    return addresses


def gemeente_addresses(theme_slug: str) -> list[str]:
    """Where a signal of this theme goes, in the current wijk: the theme's own addresses, else
    the general ones."""
    addresses = parse_gemeente_mail(settings.gemeente_mail())
    return addresses.get(theme_slug) or addresses.get("", [])


# --- The answer link ------------------------------------------------------------------------


class LinkExpired(Exception):
    """The link was real but is older than ``ANSWER_LINK_DAYS`` days."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="signal-answer")


def answer_token(post: Post, issued_at: datetime | None = None) -> str:
    issued = issued_at or utcnow()
    return _serializer().dumps([post.id, int(issued.replace(tzinfo=UTC).timestamp())])


def answer_url(post: Post) -> str:
    return public_url("board.signal_answer", token=answer_token(post))


def signal_from_token(token: str, now: datetime | None = None) -> Post | None:
    """The published signal this link was made for; None when the link was tampered with
    (or its signal is gone); ``LinkExpired`` when it is too old."""
    try:
        post_id, issued = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(post_id, int) or not isinstance(issued, int):
        return None
    post = db.session.scalar(
        select(Post).where(Post.id == post_id, Post.kind == PostKind.SIGNAL, Post.status == PUBLISHED)
        .options(joinedload(Post.theme), joinedload(Post.neighbourhood))
    )
    if post is None:
        return None
    made = datetime.fromtimestamp(issued, UTC).replace(tzinfo=None)
    if (now or utcnow()) - made > timedelta(days=ANSWER_LINK_DAYS):
        raise LinkExpired
    return post


# --- Status and answer ----------------------------------------------------------------------


@dataclass
class StatusChange:
    """What ``set_status`` did, for the confirmation the person reads."""

    status_changed: bool = False
    answer_arrived: bool = False
    answer_corrected: bool = False
    forwarded_to: list[str] = field(default_factory=list)
    told: int = 0  # residents mailed


def set_status(post: Post, status: str, answer: str | None = None, actor: User | None = None) -> StatusChange:
    """Set a signal's status and, when ``answer`` is not None, the gemeente's answer.

    ``actor`` is the moderator, or None for the gemeente on its answer page. A new status of
    ``doorgestuurd`` mails the signal to the gemeente; a new status, or an answer from the
    gemeente (or the first one a moderator types in), is mailed to everyone who cares.
    """
    now = utcnow()
    change = StatusChange(status_changed=status != post.municipal_status)
    post.municipal_status = status
    if change.status_changed and status == MunicipalStatus.FORWARDED:
        post.forwarded_at = post.forwarded_at or now
        change.forwarded_to = _forward(post)
    if answer is not None:
        _set_answer(post, answer.strip() or None, actor, change, now)
    if status == MunicipalStatus.ANSWERED and post.answered_at is None:
        post.answered_at = now
    if change.status_changed or change.answer_arrived:
        change.told = _tell_everyone(post, change, actor)
    return change


def _set_answer(post: Post, answer: str | None, actor: User | None, change: StatusChange,
                now: datetime) -> None:
    before = post.municipal_answer
    if answer == before:
        return
    post.municipal_answer = answer
    post.answered_at = (post.answered_at or now) if answer else None
    if actor is not None and before:  # a moderator changes what the gemeente (or they) wrote
        change.answer_corrected = True
        log_change(actor, Verdict.ANSWER_CORRECTED, SubjectType.POST, post.id, post.title,
                   path=f"/berichten/{post.id}#antwoord", reason=f"Eerder: {before}"[:1000],
                   about=post.author)
    elif answer:
        change.answer_arrived = True


def hide_answer(post: Post, moderator: User, hidden: bool, reason: str) -> bool:
    """Hide the gemeente's answer from everyone (or show it again), logged. False when it
    already was so."""
    if post.answer_hidden == hidden or not post.municipal_answer:
        return False
    post.answer_hidden = hidden
    log_change(moderator, Verdict.ANSWER_HIDDEN if hidden else Verdict.ANSWER_SHOWN, SubjectType.POST,
               post.id, post.title, path=f"/berichten/{post.id}#antwoord", reason=reason,
               about=post.author)
    return True


def _forward(post: Post) -> list[str]:
    """The signal, as plain text, to the gemeente's mailbox(es) for its theme."""
    addresses = gemeente_addresses(post.theme.slug)
    if not addresses:
        return []
    text = render_text(
        "board/mail/forward.txt", post=post, phase=phase_label(post.phase),
        post_url=public_url("board.post", post_id=post.id), answer_url=answer_url(post),
        days=ANSWER_LINK_DAYS,
    )
    for address in addresses:
        queue_mail(address, f"Signaal uit {settings.wijk_name()}: {post.title}", text)
    return addresses


def _tell_everyone(post: Post, change: StatusChange, actor: User | None) -> int:
    """The author and the supporters at once (news of their own signal is service mail), each
    once, not the moderator who did it; the other followers by their pace
    (``tell_followers``)."""
    told = 0
    status = municipal_label(post.municipal_status) if change.status_changed else ""
    answer = post.shown_answer if change.answer_arrived or post.municipal_status == ANSWERED else None
    link = public_url("board.post", post_id=post.id) + "#signaal"
    subject = (f"De gemeente antwoordde op: {post.title}" if change.answer_arrived
               else f"Nieuws over uw signaal: {post.title}")
    own = _author_and_supporters(post)
    for person in own:
        if actor is not None and person.id == actor.id:
            continue
        why = "u dit signaal plaatste" if person.id == post.author_id else "u dit signaal steunt"
        text = render_text("board/mail/signal_news.txt", user=person, post=post, why=why, status=status,
                           answer=answer, link=link)
        told += notify(person, MailKind.POST_UPDATES, subject, text)
    news = "\n\n".join(part for part in (
        f"Het signaal staat nu op: {status}." if status else "",
        f"Antwoord van de gemeente:\n\n{answer}" if answer else "",
    ) if part)
    skip = {person.id for person in own} | ({actor.id} if actor is not None else set())
    told += tell_followers(FollowKind.POST, post.id, source=post_source(post), title=subject, text=news,
                           url=link, subject=subject, skip_user_ids=skip).total
    return told


def post_source(post: Post) -> str:
    """Where news about a post comes from, as the digest names it."""
    return f"Bericht “{post.title}”"


def _author_and_supporters(post: Post) -> list[User]:
    supporters = select(Support.user_id).where(Support.post_id == post.id)
    return list(db.session.scalars(
        select(User).where(or_(User.id == post.author_id, User.id.in_(supporters))).order_by(User.id)
    ))


# --- Volgen ---------------------------------------------------------------------------------


def is_following(post: Post, user) -> bool:
    return following.is_following(user, FollowKind.POST, post.id)


def supporters_and_followers(post_id: int) -> tuple[frozenset[int], frozenset[int]]:
    rows = db.session.execute(union_all(
        select(Support.user_id, literal(True)).where(Support.post_id == post_id),
        select(following.followers_query(FollowKind.POST, post_id).subquery().c.user_id, literal(False)),
    )).all()
    return (frozenset(user for user, supports in rows if supports),
            frozenset(user for user, supports in rows if not supports))


def set_following(post: Post, user: User, wanted: bool) -> bool:
    """Follow (``wanted``) or stop; idempotent like steun. Whether anything changed."""
    return following.set_following(user, FollowKind.POST, post.id, wanted)


def reply_posted(post: Post, reply: Reply) -> int:
    """A published reply: its text to the post's followers (not the one who wrote it), each by
    their pace. How many were mailed at once or will get it in their digest."""
    if reply.status != PUBLISHED:
        return 0
    return tell_followers(
        FollowKind.POST, post.id, source=post_source(post), title=f"{reply.author.name} reageerde",
        text=reply.body, url=public_url("board.post", post_id=post.id) + f"#reactie-{reply.id}",
        subject=f"Nieuwe reactie op: {post.title}", skip_user_ids={reply.author_id},
    ).total


# --- /signalen: the figures -----------------------------------------------------------------


@dataclass
class ThemeFigures:
    name: str  # the theme's name, or "Alle thema's"
    slug: str = ""
    position: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    days: list[float] = field(default_factory=list)  # per answered signal: days to the answer

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def median_label(self) -> str:
        """Dutch, to half a day: "12", "3,5"; "–" without answers."""
        median = self.median_days
        if median is None:
            return "–"
        rounded = round(median * 2) / 2
        return f"{rounded:.0f}" if rounded == int(rounded) else f"{rounded:.1f}".replace(".", ",")


@dataclass
class AnsweredSignal:
    """An answered signal in the list on /signalen (links to its answer)."""

    id: int
    title: str
    theme: str
    answered_at: datetime


@dataclass
class Overview:
    themes: list[ThemeFigures]  # only themes with signals, in the themes' order
    total: ThemeFigures
    answered: list[AnsweredSignal]  # newest answer first, shown answers only

    def count(self, status: str) -> int:
        """How many signals have this status ("" for all), for the list's pagination."""
        return self.total.counts.get(status, 0) if status else self.total.total


def days_to_answer(forwarded: datetime | None, created: datetime, answered: datetime) -> float:
    """From forwarding (or, never forwarded, from posting) to the answer, in days."""
    return max(0.0, (answered - (forwarded or created)).total_seconds() / 86400)


def published_signals(neighbourhood_id: int | None = None) -> list:
    """The WHERE of every signal list and count on /signalen."""
    where = [Post.kind == PostKind.SIGNAL, Post.status == PUBLISHED]
    if neighbourhood_id is not None:
        where.append(Post.neighbourhood_id == neighbourhood_id)
    return where


def overview(neighbourhood_id: int | None = None, answered_shown: int = 5) -> Overview:
    """Per theme: how many signals stand where, and the median days to answer; and the latest
    answered signals. Two queries whatever the number of signals: the counts grouped per
    theme and status, and the dates of the answered signals (small tuples, no objects)."""
    where = published_signals(neighbourhood_id)
    rows: dict[int, ThemeFigures] = {}
    total = ThemeFigures("Alle thema's")
    for theme_id, name, slug, position, status, number in db.session.execute(
        select(Theme.id, Theme.name, Theme.slug, Theme.position, Post.municipal_status, func.count(Post.id))
        .join(Theme, Theme.id == Post.theme_id).where(*where)
        .group_by(Theme.id, Theme.name, Theme.slug, Theme.position, Post.municipal_status)
    ):
        if status in total.counts:
            row = rows.setdefault(theme_id, ThemeFigures(name, slug, position))
            row.counts[status] += number
            total.counts[status] += number
    answered = []
    for post_id, title, theme_id, forwarded, created, answered_at, hidden in db.session.execute(
        select(Post.id, Post.title, Post.theme_id, Post.forwarded_at, Post.created_at, Post.answered_at,
               Post.answer_hidden)
        .where(*where, Post.municipal_status == ANSWERED, Post.answered_at.is_not(None))
    ):
        days = days_to_answer(forwarded, created, answered_at)
        rows[theme_id].days.append(days)
        total.days.append(days)
        if not hidden:
            answered.append(AnsweredSignal(post_id, title, rows[theme_id].name, answered_at))
    answered.sort(key=lambda a: (a.answered_at, a.id), reverse=True)
    themes = sorted(rows.values(), key=lambda r: (r.position, r.name))
    return Overview(themes, total, answered[:answered_shown])


def answered(limit: int = 30) -> list[Post]:
    """The latest answered signals whose answer is shown, newest answer first (the feed)."""
    return list(db.session.scalars(
        select(Post)
        .where(*published_signals(), Post.municipal_status == ANSWERED,
               Post.answered_at.is_not(None), Post.answer_hidden.is_(False))
        .order_by(Post.answered_at.desc(), Post.id.desc()).limit(limit)
        .options(joinedload(Post.theme), joinedload(Post.neighbourhood))
    ))
