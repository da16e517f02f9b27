"""Cron entry points: ``flask --app portal send-reminders`` and ``send-digests``.

Run ``send-digests`` once a day (for example at 07:00)::

    0 7 * * *  cd /srv/portal && flask --app portal send-digests

It runs every daily mail job; each job is safe to run twice (what went out is recorded).
"""

from datetime import datetime

import click
from flask import Flask

from portal.circles.mail import send_help_item_digests
from portal.events.service import send_reminders


def register_commands(app: Flask) -> None:
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(send_digests_command)


def run_daily_mail(now: datetime | None = None) -> dict[str, tuple[int, int]]:
    """Every daily mail job, as {name: (sent, failed)}.

    Hook for the daily digest of new help items (buurtcirkels, issue 6 second round): add
    one line here, e.g. ``results["hulpvragen"] = send_help_item_digests(now)``, where the
    job mails each member whose setting is ``daily`` (see
    ``portal.notifications.users_with_help_item_mode``) with ``notify(user,
    MailKind.HELP_ITEMS, ...)`` and records what was sent so a second run sends nothing.
    """
    results = {}
    reminders = send_reminders(now)
    results["herinneringen"] = (reminders.sent, reminders.failed)
    results["hulpvragen"] = send_help_item_digests(now)
    return results


def _echo_results(results: dict[str, tuple[int, int]]) -> None:
    for name, (sent, failed) in results.items():
        line = f"{name}: {sent} verstuurd"
        click.echo(line + (f", {failed} mislukt (volgende keer opnieuw)" if failed else ""))
    if any(failed for _sent, failed in results.values()):
        raise SystemExit(1)


@click.command("send-reminders")
def send_reminders_command() -> None:
    """Mail a reminder for tomorrow's events to everyone signed up (once each)."""
    report = send_reminders()
    _echo_results({"herinneringen": (report.sent, report.failed)})


@click.command("send-digests")
def send_digests_command() -> None:
    """The daily mail for cron: event reminders and the digest of new help items."""
    _echo_results(run_daily_mail())
