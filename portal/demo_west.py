"""The demo's second wijk, West (``flask seed-demo``; see ``portal/demo.py``).

DESIGN.md ("Third wave", "Wijken in one install"): a wijk ``west`` on ``west.localhost`` with
its five themes (``create_wijk``), and in it one buurt (Lombok), one theme post, one circle
with its verbinder, one event and its moderator, ``moderator-west@example.org``, who takes
part in West only. Just enough to show, in the browser and in ``tests/test_wijk_isolation.py``,
that nothing of one wijk shows in the other.

Everything of West is made here, inside ``in_wijk(west)``, so every row gets West's
``district_id`` and every account West's participation. The post and the event are the
kind of thing Wijkplatform West works on (``shared/context/004_*``): its meetings "Ontmoeten
en verbinden", with cards on which residents write a question for the wijkplatform or the
gemeente.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.board.service import recount_themes
from portal.dates import local_today, to_utc
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import (
    Circle,
    District,
    Event,
    Membership,
    Neighbourhood,
    Post,
    PostKind,
    Registration,
    Reply,
    Role,
    Street,
    Support,
    Theme,
    User,
)
from portal.models.base import utcnow
from portal.models.circles import MemberRole
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk

SLUG, NAME, HOST = "west", "West", "west.localhost"

# The buurten of West; the demo fills one.
BUURT = ("lombok", "Lombok")

# key, name, email, role in West. Only the moderator is one of the demo accounts people sign
# in with (``DEMO_ACCOUNTS``); the others have the demo password as well.
ACCOUNTS = [
    ("moderator-west", "Ilse Hermans", "moderator-west@example.org", Role.MODERATOR),
    ("verbinder-west", "Joost Kramer", "joost.kramer@example.org", Role.RESIDENT),
    ("samira", "Samira Benali", "samira.benali@example.org", Role.RESIDENT),
    ("bram", "Bram Oosterhout", "bram.oosterhout@example.org", Role.RESIDENT),
]
DEMO_ACCOUNTS = ACCOUNTS[:1]  # printed by seed-demo beside the accounts of Vleuten-De Meern

CIRCLE = ("lombok-kanaalstraat", "Lombok Kanaalstraat", 52.0917, 5.1036, 300,
          ["Kanaalstraat", "Damstraat", "Bankastraat"],
          "Rond de Kanaalstraat en het Lombokplein, van de Vleutenseweg tot aan de Singel.")

POST_TITLE = "Meer ruimte om te lopen in de Kanaalstraat"
POST_TEXT = (
    "In de Kanaalstraat is de stoep smal en staan er fietsen, borden en kratten van de "
    "winkels. Met een rollator of een kinderwagen moet je vaak de straat op, tussen de "
    "bestelbusjes door.\n\n"
    "Mijn idee: laad- en lostijden alleen 's ochtends vroeg, fietsenrekken aan het "
    "Lombokplein, en de stoep vrij houden. Dan blijft de Kanaalstraat een fijne straat om "
    "boodschappen te doen."
)
REPLY = ("bram", "Goed idee. Op zaterdag kom je er met de boodschappenkar bijna niet door.")

EVENT_TITLE = "Wijkplatform West: ontmoeten en verbinden"
EVENT_TEXT = (
    "Het wijkplatform van West nodigt bewoners, bewonersgroepen en initiatiefnemers uit de "
    "buurten uit om elkaar te ontmoeten en te inspireren. Ook ambtenaren die in de wijk werken "
    "zijn er, van volksgezondheid tot veiligheid, om met u in gesprek te gaan.\n\n"
    "Op tafel liggen kaarten: schrijf er uw vraag op voor het wijkplatform of voor de gemeente."
)


@dataclass
class WestDemo:
    """What the West demo made, for tests and ``seed-demo``'s summary."""

    district: District
    users: dict[str, User] = field(default_factory=dict)
    neighbourhood: Neighbourhood | None = None
    post: Post | None = None
    circle: Circle | None = None
    event: Event | None = None


def seed(ctx: DemoContext) -> WestDemo:
    """Make the wijk West and its demo, in the caller's unit of work; returns what it made."""
    west = WestDemo(district=create_wijk(SLUG, NAME, HOST))
    with in_wijk(west.district):
        _accounts(ctx, west)
        west.neighbourhood = Neighbourhood(slug=BUURT[0], name=BUURT[1], district=west.district)
        db.session.add(west.neighbourhood)
        _circle(ctx, west)
        _post(west)
        _event(west)
        db.session.flush()
        recount_themes()
    ctx.west = west
    return west


def _accounts(ctx: DemoContext, west: WestDemo) -> None:
    password_hash = ctx.users["bewoner"].password_hash  # the demo password, hashed once
    for key, name, email, role in ACCOUNTS:
        user = User(name=name, email=email, password_hash=password_hash, role=role, trusted=True)
        west.users[key] = user
    db.session.add_all(west.users.values())
    db.session.flush()


def _circle(ctx: DemoContext, west: WestDemo) -> None:
    slug, name, lat, lon, radius, streets, description = CIRCLE
    west.circle = Circle(slug=slug, name=name, neighbourhood=west.neighbourhood, latitude=lat, longitude=lon,
                         radius_m=radius, description=description, streets=[Street(name=s) for s in streets])
    db.session.add(west.circle)
    now = utcnow()
    for key, role in (("verbinder-west", MemberRole.CONNECTOR), ("samira", MemberRole.MEMBER),
                      ("bram", MemberRole.MEMBER)):
        since = now - timedelta(days=ctx.rng.randint(40, 400))
        db.session.add(Membership(user=west.users[key], circle=west.circle, role=role, since=since))


def _post(west: WestDemo) -> None:
    verkeer = db.session.scalar(select(Theme).where(Theme.slug == "verkeer"))
    created = utcnow() - timedelta(days=4, hours=2)
    west.post = Post(theme=verkeer, author=west.users["samira"], neighbourhood=west.neighbourhood,
                     kind=PostKind.IDEA, title=POST_TITLE, body=POST_TEXT, created_at=created)
    author, text = REPLY
    db.session.add_all([
        west.post,
        Reply(post=west.post, author=west.users[author], body=text, created_at=created + timedelta(hours=5)),
        Support(post=west.post, user=west.users["bram"]),
        Support(post=west.post, user=west.users["verbinder-west"]),
    ])
    west.post.reply_count, west.post.support_count = 1, 2


def _event(west: WestDemo) -> None:
    day = local_today(utcnow()) + timedelta(days=24)
    starts = datetime.combine(day, time(19, 30))
    west.event = Event(
        title=EVENT_TITLE, description=EVENT_TEXT, starts_at=to_utc(starts),
        ends_at=to_utc(starts + timedelta(hours=2)), place_name="Buurthuis aan het Lombokplein",
        neighbourhood=west.neighbourhood, organiser=west.users["moderator-west"],
        organiser_name="Wijkplatform West", theme_name="relatie met de gemeente", capacity=40,
        registration_required=True,
    )
    db.session.add_all([west.event, Registration(event=west.event, user=west.users["samira"])])
