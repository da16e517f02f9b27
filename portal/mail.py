"""How a message goes on the wire: ``build_message`` and ``deliver``, over SMTP or to the console.

Nothing here is called by a view or a service: they write mail to the outbox
(``portal.outbox.queue_mail``, usually through ``portal.notifications.service.notify``),
and the outbox's sender calls ``deliver`` after the commit.

Settings (``portal/config.py``): ``SMTP_HOST`` and ``SMTP_PORT`` name the server;
``SMTP_USER``/``SMTP_PASSWORD`` log in when set; ``SMTP_TLS=1`` switches to STARTTLS before
logging in; ``MAIL_FROM`` is the sender, with the name of the wijk the mail belongs to
(``portal/wijken/settings.py``, ``mail_from``). Without ``SMTP_HOST`` every message is printed to
standard output instead, so a newcomer's laptop needs no mail server.

Every message has a plain-text part (the one everybody can read); an HTML alternative is
optional. A message that someone can stop receiving carries ``List-Unsubscribe`` with a web
address and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058): a POST to that
address unsubscribes at once, without signing in (see ``portal/notifications/``).
"""

import logging
import smtplib
import ssl
import sys
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import urlsplit

from flask import current_app

from portal.wijken import settings

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 30  # seconds; a hanging server must not hang the sender (never a web request)

# How messages go on the wire. Python's default folds header lines at 78 characters and,
# where a line has no space to fold at (a long unsubscribe URL), rewrites it as an RFC 2047
# encoded word, which mail providers do not read as a List-Unsubscribe address. RFC 5322
# allows 998 characters, so headers stay as written. Bodies are encoded when the message is
# built (quoted-printable lines of at most 76 characters), not here.
WIRE_POLICY = policy.SMTP.clone(max_line_length=998)


def build_message(to: str, subject: str, text: str, html: str | None = None,
                  unsubscribe_url: str | None = None) -> EmailMessage:
    """The message as it will be sent: headers, the plain-text part, maybe an HTML part."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = settings.mail_from()
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_sender_domain(config["MAIL_FROM"]))
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def deliver(message: EmailMessage) -> None:
    """Send one built message. SMTP errors propagate (``smtplib.SMTPException`` or
    ``OSError``): the outbox records them and tries again later."""
    if current_app.config.get("SMTP_HOST"):
        _send_smtp(message)
    else:
        _print_to_console(message)


def sends_to_console() -> bool:
    """Without ``SMTP_HOST`` mail is printed, which cannot hang: the outbox then delivers
    right after the commit (``make run`` shows mail at once)."""
    return not current_app.config.get("SMTP_HOST")


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config.get("SMTP_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        sender, recipient = parseaddr(message["From"])[1], parseaddr(message["To"])[1]
        smtp.sendmail(sender, [recipient], as_wire_bytes(message))
    log.info("mail sent to %s: %s", message["To"], message["Subject"])


def _print_to_console(message: EmailMessage) -> None:
    """Development: the headers as they would go out, and the plain text readable (not
    quoted-printable)."""
    rule = "-" * 72
    wire = as_wire_bytes(message).decode("ascii", "replace").replace("\r\n", "\n")
    headers = wire.split("\n\n", 1)[0]
    text = message.get_body(("plain",)).get_content()
    sys.stdout.write(f"{rule}\n{headers}\n\n{text}{rule}\n")
    sys.stdout.flush()


def as_wire_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=WIRE_POLICY)


def _sender_domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"


def render_text(template: str, **context) -> str:
    """A plain-text mail body from a template (``portal/templates/<domain>/mail/*.txt``).

    Straight through Jinja, without Flask's request-bound context processors, so it works in
    cron jobs too; the app's filters and globals (``datum``, ``tijdvak``) are there, links come
    from ``public_url``. ``.txt`` templates are not HTML-escaped.
    """
    return current_app.jinja_env.get_template(template).render(**context)


def public_url(endpoint: str, **values) -> str:
    """An absolute address on the portal for mail, on the current wijk's host (``PUBLIC_URL``
    with that host; the default wijk's is ``PUBLIC_URL`` itself, see
    ``portal/wijken/settings.py``), also outside a request: cron jobs and CLI commands have no
    request to take the host name from."""
    base = urlsplit(settings.public_base())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
