"""Writes under load: 16 people post 20 times each at once, through 4 gunicorn workers.

On SQLite this holds only because write requests begin IMMEDIATE (``portal/database.py``):
writers queue on the busy timeout instead of failing with "database is locked" at commit.
The test runs on the database of the pass: a temporary migrated SQLite file, or PostgreSQL
when ``PORTAL_TEST_DATABASE_URL`` is set.

The write itself is ``write_once``, with ``prepare``, ``start`` and ``stored_writes`` beside
it: a reply to one post (``POST /berichten/<id>/reageren``) through the real form.
"""

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext

import pytest
from sqlalchemy import text

from portal.extensions import db
from portal.models import Post, Reply, User
from tests.factories import PASSWORD as USER_PASSWORD
from tests.factories import make_post, make_user
from tests.servers import Answer, Visitor, gunicorn

THREADS = 16
WRITES_PER_THREAD = 20
PASSWORD = "buren-helpen-buren-2026"


# --- The write under test: the four functions to switch to replies --------------------------

def prepare() -> dict:
    """A trusted resident and one post that everybody replies to."""
    writer = make_user(email="schrijver@example.org", trusted=True)
    return {"post_id": make_post(writer).id, "email": writer.email}


def start(visitor: Visitor, target: dict) -> None:
    """Each person signs in once (all as the same resident: one account, many tabs)."""
    signed_in = visitor.submit("/inloggen", {"email": target["email"], "password": USER_PASSWORD})
    assert signed_in.status == 303, signed_in.text[:300]


def write_once(visitor: Visitor, target: dict, thread: int, n: int) -> Answer:
    """One reply through the real form, as a person's browser sends it."""
    post = f"/berichten/{target['post_id']}"
    return visitor.submit(post, {"reply": f"Reactie {thread}-{n}"}, action=f"{post}/reageren")


def stored_writes(target: dict) -> int:
    post = db.session.get(Post, target["post_id"])
    replies = db.session.scalar(db.select(db.func.count(Reply.id)).where(Reply.post_id == post.id))
    assert post.reply_count == replies  # the cached counter lost nothing either
    return replies


# --- The test ---------------------------------------------------------------------------------

def _writer(base_url: str, target: dict, thread: int) -> list[Answer]:
    visitor = Visitor(base_url)
    start(visitor, target)
    return [write_once(visitor, target, thread, n) for n in range(WRITES_PER_THREAD)]


def test_concurrent_writes_all_land(app, database_url, tmp_path):
    target = prepare()
    db.session.commit()  # the test holds no transaction (and so no lock) while the server writes
    with gunicorn(tmp_path, workers=4, DATABASE_URL=database_url, RATELIMIT_ENABLED="0") as server:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            batches = pool.map(lambda thread: _writer(server.url, target, thread), range(THREADS))
            replies = [reply for batch in batches for reply in batch]
        server_errors = server.errors()

    statuses = sorted({reply.status for reply in replies})
    failed = [reply for reply in replies if reply.status >= 500 or reply.status == 0]
    assert not failed, f"{len(failed)} of {len(replies)} failed; server log:\n{server_errors[-3000:]}"
    assert statuses == [303], statuses
    assert "database is locked" not in server_errors
    assert "Traceback" not in server_errors, server_errors[-3000:]
    db.session.expire_all()
    assert stored_writes(target) == THREADS * WRITES_PER_THREAD


def test_a_double_submitted_registration_makes_one_account(app, database_url, tmp_path):
    """Eight tabs send the same registration at once: one account, seven friendly answers.

    Without BEGIN IMMEDIATE (SQLite) or the unique-email fallback (PostgreSQL) some of them
    pass the "address still free?" check together and the loser gets a 500.
    """
    fields = {"name": "Riet Dubbel", "email": "dubbel@example.org", "password": PASSWORD,
              "password2": PASSWORD}
    with gunicorn(tmp_path, workers=4, DATABASE_URL=database_url, RATELIMIT_ENABLED="0") as server:
        visitors = [Visitor(server.url) for _ in range(8)]
        with ThreadPoolExecutor(max_workers=8) as pool:
            replies = list(pool.map(lambda visitor: visitor.submit("/registreren", fields), visitors))

    assert sorted(reply.status for reply in replies) == [303] + [422] * 7
    assert all("al een account" in reply.text for reply in replies if reply.status == 422)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1


# --- Why: what BEGIN IMMEDIATE does on SQLite, shown with a second connection -----------------

def _another_writer_is_locked_out(database: str) -> bool:
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return True
    finally:
        other.close()


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("method", "takes_write_lock"), [
    ("POST", True), ("DELETE", True), ("GET", False), ("HEAD", False), (None, True),
])
def test_sqlite_transactions_take_the_write_lock_when_they_may_write(app, method, takes_write_lock):
    """A request that may write holds the write lock from its first query; a reading one
    does not; outside a request (``None``: the CLI) every transaction may write."""
    database = db.engine.url.database
    with app.test_request_context("/", method=method) if method else nullcontext():
        db.session.execute(text("SELECT 1"))
        assert _another_writer_is_locked_out(database) is takes_write_lock
        db.session.rollback()
    assert not _another_writer_is_locked_out(database)
