"""Demo data of the groups: Werkgroep Groen (open; Karin Smulders, buur@example.org, is its
trekker; bewoner@example.org and verbinder@example.org are members; a news item, a meeting in
the agenda and a few messages in its thread), Themagroep Verkeer (closed; Sonja Bakker,
verbinder@example.org, is its trekker, and Karin asked to join), Repair Café De Meern (a
bewonersgroep that has been quiet for months, so moderators see it under "Stille groepen"),
and a resident's proposal waiting for a moderator. Phone numbers are made up.
"""

from datetime import datetime, time, timedelta

from portal.dates import local_today, to_utc
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import (
    Event,
    Group,
    GroupBuurt,
    GroupKind,
    GroupMember,
    GroupMemberStatus,
    GroupMessage,
    GroupNews,
    GroupRole,
    GroupStatus,
    GroupTheme,
    Theme,
)
from portal.models.base import utcnow

GROEN = "Werkgroep Groen"
VERKEER = "Themagroep Verkeer"
REPAIR = "Repair Café De Meern"


def seed(ctx: DemoContext) -> None:
    now = utcnow()
    themes = {theme.slug: theme for theme in db.session.scalars(db.select(Theme))}
    hoods, users = ctx.neighbourhoods, ctx.users

    def group(slug, name, kind, description, meets, is_open, theme_slugs, buurt_slugs, days_ago,
              status=GroupStatus.ACTIVE, proposed_by=None):
        made = Group(slug=slug, name=name, kind=kind, description=description, meets=meets, is_open=is_open,
                     status=status, created_at=now - timedelta(days=days_ago), proposed_by=proposed_by)
        made.theme_links = [GroupTheme(theme=themes[slug]) for slug in theme_slugs if slug in themes]
        made.buurt_links = [GroupBuurt(neighbourhood=hoods[slug]) for slug in buurt_slugs]
        db.session.add(made)
        return made

    def member(of, key, role=GroupRole.MEMBER, days_ago=30, status=GroupMemberStatus.MEMBER, **contact):
        row = GroupMember(group=of, user=users[key], role=role, status=status,
                          requested_at=now - timedelta(days=days_ago),
                          joined_at=(now - timedelta(days=days_ago)
                                     if status == GroupMemberStatus.MEMBER else None),
                          **contact)
        db.session.add(row)
        return row

    groen = group(
        "werkgroep-groen", GROEN, GroupKind.WERKGROEP,
        "Wij zorgen samen voor het groen in Vleuten en De Meern: geveltuinen, boomspiegels, "
        "de plukstrook langs de Meerndijk en minder tegels in de straat. We praten mee met de "
        "gemeente over het onderhoud van parken en speelplekken.\n\n"
        "Iedereen met zin in groen is welkom, ook als u maar af en toe tijd heeft.",
        "Elke tweede woensdag van de maand, 19.30 uur, De Schakel", True, ["groen"],
        ["vleuten", "de-meern"], 200)
    member(groen, "buur", GroupRole.TREKKER, 200, show_email=True)
    member(groen, "bewoner", days_ago=90)
    member(groen, "verbinder", days_ago=40)
    db.session.add(GroupNews(
        group=groen, author=users["buur"], created_at=now - timedelta(days=12),
        title="Geveltuintjes: de tegels zijn eruit",
        text="Zaterdag hebben we met twaalf buren de tegels uit de Dorpsstraat gehaald. Er staan nu "
             "geveltuintjes bij negen huizen. Dank aan iedereen die schepte en plantte!\n\n"
             "Wilt u ook een geveltuin? Kom naar de volgende bijeenkomst.",
    ))
    day = local_today(now) + timedelta(days=16)
    day += timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
    db.session.add(Event(
        title="Bijeenkomst Werkgroep Groen", group=groen,
        description="We plannen de plantdag in het voorjaar en bespreken de plukstrook.",
        starts_at=to_utc(datetime.combine(day, time(19, 30))),
        ends_at=to_utc(datetime.combine(day, time(21, 0))),
        place_name="De Schakel", organiser=users["buur"], theme_name="Groen",
    ))
    for key, days, text in (
        ("buur", 10, "Wie heeft er nog een kruiwagen om te lenen voor zaterdag?"),
        ("bewoner", 9, "Ik heb er een. Ik zet hem om 10 uur bij De Schakel neer."),
    ):
        db.session.add(GroupMessage(group=groen, author=users[key], text=text,
                                    created_at=now - timedelta(days=days)))

    verkeer = group(
        "themagroep-verkeer", VERKEER, GroupKind.WERKGROEP,
        "Buren die zich inzetten voor veilig fietsen en lopen: de oversteek bij de Europaweg, "
        "de schoolroutes en de snelheid in de wijk. We verzamelen signalen en gaan daarmee naar "
        "de gemeente. Meedoen op aanvraag: we werken met een vaste kern.",
        "Eens per zes weken, op dinsdagavond", False, ["verkeer"], [], 150)
    member(verkeer, "verbinder", GroupRole.TREKKER, 150, phone="06 11 22 33 44")
    member(verkeer, "buur", days_ago=3, status=GroupMemberStatus.REQUESTED)

    repair = group(
        "repair-cafe-de-meern", REPAIR, GroupKind.BEWONERSGROEP,
        "Kapot? Niet meteen weggooien! Vrijwilligers repareren samen met u kleding, lampen, "
        "fietsen en kleine apparaten. Koffie staat klaar.",
        "Elke laatste zaterdag van de maand, 10.00 tot 13.00 uur", True,
        ["activiteiten-en-voorzieningen"], ["de-meern"], 140)
    member(repair, "verbinder", GroupRole.TREKKER, 140)

    group("buurtmoestuin-vleuterweide", "Buurtmoestuin Vleuterweide", GroupKind.BEWONERSGROEP,
          "Een moestuin voor en door buren op het braakliggende stuk bij de speeltuin.",
          "", True, ["groen"], ["vleuterweide"], 2, status=GroupStatus.PROPOSED, proposed_by=users["buiten"])
    db.session.flush()
    for made in db.session.scalars(db.select(Group).where(Group.status == GroupStatus.PROPOSED)):
        db.session.add(GroupMember(group=made, user=made.proposed_by, role=GroupRole.TREKKER,
                                   status=GroupMemberStatus.MEMBER, joined_at=made.created_at))
