import re

import pytest

from portal.extensions import db
from portal.models import User
from tests.conftest import htmx_headers, login
from tests.factories import PASSWORD, make_user


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
