"""Failures people may meet: a request that is too large, a database that goes away.

The outage test stops and starts the PostgreSQL server itself (``pg_ctlcluster``), which
every other user of that server notices, so it only runs on PostgreSQL and only when asked:
``PORTAL_REQUIRE_SERVICES=1`` (CI) or ``PORTAL_TEST_STOP_POSTGRESQL=1``.
"""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import services_required
from tests.servers import Visitor, gunicorn

FRIENDLY_503 = "even niet bereikbaar"
RESTART_SECONDS = 60


def test_a_too_large_request_gets_the_friendly_413_page(client, app):
    too_large = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post("/registreren", data={"name": "x" * too_large, "email": "a@example.org"})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Dat is te veel in één keer" in page and "Maak het korter" in page
    assert "Content-Security-Policy" in response.headers


def test_the_request_limit_is_a_setting(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    email = "a@example.org"
    assert client.post("/inloggen", data={"email": email, "password": "x" * 3000}).status_code == 413
    assert client.post("/inloggen", data={"email": email, "password": "x" * 100}).status_code == 422


def _cluster() -> list[str]:
    versions = sorted(Path("/etc/postgresql").iterdir(), key=lambda p: [int(x) for x in p.name.split(".")])
    return [versions[-1].name, os.environ.get("PORTAL_TEST_PG_CLUSTER", "main")]


def _pg_ctl(action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), action],
                   check=True, timeout=RESTART_SECONDS, capture_output=True)


@pytest.fixture
def postgresql_may_be_stopped():
    if not (services_required() or os.environ.get("PORTAL_TEST_STOP_POSTGRESQL") == "1"):
        pytest.skip("stops the PostgreSQL server; set PORTAL_TEST_STOP_POSTGRESQL=1 to run it")
    if not (shutil.which("pg_ctlcluster") and Path("/etc/postgresql").is_dir()):
        pytest.fail("pg_ctlcluster (Debian's postgresql-common) is needed to stop and start the server")
    yield
    if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode != 0:
        _pg_ctl("start")  # whatever happened in the test, leave the server running


def _wait_for(visitor: Visitor, path: str, status: int) -> int:
    deadline = time.monotonic() + RESTART_SECONDS
    while (answer := visitor.get(path).status) != status and time.monotonic() < deadline:
        time.sleep(0.5)
    return answer


@pytest.mark.postgresql_only
def test_database_outage_gives_503_and_the_portal_recovers_by_itself(
    database_url, tmp_path, postgresql_may_be_stopped
):
    sign_in = {"email": "niemand@example.org", "password": "fout-wachtwoord"}
    with gunicorn(tmp_path, workers=2, DATABASE_URL=database_url, RATELIMIT_ENABLED="0") as server:
        visitor = Visitor(server.url)
        assert visitor.get("/healthz").status == 200
        assert visitor.submit("/inloggen", sign_in).status == 422

        _pg_ctl("stop")
        try:
            assert visitor.get("/healthz").status == 503
            down = visitor.submit("/inloggen", sign_in)
            assert down.status == 503 and FRIENDLY_503 in down.text
        finally:
            _pg_ctl("start")

        assert _wait_for(visitor, "/healthz", 200) == 200
        assert {visitor.get("/healthz").status for _ in range(10)} == {200}
        assert visitor.submit("/inloggen", sign_in).status == 422
