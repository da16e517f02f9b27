"""Two app servers in front of one PostgreSQL database and one Redis (issue 23): a change
made through one shows on the other at its next request.

Each server is gunicorn with workers of its own, its own change-stamp file (``CHANGE_STAMP``,
so the file that tells the workers of one server about a change cannot reach the other) and
``PAGE_CACHE_SECONDS=60`` (so nothing kept ends by time while the test runs). What they share
is ``CACHE_REDIS_URL``: the version of the data that every server compares with at each
request. A moderator hides a post through server A; at its next request server B no longer
shows it: not on the board, not on the post page, not in the copy kept for visitors without
cookies, not to a signed-in resident.

Runs only on PostgreSQL (``PORTAL_TEST_DATABASE_URL``; two servers cannot share a SQLite file
across machines) and with Redis answering at ``PORTAL_TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379``); otherwise it skips with the reason, and with
``PORTAL_REQUIRE_SERVICES=1`` a Redis that does not answer fails it. The servers use Redis
database ``PORTAL_TEST_CACHE_REDIS_DB`` (default 13), which the test empties afterwards.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import pytest
import redis

from portal.extensions import db
from portal.models import Role
from tests.conftest import skip_or_fail
from tests.factories import PASSWORD, make_post, make_user
from tests.servers import Answer, Visitor, gunicorn

REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379").rstrip("/")
CACHE_DB = os.environ.get("PORTAL_TEST_CACHE_REDIS_DB", "13")
WORKERS = 2  # per server
READERS = 4
READS = 6  # per reader and page

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def cache_redis_url():
    url = f"{REDIS_URL.rsplit('/', 1)[0] if REDIS_URL.count('/') > 2 else REDIS_URL}/{CACHE_DB}"
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis does not answer at {url} ({error})")
    yield url
    client.flushdb()
    client.close()


def _signed_in(url: str, email: str) -> Visitor:
    visitor = Visitor(url)
    answer = visitor.submit("/inloggen", {"email": email, "password": PASSWORD})
    assert answer.status == 303, answer.text[:300]
    return visitor


def _read(visitors: list[Visitor], path: str) -> list[Answer]:
    """``path`` read READS times by each visitor, all at once (so every worker answers)."""
    with ThreadPoolExecutor(max_workers=len(visitors)) as pool:
        batches = pool.map(lambda visitor: [visitor.get(path) for _ in range(READS)], visitors)
        return [answer for batch in batches for answer in batch]


def test_a_post_hidden_through_one_server_is_gone_from_the_other_at_once(
        app, database_url, tmp_path, cache_redis_url):
    post = make_post(make_user(name="Auteur"), theme_slug="verkeer", title="Drempels in de Dorpsstraat")
    post_id, title = post.id, post.title
    moderator = make_user(email="moderator@example.org", role=Role.MODERATOR).email
    resident = make_user(name="Riet van Dijk").email
    db.session.commit()  # the test holds no transaction while the servers write
    board, post_page = "/themas/verkeer", f"/berichten/{post_id}"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    def serve(name: str):
        return gunicorn(tmp_path / name, workers=WORKERS, DATABASE_URL=database_url, RATELIMIT_ENABLED="0",
                        PAGE_CACHE_SECONDS="60", CACHE_REDIS_URL=cache_redis_url,
                        CHANGE_STAMP=str(tmp_path / name / "changes-stamp"))

    with ExitStack() as servers:
        server_a, server_b = servers.enter_context(serve("a")), servers.enter_context(serve("b"))
        hider = _signed_in(server_a.url, moderator)
        residents_b = [_signed_in(server_b.url, resident) for _ in range(READERS)]
        visitors_b = [Visitor(server_b.url) for _ in range(READERS)]  # no cookies: kept copies

        for readers in (residents_b, visitors_b):  # B keeps the post everywhere
            assert all(title in answer.text for answer in _read(readers, board)), "on the board"
            assert {answer.status for answer in _read(readers, post_page)} == {200}
        assert len(server_b.worker_pids_seen(f"GET {post_page} ")) == WORKERS

        hidden = hider.submit(post_page, {"reason": "Reclame"},
                              action=f"/moderatie/bericht/{post_id}/verbergen")
        assert hidden.status == 303, hidden.text[:300]

        for who, readers in (("a resident", residents_b), ("a visitor", visitors_b)):
            on_board = [answer for answer in _read(readers, board) if title in answer.text]
            assert not on_board, f"{len(on_board)} board pages on server B still show it to {who}"
            statuses = [answer.status for answer in _read(readers, post_page)]
            assert set(statuses) == {404}, f"server B's post page for {who}: {statuses}"
        errors = server_a.errors() + server_b.errors()

    assert "Traceback" not in errors, errors[-3000:]
