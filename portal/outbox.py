"""Every mail goes through the outbox: written with the change that causes it, sent after.

``queue_mail`` adds a row to ``outbox`` in the caller's unit of work, so a message exists if
and only if the change that caused it was committed, and nobody waits for a mail server.
``send_waiting`` (``flask --app portal send-mail``, from cron every minute) sends what is due:

* Each message is **claimed** first (``claimed_until``, in its own commit), so two senders at
  once (two cron runs, two servers) never send the same message twice.
* A message that could not be sent is tried again later, each time waiting longer
  (``RETRY_AFTER``: 1, 2, 4 ... minutes, at most six hours); after ``MAX_ATTEMPTS`` it is
  marked failed and logged. A mail server that is down delays mail and loses none.
* A sender that dies between sending and recording leaves the claim to run out; the message
  is then sent again (at least once, never lost).

Each message belongs to the wijk it was written in (``district_id``): ``send-mail`` sends each
wijk's messages in that wijk (``portal/cron.py``), with the wijk's sender name and its links
on the wijk's host (``portal/wijken/settings.py``); after a request's commit only that
wijk's mail is sent.

Without ``SMTP_HOST`` mail is printed to the console, which cannot hang: then the messages are
delivered right after the commit (``database.after_commit``), so ``make run`` shows them at once.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from portal.database import after_commit, commit
from portal.extensions import db
from portal.mail import build_message, deliver, sends_to_console
from portal.models import OutboxMessage
from portal.models.base import utcnow
from portal.wijk import in_wijk, required_district_id

log = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, OSError)
CLAIM_FOR = timedelta(minutes=5)  # longer than a send can take (SMTP timeout: 30 s)
MAX_ATTEMPTS = 12  # about two days of trying
KEEP_SENT = timedelta(days=30)  # then ``flask purge`` removes sent and failed mail


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the first, second, third failure; at most six hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


def queue_mail(to: str, subject: str, text: str, unsubscribe_url: str | None = None,
               html: str | None = None, not_before: datetime | None = None) -> OutboxMessage:
    """Write a plain-text message (maybe with an HTML alternative) to the outbox; it is sent
    once this unit of work commits, or not before ``not_before`` (the wijkbrief's batches)."""
    message = OutboxMessage(to_address=to, subject=subject[:200], text=text, html=html,
                            unsubscribe_url=unsubscribe_url, next_attempt_at=not_before or utcnow(),
                            district_id=required_district_id())  # the wijk it is written in
    db.session.add(message)
    if sends_to_console():  # printing cannot hang: deliver right after the commit
        after_commit(_SendWaitingIn(message.district_id))
    return message


@dataclass(frozen=True)
class _SendWaitingIn:
    """``send_waiting`` in the wijk the mail was written in: a command (``seed-demo``) commits
    after it left the wijk. Equal per wijk, so ``after_commit`` runs it once per wijk."""

    district_id: int

    def __call__(self) -> None:
        with in_wijk(self.district_id):
            send_waiting()


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # tried and not sent this time (to be tried again, or given up)


def send_waiting(now: datetime | None = None, limit: int = 500) -> SendReport:
    """Send every message that is due, oldest first, each at most once (see the module)."""
    now = now or utcnow()
    report = SendReport()
    for message_id in due_ids(OutboxMessage, now, limit):
        if not claim(OutboxMessage, message_id, now):
            continue  # another sender has it, or sent it already
        if _send(db.session.get(OutboxMessage, message_id), now):
            report.sent += 1
        else:
            report.failed += 1
        commit()
    return report


# What follows works on any model with the ``models.base.Retried`` columns (a mail, a melding).


def due_ids(model, now: datetime, limit: int = 500) -> list[int]:
    """The ids of the rows that wait and are due, oldest first (read, then committed)."""
    due = list(db.session.scalars(
        select(model.id)
        .where(model.sent_at.is_(None), model.failed_at.is_(None), model.next_attempt_at <= now)
        .order_by(model.next_attempt_at, model.id)
        .limit(limit)
    ))
    commit()
    return due


def claim(model, row_id: int, now: datetime) -> bool:
    """Claim one due row for ``CLAIM_FOR`` in its own commit; False when another sender has
    it or it was sent meanwhile. The claimer clears ``claimed_until`` when it records."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == row_id, model.sent_at.is_(None), model.failed_at.is_(None),
               model.next_attempt_at <= now,
               or_(model.claimed_until.is_(None), model.claimed_until < now))
        .values(claimed_until=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    ).rowcount
    commit()
    return claimed == 1


def record_failure(row, now: datetime, error: str, what: str, give_up: bool = False) -> None:
    """A claimed row was not sent: try again after ``retry_after``, or give up after
    ``MAX_ATTEMPTS`` (or at once with ``give_up``, when trying again cannot help)."""
    row.claimed_until = None
    row.attempts += 1
    row.last_error = error[:300]
    if give_up or row.attempts >= MAX_ATTEMPTS:
        row.failed_at = now
        log.error("%s given up after %s attempts: %s", what, row.attempts, row.last_error)
    else:
        row.next_attempt_at = now + retry_after(row.attempts)
        log.warning("%s not sent (attempt %s), next try at %s: %s", what, row.attempts,
                    row.next_attempt_at, row.last_error)


def record_sent(row, now: datetime) -> None:
    row.claimed_until = None
    row.attempts += 1
    row.sent_at = now


def _send(message: OutboxMessage, now: datetime) -> bool:
    """Deliver one claimed message and record how it went; True when it went out."""
    try:
        deliver(build_message(message.to_address, message.subject, message.text, html=message.html,
                              unsubscribe_url=message.unsubscribe_url))
    except MAIL_ERRORS as error:
        record_failure(message, now, f"{type(error).__name__}: {error}",
                       f"mail {message.id} to {message.to_address}")
        return False
    record_sent(message, now)
    return True


def purge_old(now: datetime | None = None) -> int:
    """Remove sent and given-up messages older than ``KEEP_SENT`` (they hold personal text)."""
    cutoff = (now or utcnow()) - KEEP_SENT
    done = or_(OutboxMessage.sent_at < cutoff, OutboxMessage.failed_at < cutoff)
    return db.session.execute(db.delete(OutboxMessage).where(done)).rowcount


def waiting_count() -> int:
    """Messages not yet sent and not given up (for the command's report and the tests)."""
    return db.session.scalar(
        select(db.func.count(OutboxMessage.id))
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    )
