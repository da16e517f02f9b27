"""Small pieces shared by the domain models."""

from datetime import UTC, datetime
from enum import StrEnum


def utcnow() -> datetime:
    """The time now in UTC, as a naive datetime: every column holds naive UTC (shown in
    Europe/Amsterdam by ``portal/dates.py``)."""
    return datetime.now(UTC).replace(tzinfo=None)


class ContentStatus(StrEnum):
    """Where a post, reply or help item stands for moderation; only published is public."""

    PUBLISHED = "published"
    PENDING = "pending"
    HIDDEN = "hidden"
