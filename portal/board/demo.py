"""Demo data for the board (see portal/demo.py): posts per theme with replies and steun,
signals in different states, and ``--posts N`` extra posts inserted in bulk."""

from datetime import timedelta

from sqlalchemy import insert, select

from portal.board.search import search_index_paused
from portal.board.service import recount_themes
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import (
    Follow,
    FollowKind,
    MunicipalStatus,
    Post,
    PostKind,
    Reply,
    SignalPhase,
    Support,
    Theme,
    User,
)
from portal.models.base import utcnow

# Residents who take part on the board besides the five demo accounts. Same names and
# addresses as the neighbours of the circles demo, so each is one person across the portal.
RESIDENTS = [
    ("fatima", "Fatima El Amrani"),
    ("kees", "Kees van der Linden"),
    ("marja", "Marja Brouwer"),
    ("mohamed", "Mohamed Bouzid"),
    ("wim", "Wim Hoogendoorn"),
    ("ineke", "Ineke Janssen"),
]

IDEA, QUESTION = PostKind.IDEA, PostKind.QUESTION

# theme, kind, author, buurt, days ago, title, text, [(reply author, reply)], supporters
POSTS = [
    ("verkeer", IDEA, "bewoner", "vleuten", 3, "Zebrapad bij de bushalte aan de Europaweg",
     "Bij de bushalte aan de Europaweg steken veel ouderen en schoolkinderen over. Er is geen "
     "zebrapad en de auto's rijden er hard.\n\nMijn idee: een zebrapad met een middeneiland, "
     "zodat je in twee keer kunt oversteken.",
     [("buiten", "Goed idee. Ik sta daar elke ochtend met mijn kleinzoon en het is echt spannend."),
      ("kees", "Een middeneiland helpt ook fietsers die linksaf willen.")],
     ["buiten", "kees", "marja", "fatima", "verbinder"]),
    ("verkeer", QUESTION, "ineke", "de-meern", 6, "Wanneer is de Ringkade weer open voor fietsers?",
     "De Ringkade is al weken afgesloten voor werkzaamheden. Weet iemand wanneer we er weer "
     "langs kunnen fietsen? De omleiding is voor mij met de driewieler erg lang.",
     [("wim", "Op het bord bij de brug staat eind van de maand."),
      ("moderator", "Volgens de planning van de gemeente is het werk over drie weken klaar.")],
     ["wim", "bewoner"]),
    ("verkeer", IDEA, "kees", "vleuterweide", 11, "Meer fietsenrekken bij station Vleuten",
     "Bij station Vleuten staan de fietsen overal op de stoep. Met een rollator kom je er "
     "bijna niet langs. Meer rekken, of een bewaakte stalling, zou veel schelen.",
     [("marja", "Ook voor mensen met een kinderwagen is het lastig.")],
     ["marja", "mohamed", "ineke"]),
    ("verkeer", IDEA, "mohamed", "vleuten", 17, "Dertig kilometer per uur in de oude dorpskern",
     "In de smalle straten van de oude kern van Vleuten rijden auto's soms veel te hard. Een "
     "duidelijke 30-zone met drempels maakt het veiliger voor iedereen.",
     [], ["bewoner", "fatima"]),
    ("verkeer", QUESTION, "marja", "haarzuilens", 24, "Bus naar Haarzuilens op zondag?",
     "Rijdt er op zondag een bus naar Haarzuilens? Ik wil met mijn moeder naar Kasteel de "
     "Haar, maar zij kan niet meer fietsen.",
     [("verbinder", "Er is een buurtbus, maar niet op zondag. Vraag het in de buurtcirkel: "
                    "misschien kan iemand rijden.")],
     []),
    ("groen", IDEA, "fatima", "vleuterweide", 2, "Bankjes in de schaduw in Park Vleuterweide",
     "In Park Vleuterweide staan de bankjes allemaal in de volle zon. Voor ouderen is een "
     "rustpunt in de schaduw onder de bomen bij de vijver heel welkom.",
     [("bewoner", "Ja! Mijn man kan niet ver lopen en moet halverwege even zitten."),
      ("ineke", "Misschien kan er ook een watertappunt bij.")],
     ["bewoner", "buiten", "ineke", "marja", "kees", "wim"]),
    ("groen", IDEA, "wim", "de-meern", 9, "Bloemenlint langs de Leidsche Rijn",
     "Langs het water van de Leidsche Rijn is veel gras dat kort gemaaid wordt. Een lint van "
     "inheemse bloemen is goed voor bijen en vlinders en mooi om langs te wandelen.",
     [("fatima", "De school wil vast helpen met zaaien.")],
     ["fatima", "mohamed"]),
    ("groen", QUESTION, "buiten", "vleuten", 13, "Wie snoeit de heg bij het speeltuintje?",
     "De heg bij het speeltuintje achter De Pijler groeit over het pad. Is dat de gemeente of "
     "de woningcorporatie? Ik wil het graag melden bij de goede partij.",
     [("moderator", "Dat is de gemeente. U kunt het melden via de app Slim Melden of 14 030.")],
     ["kees"]),
    ("groen", IDEA, "marja", "haarzuilens", 20, "Samen fruitbomen planten in Haarzuilens",
     "Op het veldje bij de kerk is plek voor een paar fruitbomen. Zullen we in november samen "
     "planten? Dan kunnen we over een paar jaar samen appels plukken.",
     [("wim", "Ik heb een schop en een kruiwagen, ik doe mee.")],
     ["wim", "bewoner", "verbinder"]),
    ("groen", IDEA, "mohamed", "leeuwesteyn", 28, "Meer afvalbakken bij het wandelpad",
     "Langs het wandelpad in Leeuwesteyn ligt veel zwerfafval. Een paar extra afvalbakken en "
     "een maandelijkse opruimochtend met buren zou helpen.",
     [], ["fatima"]),
    ("sociale-cohesie", IDEA, "verbinder", "vleuten", 1, "Koffieochtend voor nieuwe buren",
     "Veel nieuwe bewoners kennen nog niemand. Elke eerste dinsdag van de maand koffie in De "
     "Pijler, zodat oude en nieuwe buren elkaar leren kennen.",
     [("bewoner", "Wat een fijn idee. Ik bak wel een cake."),
      ("mohamed", "Ik ben net verhuisd en kom graag.")],
     ["bewoner", "mohamed", "ineke", "marja"]),
    ("sociale-cohesie", QUESTION, "ineke", "de-meern", 5, "Wie wil samen wandelen?",
     "Ik ben 78 en wandel graag, maar niet meer alleen. Wie loopt er op woensdagochtend een "
     "rondje met me door De Meern?",
     [("kees", "Ik loop graag mee. Zullen we om tien uur bij de kerk beginnen?")],
     ["kees", "verbinder"]),
    ("sociale-cohesie", IDEA, "kees", "vleuterweide", 12, "Burendag in ons hofje",
     "Dit jaar organiseren we een burendag in ons hofje in Vleuterweide. Tafels op straat, "
     "iedereen neemt iets mee. Wie doet mee in zijn eigen straat?",
     [], ["fatima", "wim"]),
    ("sociale-cohesie", IDEA, "fatima", "veldhuizen", 19, "Taalmaatjes in Veldhuizen",
     "Sommige buren willen beter Nederlands leren. Een uurtje per week praten met een "
     "taalmaatje helpt enorm, en je leert elkaar kennen.",
     [("verbinder", "Buren voor Buren kan maatjes koppelen. Ik neem contact met u op.")],
     ["verbinder", "bewoner"]),
    ("sociale-cohesie", QUESTION, "wim", "vleuten", 26, "Is er een buurtapp voor de Hindersteinlaan?",
     "Ik zou graag een buurtapp voor onze straat willen. Heeft iemand er al een gemaakt?",
     [], []),
    ("activiteiten-en-voorzieningen", IDEA, "marja", "de-meern", 4,
     "Rondleiding voor ouderen in het Castellum",
     "Museum Castellum Hoge Woerd is prachtig, maar de rondleidingen zijn vaak druk. Een "
     "rustige rondleiding voor ouderen, met stoelen en koffie, zou ik heel mooi vinden.",
     [("ineke", "Graag! Dan nodig ik mijn zus uit.")],
     ["ineke", "wim", "kees"]),
    ("activiteiten-en-voorzieningen", QUESTION, "mohamed", "vleuten", 8,
     "Welke zalen zijn er te huur in De Pijler?",
     "Voor een buurtbijeenkomst zoek ik een zaal voor ongeveer 30 mensen. Weet iemand hoe het "
     "huren in De Pijler werkt? Meer informatie: https://www.example.org/de-pijler",
     [("beheer", "Zaal 1-2-3 in De Pijler past voor 30 personen. Vraag het bij de balie.")],
     []),
    ("activiteiten-en-voorzieningen", IDEA, "bewoner", "vleuten", 15, "Een pinautomaat in de dorpskern",
     "Sinds de bank weg is, moeten ouderen ver lopen om geld te pinnen. Een pinautomaat in de "
     "dorpskern van Vleuten zou veel mensen helpen.",
     [("buiten", "Mijn buurvrouw betaalt nog alles contant. Helemaal mee eens.")],
     ["buiten", "fatima", "marja", "wim"]),
    ("activiteiten-en-voorzieningen", IDEA, "kees", "vleuterweide", 22, "Jeu de boules-baan bij het park",
     "Een jeu de boules-baan bij Park Vleuterweide brengt jong en oud samen. Het kost weinig "
     "en er is ruimte naast het speelveld.",
     [], ["ineke"]),
    ("activiteiten-en-voorzieningen", IDEA, "fatima", "haarzuilens", 30, "Boerenmarkt in Haarzuilens",
     "Eens per maand een kleine markt met producten van boeren uit de buurt, op het plein "
     "bij de kerk. Gezellig en goed voor de boeren.",
     [], ["marja", "bewoner"]),
    ("relatie-met-de-gemeente", IDEA, "wim", "de-meern", 7, "Spreekuur van de wijkwethouder in de wijk",
     "Veel ouderen gaan niet naar het stadhuis. Een vast spreekuur van de wijkwethouder in de "
     "wijk, bijvoorbeeld in De Pijler, maakt de gemeente dichterbij.",
     [("kees", "Liefst met een vaste contactpersoon die de wijk kent.")],
     ["kees", "bewoner", "ineke"]),
    ("relatie-met-de-gemeente", QUESTION, "marja", "vleuten", 14, "Hoe kan ik meepraten over plannen?",
     "Ik lees soms pas in de krant over plannen voor de wijk. Hoe hoor ik op tijd wat de "
     "gemeente van plan is, zodat ik kan meepraten?",
     [("moderator", "Geef op dit prikbord een signaal aan de gemeente. Wijkplatform en "
                    "wijkbureau nemen ze mee in het overleg.")],
     ["mohamed"]),
    ("relatie-met-de-gemeente", IDEA, "kees", "vleuterweide", 21, "Terugkoppeling na een melding",
     "Als ik iets meld, hoor ik vaak niets meer. Een kort bericht als het is opgelost zou "
     "veel vertrouwen geven.",
     [], ["wim", "fatima"]),
    ("relatie-met-de-gemeente", QUESTION, "mohamed", "vleuterweide", 18, "Wie is onze wijkregisseur?",
     "Ik wil graag weten wie bij de gemeente de wijkregisseur voor Vleuterweide is. Hoe kan ik "
     "die persoon bereiken?",
     [("beheer", "Het wijkbureau Vleuten-De Meern verbindt u door. Bel 14 030 en vraag naar het "
                 "wijkbureau.")],
     ["fatima"]),
    ("relatie-met-de-gemeente", IDEA, "verbinder", "vleuten", 27,
     "Het wijkplatform als vaste gesprekspartner",
     "Laat het wijkplatform vier keer per jaar met de gemeente om tafel zitten, vóór er besluiten "
     "over onze wijk vallen. Dan hoort de gemeente op tijd wat bewoners belangrijk vinden.",
     [("wim", "Goed plan. En zet het verslag daarna op dit prikbord.")],
     ["wim", "kees", "marja", "ineke"]),
    ("wonen", IDEA, "ineke", "de-meern", 3, "Kleinere woningen voor ouderen in de wijk",
     "Veel ouderen wonen in een groot huis, maar willen graag in de wijk blijven. Met kleinere, "
     "gelijkvloerse woningen komt er ook ruimte voor gezinnen.",
     [("bewoner", "Dan kan ik dicht bij mijn kinderen blijven wonen."),
      ("mohamed", "En gezinnen zoals wij vinden dan sneller een huis.")],
     ["bewoner", "mohamed", "wim", "marja"]),
    ("wonen", QUESTION, "mohamed", "vleuterweide", 10, "Geluidsoverlast van de A2?",
     "Wij horen 's nachts veel verkeer van de A2. Hebben meer mensen daar last van? Is er een "
     "plan voor een hoger geluidsscherm?",
     [("kees", "Aan onze kant ook. Misschien is dit iets om als signaal aan de gemeente te geven.")],
     ["kees"]),
    ("wonen", IDEA, "fatima", "leeuwesteyn", 16, "Een woongroep voor ouderen",
     "Samen wonen, maar ieder een eigen voordeur: een woongroep voor 55-plussers in Leeuwesteyn. "
     "Wie wil hierover meedenken?",
     [], ["ineke", "verbinder"]),
    ("wonen", IDEA, "buiten", "vleuten", 23, "Zonnepanelen samen inkopen",
     "Als we met de straat samen zonnepanelen inkopen, wordt het goedkoper. Ik zoek buren die "
     "mee willen doen.",
     [], ["wim"]),
    ("wonen", QUESTION, "wim", "haarzuilens", 29, "Mag ik een mantelzorgwoning in mijn tuin zetten?",
     "Mijn moeder wordt ouder en ik wil dat ze dichtbij woont. Weet iemand of een "
     "mantelzorgwoning in de tuin mag in Haarzuilens?",
     [("marja", "Dat mag vaak zonder vergunning. Kijk op de site van de gemeente bij mantelzorgwoning.")],
     []),
    ("gezondheid", IDEA, "verbinder", "vleuten", 2, "Beweegclub voor 65-plussers",
     "Elke donderdagochtend samen bewegen in De Pijler: stoelgym, een wandeling of dansen. "
     "Bewegen is gezond en gezellig.",
     [("ineke", "Stoelgym is precies wat ik zoek.")],
     ["ineke", "bewoner", "marja"]),
    ("gezondheid", QUESTION, "bewoner", "vleuten", 9, "Is er een huisarts die nog patiënten aanneemt?",
     "Mijn buurman is net verhuisd en vindt geen huisarts in Vleuten. Weet iemand een praktijk "
     "die nog nieuwe patiënten aanneemt?",
     [("fatima", "De praktijk in Vleuterweide nam vorige maand nog mensen aan.")],
     ["buiten"]),
    ("gezondheid", IDEA, "mohamed", "de-meern", 18, "AED-kaart van de wijk",
     "Waar hangen de AED's in onze wijk? Een kaart op het portaal en een cursus reanimeren in "
     "het buurthuis kunnen levens redden.",
     [], ["kees", "wim", "fatima"]),
    ("gezondheid", IDEA, "marja", "vleuterweide", 25, "Gezonde lunch in het buurthuis",
     "Een keer per week een gezonde, goedkope lunch in het buurthuis. Goed tegen eenzaamheid en "
     "goed voor de gezondheid.",
     [], ["verbinder"]),
    ("gezondheid", QUESTION, "kees", "de-meern", 31, "Hulp bij het aanvragen van een scootmobiel",
     "Wie weet hoe je een scootmobiel aanvraagt bij de gemeente? Mijn vader wil graag weer zelf "
     "naar de winkel.",
     [("verbinder", "Dat gaat via het buurtteam. Ik help u graag met de aanvraag.")],
     []),
]

# theme, author, buurt, days ago, title, text, phase, status, answer, supporters
SIGNALS = [
    ("verkeer", "buiten", "vleuten", 40, "Gevaarlijke oversteek Europaweg bij de school",
     "Bij de school aan de Europaweg gaat het 's ochtends vaak bijna mis. Auto's stoppen niet "
     "voor de kinderen. Wij vragen de gemeente om hier iets aan te doen voordat er een "
     "ongeluk gebeurt.",
     SignalPhase.BEFORE_DECISION, MunicipalStatus.ANSWERED,
     "Dank voor uw signaal. De gemeente heeft de oversteek bekeken met de school. In het "
     "voorjaar komt er een verhoogde oversteek met een zebrapad, en tot die tijd staan er "
     "verkeersbrigadiers. Meer informatie: https://www.utrecht.nl/wonen-en-leven/verkeer/",
     ["bewoner", "kees", "marja", "fatima", "mohamed", "wim", "verbinder"]),
    ("relatie-met-de-gemeente", "kees", "vleuterweide", 21,
     "Evaluatie nieuwe busroute door Vleuterweide",
     "Sinds de nieuwe dienstregeling stopt de bus niet meer bij het winkelcentrum. Voor ouderen "
     "is de halte nu te ver. Graag nemen we dit mee in de evaluatie van de busroute.",
     SignalPhase.EVALUATION, MunicipalStatus.IN_PROGRESS, "",
     ["ineke", "bewoner", "marja"]),
    ("groen", "fatima", "de-meern", 8, "Bomenkap langs de Meerndijk",
     "Er hangen bordjes aan de bomen langs de Meerndijk. Worden ze gekapt? Wij willen graag "
     "meepraten voordat de gemeente besluit.",
     SignalPhase.BEFORE_DECISION, MunicipalStatus.FORWARDED, "",
     ["wim", "mohamed"]),
    ("verkeer", "bewoner", "vleuten", 1, "Losliggende stoeptegels bij De Pijler",
     "Voor de ingang van De Pijler liggen stoeptegels los. Met een rollator struikel je er "
     "makkelijk over. Graag snel repareren.",
     SignalPhase.EVALUATION, MunicipalStatus.NEW, "",
     ["verbinder"]),
]


def seed(ctx: DemoContext) -> None:
    people = {**ctx.users, **_residents(ctx)}
    themes = {t.slug: t for t in db.session.scalars(select(Theme))}
    now = utcnow()
    for theme, kind, author, place, days, title, body, replies, supporters in POSTS:
        post = _post(themes[theme], people[author], ctx.neighbourhoods.get(place), kind, title, body,
                     now - timedelta(days=days, hours=ctx.rng.randint(1, 10)))
        _replies(post, [(people[a], text) for a, text in replies], ctx)
        _supports(post, [people[s] for s in supporters])
    for theme, author, place, days, title, body, phase, status, answer, supporters in SIGNALS:
        created = now - timedelta(days=days, hours=3)
        post = _post(themes[theme], people[author], ctx.neighbourhoods.get(place), PostKind.SIGNAL,
                     title, body, created)
        post.phase, post.municipal_status = phase, status
        if status != MunicipalStatus.NEW:  # a moderator forwarded it two days after it was posted
            post.forwarded_at = created + timedelta(days=2)
        if answer:
            post.municipal_answer, post.answered_at = answer, created + timedelta(days=days - 3)
        _supports(post, [people[s] for s in supporters])
    _paper_cards(themes, people, ctx, now)
    recount_themes()
    if ctx.posts:
        add_bulk_posts(ctx.posts, list(people.values()), list(themes.values()),
                       list(ctx.neighbourhoods.values()), ctx.rng)


def _residents(ctx: DemoContext) -> dict[str, User]:
    """The residents above; when another domain's demo made them already, the same accounts."""
    residents = {}
    for key, name in RESIDENTS:
        email = name.lower().replace(" ", ".") + "@example.org"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(name=name, email=email, trusted=True)
            user.password_hash = ctx.users["bewoner"].password_hash  # same password, hashed once
            db.session.add(user)
        residents[key] = user
    db.session.flush()
    return residents


# Paper cards from a meeting, typed in by the verbinder namens the residents who wrote them.
CARD_SOURCE = "Kaart bij de wijkdialoog in De Pijler, 3 juni"
CARDS = [
    ("groen", "Gerda", PostKind.IDEA, 5, "Moestuintjes achter De Pijler",
     "Achter De Pijler ligt een stuk gras waar niemand komt. Maak er moestuintjes van voor de buurt."),
    ("verkeer", "Kees", PostKind.QUESTION, 5, "Komt er weer een bushalte bij het Dorpsplein?",
     "Sinds de omleiding loop ik tien minuten naar de bus. Komt de halte terug?"),
]


def _paper_cards(themes, people, ctx: DemoContext, now) -> None:
    for theme, name, kind, days, title, body in CARDS:
        post = _post(themes[theme], people["verbinder"], ctx.neighbourhoods.get("vleuten"), kind, title, body,
                     now - timedelta(days=days, hours=2))
        post.on_behalf_name, post.source = name, CARD_SOURCE
        _supports(post, [people["bewoner"]])
        db.session.flush()  # the post's id, for what bewoner follows
        db.session.add(Follow(kind=FollowKind.POST, target_id=post.id, user_id=people["bewoner"].id,
                              created_at=now - timedelta(days=days)))
    # bewoner follows the theme Groen too (her digest is weekly, the default)
    db.session.add(Follow(kind=FollowKind.THEME, target_id=themes["groen"].id, user_id=people["bewoner"].id,
                          created_at=now - timedelta(days=6)))


def _post(theme, author, place, kind, title, body, created) -> Post:
    post = Post(theme=theme, author=author, neighbourhood=place, kind=kind, title=title, body=body,
                created_at=created)
    db.session.add(post)
    return post


def _replies(post: Post, replies: list[tuple[User, str]], ctx: DemoContext) -> None:
    for n, (author, text) in enumerate(replies, start=1):
        moment = post.created_at + timedelta(hours=n * ctx.rng.randint(2, 20))
        db.session.add(Reply(post=post, author=author, body=text, created_at=moment))
    post.reply_count = len(replies)


def _supports(post: Post, supporters: list[User]) -> None:
    db.session.add_all(Support(post=post, user=user) for user in supporters)
    post.support_count = len(supporters)


# --- Many posts, fast: ``seed-demo --posts N`` -------------------------------------------

SUBJECTS = [
    ("verkeer", ["de oversteek", "het fietspad", "de rotonde", "de bushalte", "het parkeren",
                 "de snelheid van auto's", "de verlichting", "de stoep"]),
    ("groen", ["het park", "de bomen", "het speelveld", "de bloemen", "het gras", "de vijver",
               "de moestuin", "het hondenveld"]),
    ("sociale-cohesie", ["de burendag", "een koffieochtend", "de buurtapp", "een wandelgroep",
                         "een taalmaatje", "de straatbarbecue"]),
    ("activiteiten-en-voorzieningen", ["het buurthuis", "de bibliotheek", "de sportvelden",
                                       "de markt", "een pinautomaat", "een zaal in De Pijler"]),
    ("relatie-met-de-gemeente", ["het spreekuur", "een melding", "de inspraakavond",
                                 "het wijkbudget", "de bewonersbrief"]),
    ("wonen", ["woningen voor ouderen", "de nieuwbouw", "geluidsoverlast", "zonnepanelen",
               "een woongroep", "de huurwoningen"]),
    ("gezondheid", ["de huisarts", "een beweegclub", "een AED", "de gezonde lunch",
                    "de scootmobiel", "de fysiotherapeut"]),
]
PLACES = ["de Europaweg", "de Ringkade", "Park Vleuterweide", "het Castellum", "De Pijler",
          "Haarzuilens", "station Vleuten", "de Meerndijk", "het Zuilenplein", "de dorpskern"]
OPENINGS = ["Idee over {subject} bij {place}", "Vraag over {subject} bij {place}",
            "Zorgen over {subject} bij {place}", "Samen aan de slag met {subject} bij {place}"]
SENTENCES = [
    "Ik woon hier al jaren en zie dat het beter kan.",
    "Veel ouderen in de buurt hebben hier last van.",
    "Met een paar buren willen we graag meehelpen.",
    "Wie denkt er mee over een goede oplossing?",
    "Het zou mooi zijn als de gemeente hier naar kijkt.",
    "Op zaterdag is het extra druk.",
    "Kinderen spelen hier vaak, dus veiligheid is belangrijk.",
    "Een kleine verandering maakt al veel verschil.",
]
BULK_KINDS = [PostKind.IDEA] * 12 + [PostKind.QUESTION] * 5 + [PostKind.SIGNAL] * 3
BATCH = 5000


def add_bulk_posts(count: int, authors: list[User], themes: list[Theme], places, rng) -> None:
    """Insert ``count`` published posts in batches (executemany). The FTS triggers of
    migration 0003 index them as they go in, so search finds them at once; the themes'
    cached ``post_count`` is counted again at the end."""
    by_slug = {t.slug: t.id for t in themes}
    subjects = [(by_slug[slug], words) for slug, words in SUBJECTS if slug in by_slug]
    subjects += [(t.id, ["dit onderwerp"]) for t in themes if t.slug not in dict(SUBJECTS)]
    author_ids, place_ids = [u.id for u in authors], [p.id for p in places] + [None]
    now = utcnow()
    with search_index_paused():
        for start in range(0, count, BATCH):
            size = min(BATCH, count - start)
            rows = [_bulk_row(rng, now, subjects, author_ids, place_ids) for _ in range(size)]
            db.session.execute(insert(Post), rows)
    recount_themes()


def _bulk_row(rng, now, subjects, author_ids, place_ids) -> dict:
    theme_id, words = rng.choice(subjects)
    kind = rng.choice(BULK_KINDS)
    title = rng.choice(OPENINGS).format(subject=rng.choice(words), place=rng.choice(PLACES))
    row = {
        "theme_id": theme_id,
        "author_id": rng.choice(author_ids),
        "neighbourhood_id": rng.choice(place_ids),
        "kind": kind,
        "title": title[:1].upper() + title[1:],
        "body": " ".join(rng.sample(SENTENCES, 3)),
        "status": "published",
        "created_at": now - timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 3)),
        "edited_at": None,
        "support_count": 0,
        "reply_count": 0,
        "phase": None,
        "municipal_status": None,
        "municipal_answer": None,
        "answered_at": None,
    }
    if kind == PostKind.SIGNAL:
        row["phase"] = rng.choice(list(SignalPhase))
        row["municipal_status"] = rng.choice(list(MunicipalStatus))
        if row["municipal_status"] == MunicipalStatus.ANSWERED:
            row["municipal_answer"] = "Dank voor uw signaal. De gemeente neemt het mee in de planning."
            row["answered_at"] = min(now, row["created_at"] + timedelta(days=14))
    return row
