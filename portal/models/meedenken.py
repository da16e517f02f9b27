"""Meedenken: residents think along on one of the gemeente's plans, from the first ideas to the
decision and back.

* A ``Traject`` is one plan: what and where, who decides and when, the gemeente's documents,
  and its phases with dates (``PHASES``: ophalen, advies, besluit, uitvoering). While
  ``ophalen`` runs (until ``ophalen_until``, Europe/Amsterdam, that whole day) residents give
  ``Inbreng``. The kerngroep (moderators) writes the ``advies`` from it, citing the inbreng it
  used (``Inbreng.cited``), and sends it once to the gemeente (``advies_sent_at``) with a
  signed link for the gemeente's reaction (``reactie``, ``besluit``). ``advies_told_at`` and
  ``reactie_told_at`` record that the participants were told, once each.
* ``Inbreng``: one contribution, possibly typed in *namens* a resident from paper
  (``on_behalf_name``), with steun (``InbrengSupport``, one per person; ``support_count`` kept
  with it) and its moderation state (``status``: a ``ContentStatus``), reported and hidden
  through ``portal/moderation`` like a post (``Review.inbreng_id``,
  ``portal/meedenken/moderated.py``). The kerngroep records what became of it (``outcome``:
  meegenomen, deels, niet, with ``outcome_reason``).
* ``InbrengReply``: a resident's reaction on one contribution while ``ophalen`` runs,
  moderated like a reply on the board (``Review.inbreng_reply_id``); ``Inbreng.reply_count``
  (its published replies) is kept in the same transaction as each reply that goes on or off
  line, as ``Post.reply_count`` is.
* A traject and each contribution may have a point on the map (``latitude``, ``longitude``).
* ``Maatregel``: a measure decided, with a status and a progress figure (0-100).

Peilingen (``surveys.traject_id``) and bijeenkomsten (``events.traject_id``) can belong to a
traject. Everything here belongs to one wijk (``InWijk``).
"""

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import utcnow
from portal.wijk import InWijk

PHASES = ("ophalen", "advies", "besluit", "uitvoering")
OUTCOMES = ("meegenomen", "deels", "niet")
MEASURE_STATUSES = ("gepland", "bezig", "klaar")


class Traject(InWijk, db.Model):
    __tablename__ = "trajecten"
    __table_args__ = (UniqueConstraint("district_id", "slug", name="uq_trajecten_district_id_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(160))
    plan: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    latitude: Mapped[float | None] = mapped_column(Float)  # where it is on the map (optional)
    longitude: Mapped[float | None] = mapped_column(Float)
    decider: Mapped[str] = mapped_column(String(200), default="")  # who decides and when
    documents: Mapped[str] = mapped_column(Text, default="")  # one link a line: "Titel https://..."
    phase: Mapped[str] = mapped_column(String(20), default="ophalen")
    ophalen_until: Mapped[date] = mapped_column(Date)
    advies_on: Mapped[date | None] = mapped_column(Date)
    besluit_on: Mapped[date | None] = mapped_column(Date)
    uitvoering_on: Mapped[date | None] = mapped_column(Date)
    advies: Mapped[str] = mapped_column(Text, default="")
    advies_published_at: Mapped[datetime | None]
    advies_sent_at: Mapped[datetime | None]
    advies_sent_to: Mapped[str] = mapped_column(Text, default="")
    advies_told_at: Mapped[datetime | None]
    reactie: Mapped[str] = mapped_column(Text, default="")
    besluit: Mapped[str] = mapped_column(Text, default="")
    reactie_at: Mapped[datetime | None]
    reactie_told_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    maatregelen: Mapped[list["Maatregel"]] = relationship(
        back_populates="traject", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Maatregel.id",
    )

    @property
    def document_links(self) -> list[tuple[str, str]]:
        """(title, url) of each line of ``documents``; a line without a title shows its url."""
        links = []
        for line in self.documents.splitlines():
            words = line.split()
            if not words:
                continue
            url = next((w for w in reversed(words) if w.startswith(("https://", "http://"))), None)
            if url is None:
                continue
            title = " ".join(w for w in words if w is not url).strip(" :-") or url
            links.append((title, url))
        return links

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.latitude is None or self.longitude is None else (self.latitude, self.longitude)

    def __repr__(self) -> str:
        return f"<Traject {self.slug}>"


class Inbreng(InWijk, db.Model):
    __tablename__ = "inbreng"
    __table_args__ = (
        Index("ix_inbreng_traject_id_status_created_at", "traject_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    traject_id: Mapped[int] = mapped_column(ForeignKey("trajecten.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    on_behalf_name: Mapped[str] = mapped_column(String(80), default="")
    theme: Mapped[str] = mapped_column(String(40), default="anders")
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="published")
    support_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0, server_default="0")  # published replies
    cited: Mapped[bool] = mapped_column(default=False)
    outcome: Mapped[str | None] = mapped_column(String(20))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float)  # a place on the map, if it helps
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    traject: Mapped[Traject] = relationship()
    author: Mapped[User] = relationship()

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.latitude is None or self.longitude is None else (self.latitude, self.longitude)

    @property
    def shown_name(self) -> str:
        return self.on_behalf_name or self.author.name


class InbrengSupport(InWijk, db.Model):
    """Steun: one per person per contribution."""

    __tablename__ = "inbreng_supports"
    __table_args__ = (
        UniqueConstraint("inbreng_id", "user_id", name="uq_inbreng_supports_inbreng_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inbreng_id: Mapped[int] = mapped_column(ForeignKey("inbreng.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InbrengReply(InWijk, db.Model):
    """A reaction on a contribution (``/meedenken/<slug>/inbreng/<id>``), moderated like a
    reply on the board: a new account's waits, residents report, moderators hide."""

    __tablename__ = "inbreng_replies"
    __table_args__ = (
        Index("ix_inbreng_replies_inbreng_id_status_created_at", "inbreng_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inbreng_id: Mapped[int] = mapped_column(ForeignKey("inbreng.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="published")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    inbreng: Mapped[Inbreng] = relationship()
    author: Mapped[User] = relationship()


class Maatregel(InWijk, db.Model):
    """A measure decided: its status and how far it is (0-100 %)."""

    __tablename__ = "maatregelen"

    id: Mapped[int] = mapped_column(primary_key=True)
    traject_id: Mapped[int] = mapped_column(ForeignKey("trajecten.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="gepland")
    progress: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    traject: Mapped[Traject] = relationship(back_populates="maatregelen")
