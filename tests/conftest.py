"""Shared fixtures: an app on a real, migrated database per test, a CSRF-aware client,
and ``login``.

The schema is built once per session by running the Alembic migrations, so every test runs on
exactly the schema that production gets:

* SQLite (the default, ``make test``): one migrated file, copied for each test.
* PostgreSQL (``PORTAL_TEST_DATABASE_URL=postgresql+psycopg://...``, as in CI): the ``public``
  schema is dropped and migrated once; after each test the tables are put back to what the
  migrations left (``tests/postgresql.py``: TRUNCATE, the migrations' own rows back, ids
  restarted).

Markers: ``sqlite_only`` and ``postgresql_only`` skip a test on the other database.
Services a test needs (PostgreSQL, Redis) skip it with a reason when they are missing, unless
``PORTAL_REQUIRE_SERVICES=1`` (CI), which turns that skip into a failure.
"""

import os
import re
import shutil
import uuid

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from portal import create_app
from portal.extensions import db, limiter
from portal.wijk import in_wijk
from tests.factories import PASSWORD
from tests.postgresql import MigratedPostgreSQL
from tests.wijk_statements import StatementCheck

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "").strip()
ON_POSTGRESQL = TEST_DATABASE_URL.startswith("postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: runs only on SQLite (skipped in the PostgreSQL pass)")
    config.addinivalue_line("markers", "postgresql_only: runs only when PORTAL_TEST_DATABASE_URL is set")


def pytest_runtest_setup(item):
    if ON_POSTGRESQL and item.get_closest_marker("sqlite_only"):
        pytest.skip("SQLite only; this pass runs on PostgreSQL")
    if not ON_POSTGRESQL and item.get_closest_marker("postgresql_only"):
        pytest.skip("PostgreSQL only; set PORTAL_TEST_DATABASE_URL=postgresql+psycopg://...")


def services_required() -> bool:
    return os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str):
    """A missing service skips the test on a laptop and fails it in CI."""
    if services_required():
        pytest.fail(f"{reason} (and PORTAL_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the test Redis (its keys removed afterwards); skips
    when Redis does not answer (fails with ``PORTAL_REQUIRE_SERVICES=1``)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis does not answer at {REDIS_URL} ({error})")
    prefix = f"portal-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def app_config(database) -> dict:
    """Test settings; ``database`` is a SQLite file path or a SQLAlchemy URL."""
    uri = str(database) if "://" in str(database) else f"sqlite:///{database}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": uri,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """The migrated template: a SQLite file (copied per test) or the PostgreSQL database."""
    if ON_POSTGRESQL:
        database = MigratedPostgreSQL(TEST_DATABASE_URL)
        try:
            database.recreate_schema()
        except Exception as exc:  # noqa: BLE001 - any failure: say which server and why
            safe = make_url(TEST_DATABASE_URL).render_as_string(hide_password=True)
            pytest.exit(f"PORTAL_TEST_DATABASE_URL={safe} is not usable: {exc}", returncode=3)
        _migrate(TEST_DATABASE_URL)
        database.remember_what_the_migrations_left()
        yield database
        database.dispose()
        return
    path = tmp_path_factory.mktemp("template") / "portal.sqlite3"
    _migrate(f"sqlite:///{path}")
    yield path


@pytest.fixture
def database_url(tmp_path, migrated_database) -> str:
    """A database of this test's own, just as the migrations left it, as a SQLAlchemy URL."""
    if not ON_POSTGRESQL:
        shutil.copy(migrated_database, tmp_path / "portal.sqlite3")
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    yield TEST_DATABASE_URL
    migrated_database.empty()


@pytest.fixture
def empty_database_url(tmp_path):
    """A second database without any tables: a new SQLite file, or a new database on the
    PostgreSQL server (dropped afterwards)."""
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = make_url(TEST_DATABASE_URL)
    name = f"{url.database}_empty"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with server.connect() as connection:
        connection.execute(drop)
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(drop)


def _migrate(url: str) -> None:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(directory="migrations")
        db.engine.dispose()


class CSRFClient(FlaskClient):
    """A test client that behaves like a browser against a server.

    Each request runs in an app context of its own (fresh ``g``, fresh database session), as
    in production, even though the test itself holds one open. Before a request the test's
    session ends its transaction (as another client would: on SQLite an open transaction
    outside a request holds the write lock); afterwards it forgets what it cached, so it sees
    what the request wrote. Every form post carries a valid CSRF token unless ``csrf=False``.
    """

    def open(self, *args, **kwargs):
        test_session = db.session if has_app_context() else None
        if test_session is not None:
            test_session.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if test_session is not None:
            test_session.expire_all()
        return response

    def csrf_token(self) -> str:
        """The token a browser would send: from a signed-in page, or else the sign-in form
        (public pages carry none, see portal/pagecache.py)."""
        page = self.get("/privacy").get_data(as_text=True)
        found = CSRF_HEADER.search(page) or CSRF_INPUT.search(self.get("/inloggen").get_data(as_text=True))
        return found.group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf and "json" not in kwargs:
            data = dict(kwargs.get("data") or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


FIRST_WIJK = 1  # Vleuten-De Meern: the wijk the migrations make


@pytest.fixture(scope="session", autouse=True)
def in_the_first_wijk():
    """Every test works in the first wijk, as a job in it would (``portal/wijk.py``); a request
    works in the wijk of its host. A thread a test starts begins without one: give it
    ``contextvars.copy_context().run`` or ``in_wijk``."""
    with in_wijk(FIRST_WIJK):
        yield


@pytest.fixture
def app(database_url):
    """The app, in an app context. Every statement is checked for its wijk
    (``tests/wijk_statements.py``): one that leaves it out fails the test."""
    app = create_app(app_config(database_url))
    app.test_client_class = CSRFClient
    limiter.reset()
    check = StatementCheck()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", check)
        yield app
        db.session.remove()
        event.remove(db.engine, "before_cursor_execute", check)
        db.engine.dispose()
    if check.offending:
        shown = "\n\n".join(f"{tables}: {statement}" for statement, tables in check.offending[:5])
        pytest.fail(f"{len(check.offending)} statement(s) on a wijk's table without its wijk:\n{shown}")


@pytest.fixture
def client(app) -> CSRFClient:
    return app.test_client()


def login(client: FlaskClient, user, password: str = PASSWORD):
    """Sign in through the real form; returns the response."""
    response = client.post("/inloggen", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def htmx_headers(**extra) -> dict:
    """Headers of a plain (not boosted) htmx request."""
    return {"HX-Request": "true", **extra}


@pytest.fixture
def count_queries(app):
    """``count_queries(client, path)``: the SQL statements one request runs."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)

    def run(client, path):
        statements.clear()
        assert client.get(path).status_code == 200, path
        return list(statements)

    yield run
    event.remove(db.engine, "before_cursor_execute", record)


THEME_COUNT = re.compile(r'<a href="/themas/([^"]+)"[^>]*>.*?<p class="muted">(\d+) berichte?n?</p>', re.S)


def theme_counts(client: FlaskClient) -> dict[str, int]:
    """The number of posts ``/themas`` shows for each theme, by slug."""
    page = client.get("/themas").get_data(as_text=True)
    return {slug: int(count) for slug, count in THEME_COUNT.findall(page)}
