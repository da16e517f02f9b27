"""Small pieces shared by the domain models."""

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """The time now in UTC, as a naive datetime: every column holds naive UTC (shown in
    Europe/Amsterdam by ``portal/dates.py``)."""
    return datetime.now(UTC).replace(tzinfo=None)


class ContentStatus(StrEnum):
    """Where a post, reply or help item stands for moderation; only published is public."""

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"


class Retried:
    """Columns of something sent after the commit, claimed by one sender at a time and tried
    again with back-off (``portal/outbox.py``): a mail, a melding to Signalen.

    ``claimed_until`` is set while one sender has it, so two senders never send it both;
    ``next_attempt_at`` moves on after a failure; ``sent_at`` or ``failed_at`` ends its trying.
    """

    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()
    failed_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(String(300), default="")
