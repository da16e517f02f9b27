"""What mail a person wants: one row per person, created when they first change a setting.

A person without a row gets the defaults below, so nobody needs a row to receive mail.

- ``help_items``: new help items in their circle — ``direct`` (at once), ``daily`` (one
  digest a day, the default) or ``never``. ``never`` also stops mail about responses to
  their own help items: it is the one switch for "mail about help items".
  ``last_digest_at`` records what the daily digest has covered (see ``portal/circles/mail.py``).
- ``event_reminders``: the reminder the day before an event they signed up for, and the
  message that a seat came free for them.
- ``moderation``: decisions of moderators about what they posted.
- ``post_updates``: each step of a signal they wrote or supported (and the gemeente's
  answer).
- ``digest``: how mail about what they follow (a theme, a group, a post: new posts, replies,
  news, the gemeente's answer) reaches them: ``direct``, ``dagelijks``, ``wekelijks`` (the
  default, on ``digest_weekday``) or ``nooit`` (``portal/following/``).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import Retried, utcnow
from portal.models.following import DigestPace
from portal.wijk import InWijk, required_district_id


class HelpItemMail(StrEnum):
    DIRECT = "direct"
    DAILY = "daily"
    NEVER = "never"


class NotificationPreference(InWijk, db.Model):
    """A person's mail settings in one wijk (a person in two wijken chooses for each)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), primary_key=True, index=True,
                                             default=required_district_id)
    help_items: Mapped[str] = mapped_column(String(10), default=HelpItemMail.DAILY)
    event_reminders: Mapped[bool] = mapped_column(default=True)
    moderation: Mapped[bool] = mapped_column(default=True)
    # The steps of a signal one wrote or supported, and the gemeente's answer to it.
    post_updates: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Until when the daily digest of new help items has covered this person's circle.
    last_digest_at: Mapped[datetime | None] = mapped_column()
    # Mail about what one follows (themes, groups, posts): ``DigestPace`` (direct, dagelijks,
    # wekelijks, nooit); weekly on ``digest_weekday`` (0 = Monday); ``digest_sent_at`` the
    # last digest (``portal/following/digest.py``).
    digest: Mapped[str] = mapped_column(String(10), default=DigestPace.WEEKLY,
                                        server_default=DigestPace.WEEKLY.value)
    digest_weekday: Mapped[int] = mapped_column(default=0, server_default="0")
    digest_sent_at: Mapped[datetime | None] = mapped_column()

    def __repr__(self) -> str:
        return f"<NotificationPreference user={self.user_id} {self.help_items}>"


class OutboxMessage(InWijk, Retried, db.Model):
    """One mail on its way: written in the same transaction as the change that causes it,
    sent after the commit by ``portal.outbox.send_waiting`` (``flask send-mail``). No page
    shows it, so writing one, claiming it or marking it sent empties no kept page
    (``quiet_writes``, ``portal/changes.py``).

    ``claimed_until`` is set while one sender has it, so two senders never send it both;
    ``next_attempt_at`` moves on after a failure (back-off); ``sent_at`` or ``failed_at``
    ends its life. Sent messages are removed after a while by ``flask purge``.
    """

    __tablename__ = "outbox"
    quiet_writes = frozenset({"insert", "update", "delete"})
    __table_args__ = (Index("ix_outbox_waiting", "sent_at", "failed_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(500))
    html: Mapped[str | None] = mapped_column(Text)  # an HTML alternative (the wijkbrief), if any

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} to={self.to_address} attempts={self.attempts}>"
