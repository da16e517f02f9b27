"""Sessions that end when they should (issue 24, ``portal/accounts/sessions.py``): each
signed-in device is a session the server knows; signing out, a new password, a deleted or
blocked account end them, and the same cookie afterwards is a visitor's."""

import re
from datetime import timedelta

import pytest
from flask.sessions import SecureCookieSessionInterface

from portal.accounts import sessions
from portal.accounts.privacy import DELETED_NAME
from portal.extensions import db
from portal.models import DeviceSession, OutboxMessage, User
from portal.models.base import utcnow
from tests.conftest import login
from tests.factories import PASSWORD, make_post, make_user

IPAD = ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1")
WINDOWS_EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0")
ANDROID_CHROME = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0.0.0 Mobile Safari/537.36")
NEW_PASSWORD = "een-nieuw-lang-wachtwoord"
END_LINK = re.compile(r"https?://\S+(/account/apparaten/beeindigen/\S+)")


def html(response) -> str:
    return response.get_data(as_text=True)


def sign_in(client, user, user_agent: str = IPAD, remember: bool = False, password: str = PASSWORD):
    data = {"email": user.email, "password": password}
    if remember:
        data["remember"] = "y"
    response = client.post("/inloggen", data=data, headers={"User-Agent": user_agent})
    assert response.status_code == 303, html(response)[:500]
    return response


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, value: str):
    """Another browser holding a copy of that session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def is_visitor(client) -> bool:
    """The account page sends a visitor to sign in."""
    response = client.get("/account")
    return response.status_code == 302 and "/inloggen" in response.headers["Location"]


def device_rows(user) -> list[DeviceSession]:
    return db.session.scalars(db.select(DeviceSession).where(DeviceSession.user_id == user.id)).all()


def test_a_sign_in_is_a_session_the_server_knows(client):
    person = make_user()
    sign_in(client, person)
    [row] = device_rows(person)
    assert row.device == "iPad, Safari" and not row.remember
    token = _session_data(client)["_user_id"]
    assert token != str(person.id) and len(token) >= 40  # a token in the cookie ...
    assert row.token_hash != token and len(row.token_hash) == 64  # ... only its digest stored
    assert client.get("/account").status_code == 200


def _session_data(client) -> dict:
    serializer = SecureCookieSessionInterface().get_signing_serializer(client.application)
    return serializer.loads(cookie_of(client))


def test_signing_out_ends_the_session_and_its_copies(app, client):
    person = make_user()
    sign_in(client, person)
    copied = cookie_of(client)
    assert not is_visitor(with_cookie(app, copied))
    assert client.post("/uitloggen").status_code == 303
    assert device_rows(person) == []
    replay = with_cookie(app, copied)
    assert is_visitor(replay)
    assert person.name not in html(replay.get("/"))


def test_a_cookie_with_a_number_or_an_old_remember_cookie_signs_nobody_in(app):
    person = make_user()
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    forged = with_cookie(app, serializer.dumps({"_user_id": str(person.id), "_fresh": True}))
    assert is_visitor(forged)
    from flask_login.utils import encode_cookie

    with app.test_request_context():
        remember = encode_cookie(str(person.id))
    old = app.test_client()
    old.set_cookie("remember_token", remember)
    assert is_visitor(old)


def test_the_devices_list_and_signing_out_one_device(app, client):
    person = make_user()
    tablet = app.test_client()
    sign_in(tablet, person, IPAD)
    sign_in(client, person, WINDOWS_EDGE)
    page = html(client.get("/account"))
    assert "Ingelogd op deze apparaten" in page
    assert "iPad, Safari" in page and "Windows-computer, Edge" in page
    assert page.count("dit apparaat</span>") == 1
    assert "Laatst gezien vandaag" in page and "Overal uitloggen" in page
    ipad = next(row for row in device_rows(person) if row.device == "iPad, Safari")
    response = client.post(f"/account/apparaten/{ipad.id}/uitloggen")
    assert response.status_code == 303
    page = html(client.get("/account"))
    assert "U bent uitgelogd op iPad, Safari." in page
    assert "iPad, Safari" not in page.split("Ingelogd op deze apparaten")[1]
    assert len(device_rows(person)) == 1
    assert is_visitor(tablet)
    assert not is_visitor(client)


def test_nobody_signs_out_another_persons_device(app, client):
    person, stranger = make_user(), make_user()
    sign_in(app.test_client(), person)
    [row] = device_rows(person)
    sign_in(client, stranger)
    assert client.post(f"/account/apparaten/{row.id}/uitloggen").status_code == 404
    assert len(device_rows(person)) == 1


def test_signing_out_everywhere_keeps_this_device(app, client):
    person = make_user()
    others = [app.test_client() for _ in range(2)]
    for other, agent in zip(others, (IPAD, ANDROID_CHROME), strict=True):
        sign_in(other, person, agent)
    sign_in(client, person, WINDOWS_EDGE)
    assert client.post("/account/apparaten/uitloggen").status_code == 303
    assert "U bent nu overal uitgelogd, behalve op dit apparaat." in html(client.get("/account"))
    assert all(is_visitor(other) for other in others)
    assert not is_visitor(client)
    assert [row.device for row in device_rows(person)] == ["Windows-computer, Edge"]


def test_a_password_change_ends_every_other_session_and_says_so(app, client):
    person = make_user()
    tablet = app.test_client()
    sign_in(tablet, person)
    sign_in(client, person, WINDOWS_EDGE)
    response = client.post("/account/profiel/wachtwoord", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 303
    assert "Op uw andere apparaten bent u nu uitgelogd." in html(client.get("/account/profiel"))
    assert is_visitor(tablet)
    assert not is_visitor(client)


def test_a_new_password_by_mail_ends_every_session(app, client):
    from portal.accounts import service

    person = make_user()
    tablet = app.test_client()
    sign_in(tablet, person)
    sign_in(client, person, WINDOWS_EDGE)
    with app.test_request_context():
        token = service.reset_token(person)
    stranger = app.test_client()  # someone who got hold of the mail: signs in with the link
    response = stranger.post(f"/wachtwoord-nieuw/{token}", data={"password": NEW_PASSWORD,
                                                               "password2": NEW_PASSWORD})
    assert response.status_code == 303
    assert "Op al uw andere apparaten bent u nu uitgelogd." in html(stranger.get("/account"))
    assert is_visitor(tablet) and is_visitor(client)
    assert len(device_rows(person)) == 1


def test_deleting_the_account_ends_every_session_and_the_placeholder_stays_nobodys(app, client):
    person = make_user(name="Sanne de Wit")
    post = make_post(person, title="Een bankje bij de vijver")
    tablet = app.test_client()
    sign_in(tablet, person)
    sign_in(client, person, WINDOWS_EDGE)
    copied = cookie_of(client)
    tablet_csrf = tablet.csrf_token()
    assert client.post("/account/verwijderen", data={"password": PASSWORD}).status_code == 303
    placeholder = db.session.get(User, person.id)
    assert placeholder.name == DELETED_NAME and placeholder.deleted_at is not None
    assert not placeholder.is_active and device_rows(placeholder) == []
    for replay in (tablet, with_cookie(app, copied)):
        assert is_visitor(replay)
        response = replay.post("/account/profiel", csrf=False, data={
            "csrf_token": tablet_csrf, "first_name": "Sanne", "last_name": "de Wit",
            "email": placeholder.email, "phone": ""})
        assert response.status_code in (302, 400)
        response = replay.post(f"/berichten/{post.id}/reageren", csrf=False,
                               data={"csrf_token": tablet_csrf, "body": "Toch nog even dit."})
        assert response.status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(User, person.id).name == DELETED_NAME
    with app.test_request_context(headers={"User-Agent": IPAD}):
        assert sessions.sign_in(db.session.get(User, person.id)) is False
    assert device_rows(placeholder) == []


def test_the_placeholder_cannot_be_edited_even_with_a_session_row(app, client):
    """Defence in depth: a session row that somehow survived still signs nobody in."""
    person = make_user()
    sign_in(client, person)
    person = db.session.get(User, person.id)
    person.name, person.deleted_at = DELETED_NAME, utcnow()
    db.session.commit()
    assert device_rows(person) != []
    assert is_visitor(client)
    client.post("/account/profiel", data={"first_name": "Weer", "last_name": "Terug",
                                          "email": person.email, "phone": ""})
    db.session.expire_all()
    assert db.session.get(User, person.id).name == DELETED_NAME


def test_blocking_ends_every_session_of_the_account(app, client):
    from tests.factories import Role

    person = make_user()
    moderator = make_user(role=Role.MODERATOR)
    devices = [app.test_client() for _ in range(2)]
    for device, agent in zip(devices, (IPAD, WINDOWS_EDGE), strict=True):
        sign_in(device, person, agent)
    login(client, moderator)
    response = client.post(f"/moderatie/account/{person.id}/blokkeren", data={"reason": "Steeds reclame."})
    assert response.status_code == 303
    for device in devices:  # at its next request each device is signed out, and told why
        assert "Uw account is geblokkeerd" in html(device.get("/", follow_redirects=True))
        assert is_visitor(device)
    assert device_rows(person) == []


def test_unblocking_brings_no_session_back(app, client):
    from tests.factories import Role

    person = make_user()
    device = app.test_client()
    sign_in(device, person, IPAD)
    login(client, make_user(role=Role.MODERATOR))
    client.post(f"/moderatie/account/{person.id}/blokkeren", data={"reason": "Steeds reclame."})
    client.post(f"/moderatie/account/{person.id}/deblokkeren", data={"reason": "Excuses."})
    assert device_rows(person) == []
    assert is_visitor(device)


def test_keep_me_signed_in_is_a_choice(client):
    person = make_user()
    page = html(client.get("/inloggen"))
    assert "Ingelogd blijven" in page and "na 2 uur niets doen" in page
    response = sign_in(client, person)
    assert "Expires=" not in response.headers["Set-Cookie"]  # ends with the browser
    client.post("/uitloggen")
    response = sign_in(client, person, remember=True)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("session="))
    assert "Expires=" in cookie
    [row] = device_rows(person)
    assert row.remember


def _age(user, **ago) -> None:
    """Make every session of ``user`` look as if it was last used ``ago`` back."""
    moment = utcnow() - timedelta(**ago)
    db.session.execute(db.update(DeviceSession).where(DeviceSession.user_id == user.id)
                       .values(last_seen_at=moment, created_at=moment))
    db.session.commit()
    sessions._touched.clear()  # this worker's memory of the touches


def test_a_session_without_keep_me_signed_in_ends_after_two_idle_hours(client):
    person = make_user()
    sign_in(client, person)
    _age(person, hours=1, minutes=50)
    assert not is_visitor(client)
    [row] = device_rows(person)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)  # seen again: touched
    _age(person, hours=2, minutes=1)
    assert is_visitor(client)
    assert device_rows(person) == []


def test_a_kept_session_lasts_90_days(client):
    person = make_user()
    sign_in(client, person, remember=True)
    _age(person, days=30)
    assert not is_visitor(client)
    _age(person, days=91)
    assert is_visitor(client)


def test_being_seen_is_no_change_that_empties_the_kept_pages(client):
    person = make_user()
    sign_in(client, person)
    _age(person, minutes=10)
    version = client.application.extensions["changes"].version
    before = version._read()
    assert client.get("/account").status_code == 200
    assert version._read() == before
    [row] = device_rows(person)
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def _outbox_to(address: str) -> list[OutboxMessage]:
    return db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.to_address == address)).all()


def test_a_new_device_gets_one_mail_with_a_link_that_ends_it(app, client):
    person = make_user()
    sign_in(client, person, WINDOWS_EDGE)
    assert _outbox_to(person.email) == []  # a first sign-in is no news
    thief = app.test_client()
    sign_in(thief, person, ANDROID_CHROME)
    [mail] = _outbox_to(person.email)
    assert "Android-telefoon, Chrome" in mail.text
    path = END_LINK.search(mail.text).group(1)
    page = client.get(path)  # a mail program opening the link ends nothing
    assert page.status_code == 200 and "Android-telefoon, Chrome" in html(page)
    assert not is_visitor(thief)
    response = client.post(path)
    assert response.status_code == 303
    assert is_visitor(thief) and not is_visitor(client)
    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410


def test_a_tampered_end_link_is_refused(client):
    assert client.get("/account/apparaten/beeindigen/niet-echt").status_code == 410


@pytest.mark.parametrize(("agent", "label"), [
    (IPAD, "iPad, Safari"),
    (WINDOWS_EDGE, "Windows-computer, Edge"),
    (ANDROID_CHROME, "Android-telefoon, Chrome"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.4 Safari/605.1.15", "Mac, Safari"),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "Linux-computer, Firefox"),
    ("", "Onbekend apparaat"),
])
def test_device_labels(agent, label):
    assert sessions.device_label(agent) == label


def test_last_seen_is_coarse_dutch():
    now = utcnow().replace(hour=12)
    assert sessions.seen_when(now, now) == "vandaag"
    assert sessions.seen_when(now - timedelta(days=1), now) == "gisteren"
    assert sessions.seen_when(now - timedelta(days=10), now).startswith("op ")


def test_keep_me_signed_in_is_a_choice_at_sign_up_too(client):
    page = html(client.get("/registreren"))
    assert "Ingelogd blijven" in page
    response = client.post("/registreren", data={
        "name": "Gerda Smit", "email": "gerda.smit@example.org", "password": "een lange zin van mij",
        "password2": "een lange zin van mij", "remember": "y"})
    assert response.status_code == 303
    assert "Expires=" in response.headers["Set-Cookie"]  # 90 days, not until the browser closes
