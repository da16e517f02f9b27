"""De wijkbrief (issue 29): subscribing without an account (double opt-in, through a real SMTP
server), composing from the portal, the preview, a test to oneself, sending once (also from
two tabs at once), two ``send-mail`` processes, one-click unsubscribing (RFC 8058, no CSRF),
the purge of unconfirmed addresses, segments, two wijken kept apart, bounces and who may do
what. Without JavaScript: plain posts and PRG."""

import contextvars
import mailbox
import os
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from portal.database import commit
from portal.extensions import db
from portal.following import service as following
from portal.models import (
    FollowKind,
    Group,
    GroupKind,
    GroupMember,
    GroupMemberStatus,
    GroupNews,
    GroupStatus,
    Newsletter,
    NewsletterDelivery,
    OutboxMessage,
    Role,
    Subscriber,
    Theme,
    Traject,
)
from portal.models.base import utcnow
from portal.newsletter import service
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import CSRF_INPUT, login
from tests.factories import make_event, make_neighbourhood, make_post, make_user

pytest_plugins = ["tests.mailserver"]

ROOT = Path(__file__).resolve().parent.parent
WEST = "http://west.localhost"
FREE_TEXT = "Vrijwilligers gezocht voor de kerst."
CONFIRM_LINK = re.compile(r"https?://[^/\s]+/nieuwsbrief/bevestigen/(\S+)")


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def _subscribe(client, email="truus@example.org", base_url="http://localhost", **fields):
    data = {"email": email, "consent": "y", "organisation": "", "neighbourhood_id": ""}
    data.update(fields)
    return client.post("/nieuwsbrief", data=data, base_url=base_url)


def _confirm_path(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return "/nieuwsbrief/bevestigen/" + CONFIRM_LINK.search(text).group(1)


def _subscriber(email: str) -> Subscriber:
    return db.session.scalar(db.select(Subscriber).where(Subscriber.email == email))


def confirmed(email: str, organisation: str = "", neighbourhood=None) -> Subscriber:
    subscriber = Subscriber(email=email, organisation=organisation, consent_text=service.CONSENT_TEXT,
                            consent_source="test", confirmed_at=utcnow(),
                            neighbourhood_id=neighbourhood.id if neighbourhood else None)
    db.session.add(subscriber)
    db.session.commit()
    return subscriber


@pytest.fixture
def redacteur(app):
    return make_user("Joke Vermeulen", "redacteur@example.org", role=Role.REDACTEUR)


def _new_issue(client, title="Wijkbrief december", blocks=("agenda", "ideeen", "tekst"), **fields):
    data = {"title": title, "intro": "Beste buren,\n\nDit gebeurt er.", "blocks": list(blocks),
            "segment": "wijk"}
    data.update(fields)
    answer = client.post("/redactie/nieuwsbrieven/nieuw", data=data)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return int(answer.headers["Location"].rsplit("/", 1)[1])


# --- subscribing --------------------------------------------------------------------------------


def test_the_page_has_the_form_with_an_unticked_consent_box_and_the_archive(client):
    page = client.get("/nieuwsbrief")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="email"' in html and 'name="consent"' in html
    assert re.search(r'<input[^>]*name="consent"[^>]*>', html) and "checked" not in re.search(
        r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "Er is nog geen wijkbrief verschenen" in _text(page)


def test_subscribe_confirm_then_exactly_one_newsletter(app, client, mail_server, redacteur):
    answer = _subscribe(client, organisation="Buurtteam")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/nieuwsbrief/aangemeld")
    assert "Kijk in uw mailbox" in _text(client.get("/nieuwsbrief/aangemeld"))
    subscriber = _subscriber("truus@example.org")
    assert subscriber.consent_text == service.CONSENT_TEXT and subscriber.consent_at is not None
    assert subscriber.consent_source.endswith("/nieuwsbrief") and subscriber.confirmed_at is None
    mail_server.deliver()
    [confirmation] = mail_server.to("truus@example.org")
    assert confirmation.get_body(("plain",)) is not None
    assert confirmation["Date"] and confirmation["Message-ID"]
    assert re.fullmatch(r"<https?://[^/]+/nieuwsbrief/afmelden/\S+>", confirmation["List-Unsubscribe"])
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Not confirmed yet: an issue does not reach the address.
    login(client, redacteur)
    first = _new_issue(client, title="Zonder Truus")
    assert client.post(f"/redactie/nieuwsbrieven/{first}/versturen").status_code == 303
    mail_server.deliver()
    assert len(mail_server.to("truus@example.org")) == 1

    opened = client.get(_confirm_path(confirmation))  # as a mail scanner would: nothing confirmed
    assert opened.status_code == 200 and "Ja, ik wil de wijkbrief" in _text(opened)
    assert _subscriber("truus@example.org").confirmed_at is None
    done = FlaskClient(client.application).post(_confirm_path(confirmation))  # the button, no cookie
    assert done.status_code == 200 and "Aanmelding bevestigd" in _text(done)
    again = client.get(_confirm_path(confirmation))
    assert again.status_code == 200 and "Al bevestigd" in _text(again)
    assert client.post(_confirm_path(confirmation)).status_code == 200

    second = _new_issue(client, title="Met Truus")
    assert client.post(f"/redactie/nieuwsbrieven/{second}/versturen").status_code == 303
    mail_server.deliver()
    messages = mail_server.to("truus@example.org")
    assert len(messages) == 2
    issue = messages[1]
    assert issue["Subject"].startswith("Met Truus | Wijkbrief Vleuten-De Meern nr. 2")
    plain = issue.get_body(("plain",)).get_content()
    html = issue.get_body(("html",)).get_content()
    assert re.search(r"Bekijk op de website: https?://[^/]+/nieuwsbrief/2\r?\n", plain)
    assert re.search(r'href="https?://[^/]+/nieuwsbrief/2"', html) and "<img" not in html
    assert re.fullmatch(r"<https?://[^/]+/nieuwsbrief/afmelden/\S+>", issue["List-Unsubscribe"])
    assert issue["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert issue["Date"] and issue["Message-ID"]


def test_a_known_address_gets_the_same_answer_and_no_second_mail_soon(app, client, mail_server):
    assert _subscribe(client).status_code == 303
    again = _subscribe(client, email="Truus@Example.org ")
    assert again.status_code == 303 and again.headers["Location"].endswith("/nieuwsbrief/aangemeld")
    mail_server.deliver()
    assert len(mail_server.to("truus@example.org")) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Subscriber)) == 1
    confirmed("riet@example.org")
    assert _subscribe(client, email="riet@example.org").headers["Location"].endswith("/nieuwsbrief/aangemeld")
    mail_server.deliver()
    assert mail_server.to("riet@example.org") == []


def test_consent_and_a_valid_address_are_needed_and_the_text_is_kept(client):
    answer = _subscribe(client, consent="")
    assert answer.status_code == 422 and "truus@example.org" in answer.get_data(as_text=True)
    assert "Vink het vakje aan" in _text(answer)
    assert _subscribe(client, email="geen-adres").status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Subscriber)) == 0


def test_subscribing_is_rate_limited(client):
    for n in range(5):
        assert _subscribe(client, email=f"buur{n}@example.org").status_code == 303
    assert _subscribe(client, email="buur9@example.org").status_code == 429


def test_a_tampered_or_expired_link(app, client, mail_server):
    _subscribe(client)
    mail_server.deliver()
    path = _confirm_path(mail_server.to("truus@example.org")[0])
    assert client.get(path[:-3] + "abc").status_code == 404
    subscriber = _subscriber("truus@example.org")
    old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="newsletter-confirm")
    token = old.dumps([subscriber.id, subscriber.email])
    from unittest import mock
    with mock.patch("itsdangerous.timed.time.time", return_value=__import__("time").time() + 8 * 24 * 3600):
        expired = client.get(f"/nieuwsbrief/bevestigen/{token}")
    assert expired.status_code == 410 and "verlopen" in _text(expired)


def test_unconfirmed_addresses_are_forgotten_after_seven_days_by_purge(app, client, mail_server):
    _subscribe(client)
    confirmed("riet@example.org")
    db.session.commit()
    assert service.purge_unconfirmed(utcnow() + timedelta(days=6)) == 0
    result = app.test_cli_runner().invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "Niet bevestigde aanmeldingen voor de wijkbrief vergeten" in result.output
    assert service.purge_unconfirmed(utcnow() + timedelta(days=8)) == 1
    assert [s.email for s in db.session.scalars(db.select(Subscriber))] == ["riet@example.org"]


def test_an_account_holder_opts_in_and_out_with_one_button(app, client, mail_server):
    person = make_user("Riet van Dijk", "bewoner@example.org")
    login(client, person)
    page = client.get("/nieuwsbrief")
    assert "Ja, stuur mij de wijkbrief" in _text(page) and 'name="email"' not in page.get_data(as_text=True)
    assert client.post("/nieuwsbrief/ontvangen", data={"action": "aan"}).status_code == 303
    subscriber = _subscriber("bewoner@example.org")
    assert subscriber.user_id == person.id and subscriber.receives and subscriber.consent_text
    assert "U krijgt de wijkbrief op bewoner@example.org" in _text(client.get("/nieuwsbrief"))
    assert client.post("/nieuwsbrief/ontvangen", data={"action": "uit"}).status_code == 303
    db.session.expire_all()
    assert not _subscriber("bewoner@example.org").receives
    mail_server.deliver()
    assert mail_server.messages == []


def test_the_account_page_has_the_wijkbrief_apart_from_the_notifications(app, client):
    person = make_user("Riet van Dijk", "bewoner@example.org")
    login(client, person)
    account = _text(client.get("/account"))
    assert "De wijkbrief" in account and "Ja, stuur mij de wijkbrief" in account
    back = client.post("/nieuwsbrief/ontvangen", data={"action": "aan", "next": "/account"})
    assert back.status_code == 303 and back.headers["Location"].endswith("/account")
    assert "U krijgt de wijkbrief op bewoner@example.org" in _text(client.get("/account"))
    elsewhere = client.post("/nieuwsbrief/ontvangen", data={"action": "uit", "next": "https://evil.example/"})
    assert "evil.example" not in elsewhere.headers["Location"]


# --- unsubscribing ------------------------------------------------------------------------------


def test_one_click_unsubscribe_without_cookies_or_csrf_and_the_next_issue_does_not_reach(
        app, client, mail_server, redacteur):
    confirmed("truus@example.org")
    login(client, redacteur)
    first = _new_issue(client)
    client.post(f"/redactie/nieuwsbrieven/{first}/versturen")
    mail_server.deliver()
    [issue] = mail_server.to("truus@example.org")
    url = issue["List-Unsubscribe"].strip("<>")
    path = urlsplit(url).path
    fresh = app.test_client()
    page = fresh.get(path)
    assert page.status_code == 200 and "Ja, meld mij af" in _text(page)
    answer = fresh.post(path, data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "U bent afgemeld" in _text(answer) and "Opnieuw aanmelden" in _text(answer)
    assert fresh.get(path[:-2] + "xx").status_code == 404
    second = _new_issue(client, title="Tweede")
    client.post(f"/redactie/nieuwsbrieven/{second}/versturen")
    mail_server.deliver()
    assert len(mail_server.to("truus@example.org")) == 1


# --- composing, preview, test, sending once -----------------------------------------------------


def test_blocks_fill_themselves_and_the_preview_shows_both_parts_and_the_count(app, client, redacteur):
    make_event(title="Repair Café De Meern", place_name="De Schakel")
    make_post(title="Bankje bij de vijver", support_count=7)
    confirmed("truus@example.org")
    confirmed("karin@example.org")
    login(client, redacteur)
    newsletter_id = _new_issue(client, blocks=("agenda", "ideeen", "spreekuren", "peiling", "signalen",
                                                "tekst"))
    edit = client.get(f"/redactie/nieuwsbrieven/{newsletter_id}")
    html = edit.get_data(as_text=True)
    assert "Repair Café De Meern | De Schakel" in html and "Bankje bij de vijver (7 keer gesteund)" in html
    newsletter = db.session.get(Newsletter, newsletter_id)
    kinds = [block.kind for block in newsletter.blocks]
    assert kinds == ["agenda", "signalen", "ideeen", "spreekuren", "peiling", "tekst"]
    data = {"title": "Wijkbrief december", "intro": "Nieuwe inleiding.", "segment": "wijk"}
    for index, block in enumerate(newsletter.blocks):
        data[f"parts-{index}-block_id"] = str(block.id)
        data[f"parts-{index}-heading"] = block.heading
        data[f"parts-{index}-text"] = block.text if block.kind != "tekst" else FREE_TEXT
    assert client.post(f"/redactie/nieuwsbrieven/{newsletter_id}", data=data).status_code == 303
    preview = client.get(f"/redactie/nieuwsbrieven/{newsletter_id}/voorbeeld")
    text = _text(preview)
    assert preview.status_code == 200
    assert "De e-mail (opgemaakt)" in text and "De e-mail als platte tekst" in text
    assert "Hij gaat naar 2 lezers" in text and "Nu versturen (2)" in text and FREE_TEXT in text
    assert "Nieuwe inleiding." in text


def test_the_blocks_of_the_groups_news_and_the_meedenk_trajecten(app, client, redacteur):
    today = utcnow().date()
    groen = Group(slug="werkgroep-groen", name="Werkgroep Groen", kind=GroupKind.WERKGROEP,
                  description="Groen in de wijk.", status=GroupStatus.ACTIVE)
    db.session.add_all([
        groen, GroupNews(group=groen, title="Plantdag op zaterdag", text="We planten veertig bomen."),
        Traject(slug="dorpsstraat", title="Herinrichting Dorpsstraat Vleuten", phase="ophalen",
                ophalen_until=today + timedelta(days=20)),
        Traject(slug="klaar", title="Speeltuin Castellum", phase="uitvoering", ophalen_until=today),
    ])
    db.session.commit()
    login(client, redacteur)
    newsletter_id = _new_issue(client, blocks=("groepen", "meedenken"))
    html = client.get(f"/redactie/nieuwsbrieven/{newsletter_id}").get_data(as_text=True)
    assert "Werkgroep Groen: Plantdag op zaterdag" in html and "/groepen/werkgroep-groen#nieuws-" in html
    assert "Herinrichting Dorpsstraat Vleuten: geef uw inbreng tot en met" in html
    assert "Speeltuin Castellum" not in html  # carried out: nothing to think along with


def test_a_test_goes_to_oneself_only_and_the_issue_stays_a_concept(app, client, mail_server, redacteur):
    confirmed("truus@example.org")
    login(client, redacteur)
    newsletter_id = _new_issue(client)
    assert client.post(f"/redactie/nieuwsbrieven/{newsletter_id}/testen").status_code == 303
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == ["redacteur@example.org"]
    assert mail_server.messages[0]["Subject"].startswith("[Test]")
    assert db.session.get(Newsletter, newsletter_id).status == "concept"


def test_a_second_send_is_refused(app, client, mail_server, redacteur):
    confirmed("truus@example.org")
    login(client, redacteur)
    newsletter_id = _new_issue(client)
    assert client.post(f"/redactie/nieuwsbrieven/{newsletter_id}/versturen").status_code == 303
    again = client.post(f"/redactie/nieuwsbrieven/{newsletter_id}/versturen")
    assert again.status_code == 409 and "al verstuurd" in _text(again)
    mail_server.deliver()
    assert len(mail_server.to("truus@example.org")) == 1
    assert db.session.get(Newsletter, newsletter_id).number == 1


def test_two_tabs_sending_at_once_send_once(app, client, redacteur):
    """Two tabs press "versturen" at the same moment: two requests, each in a thread with its
    own connection. The conditional UPDATE lets exactly one through; the other is refused."""
    for n in range(5):
        confirmed(f"buur{n}@example.org")
    login(client, redacteur)
    newsletter_id = _new_issue(client, title="Tegelijk")
    token = client.csrf_token()
    db.session.commit()  # the test holds no transaction (so no SQLite write lock) while threads write
    start = threading.Barrier(2)
    statuses = []

    def press_send():
        start.wait()
        with app.app_context():  # a request of its own, with its own session (as CSRFClient.open)
            answer = FlaskClient.open(client, f"/redactie/nieuwsbrieven/{newsletter_id}/versturen",
                                      method="POST", data={"csrf_token": token})
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=contextvars.copy_context().run, args=(press_send,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303, 409]
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(NewsletterDelivery)) == 5
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 5
    assert db.session.get(Newsletter, newsletter_id).number == 1


def test_batches_respect_the_rate_per_minute(app, redacteur):
    app.config["NEWSLETTER_PER_MINUTE"] = 2
    for n in range(5):
        confirmed(f"buur{n}@example.org")
    newsletter = service.create_newsletter("Rustig aan", "", ["tekst"], redacteur)
    now = utcnow()
    assert service.send(newsletter.id, redacteur, now) == 5
    commit()
    minutes = sorted(round((m.next_attempt_at - now).total_seconds() / 60)
                     for m in db.session.scalars(db.select(OutboxMessage)))
    assert minutes == [0, 0, 1, 1, 2]


def test_two_send_mail_processes_deliver_each_newsletter_once(app, database_url, redacteur):
    """A wijkbrief to 1,000 subscribers, two ``flask send-mail`` processes at once: each
    arrives exactly once, with its own unsubscribe link."""
    from tests.mailserver import Inbox, free_port

    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=free_port())
    server.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, NEWSLETTER_PER_MINUTE=10_000)
    addresses = [f"lezer{n}@example.org" for n in range(1000)]
    db.session.add_all(Subscriber(email=a, consent_text="ja", confirmed_at=utcnow()) for a in addresses)
    db.session.commit()
    newsletter = service.create_newsletter("Voor iedereen", "Hallo.", ["tekst"], redacteur)
    service.send(newsletter.id, redacteur)
    commit()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key-not-for-production",
           "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(server.port), "FLASK_APP": "portal"}
    command = [sys.executable, "-m", "flask", "--app", "portal", "send-mail"]
    outputs = []
    try:  # cron's minutes: each run takes at most 500 due messages of a wijk (outbox.send_waiting)
        for _minute in range(3):
            senders = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True) for _ in range(2)]
            outputs += [sender.communicate(timeout=300)[0] for sender in senders]
            assert all(sender.returncode == 0 for sender in senders), outputs
    finally:
        server.stop()
    assert sorted(m["To"] for m in inbox.messages) == sorted(addresses), outputs
    links = {m["List-Unsubscribe"] for m in inbox.messages}
    assert len(links) == 1000 and not any("invalid" in link for link in links)
    for message in inbox.messages[:5]:
        assert message["List-Unsubscribe"].strip("<>") in message.get_body(("plain",)).get_content()


# --- segments and wijken ------------------------------------------------------------------------


def test_a_buurt_segment_does_not_reach_another_buurt_and_professionals_are_a_segment(
        app, client, mail_server, redacteur):
    vleuten, meern = make_neighbourhood("Vleuten"), make_neighbourhood("De Meern")
    confirmed("vleuten@example.org", neighbourhood=vleuten)
    confirmed("meern@example.org", neighbourhood=meern)
    confirmed("team@example.org", organisation="Buurtteam")
    login(client, redacteur)
    buurt = _new_issue(client, title="Alleen Vleuten", segment="buurten", buurten=[str(vleuten.id)])
    assert "Hij gaat naar 1 lezer." in _text(client.get(f"/redactie/nieuwsbrieven/{buurt}/voorbeeld"))
    client.post(f"/redactie/nieuwsbrieven/{buurt}/versturen")
    pros = _new_issue(client, title="Voor professionals", segment="professionals")
    client.post(f"/redactie/nieuwsbrieven/{pros}/versturen")
    mail_server.deliver()
    received = sorted((m["To"], m["Subject"].split(" |")[0]) for m in mail_server.messages)
    assert received == [("team@example.org", "Voor professionals"), ("vleuten@example.org", "Alleen Vleuten")]
    refused = client.post("/redactie/nieuwsbrieven/nieuw", data={"title": "Geen buurt", "segment": "buurten",
                                                                  "blocks": ["tekst"]})
    assert refused.status_code == 422 and "Kies minstens één buurt" in _text(refused)


def test_followers_of_a_theme_and_members_of_a_group_are_segments_of_those_who_opted_in(
        app, client, mail_server, redacteur):
    verkeer = db.session.scalar(db.select(Theme).where(Theme.slug == "verkeer"))
    groen = Group(slug="werkgroep-groen", name="Werkgroep Groen", kind=GroupKind.WERKGROEP,
                  description="Groen.", status=GroupStatus.ACTIVE)
    follower, member = make_user("Volger", "volger@example.org"), make_user("Lid", "lid@example.org")
    both_not = make_user("Niet", "niet@example.org")  # opted in, follows and takes part in nothing
    silent = make_user("Zwijger", "zwijger@example.org")  # follows and takes part, but never opted in
    following.follow(follower, FollowKind.THEME, verkeer.id)
    following.follow(silent, FollowKind.THEME, verkeer.id)
    groen.members = [GroupMember(user=member, status=GroupMemberStatus.MEMBER),
                     GroupMember(user=silent, status=GroupMemberStatus.MEMBER)]
    db.session.add(groen)
    for person in (follower, member, both_not):
        service.opt_in(person)
    db.session.commit()
    login(client, redacteur)
    to_theme = _new_issue(client, title="Over verkeer", segment="thema", thema=str(verkeer.id))
    assert "Hij gaat naar 1 lezer." in _text(client.get(f"/redactie/nieuwsbrieven/{to_theme}/voorbeeld"))
    client.post(f"/redactie/nieuwsbrieven/{to_theme}/versturen")
    to_group = _new_issue(client, title="Voor de werkgroep", segment="groep", groep=str(groen.id))
    client.post(f"/redactie/nieuwsbrieven/{to_group}/versturen")
    mail_server.deliver()
    received = sorted((m["To"], m["Subject"].split(" |")[0]) for m in mail_server.messages)
    assert received == [("lid@example.org", "Voor de werkgroep"), ("volger@example.org", "Over verkeer")]
    refused = client.post("/redactie/nieuwsbrieven/nieuw", data={"title": "Geen thema", "segment": "thema",
                                                                  "blocks": ["tekst"], "thema": ""})
    assert refused.status_code == 422 and "Kies een thema" in _text(refused)


@pytest.fixture
def west(app):
    district = create_wijk(slug="west", name="West", host="west.localhost")
    db.session.commit()
    return district.id


def test_a_west_subscriber_never_gets_vleuten_de_meerns_issue(app, client, mail_server, redacteur, west):
    with in_wijk(west):
        db.session.add(Subscriber(email="west@example.org", consent_text="ja", confirmed_at=utcnow()))
        db.session.commit()
    confirmed("vdm@example.org")
    login(client, redacteur)
    newsletter_id = _new_issue(client)
    assert "Hij gaat naar 1 lezer." in _text(client.get(f"/redactie/nieuwsbrieven/{newsletter_id}/voorbeeld"))
    client.post(f"/redactie/nieuwsbrieven/{newsletter_id}/versturen")
    mail_server.deliver()
    with in_wijk(west):
        mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == ["vdm@example.org"]
    assert client.get("/nieuwsbrief/1").status_code == 200
    assert client.get("/nieuwsbrief/1", base_url=WEST).status_code == 404
    assert "Er is nog geen wijkbrief verschenen" in _text(client.get("/nieuwsbrief", base_url=WEST))


# --- the web and paper versions -----------------------------------------------------------------


def test_the_web_and_paper_versions_and_the_archive(app, client, redacteur):
    make_event(title="Repair Café De Meern", place_name="De Schakel")
    login(client, redacteur)
    newsletter_id = _new_issue(client, title="Wijkbrief december")
    assert client.get("/nieuwsbrief/1").status_code == 404  # a concept is not public
    client.post(f"/redactie/nieuwsbrieven/{newsletter_id}/versturen")
    client.post("/uitloggen")
    web = client.get("/nieuwsbrief/1")
    assert web.status_code == 200 and "Wijkbrief december" in _text(web)
    assert "Nr. 1: Wijkbrief december" in _text(client.get("/nieuwsbrief"))
    paper = client.get("/nieuwsbrief/1/afdrukken")
    html = paper.get_data(as_text=True)
    assert paper.status_code == 200 and "<table" in html and "Repair Café De Meern" in html
    assert html.count("<svg") == 2 and 'class="flyer-qr"' in html and "style=" not in html.split("<main")[1]


# --- bounces ------------------------------------------------------------------------------------


def _dsn(recipient: str) -> str:
    """A delivery status notification (RFC 3464) as a mail server sends it back."""
    return (
        "From: MAILER-DAEMON@example.net\nTo: noreply@example.org\nSubject: Undelivered Mail\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="GRENS"\n\n'
        "--GRENS\nContent-Type: text/plain\n\nUw bericht kon niet worden bezorgd.\n\n"
        "--GRENS\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.net\n\n"
        f"Final-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.1.1\n\n"
        "Final-Recipient: rfc822; uitgesteld@example.org\nAction: delayed\nStatus: 4.2.2\n\n"
        "--GRENS--\n"
    )


def test_read_bounces_marks_an_address_and_the_count_shows_it(app, client, mail_server, redacteur, tmp_path):
    confirmed("weg@example.org")
    confirmed("blijft@example.org")
    login(client, redacteur)
    newsletter_id = _new_issue(client)
    client.post(f"/redactie/nieuwsbrieven/{newsletter_id}/versturen")
    mail_server.deliver()
    box = mailbox.mbox(str(tmp_path / "bounces.mbox"))
    box.add(_dsn("Weg@example.org"))
    box.flush()
    box.close()
    result = app.test_cli_runner().invoke(args=["read-bounces", str(tmp_path / "bounces.mbox")])
    assert result.exit_code == 0, result.output
    assert "1 adressen kwamen terug" in result.output
    db.session.expire_all()
    assert _subscriber("weg@example.org").bounced_at is not None
    assert _subscriber("blijft@example.org").bounced_at is None
    page = client.get(f"/redactie/nieuwsbrieven/{newsletter_id}").get_data(as_text=True)
    assert '<dd id="verstuurd">2</dd>' in page and '<dd id="teruggekomen">1</dd>' in page
    second = _new_issue(client, title="Na de bounce")
    assert "Hij gaat naar 1 lezer." in _text(client.get(f"/redactie/nieuwsbrieven/{second}/voorbeeld"))


# --- who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [
    ("visitor", 302), ("resident", 403), ("redacteur", 200), ("moderator", 200), ("admin", 200),
])
def test_who_may_use_the_redactie(app, client, who, expected):
    draft = service.create_newsletter("Concept", "", ["tekst"], make_user(role=Role.REDACTEUR))
    db.session.commit()
    people = {"resident": Role.RESIDENT, "redacteur": Role.REDACTEUR, "moderator": Role.MODERATOR,
              "admin": Role.ADMIN}
    if who != "visitor":
        login(client, make_user(role=people[who]))
    for path in ("/redactie/nieuwsbrieven", "/redactie/nieuwsbrieven/nieuw",
                 f"/redactie/nieuwsbrieven/{draft.id}", f"/redactie/nieuwsbrieven/{draft.id}/voorbeeld"):
        assert client.get(path).status_code == expected, path
    for action in ("testen", "versturen"):
        answer = client.post(f"/redactie/nieuwsbrieven/{draft.id}/{action}")
        assert answer.status_code == (303 if expected == 200 else expected), action
    link = "Naar de redactie van de wijkbrief" in _text(client.get("/nieuwsbrief"))
    assert link == (expected == 200)


def test_an_admin_hands_out_the_redacteur_role_on_moderatie_mensen(app, client):
    person = make_user("Joke Vermeulen", "joke@example.org")
    login(client, make_user(role=Role.ADMIN))
    page = client.get("/moderatie/mensen").get_data(as_text=True)
    assert "Redacteur wijkbrief maken" in page
    token = CSRF_INPUT.search(page).group(1)
    assert token
    answer = client.post(f"/moderatie/account/{person.id}/redacteur-maken",
                         data={"next": "/moderatie/mensen"})
    assert answer.status_code in (200, 303), answer.get_data(as_text=True)
    db.session.expire_all()
    assert person.role == Role.REDACTEUR


def test_the_subscription_is_in_the_export_and_goes_with_a_deleted_account(app, client):
    from portal.accounts.privacy import delete_account, export_user_data

    person = make_user("Riet van Dijk", "riet@example.org")
    service.opt_in(person)
    db.session.commit()
    [part] = export_user_data(person)["wijken"]
    assert part["wijkbrief"]["e-mailadres"] == "riet@example.org"
    assert part["wijkbrief"]["toestemming"] == service.ACCOUNT_CONSENT_TEXT
    delete_account(person)
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Subscriber)) == 0
