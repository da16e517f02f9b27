"""Factories: make what a test needs in one line, with sensible defaults.

Each function commits, so the rows are there for the next request of the test client.
"""

import itertools
from datetime import timedelta
from functools import cache

from portal.board import service as board_service
from portal.circles import service as circle_service
from portal.extensions import db
from portal.models import (
    Circle,
    District,
    Event,
    HelpItem,
    Membership,
    MunicipalStatus,
    Neighbourhood,
    Post,
    PostKind,
    Registration,
    Reply,
    Role,
    SignalPhase,
    Street,
    Support,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    Theme,
    User,
)
from portal.models.base import utcnow
from portal.moderation import service as moderation_service
from portal.wijk import required_district_id

PASSWORD = "wachtwoord-voor-tests"
_counter = itertools.count(1)


def make_user(name: str | None = None, email: str | None = None, role: str = Role.RESIDENT,
              trusted: bool = True, password: str = PASSWORD) -> User:
    n = next(_counter)
    user = User(name=name or f"Bewoner {n}", email=email or f"bewoner{n}@example.org",
                role=role, trusted=trusted)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


# --- Circles (buurtcirkels) -------------------------------------------------------------------


@cache
def _password_hash() -> str:
    """Hashing is slow on purpose; circle tests make many people, all with PASSWORD."""
    user = User(name="x", email="x@example.org")
    user.set_password(PASSWORD)
    return user.password_hash


def make_neighbourhood(name: str = "Vleuten") -> Neighbourhood:
    slug = name.lower().replace(" ", "-")
    existing = db.session.scalar(db.select(Neighbourhood).where(Neighbourhood.slug == slug))
    if existing:
        return existing
    district = db.session.get(District, required_district_id())
    neighbourhood = Neighbourhood(slug=slug, name=name, district=district)
    db.session.add(neighbourhood)
    db.session.commit()
    return neighbourhood


def make_circle(name: str | None = None, streets=("Dorpsstraat",), neighbourhood: str = "Vleuten",
                latitude: float = 52.1079, longitude: float = 5.0127, radius_m: int = 300,
                contact_line: str = "") -> Circle:
    n = next(_counter)
    name = name or f"Cirkel {n}"
    circle = Circle(
        slug=f"{name.lower().replace(' ', '-')}-{n}", name=name,
        neighbourhood=make_neighbourhood(neighbourhood),
        latitude=latitude, longitude=longitude, radius_m=radius_m, contact_line=contact_line,
        streets=[Street(name=street) for street in streets],
    )
    db.session.add(circle)
    db.session.commit()
    return circle


def make_member(circle: Circle, role: str = "member", name: str | None = None, user_role: str = Role.RESIDENT,
                email: str | None = None) -> User:
    """A new person who belongs to ``circle`` (as "member" or "connector"); password PASSWORD."""
    n = next(_counter)
    user = User(name=name or f"Buur {n}", email=email or f"buur{n}@example.org", role=user_role,
                trusted=True, password_hash=_password_hash())
    db.session.add(user)
    db.session.add(Membership(user=user, circle=circle, role=role))
    db.session.commit()
    return user


def make_help_item(circle: Circle, author: User, kind: str = "request", title: str = "Boodschappen doen",
                   category: str = "boodschappen", days_ago: int = 0,
                   on_behalf: tuple[str, str] | None = None, text: str = "") -> HelpItem:
    name, street = on_behalf or (None, None)
    item = circle_service.post_help_item(
        circle, author, kind=kind, category=category, title=title, text=text,
        on_behalf_name=name, on_behalf_street=street, at=utcnow() - timedelta(days=days_ago),
    )
    db.session.commit()
    return item


# --- Board (wijkplatform): themes, posts, replies, steun ------------------------------------

def theme(slug: str = "verkeer") -> Theme:
    """One of the themes migration 0003 adds (verkeer, groen, ...)."""
    return db.session.scalar(db.select(Theme).where(Theme.slug == slug))


def make_post(author: User | None = None, theme_slug: str = "verkeer", kind: str = PostKind.IDEA,
              title: str | None = None, body: str = "Een idee voor de buurt.",
              minutes_ago: int = 0, neighbourhood: Neighbourhood | None = None,
              status: str = "published", support_count: int = 0, **signal) -> Post:
    """A post; a signal (kind=PostKind.SIGNAL) starts as 'nieuw' before the decision. A
    published one counts in its theme's ``post_count``, as ``create_post`` does."""
    n = next(_counter)
    post = Post(theme=theme(theme_slug), author=author or make_user(), kind=kind,
                title=title or f"Bericht {n}", body=body, neighbourhood=neighbourhood,
                status=status, support_count=support_count,
                created_at=utcnow() - timedelta(minutes=minutes_ago))
    if kind == PostKind.SIGNAL:
        post.phase = signal.get("phase", SignalPhase.BEFORE_DECISION)
        post.municipal_status = signal.get("municipal_status", MunicipalStatus.NEW)
        post.municipal_answer = signal.get("municipal_answer")
        post.answered_at = signal.get("answered_at")
    if status == "published":
        post.theme.post_count += 1
    db.session.add(post)
    db.session.commit()
    return post


def make_reply(post: Post, author: User | None = None, body: str = "Goed idee!",
               minutes_ago: int = 0) -> Reply:
    reply = Reply(post=post, author=author or make_user(), body=body,
                  created_at=utcnow() - timedelta(minutes=minutes_ago))
    post.reply_count += 1
    db.session.add(reply)
    db.session.commit()
    return reply


def make_support(post: Post, user: User | None = None) -> Support:
    support = Support(post=post, user=user or make_user())
    post.support_count += 1
    db.session.add(support)
    db.session.commit()
    return support


# --- Agenda (events) ---------------------------------------------------------------------

def make_event(title: str = "Koffieochtend", starts_at=None, hours: float = 2, capacity: int | None = None,
               registration_required: bool = True, place_name: str = "De Pijler", **fields):
    """An event a week from now (``starts_at`` is naive UTC, as stored)."""
    starts = starts_at or utcnow().replace(microsecond=0) + timedelta(days=7)
    event = Event(title=title, starts_at=starts, ends_at=starts + timedelta(hours=hours),
                  place_name=place_name, capacity=capacity,
                  registration_required=registration_required, **fields)
    db.session.add(event)
    db.session.commit()
    return event


def make_registration(event, user=None, status: str = "confirmed", guest_name: str = ""):
    registration = Registration(event=event, user=user, status=status, guest_name=guest_name)
    db.session.add(registration)
    db.session.commit()
    return registration


# --- Moderation: new accounts, their contributions, reports ---------------------------------


def make_newcomer(name: str | None = None, **kwargs) -> User:
    """A *nieuw* account: what it writes waits for a moderator."""
    return make_user(name=name, trusted=False, **kwargs)


def make_pending_post(author: User | None = None, title: str | None = None, body: str | None = None,
                      theme_slug: str = "verkeer") -> Post:
    """A post of a new account, waiting in the queue (stored as the board's form stores it)."""
    author = author or make_newcomer()
    n = next(_counter)
    post = board_service.create_post(theme(theme_slug), author, PostKind.IDEA, title or f"Nieuw idee {n}",
                                     body or f"Een idee van een nieuwe bewoner ({n}).", None, None)
    assert post.status == "pending", "make_pending_post needs a new (untrusted) author"
    return post


def make_report(item, reporter: User | None = None, reason: str = "onvriendelijk", explanation: str = ""):
    """A melding, as the report form stores it; returns the outcome."""
    return moderation_service.report(item, reporter or make_user(), reason, explanation)


# --- Peilingen (surveys) ------------------------------------------------------------------------

SURVEY_QUESTIONS = [
    # kind, text, options (or the two words of a scale), required
    ("one", "Wilt u uw ideeën delen?", ["Ja", "Dat hangt ervan af", "Nee"], True),
    ("many", "Welke onderwerpen vindt u belangrijk?", ["Verkeer", "Groen", "Elkaar helpen"], False),
    ("scale", "Hoe belangrijk is een wijkplatform?", ["niet belangrijk", "heel belangrijk"], False),
    ("open", "Wat wilt u nog meegeven?", None, False),
    ("contact", "Mag de wijkplatformgroep u benaderen?", None, False),
]


def make_survey(title: str = "Wat vindt u belangrijk?", questions=SURVEY_QUESTIONS,
                opened_days_ago: int = 1, closes_in_days: int = 10, published: bool = False,
                author: User | None = None, **fields):
    """A peiling with one question of each kind (by default), open since yesterday."""
    now = utcnow().replace(microsecond=0)
    survey = Survey(title=title, introduction="Doe mee!", created_by=author,
                    opens_at=now - timedelta(days=opened_days_ago),
                    closes_at=now + timedelta(days=closes_in_days),
                    results_published_at=now if published else None, **fields)
    for position, (kind, text, choices, required) in enumerate(questions, start=1):
        question = SurveyQuestion(kind=kind, text=text, required=required, position=position)
        if kind == "scale":
            question.low_label, question.high_label = choices
        elif choices:
            question.options = [SurveyOption(position=n, label=label) for n, label in enumerate(choices, 1)]
        survey.questions.append(question)
    db.session.add(survey)
    db.session.commit()
    return survey


def make_survey_response(survey, user: User | None = None, choices: dict | None = None,
                         entered_by: User | None = None, on_behalf_name: str | None = None):
    """A response as the answer form stores it; ``choices`` maps a question's position (1 is
    the first) to an option label, a list of labels, a scale number, "ja"/"nee" or a text."""
    response = SurveyResponse(survey=survey, user=user, on_paper=user is None, entered_by=entered_by,
                              on_behalf_name=on_behalf_name)
    questions = {q.position: q for q in survey.questions}
    for position, value in (choices or {}).items():
        question = questions[position]
        if question.kind in ("one", "many"):
            labels = value if isinstance(value, list) else [value]
            for option in question.options:
                if option.label in labels:
                    response.answers.append(SurveyAnswer(question=question, option=option))
        elif question.kind == "scale":
            response.answers.append(SurveyAnswer(question=question, value=int(value)))
        elif question.kind == "contact":
            response.answers.append(SurveyAnswer(question=question, value=1 if value == "ja" else 0))
        else:
            response.answers.append(SurveyAnswer(question=question, text=value, text_status="pending"))
    db.session.add(response)
    db.session.commit()
    return response


# --- Wijkinformatiepunt and sociale kaart -----------------------------------------------------


def make_organization(name: str | None = None, phone: str = "", needs=("geldzaken",), schedules=(),
                      is_infopoint: bool = False, description: str = "", services: int = 1,
                      address: tuple[str, str, str] = ("Dorpsstraat 1", "3451 AB", "Vleuten"),
                      assured_days_ago: int | None = 10, commit: bool = True):
    """An organisation with ``services`` services for ``needs``, at one location, with
    ``schedules``: (rule, opens, closes) triples, wall-clock times."""
    from datetime import time

    from portal.dates import local_today
    from portal.models import Location, Organization, Schedule, Service, ServiceAtLocation, ServiceNeed

    n = next(_counter)
    name = name or f"Organisatie {n}"
    organization = Organization(
        slug=f"{name.lower().replace(' ', '-')}-{n}", name=name, description=description or f"Over {name}.",
        phone=phone, is_infopoint=is_infopoint,
        assured_date=None if assured_days_ago is None
        else local_today(utcnow()) - timedelta(days=assured_days_ago),
    )
    street, postal_code, city = address
    place = Location(organization=organization, name=f"Buurthuis {n}", address_1=street,
                     postal_code=postal_code, city=city, accessibility="Ingang zonder drempel",
                     transportation="Bus 28")
    for number in range(1, services + 1):
        service = Service(organization=organization, name=f"Hulp {number} van {name}",
                          description="Wij helpen u.", fees_description="Gratis",
                          required_documents="Uw brieven\nUw pas",
                          needs=[ServiceNeed(need=need) for need in needs])
        at = ServiceAtLocation(service=service, location=place)
        for rule, opens, closes in schedules:
            opens_at = opens if isinstance(opens, time) else time(*opens)
            closes_at = closes if isinstance(closes, time) else time(*closes)
            at.schedules.append(Schedule(rrule=rule, opens_at=opens_at, closes_at=closes_at))
        db.session.add(at)
    db.session.add(organization)
    if commit:
        db.session.commit()
    return organization


def make_question(name: str = "Truus", phone: str = "06 12345678", email: str = "",
                  question: str = "Wie helpt?", days_ago: int = 0, handled_days_ago: int | None = None,
                  status: str = "new"):
    from portal.models import Question

    handled_at = None if handled_days_ago is None else utcnow() - timedelta(days=handled_days_ago)
    question_ = Question(name=name, phone=phone, email=email, question=question, consent=True,
                         created_at=utcnow() - timedelta(days=days_ago), status=status, handled_at=handled_at)
    db.session.add(question_)
    db.session.commit()
    return question_
