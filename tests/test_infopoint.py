"""The wijkinformatiepunt (issue 26): the page, a question without an account, the queue for
the ``informatiepunt`` role of that wijk only, what is done with a question (mail through a
real SMTP server, called back, referred, handed to a circle's verbinders), closed days, the
purge after 90 days, and two wijken kept apart. Without JavaScript: plain posts and PRG."""

import re
from datetime import UTC, datetime

import pytest

from portal.extensions import db
from portal.models import Question, QuestionStatus, Role
from portal.models.base import utcnow
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import CSRF_INPUT, login
from tests.factories import make_circle, make_member, make_organization, make_question, make_user

pytest_plugins = ["tests.mailserver"]

WEST = "http://west.localhost"
SPREEKUREN = (("FREQ=WEEKLY;BYDAY=TU", (10, 0), (12, 0)), ("FREQ=WEEKLY;BYDAY=TH", (13, 0), (16, 0)))
ASKED = "Wie kan mij helpen met de formulieren van de huurtoeslag?"


@pytest.fixture
def point(app):
    return make_organization("Wijkinformatiepunt Buren voor Buren", phone="030 123 45 67", is_infopoint=True,
                             schedules=SPREEKUREN, needs=("geldzaken", "vervoer"))


@pytest.fixture
def informatiepunt(app):
    return make_user("Fatima el Amrani", "informatiepunt@example.org", role=Role.INFORMATIEPUNT)


def _ask(client, base_url: str = "http://localhost", **fields):
    data = {"name": "Truus Bakker", "phone": "06 12345678", "email": "", "question": ASKED, "consent": "y"}
    data.update(fields)
    return client.post("/wijkinformatiepunt", data=data, base_url=base_url)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


# --- the page ----------------------------------------------------------------------------------


def test_the_page_shows_who_when_one_number_and_the_form(client, point):
    page = client.get("/wijkinformatiepunt")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Wijkinformatiepunt Buren voor Buren" in html
    assert 'href="tel:0301234567"' in html and 'class="call-button"' in html
    assert "Elke dinsdag, 10:00 tot 12:00" in _text(page) and "Elke donderdag, 13:00 tot 16:00" in _text(page)
    for name in ("name", "phone", "email", "question", "consent", "csrf_token"):
        assert f'name="{name}"' in html
    assert "Wijkinformatiepunt" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 6, 4, 12, 0, tzinfo=UTC), "Nu open tot 16:00"),  # Thursday 14:00 CEST
    (datetime(2026, 6, 2, 7, 59, tzinfo=UTC), "Volgende spreekuur: dinsdag 10:00 (vandaag)"),  # Tuesday 09:59
    (datetime(2027, 4, 27, 8, 30, tzinfo=UTC),
     "Vandaag gesloten (Koningsdag); volgende spreekuur: donderdag 13:00"),
])
def test_open_now_or_the_next_spreekuur_at_frozen_moments(client, point, monkeypatch, moment, shown):
    monkeypatch.setattr("portal.infopoint.views.utcnow", lambda: moment.replace(tzinfo=None))
    assert shown in _text(client.get("/wijkinformatiepunt"))


# --- a question without an account ---------------------------------------------------------------


def test_a_visitor_asks_with_only_a_phone_number_and_only_the_informatiepunt_sees_it(
        app, client, point, informatiepunt):
    answer = _ask(client)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/wijkinformatiepunt/bedankt")
    assert "Uw vraag is verstuurd" in client.get("/wijkinformatiepunt/bedankt").get_data(as_text=True)
    [question] = db.session.scalars(db.select(Question)).all()
    stored = (question.name, question.phone, question.email, question.consent)
    assert stored == ("Truus Bakker", "06 12345678", "", True)
    # Nowhere public, and not for anyone else signed in: a resident, a moderator.
    for path in ("/", "/wijkinformatiepunt", "/sociale-kaart", "/agenda", "/zoeken?q=huurtoeslag"):
        html = client.get(path).get_data(as_text=True)
        assert "Truus Bakker" not in html and ASKED not in html, path
    for person in (make_user(), make_user(role=Role.MODERATOR)):
        login(client, person)
        for path in ("/", "/account", "/moderatie", "/wijkinformatiepunt"):
            html = client.get(path).get_data(as_text=True)
            assert "Truus Bakker" not in html and ASKED not in html, path
        assert client.get(f"/informatiepunt/vragen/{question.id}").status_code == 403
        client.post("/uitloggen")
    login(client, informatiepunt)
    queue = client.get("/informatiepunt/vragen").get_data(as_text=True)
    assert "Truus Bakker" in queue and "huurtoeslag" in queue
    detail = client.get(f"/informatiepunt/vragen/{question.id}").get_data(as_text=True)
    assert ASKED in detail and 'href="tel:0612345678"' in detail


def test_a_phone_number_or_an_address_is_needed_and_the_text_is_kept(client, point):
    answer = _ask(client, phone="", email="")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "Vul een telefoonnummer of een e-mailadres in" in html and ASKED in html
    assert 'aria-describedby="phone-hint phone-error"' in html
    assert _ask(client, consent="").status_code == 422
    assert _ask(client, phone="12").status_code == 422
    assert _ask(client, phone="", email="geen-adres").status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Question)) == 0
    assert _ask(client, phone="", email="truus@example.org").status_code == 303


def test_asking_is_rate_limited_like_other_posting(client, point):
    for _ in range(5):
        assert _ask(client).status_code == 303
    assert _ask(client).status_code == 429


# --- who sees the queue --------------------------------------------------------------------------


@pytest.fixture
def west(app):
    district = create_wijk(slug="west", name="West", host="west.localhost")
    db.session.commit()
    return district.id


@pytest.mark.parametrize(("who", "expected"), [
    ("visitor", 302), ("resident", 403), ("moderator", 403), ("informatiepunt", 200), ("admin", 200),
    ("informatiepunt of West", 403),
])
def test_who_may_see_the_queue(app, client, point, west, who, expected):
    question = make_question()
    people = {
        "resident": lambda: make_user(), "moderator": lambda: make_user(role=Role.MODERATOR),
        "informatiepunt": lambda: make_user(role=Role.INFORMATIEPUNT),
        "admin": lambda: make_user(role=Role.ADMIN),
    }
    if who == "informatiepunt of West":
        person = make_user()
        with in_wijk(west):
            person.role = Role.INFORMATIEPUNT
            db.session.commit()
        login(client, person)
    elif who != "visitor":
        login(client, people[who]())
    paths = ("/informatiepunt/vragen", f"/informatiepunt/vragen/{question.id}", "/informatiepunt/gesloten")
    for path in paths:
        assert client.get(path).status_code == expected, path
    answered = client.post(f"/informatiepunt/vragen/{question.id}/teruggebeld", data={"note": "Gebeld."})
    assert answered.status_code == (303 if expected == 200 else expected)


def _west_token(client) -> str:
    return CSRF_INPUT.search(client.get("/wijkinformatiepunt", base_url=WEST).get_data(as_text=True)).group(1)


def test_a_question_asked_in_west_never_shows_in_vleuten_de_meern(app, client, point, west, informatiepunt):
    west_point = make_user("Wim West", "informatiepunt-west@example.org")
    west_email = west_point.email
    with in_wijk(west):
        west_point.role = Role.INFORMATIEPUNT
        db.session.commit()
    token = _west_token(client)
    asked = client.post("/wijkinformatiepunt", base_url=WEST, csrf=False, data={
        "csrf_token": token, "name": "Piet uit West", "phone": "06 87654321", "question": "Vraag uit West",
        "consent": "y"})
    assert asked.status_code == 303
    _ask(client, name="Riet uit Vleuten")
    with in_wijk(west):
        assert [q.name for q in db.session.scalars(db.select(Question))] == ["Piet uit West"]
    db.session.expunge_all()

    login(client, type("Person", (), {"email": "informatiepunt@example.org"})())
    here = client.get("/informatiepunt/vragen").get_data(as_text=True)
    assert "Riet uit Vleuten" in here and "Piet uit West" not in here and "Vraag uit West" not in here
    with in_wijk(west):
        west_id = db.session.scalar(db.select(Question.id))
    assert client.get(f"/informatiepunt/vragen/{west_id}").status_code == 404
    client.post("/uitloggen")

    # Signed in on the default host; West's queue is on West's host.
    login(client, type("Person", (), {"email": west_email})())
    assert client.get("/informatiepunt/vragen").status_code == 403
    there = client.get("/informatiepunt/vragen", base_url=WEST)
    if there.status_code == 302:  # the session cookie is per host: sign in on West's host too
        token = CSRF_INPUT.search(client.get("/inloggen", base_url=WEST).get_data(as_text=True)).group(1)
        client.post("/inloggen", base_url=WEST, csrf=False,
                    data={"csrf_token": token, "email": west_email, "password": "wachtwoord-voor-tests"})
        there = client.get("/informatiepunt/vragen", base_url=WEST)
    assert there.status_code == 200
    html = there.get_data(as_text=True)
    assert "Piet uit West" in html and "Riet uit Vleuten" not in html


# --- what the informatiepunt does with a question ------------------------------------------------


def test_an_answer_by_mail_reaches_the_asker_through_the_smtp_server(app, client, point, informatiepunt,
                                                                    mail_server):
    question = make_question(name="Kees de Vries", phone="", email="kees@example.org", question=ASKED)
    login(client, informatiepunt)
    done = client.post(f"/informatiepunt/vragen/{question.id}/beantwoorden",
                       data={"text": "Het buurtteam helpt u met de huurtoeslag. Bel 030 345 67 89."})
    assert done.status_code == 303
    assert mail_server.deliver().sent == 1
    [message] = mail_server.to("kees@example.org")
    body = message.get_body(("plain",)).get_content()
    assert "Beste Kees de Vries" in body and ASKED in body and "Het buurtteam helpt u" in body
    assert "Fatima" in body and "030 123 45 67" in body
    db.session.expire_all()
    stored = db.session.get(Question, question.id)
    assert stored.status == QuestionStatus.ANSWERED and stored.handled_by_id == informatiepunt.id
    assert "beantwoord per e-mail" in client.get("/informatiepunt/vragen").get_data(as_text=True)


def test_a_question_with_only_a_phone_number_cannot_be_answered_by_mail(app, client, point, informatiepunt,
                                                                         mail_server):
    question = make_question(email="")
    login(client, informatiepunt)
    refused = client.post(f"/informatiepunt/vragen/{question.id}/beantwoorden", data={"text": "Antwoord"})
    assert refused.status_code == 422 and "Bel terug" in refused.get_data(as_text=True)
    assert client.post(f"/informatiepunt/vragen/{question.id}/teruggebeld",
                       data={"note": "Teruggebeld, geholpen."}).status_code == 303
    mail_server.deliver()
    assert mail_server.messages == []
    db.session.expire_all()
    assert db.session.get(Question, question.id).status == QuestionStatus.CALLED_BACK


def test_referred_to_an_organisation_the_asker_hears_where_to_go(app, client, point, informatiepunt,
                                                                  mail_server):
    team = make_organization("Buurtteam Vleuten-De Meern", phone="030 345 67 89")
    question = make_question(email="truus@example.org")
    login(client, informatiepunt)
    page = client.get(f"/informatiepunt/vragen/{question.id}").get_data(as_text=True)
    assert "Buurtteam Vleuten-De Meern" in page
    assert client.post(f"/informatiepunt/vragen/{question.id}/doorverwijzen",
                       data={"organization_id": str(team.id), "note": "Vraag naar Sanne."}).status_code == 303
    mail_server.deliver()
    [message] = mail_server.to("truus@example.org")
    body = message.get_body(("plain",)).get_content()
    assert "Buurtteam Vleuten-De Meern" in body and "030 345 67 89" in body and "Vraag naar Sanne." in body
    assert f"/sociale-kaart/{team.slug}" in body


def test_handed_to_a_circle_its_verbinders_hear_of_it(app, client, point, informatiepunt, mail_server):
    circle = make_circle("Cirkel Dorpsstraat")
    connector = make_member(circle, role="connector", email="sonja@example.org")
    make_member(circle)  # a plain member hears nothing
    question = make_question(name="Mevrouw Jansen", phone="06 12345678",
                             question="Wie rijdt ons naar de fysio?")
    login(client, informatiepunt)
    assert client.post(f"/informatiepunt/vragen/{question.id}/doorgeven",
                       data={"circle_id": str(circle.id), "note": "Graag deze week."}).status_code == 303
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == [connector.email]
    body = mail_server.messages[0].get_body(("plain",)).get_content()
    assert "Mevrouw Jansen" in body and "06 12345678" in body and "fysio" in body
    assert "Graag deze week." in body
    assert mail_server.messages[0]["List-Unsubscribe"]
    db.session.expire_all()
    assert db.session.get(Question, question.id).handed_circle_id == circle.id


def test_an_empty_choice_is_refused_with_the_form_kept(app, client, point, informatiepunt):
    question = make_question()
    login(client, informatiepunt)
    refused = client.post(f"/informatiepunt/vragen/{question.id}/doorverwijzen", data={"organization_id": ""})
    assert refused.status_code == 422 and "Kies een organisatie." in refused.get_data(as_text=True)


# --- closed days, the yearly check, the purge ------------------------------------------------------


def test_the_informatiepunt_marks_a_day_closed_and_the_page_says_so(app, client, point, informatiepunt,
                                                                    monkeypatch):
    login(client, informatiepunt)
    monkeypatch.setattr("portal.infopoint.views.utcnow", lambda: datetime(2026, 6, 1, 10, 0))
    monkeypatch.setattr("portal.infopoint.queue_views.utcnow", lambda: datetime(2026, 6, 1, 10, 0))
    added = client.post("/informatiepunt/gesloten",
                        data={"day": "2026-06-02", "reason": "vrijwilligersuitje"})
    assert added.status_code == 303
    page = _text(client.get("/wijkinformatiepunt"))
    assert "Dinsdag 2 juni (vrijwilligersuitje): geen spreekuur" in page
    assert "Volgende spreekuur: donderdag 13:00" in page
    closed_id = point.closed_days[0].id if point.closed_days else None
    db.session.expire_all()
    from portal.models import ClosedDay
    closed_id = db.session.scalar(db.select(ClosedDay.id))
    assert client.post(f"/informatiepunt/gesloten/{closed_id}/verwijderen").status_code == 303
    assert "Volgende spreekuur: dinsdag 10:00" in _text(client.get("/wijkinformatiepunt"))
    past = client.post("/informatiepunt/gesloten", data={"day": "2026-05-01"})
    assert past.status_code == 422


def test_a_record_a_year_old_waits_for_its_check(app, client, point, informatiepunt):
    old = make_organization("Repair Café", assured_days_ago=400)
    login(client, informatiepunt)
    queue = client.get("/informatiepunt/vragen").get_data(as_text=True)
    assert "Controleer deze gegevens" in queue and "Repair Café" in queue
    assert "controle nodig" in client.get(f"/sociale-kaart/{old.slug}").get_data(as_text=True)
    assert client.post(f"/informatiepunt/organisaties/{old.slug}/gecontroleerd").status_code == 303
    assert "Controleer deze gegevens" not in client.get("/informatiepunt/vragen").get_data(as_text=True)


def test_purge_forgets_questions_90_days_after_they_were_handled(app):
    recent = make_question(name="Recent", days_ago=100, handled_days_ago=10, status="called_back").id
    make_question(name="Oud", days_ago=120, handled_days_ago=91, status="called_back")
    make_question(name="Nooit behandeld", days_ago=91)
    waiting = make_question(name="Wacht", days_ago=5).id
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Vragen aan het wijkinformatiepunt vergeten (ouder dan 90 dagen): 2." in result.output
    db.session.expire_all()
    assert sorted(q.id for q in db.session.scalars(db.select(Question))) == sorted([recent, waiting])


def test_a_handled_question_shows_what_was_done(app, client, point, informatiepunt):
    question = make_question()
    login(client, informatiepunt)
    client.post(f"/informatiepunt/vragen/{question.id}/teruggebeld", data={"note": "Teruggebeld om 14 uur."})
    page = client.get(f"/informatiepunt/vragen/{question.id}").get_data(as_text=True)
    assert "Teruggebeld om 14 uur." in page and "Wat doet u met deze vraag?" not in page
    db.session.expire_all()
    assert db.session.get(Question, question.id).handled_at <= utcnow()


def test_an_admin_gives_and_takes_the_informatiepunt_role_on_the_people_page(app, client):
    admin, moderator = make_user(role=Role.ADMIN), make_user(role=Role.MODERATOR)
    person = make_user(name="Els")
    db.session.commit()
    login(client, moderator)
    assert client.post(f"/moderatie/account/{person.id}/informatiepunt-maken").status_code == 403
    client.post("/uitloggen")
    login(client, admin)
    assert "Wijkinformatiepunt maken" in client.get("/moderatie/mensen").get_data(as_text=True)
    assert client.post(f"/moderatie/account/{person.id}/informatiepunt-maken").status_code == 303
    db.session.expire_all()
    assert person.role == Role.INFORMATIEPUNT and person.trusted
    people = client.get("/moderatie/mensen").get_data(as_text=True)
    assert "wijkinformatiepunt" in people and "Rol wijkinformatiepunt afnemen" in people
    client.post("/uitloggen")
    login(client, person)
    assert client.get("/informatiepunt/vragen").status_code == 200
    client.post("/uitloggen")
    login(client, admin)
    assert client.post(f"/moderatie/account/{person.id}/informatiepunt-afnemen").status_code == 303
    assert "Rol wijkinformatiepunt gegeven" in client.get("/moderatie/logboek").get_data(as_text=True)
    client.post("/uitloggen")
    login(client, person)
    assert client.get("/informatiepunt/vragen").status_code == 403
