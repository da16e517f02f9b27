from portal.extensions import db
from portal.models import Neighbourhood, User


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
