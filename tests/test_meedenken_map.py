"""Meedenken on the map and following a traject (issue 28): the kerngroep sets the plan's place,
a resident gives inbreng about a place (typed without JavaScript, from the traject's page or
its map), the map page lists the inbreng with a place under the same numbers, and "Volg dit
traject" brings the advies to someone who gave no inbreng, at her own pace."""

from datetime import timedelta

import pytest
from sqlalchemy import insert

from portal.extensions import db
from portal.following import service as following
from portal.meedenken import service
from portal.models import FollowKind, Inbreng
from portal.models.base import utcnow
from tests.conftest import htmx_headers, login
from tests.test_meedenken import IDEA, SLUG, html, make_traject

pytest_plugins = ["tests.mailserver", "tests.meedenken_people"]  # mail_server, people
MAP = f"/meedenken/{SLUG}/kaart"




def test_the_kerngroep_puts_the_plan_on_the_map(client, people):
    _, _, moderator = people
    make_traject()
    login(client, moderator)
    form = html(client.get(f"/meedenken/{SLUG}/bewerken"))
    assert 'name="latitude"' in form and "Plek op de kaart" in form
    answer = client.post(f"/meedenken/{SLUG}/bewerken", data={
        "title": "Herinrichting Dorpsstraat Vleuten", "plan": "Nieuwe stoepen.", "phase": "ophalen",
        "ophalen_until": (utcnow() + timedelta(days=10)).strftime("%Y-%m-%d"),
        "latitude": "52,1079", "longitude": "5.0127"})
    assert answer.status_code == 303
    traject = service.traject_by_slug(SLUG)
    assert traject.point == pytest.approx((52.1079, 5.0127))
    page = html(client.get(f"/meedenken/{SLUG}"))
    assert f'href="{MAP}"' in page and "Bekijk op de kaart" in page
    kaart = html(client.get(MAP))
    assert "Het plan" in kaart and "52.1079" in kaart  # the marker in folium's script


def test_one_number_alone_or_a_place_outside_the_netherlands_is_refused_and_the_text_kept(client, people):
    bewoner, _, _ = people
    make_traject()
    login(client, bewoner)
    one = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA, "latitude": "52,1"})
    assert one.status_code == 422
    assert "Vul beide getallen in, of laat ze allebei leeg." in html(one)
    assert "Een veilige oversteekplaats" in html(one)
    assert "<details class=\"disclosure\" open>" in html(one)  # the place's fields are open at the error
    far = client.post(f"/meedenken/{SLUG}/inbreng",
                      data={"text": IDEA, "latitude": "40,4", "longitude": "-3,7", "vanaf": "kaart"})
    assert far.status_code == 422 and "ligt niet in Nederland" in html(far)
    assert "<h1>Kaart:" in html(far)  # sent from the map: refused on the map
    assert db.session.scalar(db.select(db.func.count()).select_from(Inbreng)) == 0


@pytest.mark.parametrize("word", ["nan", "sNaN", "Infinity", "-inf"])
def test_a_number_that_is_no_number_is_refused_with_the_text_kept(client, people, word):
    """Python reads these as decimals that cannot be compared: once a 500, now a refusal."""
    bewoner, _, _ = people
    make_traject()
    login(client, bewoner)
    answer = client.post(f"/meedenken/{SLUG}/inbreng",
                         data={"text": IDEA, "latitude": "52,1", "longitude": word})
    assert answer.status_code == 422
    page = html(answer)
    assert "Vul een getal in, bijvoorbeeld 52,0986." in page and "Een veilige oversteekplaats" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Inbreng)) == 0


def test_inbreng_about_a_place_without_javascript_shows_on_the_map(client, people):
    bewoner, _, _ = people
    make_traject()
    login(client, bewoner)
    assert 'id="plek-gekozen"' in html(client.get(MAP))  # the form is beside the map
    answer = client.post(f"/meedenken/{SLUG}/inbreng", data={
        "text": IDEA, "theme": "verkeer", "latitude": "52,10812", "longitude": "5,01195", "vanaf": "kaart"})
    assert answer.status_code == 303
    item = db.session.scalar(db.select(Inbreng))
    assert item.point == pytest.approx((52.10812, 5.01195))
    assert answer.headers["Location"].endswith(f"/meedenken/{SLUG}#inbreng-{item.id}")
    assert "Deze inbreng gaat over een plek" in html(client.get(f"/meedenken/{SLUG}"))
    kaart = html(client.get(MAP))
    assert f'href="/meedenken/{SLUG}/inbreng/{item.id}"' in kaart and "Verkeer en parkeren" in kaart
    assert "Nog geen inbreng met een plek" not in kaart


def test_inbreng_without_a_place_stays_off_the_map(client, people):
    bewoner, _, _ = people
    make_traject()
    login(client, bewoner)
    assert client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA}).status_code == 303
    assert db.session.scalar(db.select(Inbreng)).point is None
    client.post("/uitloggen")
    assert "Nog geen inbreng met een plek op de kaart." in html(client.get(MAP))


def test_inbreng_from_the_map_with_htmx_answers_the_form_that_still_belongs_to_the_map(client, people):
    bewoner, _, _ = people
    make_traject()
    login(client, bewoner)
    answer = client.post(f"/meedenken/{SLUG}/inbreng", headers=htmx_headers(), data={
        "text": IDEA, "latitude": "52,1081", "longitude": "5,0119", "vanaf": "kaart"})
    assert answer.status_code == 200 and "<html" not in html(answer)
    assert "Toegevoegd" in html(answer) and 'name="vanaf" value="kaart"' in html(answer)


def test_a_visitor_reads_the_map_and_is_asked_to_sign_in(client, people):
    make_traject()
    page = html(client.get(MAP))
    assert "Log in om mee te denken" in page and 'name="text"' not in page
    assert client.get("/meedenken/bestaat-niet/kaart").status_code == 404


def test_hidden_inbreng_is_not_on_the_map(client, people):
    bewoner, _, moderator = people
    traject = make_traject()
    db.session.add(Inbreng(traject_id=traject.id, author=bewoner, text="Verborgen plek", status="hidden",
                           latitude=52.1, longitude=5.01))
    db.session.commit()
    assert service.inbreng_on_map(traject) == []
    login(client, moderator)
    assert "Verborgen plek" not in html(client.get(MAP))


def test_the_map_page_runs_the_same_queries_at_10_and_at_1000_places(client, count_queries, people):
    bewoner, buur, _ = people
    traject = make_traject(latitude=52.1079, longitude=5.0127)

    def bulk(count: int, seed: int) -> None:
        db.session.execute(insert(Inbreng), [
            {"traject_id": traject.id, "author_id": bewoner.id, "text": f"Plek {seed}-{n}", "theme": "groen",
             "on_behalf_name": "", "status": "published", "support_count": 0, "cited": False,
             "outcome_reason": "", "created_at": utcnow(), "district_id": 1,
             "latitude": 52.10 + n / 100_000, "longitude": 5.01}
            for n in range(count)])
        db.session.commit()

    def counts():
        visitor = len(count_queries(client, MAP))
        login(client, buur)
        signed_in = len(count_queries(client, MAP))
        client.post("/uitloggen")
        return visitor, signed_in

    bulk(10, 1)
    small = counts()
    bulk(990, 2)
    assert counts() == small
    assert len(service.inbreng_on_map(traject)) == service.MAX_ON_MAP


# --- "Volg dit traject" ------------------------------------------------------------------------------


def test_following_a_traject_without_javascript_and_with_htmx(client, people):
    _, buur, _ = people
    traject = make_traject()
    assert "Volg dit traject" not in html(client.get(f"/meedenken/{SLUG}"))  # a visitor
    assert client.post(f"/meedenken/{SLUG}/volgen").status_code in (302, 303)  # to the sign-in page
    login(client, buur)
    assert "Volg dit traject" in html(client.get(f"/meedenken/{SLUG}"))
    answer = client.post(f"/meedenken/{SLUG}/volgen", data={"actie": "volgen"})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("#traject-volgen")
    assert following.is_following(buur, FollowKind.TRAJECT, traject.id)
    page = html(client.get(f"/meedenken/{SLUG}"))
    assert "U volgt dit traject." in page and "Niet meer volgen" in page
    again = client.post(f"/meedenken/{SLUG}/volgen", data={"actie": "volgen"}, follow_redirects=True)
    assert "U volgde dit traject al." in html(again)
    stop = client.post(f"/meedenken/{SLUG}/volgen", data={"actie": "ontvolgen"}, headers=htmx_headers())
    assert stop.status_code == 200 and "<html" not in html(stop) and "Volg dit traject" in html(stop)
    assert not following.is_following(buur, FollowKind.TRAJECT, traject.id)


def test_a_follower_who_gave_no_inbreng_hears_of_the_advies(app, mail_server, people):
    bewoner, buur, _ = people
    traject = make_traject()
    following.follow(buur, FollowKind.TRAJECT, traject.id)  # buur's pace is "meteen" (the fixture)
    db.session.commit()
    traject.advies = "Het advies."
    assert service.tell_participants(traject, "advies") == 1
    db.session.commit()
    mail_server.deliver()
    to = [message["To"] for message in mail_server.messages]
    assert to == [buur.email] and bewoner.email not in to


def test_inbreng_of_only_spaces_is_refused(client, people):
    make_traject()
    login(client, people[0])
    answer = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": "   \n  "})
    assert answer.status_code == 422 and "Vul dit veld in." in html(answer)
    assert db.session.scalar(db.select(db.func.count()).select_from(Inbreng)) == 0
