"""Running the circles from the portal: coordinators set up circles and verbinders, verbinders
keep a list of neighbours without internet, and a street without a circle can ask for one.
Without JavaScript (the Flask test client), with the real migrated database."""

import re

import pytest

from portal.circles import access
from portal.extensions import db
from portal.models import (
    Circle,
    HelpItem,
    Membership,
    OfflineNeighbour,
    OutboxMessage,
    Registration,
    Role,
    Street,
)
from tests.conftest import login
from tests.factories import (
    make_circle,
    make_event,
    make_help_item,
    make_member,
    make_neighbourhood,
    make_user,
)

pytest_plugins = ["tests.mailserver"]


def html(response) -> str:
    return response.get_data(as_text=True)


def _circle_form(neighbourhood, **changes) -> dict:
    data = {
        "name": "Hoge Woerd",
        "neighbourhood": str(neighbourhood.id),
        "streets": "Hoge Woerdlaan\nCastellumlaan",
        "description": "Rond het park.",
        "latitude": "52,0912",
        "longitude": "5,0421",
        "radius_m": "350",
        "contact_line": "",
    }
    data.update(changes)
    return data


def _outbox_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == address)))


# --- the contract: a coordinator starts a circle without a developer ------------------------


def test_an_admin_starts_a_circle_and_appoints_its_verbinder(app, client, mail_server):
    admin = make_user(name="Anneke de Graaf", email="beheer@example.org", role=Role.ADMIN)
    buiten = make_user(name="Henk Verhoef", email="buiten@example.org")
    de_meern = make_neighbourhood("De Meern")
    db.session.commit()
    login(client, admin)

    created = client.post("/beheer/cirkels/nieuw", data=_circle_form(de_meern))
    assert created.status_code == 303
    circle = db.session.scalar(db.select(Circle).where(Circle.name == "Hoge Woerd"))
    assert sorted(s.name for s in circle.streets) == ["Castellumlaan", "Hoge Woerdlaan"]
    assert circle.latitude == pytest.approx(52.0912) and circle.longitude == pytest.approx(5.0421)
    assert circle.radius_m == 350

    appointed = client.post(
        f"/beheer/cirkels/{circle.slug}/verbinders", data={"email": "Buiten@Example.org "}
    )
    assert appointed.status_code == 303
    assert "Henk Verhoef is nu verbinder" in html(client.get(appointed.location))
    [mail] = _outbox_to("buiten@example.org")
    assert (
        "U bent verbinder van Hoge Woerd" in mail.subject and f"/cirkels/{circle.slug}/overzicht" in mail.text
    )

    found = html(client.get("/cirkels?straat=Castellumlaan 12"))
    assert "Hoge Woerd" in found and f"/cirkels/{circle.slug}" in found

    log = html(client.get("/moderatie/logboek"))
    assert "Buurtcirkel gemaakt" in log and "Verbinder benoemd" in log
    assert "Henk Verhoef (buiten@example.org)" in log

    client.post("/uitloggen")
    login(client, buiten)
    assert client.get(f"/cirkels/{circle.slug}/overzicht").status_code == 200


def test_circle_management_is_for_coordinators_and_admins_only(app, client):
    circle = make_circle()
    resident = make_member(circle)
    moderator = make_user(role=Role.MODERATOR)
    coordinator = make_user(role=Role.COORDINATOR)
    db.session.commit()
    assert client.get("/beheer/cirkels").status_code == 302  # sign in first
    for person, status in ((resident, 403), (moderator, 403), (coordinator, 200)):
        login(client, person)
        assert client.get("/beheer/cirkels").status_code == status
        assert client.get(f"/beheer/cirkels/{circle.slug}").status_code == status
        assert client.post(f"/beheer/cirkels/{circle.slug}/archiveren").status_code in (status, 303)
        client.post("/uitloggen")


def test_an_admin_hands_out_the_coordinator_role_on_the_people_page(app, client):
    admin, moderator, person = (
        make_user(role=Role.ADMIN),
        make_user(role=Role.MODERATOR),
        make_user(name="Ria"),
    )
    db.session.commit()
    login(client, moderator)
    assert client.post(f"/moderatie/account/{person.id}/coordinator-maken").status_code == 403
    client.post("/uitloggen")
    login(client, admin)
    assert "Coördinator buurtcirkels maken" in html(client.get("/moderatie/mensen"))
    assert client.post(f"/moderatie/account/{person.id}/coordinator-maken").status_code == 303
    db.session.expire_all()
    assert person.role == Role.COORDINATOR and person.is_coordinator and person.trusted
    assert "Coördinator gemaakt" in html(client.get("/moderatie/logboek"))


def test_bad_input_is_explained_next_to_the_field_and_kept(app, client):
    admin = make_user(role=Role.ADMIN)
    taken = make_circle(name="Vleuten Dorp", streets=("Dorpsstraat",))
    db.session.commit()
    login(client, admin)
    response = client.post(
        "/beheer/cirkels/nieuw",
        data=_circle_form(
            taken.neighbourhood, name="Nieuwe Cirkel", streets="Dorpsstraat\nNieuwe Weg", latitude="48,85"
        ),
    )
    page = html(response)
    assert response.status_code == 422
    assert "Deze breedtegraad ligt niet in Nederland" in page and 'value="Nieuwe Cirkel"' in page
    response = client.post(
        "/beheer/cirkels/nieuw",
        data=_circle_form(taken.neighbourhood, name="Nieuwe Cirkel", streets="Dorpsstraat\nNieuwe Weg"),
    )
    page = html(response)
    assert response.status_code == 422 and "Dorpsstraat hoort al bij Vleuten Dorp" in page
    assert "Nieuwe Weg" in page  # what was typed stays
    unknown = client.post(f"/beheer/cirkels/{taken.slug}/verbinders", data={"email": "niemand@example.org"})
    assert unknown.status_code == 422
    assert "Er is geen account met dit e-mailadres" in html(unknown) and "niemand@example.org" in html(
        unknown
    )
    assert db.session.scalar(db.select(db.func.count(Circle.id))) == 1


def test_editing_keeps_streets_and_logs_the_change(app, client):
    admin = make_user(role=Role.ADMIN)
    circle = make_circle(name="Vleuten Dorp", streets=("Dorpsstraat", "Brink"))
    db.session.commit()
    login(client, admin)
    page = html(client.get(f"/beheer/cirkels/{circle.slug}"))
    assert "Dorpsstraat\nBrink" in page or "Brink\nDorpsstraat" in page
    changed = client.post(
        f"/beheer/cirkels/{circle.slug}",
        data=_circle_form(circle.neighbourhood, name="Vleuten Dorp", streets="Dorpsstraat\nSchoolstraat"),
    )
    assert changed.status_code == 303
    db.session.expire_all()
    assert sorted(s.name for s in circle.streets) == ["Dorpsstraat", "Schoolstraat"]
    assert "Straten nu: Dorpsstraat, Schoolstraat" in html(client.get("/moderatie/logboek"))


def test_a_street_moves_to_another_circle(app, client):
    admin = make_user(role=Role.ADMIN)
    one = make_circle(name="Een", streets=("Dorpsstraat", "Brink"))
    other = make_circle(name="Ander", streets=("Schoolstraat",), neighbourhood="De Meern")
    db.session.commit()
    login(client, admin)
    brink = next(s for s in one.streets if s.name == "Brink")
    moved = client.post(
        f"/beheer/cirkels/{one.slug}/straten/{brink.id}/verplaatsen", data={"circle": other.id}
    )
    assert moved.status_code == 303
    db.session.expire_all()
    assert db.session.get(Street, brink.id).circle_id == other.id
    assert "Ander" in html(client.get("/cirkels?straat=Brink"))
    assert "Brink: van Een naar Ander" in html(client.get("/moderatie/logboek"))


def test_archiving_tells_the_members_and_deletes_nothing(app, client):
    admin = make_user(role=Role.ADMIN)
    circle = make_circle(name="Stoppende Cirkel")
    member = make_member(circle)
    item = make_help_item(circle, member)
    db.session.commit()
    login(client, admin)
    assert client.post(f"/beheer/cirkels/{circle.slug}/archiveren").status_code == 303
    assert [m.subject for m in _outbox_to(member.email)] == ["De buurtcirkel Stoppende Cirkel stopt"]
    client.get("/beheer/cirkels")  # shows the confirmation
    assert "Stoppende Cirkel" not in html(client.get("/cirkels"))
    assert db.session.get(HelpItem, item.id) is not None
    assert "Gearchiveerd" in html(client.get("/beheer/cirkels"))
    client.post("/uitloggen")
    newcomer = make_user()
    db.session.commit()
    login(client, newcomer)
    client.post(f"/cirkels/{circle.slug}/lid-worden")
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == newcomer.id)) is None


def test_removing_a_verbinder_keeps_them_as_a_member_and_mails_them(app, client):
    admin = make_user(role=Role.ADMIN)
    circle = make_circle()
    connector = make_member(circle, role="connector")
    db.session.commit()
    login(client, admin)
    assert (
        client.post(f"/beheer/cirkels/{circle.slug}/verbinders/{connector.id}/verwijderen").status_code == 303
    )
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == connector.id))
    assert membership.role == "member"
    assert [m.subject for m in _outbox_to(connector.email)][-1].startswith("U bent geen verbinder meer")
    assert "Verbinder afgemeld" in html(client.get("/moderatie/logboek"))


# --- neighbours without internet ------------------------------------------------------------


def test_a_verbinder_lists_a_neighbour_and_asks_for_help_on_her_behalf(app, client):
    circle = make_circle(streets=("Dorpsstraat", "Schoolstraat"))
    connector = make_member(circle, role="connector")
    outsider = make_member(make_circle(name="Andere", neighbourhood="De Meern"))
    db.session.commit()
    login(client, connector)
    before = html(client.get(f"/cirkels/{circle.slug}"))
    members_before = int(re.search(r"<dt>Leden</dt><dd>(\d+)</dd>", before).group(1))

    refused = client.post(
        f"/cirkels/{circle.slug}/buren/nieuw",
        data={"first_name": "Mien", "street": "Schoolstraat", "phone": "030 666 43 21"},
    )
    assert refused.status_code == 422 and "Vraag eerst of de buur het goed vindt" in html(refused)
    assert 'value="Mien"' in html(refused)
    added = client.post(
        f"/cirkels/{circle.slug}/buren/nieuw",
        data={"first_name": "Mien", "street": "Schoolstraat", "phone": "030 666 43 21", "consent": "y"},
    )
    assert added.status_code == 303
    mien = db.session.scalar(db.select(OfflineNeighbour).where(OfflineNeighbour.first_name == "Mien"))
    assert mien.consent_by_id == connector.id and mien.consent_at is not None and mien.consent_text
    listing = html(client.get(f"/cirkels/{circle.slug}/buren"))
    assert "Mien" in listing and "030 666 43 21" in listing

    form = html(client.get(f"/cirkels/{circle.slug}/hulp/nieuw"))
    assert 'name="on_behalf_of"' in form and "Namens Mien (Schoolstraat)" in form
    posted = client.post(
        f"/cirkels/{circle.slug}/hulp/nieuw",
        data={
            "kind": "request",
            "category": "vervoer",
            "title": "Naar de huisarts",
            "on_behalf_of": str(mien.id),
        },
    )
    assert posted.status_code == 303
    item = db.session.scalar(db.select(HelpItem).where(HelpItem.title == "Naar de huisarts"))
    assert (item.on_behalf_of_id, item.on_behalf_name, item.on_behalf_street) == (
        mien.id,
        "Mien",
        "Schoolstraat",
    )

    after = html(client.get(f"/cirkels/{circle.slug}"))
    assert int(re.search(r"<dt>Leden</dt><dd>(\d+)</dd>", after).group(1)) == members_before + 1
    client.post("/uitloggen")
    login(client, outsider)
    assert client.get(f"/cirkels/{circle.slug}/buren").status_code == 404
    assert client.get(f"/cirkels/{circle.slug}/buren/nieuw").status_code == 404


def test_the_list_and_the_phones_are_for_the_circles_verbinders_only(app, client):
    circle = make_circle()
    member, moderator = make_member(circle), make_user(role=Role.MODERATOR)
    db.session.add(
        OfflineNeighbour(
            circle=circle,
            first_name="Gerda",
            street="Dorpsstraat",
            phone="030 666 12 34",
            consent_text="toestemming",
        )
    )
    db.session.commit()
    for person in (member, moderator):
        login(client, person)
        assert client.get(f"/cirkels/{circle.slug}/buren").status_code == 404
        client.post("/uitloggen")
    assert "030 666 12 34" not in html(client.get(f"/cirkels/{circle.slug}"))


def test_a_neighbour_who_asks_is_removed_and_her_requests_stay_namens_een_buur(app, client):
    circle = make_circle()
    connector = make_member(circle, role="connector")
    gerda = OfflineNeighbour(
        circle=circle,
        first_name="Gerda",
        street="Dorpsstraat",
        phone="030 666 12 34",
        consent_text="toestemming",
    )
    db.session.add(gerda)
    db.session.flush()
    item = make_help_item(circle, connector, title="Boodschappen voor Gerda")
    item.on_behalf_of_id, item.on_behalf_name, item.on_behalf_street = gerda.id, "Gerda", "Dorpsstraat"
    db.session.commit()
    gerda_id, item_id = gerda.id, item.id
    login(client, connector)
    assert client.post(f"/cirkels/{circle.slug}/buren/{gerda_id}/verwijderen").status_code == 303
    db.session.expunge_all()
    assert db.session.get(OfflineNeighbour, gerda_id) is None
    item = db.session.get(HelpItem, item_id)
    assert (item.on_behalf_of_id, item.on_behalf_name, item.on_behalf_street) == (None, "een buur", None)
    assert "namens een buur" in html(client.get(f"/hulp/{item.id}"))


def test_a_verbinder_signs_up_a_listed_neighbour_for_an_event(app, client):
    circle = make_circle()
    connector = make_member(circle, role="connector")
    gerda = OfflineNeighbour(circle=circle, first_name="Gerda", street="Dorpsstraat", consent_text="ja")
    db.session.add(gerda)
    event = make_event("Koffieochtend")
    db.session.commit()
    login(client, connector)
    assert "Gerda (Dorpsstraat)" in html(client.get(f"/agenda/{event.id}"))
    signed_up = client.post(f"/agenda/{event.id}/buur-aanmelden", data={"on_behalf_of": str(gerda.id)})
    assert signed_up.status_code == 303
    [registration] = db.session.scalars(db.select(Registration).where(Registration.event_id == event.id))
    assert registration.guest_name == "Gerda" and registration.registered_by_id == connector.id


@pytest.mark.parametrize(
    "person, keeps, manages",
    [
        ("visitor", False, False),
        ("member", False, False),
        ("connector", True, False),
        ("connector_elsewhere", False, False),
        ("moderator", False, False),
        ("coordinator", False, True),
        ("admin", False, True),
    ],
)
def test_permission_matrix_for_running_circles(app, person, keeps, manages):
    from flask_login import AnonymousUserMixin

    circle, elsewhere = make_circle(), make_circle(name="Elders", neighbourhood="De Meern")
    people = {
        "visitor": AnonymousUserMixin(),
        "member": make_member(circle),
        "connector": make_member(circle, role="connector"),
        "connector_elsewhere": make_member(elsewhere, role="connector"),
        "moderator": make_user(role=Role.MODERATOR),
        "coordinator": make_user(role=Role.COORDINATOR),
        "admin": make_user(role=Role.ADMIN),
    }
    user = people[person]
    with app.test_request_context():
        assert access.can_keep_neighbours(user, circle) is keeps
        assert access.can_manage_circles(user) is manages


# --- a street without a circle ------------------------------------------------------------


def test_a_street_without_a_circle_gets_a_kind_answer_and_can_ask_for_one(app, client):
    make_circle(name="Vleuten Dorp", streets=("Dorpsstraat",))
    resident, admin = make_user(), make_user(role=Role.ADMIN)
    db.session.commit()
    page = html(client.get("/cirkels?straat=Dorpstraat"))  # a typing error
    assert "Er is nog geen buurtcirkel voor “Dorpstraat”" in page
    assert "Vleuten Dorp" in page  # the circle with the street that looks like it
    assert "wijkinformatiepunt" in page.lower() and "Log in" in page

    login(client, resident)
    page = html(client.get("/cirkels?straat=Rijnvliet"))
    assert "Vraag een buurtcirkel aan voor Rijnvliet" in page
    asked = client.post("/cirkels/aanvragen", data={"straat": "Rijnvliet"})
    assert asked.status_code == 303 and "coördinator" in html(client.get(asked.location))
    again = client.post("/cirkels/aanvragen", data={"straat": "Rijnvliet"})
    assert "U had al een buurtcirkel gevraagd" in html(client.get(again.location))
    client.post("/uitloggen")
    login(client, admin)
    overview = html(client.get("/beheer/cirkels"))
    assert re.search(r"<td>Rijnvliet</td><td>1</td>", overview)


def test_the_verbinder_sees_members_phones_and_a_moderator_does_not(app, client):
    circle = make_circle()
    connector = make_member(circle, role="connector")
    member = make_member(circle, name="Riet van Dijk")
    member.phone, member.share_phone = "030 111 22 33", False
    moderator = make_user(role=Role.MODERATOR)
    db.session.commit()
    login(client, connector)
    assert "030 111 22 33" in html(client.get(f"/cirkels/{circle.slug}/overzicht"))
    client.post("/uitloggen")
    login(client, moderator)
    page = html(client.get(f"/cirkels/{circle.slug}/overzicht"))
    assert "Riet van Dijk" in page and "030 111 22 33" not in page
