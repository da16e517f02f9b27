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


# --- Circles (buurtcirkels) -------------------------------------------------------------------

from datetime import timedelta  # noqa: E402
from functools import cache  # noqa: E402

from portal.circles import service as circle_service  # noqa: E402
from portal.models import Circle, District, HelpItem, Membership, Neighbourhood, Street  # noqa: E402
from portal.models.base import utcnow  # noqa: E402


@cache
def _password_hash() -> str:
    """Hashing is slow on purpose; circle tests make many people, all with PASSWORD."""
    user = User(name="x", email="x@example.org")
    user.set_password(PASSWORD)
    return user.password_hash


def make_neighbourhood(name: str = "Vleuten") -> Neighbourhood:
    slug = name.lower().replace(" ", "-")
    existing = db.session.scalar(db.select(Neighbourhood).where(Neighbourhood.slug == slug))
    if existing:
        return existing
    district = db.session.scalar(db.select(District))
    district = district or District(slug="vleuten-de-meern", name="Vleuten-De Meern")
    neighbourhood = Neighbourhood(slug=slug, name=name, district=district)
    db.session.add(neighbourhood)
    db.session.commit()
    return neighbourhood


def make_circle(name: str | None = None, streets=("Dorpsstraat",), neighbourhood: str = "Vleuten",
                latitude: float = 52.1079, longitude: float = 5.0127, radius_m: int = 300,
                contact_line: str = "") -> Circle:
    n = next(_counter)
    name = name or f"Cirkel {n}"
    circle = Circle(
        slug=f"{name.lower().replace(' ', '-')}-{n}", name=name,
        neighbourhood=make_neighbourhood(neighbourhood),
        latitude=latitude, longitude=longitude, radius_m=radius_m, contact_line=contact_line,
        streets=[Street(name=street) for street in streets],
    )
    db.session.add(circle)
    db.session.commit()
    return circle


def make_member(circle: Circle, role: str = "member", name: str | None = None, user_role: str = Role.RESIDENT,
                email: str | None = None) -> User:
    """A new person who belongs to ``circle`` (as "member" or "connector"); password PASSWORD."""
    n = next(_counter)
    user = User(name=name or f"Buur {n}", email=email or f"buur{n}@example.org", role=user_role,
                trusted=True, password_hash=_password_hash())
    db.session.add(user)
    db.session.add(Membership(user=user, circle=circle, role=role))
    db.session.commit()
    return user


def make_help_item(circle: Circle, author: User, kind: str = "request", title: str = "Boodschappen doen",
                   category: str = "boodschappen", days_ago: int = 0,
                   on_behalf: tuple[str, str] | None = None, text: str = "") -> HelpItem:
    name, street = on_behalf or (None, None)
    item = circle_service.post_help_item(
        circle, author, kind=kind, category=category, title=title, text=text,
        on_behalf_name=name, on_behalf_street=street, at=utcnow() - timedelta(days=days_ago),
    )
    db.session.commit()
    return item
