"""The agenda: events (bijeenkomsten) and registrations (aanmeldingen).

Times are stored as naive UTC (like every timestamp in the portal, see ``base.utcnow``) and
shown in Europe/Amsterdam (Flask-Babel's ``BABEL_DEFAULT_TIMEZONE``).

Who may create and edit events: moderators and admins (``portal.events.access``). The person
named as organiser of an event may also see and print its attendee list.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import utcnow
from portal.models.circles import Neighbourhood
from portal.models.groups import Group
from portal.models.meedenken import Traject
from portal.wijk import InWijk


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"


class Event(InWijk, db.Model):
    """A bijeenkomst: a time, a place, and optionally a sign-up with a number of seats."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)  # UTC
    ends_at: Mapped[datetime] = mapped_column()  # UTC
    place_name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    room: Mapped[str] = mapped_column(String(80), default="")
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    organiser_name: Mapped[str] = mapped_column(String(120), default="")
    theme_name: Mapped[str] = mapped_column(String(80), default="")  # free text until themes link
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    # the meedenken traject it belongs to (``portal/models/meedenken.py``), if any
    traject_id: Mapped[int | None] = mapped_column(
        ForeignKey("trajecten.id", ondelete="SET NULL"), index=True
    )
    # The werkgroep or bewonersgroep that meets here (its page lists its events).
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="SET NULL"), index=True)
    capacity: Mapped[int | None] = mapped_column()  # None: no maximum
    registration_required: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organiser: Mapped[User | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship()
    traject: Mapped[Traject | None] = relationship()
    group: Mapped[Group | None] = relationship()
    registrations: Mapped[list["Registration"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Registration.created_at, Registration.id",
    )

    @property
    def location(self) -> str:
        """One line for calendars and mail: place, room, address."""
        return ", ".join(part for part in (self.place_name, self.room, self.address) if part)

    @property
    def organiser_label(self) -> str:
        if self.organiser_name:
            return self.organiser_name
        return self.organiser.name if self.organiser else ""

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class Registration(InWijk, db.Model):
    """Someone is coming to an event: a signed-in person (``user``) or a neighbour signed up
    by name (``guest_name``, with ``registered_by`` the connector who did it).

    One registration per person per event: the unique constraint on (event_id, user_id) does
    not bind rows without a user, because SQL treats NULLs as distinct (SQLite and PostgreSQL).
    """

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guest_name: Mapped[str] = mapped_column(String(120), default="")
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default=RegistrationStatus.CONFIRMED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column()  # the day-before reminder went out

    event: Mapped[Event] = relationship(back_populates="registrations")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def display_name(self) -> str:
        return self.user.name if self.user else self.guest_name

    def __repr__(self) -> str:
        return f"<Registration event={self.event_id} user={self.user_id} {self.status}>"
