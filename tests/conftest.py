"""Shared fixtures: an app on a real, migrated SQLite file per test, a CSRF-aware client,
and ``login``.

The schema is built once per session by running the Alembic migrations, then copied for each
test, so every test runs on exactly the schema that production gets.
"""

import re
import shutil

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db, limiter
from tests.factories import PASSWORD

CSRF_INPUT = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def app_config(database_file) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_file}",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """One SQLite file with every migration applied; tests get a copy."""
    path = tmp_path_factory.mktemp("template") / "portal.sqlite3"
    app = create_app(app_config(path))
    with app.app_context():
        upgrade(directory="migrations")
        db.engine.dispose()
    return path


class CSRFClient(FlaskClient):
    """A test client that behaves like a browser against a server.

    Each request runs in an app context of its own (fresh ``g``, fresh database session), as
    in production, even though the test itself holds one open; afterwards the test's session
    forgets what it cached, so it sees what the request wrote. Every form post carries a
    valid CSRF token unless ``csrf=False``.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
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
def app(tmp_path, migrated_database):
    database = tmp_path / "portal.sqlite3"
    shutil.copy(migrated_database, database)
    app = create_app(app_config(database))
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
