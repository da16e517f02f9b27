"""A connector signs up a neighbour without internet for an event, by first name: without
JavaScript (303 back to the event) and with htmx (the sign-up box)."""

from portal.extensions import db
from portal.models import Registration
from tests.conftest import htmx_headers, login
from tests.factories import make_circle, make_event, make_member


def _registrations(event_id: int) -> list[Registration]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Registration).where(Registration.event_id == event_id)))


def test_connectors_see_the_form_members_do_not(app, client):
    circle = make_circle()
    connector, member = make_member(circle, role="connector"), make_member(circle)
    event = make_event()
    login(client, member)
    assert "Buur aanmelden" not in client.get(f"/agenda/{event.id}").get_data(as_text=True)
    assert client.post(f"/agenda/{event.id}/buur-aanmelden",
                       data={"guest_name": "Mien", "consent": "y"}).status_code == 403
    client.post("/uitloggen")
    login(client, connector)
    assert "Buur aanmelden" in client.get(f"/agenda/{event.id}").get_data(as_text=True)


def test_without_javascript_the_neighbour_is_signed_up_and_the_page_reloads(app, client):
    connector = make_member(make_circle(), role="connector")
    event = make_event(capacity=10)
    login(client, connector)

    response = client.post(f"/agenda/{event.id}/buur-aanmelden",
                           data={"guest_name": " Mien ", "consent": "y"})

    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/agenda/{event.id}")
    [registration] = _registrations(event.id)
    assert registration.guest_name == "Mien"
    assert registration.registered_by_id == connector.id and registration.user_id is None
    assert "Mien is aangemeld." in client.get(f"/agenda/{event.id}").get_data(as_text=True)


def test_with_htmx_the_box_is_swapped(app, client):
    connector = make_member(make_circle(), role="connector")
    event = make_event(capacity=1)
    login(client, connector)
    client.post(f"/agenda/{event.id}/buur-aanmelden", data={"guest_name": "Mien", "consent": "y"})

    response = client.post(f"/agenda/{event.id}/buur-aanmelden", data={"guest_name": "Jan", "consent": "y"},
                           headers=htmx_headers())

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Jan staat op de wachtlijst." in html
    assert 'id="aanmelden-kop"' in html
    assert [r.guest_name for r in _registrations(event.id)] == ["Mien", "Jan"]


def test_without_consent_nothing_is_signed_up_and_the_name_is_kept(app, client):
    connector = make_member(make_circle(), role="connector")
    event = make_event()
    login(client, connector)

    for headers in ({}, htmx_headers()):
        response = client.post(f"/agenda/{event.id}/buur-aanmelden", data={"guest_name": "Mien"},
                               headers=headers)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert "Vraag eerst of de buur het goed vindt." in html and 'value="Mien"' in html
    assert _registrations(event.id) == []
