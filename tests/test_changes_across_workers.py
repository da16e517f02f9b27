"""What one worker changes shows on the other workers of the same server at their next
request, and what changes nothing empties nothing (issue 23).

Three real gunicorn workers (``tests/servers.py``) keep their own copies of the shared parts
of signed-in pages (``portal/pagecache.py``); ``PAGE_CACHE_SECONDS`` is 60, so a stale copy
cannot end by time while a test runs: what a worker shows after a change is what its change
detection made of it.

Each check reads the same page many times from several threads at once (several sessions of
one person, signed in before anything is changed, so none of them is "the one who made the
change" whose parts are rendered fresh), until every worker answered at least once. Which
worker answered comes from the access log, marked per round with a query argument that no
view reads (``?ronde=...``).

- Reporting twice: a resident reports a post, a moderator approves it (it leaves the queue),
  the resident reports it again and is told "U heeft dit al gemeld". That refused report
  changes nothing: the queue and its count in the header ("Moderatie (n)") are the same on
  every worker as before, and so is the database (the review stays closed).
- Following (``POST /berichten/<id>/volgen``) ends with a savepoint (``database.insert_once``):
  every worker shows the new state at its next request. The change must be announced to the
  other workers after the commit, not when the savepoint is released: a worker that reads
  between the two would keep the old state. Other sessions of the same person read the post
  page all the time while she follows and stops following, so some of their requests fall
  in that gap when it exists; the check after each round then finds the stale copy. On
  SQLite that gap is a fraction of a millisecond and only sometimes hit; on PostgreSQL the
  test widens it to a certain one: a deferred constraint trigger (fired at COMMIT, added for
  this test only and dropped afterwards) makes each commit of a follow take
  ``SLOW_COMMIT_SECONDS``.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import text

from portal.extensions import db
from portal.models import Review, Role
from tests.conftest import ON_POSTGRESQL
from tests.factories import PASSWORD, make_post, make_user
from tests.servers import Answer, Visitor, gunicorn

WORKERS = 3
READERS = 6  # sessions reading at once: enough for every worker to answer
READS_PER_ROUND = 8  # per reader and round (48 requests over three workers)
FOLLOW_ROUNDS = 8
SLOW_COMMIT_SECONDS = 0.3
QUEUE_COUNT = re.compile(r'Moderatie \(<span id="moderatie-aantal">(\d+)</span>\)')
FOLLOW_BUTTON = re.compile(r'id="volg-knop"[^>]*>([^<]+)</button>')


def _serve(tmp_path, database_url):
    return gunicorn(tmp_path, workers=WORKERS, DATABASE_URL=database_url, RATELIMIT_ENABLED="0",
                    PAGE_CACHE_SECONDS="60", CHANGE_STAMP=str(tmp_path / "changes-stamp"))


def _signed_in(url: str, email: str) -> Visitor:
    visitor = Visitor(url)
    answer = visitor.submit("/inloggen", {"email": email, "password": PASSWORD})
    assert answer.status == 303, answer.text[:300]
    return visitor


def _read_on_every_worker(server, readers: list[Visitor], path: str, round_name: str) -> list[Answer]:
    """``path`` read READS_PER_ROUND times by each reader, all at once; every worker answered."""
    marked = f"{path}{'&' if '?' in path else '?'}ronde={round_name}"

    def reads(reader: Visitor) -> list[Answer]:
        return [reader.get(marked) for _ in range(READS_PER_ROUND)]

    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        answers = [answer for batch in pool.map(reads, readers) for answer in batch]
    assert {answer.status for answer in answers} == {200}, [a.text[:300] for a in answers if a.status != 200]
    workers = server.worker_pids_seen(f"ronde={round_name} ")
    assert len(workers) == WORKERS, f"only {len(workers)} of {WORKERS} workers answered round {round_name}"
    return answers


def _queue_as_shown(answer: Answer, title: str) -> tuple[int, bool]:
    """The count in the header, and whether the post is in the queue."""
    count = QUEUE_COUNT.search(answer.text)
    assert count is not None, answer.text[:500]
    return int(count.group(1)), title in answer.text


def _open_reviews() -> int:
    """Read while the server runs; the transaction ends at once (on SQLite the test's own
    transaction would hold the write lock)."""
    db.session.expire_all()
    count = db.session.scalar(db.select(db.func.count(Review.id)).where(Review.is_open))
    db.session.commit()
    return count


def test_a_refused_second_report_changes_nothing_on_any_worker(app, database_url, tmp_path):
    post = make_post(make_user(name="Auteur"), title="Een bankje bij de Schans")
    post_id, title = post.id, post.title
    resident = make_user(name="Riet van Dijk").email
    moderators = [make_user(email=f"moderator{n}@example.org", role=Role.MODERATOR).email for n in range(2)]
    db.session.commit()  # the test holds no transaction (and so no lock) while the server writes
    report = {"reason": "reclame"}
    post_page, report_action = f"/berichten/{post_id}", f"/berichten/{post_id}/melden"

    with _serve(tmp_path, database_url) as server:
        reporter = _signed_in(server.url, resident)
        decider = _signed_in(server.url, moderators[0])
        readers = [_signed_in(server.url, moderators[1]) for _ in range(READERS)]

        assert reporter.submit(post_page, report, action=report_action).status == 303
        approve = f"/moderatie/bericht/{post_id}/goedkeuren"
        approved = decider.submit("/moderatie", {"reason": ""}, action=approve)
        assert approved.status == 303, approved.text[:300]
        assert _open_reviews() == 0

        def queue_as_shown(round_name: str) -> set[tuple[int, bool]]:
            answers = _read_on_every_worker(server, readers, "/moderatie", round_name)
            return {_queue_as_shown(answer, title) for answer in answers}

        before = queue_as_shown("voor")
        assert before == {(0, False)}, before  # every worker keeps the empty queue now

        refused = reporter.submit(post_page, report, action=report_action)
        assert refused.status == 303, refused.text[:300]
        assert "U heeft dit al gemeld" in reporter.get(post_page).text

        after = queue_as_shown("na")
        server_errors = server.errors()

    assert "Traceback" not in server_errors, server_errors[-3000:]
    assert after == before, f"the queue as the workers show it changed: {before} -> {after}"
    assert _open_reviews() == 0, "the refused report put the post back in the queue"


@contextmanager
def _slow_commits_of_follows():
    """On PostgreSQL: every COMMIT that stored a new follow waits ``SLOW_COMMIT_SECONDS``
    (a deferred constraint trigger runs at COMMIT), so readers certainly fall between the
    savepoint and the commit. Nothing on SQLite, which has no deferred triggers."""
    if not ON_POSTGRESQL:
        yield
        return
    statements = [
        "CREATE FUNCTION portal_test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN PERFORM pg_sleep({SLOW_COMMIT_SECONDS}); RETURN NULL; END $$",
        "CREATE CONSTRAINT TRIGGER portal_test_slow_commit AFTER INSERT ON follows "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION portal_test_slow_commit()",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    try:
        yield
    finally:
        with db.engine.begin() as connection:
            connection.execute(text("DROP TRIGGER IF EXISTS portal_test_slow_commit ON follows"))
            connection.execute(text("DROP FUNCTION IF EXISTS portal_test_slow_commit()"))


def test_following_shows_on_every_worker_at_its_next_request(app, database_url, tmp_path):
    post_page = f"/berichten/{make_post(make_user(name='Auteur')).id}"
    follower = make_user(name="Riet van Dijk").email
    db.session.commit()

    def buttons(round_name: str) -> set[str]:
        answers = _read_on_every_worker(server, readers, post_page, round_name)
        found = [FOLLOW_BUTTON.search(answer.text) for answer in answers]
        assert all(found), "the follow button is on every post page"
        return {match.group(1).strip() for match in found}

    with _slow_commits_of_follows(), _serve(tmp_path, database_url) as server:
        clicker = _signed_in(server.url, follower)
        readers = [_signed_in(server.url, follower) for _ in range(READERS)]  # her other devices
        assert buttons("voor") == {"Volgen"}

        for round_number in range(FOLLOW_ROUNDS):
            wanted = round_number % 2 == 0
            stop = threading.Event()

            def keep_reading(reader: Visitor, stop: threading.Event = stop) -> None:
                while not stop.is_set():
                    reader.get(f"{post_page}?ronde=tussendoor")

            with ThreadPoolExecutor(max_workers=READERS) as pool:
                running = [pool.submit(keep_reading, reader) for reader in readers]
                answer = clicker.submit(post_page, {"actie": "volgen" if wanted else "ontvolgen"},
                                        action=f"{post_page}/volgen")
                stop.set()
                for reading in running:
                    reading.result()
            assert answer.status == 303, answer.text[:300]

            expected = "Niet meer volgen" if wanted else "Volgen"
            shown = buttons(f"{round_number}")
            done = "following" if wanted else "stopping"
            assert shown == {expected}, f"round {round_number}: after {done} the workers show {shown}"
        server_errors = server.errors()

    assert "Traceback" not in server_errors, server_errors[-3000:]
