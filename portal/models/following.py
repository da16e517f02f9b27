"""Following: what a person follows (a theme, a group, a post) and what waits for their digest.

- ``Follow``: one row per person and thing followed (``kind`` + ``target_id``), unique per
  wijk, person, kind and target. There is no foreign key to the target (it can be a theme, a
  group or a post); ``portal/following/service.py`` is the one place that reads and writes it.
- ``DigestItem``: one piece of news for one person who chose ``dagelijks`` or ``wekelijks``
  (``NotificationPreference.digest``), with the text itself, so the digest needs no join to
  what it came from. Deleted when the digest is queued, or by ``flask purge`` after 30 days.
  No page shows it, so writing or deleting one empties no kept page (``quiet_writes``).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import utcnow
from portal.wijk import InWijk


class FollowKind(StrEnum):
    THEME = "theme"
    GROUP = "group"
    POST = "post"
    TRAJECT = "traject"  # a meedenken traject: those who took part hear of its advies and reaction


class DigestPace(StrEnum):
    """How often mail about what a person follows reaches them."""

    DIRECT = "direct"
    DAILY = "dagelijks"
    WEEKLY = "wekelijks"
    NEVER = "nooit"


class Follow(InWijk, db.Model):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("district_id", "user_id", "kind", "target_id",
                         name="uq_follows_district_id_user_id_kind_target_id"),
        Index("ix_follows_kind_target_id", "kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Follow user={self.user_id} {self.kind}={self.target_id}>"


class DigestItem(InWijk, db.Model):
    __tablename__ = "digest_items"
    quiet_writes = frozenset({"insert", "update", "delete"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int] = mapped_column()
    source: Mapped[str] = mapped_column(String(200))  # where it comes from: "Thema Verkeer"
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<DigestItem {self.id} for user={self.user_id} {self.kind}={self.target_id}>"
