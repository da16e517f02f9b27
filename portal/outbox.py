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

log = logging.getLogger(__name__)
MAIL_ERRORS = (smtplib.SMTPException, OSError)
CLAIM_FOR = timedelta(minutes=5)  # longer than a send can take (SMTP timeout: 30 s)
MAX_ATTEMPTS = 12  # about two days of trying
KEEP_SENT = timedelta(days=30)  # then ``flask purge`` removes sent and failed mail


def retry_after(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the first, second, third failure; at most six hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=6))


def queue_mail(to: str, subject: str, text: str, unsubscribe_url: str | None = None) -> OutboxMessage:
    """Write a plain-text message to the outbox; it is sent once this unit of work commits."""
    message = OutboxMessage(to_address=to, subject=subject[:200], text=text,
                            unsubscribe_url=unsubscribe_url, next_attempt_at=utcnow())
    db.session.add(message)
    if sends_to_console():
        after_commit(send_waiting)  # printing cannot hang: deliver right after the commit
    return message


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # tried and not sent this time (to be tried again, or given up)


def send_waiting(now: datetime | None = None, limit: int = 500) -> SendReport:
    """Send every message that is due, oldest first, each at most once (see the module)."""
    now = now or utcnow()
    due = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None),
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ))
    commit()
    report = SendReport()
    for message_id in due:
        if not _claim(message_id, now):
            continue  # another sender has it, or sent it already
        if _send(db.session.get(OutboxMessage, message_id), now):
            report.sent += 1
        else:
            report.failed += 1
        commit()
    return report


def _claim(message_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None),
               OutboxMessage.failed_at.is_(None), OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .values(claimed_until=now + CLAIM_FOR)
        .execution_options(synchronize_session=False)
    ).rowcount
    commit()
    return claimed == 1


def _send(message: OutboxMessage, now: datetime) -> bool:
    """Deliver one claimed message and record how it went; True when it went out."""
    message.claimed_until = None
    try:
        deliver(build_message(message.to_address, message.subject, message.text,
                              unsubscribe_url=message.unsubscribe_url))
    except MAIL_ERRORS as error:
        message.attempts += 1
        message.last_error = f"{type(error).__name__}: {error}"[:300]
        if message.attempts >= MAX_ATTEMPTS:
            message.failed_at = now
            log.error("mail %s to %s given up after %s attempts: %s", message.id,
                      message.to_address, message.attempts, message.last_error)
        else:
            message.next_attempt_at = now + retry_after(message.attempts)
            log.warning("mail %s not sent (attempt %s), next try at %s: %s", message.id,
                        message.attempts, message.next_attempt_at, message.last_error)
        return False
    message.attempts += 1
    message.sent_at = now
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
