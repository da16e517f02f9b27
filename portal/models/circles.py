"""Places and buurtcirkels: District (``wijken.py``) → Neighbourhoods → Circles, and the help inside a circle.

A person is a member of at most one circle per wijk (unique ``Membership.user_id`` in a wijk); a connector
(verbinder) is a member whose role is ``connector``. A ``HelpItem`` is a request or an offer
in one circle, seen only by that circle's members and by moderators (see
``portal/circles/access.py``).
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import ContentStatus, utcnow
from portal.models.wijken import District
from portal.wijk import InWijk


class Neighbourhood(InWijk, db.Model):
    """A buurt inside the district, such as Vleuterweide."""

    __tablename__ = "neighbourhoods"

    __table_args__ = (UniqueConstraint("district_id", "slug", name="uq_neighbourhoods_district_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))

    district: Mapped[District] = relationship(back_populates="neighbourhoods")
    circles: Mapped[list["Circle"]] = relationship(back_populates="neighbourhood", order_by="Circle.name")


class Circle(InWijk, db.Model):
    """A buurtcirkel: a few streets of neighbours who help each other."""

    __tablename__ = "circles"
    __table_args__ = (UniqueConstraint("district_id", "slug", name="uq_circles_district_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[int] = mapped_column(default=300)
    # What the connector chooses to publish for people without internet ("bel Sonja: ...").
    # Empty: the circle page shows the wijkinformatiepunt instead.
    contact_line: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Archived: no longer listed or joinable; its members were told. Nothing is deleted.
    archived_at: Mapped[datetime | None] = mapped_column()

    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="circles")
    streets: Mapped[list["Street"]] = relationship(
        back_populates="circle", order_by="Street.name", cascade="all, delete-orphan", passive_deletes=True
    )
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="circle", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Circle {self.slug}>"


class Street(InWijk, db.Model):
    """A street (or part of one) that belongs to a circle; the street search looks here."""

    __tablename__ = "streets"
    __table_args__ = (UniqueConstraint("circle_id", "name", name="uq_streets_circle_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))  # uq indexes it

    circle: Mapped[Circle] = relationship(back_populates="streets")


class MemberRole(StrEnum):
    MEMBER = "member"
    CONNECTOR = "connector"


class Membership(InWijk, db.Model):
    """Who belongs to which circle. One circle per person: moving replaces the row."""

    __tablename__ = "memberships"
    __table_args__ = (
        Index("ix_memberships_circle_id_role", "circle_id", "role"),
        UniqueConstraint("district_id", "user_id", name="uq_memberships_district_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default=MemberRole.MEMBER)
    since: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    circle: Mapped[Circle] = relationship(back_populates="memberships")

    @property
    def is_connector(self) -> bool:
        return self.role == MemberRole.CONNECTOR


class HelpKind(StrEnum):
    REQUEST = "request"
    OFFER = "offer"


class HelpStatus(StrEnum):
    OPEN = "open"
    PROMISED = "toegezegd"
    DONE = "afgerond"
    LAPSED = "vervallen"


KIND_LABELS = {HelpKind.REQUEST: "Hulpvraag", HelpKind.OFFER: "Hulpaanbod"}
CATEGORIES = {
    "boodschappen": "Boodschappen",
    "vervoer": "Vervoer",
    "klusjes": "Klusjes",
    "gezelschap": "Gezelschap",
    "tuin": "Tuin",
    "computerhulp": "Computerhulp",
    "overig": "Iets anders",
}
STATUS_LABELS = {
    HelpStatus.OPEN: "Open",
    HelpStatus.PROMISED: "Toegezegd",
    HelpStatus.DONE: "Afgerond",
    HelpStatus.LAPSED: "Vervallen",
}
# Where a status may go next; "open" again undoes a mistake or a helper who cannot come.
NEXT_STATUSES = {
    HelpStatus.OPEN: (HelpStatus.PROMISED, HelpStatus.DONE, HelpStatus.LAPSED),
    HelpStatus.PROMISED: (HelpStatus.DONE, HelpStatus.OPEN, HelpStatus.LAPSED),
    HelpStatus.DONE: (HelpStatus.OPEN,),
    HelpStatus.LAPSED: (HelpStatus.OPEN,),
}


class HelpItem(InWijk, db.Model):
    """A help request or offer in one circle.

    ``on_behalf_name``/``on_behalf_street`` are set when a connector places it *namens* a
    neighbour without internet: only a first name and a street, never an address or phone.
    """

    __tablename__ = "help_items"
    __table_args__ = (
        Index("ix_help_items_circle_id_status_created_at", "circle_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text, default="")
    wanted_when: Mapped[str] = mapped_column(String(120), default="")
    # The day it is for, when there is one: the day after, the asker is asked "Is het gelukt?".
    wanted_on: Mapped[date | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default=HelpStatus.OPEN)
    # Moderation, apart from the workflow status above: only published items are shown to the
    # circle; a new account's item waits (pending), a moderator may hide it.
    moderation: Mapped[str] = mapped_column(
        String(20), default=ContentStatus.PUBLISHED, server_default=ContentStatus.PUBLISHED.value
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    on_behalf_name: Mapped[str | None] = mapped_column(String(40))
    on_behalf_street: Mapped[str | None] = mapped_column(String(120))
    # The neighbour without internet it was posted for, while they are on the verbinder's list.
    # No foreign key in the database (adding one on SQLite rebuilds this table); removing a
    # neighbour sets it to NULL itself (``circles.service.remove_offline_neighbour``).
    on_behalf_of_id: Mapped[int | None] = mapped_column(index=True)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The helper is a neighbour without internet: ``taken_by`` is the verbinder who offered
    # namens them, and this their first name.
    taken_on_behalf_name: Mapped[str | None] = mapped_column(String(40))
    promised_at: Mapped[datetime | None] = mapped_column()  # when a helper was chosen
    # Nothing open unseen (``portal/circles/followup.py``): when the verbinders were told that
    # this request waits (3 days), when the coordinators were (7 days), when the asker was
    # asked "Is het gelukt?" and when they answered (the mailed buttons work once).
    waiting_told_at: Mapped[datetime | None] = mapped_column()
    escalated_at: Mapped[datetime | None] = mapped_column()
    done_asked_at: Mapped[datetime | None] = mapped_column()
    done_answered_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    circle: Mapped[Circle] = relationship()
    on_behalf_of: Mapped["OfflineNeighbour | None"] = relationship(
        primaryjoin="foreign(HelpItem.on_behalf_of_id) == OfflineNeighbour.id", viewonly=True
    )
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    taken_by: Mapped[User | None] = relationship(foreign_keys=[taken_by_id])
    events: Mapped[list["HelpItemEvent"]] = relationship(
        back_populates="item", order_by="HelpItemEvent.created_at, HelpItemEvent.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    responses: Mapped[list["HelpResponse"]] = relationship(
        back_populates="item", order_by="HelpResponse.created_at, HelpResponse.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )
    messages: Mapped[list["HelpMessage"]] = relationship(
        back_populates="item", order_by="HelpMessage.created_at, HelpMessage.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    @property
    def helper_name(self) -> str | None:
        """Who helps, as the page says it: "Kees", or "Gerda (via Sonja)" for a neighbour
        without internet."""
        if self.taken_by is None:
            return None
        if self.taken_on_behalf_name:
            return f"{self.taken_on_behalf_name} (via {self.taken_by.first_name})"
        return self.taken_by.first_name

    @property
    def is_request(self) -> bool:
        return self.kind == HelpKind.REQUEST

    @property
    def is_published(self) -> bool:
        return self.moderation == ContentStatus.PUBLISHED

    @property
    def is_on_behalf(self) -> bool:
        return bool(self.on_behalf_name)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[HelpKind(self.kind)]

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[HelpStatus(self.status)]

    @property
    def next_statuses(self) -> tuple[HelpStatus, ...]:
        return NEXT_STATUSES[HelpStatus(self.status)]

    def __repr__(self) -> str:
        return f"<HelpItem {self.id} {self.kind} {self.status}>"


class EventAction(StrEnum):
    CREATED = "created"
    RESPONDED = "responded"
    STATUS = "status"
    STEPPED_BACK = "stepped_back"  # the chosen helper can no longer help
    NOT_YET = "not_yet"  # "Is het gelukt?": nog niet


class HelpItemEvent(InWijk, db.Model):
    """The history of a help item: who did what, when."""

    __tablename__ = "help_item_events"
    __table_args__ = (Index("ix_help_item_events_item_id_created_at", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("help_items.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str | None] = mapped_column(String(12))  # the new status, for action "status"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[HelpItem] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class HelpResponse(InWijk, db.Model):
    """Someone answers a help item: "Ik help" on a request, "Dit wil ik graag" on an offer."""

    __tablename__ = "help_responses"
    __table_args__ = (UniqueConstraint("item_id", "user_id", name="uq_help_responses_item_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("help_items.id", ondelete="CASCADE"))  # uq indexes it
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    # A verbinder offers namens a neighbour without internet (see HelpItem.on_behalf_of_id).
    on_behalf_of_id: Mapped[int | None] = mapped_column()
    on_behalf_name: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[HelpItem] = relationship(back_populates="responses")
    user: Mapped[User] = relationship()

    @property
    def display_name(self) -> str:
        """"Kees van der Linden", or "Gerda (via Sonja Bakker)"."""
        if self.on_behalf_name:
            return f"{self.on_behalf_name} (via {self.user.name})"
        return self.user.name

    @property
    def short_name(self) -> str:
        return self.on_behalf_name or self.user.first_name


class HelpMessage(InWijk, db.Model):
    """A message in the private conversation on a help item: between the asker, the chosen
    helper and the circle's verbinders only (``circles.access.can_see_conversation``). A
    participant may report one to the moderators; a moderator sees only the reported one, and
    may hide it (``moderation``: published or hidden; messages never wait for a check)."""

    __tablename__ = "help_messages"
    __table_args__ = (Index("ix_help_messages_item_id_created_at", "item_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("help_items.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    moderation: Mapped[str] = mapped_column(
        String(20), default=ContentStatus.PUBLISHED, server_default=ContentStatus.PUBLISHED.value
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    item: Mapped[HelpItem] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()

    @property
    def is_published(self) -> bool:
        return self.moderation == ContentStatus.PUBLISHED


class HelpMessageMail(InWijk, db.Model):
    """When a person was last mailed about new messages on an item: at most one such mail
    per conversation per hour."""

    __tablename__ = "help_message_mails"

    item_id: Mapped[int] = mapped_column(ForeignKey("help_items.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)
    mailed_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfflineNeighbour(InWijk, db.Model):
    """A neighbour without internet on a verbinder's list: a member of the circle without an
    account. Only a first name, a street and a phone, and the record of their consent: when,
    who asked, and what they agreed to. The phone is for the circle's verbinders only."""

    __tablename__ = "offline_neighbours"

    id: Mapped[int] = mapped_column(primary_key=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)
    first_name: Mapped[str] = mapped_column(String(40))
    street: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(30), default="")
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consent_text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    circle: Mapped[Circle] = relationship()
    consent_by: Mapped[User | None] = relationship()


class CircleRequest(InWijk, db.Model):
    """A resident asks for a circle in a street that no circle covers yet; coordinators see
    these per street on ``/beheer/cirkels``."""

    __tablename__ = "circle_requests"
    __table_args__ = (UniqueConstraint("user_id", "street", name="uq_circle_requests_user_id_street"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    street: Mapped[str] = mapped_column(String(120), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
