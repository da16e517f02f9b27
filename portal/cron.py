"""Every scheduled job, as a ``flask --app portal`` command (cron, or the systemd timers in
``deploy/systemd/``). Each is safe to run twice, and at the same time on two servers.

=================  ====================  ===================================================
command            when                  what
=================  ====================  ===================================================
``send-mail``      every minute          send what waits in the outbox (``portal/outbox.py``)
``send-digests``   every morning, 07:30  queue the reminders for tomorrow's events, the
                                         digest of new help items, the requests that wait
                                         (verbinders at 3 days, coordinators at 7) and "Is
                                         het gelukt?" (``portal/circles/followup.py``), then
                                         send them
``send-reminders`` (in send-digests)     only the reminders for tomorrow's events
``purge``          every night           remove personal details that are no longer needed
``sync-signalen``  every five minutes    send the meldingen that wait to the gemeente's
                                         Signalen, then read back the status of open ones
                                         (only with ``SIGNALEN_URL``; ``portal/board/signalen_api/``)
=================  ====================  ===================================================

Jobs queue their mail in the same unit of work as what they record (a reminder's
``reminded_at``, a digest's ``last_digest_at``); ``database.cli_command`` commits it, then the outbox
sends. A mail server that is down delays the mail and loses none; the command then exits 1,
so cron reports it.
"""

from datetime import datetime

import click

from portal import outbox
from portal.accounts.privacy import purge_closed_help_items
from portal.board.signalen_api import service as signalen
from portal.circles import followup
from portal.circles.mail import send_help_item_digests
from portal.database import cli_command, commit
from portal.events.service import send_reminders


def run_daily_mail(now: datetime | None = None) -> dict[str, int]:
    """Every daily mail job, as {name: messages queued}."""
    return {
        "herinneringen": send_reminders(now),
        "hulpvragen": send_help_item_digests(now),
        "wachtende hulpvragen (verbinders)": followup.tell_connectors_of_waiting_requests(now),
        "wachtende hulpvragen (coördinatoren)": followup.tell_coordinators_of_waiting_requests(now),
        "is het gelukt?": followup.ask_whether_done(now),
    }


def _send_and_report() -> None:
    """Send the outbox now and say how it went; exit 1 when something could not go out."""
    report = outbox.send_waiting()
    line = f"e-mail: {report.sent} verstuurd"
    if report.failed:
        line += f", {report.failed} mislukt (wordt later opnieuw geprobeerd)"
    click.echo(line)
    if report.failed:
        raise SystemExit(1)


def _echo_queued(results: dict[str, int]) -> None:
    for name, queued in results.items():
        click.echo(f"{name}: {queued} klaargezet")


@cli_command("send-mail")
def send_mail_command() -> None:
    """Send the mail that waits in the outbox (from cron, every minute)."""
    _send_and_report()


@cli_command("send-digests")
def send_digests_command() -> None:
    """The daily mail: event reminders and the digest of new help items, then send."""
    _echo_queued(run_daily_mail())
    commit()
    _send_and_report()


@cli_command("send-reminders")
def send_reminders_command() -> None:
    """Mail a reminder for tomorrow's events to everyone signed up (once each)."""
    _echo_queued({"herinneringen": send_reminders()})
    commit()
    _send_and_report()


@cli_command("purge")
def purge_command() -> None:
    """Remove personal details from help items closed more than 90 days ago, and old sent mail."""
    count = purge_closed_help_items()
    mails = outbox.purge_old()
    click.echo(f"Persoonlijke gegevens verwijderd uit {count} afgesloten hulpvragen.")
    click.echo(f"Oude verstuurde e-mail verwijderd: {mails}.")


@cli_command("sync-signalen")
def sync_signalen_command() -> None:
    """Send waiting meldingen to Signalen and read back the status of open ones."""
    if not signalen.signalen_url():
        click.echo("SIGNALEN_URL is niet ingesteld: er gaat niets naar Signalen.")
        return
    sent = signalen.send_waiting()
    read = signalen.sync_statuses()
    click.echo(f"meldingen: {sent.sent} verstuurd, {sent.failed} niet gelukt; "
               f"status: {read.sent} bijgewerkt, {read.failed} niet gelezen")
    if sent.failed or read.failed:
        raise SystemExit(1)


COMMANDS = [send_mail_command, send_digests_command, send_reminders_command, purge_command,
            sync_signalen_command]
