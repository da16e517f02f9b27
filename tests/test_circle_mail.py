"""Mail about help items against a real SMTP server (aiosmtpd on loopback): the response
mail, the instant mail for "direct" readers and the daily digest."""

import re
from datetime import timedelta

from portal.circles import service
from portal.circles.mail import send_help_item_digests
from portal.cron import run_daily_mail
from portal.extensions import db
from portal.models import HelpItemMail
from portal.models.base import utcnow
from portal.models.circles import HelpStatus
from portal.notifications.service import save_preferences
from tests.conftest import login
from tests.factories import make_circle, make_help_item, make_member

pytest_plugins = ["tests.mailserver"]

PHONE_OR_ADDRESS = re.compile(r"\b0\d[\d -]{7,}\b|@example\.org")


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _prefer(user, mode: HelpItemMail) -> None:
    save_preferences(user, mode.value, True, True)


# --- someone responded ---------------------------------------------------------------------


def test_the_author_gets_one_mail_when_someone_responds(app, client, mail_server):
    circle = make_circle("Cirkel Schoolstraat")
    author = make_member(circle, name="Riet de Vries")
    helper = make_member(circle, name="Kees Bakker", email="kees@example.org")
    item = make_help_item(circle, author, title="Boodschappen op donderdag")
    item_id = item.id
    login(client, helper)

    response = client.post(f"/hulp/{item_id}/reageren", data={"message": "Bel mij: 06 12345678"})
    assert response.status_code == 303
    client.post(f"/hulp/{item_id}/reageren", data={})  # a second click sends nothing more

    mail_server.deliver()
    [message] = mail_server.messages
    assert message["To"] == author.email
    assert message["List-Unsubscribe"].startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "text/plain"
    body = _body(message)
    assert "Kees" in body and "Boodschappen op donderdag" in body
    assert f"/hulp/{item_id}" in body
    assert not PHONE_OR_ADDRESS.search(body.split("\n--\n")[0])


def test_a_response_to_an_item_posted_namens_goes_to_the_connector(app, client, mail_server):
    circle = make_circle()
    connector = make_member(circle, role="connector", name="Sonja Verbinder")
    helper = make_member(circle)
    item = make_help_item(circle, connector, on_behalf=("Mien", "Dorpsstraat"))
    login(client, helper)
    client.post(f"/hulp/{item.id}/reageren", data={})
    mail_server.deliver()
    [message] = mail_server.messages
    assert message["To"] == connector.email
    assert "namens Mien" in _body(message)


def test_no_response_mail_for_someone_who_chose_never(app, client, mail_server):
    circle = make_circle()
    author, helper = make_member(circle), make_member(circle)
    _prefer(author, HelpItemMail.NEVER)
    item = make_help_item(circle, author)
    login(client, helper)
    assert client.post(f"/hulp/{item.id}/reageren", data={}).status_code == 303
    mail_server.deliver()
    assert mail_server.messages == []


def test_a_response_is_kept_when_the_mail_server_is_down(app, client, mail_server_down):
    circle = make_circle()
    author, helper = make_member(circle), make_member(circle)
    item = make_help_item(circle, author)
    login(client, helper)
    assert client.post(f"/hulp/{item.id}/reageren", data={}).status_code == 303
    db.session.expire_all()
    assert len(db.session.get(type(item), item.id).responses) == 1


# --- new help items ---------------------------------------------------------------------------


def test_direct_readers_get_a_mail_at_once_but_not_the_author(app, client, mail_server):
    circle, elsewhere = make_circle(), make_circle()
    author = make_member(circle)
    direct, daily, never = make_member(circle), make_member(circle), make_member(circle)
    outsider = make_member(elsewhere)
    for person in (author, outsider):
        _prefer(person, HelpItemMail.DIRECT)
    _prefer(direct, HelpItemMail.DIRECT)
    _prefer(never, HelpItemMail.NEVER)
    login(client, author)

    response = client.post(f"/cirkels/{circle.slug}/hulp/nieuw", data={
        "kind": "request", "category": "vervoer", "title": "Rit naar het ziekenhuis",
    })

    assert response.status_code == 303
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == [direct.email]
    assert "Rit naar het ziekenhuis" in _body(mail_server.messages[0])
    assert daily.email not in [m["To"] for m in mail_server.messages]


def test_posting_through_the_service_mails_the_direct_readers_once(app, mail_server):
    """Not only the help form: whoever posts an item through ``service.post_help_item``."""
    circle = make_circle()
    author, direct = make_member(circle), make_member(circle)
    _prefer(direct, HelpItemMail.DIRECT)
    service.post_help_item(circle, author, kind="offer", category="tuin", title="Ik maai uw gras")
    db.session.commit()

    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == [direct.email]
    assert "Ik maai uw gras" in _body(mail_server.messages[0])


def test_tomorrows_digest_holds_the_circles_new_requests(app, mail_server):
    circle, elsewhere = make_circle(), make_circle()
    reader = make_member(circle, name="Riet de Vries")
    poster = make_member(circle)
    direct, never = make_member(circle), make_member(circle)
    _prefer(direct, HelpItemMail.DIRECT)
    _prefer(never, HelpItemMail.NEVER)
    make_help_item(circle, poster, title="Oude vraag", days_ago=3)
    make_help_item(circle, poster, title="Hulp bij de computer", category="computerhulp")
    make_help_item(circle, poster, kind="offer", title="Ik kook een keer extra")
    make_help_item(circle, reader, title="Mijn eigen vraag")
    closed = make_help_item(circle, poster, title="Al geregeld")
    closed.status = HelpStatus.DONE
    make_help_item(elsewhere, make_member(elsewhere), title="Andere buurt")
    db.session.commit()
    tomorrow = utcnow() + timedelta(hours=20)

    results = run_daily_mail(tomorrow)
    mail_server.deliver(tomorrow)

    assert results["hulpvragen"] == 2  # the reader, and the poster (for "Mijn eigen vraag")
    mine = mail_server.to(reader.email)
    assert len(mine) == 1
    body = _body(mine[0])
    assert "Hulp bij de computer" in body and "Ik kook een keer extra" in body
    for absent in ("Oude vraag", "Mijn eigen vraag", "Al geregeld", "Andere buurt"):
        assert absent not in body
    assert mine[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # the direct reader heard of each item when it was posted (the service mails it), not in a digest
    assert not any(m["Subject"].startswith("Nieuw in uw buurtcirkel") for m in mail_server.to(direct.email))
    assert mail_server.to(never.email) == []

    count = len(mail_server.messages)
    assert send_help_item_digests(tomorrow + timedelta(minutes=5)) == 0
    mail_server.deliver(tomorrow + timedelta(minutes=5))
    assert len(mail_server.messages) == count


def test_the_next_digest_holds_only_what_is_new_since_the_last_one(app, mail_server):
    circle = make_circle()
    reader, poster = make_member(circle), make_member(circle)
    make_help_item(circle, poster, title="Eerste vraag")
    first_run = utcnow() + timedelta(minutes=1)
    assert send_help_item_digests(first_run) == 1
    service.post_help_item(circle, poster, kind="request", category="tuin",
                           title="Tweede vraag", at=first_run + timedelta(hours=1))
    db.session.commit()

    send_help_item_digests(first_run + timedelta(days=1))
    mail_server.deliver(first_run + timedelta(days=1))

    bodies = [_body(m) for m in mail_server.to(reader.email)]
    assert len(bodies) == 2
    assert "Tweede vraag" in bodies[1] and "Eerste vraag" not in bodies[1]


def test_nothing_new_means_no_digest(app, mail_server):
    circle = make_circle()
    make_member(circle)
    assert send_help_item_digests(utcnow()) == 0
    mail_server.deliver()
    assert mail_server.messages == []


def test_a_refused_digest_is_sent_by_the_outbox_later(app, mail_server):
    circle = make_circle()
    reader, poster = make_member(circle), make_member(circle)
    make_help_item(circle, poster, title="Vraag")
    mail_server.refuse = True
    now = utcnow() + timedelta(minutes=1)
    assert send_help_item_digests(now) == 1
    report = mail_server.deliver(now)
    assert (report.sent, report.failed) == (0, 1)
    mail_server.refuse = False
    assert send_help_item_digests(now + timedelta(minutes=1)) == 0  # recorded: not queued twice
    assert mail_server.deliver(now + timedelta(minutes=1)).sent == 1
    assert len(mail_server.to(reader.email)) == 1
