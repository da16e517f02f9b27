"""Werkgroepen and bewonersgroepen: a group of the wijkplatform (``werkgroep``) or a
bewonersgroep/initiative that hangs under it, with its themes and buurten, its members and
trekkers, its news and its members' thread.

* A ``Group`` is proposed by a resident (``voorgesteld``) or made by a moderator (``actief``);
  it can be paused (``gepauzeerd``) or ended (``beeindigd``): its page, news and thread stay.
* A ``GroupMember`` is one person in one group: ``role`` member or trekker, ``status``
  requested (a closed group's trekker has to accept) or member. A trekker chooses which
  contact the group page shows (``show_email``, ``phone``).
* ``GroupNews`` is mailed to the members (``portal/groups/service.py: announce_news``).
* A ``GroupMessage`` is a message in the members' thread; a member may report one, a moderator
  may hide it (``moderation``: published or hidden, like a help conversation's message).
* ``quiet_nudged_at`` remembers that the trekker was nudged for this quiet spell (the daily job).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import ContentStatus, utcnow
from portal.models.board import Theme
from portal.models.circles import Neighbourhood
from portal.wijk import InWijk


class GroupKind(StrEnum):
    WERKGROEP = "werkgroep"  # a werkgroep of the wijkplatform
    BEWONERSGROEP = "bewonersgroep"  # a bewonersgroep or initiative that hangs under it


class GroupStatus(StrEnum):
    PROPOSED = "voorgesteld"
    ACTIVE = "actief"
    PAUSED = "gepauzeerd"
    ENDED = "beeindigd"


class GroupRole(StrEnum):
    MEMBER = "member"
    TREKKER = "trekker"


class GroupMemberStatus(StrEnum):
    REQUESTED = "requested"
    MEMBER = "member"


class Group(InWijk, db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        UniqueConstraint("district_id", "slug", name="uq_groups_district_id_slug"),
        Index("ix_groups_status_name", "status", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default=GroupKind.WERKGROEP)
    description: Mapped[str] = mapped_column(Text, default="")
    meets: Mapped[str] = mapped_column(String(200), default="")  # "elke eerste dinsdag, De Schakel"
    is_open: Mapped[bool] = mapped_column(default=True)
    status: Mapped[str] = mapped_column(String(20), default=GroupStatus.ACTIVE)
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    quiet_nudged_at: Mapped[datetime | None] = mapped_column()

    proposed_by: Mapped[User | None] = relationship()
    theme_links: Mapped[list["GroupTheme"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )
    buurt_links: Mapped[list["GroupBuurt"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )
    members: Mapped[list["GroupMember"]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True,
        order_by="GroupMember.joined_at, GroupMember.id",
    )

    @property
    def themes(self) -> list[Theme]:
        return sorted((link.theme for link in self.theme_links), key=lambda theme: theme.name)

    @property
    def buurten(self) -> list[Neighbourhood]:
        return sorted((link.neighbourhood for link in self.buurt_links), key=lambda buurt: buurt.name)

    @property
    def is_active(self) -> bool:
        return self.status == GroupStatus.ACTIVE

    @property
    def is_werkgroep(self) -> bool:
        return self.kind == GroupKind.WERKGROEP

    def __repr__(self) -> str:
        return f"<Group {self.slug} {self.status}>"


class GroupTheme(InWijk, db.Model):
    __tablename__ = "group_themes"
    __table_args__ = (UniqueConstraint("group_id", "theme_id", name="uq_group_themes_group_id_theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)

    group: Mapped[Group] = relationship(back_populates="theme_links")
    theme: Mapped[Theme] = relationship()


class GroupBuurt(InWijk, db.Model):
    __tablename__ = "group_buurten"
    __table_args__ = (
        UniqueConstraint("group_id", "neighbourhood_id", name="uq_group_buurten_group_id_neighbourhood_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )

    group: Mapped[Group] = relationship(back_populates="buurt_links")
    neighbourhood: Mapped[Neighbourhood] = relationship()


class GroupMember(InWijk, db.Model):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id", name="uq_group_members_group_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=GroupRole.MEMBER)
    status: Mapped[str] = mapped_column(String(20), default=GroupMemberStatus.MEMBER)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column()
    # A trekker's contact on the group page, as they chose it.
    show_email: Mapped[bool] = mapped_column(default=False)
    phone: Mapped[str] = mapped_column(String(30), default="")

    group: Mapped[Group] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    @property
    def is_member(self) -> bool:
        return self.status == GroupMemberStatus.MEMBER

    @property
    def is_trekker(self) -> bool:
        return self.is_member and self.role == GroupRole.TREKKER


class GroupNews(InWijk, db.Model):
    __tablename__ = "group_news"
    __table_args__ = (Index("ix_group_news_group_id_created_at", "group_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship()


class GroupMessage(InWijk, db.Model):
    """A message in a group's thread: members only (``groups.access.can_read_thread``)."""

    __tablename__ = "group_messages"
    __table_args__ = (Index("ix_group_messages_group_id_created_at", "group_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    moderation: Mapped[str] = mapped_column(String(20), default=ContentStatus.PUBLISHED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_published(self) -> bool:
        return self.moderation == ContentStatus.PUBLISHED
