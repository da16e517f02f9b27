"""Account mail against a real SMTP server (aiosmtpd on loopback): a new password by mail,
and a new address that counts only once its link is followed."""

import re
import time
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from itsdangerous.timed import TimestampSigner

from portal.accounts import service
from portal.extensions import db
from portal.models import User
from tests.conftest import login
from tests.factories import PASSWORD, make_user

pytest_plugins = ["tests.mailserver"]

NEW_PASSWORD = "een-nieuw-lang-wachtwoord"
LINK = re.compile(r"https?://\S+/(?:wachtwoord-nieuw|account/email-bevestigen)/\S+")


def html(response) -> str:
    return response.get_data(as_text=True)


def main_of(response) -> str:
    """The page's own content (the layout carries a fresh CSP nonce each time)."""
    return html(response).split("<main", 1)[1].split("</main>", 1)[0]


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def link_in(message) -> str:
    """The path of the one link for a new password or a new address in the message."""
    [url] = LINK.findall(body_of(message))
    return urlsplit(url).path


def ask_for_a_link(client, email: str):
    response = client.post("/wachtwoord-vergeten", data={"email": email})
    assert response.status_code == 303 and response.location == "/wachtwoord-vergeten/verstuurd"
    return client.get(response.location)


def reset(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "password2": password})


def sign_in(client, email: str, password: str):
    return client.post("/inloggen", data={"email": email, "password": password})


@contextmanager
def later(monkeypatch, delta: timedelta):
    """Read links as if ``delta`` had passed (the tokens' clock is itsdangerous')."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() + delta.total_seconds()))
        yield


def valid_for(client, monkeypatch, path: str, period: timedelta):
    """The link works a minute before ``period`` is over and not a minute after; returns the
    page it then shows."""
    with later(monkeypatch, period - timedelta(minutes=1)):
        assert client.get(path).status_code == 200
    with later(monkeypatch, period + timedelta(minutes=1)):
        expired = client.get(path)
    assert expired.status_code == 410
    return expired


def refreshed(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- A new password by mail ------------------------------------------------------------------


def test_the_sign_in_page_links_to_a_new_password(client):
    assert 'href="/wachtwoord-vergeten"' in html(client.get("/inloggen"))
    assert "Wachtwoord vergeten?" in html(client.get("/inloggen"))


def test_a_resident_resets_a_forgotten_password_by_mail_and_signs_in(app, client, mail_server):
    user = make_user(name="Truus Jansen", email="truus@example.org")
    page = ask_for_a_link(client, "  Truus@Example.org ")
    assert "Kijk in uw e-mail" in html(page)
    assert mail_server.deliver().sent == 1
    [message] = mail_server.to("truus@example.org")
    assert message["Subject"] == "Een nieuw wachtwoord voor het Buurtportaal"
    assert message.get_content_type() == "text/plain" and "List-Unsubscribe" not in message
    assert "Beste Truus" in body_of(message) and "één uur" in body_of(message)
    path = link_in(message)

    form = client.get(path)
    assert form.status_code == 200 and 'name="password"' in html(form) and 'name="password2"' in html(form)
    response = reset(client, path)
    assert response.status_code == 303 and response.location == "/account"
    page = client.get("/account")
    assert page.status_code == 200 and "Uw wachtwoord is veranderd" in html(page)  # signed in

    client.post("/uitloggen")
    assert sign_in(client, "truus@example.org", PASSWORD).status_code == 422  # the old one is gone
    assert sign_in(client, "truus@example.org", NEW_PASSWORD).status_code == 303
    assert refreshed(user).check_password(NEW_PASSWORD)

    client.post("/uitloggen")
    used = client.get(path)  # one use: the password it was made for has changed
    assert used.status_code == 410 and "Deze link werkt niet meer" in html(used)
    assert 'href="/wachtwoord-vergeten"' in html(used)
    assert reset(client, path, "nog-een-ander-wachtwoord").status_code == 410
    assert refreshed(user).check_password(NEW_PASSWORD)


def test_an_unknown_address_gets_the_same_page_and_no_mail(app, client, mail_server):
    make_user(email="truus@example.org")
    known = ask_for_a_link(client, "truus@example.org")
    unknown = ask_for_a_link(client, "niemand@example.org")
    assert main_of(known) == main_of(unknown)
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == ["truus@example.org"]


def test_a_blocked_account_gets_no_link(app, client, mail_server):
    user = make_user(email="geblokkeerd@example.org")
    user.blocked = True
    db.session.commit()
    ask_for_a_link(client, "geblokkeerd@example.org")
    mail_server.deliver()
    assert mail_server.messages == []


def test_any_password_change_voids_every_earlier_link(app, client, mail_server):
    user = make_user(email="kees@example.org")
    ask_for_a_link(client, "kees@example.org")
    ask_for_a_link(client, "kees@example.org")
    mail_server.deliver()
    first, second = (link_in(m) for m in mail_server.to("kees@example.org"))
    assert reset(client, second).status_code == 303
    assert reset(client, first, "weer-een-ander-wachtwoord").status_code == 410

    client.post("/uitloggen")
    ask_for_a_link(client, "kees@example.org")
    mail_server.deliver()
    third = link_in(mail_server.to("kees@example.org")[-1])
    login(client, user, NEW_PASSWORD)  # a change on the profile voids the link too
    third_password = "het-derde-wachtwoord"
    response = client.post("/account/profiel/wachtwoord", data={
        "current_password": NEW_PASSWORD, "password": third_password, "password2": third_password})
    assert response.status_code == 303
    assert client.get(third).status_code == 410


def test_a_link_is_valid_for_one_hour(app, client, mail_server, monkeypatch):
    make_user(email="riet@example.org")
    ask_for_a_link(client, "riet@example.org")
    mail_server.deliver()
    expired = valid_for(client, monkeypatch, link_in(mail_server.messages[0]), timedelta(hours=1))
    assert "Vraag een nieuwe link" in html(expired)


@pytest.mark.parametrize("path", ["/wachtwoord-nieuw/niet-echt", "/wachtwoord-nieuw/WzEsICJ4Il0.abc.def"])
def test_a_tampered_link_gets_the_kind_page(client, path):
    make_user()
    response = client.get(path)
    assert response.status_code == 410 and "Vraag een nieuwe link" in html(response)


def test_a_link_made_for_someone_else_does_not_carry_over(app, client):
    """The token names the person and their password; changing either part breaks it."""
    truus, kees = make_user(), make_user()
    token = service.reset_token(truus)
    assert service.user_from_reset_token(token).id == truus.id
    payload, rest = token.split(".", 1)
    assert service.user_from_reset_token(service.reset_token(kees).split(".", 1)[0] + "." + rest) is None


def test_a_new_password_has_the_same_rules_as_registering(app, client, mail_server):
    make_user(email="truus@example.org")
    ask_for_a_link(client, "truus@example.org")
    mail_server.deliver()
    path = link_in(mail_server.messages[0])
    response = client.post(path, data={"password": "kort", "password2": "anders"})
    assert response.status_code == 422
    page = html(response)
    assert "minstens 10 tekens" in page and "niet hetzelfde" in page
    assert 'aria-describedby="password-hint password-error"' in page


def test_the_forgotten_password_form_says_what_is_wrong(client):
    response = client.post("/wachtwoord-vergeten", data={"email": "truus-at-example"})
    assert response.status_code == 422
    assert "Dit lijkt geen e-mailadres" in html(response) and 'value="truus-at-example"' in html(response)


def test_asking_for_links_is_rate_limited_per_address(app, client, mail_server):
    make_user(email="truus@example.org")
    for _ in range(5):
        assert client.post("/wachtwoord-vergeten", data={"email": "truus@example.org"}).status_code == 303
    refused = client.post("/wachtwoord-vergeten", data={"email": "truus@example.org"})
    assert refused.status_code == 429 and "Even rustig aan" in html(refused)
    assert client.post("/wachtwoord-vergeten", data={"email": "kees@example.org"}).status_code == 303
    mail_server.deliver()
    assert len(mail_server.to("truus@example.org")) == 5


# --- A new address counts once confirmed ------------------------------------------------------


def profile_data(user: User, **changes) -> dict:
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "phone": user.phone}
    return {**data, **changes}


def test_a_new_address_counts_only_after_its_link_is_followed(app, client, mail_server):
    user = make_user(name="Truus Jansen", email="truus@example.org")
    login(client, user)
    response = client.post("/account/profiel", data=profile_data(user, email="Truus@Nieuw.example"))
    assert response.status_code == 303
    page = html(client.get("/account/profiel"))
    assert "wacht op bevestiging" in page and "truus@nieuw.example" in page
    assert refreshed(user).email == "truus@example.org"  # the old address stays until then
    assert refreshed(user).pending_email == "truus@nieuw.example"

    mail_server.deliver()
    [message] = mail_server.messages
    assert message["To"] == "truus@nieuw.example" and "48 uur" in body_of(message)
    path = link_in(message)
    client.post("/uitloggen")
    assert sign_in(client, "truus@nieuw.example", PASSWORD).status_code == 422  # not yet
    assert sign_in(client, "truus@example.org", PASSWORD).status_code == 303
    client.post("/uitloggen")

    confirm = client.get(path)  # a page with one button: mail programs open links themselves
    assert confirm.status_code == 200 and "truus@nieuw.example" in html(confirm)
    assert refreshed(user).email == "truus@example.org"
    response = client.post(path)
    assert response.status_code == 303 and response.location == "/inloggen"
    assert refreshed(user).email == "truus@nieuw.example" and refreshed(user).pending_email is None
    assert sign_in(client, "truus@nieuw.example", PASSWORD).status_code == 303

    mail_server.deliver()  # the old address hears of it
    [notice] = mail_server.to("truus@example.org")
    assert "truus@nieuw.example" in body_of(notice)
    assert client.post(path).status_code == 410  # used


def test_a_later_address_voids_the_earlier_link(app, client, mail_server):
    user = make_user(email="kees@example.org")
    login(client, user)
    client.post("/account/profiel", data=profile_data(user, email="eerst@example.org"))
    client.post("/account/profiel", data=profile_data(user, email="daarna@example.org"))
    mail_server.deliver()
    first, second = (link_in(m) for m in mail_server.messages)
    assert client.get(first).status_code == 410
    assert client.post(second).status_code == 303
    assert refreshed(user).email == "daarna@example.org"


def test_keeping_the_old_address_stops_the_link(app, client, mail_server):
    user = make_user(email="kees@example.org")
    login(client, user)
    client.post("/account/profiel", data=profile_data(user, email="nieuw@example.org"))
    response = client.post("/account/profiel/email-niet-veranderen")
    assert response.status_code == 303 and refreshed(user).pending_email is None
    assert "wacht op bevestiging" not in html(client.get("/account/profiel"))
    mail_server.deliver()
    assert client.get(link_in(mail_server.messages[0])).status_code == 410


def test_an_address_link_is_valid_for_48_hours(app, client, mail_server, monkeypatch):
    user = make_user(email="kees@example.org")
    login(client, user)
    client.post("/account/profiel", data=profile_data(user, email="nieuw@example.org"))
    mail_server.deliver()
    expired = valid_for(client, monkeypatch, link_in(mail_server.messages[0]), timedelta(hours=48))
    assert 'href="/account/profiel"' in html(expired)


def test_an_address_taken_meanwhile_is_not_given_away(app, client, mail_server):
    user = make_user(email="kees@example.org")
    login(client, user)
    client.post("/account/profiel", data=profile_data(user, email="gedeeld@example.org"))
    make_user(email="gedeeld@example.org")  # someone registered it before Kees clicked
    mail_server.deliver()
    response = client.post(link_in(mail_server.messages[0]))
    assert response.status_code == 409 and "hoort nu bij een ander account" in html(response)
    assert (refreshed(user).email, refreshed(user).pending_email) == ("kees@example.org", None)
