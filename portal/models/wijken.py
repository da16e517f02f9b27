"""Wijken and who takes part in each.

One install serves several wijken (``District``); each is found by the request's host
(``portal/wijken/hosts.py``) and everything that belongs to one carries its ``district_id``
(the ``InWijk`` mixin, ``portal/wijk.py``). An account is one per person for every wijk; what a
person is in a wijk (a role, trusted or blocked there) is their ``Participation`` in it.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import utcnow
from portal.wijk import InWijk

DEFAULT_ACCENT = "#0b4a8b"  # 8.6:1 on white, the portal's own link colour


class District(db.Model):
    """A wijk, such as Vleuten-De Meern or West, with what differs per wijk: its host names,
    the contact line, the gemeente's addresses, Signalen, the sender's name, colour and logo.
    An empty setting falls back to the install's own (``portal/config.py``)."""

    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # The host the wijk answers on ("west.wijkplatform.example"); ``aliases`` are other hosts,
    # separated by spaces, that redirect to it with a 301.
    host: Mapped[str] = mapped_column(String(253), unique=True)
    aliases: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    contact_line: Mapped[str] = mapped_column(String(300), default="", server_default="")
    gemeente_mail: Mapped[str] = mapped_column(Text, default="", server_default="")
    signalen_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    signalen_category: Mapped[str] = mapped_column(String(300), default="", server_default="")
    mail_from_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    accent_colour: Mapped[str] = mapped_column(String(7), default=DEFAULT_ACCENT,
                                               server_default=DEFAULT_ACCENT)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(  # noqa: F821
        back_populates="district", order_by="Neighbourhood.name"
    )

    @property
    def alias_list(self) -> list[str]:
        return self.aliases.split()

    def __repr__(self) -> str:
        return f"<District {self.slug}>"


class Role(StrEnum):
    """What a person is in a wijk (``Participation.role``); ``ADMIN`` is the platform admin,
    above the wijken (``User.platform_admin``), and counts as every role in every wijk."""

    RESIDENT = "resident"
    COORDINATOR = "coordinator"  # sets up circles and appoints verbinders (an admin hands it out)
    MODERATOR = "moderator"
    INFORMATIEPUNT = "informatiepunt"  # answers the wijkinformatiepunt's questions (portal/infopoint)
    REDACTEUR = "redacteur"  # composes and sends the wijkbrief (portal/newsletter)
    ADMIN = "admin"


class Participation(InWijk, db.Model):
    """A person's part in one wijk: their role there, and whether a moderator of that wijk
    trusts or blocked them. Made at sign-up, and when an account first signs in on another
    wijk's host (``portal/accounts/service.py``, ``take_part``)."""

    __tablename__ = "participations"
    __table_args__ = (
        UniqueConstraint("district_id", "user_id", name="uq_participations_district_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20), default=Role.RESIDENT)
    trusted: Mapped[bool] = mapped_column(default=False, server_default=false())
    blocked: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The person's last visit here (a signed-in page), written at most once an hour
    # (``portal/following/visits.py``): a digest is not sent to someone who saw it all.
    last_seen_at: Mapped[datetime | None] = mapped_column()

    user: Mapped["User"] = relationship(back_populates="participations")  # noqa: F821

    def __repr__(self) -> str:
        return f"<Participation of user {self.user_id} in wijk {self.district_id}: {self.role}>"
