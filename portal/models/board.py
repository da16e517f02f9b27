"""Wijkplatform: themes, posts (ideas, questions, signals), replies and support (steun).

``Post.support_count`` and ``Post.reply_count`` are cached counters, changed with an SQL
expression in the same transaction as the row they count, so a board never counts rows.
``Theme.post_count`` (the theme's published posts) is kept the same way, wherever a post goes
on or off line (``board.service.create_post``, ``moderation.subjects.set_state``).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import ContentStatus, utcnow
from portal.models.circles import Neighbourhood
from portal.wijk import InWijk

TITLE_MAX = 120
BODY_MAX = 5000
ON_BEHALF_MAX = 80
SOURCE_MAX = 200


class PostKind(StrEnum):
    IDEA = "idea"
    QUESTION = "question"
    SIGNAL = "signal"


class SignalPhase(StrEnum):
    BEFORE_DECISION = "voor_besluit"
    EVALUATION = "evaluatie"


class MunicipalStatus(StrEnum):
    NEW = "nieuw"
    FORWARDED = "doorgestuurd"
    IN_PROGRESS = "in_behandeling"
    ANSWERED = "beantwoord"


class Theme(InWijk, db.Model):
    """A topic board, such as verkeer or groen. Admins add, rename and order them."""

    __tablename__ = "themes"
    __table_args__ = (UniqueConstraint("district_id", "slug", name="uq_themes_district_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(default=0, index=True)
    post_count: Mapped[int] = mapped_column(default=0, server_default="0")

    def __repr__(self) -> str:
        return f"<Theme {self.slug}>"


class Post(InWijk, db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        # Boards: one theme, published, newest first or most supported first.
        Index("ix_posts_theme_status_created", "theme_id", "status", "created_at"),
        Index("ix_posts_theme_status_support", "theme_id", "status", "support_count", "created_at"),
        # Filters and the list of signals.
        Index("ix_posts_kind_status_created", "kind", "status", "created_at"),
        Index("ix_posts_neighbourhood_created", "neighbourhood_id", "created_at"),
        Index("ix_posts_municipal_status_created", "municipal_status", "status", "created_at"),
        Index("ix_posts_municipal_status_answered", "municipal_status", "status", "answered_at"),
        Index("ix_posts_author_created", "author_id", "created_at"),
        # A wijk's posts newest first (search; migration 0018).
        Index("ix_posts_district_id_id", "district_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    kind: Mapped[str] = mapped_column(String(20), default=PostKind.IDEA)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ContentStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    support_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0)

    # Only for signals (kind == "signal").
    phase: Mapped[str | None] = mapped_column(String(20))
    municipal_status: Mapped[str | None] = mapped_column(String(20))
    municipal_answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]  # when the (first) answer arrived
    forwarded_at: Mapped[datetime | None]  # first set to doorgestuurd (mailed to GEMEENTE_MAIL)
    # A moderator hid the answer. No Python default: inserts into an older schema must work.
    answer_hidden: Mapped[bool] = mapped_column(server_default=false())

    # A paper card from a meeting, posted namens a resident by a moderator or verbinder (the
    # author): the name the resident gave, and where the card came from.
    on_behalf_name: Mapped[str | None] = mapped_column(String(ON_BEHALF_MAX))
    source: Mapped[str | None] = mapped_column(String(SOURCE_MAX))

    theme: Mapped[Theme] = relationship()
    author: Mapped[User] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()

    @property
    def is_signal(self) -> bool:
        return self.kind == PostKind.SIGNAL

    @property
    def is_published(self) -> bool:
        return self.status == ContentStatus.PUBLISHED

    @property
    def shown_answer(self) -> str | None:
        """The gemeente's answer as everyone reads it (None while a moderator hides it)."""
        return None if self.answer_hidden else self.municipal_answer

    def __repr__(self) -> str:
        return f"<Post {self.id} {self.kind}>"


class Reply(InWijk, db.Model):
    __tablename__ = "replies"
    __table_args__ = (Index("ix_replies_post_status_created", "post_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=ContentStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship()
    author: Mapped[User] = relationship()


class Support(InWijk, db.Model):
    """Steun: one per person per post."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("post_id", "user_id", name="uq_supports_post_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship()
    user: Mapped[User] = relationship()
