"""After "ik help" (issue 14), against a real SMTP server (aiosmtpd on loopback): choosing a
helper tells the helper and the others who offered; the private conversation on an item and
who may read it; its mail (one per hour); the helper who steps back; a verbinder who acts
namens a neighbour without internet; the daily follow-up with a moved clock (waiting 3 and 7
days, "Is het gelukt?" once, the day after, with one-use links); the verbinder's overview."""

from datetime import timedelta

import pytest

from portal.circles import followup, service
from portal.cron import run_daily_mail
from portal.dates import local_today
from portal.extensions import db
from portal.models import HelpItem, HelpMessageMail, OfflineNeighbour, Role
from portal.models.base import utcnow
from portal.models.circles import HelpStatus
from tests.conftest import htmx_headers, login
from tests.factories import make_circle, make_help_item, make_member, make_user

pytest_plugins = ["tests.mailserver"]

SECRET = "Dinsdag om half tien bij de voordeur, ik heb een rollator bij me."


def _body(message) -> str:
    return message.get_body(("plain",)).get_content()


def _text(response) -> str:
    return response.get_data(as_text=True)


def _fresh(item_id: int) -> HelpItem:
    db.session.expire_all()
    return db.session.get(HelpItem, item_id)


@pytest.fixture
def people(app):
    """bewoner's circle with buur, verbinder and another member; buiten elsewhere; a
    moderator and a coordinator who belong to no circle."""
    home = make_circle("Vleuten Dorp", streets=("Dorpsstraat", "Schoolstraat"))
    elsewhere = make_circle("De Meern Zandweg", streets=("Zandweg",), neighbourhood="De Meern")
    return {
        "circle": home,
        "bewoner": make_member(home, name="Riet de Vries", email="bewoner@example.org"),
        "buur": make_member(home, name="Karin Smulders", email="buur@example.org"),
        "verbinder": make_member(home, role="connector", name="Sonja Bakker", email="verbinder@example.org"),
        "lid": make_member(home, name="Wim Hoogendoorn", email="wim@example.org"),
        "buiten": make_member(elsewhere, name="Henk Verhoef", email="buiten@example.org"),
        "moderator": make_user(name="Mehmet Yilmaz", email="moderator@example.org", role=Role.MODERATOR),
        "coordinator": make_user(name="Carla Coördinator", email="coord@example.org", role=Role.COORDINATOR),
    }


def _ask(client, people, title="Vervoer naar de huisarts", **fields) -> int:
    login(client, people["bewoner"])
    response = client.post(f"/cirkels/{people['circle'].slug}/hulp/nieuw", data={
        "kind": "request", "category": "vervoer", "title": title, "text": "", "wanted_when": "dinsdag",
        **fields,
    })
    assert response.status_code == 303, _text(response)[:500]
    return db.session.scalar(db.select(HelpItem.id).where(HelpItem.title == title))


def _offer(client, person, item_id, **data):
    login(client, person)
    assert client.post(f"/hulp/{item_id}/reageren", data={"message": "", **data}).status_code == 303


def _choose(client, chooser, item_id, helper):
    login(client, chooser)
    response = client.post(f"/hulp/{item_id}/status", data={"status": "toegezegd", "helper": str(helper.id)})
    assert response.status_code == 303, _text(response)[:500]


# --- the flow of the "Done when" -------------------------------------------------------


def test_bewoner_asks_buur_helps_and_only_those_concerned_read_it(app, client, mail_server, people):
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    mail_server.deliver()

    chosen = [m for m in mail_server.to("buur@example.org") if "rekent op u" in m["Subject"]]
    assert len(mail_server.to("buur@example.org")) == 1 and len(chosen) == 1
    assert chosen[0]["Subject"] == "Riet rekent op u"
    assert "Vervoer naar de huisarts" in _body(chosen[0]) and f"/hulp/{item_id}" in _body(chosen[0])
    assert chosen[0]["List-Unsubscribe"].startswith("<http")

    login(client, people["bewoner"])
    assert "Toegezegd aan Karin" in _text(client.get(f"/hulp/{item_id}"))
    response = client.post(f"/hulp/{item_id}/berichten", data={"text": SECRET})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/hulp/{item_id}#gesprek")

    for reader in ("buur", "verbinder", "bewoner"):
        login(client, people[reader])
        assert SECRET in _text(client.get(f"/hulp/{item_id}")), reader
    for outsider, status in (("lid", 200), ("buiten", 404), ("moderator", 200)):
        login(client, people[outsider])
        page = client.get(f"/hulp/{item_id}")
        assert page.status_code == status, outsider
        assert SECRET not in _text(page) and 'id="gesprek"' not in _text(page), outsider
        assert client.post(f"/hulp/{item_id}/berichten", data={"text": "Ik lees mee"}).status_code == 404

    mail_server.deliver()
    [told] = [m for m in mail_server.to("buur@example.org") if "Nieuw bericht" in m["Subject"]]
    assert "Riet" in _body(told) and SECRET not in _body(told)


def test_the_others_who_offered_get_a_kind_word(app, client, mail_server, people):
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _offer(client, people["lid"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    mail_server.deliver()
    [kind_word] = mail_server.to("wim@example.org")
    assert kind_word["Subject"] == "Er helpt al iemand anders"
    assert "Karin helpt nu" in _body(kind_word)


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_writing_a_message_both_ways(app, client, people, htmx):
    item_id = _ask(client, people)
    headers = htmx_headers() if htmx else {}
    empty = client.post(f"/hulp/{item_id}/berichten", data={"text": "  "}, headers=headers)
    assert empty.status_code == 422 and "field-error" in _text(empty)
    response = client.post(f"/hulp/{item_id}/berichten", data={"text": "Wie kan mij rijden?"},
                           headers=headers)
    if htmx:
        html = _text(response)
        assert response.status_code == 200 and "<html" not in html
        assert html.lstrip().startswith("<section id=\"gesprek\"")
        assert "Wie kan mij rijden?" in html and "data-focus-after-swap" in html
        assert 'data-hx-swap-oob="innerHTML:#meldingen"' in html and "Uw bericht staat in het gesprek" in html
    else:
        assert response.status_code == 303
        assert "Wie kan mij rijden?" in _text(client.get(response.headers["Location"]))


def test_one_mail_per_conversation_per_hour(app, client, mail_server, people):
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    mail_server.deliver()
    mail_server.messages.clear()
    for text in ("Eerste bericht", "Tweede bericht"):
        client.post(f"/hulp/{item_id}/berichten", data={"text": text})
    mail_server.deliver()
    assert [m["Subject"] for m in mail_server.messages] == ["Nieuw bericht van Riet"]

    record = db.session.get(HelpMessageMail, (item_id, people["buur"].id))
    record.mailed_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    client.post(f"/hulp/{item_id}/berichten", data={"text": "Derde bericht"})
    login(client, people["buur"])
    client.post(f"/hulp/{item_id}/berichten", data={"text": "Prima, tot dinsdag"})  # the other side
    mail_server.deliver()
    about_messages = [m for m in mail_server.messages if m["Subject"].startswith("Nieuw bericht")]
    assert sorted(m["To"] for m in about_messages) == [
        "bewoner@example.org", "buur@example.org", "buur@example.org"]


def test_phones_show_in_the_conversation_only_when_shared(app, client, people):
    buur, bewoner = people["buur"], people["bewoner"]
    buur.phone, bewoner.phone, bewoner.share_phone = "06 1111 2222", "030 333 44 55", True
    db.session.commit()
    item_id = _ask(client, people)
    _offer(client, buur, item_id)
    _choose(client, bewoner, item_id, buur)
    assert "06 1111 2222" not in _text(client.get(f"/hulp/{item_id}"))  # buur did not share
    login(client, buur)
    assert "030 333 44 55" in _text(client.get(f"/hulp/{item_id}"))  # bewoner did
    login(client, people["verbinder"])
    page = _text(client.get(f"/hulp/{item_id}"))
    assert "06 1111 2222" in page and "030 333 44 55" in page  # verbinders call members


def test_the_helper_steps_back_and_the_asker_hears_it(app, client, mail_server, people):
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    login(client, people["buur"])
    response = client.post(f"/hulp/{item_id}/terugtrekken", headers=htmx_headers())
    assert response.status_code == 200 and "staat weer open" in _text(response)
    item = _fresh(item_id)
    assert (item.status, item.taken_by_id) == (HelpStatus.OPEN, None)
    assert client.post(f"/hulp/{item_id}/terugtrekken").status_code == 403  # not the helper any more
    mail_server.deliver()
    [told] = [m for m in mail_server.to("bewoner@example.org") if "kan toch niet" in m["Subject"]]
    assert "staat weer open" in _body(told)


def test_closing_thanks_the_helper(app, client, mail_server, people):
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    client.post(f"/hulp/{item_id}/status", data={"status": "afgerond"})
    mail_server.deliver()
    assert "Dank u wel voor uw hulp" in [m["Subject"] for m in mail_server.to("buur@example.org")]


def test_a_verbinder_acts_for_a_neighbour_without_internet(app, client, mail_server, people):
    circle, verbinder = people["circle"], people["verbinder"]
    verbinder.phone = "030 000 11 22"
    gerda = OfflineNeighbour(circle=circle, first_name="Gerda", street="Schoolstraat", phone="030 666 12 34",
                             consent_text="ja", consent_by=verbinder)
    db.session.add(gerda)
    db.session.commit()
    item = make_help_item(circle, people["bewoner"], title="Gezelschap op zondag")
    # offers namens Gerda, and is chosen; the item names Gerda
    _offer(client, verbinder, item.id, on_behalf_of=str(gerda.id))
    _choose(client, people["bewoner"], item.id, verbinder)
    page = _text(client.get(f"/hulp/{item.id}"))
    assert "Toegezegd aan Gerda (via Sonja)" in page
    # a request namens Gerda: the helper sees the verbinder's phone only when shared
    login(client, verbinder)
    client.post(f"/cirkels/{circle.slug}/hulp/nieuw", data={
        "kind": "request", "category": "vervoer", "title": "Naar de markt", "on_behalf_of": str(gerda.id)})
    request_id = db.session.scalar(db.select(HelpItem.id).where(HelpItem.title == "Naar de markt"))
    _offer(client, people["buur"], request_id)
    _choose(client, verbinder, request_id, people["buur"])  # the verbinder chooses
    client.post(f"/hulp/{request_id}/berichten", data={"text": "Gerda staat om tien uur klaar."})
    assert "030 666 12 34" in _text(client.get(f"/hulp/{request_id}"))  # the verbinder sees Gerda's
    login(client, people["buur"])
    page = _text(client.get(f"/hulp/{request_id}"))
    assert "Gerda staat om tien uur klaar." in page and "030 666 12 34" not in page
    assert "030 000 11 22" not in page
    verbinder.share_phone = True
    db.session.commit()
    assert "030 000 11 22" in _text(client.get(f"/hulp/{request_id}"))
    login(client, verbinder)
    client.post(f"/hulp/{request_id}/status", data={"status": "afgerond"})
    assert _fresh(request_id).status == HelpStatus.DONE
    mail_server.deliver()
    assert [m["Subject"] for m in mail_server.to("buur@example.org")][-1] == "Dank u wel voor uw hulp"


# --- nothing open unseen: the clock moves ------------------------------------------------------


def _subjects(mail_server, address):
    return [m["Subject"] for m in mail_server.to(address)]


def test_a_request_without_offers_reaches_verbinders_after_3_days_and_coordinators_after_7(
        app, mail_server, people):
    item = make_help_item(people["circle"], people["bewoner"], title="Hulp met de vuilnisbak")
    answered = make_help_item(people["circle"], people["bewoner"], title="Iemand reageerde al")
    service.respond(answered, people["buur"])
    db.session.commit()
    start = utcnow()

    def day(n):
        run_daily_mail(start + timedelta(days=n, minutes=1))
        db.session.commit()
        mail_server.deliver(start + timedelta(days=n, minutes=2))

    day(2)
    assert _subjects(mail_server, "verbinder@example.org") == []
    day(3)
    [waiting] = mail_server.to("verbinder@example.org")
    assert waiting["Subject"] == "Hulpvragen die wachten in Vleuten Dorp"
    body = _body(waiting)
    assert "Hulp met de vuilnisbak" in body and "wacht al 3 dagen" in body
    assert "Iemand reageerde al" not in body
    assert f"/hulp/{item.id}" in body and waiting["List-Unsubscribe"]
    assert _subjects(mail_server, "coord@example.org") == []
    day(4)  # each request once
    day(6)
    assert len(mail_server.to("verbinder@example.org")) == 1
    assert _subjects(mail_server, "coord@example.org") == []
    day(7)
    [week] = mail_server.to("coord@example.org")
    assert week["Subject"] == "Hulpvragen die al een week wachten"
    assert "Hulp met de vuilnisbak" in _body(week) and "Vleuten Dorp" in _body(week)
    day(8)
    assert len(mail_server.to("coord@example.org")) == 1
    assert len(mail_server.to("verbinder@example.org")) == 1


def test_is_het_gelukt_is_sent_once_the_day_after_and_its_links_work_once(app, client, mail_server, people):
    day_of = local_today(utcnow()) + timedelta(days=1)
    item_id = _ask(client, people, wanted_on=day_of.isoformat())
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    mail_server.deliver()
    mail_server.messages.clear()
    start = utcnow()
    for days in (0, 1):  # today and the day itself: not yet
        assert followup.ask_whether_done(start + timedelta(days=days)) == 0
    assert followup.ask_whether_done(start + timedelta(days=2)) == 1
    db.session.commit()
    assert followup.ask_whether_done(start + timedelta(days=3)) == 0  # once
    mail_server.deliver()
    [question] = mail_server.messages
    assert question["To"] == "bewoner@example.org" and question["Subject"].startswith("Is het gelukt?")
    assert question["List-Unsubscribe"]
    links = [line.strip() for line in _body(question).splitlines() if "/gelukt/" in line]
    done_link, not_yet_link = (link.replace("http://127.0.0.1:5000", "") for link in links)

    other = app.test_client()  # the person is signed out; a mail scanner opens the link
    page = other.get(done_link)
    assert page.status_code == 200 and "Ja, het is gelukt" in _text(page)
    assert _fresh(item_id).status == HelpStatus.PROMISED  # a GET changes nothing
    answered = other.post(done_link)
    assert answered.status_code == 303
    assert _fresh(item_id).status == HelpStatus.DONE
    assert other.post(done_link).status_code == 410  # used
    assert other.get(not_yet_link).status_code == 410  # the question was answered
    assert other.get(done_link[:-3] + "xyz").status_code == 410
    mail_server.deliver()
    assert "Dank u wel voor uw hulp" in _subjects(mail_server, "buur@example.org")


def test_nog_niet_keeps_the_item_promised(app, client, people):
    item_id = _ask(client, people)
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    assert followup.ask_whether_done(utcnow() + timedelta(days=8)) == 1  # no day: a week later
    db.session.commit()
    token = followup.done_token(_fresh(item_id), "nog-niet")
    assert client.post(f"/hulp/{item_id}/gelukt/{token}").status_code == 303
    item = _fresh(item_id)
    assert (item.status, item.done_answered_at is not None) == (HelpStatus.PROMISED, True)
    assert "liet weten: nog niet gelukt" in _text(client.get(f"/hulp/{item_id}"))


# --- the verbinder's overview --------------------------------------------------------------------


def test_the_overview_shows_waiting_promised_and_neighbours(app, client, people):
    circle = people["circle"]
    db.session.add(OfflineNeighbour(circle=circle, first_name="Mien", street="Dorpsstraat",
                                    phone="030 666 43 21", consent_text="ja", consent_by=people["verbinder"]))
    db.session.commit()
    make_help_item(circle, people["bewoner"], title="Boodschappen al vier dagen", days_ago=4)
    make_help_item(circle, people["verbinder"], title="Voor Mien", on_behalf=("Mien", "Dorpsstraat"))
    db.session.execute(db.update(HelpItem).where(HelpItem.title == "Voor Mien").values(
        on_behalf_of_id=db.session.scalar(db.select(OfflineNeighbour.id))))
    db.session.commit()
    item_id = _ask(client, people, title="Lamp ophangen")
    _offer(client, people["buur"], item_id)
    _choose(client, people["bewoner"], item_id, people["buur"])
    login(client, people["verbinder"])
    for path in ("overzicht", "overzicht/afdrukken"):
        page = _text(client.get(f"/cirkels/{circle.slug}/{path}"))
        waiting = page[page.index("Wacht op hulp"):page.index('id="open-kop"')]
        assert "Boodschappen al vier dagen" in waiting and "wacht al 4 dagen" in waiting
        assert "Karin helpt Riet" in page
        assert "Mien (Dorpsstraat)" in page and "030 666 43 21" in page and "Voor Mien" in page
    login(client, people["buur"])
    assert client.get(f"/cirkels/{circle.slug}/overzicht/afdrukken").status_code == 403


def test_coordinators_see_requests_that_wait_a_week(app, client, people):
    make_help_item(people["circle"], people["bewoner"], title="Al acht dagen niemand", days_ago=8)
    make_help_item(people["circle"], people["bewoner"], title="Pas twee dagen", days_ago=2)
    login(client, people["coordinator"])
    page = _text(client.get("/beheer/cirkels"))
    assert "Al acht dagen niemand" in page and "wacht al 8 dagen" in page and "Pas twee dagen" not in page


def test_purge_removes_the_conversation_of_long_closed_items(app, client, people):
    from portal.accounts.privacy import purge_closed_help_items
    from portal.models import HelpMessage

    item = make_help_item(people["circle"], people["bewoner"])
    service.post_message(item, people["bewoner"], "Mijn sleutel ligt onder de mat.")
    service.change_status(item, HelpStatus.DONE, people["bewoner"], at=utcnow() - timedelta(days=100))
    db.session.commit()
    assert purge_closed_help_items() == 1
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(HelpMessage.id))) == 0


def test_the_conversation_is_in_the_export_and_goes_with_the_account(app, client, people):
    from portal.accounts.privacy import delete_account, export_user_data
    from portal.models import HelpMessage

    item = make_help_item(people["circle"], people["bewoner"])
    service.post_message(item, people["buur"], "Ik bel om negen uur aan.")
    db.session.commit()
    export = export_user_data(people["buur"])
    assert export["wijken"][0]["gesprekken_over_hulp"][0]["tekst"] == "Ik bel om negen uur aan."
    delete_account(people["buur"])
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count(HelpMessage.id))) == 0
