"""The sociale kaart and the buurtcirkels: the buurtcirkels a service covers (set by the
informatiepunt, shown on the kaart), and a verbinder who points a help request to a service,
said in the request's conversation only."""

import re

import pytest

from portal.extensions import db
from portal.models import HelpReferral, Role, ServiceArea
from tests.conftest import login
from tests.factories import make_circle, make_help_item, make_member, make_organization, make_user

pytest_plugins = ["tests.mailserver"]


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


@pytest.fixture
def dorp(app):
    return make_circle("Vleuten Dorp", streets=("Dorpsstraat",))


@pytest.fixture
def castellum(app):
    return make_circle("De Meern Castellum", streets=("Castellumlaan",), neighbourhood="De Meern")


@pytest.fixture
def request_in_dorp(dorp):
    asker = make_member(dorp, name="Riet Jansen", email="riet@example.org")
    return make_help_item(dorp, asker, title="Hulp bij de belastingbrief")


def _service_of(organization):
    return organization.services[0]


def test_the_informatiepunt_sets_the_buurten_and_the_kaart_shows_them(client, dorp, castellum):
    informatiepunt = make_user("Fatima", role=Role.INFORMATIEPUNT)
    repair = make_organization("Repair Café")
    service = _service_of(repair)
    assert "Voor welke buurten de hele wijk" in _text(client.get(f"/sociale-kaart/{repair.slug}"))

    resident = make_user("Ans")
    login(client, resident)
    assert client.get(f"/informatiepunt/diensten/{service.id}/buurten").status_code == 403
    client.post("/uitloggen")
    login(client, informatiepunt)
    form = client.get(f"/informatiepunt/diensten/{service.id}/buurten")
    assert form.status_code == 200 and 'type="checkbox"' in form.get_data(as_text=True)
    areas = f"/informatiepunt/diensten/{service.id}/buurten"
    saved = client.post(areas, data={"circles": [str(castellum.id)]})
    assert saved.status_code == 303
    page = _text(client.get(f"/sociale-kaart/{repair.slug}"))
    assert "Voor welke buurten De Meern Castellum" in page and "Buurten kiezen" in page
    refused = client.post(areas, data={"circles": ["999999"]})
    assert refused.status_code == 422
    client.post(f"/informatiepunt/diensten/{service.id}/buurten", data={})
    assert db.session.scalar(db.select(db.func.count()).select_from(ServiceArea)) == 0


def test_a_verbinder_refers_a_request_and_the_asker_reads_it_in_the_conversation(
        app, client, dorp, castellum, request_in_dorp, mail_server):
    verbinder = make_member(dorp, role="connector", name="Henk Verbinder")
    tax = make_organization("Buurtteam", phone="030 345 67 89")
    elsewhere = make_organization("Repair Café")
    db.session.add(ServiceArea(service=_service_of(elsewhere), circle=castellum))
    db.session.commit()
    login(client, verbinder)
    item_page = client.get(f"/hulp/{request_in_dorp.id}").get_data(as_text=True)
    assert "Verwijzen naar een dienst op de sociale kaart" in item_page
    form = client.get(f"/hulp/{request_in_dorp.id}/verwijzen").get_data(as_text=True)
    assert _service_of(tax).name in form and _service_of(elsewhere).name not in form  # another buurt's

    refer = f"/hulp/{request_in_dorp.id}/verwijzen"
    empty = client.post(refer, data={"service_id": "", "note": "Bel ze gerust."})
    assert empty.status_code == 422 and "Kies een dienst." in empty.get_data(as_text=True)
    assert "Bel ze gerust." in empty.get_data(as_text=True)

    chosen = {"service_id": str(_service_of(tax).id), "note": "Zij helpen met brieven."}
    done = client.post(refer, data=chosen)
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/hulp/{request_in_dorp.id}#gesprek")
    assert db.session.scalar(db.select(db.func.count()).select_from(HelpReferral)) == 1
    client.post("/uitloggen")

    login(client, request_in_dorp.author)
    conversation = _text(client.get(f"/hulp/{request_in_dorp.id}"))
    assert f"Ik verwijs u naar {_service_of(tax).name} van Buurtteam" in conversation
    assert "Bellen kan op 030 345 67 89" in conversation
    assert "Verwijzen naar een dienst" not in conversation  # only verbinders refer
    assert mail_server.deliver().sent == 1
    [message] = mail_server.to("riet@example.org")
    assert "Henk" in message["Subject"]


@pytest.mark.parametrize("who", ["asker", "member", "moderator", "other_verbinder"])
def test_only_a_verbinder_of_the_circle_refers(client, dorp, castellum, request_in_dorp, who):
    make_organization("Buurtteam")
    person = {
        "asker": lambda: request_in_dorp.author,
        "member": lambda: make_member(dorp),
        "moderator": lambda: make_user(role=Role.MODERATOR),
        "other_verbinder": lambda: make_member(castellum, role="connector"),
    }[who]()
    login(client, person)
    expected = 404 if who == "other_verbinder" else 403  # another circle's item: as if not there
    refer = f"/hulp/{request_in_dorp.id}/verwijzen"
    assert client.get(refer).status_code == expected
    assert client.post(refer, data={"service_id": "1"}).status_code == expected
