"""Shared fixtures: an app on a real, migrated database per test, a CSRF-aware client,
and ``login``.

The schema is built once per session by running the Alembic migrations, so every test runs on
exactly the schema that production gets:

* SQLite (the default, ``make test``): one migrated file, copied for each test.
* PostgreSQL (``PORTAL_TEST_DATABASE_URL=postgresql+psycopg://...``, as in CI): the ``public``
  schema is dropped and migrated once; after each test every table is emptied
  (``TRUNCATE ... RESTART IDENTITY CASCADE``), so ids start at 1 again.

Markers: ``sqlite_only`` and ``postgresql_only`` skip a test on the other database.
Services a test needs (PostgreSQL, Redis) skip it with a reason when they are missing, unless
``PORTAL_REQUIRE_SERVICES=1`` (CI), which turns that skip into a failure.
"""

import os
import re
import shutil

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from portal import create_app
from portal.extensions import db, limiter
from tests.factories import PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
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
    """The migrated template: a SQLite file (copied per test) or the PostgreSQL URL."""
    if ON_POSTGRESQL:
        _reset_postgresql_schema(TEST_DATABASE_URL)
        _migrate(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "portal.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_url(tmp_path, migrated_database) -> str:
    """A migrated, empty database of this test's own, as a SQLAlchemy URL."""
    if not ON_POSTGRESQL:
        shutil.copy(migrated_database, tmp_path / "portal.sqlite3")
        yield f"sqlite:///{tmp_path / 'portal.sqlite3'}"
        return
    yield TEST_DATABASE_URL
    empty_postgresql(TEST_DATABASE_URL)


def _migrate(url: str) -> None:
    app = create_app(app_config(url))
    with app.app_context():
        upgrade(directory="migrations")
        db.engine.dispose()


def _reset_postgresql_schema(url: str) -> None:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # noqa: BLE001 - any failure: say which server and why
        safe = make_url(url).render_as_string(hide_password=True)
        pytest.exit(f"PORTAL_TEST_DATABASE_URL={safe} is not usable: {exc}", returncode=3)
    finally:
        engine.dispose()


def empty_postgresql(url: str) -> None:
    """Empty every table (but the migration version) and restart every id at 1.

    Only tables that hold rows are truncated (CASCADE takes their dependants along), because
    TRUNCATE costs a few milliseconds per table even when it is empty; the sequences are reset
    separately, as a rolled-back insert also moves them. A lock timeout turns a test that left
    a transaction open into a clear error instead of a hang.
    """
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            tables = connection.scalars(text(
                "SELECT quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )).all()
            # Table names come from pg_tables, quoted by quote_ident.
            probes = [f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {t})" for t in tables]  # noqa: S608
            filled = connection.scalars(text(" UNION ALL ".join(probes))).all() if probes else []
            if filled:
                connection.execute(text(f"TRUNCATE {', '.join(filled)} CASCADE"))
            connection.execute(text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = 'public'"
            ))
    finally:
        engine.dispose()


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
        page = self.get("/privacy").get_data(as_text=True)
        return CSRF_INPUT.search(page).group(1)

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf and "json" not in kwargs:
            data = dict(kwargs.get("data") or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture
def app(database_url):
    app = create_app(app_config(database_url))
    app.test_client_class = CSRFClient
    limiter.reset()
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


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
