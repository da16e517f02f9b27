"""Meldingen openbare ruimte to the gemeente's Signalen (``portal/board/signalen_api/``), tested
against a local Signalen that checks every request against Signalen's own OpenAPI description
(``tests/signalen_server.py``): a moderator sends bewoner's signal, nothing is sent while they
wait, ``flask sync-signalen`` files it and reads its status back, a Signalen that is down
delays the melding and loses nothing, and without ``SIGNALEN_URL`` none of this shows."""

import json
from datetime import timedelta

import pytest

from portal import outbox
from portal.board.signalen_api import api, service
from portal.extensions import db
from portal.models import PostKind, Role, SignalenMelding
from portal.models.base import utcnow
from tests.conftest import login
from tests.factories import make_circle, make_member, make_post, make_user

pytest_plugins = ["tests.signalen_server"]  # signalen
SOMEWHERE = {"latitude": "52.1", "longitude": "5.0"}


@pytest.fixture
def paving_stone(app):
    """bewoner's signal about a loose paving stone in Vleuterweide, where two circles meet."""
    make_circle(neighbourhood="Vleuterweide", latitude=52.0980, longitude=5.0100)
    circle = make_circle(neighbourhood="Vleuterweide", latitude=52.1000, longitude=5.0200)
    bewoner = make_member(circle, name="Bea Bewoner", email="bewoner@example.org")
    bewoner.phone = "06 - 1234 5678"
    return make_post(bewoner, kind=PostKind.SIGNAL, title="Losliggende stoeptegel",
                     body="Bij de bushalte ligt een losliggende stoeptegel. Ik struikelde er bijna over.",
                     neighbourhood=circle.neighbourhood, minutes_ago=90)


@pytest.fixture
def moderator(app):
    return make_user("Mo Moderator", role=Role.MODERATOR)


def _sync(app):
    """``flask sync-signalen``: a unit of work of its own in each wijk, so what the test had
    loaded is detached afterwards (read ids before, rows again after)."""
    return app.test_cli_runner().invoke(args=["sync-signalen"])


def test_a_paving_stone_signal_goes_to_signalen_and_its_status_comes_back(app, client, signalen,
                                                                          paving_stone, moderator):
    post_id, created_at = paving_stone.id, paving_stone.created_at
    login(client, moderator)
    page = client.get(f"/berichten/{post_id}").get_data(as_text=True)
    assert "Stuur als melding naar de gemeente" in page
    assert 'value="52.099"' in page and 'value="5.015"' in page  # the buurt's centre

    response = client.post(f"/berichten/{post_id}/signalen",
                           data={"latitude": "52,0991", "longitude": "5,0153"})
    assert response.status_code == 303 and response.location.endswith("#melding")
    assert signalen.requests == []  # nothing is sent while the moderator waits
    page = client.get(response.location).get_data(as_text=True)
    assert "Wordt naar de gemeente gestuurd" in page and "De melding gaat naar Signalen" in page
    assert "Stuur als melding" not in page

    result = _sync(app)
    assert result.exit_code == 0, result.output
    assert "1 verstuurd" in result.output
    [body] = signalen.valid_posts()
    assert signalen.invalid == []
    assert body["text"].startswith("Losliggende stoeptegel\n\nBij de bushalte")
    assert json.loads(body["location"]["geometrie"]) == {"type": "Point", "coordinates": [5.0153, 52.0991]}
    assert body["incident_date_start"] == created_at.isoformat(timespec="seconds") + "+00:00"
    assert body["reporter"] == {"sharing_allowed": False}  # no contact: bewoner did not agree
    assert body["category"]["sub_category"].endswith("/categories/overig/sub_categories/overig")
    assert f"/berichten/{post_id}" in body["text_extra"]

    melding = db.session.scalar(db.select(SignalenMelding))
    assert melding.signal_id in signalen.signals and melding.reference == "SIG-101"
    visitor = app.test_client()
    page = visitor.get(f"/berichten/{post_id}").get_data(as_text=True)
    assert "Kenmerk bij de gemeente" in page and "SIG-101" in page and "Gemeld" in page

    signalen.close(melding.signal_id, "Afgehandeld: de tegel ligt weer vast")
    result = _sync(app)
    assert result.exit_code == 0, result.output
    assert [method for method, _path, _body in signalen.requests] == ["POST", "GET", "GET"]
    assert signalen.invalid == []  # every request the portal made was valid against the spec
    page = visitor.get(f"/berichten/{post_id}").get_data(as_text=True)
    assert "Afgehandeld: de tegel ligt weer vast" in page

    _sync(app)  # a closed melding is not read again
    assert len(signalen.requests) == 3


def test_the_contact_goes_only_when_the_reporter_agreed(app, client, signalen, paving_stone, moderator):
    login(client, moderator)
    client.post(f"/berichten/{paving_stone.id}/signalen",
                data={"latitude": "52.0991", "longitude": "5.0153", "share_contact": "y"})
    assert _sync(app).exit_code == 0
    [body] = signalen.valid_posts()
    assert body["reporter"] == {"sharing_allowed": False, "email": "bewoner@example.org",
                                "phone": "0612345678"}
    assert signalen.invalid == []


def test_a_signalen_that_is_down_delays_the_melding_and_loses_nothing(app, client, signalen,
                                                                     paving_stone, moderator):
    login(client, moderator)
    client.post(f"/berichten/{paving_stone.id}/signalen", data={"latitude": "52.0991", "longitude": "5.0153"})
    signalen.down = True
    result = _sync(app)
    assert result.exit_code == 1 and "1 niet gelukt" in result.output
    melding = db.session.scalar(db.select(SignalenMelding))
    assert melding.attempts == 1 and melding.sent_at is None and melding.failed_at is None
    assert "503" in melding.last_error and melding.next_attempt_at > utcnow()

    signalen.down = False
    assert service.send_waiting().sent == 0  # not due yet: it waits a minute after a failure
    assert service.send_waiting(utcnow() + timedelta(minutes=2)).sent == 1
    assert service.send_waiting(utcnow() + timedelta(minutes=10)).sent == 0  # once only
    assert len(signalen.valid_posts()) == 2 and len(signalen.signals) == 1  # one 503, one 201
    assert signalen.invalid == []
    db.session.expire_all()
    assert melding.reference == "SIG-101" and melding.state == "OPEN"


def test_a_claimed_melding_is_sent_by_one_sender_only(app, client, signalen, paving_stone, moderator):
    login(client, moderator)
    client.post(f"/berichten/{paving_stone.id}/signalen", data={"latitude": "52.0991", "longitude": "5.0153"})
    melding_id = db.session.scalar(db.select(SignalenMelding.id))
    assert outbox.claim(SignalenMelding, melding_id, utcnow())  # another sender has it now
    assert service.send_waiting().sent == 0
    assert signalen.requests == []


def test_the_local_signalen_refuses_what_the_spec_refuses(app, signalen):
    """The check itself: a body without ``location`` gets 400 and is recorded as invalid, and
    the client takes a 400 as final (trying again cannot help)."""
    with pytest.raises(api.SignalenRefused, match="HTTP 400"):
        api._call(signalen.url, "POST", api.CREATE_PATH, {"text": "Losse tegel"}, expect=201)
    assert len(signalen.invalid) == 1 and "location" in signalen.invalid[0]
    with pytest.raises(api.SignalenRefused, match="HTTP 404"):
        api.read_signal(signalen.url, "00000000-0000-4000-8000-000000000000")


def test_a_refused_melding_is_given_up_and_the_moderator_sees_why(app, client, signalen, paving_stone,
                                                                   moderator):
    post_id = paving_stone.id
    login(client, moderator)
    client.post(f"/berichten/{post_id}/signalen", data={"latitude": "52.0991", "longitude": "5.0153"})
    app.config["SIGNALEN_URL"] = signalen.url + "/niet-hier"  # the 404 of a wrong address
    assert _sync(app).exit_code == 1
    melding = db.session.scalar(db.select(SignalenMelding))
    assert melding.failed_at is not None and melding.attempts == 1
    assert len(signalen.invalid) == 1  # the wrong path was the only invalid request
    page = client.get(f"/berichten/{post_id}").get_data(as_text=True)
    assert "niet aangenomen" in page and "HTTP 404" in page
    assert "HTTP 404" not in app.test_client().get(f"/berichten/{post_id}").get_data(as_text=True)


def test_only_moderators_send_and_only_signals(app, client, signalen, paving_stone):
    resident = make_user("Riet")
    login(client, resident)
    assert "Stuur als melding" not in client.get(f"/berichten/{paving_stone.id}").get_data(as_text=True)
    response = client.post(f"/berichten/{paving_stone.id}/signalen", data=SOMEWHERE)
    assert response.status_code == 403
    idea = make_post(kind=PostKind.IDEA)
    client.get("/uitloggen")
    login(client, make_user("Mo", role=Role.MODERATOR))
    assert "Melding openbare ruimte" not in client.get(f"/berichten/{idea.id}").get_data(as_text=True)
    assert client.post(f"/berichten/{idea.id}/signalen",
                       data=SOMEWHERE).status_code == 403
    assert db.session.scalar(db.select(db.func.count(SignalenMelding.id))) == 0


def test_a_place_outside_the_country_is_refused_with_the_text_kept(app, client, signalen, paving_stone,
                                                                    moderator):
    login(client, moderator)
    response = client.post(f"/berichten/{paving_stone.id}/signalen",
                           data={"latitude": "48,85", "longitude": "5,0153"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "ligt niet in Nederland" in page and 'value="48,85"' in page
    assert db.session.scalar(db.select(db.func.count(SignalenMelding.id))) == 0


def test_without_signalen_url_nothing_of_this_shows(app, client, paving_stone, moderator):
    assert not app.config["SIGNALEN_URL"]
    login(client, moderator)
    page = client.get(f"/berichten/{paving_stone.id}").get_data(as_text=True)
    assert "Melding openbare ruimte" not in page and "Signalen" not in page
    response = client.post(f"/berichten/{paving_stone.id}/signalen", data=SOMEWHERE)
    assert response.status_code == 404
    result = _sync(app)
    assert result.exit_code == 0 and "niet ingesteld" in result.output
