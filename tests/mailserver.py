"""A real SMTP server on loopback for tests: aiosmtpd's ``Controller`` on 127.0.0.1 and a
free port, with the app's SMTP settings pointed at it. Use it from a test module with::

    pytest_plugins = ["tests.mailserver"]

``mail_server`` is the inbox: ``.messages`` holds every message as it arrived (parsed with
the modern email policy), ``.raw`` the same as bytes, ``.envelopes`` the SMTP sender and
recipients, ``.logins`` the user names that logged in (only on ``mail_server_with_login``).
Set ``.refuse = True`` and the server answers every message with a temporary error (451),
as a full or busy server does. ``mail_server_down`` points the app at a port where nothing listens.

Actions only write mail to the outbox; ``mail_server.deliver()`` then does what
``flask --app portal send-mail`` does (in the test's app context) and returns its report.
"""

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from portal.outbox import SendReport, send_waiting

SMTP_USER = "portal"
SMTP_PASSWORD = "smtp-test-wachtwoord"


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return "451 Requested action aborted: try again later"
        self.raw.append(envelope.original_content)
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
        )
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    @staticmethod
    def deliver(now=None) -> SendReport:
        """Send what waits in the outbox, as ``flask send-mail`` does."""
        return send_waiting(now)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(app, inbox: Inbox, **options):
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **options)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, SMTP_TLS=False,
                      SMTP_USER="", SMTP_PASSWORD="")
    return controller


@pytest.fixture
def mail_server(app):
    inbox = Inbox()
    controller = _serve(app, inbox)
    yield inbox
    controller.stop()


@pytest.fixture
def mail_server_down(app):
    """SMTP settings that point at a loopback port where no server listens."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())


@pytest.fixture
def mail_server_with_login(app):
    """A server that demands a login (AUTH PLAIN/LOGIN; without TLS, on loopback only)."""
    inbox = Inbox()
    controller = _serve(app, inbox, authenticator=inbox.authenticate, auth_required=True,
                        auth_require_tls=False)
    app.config.update(SMTP_USER=SMTP_USER, SMTP_PASSWORD=SMTP_PASSWORD)
    yield inbox
    controller.stop()
