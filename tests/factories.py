"""Factories: make what a test needs in one line, with sensible defaults.

Each function commits, so the rows are there for the next request of the test client.
"""

import itertools

from portal.extensions import db
from portal.models import Role, User

PASSWORD = "wachtwoord-voor-tests"
_counter = itertools.count(1)


def make_user(name: str | None = None, email: str | None = None, role: str = Role.RESIDENT,
              trusted: bool = True, password: str = PASSWORD) -> User:
    n = next(_counter)
    user = User(name=name or f"Bewoner {n}", email=email or f"bewoner{n}@example.org",
                role=role, trusted=trusted)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


# ---- Board (wijkplatform): themes, posts, replies, steun --------------------------------

from datetime import timedelta  # noqa: E402

from portal.models import (  # noqa: E402
    District,
    MunicipalStatus,
    Neighbourhood,
    Post,
    PostKind,
    Reply,
    SignalPhase,
    Support,
    Theme,
)
from portal.models.base import utcnow  # noqa: E402


def theme(slug: str = "verkeer") -> Theme:
    """One of the themes migration 0003 adds (verkeer, groen, ...)."""
    return db.session.scalar(db.select(Theme).where(Theme.slug == slug))


def make_neighbourhood(name: str = "Vleuten") -> Neighbourhood:
    """(The same factory as the circles branch has: keep one when merging.)"""
    slug = name.lower().replace(" ", "-")
    existing = db.session.scalar(db.select(Neighbourhood).where(Neighbourhood.slug == slug))
    if existing:
        return existing
    district = db.session.scalar(db.select(District))
    district = district or District(slug="vleuten-de-meern", name="Vleuten-De Meern")
    neighbourhood = Neighbourhood(slug=slug, name=name, district=district)
    db.session.add(neighbourhood)
    db.session.commit()
    return neighbourhood


def make_post(author: User | None = None, theme_slug: str = "verkeer", kind: str = PostKind.IDEA,
              title: str | None = None, body: str = "Een idee voor de buurt.",
              minutes_ago: int = 0, neighbourhood: Neighbourhood | None = None,
              status: str = "published", support_count: int = 0, **signal) -> Post:
    """A post; a signal (kind=PostKind.SIGNAL) starts as 'nieuw' before the decision."""
    n = next(_counter)
    post = Post(theme=theme(theme_slug), author=author or make_user(), kind=kind,
                title=title or f"Bericht {n}", body=body, neighbourhood=neighbourhood,
                status=status, support_count=support_count,
                created_at=utcnow() - timedelta(minutes=minutes_ago))
    if kind == PostKind.SIGNAL:
        post.phase = signal.get("phase", SignalPhase.BEFORE_DECISION)
        post.municipal_status = signal.get("municipal_status", MunicipalStatus.NEW)
        post.municipal_answer = signal.get("municipal_answer")
        post.answered_at = signal.get("answered_at")
    db.session.add(post)
    db.session.commit()
    return post


def make_reply(post: Post, author: User | None = None, body: str = "Goed idee!",
               minutes_ago: int = 0) -> Reply:
    reply = Reply(post=post, author=author or make_user(), body=body,
                  created_at=utcnow() - timedelta(minutes=minutes_ago))
    post.reply_count += 1
    db.session.add(reply)
    db.session.commit()
    return reply


def make_support(post: Post, user: User | None = None) -> Support:
    support = Support(post=post, user=user or make_user())
    post.support_count += 1
    db.session.add(support)
    db.session.commit()
    return support
