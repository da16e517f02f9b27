"""The database layer: test isolation on both databases, and health when the database fails."""

import pytest
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from portal.models import User
from tests.conftest import TEST_DATABASE_URL, CSRFClient, app_config
from tests.factories import make_user


@pytest.mark.parametrize("turn", ["first", "second"])
def test_every_test_starts_on_an_empty_database_with_fresh_ids(app, turn):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert make_user().id == 1


@pytest.mark.postgresql_only
def test_postgresql_failure_gives_healthz_503_and_the_friendly_page(database_url):
    missing = make_url(TEST_DATABASE_URL).set(database="portal_no_such_database")
    app = create_app(app_config(missing.render_as_string(hide_password=False)))
    app.test_client_class = CSRFClient
    client = app.test_client()

    assert client.get("/healthz").status_code == 503
    response = client.post("/inloggen", data={"email": "riet@example.org", "password": "x" * 12})
    assert response.status_code == 503
    assert "even niet bereikbaar" in response.get_data(as_text=True)
