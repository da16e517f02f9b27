"""The circle flyer: a public A4 page with the streets, how to join and a QR code."""

import re

from tests.budgets import assert_no_third_party
from tests.conftest import login
from tests.factories import make_circle, make_help_item, make_member


def test_the_flyer_shows_name_streets_contact_and_a_qr_code(app, client):
    circle = make_circle("Cirkel Schoolstraat", streets=("Schoolstraat", "Kerkweg"),
                         contact_line="Bel Sonja: 030 123 45 67")
    make_member(circle, role="connector", name="Sonja de Boer")
    make_help_item(circle, make_member(circle), title="Geheime hulpvraag")

    response = client.get(f"/cirkels/{circle.slug}/flyer")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Cirkel Schoolstraat" in html
    assert "Schoolstraat" in html and "Kerkweg" in html
    assert "Sonja" in html and "de Boer" not in html
    assert "Bel Sonja: 030 123 45 67" in html
    assert "Geheime hulpvraag" not in html  # public: no help items
    svg = re.search(r"<svg\b.*?</svg>", html, re.S).group(0)
    assert "style=" not in svg and "<title>" in svg
    assert f"{app.config['PUBLIC_URL'].rstrip('/')}/cirkels/{circle.slug}" in html
    assert_no_third_party(html)


def test_without_a_contact_line_the_flyer_names_the_wijkinformatiepunt(app, client):
    circle = make_circle()
    response = client.get(f"/cirkels/{circle.slug}/flyer")
    assert app.config["WIJKINFORMATIEPUNT"] in response.get_data(as_text=True)


def test_connectors_see_a_link_to_the_flyer_members_do_not(app, client):
    circle = make_circle()
    connector, member = make_member(circle, role="connector"), make_member(circle)
    link = f"/cirkels/{circle.slug}/flyer"
    login(client, member)
    assert link not in client.get(f"/cirkels/{circle.slug}").get_data(as_text=True)
    client.post("/uitloggen")
    login(client, connector)
    page = client.get(f"/cirkels/{circle.slug}").get_data(as_text=True)
    assert link in page and "Flyer afdrukken" in page


def test_an_unknown_circle_has_no_flyer(app, client):
    assert client.get("/cirkels/bestaat-niet/flyer").status_code == 404
