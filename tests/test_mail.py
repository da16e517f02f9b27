"""Mail: what arrives at a real SMTP server (aiosmtpd on loopback), preferences, and the
one-click unsubscribe (RFC 8058) without a session."""

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from portal.cron import run_daily_mail
from portal.dates import to_utc
from portal.events import service
from portal.extensions import db
from portal.mail import build_message, deliver
from portal.models import NotificationPreference, Registration
from portal.notifications.service import (
    MailKind,
    notify,
    preferences_for,
    unsubscribe_token,
    unsubscribe_url,
    user_from_token,
    users_with_help_item_mode,
    wants_mail,
)
from tests.conftest import FIRST_WIJK, login
from tests.factories import make_event, make_registration, make_user

pytest_plugins = ["tests.mailserver"]  # mail_server, mail_server_down, mail_server_with_login

# --- the transport ----------------------------------------------------------------------------


def test_message_has_a_plain_text_part_and_an_optional_html_alternative(app):
    plain = build_message("riet@example.org", "Hallo", "Gewone tekst.")
    assert plain.get_content_type() == "text/plain"
    assert plain["List-Unsubscribe"] is None

    both = build_message("riet@example.org", "Hallo", "Gewone tekst.", html="<p>Opgemaakt</p>",
                         unsubscribe_url="https://portaal.example/afmelden/x/y")
    assert both.get_content_type() == "multipart/alternative"
    assert both.get_body(("plain",)).get_content().strip() == "Gewone tekst."
    assert "<p>Opgemaakt</p>" in both.get_body(("html",)).get_content()
    assert both["List-Unsubscribe"] == "<https://portaal.example/afmelden/x/y>"
    assert both["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert both["From"] == app.config["MAIL_FROM"]
    assert both["Message-ID"] and both["Date"]


def test_without_smtp_host_mail_is_printed_to_the_console(app, capsys):
    app.config["SMTP_HOST"] = ""
    deliver(build_message("riet@example.org", "Proefbericht", "Dit is een proef met één é."))
    out = capsys.readouterr().out
    assert "Subject: Proefbericht" in out
    assert "To: riet@example.org" in out


def test_a_delivered_message_arrives_at_the_smtp_server(app, mail_server):
    deliver(build_message("riet@example.org", "Welkom in de buurt", "Beste Riet,\n\nFijn dat u er bent.",
                          html="<p>Beste Riet,</p>", unsubscribe_url="http://127.0.0.1:5000/afmelden/a/b"))
    [message] = mail_server.messages
    assert mail_server.envelopes == [("noreply@example.org", ["riet@example.org"])]
    assert message["Subject"] == "Welkom in de buurt"
    assert message["To"] == "riet@example.org"
    assert "Fijn dat u er bent." in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:5000/afmelden/a/b>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_with_user_and_password(app, mail_server_with_login):
    deliver(build_message("riet@example.org", "Met inloggen", "Tekst."))
    assert mail_server_with_login.logins == ["portal"]
    assert len(mail_server_with_login.messages) == 1


# --- notifications and preferences ---------------------------------------------------------


def test_notify_adds_the_unsubscribe_link_and_headers(app, mail_server):
    user = make_user(name="Riet van Dijk", email="riet@example.org")
    assert notify(user, MailKind.HELP_ITEMS, "Iemand reageerde op uw hulpvraag", "Kees wil helpen.")
    assert mail_server.messages == []  # only queued: it goes out after the commit
    db.session.commit()
    mail_server.deliver()
    [message] = mail_server.messages
    # On the wire exactly as RFC 8058 wants it: one line, the address in angle brackets (not
    # folded into an RFC 2047 encoded word, which is what Python does by default).
    [raw] = mail_server.raw
    link = unsubscribe_url(user, MailKind.HELP_ITEMS)
    assert f"\r\nList-Unsubscribe: <{link}>\r\n".encode() in raw
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    text = message.get_body(("plain",)).get_content()
    link = message["List-Unsubscribe"].strip("<>")
    assert link == unsubscribe_url(user, MailKind.HELP_ITEMS)
    assert link.startswith("http://127.0.0.1:5000/afmelden/hulpvragen/")
    assert link in text
    assert "Kees wil helpen." in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_notify_respects_the_preference(app, mail_server):
    user = make_user()
    db.session.add(NotificationPreference(user_id=user.id, help_items="never", event_reminders=False,
                                          moderation=True))
    db.session.commit()
    assert not notify(user, MailKind.HELP_ITEMS, "x", "x")
    assert not notify(user, MailKind.EVENT_REMINDERS, "x", "x")
    assert notify(user, MailKind.MODERATION, "Besluit", "x")
    mail_server.deliver()
    assert [m["Subject"] for m in mail_server.messages] == ["Besluit"]


def test_defaults_without_a_row_are_daily_digest_and_everything_on(app):
    user = make_user()
    preference = preferences_for(user)
    assert (preference.help_items, preference.event_reminders, preference.moderation) == ("daily", True, True)
    assert all(wants_mail(user, kind) for kind in MailKind)
    assert db.session.get(NotificationPreference, (user.id, FIRST_WIJK)) is None  # nothing written by reading


def test_users_with_help_item_mode_treats_a_missing_row_as_daily(app):
    default, direct, never = make_user(), make_user(), make_user()
    db.session.add_all([
        NotificationPreference(user_id=direct.id, help_items="direct"),
        NotificationPreference(user_id=never.id, help_items="never"),
    ])
    db.session.commit()
    ids = [default.id, direct.id, never.id]
    from portal.models import HelpItemMail

    assert users_with_help_item_mode(ids, HelpItemMail.DAILY) == [default]
    assert users_with_help_item_mode(ids, HelpItemMail.DIRECT) == [direct]
    assert users_with_help_item_mode([], HelpItemMail.DAILY) == []


# --- unsubscribe links ---------------------------------------------------------------------


def _path(url: str) -> str:
    return urlsplit(url).path


def test_one_click_unsubscribe_from_a_received_mail_needs_no_session_and_no_csrf_token(
        app, client, mail_server):
    user = make_user(email="riet@example.org")
    notify(user, MailKind.EVENT_REMINDERS, "Morgen: koffieochtend", "Tot morgen.")
    mail_server.deliver()
    link = mail_server.messages[0]["List-Unsubscribe"].strip("<>")

    # What a mail provider does (RFC 8058): a bare POST, no cookies, no CSRF token.
    response = client.post(_path(link), data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert response.status_code == 200
    assert "E-mail uitgezet" in response.get_data(as_text=True)
    assert not wants_mail(user, MailKind.EVENT_REMINDERS)
    assert wants_mail(user, MailKind.HELP_ITEMS)  # only this kind

    assert not notify(user, MailKind.EVENT_REMINDERS, "Nog een", "x")
    mail_server.deliver()
    assert len(mail_server.messages) == 1


def test_csrf_stays_on_for_everything_else(app, client):
    login(client, make_user())
    response = client.post("/account/meldingen", data={"help_items": "never"}, csrf=False)
    assert response.status_code == 400


def test_the_link_opens_a_page_with_a_button_and_changes_nothing_by_itself(app, client):
    user = make_user()
    url = unsubscribe_url(user, MailKind.HELP_ITEMS)
    page = client.get(_path(url))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ja, zet deze e-mail uit" in html
    assert wants_mail(user, MailKind.HELP_ITEMS)  # link scanners only GET

    done = client.post(_path(url))  # the button, with its form's token
    assert done.status_code == 200
    assert preferences_for(user).help_items == "never"


def test_a_token_works_for_one_kind_and_one_address_only(app, client):
    user = make_user(email="riet@example.org")
    token = unsubscribe_token(user, MailKind.EVENT_REMINDERS)
    assert user_from_token(MailKind.EVENT_REMINDERS, token) == user
    assert user_from_token(MailKind.HELP_ITEMS, token) is None  # salt per kind
    assert user_from_token(MailKind.EVENT_REMINDERS, token[:-2] + "xx") is None

    response = client.post(f"/afmelden/hulpvragen/{token}", csrf=False)
    assert response.status_code == 404
    assert "Deze link werkt niet" in response.get_data(as_text=True)
    assert client.post("/afmelden/onbekend/abc", csrf=False).status_code == 404

    user.email = "riet.nieuw@example.org"
    db.session.commit()
    assert user_from_token(MailKind.EVENT_REMINDERS, token) is None
    assert wants_mail(user, MailKind.EVENT_REMINDERS)


def test_preferences_on_the_account_page(app, client):
    user = make_user()
    login(client, user)
    account = client.get("/account").get_data(as_text=True)
    assert "E-mail van het portaal" in account
    assert "één keer per dag een overzicht" in account
    page = client.get("/account/meldingen")
    assert page.status_code == 200
    assert re.search(r'<input checked[^>]*value="daily"', page.get_data(as_text=True))

    response = client.post("/account/meldingen", data={"help_items": "direct", "moderation": "y"})
    assert response.status_code == 303
    preference = preferences_for(user)
    assert (preference.help_items, preference.event_reminders, preference.moderation) == (
        "direct", False, True)
    assert "Uw e-mailinstellingen zijn opgeslagen." in client.get("/account").get_data(as_text=True)


def test_preferences_form_refuses_an_unknown_choice(app, client):
    login(client, make_user())
    response = client.post("/account/meldingen", data={"help_items": "elk-uur"})
    assert response.status_code == 422
    assert 'id="help_items-error"' in response.get_data(as_text=True)


# --- reminders ---------------------------------------------------------------------------


def _tomorrow_at(now_utc: datetime, hour: int, minute: int = 0) -> datetime:
    """Naive UTC for tomorrow (Amsterdam) at hour:minute Amsterdam time."""
    from portal.dates import local_today

    day = local_today(now_utc) + timedelta(days=1)
    return to_utc(datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute))


def test_reminders_go_to_confirmed_people_for_tomorrow_once(app, mail_server):
    now = datetime(2027, 3, 27, 9, 0)  # Saturday morning; tomorrow the clocks go forward
    riet, kees, wachtend, stil = (make_user(name=n) for n in ("Riet", "Kees", "Wachtend", "Stil"))
    event = make_event("Koffieochtend", starts_at=_tomorrow_at(now, 10), capacity=3)
    make_registration(event, riet)
    make_registration(event, kees)
    make_registration(event, wachtend, status="waiting")
    make_registration(event, stil)
    make_registration(event, guest_name="Mevrouw Jansen")  # no address: no mail
    db.session.add(NotificationPreference(user_id=stil.id, event_reminders=False))
    db.session.commit()

    assert service.send_reminders(now=now) == 2
    assert mail_server.deliver(now).sent == 2
    assert sorted(m["To"] for m in mail_server.messages) == sorted([riet.email, kees.email])
    message = mail_server.to(riet.email)[0]
    text = message.get_body(("plain",)).get_content()
    assert message["Subject"] == "Morgen: Koffieochtend"
    assert re.search(r"zondag 28 maart( 2027)?, 10\.00 tot 12\.00 uur", text)  # summer time
    assert "De Pijler" in text
    assert message["List-Unsubscribe"].strip("<>").startswith("http://127.0.0.1:5000/afmelden/herinneringen/")

    assert service.send_reminders(now=now) == 0
    mail_server.deliver(now)
    assert len(mail_server.messages) == 2


def test_tomorrow_means_the_amsterdam_calendar_day(app, mail_server):
    now = datetime(2027, 10, 30, 21, 30)  # 23.30 in Amsterdam (summer time) on Saturday 30 October
    riet = make_user()
    # Sunday 31 October (the clocks go back, a 25-hour day) 00.15 and 23.45: both tomorrow.
    early = make_event("Vroeg", starts_at=to_utc(datetime(2027, 10, 31, 0, 15)))
    late = make_event("Laat", starts_at=to_utc(datetime(2027, 10, 31, 23, 45)))
    # Saturday 23.45 (today) and Monday 00.15 (the day after tomorrow): not tomorrow.
    today = make_event("Vandaag", starts_at=to_utc(datetime(2027, 10, 30, 23, 45)))
    after = make_event("Overmorgen", starts_at=to_utc(datetime(2027, 11, 1, 0, 15)))
    for event in (early, late, today, after):
        make_registration(event, riet)

    assert service.send_reminders(now=now) == 2
    mail_server.deliver(now)
    assert sorted(m["Subject"] for m in mail_server.messages) == ["Morgen: Laat", "Morgen: Vroeg"]


def test_a_refused_reminder_is_tried_again_by_the_outbox(app, mail_server):
    riet = make_user()
    now = datetime(2027, 6, 1, 8, 0)
    registration = make_registration(make_event(starts_at=_tomorrow_at(now, 15, 30)), riet)
    mail_server.refuse = True
    assert service.send_reminders(now=now) == 1
    db.session.commit()
    report = mail_server.deliver(now)
    assert (report.sent, report.failed) == (0, 1)
    assert db.session.get(Registration, registration.id).reminded_at == now  # queued: done here

    mail_server.refuse = False
    assert service.send_reminders(now=now) == 0  # not queued twice
    assert mail_server.deliver(now).sent == 0  # the outbox waits before it tries again
    assert mail_server.deliver(now + timedelta(minutes=1)).sent == 1
    assert len(mail_server.messages) == 1


def test_send_reminders_and_send_digests_commands(app, mail_server):
    from portal.models.base import utcnow

    riet = make_user()
    make_registration(make_event("Wijkdialoog", starts_at=_tomorrow_at(utcnow(), 19, 30)), riet)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "herinneringen: 1 klaargezet" in result.output and "e-mail: 1 verstuurd" in result.output
    result = runner.invoke(args=["send-reminders"])
    assert "herinneringen: 0 klaargezet" in result.output
    assert [m["Subject"] for m in mail_server.messages] == ["Morgen: Wijkdialoog"]


def test_send_digests_fails_loudly_when_mail_cannot_go_out(app, mail_server_down):
    from portal.models.base import utcnow

    make_registration(make_event(starts_at=_tomorrow_at(utcnow(), 10)), make_user())
    result = app.test_cli_runner().invoke(args=["send-digests"])
    assert result.exit_code == 1
    assert "1 mislukt" in result.output


def test_run_daily_mail_reports_each_job(app):
    assert run_daily_mail(now=datetime(2027, 1, 1, 6, 0)) == {
        "herinneringen": 0, "hulpvragen": 0, "overzicht van wat men volgt": 0,
        "wachtende hulpvragen (verbinders)": 0,
        "wachtende hulpvragen (coördinatoren)": 0, "is het gelukt?": 0, "stille groepen (trekkers)": 0,
    }


# --- a seat comes free ---------------------------------------------------------------------


def test_moving_up_from_the_waiting_list_is_mailed(app, mail_server):
    riet, kees = make_user(name="Riet"), make_user(name="Kees", email="kees@example.org")
    event = make_event("Rondleiding Castellum", capacity=1)
    service.sign_up(event.id, riet)
    service.sign_up(event.id, kees)
    service.cancel(event.id, riet)
    db.session.commit()
    mail_server.deliver()
    [message] = mail_server.messages
    assert message["To"] == "kees@example.org"
    assert message["Subject"] == "Er is een plaats vrij voor u: Rondleiding Castellum"
    assert "u bent nu aangemeld" in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_failing_mail_server_does_not_undo_the_move_up(app, mail_server_down):
    riet, kees = make_user(), make_user()
    event = make_event(capacity=1)
    service.sign_up(event.id, riet)
    waiting = service.sign_up(event.id, kees).registration
    result = service.cancel(event.id, riet)
    assert [r.id for r in result.promoted] == [waiting.id]
    assert db.session.get(Registration, waiting.id).status == "confirmed"
