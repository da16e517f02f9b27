"""The scope that keeps every query inside the current wijk (``portal/wijk.py``), the suite-wide
statement check (``tests/wijk_statements.py``), roles per wijk and migration 0017."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import select, text

from portal import create_app
from portal.extensions import db
from portal.models import Circle, Participation, Post, Reply, Role, Street, Theme, User
from portal.wijk import NoWijk, in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import CSRF_INPUT, FIRST_WIJK, app_config, login
from tests.factories import PASSWORD, make_circle, make_post, make_user
from tests.wijk_statements import StatementCheck, missing_wijk, wijk_tables

WEST_HOST = "west.localhost"


@pytest.fixture
def west(app):
    district = create_wijk(slug="west", name="West", host=WEST_HOST)
    db.session.commit()
    return district.id


def _west_post(west, author) -> Post:
    with in_wijk(west):
        theme = db.session.scalar(select(Theme).where(Theme.slug == "groen"))
        post = Post(theme=theme, author=author, kind="idea", title="Bomen op het Lombokplein",
                    body="Meer groen.", status="published")
        db.session.add(post)
        db.session.commit()
        return post.id


# --- The scope --------------------------------------------------------------------------------


def test_a_post_of_another_wijk_is_out_of_reach_of_every_kind_of_query(app, west):
    author = make_user()
    mine = make_post(author, title="Zebrapad bij de school").id
    theirs = _west_post(west, author)
    db.session.expire_all()

    titles = db.session.scalars(select(Post.title)).all()
    assert titles == ["Zebrapad bij de school"]
    assert db.session.get(Post, theirs) is None
    assert db.session.scalar(select(db.func.count()).select_from(Post)) == 1
    changed = db.session.execute(db.update(Post).values(title="Overschreven"))
    assert changed.rowcount == 1  # only this wijk's post
    db.session.commit()
    db.session.expunge_all()  # what one wijk loaded stays out of the next (for_each_wijk does this)
    with in_wijk(west):
        assert db.session.get(Post, theirs).title == "Bomen op het Lombokplein"
        assert db.session.get(Post, mine) is None
        assert [t.slug for t in db.session.scalars(select(Theme).order_by(Theme.position))] == [
            "verkeer", "groen", "sociale-cohesie", "activiteiten-en-voorzieningen", "relatie-met-de-gemeente"]


def test_a_relationship_loads_only_the_current_wijks_rows(app, west):
    """A street added (wrongly) in West to a Vleuten-De Meern circle stays West's: loading the
    circle's streets in Vleuten-De Meern does not show it."""
    circle_id = make_circle("Vleuten Dorp", streets=("Dorpsstraat",)).id
    with in_wijk(west):
        db.session.add(Street(circle_id=circle_id, name="Kanaalstraat"))
        db.session.commit()
    db.session.expunge_all()
    assert [street.name for street in db.session.get(Circle, circle_id).streets] == ["Dorpsstraat"]


def test_a_new_row_belongs_to_the_wijk_it_was_made_in(app, west):
    author = make_user()
    with in_wijk(west):
        reply = Reply(post_id=1, author_id=author.id, body="x", status="published")
    assert reply.district_id == west  # even if it is flushed elsewhere


def test_outside_any_wijk_a_query_on_a_wijk_table_raises(app):
    def query():
        return db.session.scalars(select(Post)).all()

    with in_wijk(None), pytest.raises(NoWijk):  # as in a thread, or a job that forgot its wijk
        query()
    with in_wijk(None):
        assert db.session.scalars(select(User)).all() == []  # accounts span the wijken


# --- The suite-wide statement check ---------------------------------------------------------------


def test_the_statement_check_catches_a_statement_without_its_wijk(app):
    tables = wijk_tables()
    assert {"posts", "circles", "participations", "outbox"} <= set(tables)
    assert "users" not in tables and "device_sessions" not in tables
    assert missing_wijk("SELECT posts.title FROM posts WHERE posts.status = ?", tables) == ["posts"]
    assert missing_wijk("SELECT p.id FROM posts AS p JOIN replies ON replies.post_id = p.id "
                        "WHERE p.district_id = ?", tables) == ["replies"]
    assert missing_wijk("INSERT INTO posts (title) VALUES (?)", tables) == ["posts"]
    assert missing_wijk("UPDATE posts SET title=? WHERE posts.title = ?", tables) == ["posts"]
    # What the scope writes, and the unit of work's writes by primary key, pass.
    assert missing_wijk("SELECT posts.id FROM posts WHERE posts.status = ? AND posts.district_id = ?",
                        tables) == []
    assert missing_wijk("UPDATE posts SET title=? WHERE posts.id = ?", tables) == []
    assert missing_wijk("SELECT users.name FROM users", tables) == []


def test_a_core_statement_that_bypasses_the_scope_is_caught(database_url):
    """The check sees what reaches the database: a Core statement sent past the ORM has no
    wijk, and a test that sends one fails (here, on an app of its own, it is only recorded)."""
    app = create_app(app_config(database_url))
    with app.app_context():
        check = StatementCheck()
        db.event.listen(db.engine, "before_cursor_execute", check)
        with db.engine.connect() as connection:
            connection.execute(Post.__table__.select())
            connection.execute(Post.__table__.select().where(Post.district_id == FIRST_WIJK))
        db.engine.dispose()
    assert [tables for _statement, tables in check.offending] == [["posts"]]


# --- Roles per wijk ---------------------------------------------------------------------------------


def test_roles_trust_and_blocks_are_per_wijk(app, west):
    person = make_user(role=Role.MODERATOR)
    assert person.is_moderator and person.trusted
    person_id = person.id
    db.session.expunge_all()
    with in_wijk(west):
        person = db.session.get(User, person_id)
        assert person.role == Role.RESIDENT and not person.is_moderator and not person.trusted
        person.blocked = True
        db.session.commit()
    db.session.expunge_all()
    person = db.session.get(User, person_id)
    assert person.is_moderator and not person.blocked and person.is_active
    db.session.expunge_all()
    with in_wijk(west):
        person = db.session.get(User, person_id)
        assert person.blocked and not person.is_active


def test_signing_in_on_another_wijks_host_makes_one_take_part_there_as_a_new_resident(app, west):
    person = make_user(role=Role.MODERATOR)
    west_client = app.test_client()
    form = west_client.get("/inloggen", base_url=f"http://{WEST_HOST}").get_data(as_text=True)
    token = CSRF_INPUT.search(form).group(1)
    response = west_client.post("/inloggen", csrf=False, base_url=f"http://{WEST_HOST}",
                                data={"email": person.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303
    parts = db.session.execute(
        select(Participation.district_id, Participation.role, Participation.trusted)
        .where(Participation.user_id == person.id).order_by(Participation.district_id)
        .execution_options(all_wijken=True)
    ).all()
    assert parts == [(FIRST_WIJK, Role.MODERATOR, True), (west, Role.RESIDENT, False)]
    assert west_client.get("/moderatie", base_url=f"http://{WEST_HOST}").status_code == 403  # not there


def test_a_moderator_of_one_wijk_cannot_decide_on_an_account_of_another(app, west, client):
    moderator = make_user(role=Role.MODERATOR)
    with in_wijk(west):
        stranger = User(name="Iemand Uitwest", email="west@example.org", trusted=True)
        stranger.set_password(PASSWORD)
        db.session.add(stranger)
        db.session.commit()
    login(client, moderator)
    response = client.post(f"/moderatie/account/{stranger.id}/blokkeren", data={"reason": "x"})
    assert response.status_code == 404
    with in_wijk(west):
        assert not db.session.get(User, stranger.id).blocked


# --- Migration 0017 ----------------------------------------------------------------------------------


def test_migration_0017_puts_everything_in_the_first_wijk_and_moves_roles_there(empty_database_url):
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision="0016")
        db.session.execute(text(
            "INSERT INTO users (name, email, password_hash, role, trusted, blocked, created_at) VALUES "
            "('Mehmet', 'm@example.org', 'x', 'moderator', true, false, CURRENT_TIMESTAMP), "
            "('Anneke', 'a@example.org', 'x', 'admin', true, false, CURRENT_TIMESTAMP), "
            "('Daan', 'd@example.org', 'x', 'resident', false, true, CURRENT_TIMESTAMP)"))
        theme_id = db.session.scalar(text("SELECT id FROM themes WHERE slug = 'groen'"))
        db.session.execute(text(
            "INSERT INTO posts (theme_id, author_id, kind, title, body, status, created_at, support_count, "
            "reply_count) VALUES (:theme, 1, 'idea', 'Geveltuintjes', 'Tekst', 'published', "
            "CURRENT_TIMESTAMP, 0, 0)"), {"theme": theme_id})
        db.session.commit()

        upgrade(directory="migrations", revision="0017")
        district = db.session.execute(text("SELECT id, slug, host FROM districts")).one()
        assert (district.slug, district.host) == ("vleuten-de-meern", "localhost")
        parts = db.session.execute(text(
            "SELECT u.email, p.role, p.trusted, p.blocked, u.platform_admin FROM participations p "
            "JOIN users u ON u.id = p.user_id WHERE p.district_id = :d ORDER BY u.id"),
            {"d": district.id}).all()
        assert [(e, r, bool(t), bool(b), bool(a)) for e, r, t, b, a in parts] == [
            ("m@example.org", "moderator", True, False, False),
            ("a@example.org", "resident", True, False, True),
            ("d@example.org", "resident", False, True, False)]
        assert db.session.scalar(text("SELECT district_id FROM posts")) == district.id
        if db.engine.dialect.name == "sqlite":  # the rebuilt posts table kept its search triggers
            db.session.execute(text(
                "INSERT INTO posts (theme_id, author_id, kind, title, body, status, created_at, "
                "support_count, reply_count, district_id) VALUES (:theme, 1, 'idea', 'Boomspiegels', "
                "'Tekst', 'published', CURRENT_TIMESTAMP, 0, 0, :d)"), {"theme": theme_id, "d": district.id})
            search = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'boomspiegels'"
            assert db.session.scalar(text(search)) == 1
        db.session.remove()
        db.engine.dispose()
