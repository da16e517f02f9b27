"""The rate limiter's storage through one setting: with several gunicorn workers a limit only
holds when they share it (Redis); in memory each worker counts for itself.

The Redis test skips when Redis does not answer, unless ``PORTAL_REQUIRE_SERVICES=1`` (CI).
Redis is taken from ``PORTAL_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379``); each run
uses a key prefix of its own and removes its keys afterwards.
"""

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import REDIS_URL
from tests.servers import Visitor, gunicorn

SIGN_IN_LIMIT = 10  # per minute, see accounts.views.login
VISITORS, ATTEMPTS = 4, 5  # 20 attempts in all, well within the minute


def _failed_sign_ins(tmp_path, database_url: str, **limiter_settings: str) -> tuple[list[int], set]:
    """20 wrong passwords from one address, four at a time, against two gunicorn workers;
    returns the statuses and the workers that answered."""
    def attempts(server_url: str) -> list[int]:
        visitor = Visitor(server_url)
        fields = {"email": "niemand@example.org", "password": "fout-wachtwoord"}
        return [visitor.submit("/inloggen", fields).status for _ in range(ATTEMPTS)]

    with gunicorn(tmp_path, workers=2, DATABASE_URL=database_url, RATELIMIT_ENABLED="1",
                  **limiter_settings) as server:
        with ThreadPoolExecutor(max_workers=VISITORS) as pool:
            batches = pool.map(attempts, [server.url] * VISITORS)
            statuses = [status for batch in batches for status in batch]
        return statuses, server.worker_pids_seen('"POST /inloggen')


def test_sign_in_limit_holds_across_workers_with_redis(database_url, tmp_path, redis_prefix):
    statuses, workers = _failed_sign_ins(tmp_path, database_url, RATELIMIT_STORAGE_URI=REDIS_URL,
                                         RATELIMIT_KEY_PREFIX=redis_prefix)
    assert len(workers) == 2, "both workers answered sign-ins"
    assert statuses.count(422) == SIGN_IN_LIMIT, statuses
    assert statuses.count(429) == VISITORS * ATTEMPTS - SIGN_IN_LIMIT, statuses


def test_in_memory_each_worker_counts_for_itself(database_url, tmp_path):
    """Why Redis is needed: the same attempts against memory storage get past the limit."""
    statuses, workers = _failed_sign_ins(tmp_path, database_url, RATELIMIT_STORAGE_URI="memory://")
    assert len(workers) == 2
    assert statuses.count(422) > SIGN_IN_LIMIT, statuses
