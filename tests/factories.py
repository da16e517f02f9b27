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
