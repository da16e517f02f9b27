"""Demo data of meedenken (Vleuten-De Meern only): one traject in phase ``ophalen``,
"Herinrichting Dorpsstraat Vleuten", open for three more weeks, with inbreng by bewoner (and
buur's reaction on it) and one contribution typed in from paper by the verbinder; the plan and
bewoner's inbreng have a place on the map. buur has given no steun yet, so the demo can be
followed end to end: bewoner's inbreng, buur's steun, the moderator's advies."""

from datetime import timedelta

from portal.dates import local_today
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import Inbreng, InbrengReply, Traject
from portal.models.base import utcnow

SLUG = "herinrichting-dorpsstraat-vleuten"
TITLE = "Herinrichting Dorpsstraat Vleuten"


def seed(ctx: DemoContext) -> None:
    today = local_today(utcnow())
    traject = Traject(
        slug=SLUG, title=TITLE, phase="ophalen",
        plan=("De gemeente wil de Dorpsstraat in Vleuten opnieuw inrichten: de bestrating is aan "
              "vervanging toe, en er zijn klachten over hard rijden en geparkeerde auto's op de stoep.\n\n"
              "Voordat er een ontwerp komt, vraagt het wijkplatform bewoners: wat vindt u belangrijk? "
              "Denk aan oversteken, fietsen, parkeren, groen, bankjes en de winkels."),
        place="Dorpsstraat Vleuten, tussen de Schoolstraat en de Vleutenseweg",
        latitude=52.1079, longitude=5.0127,
        decider="Het college van B en W, na het advies van het wijkplatform (verwacht in het voorjaar)",
        documents="Gemeente Utrecht, Vleuten-De Meern https://www.utrecht.nl/wonen-en-leven/wijken/vleuten-de-meern/",
        ophalen_until=today + timedelta(days=21), advies_on=today + timedelta(days=35),
        besluit_on=today + timedelta(days=90), uitvoering_on=today + timedelta(days=200),
        created_by_id=ctx.users["moderator"].id,
    )
    db.session.add(traject)
    db.session.flush()
    oversteek = Inbreng(traject_id=traject.id, author=ctx.users["bewoner"], theme="verkeer",
                        text="Een veilige oversteekplaats bij de bakker. Ouderen en kinderen steken daar nu "
                             "tussen geparkeerde auto's over.",
                        latitude=52.10812, longitude=5.01195, created_at=utcnow() - timedelta(days=2),
                        reply_count=1)
    db.session.add_all([
        oversteek,
        Inbreng(traject_id=traject.id, author=ctx.users["verbinder"], on_behalf_name="Truus", theme="groen",
                text="Meer bankjes en bomen, zodat je onderweg even kunt uitrusten.",
                created_at=utcnow() - timedelta(days=1)),
    ])
    db.session.flush()
    db.session.add(InbrengReply(inbreng_id=oversteek.id, author=ctx.users["buur"],
                                text="Eens. Ik steek daar elke ochtend over met de kleinkinderen; "
                                     "een zebrapad zou veel helpen.",
                                created_at=utcnow() - timedelta(days=1, hours=20)))
