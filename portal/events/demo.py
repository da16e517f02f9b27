"""Demo data for the agenda: events in the coming months, relative to today.

Among them the Wijkalliantie network meeting in De Pijler, zaal 1-2-3 (in the real world on
a Tuesday at 15.30) with seats free, so bewoner@example.org can sign up for it; she is
already signed up for the wijkdialoog. A small tour is full, so the waiting list shows.
"""

from datetime import date, datetime, time, timedelta

from portal.dates import local_today, to_utc
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import Event, Registration, RegistrationStatus
from portal.models.base import utcnow

TUESDAY, WEDNESDAY, THURSDAY, SATURDAY = 1, 2, 3, 5

NETWORK_MEETING = "Netwerkbijeenkomst Wijkalliantie: buurtcirkels en wijkplatform"
NETWORK_MEETING_TEXT = (
    "Op deze bijeenkomst vertellen we over twee plannen voor Vleuten-De Meern, en we horen "
    "graag wat u ervan vindt.\n\n"
    "Doorontwikkeling burenhulp naar buurtcirkels. We willen inzetten op een meer "
    "kleinschalige en persoonlijke vorm van burenhulp, gericht op kleine buurten, misschien "
    "zelfs straten. Directe buren doen zoveel mogelijk het vrijwilligerswerk; verbinders "
    "helpen daarbij.\n\n"
    "Doorontwikkeling wijkinformatiepunt naar wijkplatform. De gemeente Utrecht wil in elke "
    "wijk een wijkplatform: een inclusief en interactief platform. Bewoners stellen voor om "
    "het wijkinformatiepunt Buren voor Buren daarvoor verder te ontwikkelen.\n\n"
    "Deze bijeenkomst is in het kader van het netwerk Wijkalliantie Seniorvriendelijk "
    "Vleuten-De Meern, maar staat natuurlijk open voor andere geïnteresseerden."
)


def seed(ctx: DemoContext) -> None:
    today = local_today(utcnow())
    hoods = ctx.neighbourhoods
    network = _event(
        NETWORK_MEETING, NETWORK_MEETING_TEXT, _weekday_after(today, TUESDAY, 14), time(15, 30), 120,
        place_name="De Pijler", room="zaal 1-2-3",
        organiser=ctx.users["verbinder"],
        organiser_name="Netwerk Wijkalliantie Seniorvriendelijk Vleuten-De Meern",
        theme_name="sociale cohesie", capacity=60, registration_required=True,
    )
    dialogue = _event(
        "Wijkdialoog: hoe ziet het wijkplatform van Vleuten-De Meern eruit?",
        "Samen met bewoners uit Vleuten, Vleuterweide, Haarzuilens en De Meern praten we verder "
        "over het wijkplatform. Welke thema's zijn belangrijk? Denk aan verkeer, groen, "
        "activiteiten en voorzieningen, sociale cohesie en de relatie met de gemeente.\n\n"
        "Het wijkbureau bereidt de avond voor samen met drie bewoners.",
        _weekday_after(today, WEDNESDAY, 45), time(19, 30), 120,
        place_name="De Schakel", room="Theaterzaal", neighbourhood=hoods["vleuten"],
        organiser=ctx.users["moderator"], organiser_name="Wijkbureau Vleuten-De Meern",
        theme_name="relatie met de gemeente", capacity=40, registration_required=True,
    )
    tour = _event(
        "Rondleiding Castellum Hoge Woerd",
        "Een rustige rondleiding langs het Romeinse fort en het schip De Meern 1. Er is een "
        "lift; er zijn stoelen om tussendoor te zitten. Kleine groep, dus aanmelden is nodig.",
        _weekday_after(today, SATURDAY, 33), time(14, 0), 90,
        place_name="Castellum Hoge Woerd", neighbourhood=hoods["de-meern"],
        organiser=ctx.users["beheer"], organiser_name="Buren voor Buren",
        theme_name="activiteiten en voorzieningen", capacity=2, registration_required=True,
    )
    events = [network, dialogue, tour]
    events += _series(
        "Koffieochtend voor buren",
        "Even bijpraten met een kop koffie of thee. Nieuwe buren zijn van harte welkom; de "
        "verbinders van de buurtcirkels zijn er ook.",
        [_weekday_after(today, THURSDAY, days) for days in (3, 17, 52)], time(10, 0), 90,
        place_name="Wijkinformatiepunt Buren voor Buren", neighbourhood=hoods["de-meern"],
        organiser_name="Buren voor Buren", theme_name="sociale cohesie",
    )
    events += _series(
        "Repair café",
        "Kapotte lamp, broek of broodrooster? Vrijwilligers repareren het samen met u. "
        "Neem mee wat stuk is; de koffie staat klaar.",
        [_weekday_after(today, SATURDAY, days) for days in (20, 55)], time(10, 0), 180,
        place_name="De Marekerk", address="Zandweg 126, De Meern", neighbourhood=hoods["de-meern"],
        organiser_name="Repair Café Vleuten-De Meern", theme_name="activiteiten en voorzieningen",
    )
    events.append(
        _event(
            "Lentewandeling door Haarzuilens",
            "Een wandeling van ongeveer 4 kilometer in een rustig tempo, met een koffiestop "
            "halverwege. Verzamelen bij de kerk.",
            _weekday_after(today, SATURDAY, 130), time(14, 0), 150,
            place_name="Haarzuilens, bij de kerk", neighbourhood=hoods["haarzuilens"],
            organiser_name="Buurtcirkel Haarzuilens", theme_name="groen", capacity=25,
            registration_required=True,
        )
    )
    db.session.add_all(events)
    db.session.add_all([
        Registration(event=network, user=ctx.users["buiten"]),
        Registration(event=network, user=ctx.users["moderator"]),
        Registration(event=dialogue, user=ctx.users["bewoner"]),
        Registration(event=dialogue, user=ctx.users["verbinder"]),
        Registration(event=tour, user=ctx.users["buiten"]),
        Registration(event=tour, user=ctx.users["verbinder"]),
        Registration(event=tour, user=ctx.users["moderator"], status=RegistrationStatus.WAITING),
    ])


def _weekday_after(today: date, weekday: int, days: int) -> date:
    """The first ``weekday`` at least ``days`` days from today."""
    day = today + timedelta(days=days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _series(title: str, description: str, days: list[date], start: time, minutes: int,
            **fields) -> list[Event]:
    """The same event on several days (a weekly coffee morning, a monthly repair café)."""
    return [_event(title, description, day, start, minutes, **fields) for day in days]


def _event(title: str, description: str, day: date, start: time, minutes: int, **fields) -> Event:
    starts = datetime.combine(day, start)
    return Event(
        title=title, description=description, starts_at=to_utc(starts),
        ends_at=to_utc(starts + timedelta(minutes=minutes)), **fields,
    )
