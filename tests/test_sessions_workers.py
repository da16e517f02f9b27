"""Sessions end on every worker and every server (issue 24): after signing out, a password
change, a new password by mail, deleting the account and blocking it, the old session cookie
gets the sign-in page at its next request, whichever gunicorn worker answers, also on a
worker that had the session's row kept (``kept.device_session``) a moment before.

The first test serves the portal with 3 workers on the database of the pass (SQLite, or
PostgreSQL with ``PORTAL_TEST_DATABASE_URL``). The second runs two servers (two workers each,
each with its own change stamp) on one PostgreSQL database, sharing the change stamp through
Redis (``CACHE_REDIS_URL``): a session ended on one server must be over on the other at once.
"""

import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.request import HTTPCookieProcessor

import pytest
import redis

from portal.accounts import service
from portal.extensions import db
from portal.models import Role, User
from tests.conftest import ON_POSTGRESQL, app_config, skip_or_fail
from tests.factories import PASSWORD, make_user
from tests.servers import REQUEST_SECONDS, Visitor, _NoRedirects, gunicorn

WORKERS = 3
REPLAYS = 45
THREADS = 6
NEW_PASSWORD = "een-nieuw-lang-wachtwoord"
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379")
CACHE_SECONDS = 4  # PAGE_CACHE_SECONDS of the servers: short, so the test waits little
SECRET = app_config("x")["SECRET_KEY"]  # the servers sign like the test app (a reset link)


def session_cookie(visitor: Visitor) -> str:
    jar = next(h.cookiejar for h in visitor.opener.handlers if isinstance(h, HTTPCookieProcessor))
    return next(cookie.value for cookie in jar if cookie.name == "session")


def replay(base_url: str, cookie: str, path: str = "/account") -> tuple[int, str]:
    """One request with a copy of the cookie: its status and where it redirects."""
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(base_url + path, headers={"Cookie": f"session={cookie}"})
    try:
        with opener.open(request, timeout=REQUEST_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


def replays(base_url: str, cookie: str) -> list[tuple[int, str]]:
    """``REPLAYS`` requests, ``THREADS`` at a time, so every worker answers some."""
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(lambda _: replay(base_url, cookie), range(REPLAYS)))


def signed_in_everywhere(base_url: str, cookie: str) -> None:
    answers = replays(base_url, cookie)
    assert all(status == 200 for status, _ in answers), answers


def visitor_everywhere(base_url: str, cookie: str) -> None:
    answers = replays(base_url, cookie)
    assert all(status == 302 and "/inloggen" in where for status, where in answers), answers


def signed_in(base_url: str, email: str, password: str = PASSWORD) -> Visitor:
    visitor = Visitor(base_url)
    answer = visitor.submit("/inloggen", {"email": email, "password": password})
    assert answer.status == 303, answer.text[:300]
    return visitor


@dataclass(frozen=True)
class Person:
    id: int
    email: str


# --- What ends a session: each gets the person, her other device and the servers ----------


def sign_out(person: Person, device: Visitor, **_) -> None:
    assert device.submit("/account", {}, action="/uitloggen").status == 303


def change_password(person: Person, device: Visitor, **_) -> None:
    fields = {"current_password": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    answer = device.submit("/account/profiel", fields, action="/account/profiel/wachtwoord")
    assert answer.status == 303, answer.text[:300]


def reset_password(person: Person, device: Visitor, reset_token: str, **_) -> None:
    stranger = Visitor(device.base_url)
    fields = {"password": NEW_PASSWORD, "password2": NEW_PASSWORD}
    answer = stranger.submit(f"/wachtwoord-nieuw/{reset_token}", fields)
    assert answer.status == 303, answer.text[:300]


def delete_account(person: Person, device: Visitor, **_) -> None:
    answer = device.submit("/account/verwijderen", {"password": PASSWORD})
    assert answer.status == 303, answer.text[:300]


def block(person: Person, device: Visitor, judge: Visitor, **_) -> None:
    answer = judge.submit(f"/moderatie/account/{person.id}/blokkeren", {"reason": "Steeds reclame."})
    assert answer.status == 303, answer.text[:300]


ENDINGS = (sign_out, change_password, reset_password, delete_account, block)


def _ends_on_every_worker(app, first_url: str, second_url: str) -> None:
    """Each ending: the person signs in on ``second_url`` (the old cookie) and on
    ``first_url`` (her other device, where she ends it). The test lets the workers keep her
    session's row, ends it, and replays the old cookie."""
    moderator = make_user(role=Role.MODERATOR)
    judge_email = moderator.email
    for ending in ENDINGS:
        made = make_user(name="Sanne de Wit")
        with app.test_request_context():
            token = service.reset_token(made)
        # Plain values, then the test's transaction ends: on SQLite, outside a request, a
        # transaction holds the write lock, and the servers' writes would wait for it.
        person = Person(made.id, made.email)
        db.session.commit()
        old = signed_in(second_url, person.email)
        cookie = session_cookie(old)
        other_device = old if ending is sign_out else signed_in(first_url, person.email)
        judge = signed_in(first_url, judge_email)
        signed_in_everywhere(second_url, cookie)  # now the workers keep her session's row
        ending(person, other_device, reset_token=token, judge=judge)
        visitor_everywhere(second_url, cookie)
        if ending is delete_account:  # the placeholder's name: no request changes it
            status, _ = replay(second_url, cookie, "/account/profiel")
            assert status == 302


def test_ended_sessions_end_on_every_worker(app, database_url, tmp_path):
    with gunicorn(tmp_path, workers=WORKERS, DATABASE_URL=database_url, RATELIMIT_ENABLED="0",
                  SECRET_KEY=SECRET, PAGE_CACHE_SECONDS=str(CACHE_SECONDS)) as server:
        _ends_on_every_worker(app, server.url, server.url)
        assert len(server.worker_pids_seen('"GET /account ')) == WORKERS, "every worker answered"
    placeholder = db.session.scalar(db.select(User).where(User.deleted_at.is_not(None)))
    assert placeholder.name == "verwijderde deelnemer"


@pytest.fixture
def redis_db():
    """A Redis database number of its own for the shared change stamp, emptied afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis does not answer at {REDIS_URL} ({error})")
    number = 11
    yield f"{REDIS_URL.rstrip('/')}/{number}"
    redis.Redis.from_url(f"{REDIS_URL.rstrip('/')}/{number}").flushdb()
    client.close()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="two servers share one database only on PostgreSQL; "
                    "set PORTAL_TEST_DATABASE_URL=postgresql+psycopg://...")
def test_ended_sessions_end_on_another_server_at_once(app, database_url, tmp_path, redis_db):
    """Two servers, each with its own change stamp file, share it through Redis
    (``CACHE_REDIS_URL``): what one server ends, the other must not keep."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shared = {"DATABASE_URL": database_url, "RATELIMIT_ENABLED": "0", "SECRET_KEY": SECRET,
              "CACHE_REDIS_URL": redis_db, "PAGE_CACHE_SECONDS": str(CACHE_SECONDS)}
    stamp_a, stamp_b = str(tmp_path / "a" / "changes"), str(tmp_path / "b" / "changes")
    with (gunicorn(tmp_path / "a", workers=2, CHANGE_STAMP=stamp_a, **shared) as first,
          gunicorn(tmp_path / "b", workers=2, CHANGE_STAMP=stamp_b, **shared) as second):
        _ends_on_every_worker(app, first.url, second.url)
