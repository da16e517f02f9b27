"""Demo data for moderation (see portal/demo.py), so the queue and the log are not empty. It
uses the board and the circles, so it lives beside portal/demo.py, not in portal/moderation.

Daan de Vries joined three days ago and is still *nieuw*: two earlier contributions were
approved (one more and he is trusted by himself), and an idea, a reply and a help request
wait for a moderator now. Hans Mulder's sales post was reported by two neighbours, and an
unkind reply was hidden earlier. The five contract accounts stay trusted; everything goes
through the real service functions, so the log and the notices are the real ones.
"""

from datetime import timedelta

from sqlalchemy import select

from portal.board import service as board
from portal.circles import service as circles
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import Circle, Membership, Post, PostKind, ReportReason, Theme, User, Verdict
from portal.models.base import utcnow
from portal.models.circles import HelpKind
from portal.moderation import service, subjects

NEWCOMER = ("Daan de Vries", "daan.de.vries@example.org", "vleuten-dorp")
APPROVED_IDEA = "Geveltuintjes in de Schoolstraat"
WAITING_IDEA = "Een ruilkast bij De Pijler"
REPORTED_POST = "Te koop: scootmobiel, bijna nieuw"
POST_TITLES = (APPROVED_IDEA, WAITING_IDEA, REPORTED_POST)  # the posts this demo adds


def seed(ctx: DemoContext) -> None:
    moderator = ctx.users["moderator"]
    daan = _newcomer(ctx)
    _earlier_contributions(ctx, daan, moderator)
    _waiting(ctx, daan)
    _reported_post(ctx)
    _hidden_reply(ctx, moderator)


def _person(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _post_titled(title: str) -> Post:
    return db.session.scalar(select(Post).where(Post.title == title))


def _theme(slug: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def _backdate(item, hours: int) -> None:
    """Demo items from earlier on, so the queue shows them oldest first."""
    moment = utcnow() - timedelta(hours=hours)
    item.created_at = moment
    review = subjects.review_of(item)
    if review is not None:
        review.opened_at = moment
    db.session.flush()


def _newcomer(ctx: DemoContext) -> User:
    name, email, circle_slug = NEWCOMER
    daan = User(name=name, email=email, trusted=False, created_at=utcnow() - timedelta(days=3),
                password_hash=ctx.users["bewoner"].password_hash)
    circle = db.session.scalar(select(Circle).where(Circle.slug == circle_slug))
    db.session.add_all([daan, Membership(user=daan, circle=circle, since=daan.created_at)])
    db.session.flush()
    return daan


def _earlier_contributions(ctx: DemoContext, daan: User, moderator: User) -> None:
    idea = board.create_post(
        _theme("groen"), daan, PostKind.IDEA, APPROVED_IDEA,
        "Met een smalle strook planten langs de gevel wordt de straat groener en koeler. Wie "
        "doet mee? Ik heb stekjes over.", ctx.neighbourhoods["vleuten"].id, None)
    _backdate(idea, 60)
    service.decide(moderator, idea, Verdict.APPROVE)
    reply = board.add_reply(_post_titled("Koffieochtend voor nieuwe buren"), daan,
                            "Ik woon hier pas en kom graag. Ik neem koekjes mee.")
    _backdate(reply, 50)
    service.decide(moderator, reply, Verdict.APPROVE, "Welkom in de wijk!")


def _waiting(ctx: DemoContext, daan: User) -> None:
    idea = board.create_post(
        _theme("activiteiten-en-voorzieningen"), daan, PostKind.IDEA, WAITING_IDEA,
        "Een kast waar buren boeken, speelgoed en keukenspullen kunnen brengen en halen. Wat u niet "
        "meer nodig heeft, maakt een ander blij.", ctx.neighbourhoods["vleuten"].id, None)
    _backdate(idea, 20)
    reply = board.add_reply(_post_titled("Bankjes in de schaduw in Park Vleuterweide"), daan,
                            "Goed plan. Misschien ook een bankje bij de speeltuin?")
    _backdate(reply, 8)
    circle = db.session.scalar(select(Circle).where(Circle.slug == NEWCOMER[2]))
    item = circles.post_help_item(
        circle, daan, kind=HelpKind.REQUEST, category="klusjes", title="Plank ophangen in de keuken",
        text="Ik heb geen boormachine. Wie helpt me een uurtje?", wanted_when="zaterdag")
    db.session.flush()
    _backdate(item, 3)


def _reported_post(ctx: DemoContext) -> None:
    hans = _person("hans.mulder@example.org")
    post = board.create_post(
        _theme("activiteiten-en-voorzieningen"), hans, PostKind.QUESTION, REPORTED_POST,
        "Wie wil mijn scootmobiel kopen? Bel 06 - 12 34 56 78, ook 's avonds.",
        ctx.neighbourhoods["vleuten"].id, None)
    _backdate(post, 30)
    service.report(post, _person("kees.van.der.linden@example.org"), ReportReason.SPAM,
                   "Dit is reclame, geen vraag voor de wijk.")
    service.report(post, _person("ineke.janssen@example.org"), ReportReason.PRIVACY,
                   "Er staat een telefoonnummer in.")


def _hidden_reply(ctx: DemoContext, moderator: User) -> None:
    reply = board.add_reply(_post_titled("Dertig kilometer per uur in de oude dorpskern"),
                            _person("sanne.de.wit@example.org"),
                            "Wat een onzin. Jullie hebben zeker niks beters te doen.")
    _backdate(reply, 72)
    service.report(reply, ctx.users["bewoner"], ReportReason.UNKIND)
    service.decide(moderator, reply, Verdict.HIDE,
                   "Deze reactie is niet vriendelijk. Reageer gerust op het idee zelf.")
