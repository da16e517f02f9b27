"""A melding openbare ruimte: a signal a moderator sent to the gemeente's Signalen.

One row per post at most. It is written in the moderator's unit of work (nothing is sent
while they wait) and sent after the commit by ``flask sync-signalen``, with the outbox's
claim and back-off (``Retried``). Signalen's answer fills ``signal_id`` (its public id, a
UUID), ``reference`` (its ``_display``, such as "SIG-123"); the same command later reads the
public status (``state``: OPEN or CLOSED, ``state_text``: Signalen's own words for it).
"""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.accounts import User
from portal.models.base import Retried, utcnow
from portal.models.board import Post
from portal.wijk import InWijk

STATE_LABELS = {"OPEN": "In behandeling", "CLOSED": "Afgehandeld"}


class SignalenMelding(InWijk, Retried, db.Model):
    __tablename__ = "signalen_meldingen"
    __table_args__ = (
        Index("ix_signalen_meldingen_waiting", "sent_at", "failed_at", "next_attempt_at"),
        Index("ix_signalen_meldingen_state_synced", "state", "synced_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), unique=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # The reporter agreed that the gemeente may contact them: then their e-mail address and
    # phone number go with the melding, otherwise neither does.
    share_contact: Mapped[bool] = mapped_column(default=False)

    signal_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    reference: Mapped[str] = mapped_column(String(60), default="")
    state: Mapped[str] = mapped_column(String(20), default="")
    state_text: Mapped[str] = mapped_column(String(200), default="")
    synced_at: Mapped[datetime | None] = mapped_column()

    post: Mapped[Post] = relationship()
    sent_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> str:
        """Signalen's words for its public status, or ours when it gave none."""
        return self.state_text or STATE_LABELS.get(self.state, "Ontvangen")

    def __repr__(self) -> str:
        return f"<SignalenMelding {self.id} post={self.post_id} {self.reference or 'waiting'}>"
