"""The database layer: test isolation on both databases, and health when the database fails."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from portal import create_app
from portal.extensions import db
from portal.models import User
from tests.conftest import TEST_DATABASE_URL, app_config
from tests.factories import make_user
from tests.postgresql import MigratedPostgreSQL


@pytest.mark.parametrize("turn", ["first", "second"])
def test_every_test_starts_on_an_empty_database_with_fresh_ids(app, turn):
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
    assert make_user().id == 1


@pytest.mark.postgresql_only
def test_postgresql_failure_gives_healthz_503_and_the_friendly_page(database_url):
    missing = make_url(TEST_DATABASE_URL).set(database="portal_no_such_database")
    app = create_app(app_config(missing.render_as_string(hide_password=False)))
    client = app.test_client()  # no CSRF token to fetch: the wijk of every page is in the database

    assert client.get("/healthz").status_code == 503
    for response in (client.get("/inloggen"),
                     client.post("/inloggen", data={"email": "riet@example.org", "password": "x" * 12})):
        assert response.status_code == 503
        assert "even niet bereikbaar" in response.get_data(as_text=True)


@pytest.mark.postgresql_only
def test_postgresql_reset_puts_back_what_the_migrations_left(empty_database_url):
    """Rows a migration inserted (like the themes) survive every test, changed or not; ids
    continue right after them; everything else is gone."""
    engine = create_engine(empty_database_url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE themes (id serial PRIMARY KEY, slug text UNIQUE)"))
        connection.execute(text("CREATE TABLE posts (id serial PRIMARY KEY, theme_id int REFERENCES themes)"))
        connection.execute(text("INSERT INTO themes (slug) VALUES ('verkeer'), ('groen')"))
    database = MigratedPostgreSQL(empty_database_url)
    database.remember_what_the_migrations_left()
    with engine.begin() as connection:  # what a test might do
        connection.execute(text("UPDATE themes SET slug = 'anders' WHERE id = 1"))
        connection.execute(text("INSERT INTO themes (slug) VALUES ('nieuw')"))
        connection.execute(text("INSERT INTO posts (theme_id) VALUES (3)"))

    database.empty()

    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, slug FROM themes ORDER BY id")).all() == [
            (1, "verkeer"), (2, "groen")]
        assert connection.scalar(text("SELECT count(*) FROM posts")) == 0
        assert connection.scalar(text("INSERT INTO themes (slug) VALUES ('x') RETURNING id")) == 3
        assert connection.scalar(text("INSERT INTO posts (theme_id) VALUES (1) RETURNING id")) == 1
    database.dispose()
    engine.dispose()
