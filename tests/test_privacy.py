"""AVG rights: download my data, delete my account, purge old help items."""

import json
from datetime import timedelta

from portal.accounts.privacy import DELETED_NAME, purge_closed_help_items
from portal.extensions import db
from portal.models import HelpItem, HelpResponse, Membership, Registration, User
from portal.models.base import utcnow
from portal.models.circles import HelpStatus
from tests.conftest import login
from tests.factories import (
    PASSWORD,
    make_circle,
    make_event,
    make_help_item,
    make_member,
    make_post,
    make_registration,
    make_reply,
    make_user,
)


def test_my_data_download_holds_everything(client):
    circle = make_circle(name="Vleuten Dorp")
    riet = make_member(circle, name="Riet van Dijk")
    make_help_item(circle, riet, title="Boodschappen doen")
    post = make_post(riet, title="Zebrapad bij de school")
    make_reply(post, riet, body="Ik steun dit")
    make_registration(make_event(title="Koffieochtend"), riet)
    login(client, riet)
    response = client.get("/account/gegevens")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["e-mailadres"] == riet.email
    assert data["wijken"][0]["buurtcirkel"]["cirkel"] == "Vleuten Dorp"
    assert data["wijken"][0]["hulpvragen_en_aanbod"][0]["titel"] == "Boodschappen doen"
    assert data["wijken"][0]["berichten"][0]["titel"] == "Zebrapad bij de school"
    assert data["wijken"][0]["reacties"][0]["tekst"] == "Ik steun dit"
    assert data["wijken"][0]["aanmeldingen"][0]["bijeenkomst"] == "Koffieochtend"


def test_my_data_holds_my_phone_what_i_share_and_an_address_waiting(client):
    riet = make_user(name="Riet van Dijk")
    login(client, riet)
    client.post("/account/profiel", data={"first_name": "Riet", "last_name": "van Dijk",
                                          "email": "riet@nieuw.example", "phone": "06 12345678",
                                          "share_phone": "y"})
    account = json.loads(client.get("/account/gegevens").get_data(as_text=True))["account"]
    assert account["telefoon"] == "06 12345678" and account["telefoon_zichtbaar_voor_buren"] is True
    assert account["nieuw_e-mailadres_wacht_op_bevestiging"] == "riet@nieuw.example"
    assert account["e-mailadres"] == riet.email


def test_my_data_needs_sign_in(client):
    assert client.get("/account/gegevens").status_code == 302


def test_deleting_my_account_forgets_me_and_keeps_my_words_anonymous(client):
    circle = make_circle()
    riet = make_member(circle, name="Riet van Dijk")
    connector = make_member(circle, role="connector")
    item = make_help_item(circle, riet, title="Lamp ophangen", text="Ik woon op nummer 12")
    helper_item = make_help_item(circle, connector, title="Vervoer")
    db.session.add(HelpResponse(item=helper_item, user=riet, message="Ik rijd wel"))
    post = make_post(riet, title="Bankje bij de vijver")
    event = make_event(capacity=1)
    make_registration(event, riet)
    waiting = make_registration(event, make_user(), status="waiting")
    riet.phone, riet.share_phone, riet.pending_email = "06 12345678", True, "riet@nieuw.example"
    db.session.commit()
    riet_id, email = riet.id, riet.email
    login(client, riet)
    assert client.get("/account/verwijderen").status_code == 200
    wrong = client.post("/account/verwijderen", data={"password": "fout"})
    assert wrong.status_code == 422 and "klopt niet" in wrong.get_data(as_text=True)
    response = client.post("/account/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 303
    user = db.session.get(User, riet_id)
    assert user.name == DELETED_NAME and user.email != email and not user.check_password(PASSWORD)
    assert (user.phone, user.share_phone, user.pending_email) == ("", False, None)
    assert db.session.scalar(db.select(Membership).where(Membership.user_id == riet_id)) is None
    assert db.session.scalar(db.select(HelpResponse).where(HelpResponse.user_id == riet_id)) is None
    assert db.session.get(HelpItem, item.id).text == ""
    assert db.session.get(Registration, waiting.id).status == "confirmed"  # moved up
    assert DELETED_NAME in client.get(f"/berichten/{post.id}").get_data(as_text=True)
    assert client.get("/account").status_code == 302  # signed out
    again = client.post("/inloggen", data={"email": email, "password": PASSWORD})
    assert again.status_code == 422


def test_purge_strips_help_items_closed_long_ago(app):
    circle = make_circle()
    connector = make_member(circle, role="connector")
    old = make_help_item(circle, connector, on_behalf=("Gerda", "Dorpsstraat"), text="Belt u aan?")
    recent = make_help_item(circle, connector, on_behalf=("Kees", "Dorpsstraat"))
    for item, days in ((old, 120), (recent, 10)):
        item.status = HelpStatus.DONE
        db.session.commit()
        db.session.execute(db.update(HelpItem).where(HelpItem.id == item.id)
                           .values(updated_at=utcnow() - timedelta(days=days)))
    db.session.commit()
    assert purge_closed_help_items() == 1
    db.session.expire_all()
    assert db.session.get(HelpItem, old.id).on_behalf_name is None
    assert db.session.get(HelpItem, old.id).text == ""
    assert db.session.get(HelpItem, recent.id).on_behalf_name == "Kees"
    db.session.commit()  # the command works in a unit of work of its own (one per wijk)
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0 and "0 afgesloten" in result.output
