"""Command-line tasks for people who run the portal: ``seed-demo``, ``create-admin``,
``create-wijk``, ``backup`` and ``restore``; the scheduled jobs are in ``portal/cron.py``.

Each command is one unit of work (``database.cli_command``): committed when it returns."""

import secrets
from pathlib import Path

import click
from flask import Flask
from sqlalchemy.exc import OperationalError

from portal import backup, cron, demo
from portal.database import cli_command
from portal.extensions import db
from portal.models import Role, User
from portal.models.accounts import normalise_email
from portal.newsletter import bounces
from portal.newsletter import service as newsletters
from portal.wijk import default_district_id, in_wijk
from portal.wijken import service as wijken


def init_app(app: Flask) -> None:
    for command in (seed_demo, create_admin, create_wijk, backup_database, restore_database, list_kept,
                    read_bounces,
                    *cron.COMMANDS):
        app.cli.add_command(command)


@click.command("kept")
def list_kept() -> None:
    """Everything kept between requests (portal/kept.py): kind, name, audience, arguments."""
    from portal import kept  # noqa: F401 - the declarations register themselves
    from portal.keeping import REGISTRY

    for declared in REGISTRY.values():
        arguments = ", ".join(declared.parameters) or "-"
        click.echo(f"{declared.kind:5}  {declared.name:26} for {declared.audience.name}; "
                   f"varies with: {arguments} (and the wijk)")


@cli_command("seed-demo")
@click.option("--password", help="Password for all demo accounts (generated when left out).")
@click.option("--posts", default=0, show_default=True, help="Extra published posts to add.")
def seed_demo(password: str | None, posts: int) -> None:
    """Fill an empty database with demo data of Vleuten-De Meern and of a second wijk, West."""
    if demo.database_has_data():
        click.echo("De database bevat al gegevens; seed-demo heeft niets veranderd.")
        return
    generated = password is None
    password = password or secrets.token_urlsafe(9)
    with in_wijk(default_district_id()):
        ctx = demo.seed(password=password, posts=posts)
    click.echo("Demodata aangemaakt.")
    for wijk_name, host, emails in demo.accounts_by_wijk(ctx):
        click.echo(f"Accounts in {wijk_name} ({host}):")
        for email in emails:
            click.echo(f"  {email}")
    click.echo(f"Wachtwoord voor alle demo-accounts: {password}" + (" (gegenereerd)" if generated else ""))


@cli_command("create-admin")
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
    user.role = Role.ADMIN  # the platform admin: above the wijken, every role in each
    user.set_password(password)
    click.echo(f"{email} is nu beheerder.")


@cli_command("create-wijk")
@click.option("--slug", required=True, help="Short name: lower case letters, digits and dashes (west).")
@click.option("--name", required=True, help="The wijk's name as people read it (West).")
@click.option("--host", required=True, help="The host it answers on (west.wijkplatform.example).")
@click.option("--aliases", default="", help="Other hosts, separated by spaces; they redirect to --host.")
def create_wijk(slug: str, name: str, host: str, aliases: str) -> None:
    """Add a wijk with its five themes; the platform admin sets the rest on /beheer/wijken."""
    try:
        district = wijken.create_wijk(slug, name, host, aliases)
    except wijken.WijkRefused as refused:
        raise click.ClickException(" ".join(refused.problems.values())) from refused
    click.echo(f"De wijk {district.name} ({district.slug}) is gemaakt op {district.host}, "
               f"met {len(wijken.FIRST_THEMES)} thema's.")


@cli_command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_database(path: Path) -> None:
    """Write a backup of the whole database to PATH (safe while the portal is serving)."""
    _explained(backup.backup, path)
    click.echo(f"Backup gemaakt: {path} ({_summary(backup.row_counts(db.engine))}).")


@cli_command("restore")
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


@cli_command("read-bounces")
@click.argument("mbox_file", type=click.Path(exists=True, dir_okay=False))
def read_bounces(mbox_file: str) -> None:
    """Mark the addresses in the bounce messages (DSN) of MBOX_FILE as bounced: they get no
    wijkbrief any more, in any wijk, and the issue's page counts them."""
    addresses = bounces.bounced_addresses(mbox_file)
    click.echo(f"{len(addresses)} adressen kwamen terug.")

    def mark() -> bool:
        cron.say(f"wijkbrief: {newsletters.mark_bounced(addresses)} adressen gemarkeerd als onbestelbaar")
        return True

    cron.in_every_wijk(mark)
