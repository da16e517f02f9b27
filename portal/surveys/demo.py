"""Demo data for peilingen (see portal/demo.py): one open peiling and one closed one.

- Open: "Wat vindt u belangrijk in de wijk?", modelled on the DenkMee questionnaire of April
  and May (118 answers; 94 wanted to share their ideas with neighbours and the gemeente, for
  45 it depended on the subject and the form; 17 wanted a role in the wijkplatform). A few
  neighbours answered online, some on paper through their verbinder; an open answer waits for
  a moderator and one was hidden. bewoner@ and buiten@ have NOT answered it yet (the
  contract: they answer it in the checks).
- Closed, with published results: "Verkeer rond de scholen in De Meern".

Answers are drawn from the demo's fixed random source, so every seed gives the same data.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from portal.dates import local_today, to_utc
from portal.demo_context import DemoContext
from portal.extensions import db
from portal.models import (
    ContentStatus,
    Membership,
    Participation,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyOption,
    SurveyQuestion,
    SurveyResponse,
    Theme,
    User,
)
from portal.models.base import utcnow
from portal.models.circles import MemberRole
from portal.surveys.words import CONTACT_HELP, CONTACT_QUESTION

OPEN_TITLE = "Wat vindt u belangrijk in de wijk?"
OPEN_INTRODUCTION = (
    "In april en mei vulden 118 bewoners de vragenlijst van DenkMee in. 94 van hen willen hun "
    "ideeën over hun straat, buurt of wijk delen met medebewoners en de gemeente; 17 willen "
    "graag meehelpen aan een wijkplatform.\n\n"
    "Nu vragen we het aan iedereen in Vleuten-De Meern: wat vindt u belangrijk, en hoe wilt u "
    "meedoen? Het invullen duurt ongeveer vijf minuten. Geen internet? Vraag de verbinder van "
    "uw buurtcirkel om een papieren formulier."
)
CLOSED_TITLE = "Verkeer rond de scholen in De Meern"

# kind, text, required, options or (low, high) for a scale, weights of the answers
OPEN_QUESTIONS = [
    (QuestionKind.ONE,
     "Wilt u uw ideeën over uw straat, buurt of wijk delen met medebewoners en de gemeente?", True,
     ["Ja", "Dat hangt af van het onderwerp en de vorm", "Nee"], [6, 3, 1]),
    (QuestionKind.MANY, "Welke onderwerpen vindt u belangrijk voor de wijk?", True,
     ["Verkeer", "Groen", "Sociale cohesie: elkaar kennen en helpen", "Activiteiten en voorzieningen",
      "De relatie met de gemeente"], [5, 4, 5, 3, 3]),
    (QuestionKind.SCALE, "Hoe belangrijk vindt u een wijkplatform voor Vleuten-De Meern?", False,
     ("helemaal niet belangrijk", "heel belangrijk"), [1, 1, 3, 5, 4]),
    (QuestionKind.ONE, "Hoe doet u het liefst mee?", False,
     ["Op het buurtportaal", "Op een bijeenkomst in mijn buurt", "Op papier, via mijn verbinder",
      "Liever niet"], [4, 3, 2, 1]),
    (QuestionKind.OPEN, "Wat wilt u de wijkplatformgroep nog meegeven?", False, None, None),
    (QuestionKind.CONTACT, CONTACT_QUESTION, False, None, [1, 2]),
]
OPEN_TEXTS = [
    ("Meer bankjes langs de Leidsche Rijn, voor als je even moet uitrusten.", ContentStatus.PUBLISHED),
    ("Zorg dat ook mensen zonder computer mee kunnen praten.", ContentStatus.PUBLISHED),
    ("Een vaste koffieochtend in elke buurt zou mooi zijn.", ContentStatus.PUBLISHED),
    ("De bus naar het ziekenhuis rijdt te weinig.", ContentStatus.PENDING),
    ("Bel mij maar, ik ben Kees van nummer 12 en ik heb veel ideeën.", ContentStatus.HIDDEN),
]

CLOSED_QUESTIONS = [
    (QuestionKind.ONE, "Voelt u zich veilig als u rond de scholen loopt of fietst?", True,
     ["Ja", "Soms", "Nee"], [2, 4, 3]),
    (QuestionKind.MANY, "Wat zou helpen?", False,
     ["Een 30 km-zone", "Een zebrapad bij de Zandweg", "Meer controle op snelheid",
      "Een plek om kinderen af te zetten"],
     [5, 4, 2, 3]),
    (QuestionKind.SCALE, "Hoe druk vindt u het verkeer 's ochtends rond 8.30 uur?", False,
     ("rustig", "heel druk"), [1, 1, 2, 4, 5]),
    (QuestionKind.OPEN, "Wat wilt u nog kwijt over verkeer rond de scholen?", False, None, None),
    (QuestionKind.CONTACT, CONTACT_QUESTION, False, None, [1, 3]),
]
CLOSED_TEXTS = [
    ("Ouders parkeren op de stoep; met de rollator moet ik dan de weg op.", ContentStatus.PUBLISHED),
    ("Een klaar-over bij de Zandweg zou veel schelen.", ContentStatus.PUBLISHED),
    ("Het is vooral druk tussen 8.15 en 8.45 uur.", ContentStatus.PUBLISHED),
]
PAPER_NAMES = ["Gerda", "Jan", "Toos", "Cor", "Truus", "Bep", "Wim", "Riek", "Henk", "Ria", "Piet", "Lies"]


def seed(ctx: DemoContext) -> None:
    today = local_today(utcnow())
    moderator = ctx.users["moderator"]
    theme = db.session.scalar(select(Theme).where(Theme.slug == "verkeer"))
    open_survey = _survey(OPEN_TITLE, OPEN_INTRODUCTION, today - timedelta(days=12),
                          today + timedelta(days=24), moderator, OPEN_QUESTIONS)
    closed = _survey(
        CLOSED_TITLE,
        "De scholen aan de Zandweg en de Castellumlaan liggen aan drukke wegen. Hoe ervaart u het "
        "verkeer daar, en wat zou helpen? De uitkomst gaat naar de gemeente.",
        today - timedelta(days=75), today - timedelta(days=45), moderator, CLOSED_QUESTIONS,
        neighbourhood=ctx.neighbourhoods["de-meern"], theme=theme)
    closed.results_published_at = utcnow() - timedelta(days=40)
    db.session.add_all([open_survey, closed])
    db.session.flush()

    neighbours = _neighbours(ctx)
    connectors = _connectors()
    # The open one: neighbours online (not bewoner, not buiten), six paper forms.
    not_yet = ("bewoner@example.org", "buiten@example.org")
    online = [person for person in neighbours if person.email not in not_yet]
    _answer(ctx, open_survey, online[:13] + [ctx.users["verbinder"]], connectors, paper=6, texts=OPEN_TEXTS)
    # The closed one: everybody online, twelve on paper.
    _answer(ctx, closed, neighbours + [ctx.users[k] for k in ("bewoner", "buiten", "verbinder", "moderator")],
            connectors, paper=12, texts=CLOSED_TEXTS)


def _survey(title, introduction, first_day, last_day, author, questions, **audience) -> Survey:
    survey = Survey(
        title=title, introduction=introduction, created_by=author,
        opens_at=to_utc(datetime.combine(first_day, time(0, 0))),
        closes_at=to_utc(datetime.combine(last_day, time(23, 59, 59))), **audience)
    for position, (kind, text, required, choices, _weights) in enumerate(questions, start=1):
        question = SurveyQuestion(kind=kind, text=text, required=required, position=position)
        if kind == QuestionKind.SCALE:
            question.low_label, question.high_label = choices
        elif kind == QuestionKind.CONTACT:
            question.help_text = CONTACT_HELP
        elif choices:
            question.options = [SurveyOption(position=n, label=label) for n, label in enumerate(choices, 1)]
        survey.questions.append(question)
    return survey


def _neighbours(ctx: DemoContext) -> list[User]:
    """The demo's residents beyond the five contract accounts, oldest account first."""
    contract = {user.email for user in ctx.users.values()}
    people = db.session.scalars(select(User).join(Participation, Participation.user_id == User.id)
                                .where(Participation.trusted.is_(True)).order_by(User.id)).all()
    return [person for person in people if person.email not in contract]


def _connectors() -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.role == MemberRole.CONNECTOR).order_by(User.id)))


def _answer(ctx: DemoContext, survey: Survey, people: list[User], connectors: list[User], paper: int,
            texts: list[tuple[str, str]]) -> None:
    rng = ctx.rng
    definitions = OPEN_QUESTIONS if survey.title == OPEN_TITLE else CLOSED_QUESTIONS
    span = max((min(survey.closes_at, utcnow()) - survey.opens_at).total_seconds(), 3600)
    respondents = [(person, None, None) for person in people]
    respondents += [(None, connectors[n % len(connectors)], PAPER_NAMES[n % len(PAPER_NAMES)])
                    for n in range(paper)]
    open_texts = list(texts)
    for person, verbinder, name in respondents:
        moment = survey.opens_at + timedelta(seconds=rng.uniform(0.05, 0.95) * span)
        response = SurveyResponse(survey=survey, user=person, on_paper=person is None, entered_by=verbinder,
                                  on_behalf_name=name, created_at=moment, updated_at=moment)
        for question, definition in zip(survey.questions, definitions, strict=True):
            response.answers.extend(_answers_to(rng, question, definition[-1], open_texts, moment))
        db.session.add(response)


def _answers_to(rng, question: SurveyQuestion, weights, open_texts: list,
                moment: datetime) -> list[SurveyAnswer]:
    def answer(**fields):
        return SurveyAnswer(question=question, created_at=moment, **fields)

    if question.kind == QuestionKind.OPEN:
        if not open_texts or rng.random() > 0.4:
            return []
        text, status = open_texts.pop(0)
        return [answer(text=text, text_status=status)]
    if question.kind == QuestionKind.MANY:
        chosen = [o for o, w in zip(question.options, weights, strict=True) if rng.random() < w / 7]
        return [answer(option=o) for o in chosen or [rng.choices(question.options, weights)[0]]]
    if not question.required and rng.random() < 0.1:
        return []  # skipped a question that was not required
    if question.kind == QuestionKind.ONE:
        return [answer(option=rng.choices(question.options, weights)[0])]
    if question.kind == QuestionKind.SCALE:
        return [answer(value=rng.choices([1, 2, 3, 4, 5], weights)[0])]
    return [answer(value=rng.choices([1, 0], weights)[0])]  # contact: ja or nee
