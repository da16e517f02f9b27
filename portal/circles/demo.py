"""Demo data for the circles domain (see portal/demo.py): seven buurtcirkels in Vleuten,
De Meern, Vleuterweide and Haarzuilens, their members and connectors, and help items in
every status, some placed *namens* a neighbour without internet.

Contract (shared/DESIGN.md): bewoner is a member and verbinder the connector of the same
circle (Vleuten Dorp); buiten is a member of another one (De Meern Zandweg); buur is a plain
member of bewoner's circle, who helps bewoner (a promised request with a conversation).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from portal.circles import coordination, service
from portal.circles.forms import CONSENT_TEXT
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import Circle, Membership, OfflineNeighbour, Street, User
from portal.models.base import utcnow
from portal.models.circles import HelpStatus, MemberRole

# slug, name, neighbourhood, latitude, longitude, radius (m), streets, description
CIRCLES = [
    ("vleuten-dorp", "Vleuten Dorp", "vleuten", 52.1079, 5.0127, 350,
     ["Dorpsstraat", "Schoolstraat", "Hindersteinlaan"],
     "Rond de Dorpsstraat en de oude kerk. Veel buren wonen hier al lang en kennen elkaar."),
    ("vleuten-stationsbuurt", "Vleuten Stationsbuurt", "vleuten", 52.1046, 5.0078, 300,
     ["Stationsstraat", "Kruisweg", "Ridder van Catsweg"],
     "Tussen het station en de Dorpsstraat."),
    ("de-meern-zandweg", "De Meern Zandweg", "de-meern", 52.0822, 5.0322, 400,
     ["Zandweg", "Mereveldlaan", "Burgemeester Middelweerdstraat"],
     "Langs de Zandweg, van de Mereveldlaan tot aan de Burgemeester Middelweerdstraat."),
    ("de-meern-castellum", "De Meern Castellum", "de-meern", 52.0797, 5.0386, 300,
     ["Castellumlaan", "Meerndijk", "Rijnkade"],
     "Bij de oude Romeinse weg, langs de Meerndijk."),
    ("vleuterweide-midden", "Vleuterweide Midden", "vleuterweide", 52.0991, 5.0031, 350,
     ["Vleuterweidelaan", "Wegedoornstraat", "Lindeboomstraat"],
     "Rond de Vleuterweidelaan en het winkelcentrum."),
    ("vleuterweide-zuid", "Vleuterweide Zuid", "vleuterweide", 52.0957, 5.0068, 300,
     ["Zwanenvechtlaan", "Rietgrasweg", "Kalmoesplein"],
     "Het zuidelijke deel van Vleuterweide, bij het water."),
    ("haarzuilens-brink", "Haarzuilens Brink", "haarzuilens", 52.1212, 5.0014, 300,
     ["Brink", "Eikstraat", "Lindenlaan"],
     "Het dorp rond de Brink, vlak bij kasteel De Haar."),
]

# key, name, circle, role: generated residents next to the accounts of the contract
RESIDENTS = [
    ("joke", "Joke Vermeulen", "vleuten-dorp", MemberRole.MEMBER),
    ("kees", "Kees van der Linden", "vleuten-dorp", MemberRole.MEMBER),
    ("fatima", "Fatima El Amrani", "vleuten-dorp", MemberRole.MEMBER),
    ("wim", "Wim Hoogendoorn", "vleuten-dorp", MemberRole.MEMBER),
    ("hans", "Hans Mulder", "vleuten-stationsbuurt", MemberRole.CONNECTOR),
    ("sanne", "Sanne de Wit", "vleuten-stationsbuurt", MemberRole.MEMBER),
    ("ineke", "Ineke Janssen", "de-meern-zandweg", MemberRole.CONNECTOR),
    ("mohamed", "Mohamed Bouzid", "de-meern-zandweg", MemberRole.MEMBER),
    ("ans", "Ans Koster", "de-meern-zandweg", MemberRole.MEMBER),
    ("bas", "Bas Smit", "de-meern-castellum", MemberRole.CONNECTOR),
    ("linda", "Linda Peters", "de-meern-castellum", MemberRole.MEMBER),
    ("yvonne", "Yvonne Bos", "vleuterweide-midden", MemberRole.CONNECTOR),
    ("pieter", "Pieter van Leeuwen", "vleuterweide-midden", MemberRole.MEMBER),
    ("nadia", "Nadia Haddou", "vleuterweide-midden", MemberRole.MEMBER),
    ("tom", "Tom Visser", "vleuterweide-zuid", MemberRole.CONNECTOR),
    ("esther", "Esther Dekker", "vleuterweide-zuid", MemberRole.MEMBER),
    ("gerrit", "Gerrit van Rossum", "haarzuilens-brink", MemberRole.CONNECTOR),
    ("marja", "Marja Brouwer", "haarzuilens-brink", MemberRole.MEMBER),
]

CONTRACT_MEMBERS = [
    ("bewoner", "vleuten-dorp", MemberRole.MEMBER),
    ("verbinder", "vleuten-dorp", MemberRole.CONNECTOR),
    ("buiten", "de-meern-zandweg", MemberRole.MEMBER),
    ("buur", "vleuten-dorp", MemberRole.MEMBER),
]

# Neighbours without internet on a verbinder's list: circle, first name, street, phone, who asked
OFFLINE_NEIGHBOURS = [
    ("vleuten-dorp", "Gerda", "Schoolstraat", "030 666 12 34", "verbinder"),
    ("vleuten-dorp", "Mien", "Dorpsstraat", "030 666 43 21", "verbinder"),
    ("vleuten-stationsbuurt", "Jan", "Hindersteinlaan", "", "hans"),
]

# Streets where residents asked the coordinators for a circle
CIRCLE_REQUESTS = [("joke", "Hoge Woerd"), ("kees", "Hoge Woerd"), ("ans", "Rijnvliet")]

CONTACT_LINES = {
    "vleuten-dorp": "Bel Sonja, verbinder van Vleuten Dorp: 030 - 000 11 22 (liefst 's ochtends).",
    "haarzuilens-brink": "Loop binnen bij Gerrit op de Brink, of bel 030 - 000 33 44.",
}


@dataclass
class DemoItem:
    circle: str
    author: str
    kind: str
    category: str
    title: str
    text: str = ""
    when: str = ""
    days_ago: int = 1
    status: str = HelpStatus.OPEN
    responders: list[tuple[str, str]] = field(default_factory=list)
    helper: str | None = None
    on_behalf: tuple[str, str] | None = None
    messages: list[tuple[str, str]] = field(default_factory=list)  # the conversation: who, what


REQ, OFF = "request", "offer"
ITEMS = [
    DemoItem("vleuten-dorp", "bewoner", REQ, "boodschappen", "Boodschappen doen op dinsdag",
             "Ik kan zelf niet meer goed lopen. Wie neemt op dinsdag mijn boodschappen mee van de Jumbo?",
             "elke dinsdag", 2, responders=[("kees", "Ik kan dinsdagmiddag, ik ga er toch heen.")]),
    DemoItem("vleuten-dorp", "verbinder", REQ, "vervoer", "Vervoer naar de huisarts",
             "Gerda moet over twee weken naar de huisarts aan de Schoolstraat en kan niet fietsen.",
             "donderdag 10.00 uur", 9, on_behalf=("Gerda", "Schoolstraat")),
    DemoItem("vleuten-dorp", "bewoner", REQ, "vervoer", "Naar de fysiotherapeut",
             "Ik mag nog niet zelf rijden. Wie brengt mij naar de fysiotherapeut aan de Schoolstraat?",
             "vrijdag 10.30 uur", 3, HelpStatus.PROMISED,
             responders=[("buur", "Ik kan vrijdag, ik werk thuis.")], helper="buur",
             messages=[("bewoner", "Fijn, dank u wel! Kunt u om kwart over tien bij mij aanbellen?"),
                       ("buur", "Dat is goed. Ik sta om kwart over tien voor de deur.")]),
    DemoItem("vleuten-dorp", "joke", OFF, "gezelschap", "Samen koffie drinken",
             "Ik drink graag eens koffie met een buur. Bij mij of bij u thuis.", "doordeweeks 's middags", 5),
    DemoItem("vleuten-dorp", "wim", REQ, "klusjes", "Lamp ophangen in de gang",
             "Ik durf niet meer op de trap te staan.", "deze week", 6, HelpStatus.PROMISED,
             responders=[("kees", "Ik neem mijn boormachine mee.")], helper="kees"),
    DemoItem("vleuten-dorp", "bewoner", REQ, "tuin", "Heg knippen",
             "De heg aan de voorkant is te hoog geworden.", "", 20, HelpStatus.DONE,
             responders=[("fatima", "")], helper="fatima"),
    DemoItem("vleuten-dorp", "fatima", OFF, "computerhulp", "Hulp met de tablet",
             "Ik help graag met de tablet, WhatsApp of videobellen.", "zaterdag", 12),
    DemoItem("vleuten-dorp", "verbinder", REQ, "overig", "Post ophalen tijdens vakantie",
             "Jan is drie weken weg en zoekt iemand die de post binnenlegt.", "juli", 30,
             HelpStatus.LAPSED, on_behalf=("Jan", "Hindersteinlaan")),
    DemoItem("vleuten-dorp", "joke", REQ, "vervoer", "Mee naar de markt in De Meern",
             "Wie fietst of rijdt zaterdag mee naar de markt?", "zaterdagochtend", 4, HelpStatus.PROMISED,
             responders=[("wim", "Ik rijd, er is plek voor twee.")], helper="wim"),
    DemoItem("de-meern-zandweg", "buiten", REQ, "boodschappen", "Medicijnen ophalen bij de apotheek",
             "Mijn medicijnen liggen klaar bij de apotheek aan de Mereveldlaan.", "morgen", 1,
             responders=[("ans", "Ik kom er morgen langs.")]),
    DemoItem("de-meern-zandweg", "mohamed", OFF, "vervoer", "Ik rijd woensdag naar Utrecht Centraal",
             "Wie mee wil rijden: er zijn drie plekken.", "woensdag 9.00 uur", 3),
    DemoItem("de-meern-zandweg", "ans", REQ, "klusjes", "Fietsband plakken", "", "", 14, HelpStatus.DONE,
             responders=[("mohamed", "")], helper="mohamed"),
    DemoItem("de-meern-zandweg", "ineke", REQ, "gezelschap", "Wandelen langs de Leidsche Rijn",
             "Toos wandelt graag, maar niet meer alleen.", "een ochtend per week", 10,
             on_behalf=("Toos", "Mereveldlaan")),
    DemoItem("de-meern-castellum", "linda", REQ, "computerhulp", "Videobellen met mijn kleinkinderen",
             "Ik wil leren videobellen op mijn telefoon.", "", 4),
    DemoItem("de-meern-castellum", "bas", OFF, "klusjes", "Kleine klusjes in huis",
             "Een schilderij ophangen, een kraan die lekt: ik help graag.", "na 17.00 uur", 15),
    DemoItem("de-meern-castellum", "linda", REQ, "tuin", "Bladeren ruimen", "", "in de herfst", 40,
             HelpStatus.LAPSED),
    DemoItem("vleuterweide-midden", "pieter", REQ, "boodschappen", "Zware boodschappen naar boven",
             "Ik woon op de derde verdieping en de lift is vaak stuk.", "vrijdag", 3, HelpStatus.PROMISED,
             responders=[("nadia", "Dat doe ik graag.")], helper="nadia"),
    DemoItem("vleuterweide-midden", "nadia", OFF, "gezelschap", "Voorlezen",
             "Ik lees graag voor uit de krant of een boek.", "", 2),
    DemoItem("vleuterweide-midden", "yvonne", REQ, "vervoer", "Naar het ziekenhuis in Nieuwegein",
             "Cor heeft een afspraak in het Antonius en zoekt vervoer.", "maandag 14.00 uur", 18,
             HelpStatus.DONE, responders=[("pieter", "Ik breng hem.")], helper="pieter",
             on_behalf=("Cor", "Wegedoornstraat")),
    DemoItem("vleuterweide-zuid", "esther", REQ, "klusjes", "Gordijnrail vastzetten",
             "De rail is losgeraakt boven het raam.", "", 8),
    DemoItem("vleuterweide-zuid", "tom", OFF, "computerhulp", "Uitleg over DigiD",
             "Ik leg rustig uit hoe DigiD werkt.", "", 5),
    DemoItem("haarzuilens-brink", "marja", REQ, "vervoer", "Naar de bijeenkomst in De Pijler",
             "Wie rijdt mee naar de Wijkalliantie-bijeenkomst in De Pijler?", "dinsdag 15.00 uur", 1,
             responders=[("gerrit", "Ik rijd, ik haal u om kwart over drie op.")]),
    DemoItem("haarzuilens-brink", "gerrit", OFF, "tuin", "Groente uit eigen moestuin",
             "Ik heb te veel courgettes en bonen. Kom gerust langs.", "", 6),
    DemoItem("haarzuilens-brink", "marja", REQ, "gezelschap", "Kaartmiddag", "", "", 25, HelpStatus.DONE,
             responders=[("gerrit", "")], helper="gerrit"),
    DemoItem("vleuten-stationsbuurt", "sanne", REQ, "boodschappen", "Boodschappen na mijn operatie",
             "Ik mag zes weken niet tillen.", "de komende weken", 6),
    DemoItem("vleuten-stationsbuurt", "hans", OFF, "vervoer", "Rijden naar de dagbesteding", "", "", 35,
             HelpStatus.LAPSED),
]


def seed(ctx: DemoContext) -> None:
    circles = _seed_circles(ctx)
    people = {**ctx.users, **_seed_residents(ctx)}
    _seed_memberships(ctx, circles, people)
    db.session.flush()
    neighbours = _seed_offline_neighbours(circles, people)
    for demo_item in ITEMS:
        _seed_item(circles, people, demo_item, neighbours)
    for key, street in CIRCLE_REQUESTS:
        coordination.request_circle(people[key], street)


def _seed_offline_neighbours(circles, people) -> dict[tuple[str, str], OfflineNeighbour]:
    """{(circle slug, first name): neighbour}, consent asked by the circle's verbinder."""
    return {
        (slug, name): coordination.add_offline_neighbour(circles[slug], people[asked_by], name, street, phone,
                                                       CONSENT_TEXT)
        for slug, name, street, phone, asked_by in OFFLINE_NEIGHBOURS
    }


def _seed_circles(ctx: DemoContext) -> dict[str, Circle]:
    circles = {}
    for slug, name, neighbourhood, lat, lon, radius, streets, description in CIRCLES:
        circles[slug] = Circle(
            slug=slug, name=name, neighbourhood=ctx.neighbourhoods[neighbourhood], latitude=lat,
            longitude=lon, radius_m=radius, description=description,
            contact_line=CONTACT_LINES.get(slug, ""), streets=[Street(name=s) for s in streets],
        )
    db.session.add_all(circles.values())
    return circles


def _seed_residents(ctx: DemoContext) -> dict[str, User]:
    """More neighbours, with the demo password (one hash, computed once: hashing is slow)."""
    password_hash = ctx.users["bewoner"].password_hash
    residents = {}
    for key, name, _circle, _role in RESIDENTS:
        email = name.lower().replace(" ", ".") + "@example.org"
        residents[key] = User(name=name, email=email, password_hash=password_hash, trusted=True)
    db.session.add_all(residents.values())
    return residents


def _seed_memberships(ctx: DemoContext, circles: dict[str, Circle], people: dict[str, User]) -> None:
    now = utcnow()
    for key, slug, role in CONTRACT_MEMBERS + [(k, c, r) for k, _n, c, r in RESIDENTS]:
        since = now - timedelta(days=ctx.rng.randint(40, 400))
        db.session.add(Membership(user=people[key], circle=circles[slug], role=role, since=since))


def _seed_item(circles: dict[str, Circle], people: dict[str, User], demo: DemoItem, neighbours) -> None:
    posted = utcnow() - timedelta(days=demo.days_ago, hours=3)
    name, street = demo.on_behalf or (None, None)
    item = service.post_help_item(
        circles[demo.circle], people[demo.author], kind=demo.kind, category=demo.category,
        title=demo.title, text=demo.text, wanted_when=demo.when, on_behalf_name=name,
        on_behalf_street=street, on_behalf_of=neighbours.get((demo.circle, name)), at=posted,
    )
    for n, (key, message) in enumerate(demo.responders, start=1):
        service.respond(item, people[key], message, at=posted + timedelta(hours=2 * n))
    later = posted + timedelta(hours=2 * len(demo.responders) + 1)
    if demo.status in (HelpStatus.PROMISED, HelpStatus.DONE):
        helper = people[demo.helper] if demo.helper else None
        service.change_status(item, HelpStatus.PROMISED, people[demo.author], helper=helper, at=later)
    for n, (key, text) in enumerate(demo.messages, start=1):
        service.post_message(item, people[key], text, at=later + timedelta(hours=n))
    if demo.status in (HelpStatus.DONE, HelpStatus.LAPSED):
        service.change_status(item, demo.status, people[demo.author], at=later + timedelta(days=1))
