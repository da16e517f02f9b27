"""Command-line tasks: ``flask --app portal seed-demo``, ``create-admin``."""

import secrets

import click
from flask import Flask

from portal import demo
from portal.events.commands import register_commands as register_event_commands
from portal.extensions import db
from portal.models import Role, User
from portal.models.accounts import normalise_email


def init_app(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_admin)
    register_event_commands(app)  # send-reminders, send-digests


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
