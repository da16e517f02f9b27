"""The wijkbrief: the wijk's monthly newsletter (issue 29; ``portal/newsletter/``).

- A ``Subscriber`` is an address that asked for the wijkbrief: without an account (double
  opt-in: ``confirmed_at`` once the mailed link was followed) or an account holder who opted in
  (``user_id``; confirmed at once, the account's address). The consent is kept with its moment,
  its wording and where it was given. ``organisation`` says someone reads it for an
  organisation (the professionals' segment); ``neighbourhood_id`` their buurt (the buurten
  segment). ``unsubscribed_at`` and ``bounced_at`` stop all mail. Unconfirmed addresses are
  forgotten after 7 days (``flask purge``).
- A ``Newsletter`` is one issue: a ``concept`` until it is sent once (``verzonden``), then it
  has its ``number`` in the wijk (1, 2, ...) and is public on ``/nieuwsbrief/<nummer>``.
- A ``NewsletterBlock`` is one part of an issue, filled from the portal when the issue is made
  (``portal/newsletter/blocks.py``) and editable text after.
- A ``NewsletterDelivery`` is one recipient of one issue, with the outbox message that carries
  it: unique per (issue, subscriber), so nobody gets an issue twice.

Everything here belongs to one wijk (``InWijk``).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import utcnow
from portal.wijk import InWijk


class NewsletterStatus(StrEnum):
    CONCEPT = "concept"
    SENT = "verzonden"


class Segment(StrEnum):
    WIJK = "wijk"  # every confirmed subscriber
    BUURTEN = "buurten"  # those who chose one of the buurten
    PROFESSIONALS = "professionals"  # those who subscribed for an organisation
    THEME = "thema"  # account holders who follow the theme ``segment_target_id``
    GROUP = "groep"  # account holders who are members of the group ``segment_target_id``


class Subscriber(InWijk, db.Model):
    __tablename__ = "newsletter_subscribers"
    __table_args__ = (
        UniqueConstraint("district_id", "email", name="uq_newsletter_subscribers_district_id_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(160), default="")
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_text: Mapped[str] = mapped_column(Text, default="")
    consent_source: Mapped[str] = mapped_column(String(200), default="")
    confirmation_sent_at: Mapped[datetime | None] = mapped_column()
    confirmed_at: Mapped[datetime | None] = mapped_column()
    unsubscribed_at: Mapped[datetime | None] = mapped_column()
    bounced_at: Mapped[datetime | None] = mapped_column()

    neighbourhood: Mapped["Neighbourhood | None"] = relationship()  # noqa: F821

    @property
    def receives(self) -> bool:
        return bool(self.confirmed_at and not self.unsubscribed_at and not self.bounced_at)

    def __repr__(self) -> str:
        return f"<Subscriber {self.id} {self.email}>"


class Newsletter(InWijk, db.Model):
    __tablename__ = "newsletters"
    __table_args__ = (UniqueConstraint("district_id", "number", name="uq_newsletters_district_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int | None] = mapped_column()  # given when it is sent: 1, 2, ... per wijk
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=NewsletterStatus.CONCEPT)
    segment: Mapped[str] = mapped_column(String(20), default=Segment.WIJK)
    buurten: Mapped[str] = mapped_column(String(300), default="")  # neighbourhood ids, "3 5"
    # The theme or group of the segments ``thema`` and ``groep`` (no foreign key: either table).
    segment_target_id: Mapped[int | None] = mapped_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    sent_at: Mapped[datetime | None] = mapped_column()
    recipient_count: Mapped[int] = mapped_column(default=0)

    blocks: Mapped[list["NewsletterBlock"]] = relationship(
        back_populates="newsletter", order_by="NewsletterBlock.position", cascade="all, delete-orphan")

    @property
    def buurt_ids(self) -> list[int]:
        return [int(part) for part in self.buurten.split() if part.isdigit()]

    @property
    def is_sent(self) -> bool:
        return self.status == NewsletterStatus.SENT

    def __repr__(self) -> str:
        return f"<Newsletter {self.id} nr={self.number} {self.status}>"


class NewsletterBlock(InWijk, db.Model):
    __tablename__ = "newsletter_blocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    newsletter_id: Mapped[int] = mapped_column(ForeignKey("newsletters.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(30))
    heading: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")

    newsletter: Mapped[Newsletter] = relationship(back_populates="blocks")


class NewsletterDelivery(InWijk, db.Model):
    __tablename__ = "newsletter_deliveries"
    __table_args__ = (
        UniqueConstraint("newsletter_id", "subscriber_id",
                         name="uq_newsletter_deliveries_newsletter_id_subscriber_id"),
        Index("ix_newsletter_deliveries_newsletter_id_outbox_id", "newsletter_id", "outbox_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsletter_id: Mapped[int] = mapped_column(ForeignKey("newsletters.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("newsletter_subscribers.id", ondelete="CASCADE"),
                                               index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
