"""Peilingen without JavaScript (the Flask test client): answering once and changing it, paper
forms by a verbinder, results with a chart and their CSV, building a peiling, open answers,
the contact list, a post "Uit de peiling", budgets and a fixed number of queries."""

import csv
import gzip
import io
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from portal import demo
from portal.extensions import db
from portal.models import Post, Role, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse, User
from portal.surveys.demo import CLOSED_TITLE, OPEN_TITLE
from tests.budgets import FRAGMENT_BUDGET, assert_no_third_party, assert_within_budget
from tests.conftest import htmx_headers, login
from tests.factories import (
    make_circle,
    make_member,
    make_survey,
    make_survey_response,
    make_user,
)

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
SVG_NS = "{http://www.w3.org/2000/svg}"
TURNOUT = re.compile(r'<p class="turnout">(\d+) (?:mensen deden|persoon deed) mee, (\d+) op papier\.</p>')
DEMO_PASSWORD = "demo-wachtwoord"


def html(response) -> str:
    return response.get_data(as_text=True)


def field(question) -> str:
    return f"vraag-{question.id}"


def option_id(question, label: str) -> str:
    return str(next(o.id for o in question.options if o.label == label))


def form_for(survey, **by_position) -> dict:
    """Form data as a browser sends it: ``q1="Ja"``, ``q2=["Groen"]``, ``q3=4``, ``q4="tekst"``."""
    questions = {f"q{q.position}": q for q in survey.questions}
    data = {}
    for key, value in by_position.items():
        question = questions[key]
        if question.kind in ("one", "many"):
            labels = value if isinstance(value, list) else [value]
            data[field(question)] = [option_id(question, label) for label in labels]
        else:
            data[field(question)] = str(value)
    return data


def turnout(client, survey_id: int) -> tuple[int, int]:
    found = TURNOUT.search(html(client.get(f"/peilingen/{survey_id}/uitslag")))
    assert found, "no turnout line on the results page"
    return int(found.group(1)), int(found.group(2))


def csv_rows(client, survey_id: int) -> list[list[str]]:
    response = client.get(f"/peilingen/{survey_id}/uitslag.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Dutch Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def seeded(app):
    demo.seed(password=DEMO_PASSWORD)
    db.session.commit()  # seed-demo commits; here the test does
    return {u.email.split("@")[0]: u for u in db.session.scalars(db.select(User))}


def demo_survey(title: str) -> Survey:
    return db.session.scalar(db.select(Survey).where(Survey.title == title))


def responses_of(survey: Survey) -> int:
    return db.session.scalar(db.select(db.func.count()).where(SurveyResponse.survey_id == survey.id))


# --- The contract: routes and demo data --------------------------------------------------------


def test_routes_match_the_design_contract(app):
    rules = {r.rule for r in app.url_map.iter_rules()}
    assert {"/peilingen", "/peilingen/<int:survey_id>", "/peilingen/<int:survey_id>/uitslag",
            "/peilingen/<int:survey_id>/uitslag.csv", "/peilingen/nieuw"} <= rules


def test_demo_has_an_open_peiling_bewoner_has_not_answered_and_a_published_closed_one(seeded):
    open_survey, closed = demo_survey(OPEN_TITLE), demo_survey(CLOSED_TITLE)
    assert open_survey.is_open() and not open_survey.results_published
    assert closed.is_closed() and closed.results_published
    answered = set(db.session.scalars(db.select(SurveyResponse.user_id).where(
        SurveyResponse.survey_id == open_survey.id, SurveyResponse.user_id.is_not(None))))
    assert seeded["bewoner"].id not in answered and seeded["buiten"].id not in answered
    on_paper = db.session.scalar(db.select(db.func.count()).where(
        SurveyResponse.survey_id == open_survey.id, SurveyResponse.on_paper.is_(True)))
    assert responses_of(open_survey) > on_paper > 0
    kinds = {q.kind for q in open_survey.questions}
    assert kinds == {"one", "many", "scale", "open", "contact"}


# --- The "done when", without JavaScript ---------------------------------------------------


def test_bewoner_and_buiten_answer_the_demo_peiling_and_the_csv_has_exactly_their_responses(client, seeded):
    survey = demo_survey(OPEN_TITLE)
    q1, q2, open_question = (survey.questions[n] for n in (0, 1, 4))
    moderator_client = client.application.test_client()
    login(moderator_client, seeded["moderator"], DEMO_PASSWORD)
    before, before_paper = turnout(moderator_client, survey.id)
    rows_before = csv_rows(moderator_client, survey.id)
    assert len(rows_before) == 1 + before  # the heading, then one row per response

    login(client, seeded["bewoner"], DEMO_PASSWORD)
    page = html(client.get(f"/peilingen/{survey.id}"))
    assert "Antwoorden versturen" in page and 'class="option"' in page
    answered = client.post(f"/peilingen/{survey.id}", data=form_for(
        survey, q1="Ja", q2=["Groen", "Verkeer"], q3=5, q5="Meer bankjes bij het water", q6="ja"))
    assert answered.status_code == 303 and answered.location.endswith(f"/peilingen/{survey.id}")
    page = html(client.get(f"/peilingen/{survey.id}"))
    assert "Uw antwoorden zijn opgeslagen" in page
    assert "U deed mee op" in page and "Mijn antwoorden veranderen" in page
    assert f'value="{option_id(q1, "Ja")}" checked' in page  # her own answers, to change
    assert "Meer bankjes bij het water</textarea>" in page
    assert turnout(moderator_client, survey.id) == (before + 1, before_paper)

    changed = client.post(f"/peilingen/{survey.id}", data=form_for(
        survey, q1="Nee", q2=["Groen"], q3=2, q6="nee"))
    assert changed.status_code == 303
    assert "Uw antwoorden zijn veranderd" in html(client.get(f"/peilingen/{survey.id}"))
    assert turnout(moderator_client, survey.id) == (before + 1, before_paper)  # changed, not added
    mine = db.session.scalars(db.select(SurveyAnswer).join(SurveyResponse).where(
        SurveyResponse.user_id == seeded["bewoner"].id, SurveyResponse.survey_id == survey.id)).all()
    assert {a.question_id for a in mine} == {q1.id, q2.id, survey.questions[2].id, survey.questions[5].id}
    assert open_question.id not in {a.question_id for a in mine}  # the open answer she took back is gone

    buiten = client.application.test_client()
    login(buiten, seeded["buiten"], DEMO_PASSWORD)
    depends = "Dat hangt af van het onderwerp en de vorm"
    answer = form_for(survey, q1=depends, q2=["Verkeer"])
    assert buiten.post(f"/peilingen/{survey.id}", data=answer).status_code == 303
    assert turnout(moderator_client, survey.id) == (before + 2, before_paper)

    rows = csv_rows(moderator_client, survey.id)
    assert len(rows) == 1 + before + 2
    assert rows[0][:3] == ["nummer", "hoe", "ingevuld"] and len(rows[0]) == 3 + len(survey.questions)
    new_rows = [row for row in rows[1:] if row not in rows_before[1:]]
    answers = sorted((row[3], row[4]) for row in new_rows)
    assert answers == [("Dat hangt af van het onderwerp en de vorm", "Verkeer"), ("Nee", "Groen")]
    text = "\n".join(";".join(row) for row in rows)
    for person in db.session.scalars(db.select(User)):
        assert person.email not in text and person.name not in text
    for name in db.session.scalars(db.select(SurveyResponse.on_behalf_name).where(
            SurveyResponse.on_behalf_name.is_not(None))):
        assert not re.search(rf"\b{name}\b", text)  # nor the first name on a paper form


def test_nobody_but_a_moderator_gets_the_csv(client, seeded):
    survey = demo_survey(CLOSED_TITLE)  # even with public results
    assert client.get(f"/peilingen/{survey.id}/uitslag.csv").status_code in (403, 404)
    login(client, seeded["bewoner"], DEMO_PASSWORD)
    assert client.get(f"/peilingen/{survey.id}/uitslag.csv").status_code in (403, 404)
    login(client, seeded["verbinder"], DEMO_PASSWORD)
    assert client.get(f"/peilingen/{survey.id}/uitslag.csv").status_code in (403, 404)


def test_a_verbinder_enters_a_paper_form_and_the_results_count_it_as_paper(client, seeded):
    survey = demo_survey(OPEN_TITLE)
    moderator_client = client.application.test_client()
    login(moderator_client, seeded["moderator"], DEMO_PASSWORD)
    total, paper = turnout(moderator_client, survey.id)

    login(client, seeded["verbinder"], DEMO_PASSWORD)
    assert "Papieren formulier van een buur invoeren" in html(client.get(f"/peilingen/{survey.id}"))
    form = client.get(f"/peilingen/{survey.id}/papier")
    assert form.status_code == 200 and 'name="on_behalf_name"' in html(form)
    saved = client.post(f"/peilingen/{survey.id}/papier", data={
        "on_behalf_name": "Gerrie", **form_for(survey, q1="Ja", q2=["Groen"], q6="ja")})
    assert saved.status_code == 303
    next_form = html(client.get(f"/peilingen/{survey.id}/papier"))
    assert "Het papieren formulier van Gerrie is opgeslagen" in next_form
    assert turnout(moderator_client, survey.id) == (total + 1, paper + 1)
    assert csv_rows(moderator_client, survey.id)[-1][1] == "papier" or any(
        row[1] == "papier" for row in csv_rows(moderator_client, survey.id)[1:])
    response = db.session.scalar(db.select(SurveyResponse).where(SurveyResponse.on_behalf_name == "Gerrie"))
    assert response.on_paper and response.user_id is None and response.entered_by_id == seeded["verbinder"].id

    contacts = html(moderator_client.get(f"/peilingen/{survey.id}/contact"))
    assert "Gerrie" in contacts and "via verbinder Sonja Bakker" in contacts
    assert "Gerrie" not in html(moderator_client.get(f"/peilingen/{survey.id}/uitslag"))


def test_only_verbinders_and_moderators_enter_paper_forms(client, seeded):
    survey = demo_survey(OPEN_TITLE)
    login(client, seeded["bewoner"], DEMO_PASSWORD)
    refused = client.get(f"/peilingen/{survey.id}/papier")
    assert refused.status_code == 403 and "Alleen voor verbinders" in html(refused)
    assert client.post(f"/peilingen/{survey.id}/papier", data={"on_behalf_name": "X"}).status_code == 403
    assert "Papieren formulier van een buur invoeren" not in html(client.get(f"/peilingen/{survey.id}"))


def test_a_paper_form_with_errors_keeps_what_was_typed(client):
    circle = make_circle()
    verbinder = make_member(circle, role="connector")
    survey = make_survey()
    login(client, verbinder)
    response = client.post(f"/peilingen/{survey.id}/papier", data={
        "on_behalf_name": "", **form_for(survey, q4="Een bankje bij de bushalte")})
    assert response.status_code == 422
    page = html(response)
    assert "Vul dit veld in." in page and "Deze vraag is verplicht" in page
    assert "Een bankje bij de bushalte</textarea>" in page
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


# --- Answering: the rules --------------------------------------------------------------------------


def test_a_missing_required_answer_comes_back_with_the_message_next_to_it_and_the_answers_kept(client):
    survey = make_survey()
    q1, q2 = survey.questions[0], survey.questions[1]
    login(client, make_user())
    response = client.post(f"/peilingen/{survey.id}", data=form_for(
        survey, q2=["Groen", "Verkeer"], q3=4, q4="Mijn eigen <woorden> & meer"))
    assert response.status_code == 422
    page = html(response)
    assert "Er is iets niet goed ingevuld" in page
    assert f'<p class="error" id="vraag-{q1.id}-fout">Deze vraag is verplicht. Kies een antwoord.</p>' in page
    assert f'aria-describedby="vraag-{q1.id}-fout"' in page
    for label in ("Groen", "Verkeer"):
        assert f'value="{option_id(q2, label)}" checked' in page
    assert 'value="4" checked' in page
    assert "Mijn eigen &lt;woorden&gt; &amp; meer</textarea>" in page
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


@pytest.mark.parametrize("data", [
    {"q1": "999999"}, {"q1": "Ja", "q3": "7"}, {"q1": "Ja", "q5": "misschien"}, {"q1": ["Ja", "Nee"]},
    {"q1": "Ja", "q4": "x" * 2001},
])
def test_answers_that_do_not_fit_the_question_are_refused(client, data):
    survey = make_survey()
    questions = {f"q{q.position}": q for q in survey.questions}
    sent = {}
    for key, value in data.items():
        question = questions[key]
        values = value if isinstance(value, list) else [value]
        labels = {o.label for o in question.options}
        sent[field(question)] = [option_id(question, v) if v in labels else v for v in values]
    login(client, make_user())
    response = client.post(f"/peilingen/{survey.id}", data=sent)
    assert response.status_code == 422 and 'class="error"' in html(response)
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


def test_signed_out_visitors_are_asked_to_sign_in(client):
    survey = make_survey()
    page = html(client.get(f"/peilingen/{survey.id}"))
    assert "Log in om mee te doen" in page and "papieren formulier" in page
    assert 'name="csrf_token"' not in page  # a public page carries no token (kept for visitors)


def test_a_closed_peiling_takes_no_answers(client):
    survey = make_survey(opened_days_ago=20, closes_in_days=-2, published=True)
    person = make_user()
    login(client, person)
    assert "Deze peiling is gesloten" in html(client.get(f"/peilingen/{survey.id}"))
    response = client.post(f"/peilingen/{survey.id}", data=form_for(survey, q1="Ja"), follow_redirects=True)
    assert "Deze peiling is gesloten" in html(response)
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 0


def test_a_peiling_in_preparation_is_only_for_moderators(client):
    survey = make_survey(opened_days_ago=-3)
    assert client.get(f"/peilingen/{survey.id}").status_code == 404
    assert survey.title not in html(client.get("/peilingen"))
    login(client, make_user(role=Role.MODERATOR))
    page = html(client.get(f"/peilingen/{survey.id}"))
    assert "in voorbereiding" in page
    assert survey.title in html(client.get("/peilingen"))


def test_answering_is_rate_limited_per_person(client):
    survey = make_survey()
    login(client, make_user())
    statuses = [client.post(f"/peilingen/{survey.id}", data=form_for(survey, q1="Ja")).status_code
                for _ in range(31)]
    assert statuses[:30] == [303] * 30 and statuses[30] == 429
    assert db.session.scalar(db.select(db.func.count(SurveyResponse.id))) == 1


# --- Results --------------------------------------------------------------------------------------


def test_results_are_public_only_once_published(client):
    survey = make_survey()
    make_survey_response(survey, make_user(), {1: "Ja"})
    refused = client.get(f"/peilingen/{survey.id}/uitslag")
    assert refused.status_code == 403 and "De uitslag is nog niet openbaar" in html(refused)
    moderator = make_user(role=Role.MODERATOR)
    login(client, moderator)
    assert "Deze uitslag is nog niet openbaar" in html(client.get(f"/peilingen/{survey.id}/uitslag"))
    published = client.post(f"/peilingen/{survey.id}/openbaar", data={"openbaar": "ja"},
                            follow_redirects=True)
    assert "De uitslag is nu voor iedereen te zien." in html(published)
    visitor = client.application.test_client()
    assert visitor.get(f"/peilingen/{survey.id}/uitslag").status_code == 200
    client.post(f"/peilingen/{survey.id}/openbaar", data={"openbaar": "nee"})
    assert visitor.get(f"/peilingen/{survey.id}/uitslag").status_code == 403


def test_results_count_and_percentages_per_question_with_a_valid_svg_chart(client):
    survey = make_survey(published=True)
    for n, (one, many, scale) in enumerate([("Ja", ["Groen"], 5), ("Ja", ["Groen", "Verkeer"], 4),
                                            ("Nee", [], 4)]):
        make_survey_response(survey, make_user() if n < 2 else None, {1: one, 2: many, 3: scale},
                             on_behalf_name=None if n < 2 else "Gerda")
    page = html(client.get(f"/peilingen/{survey.id}/uitslag"))
    assert "3 mensen deden mee, 1 op papier." in page
    assert "3 mensen beantwoordden deze vraag." in page and "2 mensen beantwoordden deze vraag." in page
    assert '<th scope="row">Ja</th><td>2</td><td>67%</td>' in page
    assert '<th scope="row">Nee</th><td>1</td><td>33%</td>' in page
    assert '<th scope="row">Groen</th><td>2</td><td>100%</td>' in page  # several choices: of 2 who answered
    assert '<th scope="row">Verkeer</th><td>1</td><td>50%</td>' in page
    assert "Gemiddeld: 4,3" in page
    assert " style=" not in page  # the CSP forbids inline styles
    charts = SVG.findall(page)
    assert len(charts) == 3  # one, many and scale; nobody answered the contact question, and open has none
    for chart in charts:
        root = ET.fromstring(chart)  # noqa: S314 - our own page; well-formed XML in the SVG namespace
        assert root.tag == f"{SVG_NS}svg" and root.get("role") == "img"
        title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
        assert title is not None and title.text.startswith("Staafdiagram") and desc is not None
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert root.findall(f"{SVG_NS}rect") and root.findall(f"{SVG_NS}text")
    first = ET.fromstring(charts[0])  # noqa: S314 - our own page
    bars = [rect.get("width") for rect in first.findall(f"{SVG_NS}rect") if rect.get("class") == "chart-bar"]
    assert bars == ["67%", "33%"]


def test_open_answers_show_only_after_a_moderator_approved_them(client):
    survey = make_survey(published=True)
    open_question = survey.questions[3]
    response = make_survey_response(survey, make_user(), {1: "Ja", 4: "Een bankje bij de kerk"})
    other = make_survey_response(survey, make_user(), {1: "Ja", 4: "Bel Kees op 06-12345678"})
    assert "Een bankje bij de kerk" not in html(client.get(f"/peilingen/{survey.id}/uitslag"))

    moderator_client = client.application.test_client()
    login(moderator_client, make_user(role=Role.MODERATOR))
    listing = html(moderator_client.get(f"/peilingen/{survey.id}/open-antwoorden"))
    assert "Een bankje bij de kerk" in listing and "Wacht op controle" in listing
    [answer] = [a for a in response.answers if a.question_id == open_question.id]
    [unwanted] = [a for a in other.answers if a.question_id == open_question.id]
    approved = moderator_client.post(f"/peilingen/antwoorden/{answer.id}/goedkeuren")
    assert approved.status_code == 303
    inline = moderator_client.post(f"/peilingen/antwoorden/{unwanted.id}/verbergen", headers=htmx_headers())
    assert inline.status_code == 200 and "Verborgen" in html(inline) and "<html" not in html(inline)
    assert len(inline.get_data()) <= FRAGMENT_BUDGET

    page = html(client.get(f"/peilingen/{survey.id}/uitslag"))
    assert "Een bankje bij de kerk" in page and "06-12345678" not in page
    assert "2 mensen beantwoordden deze vraag." in page  # the hidden one still counts
    rows = csv_rows(moderator_client, survey.id)
    assert "Een bankje bij de kerk" in rows[1] + rows[2]
    assert not any("06-12345678" in cell for row in rows for cell in row)  # the CSV holds approved texts only


def test_residents_may_not_review_open_answers(client):
    survey = make_survey()
    response = make_survey_response(survey, make_user(), {1: "Ja", 4: "Iets"})
    login(client, make_user())
    assert client.post(f"/peilingen/antwoorden/{response.answers[-1].id}/goedkeuren").status_code == 403
    assert client.get(f"/peilingen/{survey.id}/open-antwoorden").status_code == 403
    assert client.get(f"/peilingen/{survey.id}/contact").status_code == 403


def test_the_csv_never_turns_an_answer_into_a_formula(client):
    survey = make_survey()
    response = make_survey_response(survey, make_user(), {1: "Ja", 4: "=HYPERLINK(\"http://x\")"})
    response.answers[-1].text_status = "published"
    db.session.commit()
    login(client, make_user(role=Role.MODERATOR))
    rows = csv_rows(client, survey.id)
    assert rows[1][6] == "'=HYPERLINK(\"http://x\")"


def test_the_contact_list_shows_who_said_yes_to_moderators_only(client):
    survey = make_survey()
    yes = make_user(name="Truus Jansen", email="truus@example.org")
    make_survey_response(survey, yes, {1: "Ja", 5: "ja"})
    make_survey_response(survey, make_user(name="Piet Nee"), {1: "Ja", 5: "nee"})
    login(client, make_user(role=Role.MODERATOR))
    page = html(client.get(f"/peilingen/{survey.id}/contact"))
    assert "Truus Jansen" in page and "truus@example.org" in page and "Piet Nee" not in page
    assert "Truus Jansen" not in html(client.get(f"/peilingen/{survey.id}/uitslag"))


# --- Building (moderators) -------------------------------------------------------------------------


def test_a_moderator_builds_a_peiling_with_five_kinds_of_question(client):
    login(client, make_user(role=Role.MODERATOR))
    assert client.get("/peilingen/nieuw").status_code == 200
    created = client.post("/peilingen/nieuw", data={
        "title": "Groen in Vleuterweide", "introduction": "Wat vindt u van het groen?",
        "opens_on": date.today().isoformat(), "closes_on": (date.today() + timedelta(days=30)).isoformat(),
        "audience": ""})
    assert created.status_code == 303
    survey = db.session.scalar(db.select(Survey).where(Survey.title == "Groen in Vleuterweide"))
    assert created.location.endswith(f"/peilingen/{survey.id}/bewerken")
    questions = [
        {"kind": "one", "text": "Is er genoeg groen?", "options": "Ja\nNee\nWeet ik niet", "required": "y"},
        {"kind": "many", "text": "Waar mist u groen?", "options": "Bij school\nBij de winkels"},
        {"kind": "scale", "text": "Hoe tevreden bent u?", "low_label": "ontevreden",
         "high_label": "tevreden"},
        {"kind": "open", "text": "Uw idee voor meer groen?"},
        {"kind": "contact", "text": ""},
    ]
    for question in questions:
        assert client.post(f"/peilingen/{survey.id}/vragen", data=question).status_code == 303
    db.session.expire_all()
    survey = db.session.get(Survey, survey.id)
    assert [q.kind for q in survey.questions] == ["one", "many", "scale", "open", "contact"]
    assert [o.label for o in survey.questions[0].options] == ["Ja", "Nee", "Weet ik niet"]
    assert survey.questions[0].required and not survey.questions[1].required
    assert survey.questions[4].text == "Mag de wijkplatformgroep u benaderen?"

    page = html(client.get(f"/peilingen/{survey.id}/bewerken"))
    assert "Is er genoeg groen?" in page and "data-hx-post" in page and " hx-post" not in page
    preview = html(client.get(f"/peilingen/{survey.id}/voorbeeld"))
    assert "Zo zien bewoners de peiling" in preview and "Waar mist u groen?" in preview
    assert "Antwoorden versturen" not in preview

    moved = client.post(f"/peilingen/{survey.id}/vragen/{survey.questions[1].id}/omhoog")
    assert moved.status_code == 303
    db.session.expire_all()
    assert [q.text for q in db.session.get(Survey, survey.id).questions][:2] == ["Waar mist u groen?",
                                                                                 "Is er genoeg groen?"]
    again = client.post(f"/peilingen/{survey.id}/vragen", data={"kind": "contact", "text": ""})
    assert again.status_code == 422 and "vraagt al of de wijkplatformgroep" in html(again)


def test_building_errors_come_back_next_to_their_field_with_the_text_kept(client):
    login(client, make_user(role=Role.MODERATOR))
    response = client.post("/peilingen/nieuw", data={
        "title": "Speelplekken", "opens_on": "2026-05-10", "closes_on": "2026-05-01", "audience": ""})
    assert response.status_code == 422
    page = html(response)
    assert 'value="Speelplekken"' in page and "De laatste dag moet op of na de eerste dag liggen." in page
    survey = make_survey(questions=[])
    response = client.post(f"/peilingen/{survey.id}/vragen", data={"kind": "one", "text": "Welke kleur?",
                                                                  "options": "Alleen rood"})
    assert response.status_code == 422
    page = html(response)
    assert "Schrijf minstens twee antwoorden op" in page and 'value="Welke kleur?"' in page
    assert "Alleen rood</textarea>" in page
    scale = client.post(f"/peilingen/{survey.id}/vragen", data={"kind": "scale", "text": "Hoe?"})
    assert scale.status_code == 422 and "Schrijf op wat 1 betekent" in html(scale)


def test_residents_cannot_build(client):
    survey = make_survey()
    login(client, make_user())
    assert client.get("/peilingen/nieuw").status_code == 403
    assert client.get(f"/peilingen/{survey.id}/bewerken").status_code == 403
    question = {"kind": "open", "text": "x"}
    assert client.post(f"/peilingen/{survey.id}/vragen", data=question).status_code == 403
    assert client.post(f"/peilingen/{survey.id}/openbaar", data={"openbaar": "ja"}).status_code == 403


def test_after_the_first_answer_only_the_wording_and_the_order_can_change(client):
    survey = make_survey()
    q1 = survey.questions[0]
    make_survey_response(survey, make_user(), {1: "Ja"})
    login(client, make_user(role=Role.MODERATOR))
    page = html(client.get(f"/peilingen/{survey.id}/bewerken"))
    assert "Er zijn al antwoorden" in page and "Weghalen" not in page

    fewer = client.post(f"/peilingen/{survey.id}/vragen/{q1.id}", data={
        "text": q1.text, "options": "Ja\nNee", "required": "y"})
    assert fewer.status_code == 422 and "Houd 3 regels" in html(fewer)
    other_kind = client.post(f"/peilingen/{survey.id}/vragen/{q1.id}", data={
        "kind": "open", "text": q1.text, "options": "Ja\nDat hangt ervan af\nNee"})
    assert other_kind.status_code == 303  # the kind is not offered: it stays what it was
    reworded = client.post(f"/peilingen/{survey.id}/vragen/{q1.id}", data={
        "text": "Wilt u uw ideeën met ons delen?", "options": "Ja, graag\nDat hangt ervan af\nNee",
        "required": "y"})
    assert reworded.status_code == 303
    removed = client.post(f"/peilingen/{survey.id}/vragen/{q1.id}/verwijderen", follow_redirects=True)
    assert "Een vraag weghalen kan niet meer" in html(removed)
    added = client.post(f"/peilingen/{survey.id}/vragen", data={"kind": "open", "text": "Nog iets?"},
                        follow_redirects=True)
    assert "Een vraag toevoegen kan niet meer" in html(added)
    assert client.post(f"/peilingen/{survey.id}/vragen/{q1.id}/omlaag").status_code == 303

    db.session.expire_all()
    question = db.session.get(SurveyQuestion, q1.id)
    assert question.kind == "one" and question.text == "Wilt u uw ideeën met ons delen?"
    assert [o.label for o in question.options] == ["Ja, graag", "Dat hangt ervan af", "Nee"]
    assert question.position == 2 and len(question.survey.questions) == 5
    assert "Ja, graag" in html(client.get(f"/peilingen/{survey.id}/uitslag"))  # the answer kept its meaning


def test_before_the_first_answer_a_question_can_be_removed(client):
    survey = make_survey()
    second = survey.questions[1].id
    login(client, make_user(role=Role.MODERATOR))
    response = client.post(f"/peilingen/{survey.id}/vragen/{second}/verwijderen", follow_redirects=True)
    assert "is weggehaald" in html(response)
    db.session.expire_all()
    questions = db.session.get(Survey, survey.id).questions
    assert second not in [q.id for q in questions] and [q.position for q in questions] == [1, 2, 3, 4]


def test_moving_a_question_with_htmx_swaps_only_the_list(client):
    survey = make_survey()
    login(client, make_user(role=Role.MODERATOR))
    response = client.post(f"/peilingen/{survey.id}/vragen/{survey.questions[2].id}/omlaag",
                           headers=htmx_headers(**{"Accept-Encoding": "gzip"}))
    assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert len(response.get_data()) <= FRAGMENT_BUDGET  # as it travels
    fragment = gzip.decompress(response.get_data()).decode()
    assert "<html" not in fragment and 'hx-swap-oob="innerHTML:#meldingen"' in fragment
    assert "een plek lager" in fragment
    assert "data-focus-after-swap" in fragment
    assert response.headers["Vary"].count("HX-Request") == 1


def test_an_outcome_becomes_a_post_on_a_theme_board(client):
    survey = make_survey(published=True)
    make_survey_response(survey, make_user(), {1: "Ja"})
    moderator = make_user(role=Role.MODERATOR)
    login(client, moderator)
    form = html(client.get(f"/peilingen/{survey.id}/bericht"))
    assert "Uit de peiling: Wat vindt u belangrijk?" in form and "1 persoon deed mee, 0 op papier." in form
    response = client.post(f"/peilingen/{survey.id}/bericht", data={
        "theme": "sociale-cohesie", "title": "Buren willen hun ideeën delen",
        "body": "Iedereen die meedeed wil ideeën delen."})
    assert response.status_code == 303
    post = db.session.scalar(db.select(Post).where(Post.author_id == moderator.id))
    assert post.title == "Uit de peiling: Buren willen hun ideeën delen" and post.is_published
    assert post.theme.slug == "sociale-cohesie" and response.location.endswith(f"/berichten/{post.id}")


def test_an_outcome_post_needs_published_results(client):
    survey = make_survey()
    login(client, make_user(role=Role.MODERATOR))
    refused = client.get(f"/peilingen/{survey.id}/bericht")
    assert refused.status_code == 403 and "Maak eerst de uitslag openbaar" in html(refused)


# --- Budgets, queries, privacy ---------------------------------------------------------------------


def test_pages_stay_within_the_budget(client, seeded):
    survey, closed = demo_survey(OPEN_TITLE), demo_survey(CLOSED_TITLE)
    for path in ("/peilingen", f"/peilingen/{survey.id}", f"/peilingen/{closed.id}/uitslag",
                 f"/peilingen/{survey.id}/afdrukken"):
        assert_within_budget(client, path)
        assert_no_third_party(html(client.get(path)))
    login(client, seeded["moderator"], DEMO_PASSWORD)
    for path in (f"/peilingen/{survey.id}", f"/peilingen/{survey.id}/uitslag",
                 f"/peilingen/{closed.id}/uitslag", f"/peilingen/{survey.id}/bewerken",
                 f"/peilingen/{survey.id}/open-antwoorden"):
        assert_within_budget(client, path)


def test_pages_run_a_fixed_number_of_queries(client, count_queries):
    survey = make_survey(published=True)
    people = [make_user() for _ in range(12)]
    moderator = make_user(role=Role.MODERATOR)

    def counts():
        return {path: len(count_queries(client, path)) for path in (
            "/peilingen", f"/peilingen/{survey.id}", f"/peilingen/{survey.id}/uitslag",
            f"/peilingen/{survey.id}/uitslag.csv", f"/peilingen/{survey.id}/open-antwoorden",
            f"/peilingen/{survey.id}/contact")}

    login(client, moderator)
    for person in people[:2]:
        make_survey_response(survey, person, {1: "Ja", 2: ["Groen"], 3: 4, 4: "Iets", 5: "ja"})
    few = counts()
    for person in people[2:]:
        make_survey_response(survey, person, {1: "Nee", 2: ["Groen", "Verkeer"], 3: 2, 4: "Meer", 5: "ja"})
    make_survey(title="Nog een peiling")
    assert counts() == few


def test_my_data_lists_my_answers_and_deleting_my_account_keeps_them_anonymous(client):
    survey = make_survey()
    person = make_user()
    make_survey_response(survey, person, {1: "Ja", 5: "ja"})
    login(client, person)
    export = client.get("/account/gegevens").get_json()
    assert export["wijken"][0]["peilingen"][0]["peiling"] == survey.title
    answers = export["wijken"][0]["peilingen"][0]["antwoorden"]
    assert {"vraag": "Wilt u uw ideeën delen?", "antwoord": "Ja"} in answers
    from tests.factories import PASSWORD

    assert client.post("/account/verwijderen", data={"password": PASSWORD}).status_code == 303
    response = db.session.scalar(db.select(SurveyResponse))
    assert response.user_id is None and len(response.answers) == 2  # still counted, linked to nobody
    moderator = client.application.test_client()
    login(moderator, make_user(role=Role.MODERATOR))
    assert "Nog niemand zei ja" in html(moderator.get(f"/peilingen/{survey.id}/contact"))


def test_the_list_has_helpful_empty_states(client):
    page = html(client.get("/peilingen"))
    assert "Er is nu geen peiling open." in page and "Er zijn nog geen gesloten peilingen." in page
    assert "Peilingen" in html(client.get("/"))  # in the main navigation
