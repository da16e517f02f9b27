"""Demo data of the wijkinformatiepunt and the sociale kaart: the Wijkinformatiepunt Buren
voor Buren with two weekly spreekuren (Tuesday morning in De Pijler, Thursday afternoon in
De Schakel), five organisations on the kaart (among them the Wijkalliantie, DOCK's sociaal
makelaar and the Repair Café; the Repair Café's record waits for its yearly check), a day the
informatiepunt is closed, three questions, the buurten two services cover (DOCK's in Vleuten,
the Repair Café's in De Meern; the others cover the whole wijk), and
``informatiepunt@example.org`` with the
``informatiepunt`` role. Phone numbers are made up; addresses only where the demo's agenda
has them already.
"""

from datetime import time, timedelta

from portal.dates import local_today
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import (
    Circle,
    ClosedDay,
    Location,
    Organization,
    Question,
    QuestionStatus,
    Role,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
    User,
)
from portal.models.base import utcnow

ACCOUNT = ("informatiepunt", "Fatima el Amrani", "informatiepunt@example.org")


def seed(ctx: DemoContext) -> None:
    today = local_today(utcnow())
    key, name, email = ACCOUNT
    person = User(name=name, email=email, role=Role.INFORMATIEPUNT, trusted=True)
    person.set_password(ctx.password)
    ctx.users[key] = person
    db.session.add(person)

    point = _organization(
        "wijkinformatiepunt-buren-voor-buren", "Wijkinformatiepunt Buren voor Buren",
        "Vrijwilligers van Buren voor Buren helpen u op weg met uw vraag: over hulp in huis, "
        "geldzaken en formulieren, vervoer, mantelzorg of eenzaamheid. Zij weten wie u verder helpt.",
        phone="030 123 45 67", email="wijkinformatiepunt@example.org", is_infopoint=True,
        assured_date=today - timedelta(days=20))
    pijler = _location(point, "De Pijler", city="De Meern",
                       accessibility="Ingang zonder drempel; er is een lift.",
                       transportation="Bus 28, halte vlakbij. Parkeren voor de deur.")
    schakel = _location(point, "De Schakel", city="Vleuten",
                        accessibility="Brede deur zonder drempel; invalidentoilet.",
                        transportation="Bus 28 en 127; fietsenstalling bij de ingang.")
    walk_in = _service(
        point, "Inloopspreekuur", "Loop binnen met uw vraag. Wij zoeken samen met u uit wie u kan helpen.",
        needs=("geldzaken", "eenzaamheid", "mantelzorg", "vervoer", "boodschappen", "wonen"),
        eligibility_description="Iedereen uit Vleuten-De Meern, jong en oud.",
        fees_description="Gratis.",
        application_process="Loop binnen tijdens het spreekuur, bel ons, of stel uw vraag op deze website.",
        required_documents="Brieven of formulieren waar uw vraag over gaat\n"
                           "Uw DigiD, als u hulp wilt bij iets op internet",
    )
    _at(walk_in, pijler, "FREQ=WEEKLY;BYDAY=TU", time(10), time(12), "zonder afspraak")
    _at(walk_in, schakel, "FREQ=WEEKLY;BYDAY=TH", time(13), time(16), "zonder afspraak")
    _service(
        point, "Burenhulp",
        "Een buur die even boodschappen doet, u naar het ziekenhuis rijdt of een klusje doet.",
        needs=("boodschappen", "vervoer", "klussen"),
        eligibility_description="Ouderen en mensen die tijdelijk minder kunnen, in Vleuten-De Meern.",
        fees_description="Gratis. Voor autoritten vraagt de chauffeur een kleine vergoeding per kilometer.",
        application_process="Bel het wijkinformatiepunt, of vraag het in uw buurtcirkel.",
    )
    closed_on = today + timedelta(days=35)
    closed_on += timedelta(days=(1 - closed_on.weekday()) % 7)  # a Tuesday
    db.session.add(ClosedDay(organization=point, day=closed_on, reason="uitje van de vrijwilligers"))

    alliance = _organization(
        "wijkalliantie-seniorvriendelijk", "Netwerk Wijkalliantie Seniorvriendelijk Vleuten-De Meern",
        "Organisaties en bewoners die samen werken aan een wijk waar ouderen prettig oud worden. "
        "Het netwerk komt een paar keer per jaar bij elkaar.",
        email="wijkalliantie@burenvoorburen.info", assured_date=today - timedelta(days=100))
    _service(alliance, "Netwerkbijeenkomsten", "Bijeenkomsten over buurtcirkels, het wijkplatform en wat "
             "ouderen in de wijk nodig hebben. Iedereen die meedenkt is welkom.",
             needs=("eenzaamheid",), fees_description="Gratis.",
             application_process="Meld u aan per e-mail; de data staan in de agenda.")
    _location(alliance, "De Pijler, zaal 1-2-3", city="De Meern")

    dock = _organization(
        "dock-sociaal-makelaar", "DOCK Vleuten-De Meern",
        "De sociaal makelaar van DOCK helpt bewoners die iets willen organiseren in de buurt en brengt "
        "mensen en organisaties bij elkaar.",
        phone="030 234 56 78", assured_date=today - timedelta(days=200))
    dock_place = _location(dock, "De Schakel", city="Vleuten")
    maker = _service(dock, "Sociaal makelaar", "Een idee voor de buurt, of zorgen over een buur die "
                     "alleen is? De sociaal makelaar denkt mee en zoekt de juiste mensen.",
                     needs=("eenzaamheid", "wonen"), eligibility_description="Bewoners en bewonersgroepen.",
                     fees_description="Gratis.", application_process="Loop binnen of bel voor een afspraak.")
    _at(maker, dock_place, "FREQ=WEEKLY;BYDAY=WE", time(9, 30), time(11), "inloop")
    _covers(maker, "vleuten-dorp", "vleuten-stationsbuurt")

    repair = _organization(
        "repair-cafe-vleuten-de-meern", "Repair Café Vleuten-De Meern",
        "Vrijwilligers repareren samen met u wat stuk is: een lamp, een broek, een broodrooster.",
        assured_date=today - timedelta(days=400))
    church = _location(repair, "De Marekerk", address_1="Zandweg 126", city="De Meern",
                       accessibility="Ingang aan de zijkant, zonder drempel.")
    cafe = _service(repair, "Repair Café", "Neem mee wat stuk is; de koffie staat klaar.",
                    needs=("klussen",), fees_description="Gratis; een vrijwillige bijdrage is welkom.",
                    required_documents="Wat stuk is\nOnderdelen, als u die al heeft")
    _at(cafe, church, "FREQ=MONTHLY;BYDAY=3SA", time(10), time(13))
    _covers(cafe, "de-meern-zandweg", "de-meern-castellum")

    team = _organization(
        "buurtteam-vleuten-de-meern", "Buurtteam Vleuten-De Meern",
        "Het buurtteam helpt bij geldzorgen, zorg thuis, mantelzorg en opvoeden. "
        "U heeft geen verwijzing nodig.",
        phone="030 345 67 89", assured_date=today - timedelta(days=60))
    _service(team, "Hulp bij geldzaken, zorg en mantelzorg", "Samen met u kijken wat er nodig is, "
             "van schulden en formulieren tot hulp in huis of ondersteuning als mantelzorger.",
             needs=("geldzaken", "mantelzorg", "gezondheid"), eligibility_description="Alle bewoners.",
             fees_description="Gratis.", application_process="Bel het buurtteam; zij komen ook bij u thuis.")

    now = utcnow()
    db.session.add_all([
        Question(name="Mevrouw Jansen", phone="06 12345678", consent=True,
                 created_at=now - timedelta(hours=20),
                 question="Mijn man is gevallen en ik kan hem niet meer alleen naar de fysiotherapeut "
                          "brengen. Is er iemand die ons kan rijden?"),
        Question(name="Kees de Vries", email="kees.devries@example.org", consent=True,
                 created_at=now - timedelta(hours=3),
                 question="Ik krijg een brief van de belasting die ik niet begrijp. Waar kan ik terecht?"),
        Question(name="Ans Mulder", phone="030 111 22 33", consent=True, created_at=now - timedelta(days=6),
                 question="Is er in Vleuten een koffieochtend voor ouderen?",
                 status=QuestionStatus.CALLED_BACK,
                 answer="Teruggebeld: koffieochtend op donderdag genoemd.", handled_by=person,
                 handled_at=now - timedelta(days=5)),
    ])


def _organization(slug: str, name: str, description: str, **fields) -> Organization:
    organization = Organization(slug=slug, name=name, description=description, **fields)
    db.session.add(organization)
    return organization


def _location(organization: Organization, name: str, **fields) -> Location:
    location = Location(organization=organization, name=name, **fields)
    db.session.add(location)
    return location


def _service(organization: Organization, name: str, description: str, needs=(), **fields) -> Service:
    service = Service(organization=organization, name=name, description=description,
                      needs=[ServiceNeed(need=need) for need in needs], **fields)
    db.session.add(service)
    return service


def _at(service: Service, location: Location, rule: str, opens: time, closes: time,
        description: str = "") -> None:
    at_location = ServiceAtLocation(service=service, location=location)
    at_location.schedules.append(
        Schedule(rrule=rule, opens_at=opens, closes_at=closes, description=description))
    db.session.add(at_location)


def _covers(service: Service, *circle_slugs: str) -> None:
    circles = db.session.scalars(db.select(Circle).where(Circle.slug.in_(circle_slugs)).order_by(Circle.id))
    service.areas = [ServiceArea(circle=circle) for circle in circles]
