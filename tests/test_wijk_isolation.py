"""Nothing of one wijk shows in another (issue 25, "Done when"; DESIGN.md, "Wijken in one
install"), on the demo data of ``seed-demo``: Vleuten-De Meern on ``localhost`` and West on
``west.localhost`` (``portal/demo_west.py``).

With the host of either wijk: the lists, search, the map, ``/agenda.ics``, ``/signalen.atom``,
the counts on ``/themas``, the moderation queue and log and the daily mail show only that
wijk's things; a crawl of every page reachable from ``/`` of both wijken, as a visitor, a
resident and the wijk's moderator, finds no title, name or text of the other wijk; a
moderator of one wijk gets a 403 or 404 on every moderation route of the other (both on the
other wijk's host and with the other wijk's ids on their own), and an address of a post,
circle, help item or event of one wijk answers 404 on the host of the other.

The needles are read from the database per wijk (``in_wijk``): every title, name and the
opening words of every text. A needle is found as a whole word (``Vleuten`` is not in
``Vleutenseweg``), case-sensitive, in the page's text with its entities undone.
"""

import functools
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from portal import demo, demo_west, kept
from portal.circles import service as circle_service
from portal.extensions import db
from portal.models import (
    Circle,
    Decision,
    District,
    Event,
    GroupMessage,
    HelpItem,
    HelpMessage,
    Inbreng,
    InbrengReply,
    Neighbourhood,
    OutboxMessage,
    Participation,
    Post,
    Reply,
    Review,
    SubjectType,
    Survey,
    Theme,
    User,
)
from portal.moderation import service as moderation_service
from portal.moderation import words
from portal.wijk import in_wijk
from tests.conftest import FIRST_WIJK, CSRFClient, login, theme_counts
from tests.crawl import every_answer

PASSWORD = "demo-wachtwoord"


class HostClient(CSRFClient):
    """A browser on one wijk's host: every address it asks is on ``host``, and its cookies
    are that host's (the test client keeps cookies per domain, as a browser does)."""

    host = "localhost"

    def open(self, *args, **kwargs):
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", f"http://{self.host}")
        return super().open(*args, **kwargs)


@dataclass
class Wijk:
    """One wijk of the demo, what is in it, and who to be there."""

    key: str
    id: int
    name: str
    host: str
    moderator: str  # the e-mail address of its moderator
    resident: str  # a resident who takes part there only
    texts: set[str] = field(default_factory=set, repr=False)  # titles, names, texts' opening words
    people: set[str] = field(default_factory=set, repr=False)  # who takes part here only
    own: list[str] = field(default_factory=list, repr=False)  # what a crawl of this wijk must find

    @property
    def needles(self) -> set[str]:
        return self.texts | self.people


@dataclass
class Demo:
    vdm: Wijk
    west: Wijk

    def other(self, wijk: Wijk) -> Wijk:
        return self.west if wijk is self.vdm else self.vdm

    def by_key(self, key: str) -> Wijk:
        return getattr(self, key)


def _opening(text: str, words_: int = 6) -> str:
    return " ".join((text or "").split()[:words_])


def _names_of_participants():
    """Who takes part in the current wijk; not the platform admin, who stands above the wijken
    (every role in each: West's log may offer her as a moderator)."""
    return (select(User.name).join(Participation, Participation.user_id == User.id)
            .where(User.platform_admin.is_(False)))


TITLES = (Post.title, Circle.name, Event.title, Neighbourhood.name, HelpItem.title, Survey.title)
TEXTS = (Post.body, Reply.body, Event.description, Circle.description, HelpItem.text, HelpMessage.text)


def _read_wijk(wijk: Wijk, other_id: int) -> None:
    """The wijk's needles: its titles and names, the opening words of its texts, and the
    people who take part in it and not in the other wijk."""
    with in_wijk(wijk.id):
        titles = [title for column in TITLES for title in db.session.scalars(select(column))]
        texts = [text for column in TEXTS for text in db.session.scalars(select(column))]
        people = set(db.session.scalars(_names_of_participants()))
    with in_wijk(other_id):
        elsewhere = set(db.session.scalars(_names_of_participants()))
    wijk.texts = {t for t in titles if t} | {_opening(t) for t in texts if len((t or "").split()) >= 4}
    wijk.texts = {t for t in wijk.texts if t not in _portals_own_words()}
    wijk.texts.add(wijk.name)
    wijk.people = people - elsewhere


@functools.cache
def _portals_own_words() -> str:
    """The templates and forms of the portal: what every wijk shows (a hint's example such as
    "Bijvoorbeeld: Koffieochtend voor buren") is no needle. They name no wijk (the templates'
    ``wijk_name()``), so the buurten and the wijk's name stay needles."""
    portal = Path(__file__).resolve().parent.parent / "portal"
    files = [*portal.rglob("templates/**/*.*"), *portal.rglob("forms.py")]
    return "\n".join(path.read_text() for path in files if path.is_file())


@pytest.fixture
def seeded(app) -> Demo:
    ctx = demo.seed(password=PASSWORD)
    db.session.commit()  # seed-demo commits; here the test does
    west = ctx.west.district
    found = Demo(
        vdm=Wijk("vdm", FIRST_WIJK, ctx.district.name, "localhost", moderator="moderator@example.org",
                 resident="bewoner@example.org"),
        west=Wijk("west", west.id, west.name, west.host, moderator="moderator-west@example.org",
                  resident="samira.benali@example.org"),
    )
    _read_wijk(found.vdm, found.west.id)
    _read_wijk(found.west, found.vdm.id)
    found.vdm.own = ["Zebrapad bij de bushalte aan de Europaweg", "Vleuten Dorp", "Repair café"]
    found.west.own = [demo_west.POST_TITLE, demo_west.CIRCLE[1], demo_west.EVENT_TITLE]
    return found


def client_on(app, wijk: Wijk, who: str | None = None) -> HostClient:
    """A browser on the wijk's host; signed in as ``who`` (an e-mail address) when given."""
    client = HostClient(app, app.response_class, use_cookies=True)
    client.host = wijk.host
    if who is not None:
        login(client, db.session.scalar(select(User).where(User.email == who)), PASSWORD)
    return client


def _words(text: str) -> str:
    return " ".join(html.unescape(text).split())


def found_needles(text: str, needles: set[str]) -> list[str]:
    """Each needle found in ``text``, with what stands around it."""
    plain = _words(text)
    found = []
    for needle in sorted(needles):
        match = re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", plain)
        if match:
            found.append(f"{needle!r} in …{plain[max(match.start() - 60, 0):match.end() + 30]}…")
    return found


def assert_nothing_of(other: Wijk, text: str, where: str, needles: set[str] | None = None) -> None:
    found = found_needles(text, other.needles if needles is None else needles)
    if found:
        pytest.fail(f"{other.name} shows at {where}:\n  " + "\n  ".join(found), pytrace=False)


# --- The demo's second wijk -------------------------------------------------------------------


def test_the_demo_has_a_second_wijk_west(seeded):
    """DESIGN.md: West on west.localhost, its five themes, one buurt, one theme post, one
    circle with a verbinder, one event, and its moderator, who takes part in West only."""
    west = db.session.scalar(select(District).where(District.slug == "west"))
    assert (west.name, west.host) == ("West", "west.localhost")
    moderator = db.session.scalar(select(User).where(User.email == "moderator-west@example.org"))
    parts = db.session.execute(select(Participation.district_id, Participation.role)
                               .where(Participation.user_id == moderator.id)
                               .execution_options(all_wijken=True)).all()
    assert parts == [(west.id, "moderator")]
    assert moderator.check_password(PASSWORD)
    with in_wijk(west):
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1
        assert [n.name for n in db.session.scalars(select(Neighbourhood))] == ["Lombok"]
        circle = db.session.scalar(select(Circle))
        assert [m.role for m in circle.memberships].count("connector") == 1
        assert db.session.scalar(select(func.count()).select_from(Event)) == 1
        assert moderator.is_moderator
    assert not moderator.is_moderator  # in Vleuten-De Meern a resident, and not even that


def test_seed_demo_names_the_accounts_of_both_wijken(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Accounts in Vleuten-De Meern (localhost):" in result.output
    assert "Accounts in West (west.localhost):\n  moderator-west@example.org" in result.output


def test_the_needles_are_there(seeded):
    """The crawl below looks for something real: each wijk's needles hold its post titles,
    circle names, events, buurten and people, and none of them is the other wijk's too."""
    vdm, west = seeded.vdm, seeded.west
    assert {"Lombok", "Lombok Kanaalstraat", demo_west.POST_TITLE, demo_west.EVENT_TITLE,
            "Ilse Hermans", "Joost Kramer", "Samira Benali", "West"} <= west.needles
    assert {"Vleuten", "De Meern", "Vleuten Dorp", "Zebrapad bij de bushalte aan de Europaweg",
            "Riet van Dijk", "Mehmet Yilmaz", "Daan de Vries", "Vleuten-De Meern"} <= vdm.needles
    assert not vdm.needles & west.needles


# --- Each page, as each person, shows only its own wijk --------------------------------------


@pytest.mark.parametrize("wijk_key", ["vdm", "west"])
@pytest.mark.parametrize("role", ["visitor", "resident", "moderator"])
def test_a_crawl_of_a_wijk_finds_nothing_of_the_other(app, seeded, wijk_key, role):
    wijk = seeded.by_key(wijk_key)
    other = seeded.other(wijk)
    who = {"visitor": None, "resident": wijk.resident, "moderator": wijk.moderator}[role]
    client = client_on(app, wijk, who)
    answers = every_answer(client, "/")
    assert len(answers) > 20
    broken = [(a.path, a.status) for a in answers if a.status == 404 or a.status >= 500]
    assert not broken, f"links to addresses that are not there (in {wijk.name}): {broken}"
    leaks = [f"{answer.path}: {found}" for answer in answers
             if answer.text and (found := found_needles(answer.text, other.needles))]
    if leaks:
        pytest.fail(f"{other.name} shows in {wijk.name} ({role}):\n" + "\n".join(leaks), pytrace=False)
    everything = " ".join(_words(a.text) for a in answers)
    assert all(own in everything for own in wijk.own), "the crawl did not reach the wijk's own things"


# --- Lists, search, the map, the feeds, the counts ----------------------------------------------


def test_search_finds_only_this_wijks_posts_and_circles(app, seeded):
    vdm, west = client_on(app, seeded.vdm), client_on(app, seeded.west)
    on_west = west.get("/zoeken?q=Kanaalstraat").get_data(as_text=True)
    assert demo_west.POST_TITLE in on_west
    assert demo_west.POST_TITLE not in vdm.get("/zoeken?q=Kanaalstraat").get_data(as_text=True)
    for query in ("Pijler", "Europaweg", "Vleuten", "zebrapad", "Dorpsstraat"):
        page = west.get(f"/zoeken?q={query}").get_data(as_text=True).replace(query, "")  # the query, echoed
        assert_nothing_of(seeded.vdm, page, f"/zoeken?q={query} on {seeded.west.host}")
    assert "Zebrapad bij de bushalte aan de Europaweg" in vdm.get("/zoeken?q=zebrapad").get_data(as_text=True)
    for query in ("Lombok", "Kanaalstraat", "Damstraat", "rollator"):
        page = vdm.get(f"/zoeken?q={query}").get_data(as_text=True).replace(query, "")
        assert_nothing_of(seeded.west, page, f"/zoeken?q={query} on {seeded.vdm.host}")


@pytest.mark.parametrize("path", ["/cirkels", "/cirkels/kaart", "/cirkels?straat=Kanaalstraat",
                                  "/cirkels?straat=Dorpsstraat", "/themas/verkeer", "/signalen", "/agenda",
                                  "/agenda/afdrukken", "/peilingen", "/"])
def test_lists_and_the_map_show_only_this_wijk(app, seeded, path):
    for wijk in (seeded.vdm, seeded.west):
        page = client_on(app, wijk).get(path)
        assert page.status_code == 200, (wijk.host, path)
        assert_nothing_of(seeded.other(wijk), page.get_data(as_text=True), f"{path} on {wijk.host}")


def test_the_map_shows_this_wijks_circles(app, seeded):
    west_map = client_on(app, seeded.west).get("/cirkels/kaart").get_data(as_text=True)
    vdm_map = client_on(app, seeded.vdm).get("/cirkels/kaart").get_data(as_text=True)
    assert "Lombok Kanaalstraat" in west_map and "Vleuten Dorp" not in west_map
    assert "Vleuten Dorp" in vdm_map and "Lombok Kanaalstraat" not in vdm_map


def test_the_agenda_feed_holds_only_this_wijks_events(app, seeded):
    west = client_on(app, seeded.west).get("/agenda.ics").get_data(as_text=True)
    vdm = client_on(app, seeded.vdm).get("/agenda.ics").get_data(as_text=True)
    unfolded_west, unfolded_vdm = west.replace("\r\n ", ""), vdm.replace("\r\n ", "")
    assert demo_west.EVENT_TITLE in unfolded_west and "Repair café" not in unfolded_west
    assert "Repair café" in unfolded_vdm and demo_west.EVENT_TITLE not in unfolded_vdm
    assert_nothing_of(seeded.vdm, unfolded_west, "/agenda.ics on west.localhost")
    assert_nothing_of(seeded.west, unfolded_vdm, "/agenda.ics on localhost")
    assert "X-WR-CALNAME:Agenda West" in unfolded_west
    assert "X-WR-CALNAME:Agenda Vleuten-De Meern" in unfolded_vdm


def test_an_event_of_one_wijk_as_a_calendar_file_is_not_on_the_other(app, seeded):
    with in_wijk(seeded.west.id):
        west_event = db.session.scalar(select(Event.id))
    assert client_on(app, seeded.vdm).get(f"/agenda/{west_event}.ics").status_code == 404
    ics = client_on(app, seeded.west).get(f"/agenda/{west_event}.ics").get_data(as_text=True)
    assert "Vleuten" not in ics


def test_the_signals_feed_holds_only_this_wijks_signals(app, seeded):
    vdm = client_on(app, seeded.vdm).get("/signalen.atom").get_data(as_text=True)
    west = client_on(app, seeded.west).get("/signalen.atom").get_data(as_text=True)
    assert "Gevaarlijke oversteek Europaweg bij de school" in vdm
    assert_nothing_of(seeded.vdm, west, "/signalen.atom on west.localhost")
    assert_nothing_of(seeded.west, vdm, "/signalen.atom on localhost")


def test_the_theme_counts_are_this_wijks(app, seeded):
    west = theme_counts(client_on(app, seeded.west))
    assert west == {"verkeer": 1, "groen": 0, "sociale-cohesie": 0, "activiteiten-en-voorzieningen": 0,
                    "relatie-met-de-gemeente": 0}
    vdm = theme_counts(client_on(app, seeded.vdm))
    with in_wijk(seeded.vdm.id):
        published = db.session.scalar(select(func.count()).select_from(Post).join(Post.theme)
                                      .where(Post.status == "published", Theme.slug == "verkeer"))
    assert vdm["verkeer"] == published


# --- Moderation -----------------------------------------------------------------------------


def _report_the_west_post(seeded) -> None:
    """Something in West's queue too: Bram reports Samira's idea."""
    with in_wijk(seeded.west.id):
        post = db.session.scalar(select(Post))
        bram = db.session.scalar(select(User).where(User.email == "bram.oosterhout@example.org"))
        moderation_service.report(post, bram, "spam", "Dit lijkt op reclame.")
        db.session.commit()


def test_the_moderation_queue_and_log_show_only_this_wijk(app, seeded):
    _report_the_west_post(seeded)
    vdm = client_on(app, seeded.vdm, seeded.vdm.moderator)
    west = client_on(app, seeded.west, seeded.west.moderator)
    vdm_queue = vdm.get("/moderatie").get_data(as_text=True)
    west_queue = west.get("/moderatie").get_data(as_text=True)
    assert "Een ruilkast bij De Pijler" in vdm_queue and demo_west.POST_TITLE not in vdm_queue
    assert demo_west.POST_TITLE in west_queue and "Een ruilkast bij De Pijler" not in west_queue
    for path in ("/moderatie", "/moderatie/logboek", "/moderatie/mensen", "/moderatie/mensen?soort=nieuw"):
        assert_nothing_of(seeded.vdm, west.get(path).get_data(as_text=True), f"{path} on west.localhost")
        assert_nothing_of(seeded.west, vdm.get(path).get_data(as_text=True), f"{path} on localhost")
    assert "Daan de Vries" in vdm.get("/moderatie/logboek").get_data(as_text=True)


def _ids_of(wijk: Wijk) -> dict[SubjectType, list[int]]:
    """A few things of every kind moderation decides on, in ``wijk``: what waits in its queue
    first, and accounts of people who take part there only."""
    with in_wijk(wijk.id):
        waiting = db.session.scalars(select(Review).where(Review.is_open.is_(True))).all()
        ids = {
            SubjectType.POST: [r.post_id for r in waiting if r.post_id] + list(
                db.session.scalars(select(Post.id).order_by(Post.id).limit(2))),
            SubjectType.REPLY: [r.reply_id for r in waiting if r.reply_id] + list(
                db.session.scalars(select(Reply.id).order_by(Reply.id).limit(2))),
            SubjectType.HELP: [r.help_item_id for r in waiting if r.help_item_id] + list(
                db.session.scalars(select(HelpItem.id).order_by(HelpItem.id).limit(2))),
            SubjectType.HELP_MESSAGE: list(db.session.scalars(select(HelpMessage.id).order_by(HelpMessage.id)
                                                              .limit(2))),
            SubjectType.GROUP_MESSAGE: list(db.session.scalars(
                select(GroupMessage.id).order_by(GroupMessage.id).limit(2))),
            SubjectType.INBRENG: list(db.session.scalars(select(Inbreng.id).order_by(Inbreng.id).limit(2))),
            SubjectType.INBRENG_REPLY: list(db.session.scalars(
                select(InbrengReply.id).order_by(InbrengReply.id).limit(2))),
        }
        people = db.session.scalars(select(User).join(Participation, Participation.user_id == User.id)
                                    .where(User.platform_admin.is_(False)).order_by(User.id)).all()
    only_here = [p for p in people if p.name in wijk.people]
    contract = [p.id for p in only_here if p.email in (wijk.moderator, wijk.resident)]
    ids[SubjectType.ACCOUNT] = contract + [p.id for p in only_here if p.id not in contract][:2]
    return {kind: list(dict.fromkeys(found))[:4] for kind, found in ids.items()}


def moderation_addresses(app, ids: dict[SubjectType, list[int]]) -> list[tuple[str, str]]:
    """(method, path) of every moderation route, filled with ``ids``: every kind of subject
    with each of its verdicts. A route with arguments this does not know fails the test."""
    addresses = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("moderation."):
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        assert rule.arguments <= {"type_slug", "subject_id", "verdict_slug"}, f"fill in {rule}"
        if not rule.arguments:
            paths = [app.url_map.bind("localhost").build(rule.endpoint, {})]
        else:
            paths = []
            for type_slug, subject_type in words.SUBJECT_BY_SLUG.items():
                account = subject_type == SubjectType.ACCOUNT
                for verdict in words.ACCOUNT_VERDICTS if account else words.CONTENT_VERDICTS:
                    for subject_id in ids[subject_type]:
                        paths.append(app.url_map.bind("localhost").build(rule.endpoint, {
                            "type_slug": type_slug, "subject_id": subject_id,
                            "verdict_slug": words.SLUG_BY_VERDICT[verdict]}))
        addresses += [(method, path) for path in paths for method in methods]
    return addresses


def _what_moderation_changed() -> list:
    """What a decision changes, in every wijk: the log, the roles and the states."""
    statements = [
        select(func.count()).select_from(Decision),
        select(Participation.user_id, Participation.district_id, Participation.role, Participation.trusted,
               Participation.blocked).order_by(Participation.id),
        select(Post.id, Post.status).order_by(Post.id),
        select(Reply.id, Reply.status).order_by(Reply.id),
        select(HelpItem.id, HelpItem.moderation).order_by(HelpItem.id),
        select(HelpMessage.id, HelpMessage.moderation).order_by(HelpMessage.id),
        select(Inbreng.id, Inbreng.status).order_by(Inbreng.id),
        select(InbrengReply.id, InbrengReply.status).order_by(InbrengReply.id),
    ]
    return [db.session.execute(query.execution_options(all_wijken=True)).all() for query in statements]


@pytest.mark.parametrize("moderator_of", ["west", "vdm"])
def test_a_moderator_of_one_wijk_cannot_moderate_the_other(app, seeded, moderator_of):
    """On the other wijk's host every moderation route answers 403 or 404; on their own host
    the routes with the other wijk's ids answer 404. Nothing changes."""
    _report_the_west_post(seeded)
    own = seeded.by_key(moderator_of)
    other = seeded.other(own)
    addresses = moderation_addresses(app, _ids_of(other))
    assert len(addresses) > 50
    on_their_host = client_on(app, other, own.moderator)
    on_own_host = client_on(app, own, own.moderator)
    before = _what_moderation_changed()
    wrong = []

    def ask(client, method, path):
        if method == "POST":
            return client.post(path, data={"reason": "Geen reden."}).status_code
        return client.get(path).status_code

    for method, path in addresses:
        status = ask(on_their_host, method, path)
        if status not in (403, 404):
            wrong.append((other.host, method, path, status))
        if path.count("/") < 4:
            continue  # the queue, the log and the people: on their own host their own wijk's
        status = ask(on_own_host, method, path)
        if status != 404:
            wrong.append((own.host, method, path, status))
    assert not wrong, wrong
    assert _what_moderation_changed() == before


def test_a_coordinator_finds_nobody_of_another_wijk_by_id(app, seeded):
    """Removing a verbinder by id: someone who takes no part in this wijk is not found (their
    name is not told either)."""
    with in_wijk(seeded.vdm.id):
        sonja = db.session.scalar(select(User).where(User.email == "verbinder@example.org"))
    platform_admin = client_on(app, seeded.west, "beheer@example.org")  # a coordinator in every wijk
    answer = platform_admin.post(f"/beheer/cirkels/lombok-kanaalstraat/verbinders/{sonja.id}/verwijderen")
    assert answer.status_code == 404 and sonja.name not in answer.get_data(as_text=True)
    assert sonja.name not in platform_admin.get("/beheer/cirkels/lombok-kanaalstraat").get_data(as_text=True)


# --- Addresses of one wijk on the host of the other -----------------------------------------


def _addresses_of(wijk: Wijk) -> list[str]:
    with in_wijk(wijk.id):
        posts = db.session.scalars(select(Post.id).order_by(Post.id).limit(3)).all()
        replies = db.session.scalars(select(Reply.id).order_by(Reply.id).limit(2)).all()
        circles = db.session.scalars(select(Circle.slug)).all()
        events = db.session.scalars(select(Event.id).order_by(Event.id).limit(3)).all()
        items = db.session.scalars(select(HelpItem.id).order_by(HelpItem.id).limit(3)).all()
        surveys = db.session.scalars(select(Survey.id).order_by(Survey.id).limit(2)).all()
    return ([f"/berichten/{i}" for i in posts] + [f"/berichten/{i}/melden" for i in posts]
            + [f"/reacties/{i}/melden" for i in replies]
            + [f"/cirkels/{s}" for s in circles] + [f"/cirkels/{s}/flyer" for s in circles]
            + [f"/agenda/{i}" for i in events] + [f"/agenda/{i}.ics" for i in events]
            + [f"/hulp/{i}" for i in items] + [f"/peilingen/{i}" for i in surveys]
            + [f"/peilingen/{i}/uitslag" for i in surveys])


@pytest.mark.parametrize("who", [None, "moderator"])
def test_an_address_of_one_wijk_is_not_found_on_the_other(app, seeded, who):
    with in_wijk(seeded.west.id):  # West gets a help item too, so /hulp/<id> is asked both ways
        circle = db.session.scalar(select(Circle))
        samira = db.session.scalar(select(User).where(User.email == "samira.benali@example.org"))
        circle_service.post_help_item(circle, samira, kind="request", category="boodschappen",
                                      title="Boodschappen van de markt", text="", wanted_when="zaterdag")
        db.session.commit()
    for wijk in (seeded.vdm, seeded.west):
        other = seeded.other(wijk)
        client = client_on(app, other, other.moderator if who else None)
        own_client = client_on(app, wijk)
        for path in _addresses_of(wijk):
            if who is None and (path.endswith("/melden") or path.startswith("/hulp/")):
                continue  # a visitor is asked to sign in first
            assert own_client.get(path).status_code in (200, 302, 403), (wijk.host, path)
            assert client.get(path).status_code == 404, (other.host, path)


# --- Mail --------------------------------------------------------------------------------------


def test_the_daily_mail_of_a_wijk_holds_only_its_own_things(app, seeded):
    """A resident who lives on the border takes part in both wijken (a member of a circle in
    each); new help items in both circles: her mail from Vleuten-De Meern holds only its item,
    her mail from West only West's, and nobody's mail from one wijk names the other's."""
    riet = db.session.scalar(select(User).where(User.email == "bewoner@example.org"))
    with in_wijk(seeded.west.id):
        west_circle = db.session.scalar(select(Circle))
        riet.part_here().trusted = True  # she takes part in West too (a participation there)
        assert circle_service.join_circle(riet, west_circle) is None  # she left no circle of West
        joost = db.session.scalar(select(User).where(User.email == "joost.kramer@example.org"))
        circle_service.post_help_item(west_circle, joost, kind="request", category="klusjes",
                                      title="Fietsen naar de Kanaalstraat", text="Wie fietst mee?",
                                      wanted_when="zaterdag")
        db.session.commit()
    with in_wijk(seeded.vdm.id):
        vdm_circle = db.session.scalar(select(Circle).where(Circle.slug == "vleuten-dorp"))
        kees = db.session.scalar(select(User).where(User.email == "kees.van.der.linden@example.org"))
        circle_service.post_help_item(vdm_circle, kees, kind="offer", category="klusjes",
                                      title="Gereedschap te leen", text="Boormachine en trap.")
        db.session.commit()
    for district_id in (seeded.vdm.id, seeded.west.id):  # what seed-demo queued: not the daily mail
        with in_wijk(district_id):
            db.session.execute(delete(OutboxMessage))
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert "[west] hulpvragen: " in result.output and "[vleuten-de-meern] hulpvragen: " in result.output

    mails = db.session.execute(
        select(OutboxMessage.district_id, OutboxMessage.to_address, OutboxMessage.subject, OutboxMessage.text)
        .execution_options(all_wijken=True)).all()
    west_mail = [m for m in mails if m.district_id == seeded.west.id]
    vdm_mail = [m for m in mails if m.district_id == seeded.vdm.id]
    assert any("Fietsen naar de Kanaalstraat" in m.text for m in west_mail)
    assert any("Gereedschap te leen" in m.text for m in vdm_mail)
    to_riet = {m.district_id: m for m in mails if m.to_address == "bewoner@example.org"}
    assert set(to_riet) == {seeded.vdm.id, seeded.west.id}
    for mail in vdm_mail:
        text = f"{mail.subject}\n{mail.text}"
        assert "Fietsen naar de Kanaalstraat" not in text and "west.localhost" not in text
        assert_nothing_of(seeded.west, text, f"the mail of Vleuten-De Meern to {mail.to_address}")
    for mail in west_mail:
        text = f"{mail.subject}\n{mail.text}"
        assert "Gereedschap te leen" not in text
        assert_nothing_of(seeded.vdm, text, f"the mail of West to {mail.to_address}",
                          seeded.vdm.needles - {"Riet van Dijk"})  # her own name, in her mail


def test_the_kept_wijken_know_west(app, seeded):
    """The wijk of a host is read from a kept value, made again after seed-demo's commit."""
    assert {facts.host for facts in kept.wijken().by_id.values()} == {"localhost", "west.localhost"}

