"""Demo data for ``flask seed-demo``: the real neighbourhoods of Vleuten-De Meern.

Places and the demo accounts are made here; each domain adds its own part in
``portal/<domain>/demo.py`` with a ``seed(ctx)`` function, called in the order below, and
``portal/demo_moderation.py`` the moderation story across them. What they share is the
``DemoContext`` (``portal/demo_context.py``), so no domain demo imports this module.

All of that is the default wijk, Vleuten-De Meern. Then ``portal/demo_west.py`` makes the
second wijk, West (``west.localhost``), with a little of everything and its own moderator.
"""

from portal import demo_moderation, demo_west
from portal.board import demo as board_demo
from portal.circles import demo as circles_demo
from portal.demo_context import DemoContext
from portal.events import demo as events_demo
from portal.extensions import db
from portal.groups import demo as groups_demo
from portal.infopoint import demo as infopoint_demo
from portal.meedenken import demo as meedenken_demo
from portal.models import District, Neighbourhood, Role, User
from portal.newsletter import demo as newsletter_demo
from portal.surveys import demo as surveys_demo
from portal.wijk import required_district_id

NEIGHBOURHOODS = [
    ("vleuten", "Vleuten"),
    ("de-meern", "De Meern"),
    ("vleuterweide", "Vleuterweide"),
    ("haarzuilens", "Haarzuilens"),
    ("veldhuizen", "Veldhuizen"),
    ("leeuwesteyn", "Leeuwesteyn"),
]

DEMO_ACCOUNTS = [
    # key, name, email, role
    ("bewoner", "Riet van Dijk", "bewoner@example.org", Role.RESIDENT),
    ("buiten", "Henk Verhoef", "buiten@example.org", Role.RESIDENT),
    ("verbinder", "Sonja Bakker", "verbinder@example.org", Role.RESIDENT),
    ("moderator", "Mehmet Yilmaz", "moderator@example.org", Role.MODERATOR),
    ("beheer", "Anneke de Graaf", "beheer@example.org", Role.ADMIN),
    ("buur", "Karin Smulders", "buur@example.org", Role.RESIDENT),
]


def accounts_by_wijk(ctx: DemoContext) -> list[tuple[str, str, list[str]]]:
    """What ``seed-demo`` prints: each wijk's name, host and the demo accounts to sign in with."""
    west = ctx.west.district
    return [(ctx.district.name, ctx.district.host, [email for _k, _n, email, _r in DEMO_ACCOUNTS]),
            (west.name, west.host, [email for _k, _n, email, _r in demo_west.DEMO_ACCOUNTS])]


def database_has_data() -> bool:
    return db.session.scalar(db.select(User.id).limit(1)) is not None


def seed(password: str, posts: int = 0) -> DemoContext:
    """Fill an empty database, in the caller's unit of work (``seed-demo`` commits it). The
    caller checks ``database_has_data`` first."""
    ctx = DemoContext(password=password, posts=posts)
    _seed_places(ctx)
    _seed_accounts(ctx)
    db.session.flush()
    for domain in (circles_demo, board_demo, events_demo, surveys_demo, infopoint_demo, groups_demo,
                   meedenken_demo, demo_moderation, newsletter_demo):
        domain.seed(ctx)
        db.session.flush()
    demo_west.seed(ctx)
    db.session.flush()
    return ctx


def _seed_places(ctx: DemoContext) -> None:
    ctx.district = db.session.get(District, required_district_id())  # made by the migrations
    for slug, name in NEIGHBOURHOODS:
        ctx.neighbourhoods[slug] = Neighbourhood(slug=slug, name=name, district=ctx.district)
    db.session.add_all(ctx.neighbourhoods.values())


def _seed_accounts(ctx: DemoContext) -> None:
    for key, name, email, role in DEMO_ACCOUNTS:
        user = User(name=name, email=email, role=role, trusted=True)
        user.set_password(ctx.password)
        ctx.users[key] = user
    db.session.add_all(ctx.users.values())
