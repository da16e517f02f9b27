"""Factories: make what a test needs in one line, with sensible defaults.

Each function commits, so the rows are there for the next request of the test client.
"""

import itertools

from portal.extensions import db
from portal.models import Role, User

PASSWORD = "wachtwoord-voor-tests"
_counter = itertools.count(1)


def make_user(name: str | None = None, email: str | None = None, role: str = Role.RESIDENT,
              trusted: bool = True, password: str = PASSWORD) -> User:
    n = next(_counter)
    user = User(name=name or f"Bewoner {n}", email=email or f"bewoner{n}@example.org",
                role=role, trusted=trusted)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


# ---- Agenda (events) ---------------------------------------------------------------------

def make_event(title: str = "Koffieochtend", starts_at=None, hours: float = 2, capacity: int | None = None,
               registration_required: bool = True, place_name: str = "De Pijler", **fields):
    """An event a week from now (``starts_at`` is naive UTC, as stored)."""
    from datetime import timedelta

    from portal.models import Event
    from portal.models.base import utcnow

    starts = starts_at or utcnow().replace(microsecond=0) + timedelta(days=7)
    event = Event(title=title, starts_at=starts, ends_at=starts + timedelta(hours=hours),
                  place_name=place_name, capacity=capacity,
                  registration_required=registration_required, **fields)
    db.session.add(event)
    db.session.commit()
    return event


def make_registration(event, user=None, status: str = "confirmed", guest_name: str = ""):
    from portal.models import Registration

    registration = Registration(event=event, user=user, status=status, guest_name=guest_name)
    db.session.add(registration)
    db.session.commit()
    return registration
