import contextvars
import importlib.util
from datetime import datetime
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import column, insert, inspect, table, text

from portal import create_app, wijk
from portal.extensions import db
from portal.models import Neighbourhood, OutboxMessage, User
from tests.conftest import app_config


def test_seed_demo_fills_an_empty_database_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--password", "demo-wachtwoord"])
    assert result.exit_code == 0, result.output
    assert "demo-wachtwoord" in result.output
    emails = set(db.session.scalars(db.select(User.email)))
    assert {"bewoner@example.org", "buiten@example.org", "verbinder@example.org",
            "moderator@example.org", "beheer@example.org"} <= emails
    names = set(db.session.scalars(db.select(Neighbourhood.name)))
    assert {"Vleuten", "De Meern", "Vleuterweide", "Haarzuilens"} <= names
    bewoner = db.session.scalar(db.select(User).where(User.email == "bewoner@example.org"))
    assert bewoner.check_password("demo-wachtwoord") and bewoner.trusted

    again = runner.invoke(args=["seed-demo", "--password", "iets-anders"])
    assert again.exit_code == 0
    assert "niets veranderd" in again.output
    db.session.expire_all()
    assert bewoner.check_password("demo-wachtwoord")


def test_seed_demo_run_outside_any_wijk_sends_its_mail_in_the_wijk(app):
    """As ``make run`` calls it: no wijk around the command, which commits after it left the
    wijk it seeded; the mail printed after that commit is sent in the wijk it was written in."""

    def outside_any_wijk():
        wijk.enter(None)
        return app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"])

    result = contextvars.copy_context().run(outside_any_wijk)
    assert result.exit_code == 0, f"{result.output}\n{result.exception!r}"
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.sent_at.is_(None))) == 0


def test_seed_demo_generates_and_prints_a_password(app):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "(gegenereerd)" in result.output


def test_migrations_match_the_models(app):
    """Every model change has its migration: autogenerate finds nothing left to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from portal.database import include_name

    with db.engine.connect() as connection:
        opts = {"compare_type": True, "include_name": include_name}  # as `flask db migrate`
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, db.metadata) == []


def _insert_user_as_in_0001() -> int:
    """An account with only the columns of the first migration: the model has more by now."""
    return db.session.execute(text(
        "INSERT INTO users (name, email, password_hash, role, trusted, created_at) "
        "VALUES ('Riet', 'riet@example.org', 'x', 'resident', true, CURRENT_TIMESTAMP) RETURNING id"
    )).scalar_one()


def _revision_before(name: str) -> str:
    """``down_revision`` of ``migrations/versions/<name>.py``."""
    path = Path(__file__).resolve().parent.parent / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.down_revision


def test_migration_0011_adds_phone_and_waiting_address_and_drops_them_again(empty_database_url):
    """Existing accounts get no phone, share nothing and wait for no address; the downgrade
    drops the columns without rebuilding ``users`` (every foreign key points at it)."""
    before = _revision_before("0011_account_contact")
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision=before)
        user_id = _insert_user_as_in_0001()
        db.session.commit()
        upgrade(directory="migrations", revision="0011")
        row = db.session.execute(text("SELECT phone, share_phone, pending_email FROM users WHERE id = :id"),
                                 {"id": user_id}).one()
        db.session.commit()
        assert (row.phone, bool(row.share_phone), row.pending_email) == ("", False, None)

        downgrade(directory="migrations", revision=before)
        columns = {c["name"] for c in inspect(db.engine).get_columns("users")}
        assert not {"phone", "share_phone", "pending_email"} & columns
        assert db.session.scalar(text("SELECT name FROM users")) == "Riet"
        db.session.remove()
        db.engine.dispose()


def test_migration_0007_counts_the_posts_already_there(empty_database_url):
    """Upgrading a database with posts fills ``themes.post_count`` (published posts only);
    the downgrade drops the column again, with the posts still pointing at their themes."""
    app = create_app(app_config(empty_database_url))
    with app.app_context():
        upgrade(directory="migrations", revision="0006")
        author_id = _insert_user_as_in_0001()
        themes = dict(db.session.execute(text("SELECT slug, id FROM themes")).all())
        posts = [("verkeer", "published"), ("verkeer", "published"), ("verkeer", "hidden"),
                 ("groen", "published"), ("groen", "pending")]
        posts_as_in_0006 = table("posts", *(column(name) for name in (
            "theme_id", "author_id", "kind", "title", "body", "status", "created_at", "support_count",
            "reply_count")))
        db.session.execute(insert(posts_as_in_0006), [
            {"theme_id": themes[slug], "author_id": author_id, "kind": "idea", "title": f"Bericht {n}",
             "body": "Tekst", "status": status, "created_at": datetime(2026, 11, 1), "support_count": 0,
             "reply_count": 0}
            for n, (slug, status) in enumerate(posts)])
        db.session.commit()

        upgrade(directory="migrations", revision="0007")
        counts = dict(db.session.execute(text("SELECT slug, post_count FROM themes")).all())
        db.session.commit()
        assert (counts["verkeer"], counts["groen"], counts["wonen"]) == (2, 1, 0)

        downgrade(directory="migrations", revision="0006")
        assert "post_count" not in {c["name"] for c in inspect(db.engine).get_columns("themes")}
        assert db.session.scalar(text("SELECT count(*) FROM posts")) == 5
        db.session.remove()
        db.engine.dispose()


def test_running_the_migrations_in_the_process_leaves_the_portal_logger_on(app):
    """Alembic's env.py configures logging from alembic.ini; it must not switch off the loggers
    that exist already (a job that fails after ``flask db upgrade`` in the same process, or the
    suite's own checks of "Taak mislukt in wijk ...", would log nothing)."""
    app.logger.disabled = False
    with app.app_context():
        upgrade(directory="migrations")  # at head already: only env.py runs
    assert not app.logger.disabled
