"""What mail a person wants: one row per person, created when they first change a setting.

A person without a row gets the defaults below, so nobody needs a row to receive mail.

- ``help_items``: new help items in their circle — ``direct`` (at once), ``daily`` (one
  digest a day, the default) or ``never``. ``never`` also stops mail about responses to
  their own help items: it is the one switch for "mail about help items".
  ``last_digest_at`` records what the daily digest has covered (see ``portal/circles/mail.py``).
- ``event_reminders``: the reminder the day before an event they signed up for, and the
  message that a seat came free for them.
- ``moderation``: decisions of moderators about what they posted.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class HelpItemMail(StrEnum):
    DIRECT = "direct"
    DAILY = "daily"
    NEVER = "never"


class NotificationPreference(db.Model):
    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    help_items: Mapped[str] = mapped_column(String(10), default=HelpItemMail.DAILY)
    event_reminders: Mapped[bool] = mapped_column(default=True)
    moderation: Mapped[bool] = mapped_column(default=True)
    # Until when the daily digest of new help items has covered this person's circle.
    last_digest_at: Mapped[datetime | None] = mapped_column()

    def __repr__(self) -> str:
        return f"<NotificationPreference user={self.user_id} {self.help_items}>"
