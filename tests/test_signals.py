"""Signals reach the gemeente and come back (issue 16, items 1-4), against a real SMTP server:
forwarding to GEMEENTE_MAIL with a signed answer link, the answer page without account or
cookie, mail to author, supporters and followers, Volgen, the figures on /signalen and their
Atom feed, and paper cards typed in namens a resident."""

import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest

from portal.board import gemeente_signals
from portal.extensions import db
from portal.models import Circle, Decision, Membership, MunicipalStatus, Post, PostKind, Role, Verdict
from portal.models.base import utcnow
from portal.notifications.service import set_pace
from tests.conftest import htmx_headers, login
from tests.factories import (
    make_circle,
    make_member,
    make_neighbourhood,
    make_post,
    make_reply,
    make_support,
    make_user,
)

pytest_plugins = ["tests.mailserver"]  # mail_server

GEMEENTE = "wijkbureau@utrecht.example"
ANSWER_LINK = re.compile(r"http://[^/\s]+(/signalen/antwoord/[A-Za-z0-9_.\-]+)")


def html(response) -> str:
    return response.get_data(as_text=True)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def gemeente(app):
    app.config["GEMEENTE_MAIL"] = f"{GEMEENTE}; groen=groen@utrecht.example, bomen@utrecht.example"
    return GEMEENTE


@pytest.fixture
def people(app):
    bewoner = make_user(name="Bea Bewoner", email="bewoner@example.org")
    supporters = [make_user(name=f"Steun {n}", email=f"steun{n}@example.org") for n in (1, 2)]
    moderator = make_user(name="Mo Derator", email="moderator@example.org", role=Role.MODERATOR)
    return bewoner, supporters, moderator


def _signal(bewoner, supporters, **fields):
    place = make_neighbourhood("De Meern")
    signal = make_post(bewoner, kind=PostKind.SIGNAL, title="Losse stoeptegel Castellumlaan",
                       body="Bij nummer 12 ligt een tegel los. Ouderen struikelen erover.",
                       neighbourhood=place, **fields)
    for person in supporters:
        make_support(signal, person)
    return signal


def test_forwarded_signal_goes_to_the_gemeente_and_its_answer_comes_back(app, client, mail_server, gemeente,
                                                                          people):
    bewoner, supporters, moderator = people
    signal = _signal(bewoner, supporters)
    login(client, moderator)
    response = client.post(f"/berichten/{signal.id}/gemeente",
                           data={"municipal_status": "doorgestuurd", "answer": ""})
    assert response.status_code == 303
    flashed = html(client.get(f"/berichten/{signal.id}"))
    assert f"Het signaal is gemaild naar {GEMEENTE}." in flashed
    assert "3 bewoners krijgen hiervan bericht." in flashed
    mail_server.deliver()

    [to_gemeente] = mail_server.to(GEMEENTE)
    assert mail_server.to("groen@utrecht.example") == []  # verkeer has no addresses of its own
    body = text_of(to_gemeente)
    assert "Losse stoeptegel Castellumlaan" in body and "Bij nummer 12 ligt een tegel los." in body
    assert "Buurt: De Meern" in body and "Steun van bewoners: 2 personen" in body
    assert to_gemeente["List-Unsubscribe"] is None  # a mailbox of the gemeente, not a subscriber
    path = ANSWER_LINK.search(body).group(1)

    # The gemeente follows the link: no account, no cookie, no CSRF token.
    gemeente_browser = app.test_client(use_cookies=False)
    page = gemeente_browser.get(path)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "Losse stoeptegel Castellumlaan" in html(page) and 'name="answer"' in html(page)
    assert 'name="csrf_token"' not in html(page)
    empty = gemeente_browser.post(path, data={"answer": "", "municipal_status": "beantwoord"}, csrf=False)
    assert empty.status_code == 422 and "Schrijf uw antwoord op." in html(empty)
    saved = gemeente_browser.post(path, csrf=False, data={
        "answer": "Dank u. De tegel wordt deze week vastgelegd.", "municipal_status": "beantwoord"})
    assert saved.status_code == 303 and "Set-Cookie" not in saved.headers
    thanks = gemeente_browser.get(saved.location)
    assert "Dank u wel. Uw antwoord staat nu bij het signaal." in html(thanks)
    assert "Set-Cookie" not in thanks.headers

    visitor = app.test_client()
    shown = html(visitor.get(f"/berichten/{signal.id}"))
    assert "Antwoord van de gemeente</h3>" in shown and "De tegel wordt deze week vastgelegd." in shown
    assert '<li aria-current="step">Beantwoord door de gemeente</li>' in shown
    assert "Beantwoord op" in shown

    mail_server.deliver()
    assert len(mail_server.to(GEMEENTE)) == 1  # exactly one mail reached the gemeente
    for person in (bewoner, *supporters):
        forwarded, answered = mail_server.to(person.email)  # one mail per status change
        assert "Doorgestuurd naar de gemeente" in text_of(forwarded)
        assert answered["Subject"] == "De gemeente antwoordde op: Losse stoeptegel Castellumlaan"
        assert "De tegel wordt deze week vastgelegd." in text_of(answered)
        assert answered["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "omdat u dit signaal plaatste" in text_of(mail_server.to(bewoner.email)[0])
    assert "omdat u dit signaal steunt" in text_of(mail_server.to(supporters[0].email)[0])
    assert mail_server.to(moderator.email) == []  # who made the change is not told of it
    db.session.expire_all()
    stored = db.session.get(Post, signal.id)
    assert stored.forwarded_at is not None and stored.answered_at >= stored.forwarded_at


def test_a_theme_with_its_own_addresses_mails_each_of_them(client, mail_server, gemeente, people):
    bewoner, _supporters, moderator = people
    signal = make_post(bewoner, "groen", kind=PostKind.SIGNAL, title="Dode boom")
    login(client, moderator)
    client.post(f"/berichten/{signal.id}/gemeente", data={"municipal_status": "doorgestuurd", "answer": ""})
    client.post(f"/berichten/{signal.id}/gemeente", data={"municipal_status": "doorgestuurd", "answer": ""})
    mail_server.deliver()
    assert [len(mail_server.to(a)) for a in ("groen@utrecht.example", "bomen@utrecht.example", GEMEENTE)] \
        == [1, 1, 0]  # saving the same status again sends nothing
    assert len(mail_server.to(bewoner.email)) == 1


def test_gemeente_mail_setting_is_read_per_theme():
    assert gemeente_signals.parse_gemeente_mail("a@x.nl; verkeer=b@x.nl, c@x.nl ;Groen = d@x.nl") == {
        "": ["a@x.nl"], "verkeer": ["b@x.nl", "c@x.nl"], "groen": ["d@x.nl"]}
    assert gemeente_signals.parse_gemeente_mail("") == {}
    assert gemeente_signals.parse_gemeente_mail("geen adres") == {}


def test_without_gemeente_mail_the_moderator_is_told_to_forward_it_himself(client, mail_server, people):
    bewoner, _supporters, moderator = people
    signal = make_post(bewoner, kind=PostKind.SIGNAL)
    login(client, moderator)
    response = client.post(f"/berichten/{signal.id}/gemeente", headers=htmx_headers(),
                           data={"municipal_status": "doorgestuurd", "answer": ""})
    assert "Er is geen e-mailadres van de gemeente ingesteld" in html(response)
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == [bewoner.email]


def test_a_tampered_link_is_a_kind_404_and_an_old_one_a_kind_410(app, people):
    bewoner, supporters, _moderator = people
    signal = _signal(bewoner, supporters)
    browser = app.test_client(use_cookies=False)
    token = gemeente_signals.answer_token(signal)
    assert browser.get(f"/signalen/antwoord/{token}").status_code == 200
    tampered = browser.get(f"/signalen/antwoord/{token[:-2]}xx")
    assert tampered.status_code == 404 and "Deze link werkt niet" in html(tampered)
    assert browser.post(f"/signalen/antwoord/{token[:-2]}xx", csrf=False,
                        data={"answer": "x", "municipal_status": "beantwoord"}).status_code == 404
    old = gemeente_signals.answer_token(signal, issued_at=utcnow() - timedelta(days=61))
    expired = browser.get(f"/signalen/antwoord/{old}")
    assert expired.status_code == 410 and "Deze link is verlopen" in html(expired)
    fresh_enough = gemeente_signals.answer_token(signal, issued_at=utcnow() - timedelta(days=59))
    assert browser.get(f"/signalen/antwoord/{fresh_enough}").status_code == 200
    idea = make_post(bewoner)  # a link is for a signal only
    assert browser.get(f"/signalen/antwoord/{gemeente_signals.answer_token(idea)}").status_code == 404
    assert db.session.get(Post, signal.id).municipal_answer is None


def test_an_interim_answer_keeps_the_signal_in_progress(app, mail_server, people):
    bewoner, supporters, _moderator = people
    signal = _signal(bewoner, supporters, municipal_status=MunicipalStatus.FORWARDED)
    browser = app.test_client(use_cookies=False)
    path = f"/signalen/antwoord/{gemeente_signals.answer_token(signal)}"
    browser.post(path, csrf=False, data={"answer": "We kijken ernaar.", "municipal_status": "in_behandeling"})
    db.session.expire_all()
    stored = db.session.get(Post, signal.id)
    assert (stored.municipal_status, stored.municipal_answer) == ("in_behandeling", "We kijken ernaar.")
    mail_server.deliver()
    [mail] = mail_server.to(bewoner.email)  # a new status and an answer: one mail
    assert "In behandeling bij de gemeente" in text_of(mail) and "We kijken ernaar." in text_of(mail)


def test_a_moderator_corrects_and_hides_the_answer_and_both_are_logged(app, client, mail_server, people):
    bewoner, supporters, moderator = people
    signal = _signal(bewoner, supporters, municipal_status=MunicipalStatus.ANSWERED,
                     municipal_answer="Bel 06-12345678 voor vragen.", answered_at=utcnow())
    login(client, moderator)
    client.post(f"/berichten/{signal.id}/gemeente",
                data={"municipal_status": "beantwoord", "answer": "Bel 14 030 voor vragen."})
    empty_reason = client.post(f"/berichten/{signal.id}/gemeente/antwoord", data={"actie": "verbergen"})
    assert empty_reason.status_code == 422 and "Schrijf op waarom" in html(empty_reason)
    hidden = client.post(f"/berichten/{signal.id}/gemeente/antwoord", headers=htmx_headers(),
                         data={"actie": "verbergen", "reason": "Wacht op een nieuw antwoord."})
    assert "Antwoord van de gemeente (verborgen)" in html(hidden)
    visitor = app.test_client()
    page = html(visitor.get(f"/berichten/{signal.id}"))
    assert "14 030" not in page and "Antwoord van de gemeente" not in page
    assert "Losse stoeptegel" not in html(visitor.get("/signalen.atom"))
    client.post(f"/berichten/{signal.id}/gemeente/antwoord", data={"actie": "tonen"})
    assert "Bel 14 030 voor vragen." in html(visitor.get(f"/berichten/{signal.id}"))

    log = list(db.session.scalars(db.select(Decision).order_by(Decision.id)))
    assert [d.verdict for d in log] == [Verdict.ANSWER_CORRECTED, Verdict.ANSWER_HIDDEN, Verdict.ANSWER_SHOWN]
    assert "06-12345678" in log[0].reason and log[1].reason == "Wacht op een nieuw antwoord."
    assert all(d.moderator_id == moderator.id for d in log)
    assert "Antwoord van de gemeente gecorrigeerd" in html(client.get("/moderatie/logboek"))
    mail_server.deliver()
    assert mail_server.messages == []  # corrections and hiding tell nobody


def test_residents_cannot_hide_an_answer(client, people):
    bewoner, supporters, _moderator = people
    signal = _signal(bewoner, supporters, municipal_status=MunicipalStatus.ANSWERED,
                     municipal_answer="Ja.", answered_at=utcnow())
    login(client, bewoner)
    response = client.post(f"/berichten/{signal.id}/gemeente/antwoord",
                           data={"actie": "verbergen", "reason": "Niet leuk"})
    assert response.status_code == 403


# --- Volgen ---------------------------------------------------------------------------------


def test_a_follower_gets_replies_and_can_stop(client, mail_server, people):
    """With ``direct`` (the pace of everyone who followed before issue 27): each reply at once."""
    bewoner, (volger, schrijver), _moderator = people
    set_pace(volger, "direct")
    db.session.commit()
    idea = make_post(bewoner, title="Bankje bij de vijver")
    login(client, volger)
    assert '<button type="submit" id="volg-knop"' in html(client.get(f"/berichten/{idea.id}"))
    response = client.post(f"/berichten/{idea.id}/volgen", data={"actie": "volgen"})
    assert response.status_code == 303 and response.location.endswith("#volgen")
    assert "Niet meer volgen" in html(client.get(f"/berichten/{idea.id}"))
    again = client.post(f"/berichten/{idea.id}/volgen", data={"actie": "volgen"}, headers=htmx_headers())
    assert "U volgde dit bericht al." in html(again) and '<div id="volgen"' in html(again)
    client.post("/uitloggen")

    login(client, schrijver)
    client.post(f"/berichten/{idea.id}/reageren", data={"reply": "Goed plan, met een prullenbak erbij."})
    mail_server.deliver()
    [mail] = mail_server.messages
    assert mail["To"] == volger.email and mail["Subject"] == "Nieuwe reactie op: Bankje bij de vijver"
    assert "met een prullenbak erbij" in text_of(mail)
    client.post("/uitloggen")

    login(client, volger)
    client.post(f"/berichten/{idea.id}/reageren", data={"reply": "Mijn eigen reactie."})  # not mailed to me
    stopped = client.post(f"/berichten/{idea.id}/volgen", data={"actie": "ontvolgen"}, headers=htmx_headers())
    assert "U volgt dit bericht niet meer." in html(stopped) and ">Volgen</button>" in html(stopped)
    make_reply(idea, schrijver)
    mail_server.deliver()
    assert len(mail_server.messages) == 1


def test_a_follower_of_a_signal_hears_the_answer_unless_switched_off(app, client, mail_server, people):
    bewoner, (volger, _other), _moderator = people
    set_pace(volger, "direct")
    db.session.commit()
    signal = make_post(bewoner, kind=PostKind.SIGNAL, municipal_status=MunicipalStatus.FORWARDED)
    login(client, volger)
    client.post(f"/berichten/{signal.id}/volgen", data={"actie": "volgen"})
    path = f"/signalen/antwoord/{gemeente_signals.answer_token(signal)}"
    app.test_client(use_cookies=False).post(path, csrf=False,
                                            data={"answer": "Komt goed.", "municipal_status": "beantwoord"})
    mail_server.deliver()
    [mail] = mail_server.to(volger.email)
    assert "omdat u dit volgt" in text_of(mail) and "Komt goed." in text_of(mail)
    assert mail["Subject"].startswith("De gemeente antwoordde op:")
    unsubscribe = re.search(r"http://[^/\s]+(/afmelden/volgen/\S+)", text_of(mail)).group(1)
    assert app.test_client().post(unsubscribe, csrf=False).status_code == 200  # one click
    assert "Thema's, groepen en berichten die u volgt: nooit" in html(client.get("/account"))
    gemeente_signals.set_status(db.session.get(Post, signal.id), "in_behandeling")
    db.session.commit()
    mail_server.deliver()
    assert len(mail_server.to(volger.email)) == 1 and len(mail_server.to(bewoner.email)) == 2


def test_the_mail_settings_have_their_own_switch(client, people):
    bewoner, _supporters, _moderator = people
    login(client, bewoner)
    page = html(client.get("/account/meldingen"))
    assert 'name="post_updates"' in page
    client.post("/account/meldingen", data={"help_items": "daily", "digest": "wekelijks",
                                            "digest_weekday": "0", "event_reminders": "y", "moderation": "y"})
    assert "Nieuws over uw signalen aan de gemeente: uit" in html(client.get("/account"))


def test_visitors_see_no_follow_button(client, people):
    idea = make_post(people[0])
    assert "volg-knop" not in html(client.get(f"/berichten/{idea.id}"))
    assert client.post(f"/berichten/{idea.id}/volgen").status_code in (302, 303)  # to the sign-in page


# --- /signalen: counts and the median -----------------------------------------------------


def _answered(theme_slug, days, place=None, hidden=False, title=None):
    """A signal forwarded 30 days ago and answered ``days`` later."""
    forwarded = utcnow() - timedelta(days=30)
    post = make_post(make_user(), theme_slug, kind=PostKind.SIGNAL, minutes_ago=60 * 24 * 40,
                     neighbourhood=place, title=title, municipal_status=MunicipalStatus.ANSWERED,
                     municipal_answer=f"Antwoord na {days} dagen.",
                     answered_at=forwarded + timedelta(days=days))
    post.forwarded_at = forwarded
    post.answer_hidden = hidden
    db.session.commit()
    return post


def _row(page: str, name: str) -> list[str]:
    row = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row)


def test_signalen_counts_per_theme_and_the_median_days_to_answer(client):
    vleuten, meern = make_neighbourhood("Vleuten"), make_neighbourhood("De Meern")
    for days in (2, 4, 10):
        _answered("verkeer", days, vleuten)
    _answered("groen", 1, meern)
    _answered("groen", 4, meern, hidden=True)  # hidden answers still count, but are not listed
    # Never forwarded: counted from the day it was posted (40 days before, answered after 12).
    never = make_post(make_user(), "groen", kind=PostKind.SIGNAL, minutes_ago=60 * 24 * 40,
                      neighbourhood=meern,
                      municipal_status=MunicipalStatus.ANSWERED, municipal_answer="Ja.",
                      answered_at=utcnow() - timedelta(days=28))
    for status, n in (("nieuw", 2), ("doorgestuurd", 1), ("in_behandeling", 3)):
        for _ in range(n):
            make_post(make_user(), "verkeer", kind=PostKind.SIGNAL, municipal_status=status,
                      neighbourhood=vleuten)
    make_post(make_user(), "verkeer", kind=PostKind.SIGNAL, status="hidden")  # not counted
    make_post(make_user(), "groen", title="Een idee, geen signaal")

    page = html(client.get("/signalen"))
    assert _row(page, "Verkeer") == ["2", "1", "3", "3", "4"]
    assert _row(page, "Groen") == ["0", "0", "0", "3", "4"]  # 1, 4 and 12 days
    assert _row(page, "Alle thema&#39;s") == ["2", "1", "3", "6", "4"]  # 1, 2, 4, 4, 10, 12
    assert "Wonen</th>" not in page  # a theme without signals has no row
    assert f'/berichten/{never.id}#antwoord"' in page
    assert "Antwoord na 4 dagen" not in page and "Antwoord na 2 dagen" not in page  # titles only

    in_meern = html(client.get("/signalen?buurt=de-meern"))
    assert "Verkeer</th>" not in in_meern
    assert _row(in_meern, "Groen") == ["0", "0", "0", "3", "4"]
    assert "Per thema in De Meern" in in_meern
    groen_only = gemeente_signals.overview(meern.id)
    assert groen_only.total.days == pytest.approx([1, 4, 12], abs=0.01)
    assert len(groen_only.answered) == 2  # the hidden answer is not linked
    with_status = html(client.get("/signalen?status=in_behandeling&buurt=vleuten"))
    assert "3 signalen" in with_status


def test_the_median_is_shown_to_half_a_day(client):
    _answered("verkeer", 2)
    _answered("verkeer", 5)
    assert _row(html(client.get("/signalen")), "Verkeer")[-1] == "3,5"


def test_the_figures_are_counted_once_per_change_for_everyone_signed_in(client, count_queries):
    """Signed in, /signalen is rendered for the person, but its figures (which count every
    signal) are kept until a change; a new answer shows at once."""
    _answered("verkeer", 2)
    login(client, make_user())
    grouped = [q for q in count_queries(client, "/signalen") if "GROUP BY" in q]
    assert len(grouped) == 1
    assert not [q for q in count_queries(client, "/signalen") if "GROUP BY" in q]  # kept
    _answered("verkeer", 5)  # a change empties what was kept
    assert _row(html(client.get("/signalen")), "Verkeer")[-1] == "3,5"


def test_signalen_without_signals_says_so(client):
    page = html(client.get("/signalen"))
    assert "Er zijn nog geen signalen." in page
    assert "De gemeente heeft hier nog geen signaal beantwoord." in page


def test_the_atom_feed_lists_answered_signals_and_is_linked(client):
    first = _answered("verkeer", 2, title="Zebrapad Europaweg")
    _answered("groen", 5, title="Verborgen antwoord", hidden=True)
    make_post(make_user(), kind=PostKind.SIGNAL, title="Nog niet beantwoord")
    page = html(client.get("/signalen"))
    assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="/signalen.atom"' in page
    response = client.get("/signalen.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.get_data())  # noqa: S314 - the portal's own feed, in a test
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}title") for e in entries] == ["Zebrapad Europaweg"]
    assert entries[0].find(f"{atom}link").get("href").endswith(f"/berichten/{first.id}#antwoord")
    assert "Antwoord na 2 dagen." in entries[0].findtext(f"{atom}content")
    assert feed.findtext(f"{atom}updated").endswith("Z")


# --- Paper cards --------------------------------------------------------------------------


@pytest.fixture
def verbinder(app):
    return make_member(make_circle(), role="connector", name="Sonja Verbinder")


def test_a_verbinder_enters_three_paper_cards_in_a_row_without_javascript(client, verbinder):
    login(client, verbinder)
    source = "Kaart bij de bijeenkomst in De Pijler, 3 juni"
    form = html(client.get("/kaarten"))
    assert 'name="on_behalf_name"' in form and 'name="source"' in form
    cards = [("Henk", "idee", "Meer bankjes in het park"), ("Fatima", "vraag", "Wanneer komt de bus terug?"),
             ("Ans", "signaal", "Gevaarlijke oversteek bij de school")]
    for name, kind, title in cards:
        data = {"source": source, "on_behalf_name": name, "theme": "verkeer", "kind": kind, "title": title,
                "body": f"{name} schreef: {title}.", "neighbourhood": ""}
        if kind == "signaal":
            data["phase"] = "voor_besluit"
        response = client.post("/kaarten", data=data)
        assert response.status_code == 303 and "/kaarten?" in response.location
        again = html(client.get(response.location))
        assert f"De kaart van {name} staat op het prikbord" in again
        assert f'value="{source}"' in again  # the meeting stays filled in
        assert title not in re.search(r"<form.*?</form>", again, re.S).group(0)  # the card fields are empty
        for empty in ("on_behalf_name", "title"):
            assert re.search(rf'<input [^>]*name="{empty}" [^>]*value="">', again), empty

    posts = list(db.session.scalars(db.select(Post).order_by(Post.id)))
    assert [(p.on_behalf_name, p.source, p.author_id) for p in posts] == [
        (name, source, verbinder.id) for name, _kind, _title in cards]
    assert posts[2].kind == PostKind.SIGNAL and posts[2].municipal_status == "nieuw"
    for post in posts:
        page = html(client.get(f"/berichten/{post.id}"))
        assert f"Namens {post.on_behalf_name}, ingevoerd door Sonja Verbinder" in page
        assert f"Van een papieren kaart: {source}" in page
    board = html(client.get("/themas/verkeer"))
    assert "Namens Henk (kaart)" in board


def test_steun_and_replies_on_a_card_work_as_usual(client, verbinder):
    card = make_post(verbinder, title="Kaart: speeltuin")
    card.on_behalf_name, card.source = "Henk", "Bijeenkomst"
    db.session.commit()
    login(client, make_user())
    assert client.post(f"/berichten/{card.id}/steun", data={"actie": "geven"}).status_code == 303
    assert client.post(f"/berichten/{card.id}/reageren", data={"reply": "Eens!"}).status_code == 303
    db.session.expire_all()
    assert (db.session.get(Post, card.id).support_count, db.session.get(Post, card.id).reply_count) == (1, 1)


def test_a_card_with_htmx_comes_back_empty_in_place_and_errors_keep_the_text(client, verbinder):
    login(client, verbinder)
    invalid = client.post("/kaarten", headers=htmx_headers(), data={
        "source": "Bijeenkomst", "on_behalf_name": "", "theme": "", "kind": "idee", "title": "Bloembakken",
        "body": "Meer bloembakken."})
    assert invalid.status_code == 422
    body = html(invalid)
    assert "<html" not in body and "Bloembakken" in body and "Kies een thema." in body
    done = client.post("/kaarten", headers=htmx_headers(), data={
        "source": "Bijeenkomst", "on_behalf_name": "Piet", "theme": "groen", "kind": "idee",
        "title": "Bloembakken", "body": "Meer bloembakken."})
    body = html(done)
    assert done.status_code == 200 and "<html" not in body
    assert "data-focus-after-swap>Geplaatst:" in body and "De kaart van Piet staat op het prikbord" in body
    assert re.search(r'<input [^>]*name="title" [^>]*value="">', body)
    assert '<option selected value="groen">' in body


def test_only_moderators_and_verbinders_enter_cards(client, verbinder):
    member = make_member(make_circle())
    login(client, member)
    assert client.get("/kaarten").status_code == 403
    assert client.post("/kaarten", data={"on_behalf_name": "X"}).status_code == 403
    client.post("/uitloggen")
    login(client, make_user(role=Role.MODERATOR))
    assert client.get("/kaarten").status_code == 200
    assert "Kaarten van een bijeenkomst invoeren" in html(client.get("/themas/verkeer"))


def test_a_verbinder_finds_the_cards_on_the_overview_and_a_member_nowhere(client, verbinder):
    link = "Kaarten van een bijeenkomst invoeren"
    circle = db.session.scalar(db.select(Circle).join(Membership).where(Membership.user_id == verbinder.id))
    member = make_member(circle)
    login(client, verbinder)
    assert link in html(client.get(f"/cirkels/{circle.slug}/overzicht"))
    assert link not in html(client.get("/themas/verkeer"))  # a board asks nobody's membership for it
    client.post("/uitloggen")
    login(client, member)
    assert link not in html(client.get("/themas/verkeer"))
