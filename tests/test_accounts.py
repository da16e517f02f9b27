import re

import pytest
from flask_login import AnonymousUserMixin

from portal.circles.access import can_see_phone
from portal.extensions import db
from portal.models import Membership, Role, User
from tests.conftest import htmx_headers, login
from tests.factories import PASSWORD, make_circle, make_member, make_user


def html(response) -> str:
    return response.get_data(as_text=True)


def test_register_signs_in_and_hashes_password(client):
    response = client.post("/registreren", data={
        "name": "Truus Jansen", "email": "Truus@Example.org",
        "password": "lange-zin-als-wachtwoord", "password2": "lange-zin-als-wachtwoord",
    })
    assert response.status_code == 303
    user = db.session.scalar(db.select(User).where(User.email == "truus@example.org"))
    assert user is not None and user.password_hash != "lange-zin-als-wachtwoord"
    assert not user.trusted
    assert "Truus" in client.get("/account").get_data(as_text=True)


def test_register_errors_are_dutch_and_keep_input(client):
    response = client.post("/registreren", data={
        "name": "Truus <b>Jansen</b>", "email": "geen-adres", "password": "kort", "password2": "anders",
    })
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Dit lijkt geen e-mailadres" in page
    assert "minstens 10 tekens" in page
    assert 'value="geen-adres"' in page
    assert "Truus &lt;b&gt;Jansen&lt;/b&gt;" in page
    assert 'aria-describedby="email-hint email-error"' in page
    assert 'aria-invalid="true"' in page


def test_register_refuses_a_taken_address(client):
    make_user(email="riet@example.org")
    response = client.post("/registreren", data={
        "name": "Riet", "email": "riet@example.org", "password": "x" * 12, "password2": "x" * 12,
    })
    assert response.status_code == 422
    assert "al een account" in response.get_data(as_text=True)


def test_a_filled_honeypot_does_not_stop_registration(client):
    """Browsers' autofill fills the hidden field too; the account is made (a new account is
    *nieuw*: what it posts waits for a moderator anyway)."""
    form = client.get("/registreren").get_data(as_text=True)
    honeypot = re.search(r'<input[^>]*name="website"[^>]*>', form).group(0)
    assert 'autocomplete="off"' in honeypot and 'tabindex="-1"' in honeypot
    response = client.post("/registreren", data={
        "name": "Truus Jansen", "email": "truus@example.org", "password": "x" * 12, "password2": "x" * 12,
        "website": "Truus Jansen",
    })
    assert response.status_code == 303
    user = db.session.scalar(db.select(User).where(User.email == "truus@example.org"))
    assert user is not None and user.is_new


def test_login_and_logout(client):
    user = make_user()
    response = login(client, user)
    assert response.headers["Location"] == "/"
    assert client.get("/account").status_code == 200
    assert client.post("/uitloggen").status_code == 303
    assert client.get("/account").status_code == 302


def test_logout_is_post_only(client):
    assert client.get("/uitloggen").status_code == 405


def test_wrong_password_and_unknown_address_answer_alike(client):
    user = make_user()
    wrong = client.post("/inloggen", data={"email": user.email, "password": "fout-fout-fout"})
    unknown = client.post("/inloggen", data={"email": "niemand@example.org", "password": "fout"})
    assert wrong.status_code == unknown.status_code == 422
    message = "Het e-mailadres of het wachtwoord klopt niet"
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)


def test_session_is_renewed_at_sign_in(client):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


@pytest.mark.parametrize("target", [
    "//evil.example", "/\\evil.example", "https:evil.example", "javascript:alert(1)",
    " /account", "\t//evil.example", "https://evil.example/", "/%0d%0aLocation:evil",
])
def test_next_only_leads_to_this_site(client, target):
    user = make_user()
    response = client.post(f"/inloggen?next={target}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil" not in location or location.startswith("/%")


def test_next_leads_back_to_a_local_page(client):
    user = make_user()
    response = client.post("/inloggen?next=/account", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/account"


def test_sign_in_is_rate_limited_with_a_friendly_page(client):
    user = make_user()
    for _ in range(10):
        client.post("/inloggen", data={"email": user.email, "password": "fout"})
    response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Even rustig aan" in response.get_data(as_text=True)


def test_rate_limits_can_be_switched_off(database_url, monkeypatch):
    from portal import create_app
    from tests.conftest import CSRFClient, app_config

    monkeypatch.setenv("RATELIMIT_ENABLED", "0")
    config = app_config(database_url)
    del config["RATELIMIT_ENABLED"]  # taken from the environment, as in production
    app = create_app(config)
    app.test_client_class = CSRFClient
    with app.app_context():
        user = make_user()
        client = app.test_client()
        for _ in range(12):
            client.post("/inloggen", data={"email": user.email, "password": "fout"})
        response = client.post("/inloggen", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 303
        db.session.remove()


def test_csrf_refusal_is_kind_and_keeps_text(client):
    response = client.post("/registreren", csrf=False, data={
        "name": "Truus Jansen", "email": "truus@example.org", "password": "x" * 12,
        "password2": "x" * 12, "csrf_token": "verlopen",
    })
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Dit formulier was verlopen" in page
    assert "Truus Jansen" in page
    assert "x" * 12 not in page  # passwords are never echoed


def test_csrf_header_is_accepted_for_htmx(client):
    token = client.csrf_token()
    user = make_user()
    response = client.post("/inloggen", csrf=False, headers=htmx_headers(**{"X-CSRFToken": token}),
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303


def test_account_page_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert "/inloggen?next=" in response.headers["Location"]


def test_create_admin_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-admin", "--email", "Chef@Example.org", "--name", "Chef",
                                 "--password", "geheim-en-lang"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.email == "chef@example.org"))
    assert user.is_admin and user.check_password("geheim-en-lang")


# --- Registration: the circle of your street ---------------------------------------------------


def register(client, **extra):
    data = {"name": "Truus Jansen", "email": "truus@example.org", "password": "x" * 12, "password2": "x" * 12}
    return client.post("/registreren", data={**data, **extra})


def test_registering_with_a_street_offers_its_circle(client):
    circle = make_circle("Vleuten Dorp", streets=("Dorpsstraat", "Schoolstraat"))
    make_circle("De Meern Zandweg", streets=("Zandweg",))
    response = register(client, street="  dorpsstraat 12a ")
    assert response.status_code == 303 and response.location == "/account/welkom"
    page = html(client.get("/account/welkom"))
    assert "Uw buurtcirkel is Vleuten Dorp: lid worden?" in page and "Zandweg" not in page
    assert f'<form method="post" action="/cirkels/{circle.slug}/lid-worden">' in page
    assert client.post(f"/cirkels/{circle.slug}/lid-worden").status_code == 303
    truus = db.session.scalar(db.select(User).where(User.email == "truus@example.org"))
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == truus.id))
    assert membership.circle_id == circle.id
    assert "Dorpsstraat" not in html(client.get("/account/welkom"))  # the street is not kept
    assert not {"street", "straat"} & {column.name for column in User.__table__.columns}


def test_only_circles_with_exactly_that_street_are_offered(client):
    make_circle("Vleuten Dorp", streets=("Dorpsstraat",))  # "Dorp" is only part of a name
    register(client, street="Dorp")
    page = html(client.get("/account/welkom"))
    assert "lid worden?" not in page
    assert "We vonden geen buurtcirkel bij Dorp" in page and 'href="/cirkels?straat=Dorp"' in page


def test_a_street_of_two_circles_offers_both(client):
    north = make_circle("Noord", streets=("Lange Straat",))
    south = make_circle("Zuid", streets=("Lange Straat",))
    register(client, street="lange straat")
    page = html(client.get("/account/welkom"))
    assert "Uw buurtcirkel is Noord: lid worden?" in page and "Uw buurtcirkel is Zuid: lid worden?" in page
    assert f"/cirkels/{north.slug}/lid-worden" in page and f"/cirkels/{south.slug}/lid-worden" in page


def test_registering_without_a_street_just_welcomes(client):
    make_circle("Vleuten Dorp", streets=("Dorpsstraat",))
    assert register(client).status_code == 303
    page = html(client.get("/account/welkom"))
    assert "Welkom, Truus!" in page and "lid worden?" not in page and 'href="/cirkels"' in page


def test_a_too_long_street_is_refused_next_to_the_field(client):
    response = register(client, street="s" * 81)
    assert response.status_code == 422
    assert 'aria-describedby="street-hint street-error"' in html(response) and "s" * 81 in html(response)


# --- The profile ------------------------------------------------------------------------------


def profile(**values) -> dict:
    data = {"first_name": "Anne", "last_name": "de Vries", "email": "anne@example.org", "phone": ""}
    return {**data, **values}


@pytest.fixture
def anne(app):
    return make_user(name="Anne de Vries", email="anne@example.org")


def test_the_profile_needs_sign_in_and_is_linked_from_the_account(client, anne):
    assert client.get("/account/profiel").status_code == 302
    login(client, anne)
    assert 'href="/account/profiel"' in html(client.get("/account"))
    page = html(client.get("/account/profiel"))
    assert 'name="first_name"' in page and 'value="Anne"' in page and 'value="de Vries"' in page
    assert "Mijn buren in de buurtcirkel en de verbinder mogen mijn telefoonnummer zien" in page
    assert 'name="share_phone"' in page and 'type="checkbox"' in page


def test_the_profile_saves_name_phone_and_what_is_shared(client, anne):
    login(client, anne)
    response = client.post("/account/profiel", data=profile(
        first_name=" Anne ", last_name="van  der Berg", phone=" +31  6-1234 5678 ", share_phone="y"))
    assert response.status_code == 303 and response.location == "/account/profiel"
    user = db.session.get(User, anne.id)
    assert (user.name, user.first_name, user.last_name) == ("Anne van der Berg", "Anne", "van der Berg")
    assert (user.phone, user.share_phone) == ("+31 6-1234 5678", True)
    assert "Uw gegevens zijn opgeslagen" in html(client.get("/account/profiel"))
    client.post("/account/profiel", data=profile(phone=""))  # no tick: no longer shared, no phone
    user = db.session.get(User, anne.id)
    assert (user.phone, user.share_phone, user.email) == ("", False, "anne@example.org")


@pytest.mark.parametrize("phone", ["06 12345678", "06-12345678", "+31 30 123 4567", "0031612345678"])
def test_phone_numbers_are_read_leniently(client, anne, phone):
    login(client, anne)
    assert client.post("/account/profiel", data=profile(phone=phone)).status_code == 303


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"phone": "bel me maar"}, "phone", "Dit lijkt geen telefoonnummer"),
    ({"phone": "06 1234567"}, "phone", "10 tot 15 cijfers"),
    ({"phone": "06 1234 5678 9012 345"}, "phone", "10 tot 15 cijfers"),
    ({"phone": "06+12345678"}, "phone", "Dit lijkt geen telefoonnummer"),
    ({"first_name": ""}, "first_name", "Vul dit veld in."),
    ({"email": "anne-at-home"}, "email", "Dit lijkt geen e-mailadres"),
    ({"first_name": "A" * 40, "last_name": "B" * 40}, "last_name", "samen mogen hooguit 80 tekens"),
])
def test_bad_profile_input_is_named_next_to_its_field_and_kept(client, anne, values, field, message):
    login(client, anne)
    data = profile(**values)
    response = client.post("/account/profiel", data=data)
    assert response.status_code == 422
    page = html(response)
    assert message in page
    error = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert error and message in error.group(1)
    assert re.search(rf'<input[^>]*aria-describedby="[^"]*{field}-error"[^>]*>', page)
    for name, value in data.items():
        if value:
            assert f'value="{value}"' in page, name
    assert db.session.get(User, anne.id).name == "Anne de Vries"


def test_an_address_of_another_account_is_refused(client, anne):
    make_user(email="kees@example.org")
    login(client, anne)
    response = client.post("/account/profiel", data=profile(email="Kees@Example.org"))
    assert response.status_code == 422 and "hoort al bij een ander account" in html(response)
    assert db.session.get(User, anne.id).pending_email is None


def test_changing_the_password_asks_the_current_one(client, anne):
    login(client, anne)
    new = {"password": "een-nieuw-wachtwoord", "password2": "een-nieuw-wachtwoord"}
    wrong = client.post("/account/profiel/wachtwoord", data={"current_password": "geraden", **new})
    assert wrong.status_code == 422
    error = re.search(r'<p class="error" id="current_password-error">(.*?)</p>', html(wrong), re.S)
    assert error and "Dit wachtwoord klopt niet" in error.group(1)
    assert 'value="Anne"' in html(wrong)  # the profile form is still there, filled in
    mismatch = client.post("/account/profiel/wachtwoord", data={
        "current_password": PASSWORD, "password": "een-nieuw-wachtwoord", "password2": "een-ander"})
    assert mismatch.status_code == 422 and "niet hetzelfde" in html(mismatch)
    changed = client.post("/account/profiel/wachtwoord", data={"current_password": PASSWORD, **new})
    assert changed.status_code == 303
    assert "Uw wachtwoord is veranderd" in html(client.get("/account/profiel"))
    client.post("/uitloggen")
    login(client, anne, "een-nieuw-wachtwoord")


def test_passwords_are_never_echoed_on_the_profile(client, anne):
    login(client, anne)
    response = client.post("/account/profiel/wachtwoord", data={
        "current_password": "mijn-geheim-123", "password": "kort", "password2": "kort"})
    assert response.status_code == 422 and "mijn-geheim-123" not in html(response)


# --- Who sees a phone number: the permission matrix -------------------------------------------

# viewer: (sees it with share_phone off, sees it with share_phone on)
SEES_PHONE = {
    "anonymous": (False, False),
    "self": (True, True),
    "member": (False, True),  # a fellow member of the circle: only when the person allows it
    "connector": (True, True),  # the verbinder of the circle, always
    "other_member": (False, False),
    "other_connector": (False, False),  # a verbinder of another circle
    "moderator": (False, False),
    "loner": (False, False),  # signed in, in no circle
}


@pytest.fixture
def phone_world(app):
    home = make_circle("Vleuten Dorp", streets=("Dorpsstraat",))
    elsewhere = make_circle("De Meern Zandweg", streets=("Zandweg",))
    people = {
        "self": make_member(home, name="Riet van Dijk"),
        "member": make_member(home, name="Joke Vermeulen"),
        "connector": make_member(home, role="connector", name="Sonja Bakker"),
        "other_member": make_member(elsewhere, name="Henk Verhoef"),
        "other_connector": make_member(elsewhere, role="connector", name="Karin Smit"),
        "moderator": make_user(name="Mehmet Yilmaz", role=Role.MODERATOR),
        "loner": make_user(name="Bert Alleen"),
    }
    people["self"].phone = "06 12345678"
    db.session.commit()
    return people


@pytest.mark.parametrize("share", [False, True], ids=["not-shared", "shared"])
@pytest.mark.parametrize("viewer", SEES_PHONE)
def test_who_sees_a_phone_number(phone_world, viewer, share):
    person = phone_world["self"]
    person.share_phone = share
    db.session.commit()
    seer = AnonymousUserMixin() if viewer == "anonymous" else phone_world[viewer]
    assert can_see_phone(seer, person) is SEES_PHONE[viewer][share]


def test_someone_in_no_circle_shows_their_phone_to_nobody_else(phone_world):
    loner = phone_world["loner"]
    loner.share_phone = True
    assert can_see_phone(loner, loner)
    assert not any(can_see_phone(phone_world[v], loner) for v in ("member", "connector", "moderator"))
