"""The session cookie and the CSRF token: what a worker remembers of them
(``portal/sessioncookie.py``, ``portal/security.py``) changes nothing of what they mean."""

from portal.sessioncookie import RememberingSessionInterface
from tests.conftest import CSRF_HEADER, login
from tests.factories import make_user


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_a_remembered_cookie_gives_each_request_its_own_session(app):
    interface = app.session_interface
    assert isinstance(interface, RememberingSessionInterface)
    signed = interface.get_signing_serializer(app).dumps({"_user_id": "7", "csrf_token": "abc"})
    headers = {"Cookie": f"session={signed}"}
    with app.test_request_context("/", headers=headers) as context:
        first = interface.open_session(app, context.request)
        first["changed_at"] = 1  # one request changes its session ...
        second = interface.open_session(app, context.request)
    assert second == {"_user_id": "7", "csrf_token": "abc"}  # ... the next one does not see it
    assert len(interface._checked) == 1


def test_an_expired_or_forged_cookie_is_refused_also_when_remembered(app, monkeypatch):
    interface = app.session_interface
    signed = interface.get_signing_serializer(app).dumps({"_user_id": "7"})
    with app.test_request_context("/", headers={"Cookie": f"session={signed}"}) as context:
        assert interface.open_session(app, context.request) == {"_user_id": "7"}
        lifetime = app.permanent_session_lifetime.total_seconds()
        real_time = __import__("time").time
        monkeypatch.setattr("portal.sessioncookie.time.time", lambda: real_time() + lifetime + 1)
        assert interface.open_session(app, context.request) == {}
    forged = signed[:-2] + ("AA" if not signed.endswith("AA") else "BB")
    with app.test_request_context("/", headers={"Cookie": f"session={forged}"}) as context:
        assert interface.open_session(app, context.request) == {}


def test_a_session_with_messages_waiting_is_not_remembered(app):
    interface = app.session_interface
    signed = interface.get_signing_serializer(app).dumps({"_flashes": [("success", "Opgeslagen.")]})
    with app.test_request_context("/", headers={"Cookie": f"session={signed}"}) as context:
        assert interface.open_session(app, context.request)["_flashes"] == [("success", "Opgeslagen.")]
    assert not interface._checked


def test_the_signed_csrf_token_is_reused_and_still_accepted(client):
    login(client, make_user())
    first = CSRF_HEADER.search(client.get("/privacy").get_data(as_text=True)).group(1)
    second = CSRF_HEADER.search(client.get("/privacy").get_data(as_text=True)).group(1)
    assert first == second  # signed once by this worker
    assert client.post("/uitloggen", csrf=False, data={"csrf_token": second}).status_code == 303


def test_a_new_session_gets_a_new_token(client):
    person = make_user()
    login(client, person)
    before = CSRF_HEADER.search(client.get("/privacy").get_data(as_text=True)).group(1)
    client.post("/uitloggen")
    login(client, person)  # a fresh session at sign-in
    after = CSRF_HEADER.search(client.get("/privacy").get_data(as_text=True)).group(1)
    assert after != before
    assert client.post("/uitloggen", csrf=False, data={"csrf_token": before}).status_code == 400
    assert client.post("/uitloggen", csrf=False, data={"csrf_token": after}).status_code == 303
