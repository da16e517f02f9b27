"""Demo of the wijkbrief in Vleuten-De Meern: the redacteur's account, two confirmed
subscribers (one in Vleuterweide, one for an organisation), issue nr. 1 as sent a month ago
(on the web and on paper; no mail is queued) and a concept filled from the portal."""

from datetime import timedelta

from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import Newsletter, NewsletterBlock, NewsletterStatus, Role, Subscriber, User
from portal.models.base import utcnow
from portal.newsletter import service

ACCOUNT = ("redacteur", "Joke Vermeulen", "redacteur@example.org")

SENT_BLOCKS = [
    ("agenda", "Agenda van de komende maand",
     "- zaterdag 7 november, 10.00 uur | Repair Café De Meern | Buurthuis De Schakel\n"
     "- woensdag 11 november, 14.00 uur | Koffieochtend voor buren | Wijkcentrum Vleuterweide\n"
     "- donderdag 19 november, 19.30 uur | Bewonersavond Dorpsstraat | Sint-Willibrorduskerk Vleuten"),
    ("spreekuren", "Spreekuren van het wijkinformatiepunt",
     "Elke dinsdag van 10.00 tot 12.00 uur en elke donderdag van 13.00 tot 16.00 uur kunt u zonder "
     "afspraak binnenlopen bij het wijkinformatiepunt Buren voor Buren."),
    ("tekst", "Vrijwilligers gezocht",
     "Buren voor Buren zoekt mensen die een uur per week boodschappen willen doen met een buur. "
     "Bel het wijkinformatiepunt of kijk op het Buurtportaal."),
]


def seed(ctx: DemoContext) -> None:
    now = utcnow()
    key, name, email = ACCOUNT
    person = User(name=name, email=email, role=Role.REDACTEUR, trusted=True)
    person.set_password(ctx.password)
    ctx.users[key] = person
    db.session.add(person)
    db.session.flush()

    for address, organisation, buurt in (("lezer.vleuterweide@example.org", "", "vleuterweide"),
                                         ("wijkteam@example.org", "Buurtteam Vleuten-De Meern", None)):
        db.session.add(Subscriber(
            email=address, organisation=organisation,
            neighbourhood_id=ctx.neighbourhoods[buurt].id if buurt else None,
            created_at=now - timedelta(days=60), consent_at=now - timedelta(days=60),
            consent_text=service.CONSENT_TEXT, consent_source="/nieuwsbrief (demo)",
            confirmation_sent_at=now - timedelta(days=60), confirmed_at=now - timedelta(days=60)))

    sent = Newsletter(number=1, title="Wijkbrief november: samen de winter in",
                      intro="Beste buren,\n\nDe dagen worden korter. In deze wijkbrief leest u wat er deze "
                            "maand in de wijk gebeurt, en waar u terecht kunt met een vraag.",
                      status=NewsletterStatus.SENT, created_by_id=person.id,
                      created_at=now - timedelta(days=32),
                      sent_by_id=person.id, sent_at=now - timedelta(days=30), recipient_count=2)
    for position, (kind, heading, text) in enumerate(SENT_BLOCKS):
        sent.blocks.append(NewsletterBlock(kind=kind, position=position, heading=heading, text=text))
    db.session.add(sent)
    service.create_newsletter(
        "Wijkbrief december: lichtjes in de wijk",
        "Beste buren,\n\nHet is bijna de laatste maand van het jaar. Dit gebeurt er in december.",
        ["agenda", "signalen", "ideeen", "spreekuren", "peiling"], person)
