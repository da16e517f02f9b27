"""The outbox: mail is written with the change that causes it and sent after the commit, by
``flask send-mail``. A mail server that is down, or one that never answers, slows or breaks no
action; its mail arrives once it is back; two senders at once send each message once."""

import asyncio
import os
import socket
import subprocess
import sys
from datetime import timedelta

from aiosmtpd.controller import Controller

from portal import outbox
from portal.database import commit
from portal.extensions import db
from portal.models import OutboxMessage
from portal.models.base import utcnow
from tests.conftest import login
from tests.factories import make_circle, make_help_item, make_member, make_user
from tests.servers import ROOT

pytest_plugins = ["tests.mailserver"]  # mail_server, mail_server_down; Inbox, free_port below


def _respond_to_a_help_item(client):
    """A neighbour presses "Ik help": the asker is to be told by mail."""
    circle = make_circle()
    author, helper = make_member(circle), make_member(circle)
    item = make_help_item(circle, author, title="Boodschappen op donderdag")
    login(client, helper)
    response = client.post(f"/hulp/{item.id}/reageren", data={"message": "Ik kan wel."})
    assert response.status_code == 303
    return author


def test_a_mail_server_that_never_answers_is_not_even_called_during_the_action(app, client):
    """A server that takes connections and never answers (it held a request for 30 s before):
    the request only writes to the outbox, so nothing connects to it at all."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        silent.setblocking(False)
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=silent.getsockname()[1])

        author = _respond_to_a_help_item(client)

        try:
            silent.accept()
            connected = True
        except BlockingIOError:
            connected = False
    assert not connected
    [waiting] = db.session.scalars(db.select(OutboxMessage)).all()
    assert waiting.to_address == author.email and waiting.sent_at is None


def test_mail_waits_while_the_server_is_down_and_arrives_once_it_is_back(app, client):
    from tests.mailserver import Inbox, free_port

    inbox, port = Inbox(), free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    author = _respond_to_a_help_item(client)  # nothing listens on the port now

    report = outbox.send_waiting()
    assert (report.sent, report.failed) == (0, 1)
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.attempts == 1 and message.sent_at is None and "Connection" in message.last_error
    assert message.next_attempt_at > utcnow()

    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert outbox.send_waiting().sent == 0  # not due yet: it waits a minute after a failure
        assert outbox.send_waiting(utcnow() + timedelta(minutes=2)).sent == 1
        assert outbox.send_waiting(utcnow() + timedelta(minutes=10)).sent == 0  # once only
    finally:
        server.stop()
    [mail] = inbox.messages
    assert mail["To"] == author.email
    assert "Boodschappen op donderdag" in mail.get_body(("plain",)).get_content()
    assert outbox.waiting_count() == 0


def test_back_off_doubles_and_gives_up_after_the_last_attempt(app, mail_server_down):
    assert [outbox.retry_after(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert outbox.retry_after(30) == timedelta(hours=6)
    outbox.queue_mail("riet@example.org", "Proef", "Tekst.")
    commit()
    moment = utcnow()
    for _ in range(outbox.MAX_ATTEMPTS):
        moment += timedelta(hours=7)
        outbox.send_waiting(moment)
    [message] = db.session.scalars(db.select(OutboxMessage)).all()
    assert message.attempts == outbox.MAX_ATTEMPTS and message.failed_at is not None
    assert outbox.waiting_count() == 0


def test_without_a_mail_server_the_console_shows_mail_right_after_the_commit(app, client, capsys):
    app.config["SMTP_HOST"] = ""
    _respond_to_a_help_item(client)
    assert "Subject: Iemand reageerde op uw hulpvraag" in capsys.readouterr().out
    assert outbox.waiting_count() == 0


def test_a_rolled_back_change_sends_no_mail(app, mail_server):
    outbox.queue_mail("riet@example.org", "Nooit verstuurd", "Tekst.")
    db.session.rollback()
    assert mail_server.deliver().sent == 0 and mail_server.messages == []


def test_sent_mail_is_purged_after_thirty_days(app, mail_server):
    outbox.queue_mail("riet@example.org", "Oud", "Tekst.")
    commit()
    mail_server.deliver()
    assert outbox.purge_old() == 0
    assert outbox.purge_old(utcnow() + timedelta(days=31)) == 1


def test_two_send_mail_processes_at_once_send_each_message_once(app, database_url, tmp_path):
    """Two ``flask send-mail`` processes against the same database and a server that takes a
    moment per message (so they overlap): every message arrives exactly once."""
    from tests.mailserver import Inbox, free_port

    class SlowInbox(Inbox):
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            await asyncio.sleep(0.05)
            return await super().handle_DATA(server, session, envelope)

    inbox = SlowInbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port)  # so nothing goes to the console
    recipients = [make_user(email=f"buur{n}@example.org") for n in range(30)]
    for person in recipients:
        outbox.queue_mail(person.email, f"Bericht voor {person.email}", "Tekst.")
    commit()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key-not-for-production",
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "FLASK_APP": "portal"}
    command = [sys.executable, "-m", "flask", "--app", "portal", "send-mail"]
    try:
        senders = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for _ in range(2)]
        outputs = [sender.communicate(timeout=120)[0] for sender in senders]
    finally:
        server.stop()
    assert all(sender.returncode == 0 for sender in senders), outputs
    delivered = sorted(message["To"] for message in inbox.messages)
    assert delivered == sorted(person.email for person in recipients), outputs
    db.session.expire_all()
    assert outbox.waiting_count() == 0
    counts = [int(output.split("e-mail: ")[1].split(" ")[0]) for output in outputs]
    assert sum(counts) == 30
