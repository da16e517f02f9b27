"""The wijkinformatiepunt and the sociale kaart: who can help with what, where and when, and
the questions residents ask the informatiepunt.

The names follow Open Referral's Human Services Data Specification (HSDS 3.0) where they fit:
an ``Organization`` offers ``Service``s; a service is given at ``Location``s
(``ServiceAtLocation``), each with ``Schedule``s: an iCalendar recurrence rule (RFC 5545
``RRULE``, weekly or monthly, as HSDS allows) with the hours it opens and closes, in
Europe/Amsterdam wall-clock time. ``ClosedDay``s are the days an organisation marks closed
(on top of the Dutch public holidays, which close every spreekuur). ``assured_date`` is HSDS's
"laatst gecontroleerd". A ``ServiceNeed`` tags a service with a need (``NEEDS``: geldzaken,
eenzaamheid, ...), the search by need of the kaart.

A ``Question`` is a case of the informatiepunt: asked without an account, seen only by the
``informatiepunt`` role of its wijk, answered by mail, called back, referred to an
organisation or handed to a buurtcirkel's verbinder, and forgotten 90 days after it was last
handled (``portal/infopoint/service.py``, ``purge_old_questions``). A ``ServiceArea`` says
which buurtcirkels a service covers (none: the whole wijk). A ``HelpReferral`` records that a
verbinder pointed a help item to a service (``portal/infopoint/referrals.py``); it goes with
the help item when that is forgotten. A ``ChangeProposal`` is a
change an organisation proposes to its own record, which a moderator accepts or rejects.

Everything here belongs to one wijk (``InWijk``).
"""

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Date, ForeignKey, String, Text, Time, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import utcnow
from portal.models.circles import Circle
from portal.wijk import InWijk

# What a resident may need help with: the search by need (``?behoefte=``), in this order.
NEEDS = {
    "geldzaken": "Geldzaken en formulieren",
    "eenzaamheid": "Eenzaamheid en ontmoeting",
    "mantelzorg": "Mantelzorg",
    "vervoer": "Vervoer",
    "boodschappen": "Boodschappen",
    "klussen": "Klussen en reparaties",
    "gezondheid": "Gezondheid en zorg",
    "wonen": "Wonen",
}


class Organization(InWijk, db.Model):
    """An organisation on the sociale kaart (HSDS ``organization``). ``is_infopoint`` marks the
    wijk's own wijkinformatiepunt: its services' schedules are the spreekuren."""

    __tablename__ = "organizations"
    __table_args__ = (UniqueConstraint("district_id", "slug", name="uq_organizations_district_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    is_infopoint: Mapped[bool] = mapped_column(default=False, server_default=false())
    assured_date: Mapped[date | None] = mapped_column(Date)  # "laatst gecontroleerd"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    services: Mapped[list["Service"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Service.name, Service.id",
    )
    locations: Mapped[list["Location"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Location.name, Location.id",
    )
    closed_days: Mapped[list["ClosedDay"]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ClosedDay.day",
    )

    def __repr__(self) -> str:
        return f"<Organization {self.slug}>"


class Service(InWijk, db.Model):
    """What an organisation offers (HSDS ``service``): for whom (``eligibility_description``),
    what it costs (``fees_description``), how to get it (``application_process``) and what to
    bring (``required_documents``, one per line)."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")  # HSDS: active, inactive, ...
    eligibility_description: Mapped[str] = mapped_column(Text, default="")
    fees_description: Mapped[str] = mapped_column(Text, default="")
    application_process: Mapped[str] = mapped_column(Text, default="")
    required_documents: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(30), default="")  # when not the organisation's
    email: Mapped[str] = mapped_column(String(254), default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship(back_populates="services")
    needs: Mapped[list["ServiceNeed"]] = relationship(
        back_populates="service", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ServiceNeed.id",
    )
    service_at_locations: Mapped[list["ServiceAtLocation"]] = relationship(
        back_populates="service", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ServiceAtLocation.id",
    )
    areas: Mapped[list["ServiceArea"]] = relationship(
        back_populates="service", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ServiceArea.id",
    )

    @property
    def need_slugs(self) -> list[str]:
        return [need.need for need in self.needs]

    @property
    def documents(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Service {self.id} {self.name!r}>"


class ServiceNeed(InWijk, db.Model):
    """A need a service helps with (a key of ``NEEDS``)."""

    __tablename__ = "service_needs"
    __table_args__ = (UniqueConstraint("service_id", "need", name="uq_service_needs_service_id_need"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    need: Mapped[str] = mapped_column(String(40), index=True)

    service: Mapped[Service] = relationship(back_populates="needs")

    @property
    def label(self) -> str:
        return NEEDS.get(self.need, self.need)


class Location(InWijk, db.Model):
    """A place where an organisation is (HSDS ``location`` with one physical address): how to
    get there (``transportation``) and its entrance for a wheelchair or a walker
    (``accessibility``)."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(160))
    address_1: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    transportation: Mapped[str] = mapped_column(Text, default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()

    organization: Mapped[Organization] = relationship(back_populates="locations")

    @property
    def address(self) -> str:
        """One line: street and number, postcode and place."""
        place = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.address_1, place) if part)

    def __repr__(self) -> str:
        return f"<Location {self.id} {self.name!r}>"


class ServiceAtLocation(InWijk, db.Model):
    """A service given at one location (HSDS ``service_at_location``), with its hours."""

    __tablename__ = "service_at_locations"
    __table_args__ = (
        UniqueConstraint("service_id", "location_id", name="uq_service_at_locations_service_id_location_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), index=True)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship()
    schedules: Mapped[list["Schedule"]] = relationship(
        back_populates="service_at_location", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Schedule.id",
    )


class Schedule(InWijk, db.Model):
    """When a service is open at a location (HSDS ``schedule``): ``rrule`` is an RFC 5545
    recurrence rule without DTSTART ("FREQ=WEEKLY;BYDAY=TU,TH", "FREQ=MONTHLY;BYDAY=1SA"),
    ``opens_at``/``closes_at`` wall-clock times in Europe/Amsterdam, ``valid_from``/``valid_to``
    the days it holds (both optional)."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_at_location_id: Mapped[int] = mapped_column(
        ForeignKey("service_at_locations.id", ondelete="CASCADE"), index=True
    )
    rrule: Mapped[str] = mapped_column(String(200))
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(200), default="")  # "zonder afspraak"

    service_at_location: Mapped[ServiceAtLocation] = relationship(back_populates="schedules")


class ClosedDay(InWijk, db.Model):
    """A day an organisation marks closed (holiday of the staff, the building closed): no
    spreekuur of it that day, as on the Dutch public holidays."""

    __tablename__ = "closed_days"
    __table_args__ = (UniqueConstraint("organization_id", "day", name="uq_closed_days_organization_id_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    organization: Mapped[Organization] = relationship(back_populates="closed_days")


class QuestionStatus(StrEnum):
    NEW = "new"
    ANSWERED = "answered"  # answered by mail
    CALLED_BACK = "called_back"  # answered on the phone, noted
    REFERRED = "referred"  # to an organisation on the kaart
    HANDED_OVER = "handed_over"  # to a buurtcirkel's verbinders


class Question(InWijk, db.Model):
    """A question to the wijkinformatiepunt, asked without an account: a name, an e-mail
    address or a phone number (or both), the question and the consent to be contacted about
    it. Nothing of it is public."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    question: Mapped[str] = mapped_column(Text)
    consent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default=QuestionStatus.NEW, index=True)
    answer: Mapped[str] = mapped_column(Text, default="")  # the mail, or the note of the call
    referred_organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    handed_circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circles.id", ondelete="SET NULL"), index=True
    )
    handled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    handled_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    referred_organization: Mapped[Organization | None] = relationship()
    handed_circle: Mapped[Circle | None] = relationship()
    handled_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == QuestionStatus.NEW

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.status}>"


class ProposalStatus(StrEnum):
    WAITING = "waiting"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class ChangeProposal(InWijk, db.Model):
    """A change to an organisation's record, proposed by someone of that organisation (signed
    in) and accepted or rejected by a moderator. An empty proposed value changes nothing."""

    __tablename__ = "change_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")  # anything else, in words
    status: Mapped[str] = mapped_column(String(20), default=ProposalStatus.WAITING, index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column()
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organization: Mapped[Organization] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class ServiceArea(InWijk, db.Model):
    """A buurtcirkel a service covers. A service without any covers the whole wijk."""

    __tablename__ = "service_areas"
    __table_args__ = (
        UniqueConstraint("service_id", "circle_id", name="uq_service_areas_service_id_circle_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circles.id", ondelete="CASCADE"), index=True)

    service: Mapped[Service] = relationship(back_populates="areas")
    circle: Mapped[Circle] = relationship()


class HelpReferral(InWijk, db.Model):
    """A verbinder pointed a help item to a service of the sociale kaart (the conversation of
    the item says so to the asker)."""

    __tablename__ = "help_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    help_item_id: Mapped[int] = mapped_column(ForeignKey("help_items.id", ondelete="CASCADE"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"), index=True)
    referred_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    service: Mapped[Service] = relationship()
