"""Every scheduled job, as a ``flask --app portal`` command (cron, or the systemd timers in
``deploy/systemd/``). Each is safe to run twice, and at the same time on two servers.

=================  ====================  ===================================================
command            when                  what
=================  ====================  ===================================================
``send-mail``      every minute          send what waits in the outbox (``portal/outbox.py``)
``send-digests``   every morning, 07:30  queue the reminders for tomorrow's events, the
                                         digest of new help items, the digest of what each
                                         person follows (daily, or weekly on their day;
                                         ``portal/following/digest.py``), the requests that wait
                                         (verbinders at 3 days, coordinators at 7) and "Is
                                         het gelukt?" (``portal/circles/followup.py``), the
                                         nudge to trekkers of groups that went quiet
                                         (``portal/groups/service.py``), then send them
``send-reminders`` (in send-digests)     only the reminders for tomorrow's events
``purge``          every night           remove personal details that are no longer needed
``sync-signalen``  every five minutes    send the meldingen that wait to the gemeente's
                                         Signalen, then read back the status of open ones
                                         (in a wijk with a Signalen: its own, else
                                         ``SIGNALEN_URL``; ``portal/board/signalen_api/``)
=================  ====================  ===================================================

Each command runs once per wijk in one call (``in_every_wijk``, through ``for_each_wijk``
in ``portal/wijk.py``; the timers stay one each): every wijk is a unit of work of its own, with
its own settings and sender name, and every line printed starts with the wijk's slug. A wijk
whose job fails is logged and the others still run; the command then exits 1 and names it.

Jobs queue their mail in the same unit of work as what they record (a reminder's
``reminded_at``, a digest's ``last_digest_at``); it is committed before the wijk's mail is sent.
A mail server that is down delays the mail and loses none; the command then exits 1, so cron
reports it.
"""

from collections.abc import Callable
from datetime import datetime

import click

from portal import outbox
from portal.accounts.privacy import purge_closed_help_items
from portal.board.signalen_api import service as signalen
from portal.circles import followup
from portal.circles.mail import send_help_item_digests
from portal.database import cli_command, commit
from portal.events.service import send_reminders
from portal.following.digest import purge_old_items, send_follow_digests
from portal.groups.service import nudge_quiet_groups
from portal.infopoint.service import purge_old_questions
from portal.newsletter.service import CONFIRM_DAYS, purge_unconfirmed
from portal.wijk import for_each_wijk
from portal.wijken import hosts

Job = Callable[[], bool]  # one wijk's part of a command: True when everything went


def in_every_wijk(job: Job) -> None:
    """Run ``job`` in every wijk (the one loop of every scheduled command). A job that raises
    is logged and reported; the others still run. Exits 1 at the end when any wijk failed, or
    could not do everything (mail that waits for the server), naming those wijken."""
    with hosts.known_for_job(hosts.wijken()):  # read once, not for every mail a job writes
        results = for_each_wijk(job)
    failed = {slug: result for slug, result in results.items() if isinstance(result, Exception)}
    short = [slug for slug, result in results.items() if result is False]
    for slug, error in failed.items():
        click.echo(f"[{slug}] mislukt: {type(error).__name__}: {error}")
    if failed:
        click.echo(f"Mislukt in {_wijken(failed)}: zie het log; de andere wijken zijn gedaan.")
    if short:
        click.echo(f"Niet alles gelukt in {_wijken(short)} (wordt later opnieuw geprobeerd).")
    if failed or short:
        raise SystemExit(1)


def _wijken(slugs) -> str:
    return ("wijk " if len(slugs) == 1 else "wijken ") + ", ".join(slugs)


def say(line: str) -> None:
    """One line of a command's output, for the wijk it is about."""
    click.echo(f"[{hosts.here().slug}] {line}")


def run_daily_mail(now: datetime | None = None) -> dict[str, int]:
    """Every daily mail job of the current wijk, as {name: messages queued}."""
    return {
        "herinneringen": send_reminders(now),
        "hulpvragen": send_help_item_digests(now),
        "overzicht van wat men volgt": send_follow_digests(now),
        "wachtende hulpvragen (verbinders)": followup.tell_connectors_of_waiting_requests(now),
        "wachtende hulpvragen (coördinatoren)": followup.tell_coordinators_of_waiting_requests(now),
        "is het gelukt?": followup.ask_whether_done(now),
        "stille groepen (trekkers)": nudge_quiet_groups(now),
    }


def send_mail() -> bool:
    """Send the wijk's outbox now and say how it went; False when something could not go out."""
    report = outbox.send_waiting()
    line = f"e-mail: {report.sent} verstuurd"
    if report.failed:
        line += f", {report.failed} mislukt (wordt later opnieuw geprobeerd)"
    say(line)
    return not report.failed


def _queued_then_sent(results: dict[str, int]) -> bool:
    for name, queued in results.items():
        say(f"{name}: {queued} klaargezet")
    commit()  # what the jobs recorded and queued, before anything is sent
    return send_mail()


def daily_mail() -> bool:
    return _queued_then_sent(run_daily_mail())


def reminders() -> bool:
    return _queued_then_sent({"herinneringen": send_reminders()})


def purge() -> bool:
    count = purge_closed_help_items()
    questions = purge_old_questions()
    mails = outbox.purge_old()
    items = purge_old_items()
    unconfirmed = purge_unconfirmed()
    say(f"Persoonlijke gegevens verwijderd uit {count} afgesloten hulpvragen.")
    say(f"Vragen aan het wijkinformatiepunt vergeten (ouder dan 90 dagen): {questions}.")
    say(f"Oude verstuurde e-mail verwijderd: {mails}.")
    say(f"Nieuws voor een overzicht dat niet verstuurd werd (ouder dan 30 dagen): {items}.")
    say(f"Niet bevestigde aanmeldingen voor de wijkbrief vergeten (ouder dan {CONFIRM_DAYS} dagen): "
        f"{unconfirmed}.")
    return True


def sync_signalen() -> bool:
    if not signalen.signalen_url():
        say("Signalen is niet ingesteld (SIGNALEN_URL, of die van de wijk): "
            "er gaat niets naar Signalen.")
        return True
    sent = signalen.send_waiting()
    read = signalen.sync_statuses()
    say(f"meldingen: {sent.sent} verstuurd, {sent.failed} niet gelukt; "
        f"status: {read.sent} bijgewerkt, {read.failed} niet gelezen")
    return not (sent.failed or read.failed)


@cli_command("send-mail")
def send_mail_command() -> None:
    """Send the mail that waits in the outbox of every wijk (from cron, every minute)."""
    in_every_wijk(send_mail)


@cli_command("send-digests")
def send_digests_command() -> None:
    """The daily mail of every wijk: event reminders, help item digests, the digest of what each
    person follows (when their pace is due) and follow-ups, then send."""
    in_every_wijk(daily_mail)


@cli_command("send-reminders")
def send_reminders_command() -> None:
    """Mail a reminder for tomorrow's events to everyone signed up (once each), in every wijk."""
    in_every_wijk(reminders)


@cli_command("purge")
def purge_command() -> None:
    """In every wijk: remove personal details from help items closed more than 90 days ago,
    forget questions to the wijkinformatiepunt 90 days after they were handled, addresses that
    did not confirm the wijkbrief within 7 days, old sent mail, and digest items that never
    went out (30 days)."""
    in_every_wijk(purge)


@cli_command("sync-signalen")
def sync_signalen_command() -> None:
    """In every wijk with a Signalen: send waiting meldingen and read back the status of open ones."""
    in_every_wijk(sync_signalen)


COMMANDS = [send_mail_command, send_digests_command, send_reminders_command, purge_command,
            sync_signalen_command]
