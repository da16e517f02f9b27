"""Jobs per wijk (issue 25, item 3): every scheduled command runs for every wijk in one call,
each wijk with its own sender name, links on its own host and its own settings, and a wijk
whose job fails stops none of the others (the command names it and exits 1).

The tests run in the first wijk, Vleuten-De Meern (``tests/conftest.py``); ``west`` adds a
second one, and what belongs to West is made inside ``in_wijk(west)``. Mail goes to the real
local SMTP server of ``tests/mailserver.py``."""

import logging
import re
from datetime import datetime, timedelta

import pytest

from portal import cron, outbox
from portal.board import gemeente_signals
from portal.dates import local_today, to_utc
from portal.extensions import db
from portal.mail import public_url
from portal.models import (
    District,
    HelpItem,
    MunicipalStatus,
    Neighbourhood,
    NotificationPreference,
    OutboxMessage,
    Post,
    PostKind,
    Role,
    SignalenMelding,
    SignalPhase,
    Theme,
)
from portal.models.base import utcnow
from portal.models.circles import HelpStatus
from portal.notifications.service import MailKind, notify
from portal.wijk import for_each_wijk, in_wijk
from portal.wijken import settings
from tests.conftest import FIRST_WIJK
from tests.factories import make_circle, make_event, make_help_item, make_member, make_registration, make_user

pytest_plugins = ["tests.mailserver", "tests.signalen_server"]  # mail_server; signalen

MAIL_FROM = "Buurtportaal Vleuten-De Meern <noreply@example.org>"  # the default in portal/config.py
LINK = re.compile(r"https?://[^\s>]+")


@pytest.fixture
def west(app):
    """A second wijk, on its own host, without settings of its own yet."""
    district = District(slug="west", name="West", host="west.localhost")
    db.session.add(district)
    db.session.commit()
    return district


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _tomorrow_evening() -> datetime:
    day = local_today(utcnow()) + timedelta(days=1)
    return to_utc(datetime.combine(day, datetime.min.time()).replace(hour=19, minute=30))


def _reminder_for(email: str, title: str):
    """Someone signed up for an event tomorrow evening in the current wijk."""
    person = make_user(email=email)
    make_registration(make_event(title, starts_at=_tomorrow_evening()), person)
    return person


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


def _links(message) -> list[str]:
    return LINK.findall(_text(message)) + LINK.findall(message["List-Unsubscribe"] or "")


def _outbox_of(district_id: int) -> list[OutboxMessage]:
    with in_wijk(district_id):
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


# --- Mail: both wijken in one call, each with its sender and its host ------------------------


def test_send_digests_sends_every_wijks_mail_with_its_own_sender_and_host(app, west, mail_server):
    app.config["MAIL_FROM"] = MAIL_FROM
    _reminder_for("riet@example.org", "Koffieochtend De Meern")
    with in_wijk(west):
        _reminder_for("kees@example.org", "Buurtborrel Lombok")
    west_id = west.id

    result = _run(app, "send-digests")

    assert result.exit_code == 0, result.output
    assert "[vleuten-de-meern] herinneringen: 1 klaargezet" in result.output
    assert "[west] herinneringen: 1 klaargezet" in result.output
    assert "[vleuten-de-meern] e-mail: 1 verstuurd" in result.output
    assert "[west] e-mail: 1 verstuurd" in result.output
    [riet], [kees] = mail_server.to("riet@example.org"), mail_server.to("kees@example.org")
    assert riet["Subject"] == "Morgen: Koffieochtend De Meern"
    assert kees["Subject"] == "Morgen: Buurtborrel Lombok"

    assert riet["From"] == MAIL_FROM  # the default wijk: MAIL_FROM as it is
    assert kees["From"] == "Buurtportaal West <noreply@example.org>"
    assert mail_server.envelopes[0][0] == mail_server.envelopes[1][0] == "noreply@example.org"
    assert "het Buurtportaal Vleuten-De Meern omdat" in _text(riet)
    assert "het Buurtportaal West omdat" in _text(kees) and "Vleuten" not in _text(kees)

    assert _links(riet) and all(link.startswith("http://127.0.0.1:5000/") for link in _links(riet))
    assert _links(kees) and all(link.startswith("http://west.localhost:5000/") for link in _links(kees))
    assert kees["List-Unsubscribe"].startswith("<http://west.localhost:5000/afmelden/")
    [message] = _outbox_of(west_id)
    assert message.to_address == "kees@example.org" and message.district_id == west_id


def test_send_mail_sends_both_wijken_and_the_wijks_own_sender_name_wins(app, west, mail_server):
    west.mail_from_name = "Wijkplatform West"
    db.session.commit()
    riet = make_user(email="riet@example.org")
    notify(riet, MailKind.MODERATION, "Uit De Meern", "Tekst.")
    with in_wijk(west):
        kees = make_user(email="kees@example.org")
        notify(kees, MailKind.MODERATION, "Uit West", "Tekst.")
    db.session.commit()

    result = _run(app, "send-mail")

    assert result.exit_code == 0, result.output
    assert "[vleuten-de-meern] e-mail: 1 verstuurd" in result.output
    assert "[west] e-mail: 1 verstuurd" in result.output
    [from_west] = mail_server.to("kees@example.org")
    assert from_west["From"] == "Wijkplatform West <noreply@example.org>"
    assert mail_server.to("riet@example.org")[0]["From"] == app.config["MAIL_FROM"]


def test_the_one_click_unsubscribe_of_west_works_on_wests_host_for_west_only(app, west, mail_server):
    with in_wijk(west):
        kees = make_user(email="kees@example.org")
        notify(kees, MailKind.MODERATION, "Uit West", "Tekst.")
    db.session.commit()
    kees_id, west_id = kees.id, west.id
    assert _run(app, "send-mail").exit_code == 0
    [message] = mail_server.to("kees@example.org")
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://west.localhost:5000/afmelden/")

    answer = app.test_client().post(link, data={"List-Unsubscribe": "One-Click"}, csrf=False)

    assert answer.status_code == 200
    with in_wijk(west_id):
        assert db.session.get(NotificationPreference, (kees_id, west_id)).moderation is False
    in_vleuten = db.session.scalar(db.select(NotificationPreference)
                                   .where(NotificationPreference.user_id == kees_id))
    assert in_vleuten is None  # still everything on in Vleuten-De Meern


# --- A failure in one wijk stops none of the others ------------------------------------------


def test_a_job_that_fails_in_one_wijk_leaves_the_others_done_and_the_command_names_it(
        app, west, mail_server, monkeypatch, caplog):
    _reminder_for("riet@example.org", "Koffieochtend De Meern")
    with in_wijk(west):
        _reminder_for("kees@example.org", "Buurtborrel Lombok")
    real = cron.send_reminders

    def broken_in_vleuten(now=None):
        queued = real(now)  # queued, and then the job breaks: all of it is rolled back
        if settings.wijk_name() == "Vleuten-De Meern":
            raise RuntimeError("de agenda van deze wijk is stuk")
        return queued

    monkeypatch.setattr(cron, "send_reminders", broken_in_vleuten)

    with caplog.at_level(logging.ERROR):
        result = _run(app, "send-digests")

    assert result.exit_code == 1
    assert "[vleuten-de-meern] mislukt: RuntimeError: de agenda van deze wijk is stuk" in result.output
    assert "Mislukt in wijk vleuten-de-meern" in result.output
    assert "[west] e-mail: 1 verstuurd" in result.output  # the wijk after the failing one ran
    assert [m["To"] for m in mail_server.messages] == ["kees@example.org"]
    assert "Taak mislukt in wijk vleuten-de-meern" in caplog.text
    assert outbox.waiting_count() == 0  # Vleuten's reminder was rolled back with its wijk's job

    monkeypatch.setattr(cron, "send_reminders", real)  # repaired: the next run catches up
    result = _run(app, "send-digests")
    assert result.exit_code == 0, result.output
    assert "[vleuten-de-meern] herinneringen: 1 klaargezet" in result.output
    assert "[west] herinneringen: 0 klaargezet" in result.output  # West's is not sent twice
    assert sorted(m["To"] for m in mail_server.messages) == ["kees@example.org", "riet@example.org"]


def _melding_in_the_current_wijk(title: str) -> int:
    """A published signal of the current wijk with a melding waiting for Signalen."""
    theme = db.session.scalar(db.select(Theme).where(Theme.slug == "verkeer"))
    if theme is None:
        theme = Theme(slug="verkeer", name="Verkeer")
        db.session.add(theme)
    author = make_user()
    post = Post(theme=theme, author=author, kind=PostKind.SIGNAL, title=title, body="Een tegel ligt los.",
                status="published", phase=SignalPhase.BEFORE_DECISION, municipal_status=MunicipalStatus.NEW)
    db.session.add(post)
    db.session.flush()
    db.session.add(SignalenMelding(post_id=post.id, sent_by_id=author.id, latitude=52.09, longitude=5.1,
                                   share_contact=False, next_attempt_at=utcnow()))
    db.session.commit()
    return post.id


def test_sync_signalen_uses_each_wijks_signalen_and_a_broken_one_stops_only_its_wijk(app, west, signalen):
    """Vleuten-De Meern uses the install's SIGNALEN_URL; West has one of its own, which is
    wrong (nothing listens there): West's melding waits, Vleuten's is filed."""
    from tests.mailserver import free_port

    vleuten_post = _melding_in_the_current_wijk("Tegel los in De Meern")
    west.signalen_url = f"http://127.0.0.1:{free_port()}"
    db.session.commit()
    west_id = west.id
    with in_wijk(west):
        _melding_in_the_current_wijk("Tegel los in Lombok")

    result = _run(app, "sync-signalen")

    assert result.exit_code == 1
    assert "[vleuten-de-meern] meldingen: 1 verstuurd, 0 niet gelukt" in result.output
    assert "[west] meldingen: 0 verstuurd, 1 niet gelukt" in result.output
    assert "Niet alles gelukt in wijk west" in result.output
    [body] = signalen.valid_posts()
    assert body["text"].startswith("Tegel los in De Meern")
    assert body["text_extra"] == ("Gemeld via het Buurtportaal Vleuten-De Meern: "
                                  f"http://127.0.0.1:5000/berichten/{vleuten_post}")
    with in_wijk(west_id):
        waiting = db.session.scalar(db.select(SignalenMelding))
        assert waiting.sent_at is None and waiting.failed_at is None and waiting.attempts == 1


def test_west_files_with_its_own_category_and_its_own_links(app, west, signalen):
    west.signalen_category = signalen.url + "/signals/v1/public/terms/categories/wegen/sub_categories/stoep"
    db.session.commit()
    with in_wijk(west):
        west_post = _melding_in_the_current_wijk("Tegel los in Lombok")

    result = _run(app, "sync-signalen")

    assert result.exit_code == 0, result.output
    [body] = signalen.valid_posts()
    assert body["category"]["sub_category"].endswith("/categories/wegen/sub_categories/stoep")
    assert body["text_extra"] == f"Gemeld via het Buurtportaal West: http://west.localhost:5000/berichten/{west_post}"


def test_a_wijk_with_its_own_signalen_never_gets_the_installs_category(app, west):
    app.config.update(SIGNALEN_URL="https://signalen.utrecht.example",
                      SIGNALEN_CATEGORY="https://signalen.utrecht.example/categories/overig")
    west.signalen_url = "https://signalen.west.example"
    db.session.commit()
    assert (settings.signalen_url(), settings.signalen_category()) == (
        "https://signalen.utrecht.example", "https://signalen.utrecht.example/categories/overig")
    with in_wijk(west):
        assert settings.signalen_url() == "https://signalen.west.example"
        assert settings.signalen_category() == ""


# --- purge -------------------------------------------------------------------------------


def _closed_long_ago_and_old_mail() -> int:
    """In the current wijk: a help item closed 120 days ago, and a mail sent 40 days ago."""
    circle = make_circle(neighbourhood="Lombok" if settings.wijk_name() == "West" else "Vleuten")
    connector = make_member(circle, role="connector")
    item = make_help_item(circle, connector, on_behalf=("Gerda", "Dorpsstraat"), text="Belt u aan?")
    item.status = HelpStatus.DONE
    db.session.commit()
    db.session.execute(db.update(HelpItem).where(HelpItem.id == item.id)
                       .values(updated_at=utcnow() - timedelta(days=120)))
    outbox.queue_mail("oud@example.org", "Oud", "Tekst.")
    db.session.flush()
    db.session.execute(db.update(OutboxMessage).values(sent_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    return item.id


def test_purge_purges_in_every_wijk(app, west):
    with in_wijk(west):
        db.session.add(Neighbourhood(slug="lombok", name="Lombok", district_id=west.id))
        db.session.commit()
        west_item = _closed_long_ago_and_old_mail()
    vleuten_item = _closed_long_ago_and_old_mail()
    west_id = west.id

    result = _run(app, "purge")

    assert result.exit_code == 0, result.output
    for slug in ("vleuten-de-meern", "west"):
        assert f"[{slug}] Persoonlijke gegevens verwijderd uit 1 afgesloten hulpvragen." in result.output
        assert f"[{slug}] Oude verstuurde e-mail verwijderd: 1." in result.output
    for district_id, item_id in ((west_id, west_item), (FIRST_WIJK, vleuten_item)):
        with in_wijk(district_id):
            item = db.session.get(HelpItem, item_id)
            assert (item.text, item.on_behalf_name) == ("", None)
            assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


# --- The wijk's own settings where the install's were --------------------------------------


def test_the_contact_line_is_the_wijks_own_on_its_pages_and_in_its_mail(app, west):
    app.config["WIJKINFORMATIEPUNT"] = "Wijkinformatiepunt Buren voor Buren, 030 - 000 00 00"
    west.contact_line = "Wijkinformatiepunt West, 030 - 111 11 11"
    db.session.commit()
    visitor = app.test_client()

    vleuten = visitor.get("/privacy").get_data(as_text=True)
    in_west = visitor.get("/privacy", base_url="http://west.localhost").get_data(as_text=True)

    assert "030 - 000 00 00" in vleuten and "030 - 111 11 11" not in vleuten
    assert "030 - 111 11 11" in in_west and "030 - 000 00 00" not in in_west
    assert settings.contact_line() == "Wijkinformatiepunt Buren voor Buren, 030 - 000 00 00"
    with in_wijk(west):
        assert settings.contact_line() == "Wijkinformatiepunt West, 030 - 111 11 11"


def test_a_signal_of_west_goes_to_wests_gemeente_addresses(app, west, mail_server):
    app.config["GEMEENTE_MAIL"] = "wijkbureau-vleuten@utrecht.example"
    west.gemeente_mail = "wijkbureau-west@utrecht.example; groen=groen-west@utrecht.example"
    db.session.commit()
    with in_wijk(west):
        moderator = make_user(role=Role.MODERATOR)
        post_id = _melding_in_the_current_wijk("Losse tegel Kanaalstraat")
        post = db.session.get(Post, post_id)
        change = gemeente_signals.set_status(post, MunicipalStatus.FORWARDED, actor=moderator)
        db.session.commit()
        assert change.forwarded_to == ["wijkbureau-west@utrecht.example"]
        assert gemeente_signals.gemeente_addresses("groen") == ["groen-west@utrecht.example"]
    assert gemeente_signals.gemeente_addresses("groen") == ["wijkbureau-vleuten@utrecht.example"]

    assert _run(app, "send-mail").exit_code == 0
    [mail] = mail_server.to("wijkbureau-west@utrecht.example")
    assert mail["Subject"] == "Signaal uit West: Losse tegel Kanaalstraat"
    assert mail["From"] == "Buurtportaal West <noreply@example.org>"
    assert "Vleuten" not in _text(mail)
    assert all(link.startswith("http://west.localhost:5000/") for link in _links(mail))
    assert mail_server.to("wijkbureau-vleuten@utrecht.example") == []


# --- The pieces --------------------------------------------------------------------------


def test_links_are_on_the_wijks_host_and_the_default_wijk_keeps_public_url(app, west):
    assert public_url("pages.privacy") == "http://127.0.0.1:5000/privacy"
    with in_wijk(west):
        assert public_url("pages.privacy") == "http://west.localhost:5000/privacy"
    app.config["PUBLIC_URL"] = "https://wijkplatform.example/portaal/"
    west.host = "west.wijkplatform.example"
    db.session.commit()
    assert public_url("pages.privacy") == "https://wijkplatform.example/portaal/privacy"
    with in_wijk(west):
        assert public_url("pages.privacy") == "https://west.wijkplatform.example/portaal/privacy"


@pytest.mark.parametrize(("mail_from", "west_sends_as"), [
    (MAIL_FROM, "Buurtportaal West <noreply@example.org>"),
    ("Wijkplatforms Utrecht <noreply@utrecht.example>",
     "Wijkplatforms Utrecht West <noreply@utrecht.example>"),
    ("noreply@utrecht.example", "Buurtportaal West <noreply@utrecht.example>"),
])
def test_the_sender_of_a_wijk_without_a_name_of_its_own(app, west, mail_from, west_sends_as):
    app.config["MAIL_FROM"] = mail_from
    assert settings.mail_from() == mail_from
    with in_wijk(west):
        assert settings.mail_from() == west_sends_as


def test_for_each_wijk_commits_each_wijk_and_rolls_back_only_the_one_that_fails(app, west, caplog):
    def job():
        outbox.queue_mail("iemand@example.org", settings.wijk_name(), "Tekst.")
        if settings.wijk_name() == "West":
            raise ValueError("West breekt")
        return "klaar"

    results = for_each_wijk(job)

    assert results["vleuten-de-meern"] == "klaar" and isinstance(results["west"], ValueError)
    assert [m.subject for m in _outbox_of(FIRST_WIJK)] == ["Vleuten-De Meern"]
    assert _outbox_of(db.session.scalar(db.select(District.id).where(District.slug == "west"))) == []
    assert "Taak mislukt in wijk west" in caplog.text
