"""Small pieces shared by the domain models."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC now; stored as UTC, shown in Europe/Amsterdam."""
    return datetime.now(UTC).replace(tzinfo=None)
