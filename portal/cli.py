"""Command-line tasks: ``flask --app portal seed-demo``, ``create-admin``, ``backup``, ``restore``."""

import secrets
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError

from portal import backup, demo
from portal.events.commands import register_commands as register_event_commands
from portal.extensions import db
from portal.models import Role, User
from portal.models.accounts import normalise_email


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    app.cli.add_command(backup_database)
    app.cli.add_command(restore_database)
    register_event_commands(app)  # send-reminders, send-digests
    app.cli.add_command(purge)


@click.command("seed-demo")
@click.option("--password", help="Password for all demo accounts (generated when left out).")
@click.option("--posts", default=0, show_default=True, help="Extra published posts to add.")
def seed_demo(password: str | None, posts: int) -> None:
    """Fill an empty database with demo data of Vleuten-De Meern."""
    if demo.database_has_data():
        click.echo("De database bevat al gegevens; seed-demo heeft niets veranderd.")
        return
    generated = password is None
    password = password or secrets.token_urlsafe(9)
    demo.seed(password=password, posts=posts)
    click.echo("Demodata aangemaakt. Accounts:")
    for _key, _name, email, _role in demo.DEMO_ACCOUNTS:
        click.echo(f"  {email}")
    click.echo(f"Wachtwoord voor alle demo-accounts: {password}" + (" (gegenereerd)" if generated else ""))


@click.command("create-admin")
@click.option("--email", prompt="E-mailadres")
@click.option("--name", prompt="Naam")
@click.password_option("--password", prompt="Wachtwoord")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account, or make an existing account admin."""
    email = normalise_email(email)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        user = User(name=name, email=email)
        db.session.add(user)
    user.role = Role.ADMIN
    user.trusted = True
    user.set_password(password)
    db.session.commit()
    click.echo(f"{email} is nu beheerder.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_database(path: Path) -> None:
    """Write a backup of the whole database to PATH (safe while the portal is serving)."""
    _explained(backup.backup, path)
    click.echo(f"Backup gemaakt: {path} ({_summary(backup.row_counts(db.engine))}).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_database(path: Path) -> None:
    """Restore the backup in PATH into the database of DATABASE_URL, which must be empty."""
    _explained(backup.restore, path)
    click.echo(f"Backup hersteld uit {path} ({_summary(backup.row_counts(db.engine))}).")


def _explained(action, path: Path) -> None:
    """Run a backup or restore; what goes wrong becomes one clear line instead of a traceback."""
    try:
        action(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    except OperationalError as error:
        raise click.ClickException(f"De database is niet bereikbaar: {error.orig or error}") from error


def _summary(counts: dict[str, int]) -> str:
    return f"{len(counts)} tabellen, {sum(counts.values())} rijen"


@click.command("purge")
def purge() -> None:
    """Remove personal details from help items closed more than 90 days ago (for cron)."""
    from portal.accounts.privacy import purge_closed_help_items

    count = purge_closed_help_items()
    click.echo(f"Persoonlijke gegevens verwijderd uit {count} afgesloten hulpvragen.")
