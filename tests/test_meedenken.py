"""Meedenken (issue 28): a traject, inbreng with steun before the deadline, the advies citing
it mailed once to the gemeente through a real SMTP server, the gemeente's reaction through its
signed link, one mail per step to everyone who took part, the terugkoppeling per inbreng, the
uitvoering, the printable summary, wijken kept apart and a fixed number of queries. Without
JavaScript: plain posts and PRG."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from portal.dates import local_today
from portal.extensions import db
from portal.following.digest import send_follow_digests
from portal.meedenken import access, service
from portal.models import DigestPace, Inbreng, InbrengSupport, Traject
from portal.models.base import utcnow
from portal.moderation import access as moderation_access
from portal.notifications.service import set_pace
from portal.wijk import in_wijk
from portal.wijken.service import create_wijk
from tests.conftest import htmx_headers, login
from tests.factories import make_user

pytest_plugins = ["tests.mailserver", "tests.meedenken_people"]  # mail_server, people

GEMEENTE = "wijkbureau@utrecht.example"
REACTIE_LINK = re.compile(r"http://[^/\s]+(/meedenken/reactie/[A-Za-z0-9_.\-]+)")
SLUG = "herinrichting-dorpsstraat-vleuten"
IDEA = "Een veilige oversteekplaats bij de bakker, want kinderen steken daar over."


def html(response) -> str:
    return response.get_data(as_text=True)


def text(response) -> str:
    """The words of the page, without its tags (no space before a colon a tag left)."""
    return re.sub(r" ([:.,])", r"\1", " ".join(re.sub(r"<[^>]+>", " ", html(response)).split()))


def body_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def make_traject(title: str = "Herinrichting Dorpsstraat Vleuten", days_left: int = 14, **fields) -> Traject:
    today = local_today(utcnow())
    traject = Traject(slug=fields.pop("slug", SLUG), title=title,
                      plan="De gemeente richt de straat opnieuw in.",
                      place="Dorpsstraat", decider="Het college, in het voorjaar",
                      documents="Raadsvoorstel https://www.utrecht.nl/voorstel",
                      ophalen_until=today + timedelta(days=days_left), **fields)
    db.session.add(traject)
    db.session.commit()
    return traject


@pytest.fixture
def gemeente(app):
    app.config["GEMEENTE_MAIL"] = GEMEENTE
    return GEMEENTE




def switch(client, person):
    client.post("/uitloggen")
    login(client, person)


# --- the "Done when" flow -----------------------------------------------------------------------


def test_the_whole_flow_without_javascript(app, client, mail_server, gemeente, people):
    bewoner, buur, moderator = people
    traject = make_traject()

    # bewoner gives inbreng
    login(client, bewoner)
    given = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA, "theme": "verkeer"})
    assert given.status_code == 303 and "#inbreng-" in given.location
    [item] = db.session.scalars(db.select(Inbreng)).all()
    assert item.author_id == bewoner.id and item.theme == "verkeer"
    assert "Uw inbreng staat bij het traject" in html(client.get(f"/meedenken/{SLUG}"))

    # buur supports it
    switch(client, buur)
    supported = client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/steun", data={"actie": "geven"})
    assert supported.status_code == 303
    again = client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/steun", data={"actie": "geven"})
    assert again.status_code == 303
    db.session.expire_all()
    assert db.session.get(Inbreng, item.id).support_count == 1
    assert "1 persoon steunt" in text(client.get(f"/meedenken/{SLUG}"))

    # the moderator writes the advies citing it, and sends it
    switch(client, moderator)
    form = client.get(f"/meedenken/{SLUG}/advies")
    assert form.status_code == 200 and f'value="{item.id}"' in html(form)
    saved = client.post(f"/meedenken/{SLUG}/advies", data={
        "advies": "Maak een zebrapad bij de bakker.", "cited": [str(item.id)]})
    assert saved.status_code == 303
    page = client.get(f"/meedenken/{SLUG}")
    assert "Maak een zebrapad bij de bakker." in html(page)
    assert f'href="/meedenken/{SLUG}/inbreng/{item.id}"' in html(page)  # the citation is a link
    sent = client.post(f"/meedenken/{SLUG}/advies/versturen")
    assert sent.status_code == 303
    twice = client.post(f"/meedenken/{SLUG}/advies/versturen")
    assert twice.status_code == 409 and "al eerder naar de gemeente gestuurd" in html(twice)

    mail_server.deliver()
    [to_gemeente] = mail_server.to(GEMEENTE)  # exactly one
    body = body_of(to_gemeente)
    assert "Maak een zebrapad bij de bakker." in body and IDEA in body
    path = REACTIE_LINK.search(body).group(1)
    [advies_to_bewoner] = mail_server.to(bewoner.email)
    [advies_to_buur] = mail_server.to(buur.email)
    assert "advies" in advies_to_bewoner["Subject"] and "advies" in advies_to_buur["Subject"]
    assert mail_server.to(moderator.email) == []

    # the gemeente reacts through the link, without an account
    browser = app.test_client(use_cookies=False)
    reactie_page = browser.get(path)
    assert reactie_page.status_code == 200 and 'name="reactie"' in html(reactie_page)
    assert 'name="csrf_token"' not in html(reactie_page) and "Set-Cookie" not in reactie_page.headers
    empty = browser.post(path, data={"reactie": ""}, csrf=False)
    assert empty.status_code == 422
    done = browser.post(path, data={"reactie": "We leggen in mei een zebrapad aan.",
                                    "besluit": "Zebrapad bij de bakker"}, csrf=False)
    assert done.status_code == 303
    assert "Uw reactie staat nu bij het traject" in html(browser.get(done.location))
    used = browser.post(path, data={"reactie": "Nog iets"}, csrf=False)
    assert used.status_code == 409 and "al gebruikt" in html(used)
    assert "al gebruikt" in html(browser.get(path))

    shown = client.get(f"/meedenken/{SLUG}")
    assert "We leggen in mei een zebrapad aan." in html(shown) and "Nog iets" not in html(shown)

    mail_server.deliver()
    assert len(mail_server.to(bewoner.email)) == 2 and len(mail_server.to(buur.email)) == 2
    assert len(mail_server.to(GEMEENTE)) == 1
    assert "We leggen in mei een zebrapad aan." in body_of(mail_server.to(bewoner.email)[1])

    # terugkoppeling: bewoner sees "meegenomen" with the reason
    recorded = client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/terugkoppeling",
                           data={"outcome": "meegenomen", "reason": "Het zebrapad komt er."})
    assert recorded.status_code == 303
    switch(client, bewoner)
    mine = text(client.get(f"/meedenken/{SLUG}"))
    assert "Meegenomen: Het zebrapad komt er." in mine
    # no more mail for the same steps
    with in_wijk(1):
        assert service.tell_participants(db.session.get(Traject, traject.id), "advies") == 0
    mail_server.deliver()
    assert len(mail_server.to(bewoner.email)) == 2


def test_those_who_took_part_hear_of_the_advies_at_their_own_pace(app, mail_server):
    """Issue 28: told once per step, at their mail pace: ``direct`` at once, ``wekelijks`` in
    the weekly digest on their day, ``nooit`` not at all."""
    today = local_today(utcnow())
    direct, weekly, never = (make_user("Direct", "direct@example.org"), make_user("Week", "week@example.org"),
                             make_user("Nooit", "nooit@example.org"))
    set_pace(direct, DigestPace.DIRECT.value)
    set_pace(weekly, DigestPace.WEEKLY.value, (today.weekday() + 1) % 7)
    set_pace(never, DigestPace.NEVER.value)
    traject = make_traject()
    for person in (direct, weekly, never):
        db.session.add(Inbreng(traject=traject, author=person, text=f"Inbreng van {person.name}"))
    db.session.commit()
    assert service.tell_participants(traject, "advies") == 2
    assert service.tell_participants(traject, "advies") == 0  # once per step
    db.session.commit()
    mail_server.deliver()
    assert [m["To"] for m in mail_server.messages] == ["direct@example.org"]
    tomorrow = utcnow() + timedelta(days=1, minutes=1)
    assert send_follow_digests(tomorrow) == 1
    mail_server.deliver(tomorrow)
    [digest] = mail_server.to("week@example.org")
    assert "Het advies over Herinrichting Dorpsstraat Vleuten is klaar" in body_of(digest)
    assert mail_server.to("nooit@example.org") == []


def test_inbreng_with_htmx_answers_the_form_fragment(client, people):
    bewoner, buur, _ = people
    make_traject()
    login(client, bewoner)
    answer = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA}, headers=htmx_headers())
    assert answer.status_code == 200 and "<html" not in html(answer)
    assert "Toegevoegd" in html(answer) and 'name="text"' in html(answer)
    item = db.session.scalar(db.select(Inbreng))
    switch(client, buur)
    steun = client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/steun", data={"actie": "geven"},
                        headers=htmx_headers())
    assert steun.status_code == 200 and f'id="steun-{item.id}"' in html(steun)
    assert "Steun intrekken" in html(steun) and "1 persoon steunt" in text(steun)


# --- the deadline --------------------------------------------------------------------------------


def test_after_the_deadline_the_form_closes_and_a_late_post_is_refused_with_the_text_kept(client, people):
    bewoner, _, _ = people
    make_traject(days_left=-1)
    login(client, bewoner)
    page = html(client.get(f"/meedenken/{SLUG}"))
    assert 'name="text"' not in page and "Het ophalen van ideeën is gesloten" in page
    late = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA})
    assert late.status_code == 422
    assert "gesloten" in html(late) and IDEA.replace(",", ",") in html(late)
    assert db.session.scalar(db.select(db.func.count()).select_from(Inbreng)) == 0


def test_the_last_day_is_still_open(client, people):
    make_traject(days_left=0)
    login(client, people[0])
    assert client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA}).status_code == 303


# --- the reaction link ---------------------------------------------------------------------------


def test_a_tampered_link_is_404_and_an_old_one_410(app, client, people):
    traject = make_traject(advies="Een advies.", advies_sent_at=utcnow())
    token = service.reactie_token(traject)
    browser = app.test_client(use_cookies=False)
    assert browser.get(f"/meedenken/reactie/{token}").status_code == 200
    assert browser.get(f"/meedenken/reactie/{token[:-2]}xy").status_code == 404
    tampered = browser.post(f"/meedenken/reactie/{token[:-2]}xy", data={"reactie": "x"}, csrf=False)
    assert tampered.status_code == 404
    old = service.reactie_token(traject, issued_at=utcnow() - timedelta(days=61))
    expired = browser.get(f"/meedenken/reactie/{old}")
    assert expired.status_code == 410 and "verlopen" in html(expired)


def test_no_link_works_before_the_advies_was_sent(app, people):
    traject = make_traject(advies="Een advies.")
    browser = app.test_client(use_cookies=False)
    assert browser.get(f"/meedenken/reactie/{service.reactie_token(traject)}").status_code == 404


# --- namens, reports, hiding ---------------------------------------------------------------------


def test_namens_only_for_verbinders_and_moderators(client, people):
    bewoner, _, moderator = people
    make_traject()
    login(client, bewoner)
    refused = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA, "namens": "Truus"})
    assert refused.status_code == 422 and "Alleen verbinders en moderatoren" in html(refused)
    assert IDEA in html(refused)
    switch(client, moderator)
    assert 'name="namens"' in html(client.get(f"/meedenken/{SLUG}"))
    done = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA, "namens": "Truus"})
    assert done.status_code == 303
    assert "Namens Truus (op papier)" in html(client.get(f"/meedenken/{SLUG}"))


def test_inbreng_is_reported_and_hidden_through_moderation_like_a_post(client, people):
    bewoner, _, moderator = people
    traject = make_traject()
    item = Inbreng(traject_id=traject.id, author=bewoner, text="Onaardige tekst")
    db.session.add(item)
    db.session.commit()
    for _ in range(3):
        login(client, make_user())
        page = html(client.get(f"/meedenken/{SLUG}"))
        assert f'href="/meedenken/{SLUG}/inbreng/{item.id}/melden"' in page
        assert client.get(f"/meedenken/{SLUG}/inbreng/{item.id}/melden").status_code == 200
        assert client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/melden",
                           data={"reason": "onvriendelijk", "explanation": ""}).status_code == 303
        client.post("/uitloggen")
    assert "Onaardige tekst" not in html(client.get(f"/meedenken/{SLUG}"))
    assert client.get(f"/meedenken/{SLUG}/inbreng/{item.id}").status_code == 404
    login(client, moderator)
    queue = html(client.get("/moderatie"))
    assert "Onaardige tekst" in queue and f"/meedenken/{SLUG}/inbreng/{item.id}" in queue
    page = html(client.get(f"/meedenken/{SLUG}"))
    assert "Onaardige tekst" in page and "/moderatie/inbreng/" in page
    restored = client.post(f"/moderatie/inbreng/{item.id}/herstellen", data={"reason": ""})
    assert restored.status_code == 303
    client.post("/uitloggen")
    assert "Onaardige tekst" in html(client.get(f"/meedenken/{SLUG}"))
    login(client, moderator)
    hidden = client.post(f"/moderatie/inbreng/{item.id}/verbergen", data={"reason": "Niet over dit plan."})
    assert hidden.status_code == 303
    client.post("/uitloggen")
    assert "Onaardige tekst" not in html(client.get(f"/meedenken/{SLUG}"))


def test_a_new_accounts_inbreng_waits_for_a_moderator_and_a_duplicate_is_refused(client, people):
    _, _, moderator = people
    make_traject()
    newcomer = make_user("Nieuwe Buur", trusted=False)
    login(client, newcomer)
    waiting = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA})
    assert waiting.status_code == 303
    item = db.session.scalar(db.select(Inbreng))
    assert item.status == "pending"
    assert "wacht even op een moderator" in html(client.get(f"/meedenken/{SLUG}"))
    again = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA})
    assert again.status_code == 422 and IDEA in html(again)
    switch(client, moderator)
    assert "Inbreng van Nieuwe Buur" in html(client.get("/moderatie"))
    assert client.post(f"/moderatie/inbreng/{item.id}/goedkeuren", data={"reason": ""}).status_code == 303
    client.post("/uitloggen")
    assert IDEA in html(client.get(f"/meedenken/{SLUG}"))


# --- the kerngroep: new traject, uitvoering, print -----------------------------------------------


def test_the_kerngroep_makes_a_traject_and_keeps_the_measures(client, people):
    _, _, moderator = people
    login(client, moderator)
    form = client.get("/meedenken/nieuw?titel=Evaluatie:%20Dorpsstraat")
    assert form.status_code == 200 and 'value="Evaluatie: Dorpsstraat"' in html(form)
    made = client.post("/meedenken/nieuw", data={
        "title": "Speeltuin Vleuterweide", "plan": "Een nieuwe speeltuin.", "phase": "ophalen",
        "ophalen_until": (local_today(utcnow()) + timedelta(days=10)).isoformat(),
        "documents": "Plan https://www.utrecht.nl/plan"})
    assert made.status_code == 303 and made.location.endswith("/meedenken/speeltuin-vleuterweide")
    page = client.get("/meedenken/speeltuin-vleuterweide")
    assert 'aria-current="step"' in html(page) and 'href="https://www.utrecht.nl/plan"' in html(page)
    bad = client.post("/meedenken/nieuw", data={"title": "", "plan": "Iets", "ophalen_until": "gisteren"})
    assert bad.status_code == 422 and 'value="Iets"' not in html(bad) and "Iets" in html(bad)

    added = client.post("/meedenken/speeltuin-vleuterweide/maatregelen",
                        data={"title": "Nieuwe schommels", "status": "bezig", "progress": "40"})
    assert added.status_code == 303
    page = html(client.get("/meedenken/speeltuin-vleuterweide"))
    assert "Nieuwe schommels" in page and 'width="40%"' in page and "40% klaar" in page
    assert "/meedenken/nieuw?titel=Evaluatie" in page
    wrong = client.post("/meedenken/speeltuin-vleuterweide/maatregelen",
                        data={"title": "Bankjes", "progress": "140", "status": "gepland"})
    assert wrong.status_code == 422 and "0 tot en met 100" in html(wrong)


def test_the_printable_summary_counts_inbreng_by_theme(client, people):
    bewoner, buur, _ = people
    traject = make_traject(advies="Het advies.", reactie="De reactie.", reactie_at=utcnow())
    for person, theme in ((bewoner, "verkeer"), (buur, "verkeer"), (buur, "groen")):
        db.session.add(Inbreng(traject_id=traject.id, author=person, text=f"Over {theme}", theme=theme))
    db.session.commit()
    page = client.get(f"/meedenken/{SLUG}/afdrukken")
    assert page.status_code == 200
    shown = text(page)
    assert "Verkeer en parkeren 2" in shown and "Groen en spelen 1" in shown
    assert "Het advies." in shown and "De reactie." in shown and "De gemeente richt de straat" in shown


def test_the_list_and_an_empty_state(client):
    assert "Er is nu geen plan om over mee te denken" in html(client.get("/meedenken"))
    make_traject()
    assert "Herinrichting Dorpsstraat Vleuten" in html(client.get("/meedenken"))


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), [
    ("visitor", {"read": True, "contribute": False, "namens": False, "support": False, "report": False,
                 "manage": False}),
    ("resident", {"read": True, "contribute": True, "namens": False, "support": True, "report": True,
                  "manage": False}),
    ("author", {"read": True, "contribute": True, "namens": False, "support": True, "report": False,
                "manage": False}),
    ("moderator", {"read": True, "contribute": True, "namens": True, "support": True, "report": True,
                   "manage": True}),
    ("blocked", {"read": True, "contribute": False, "namens": False, "support": False, "report": False,
                 "manage": False}),
])
def test_permission_matrix(app, people, who, expected):
    from flask_login import AnonymousUserMixin

    bewoner, _, moderator = people
    traject = make_traject()
    item = Inbreng(traject_id=traject.id, author=bewoner, text="Tekst")
    db.session.add(item)
    db.session.commit()
    user = {"visitor": lambda: AnonymousUserMixin(), "resident": make_user, "author": lambda: bewoner,
            "moderator": lambda: moderator, "blocked": lambda: _blocked()}[who]()
    found = {
        "read": access.can_read(user, traject) and access.can_read_inbreng(user, item),
        "contribute": access.can_contribute(user, traject),
        "namens": access.can_contribute_namens(user, traject),
        "support": access.can_support(user, item),
        "report": moderation_access.can_report(user, item),
        "manage": access.can_manage(user, traject),
    }
    assert found == expected


def _blocked():
    person = make_user()
    person.blocked = True
    db.session.commit()
    return person


@pytest.mark.parametrize("path", ["/meedenken/nieuw", f"/meedenken/{SLUG}/advies",
                                  f"/meedenken/{SLUG}/bewerken", f"/meedenken/{SLUG}/maatregelen"])
def test_kerngroep_pages_are_for_moderators_only(client, people, path):
    make_traject()
    assert client.get(path).status_code == 302  # to the sign-in page
    login(client, people[0])
    assert client.get(path).status_code == 403
    assert client.post(f"/meedenken/{SLUG}/advies/versturen").status_code == 403
    switch(client, people[2])
    assert client.get(path).status_code == 200


# --- two wijken ----------------------------------------------------------------------------------


@pytest.fixture
def west(app):
    district = create_wijk(slug="west", name="West", host="west.localhost")
    db.session.commit()
    return district.id


def test_a_traject_of_west_is_not_seen_in_vleuten_de_meern(app, client, west):
    with in_wijk(west):
        db.session.add(Traject(slug="plein-west", title="Herinrichting Plein West", plan="Plan",
                               ophalen_until=local_today(utcnow()) + timedelta(days=5)))
        db.session.commit()
    assert "Herinrichting Plein West" not in html(client.get("/meedenken"))
    assert client.get("/meedenken/plein-west").status_code == 404
    there = client.get("/meedenken/plein-west", base_url="http://west.localhost")
    assert there.status_code == 200 and "Herinrichting Plein West" in html(there)


# --- a fixed number of queries -------------------------------------------------------------------


def _bulk(traject: Traject, author, count: int, seed: int) -> None:
    now = utcnow()
    db.session.execute(insert(Inbreng), [
        {"traject_id": traject.id, "author_id": author.id, "text": f"Inbreng {seed}-{n}", "theme": "verkeer",
         "on_behalf_name": "", "status": "published", "support_count": n % 3, "report_count": 0,
         "cited": n == 0, "outcome_reason": "", "created_at": now - timedelta(minutes=n), "district_id": 1}
        for n in range(count)
    ])
    db.session.commit()


def test_the_traject_page_runs_the_same_queries_at_10_and_at_1000_contributions(client, count_queries,
                                                                                people):
    bewoner, buur, moderator = people
    traject = make_traject(advies="Het advies.")
    _bulk(traject, bewoner, 10, seed=1)
    first = db.session.scalar(db.select(Inbreng.id).order_by(Inbreng.id))
    db.session.execute(insert(InbrengSupport).values(inbreng_id=first, user_id=buur.id, created_at=utcnow(),
                                                     district_id=1))
    db.session.commit()
    paths = [f"/meedenken/{SLUG}", f"/meedenken/{SLUG}/inbreng/{first}", f"/meedenken/{SLUG}/afdrukken",
             "/meedenken"]

    def counts():
        found = {}
        for who in (None, buur, moderator):
            if who is not None:
                login(client, who)
            key = who.email if who else "visitor"
            found[key] = {path: len(count_queries(client, path)) for path in paths}
            client.post("/uitloggen")
        return found

    small = counts()
    _bulk(traject, bewoner, 990, seed=2)
    assert db.session.scalar(db.select(db.func.count()).select_from(Inbreng)) == 1000
    assert counts() == small
    print("queries per page:", small)
    assert max(small[buur.email].values()) <= 15, small


def test_the_demo_traject(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"])
    assert result.exit_code == 0, result.output
    traject = db.session.scalar(db.select(Traject).where(Traject.slug == SLUG))
    assert traject.phase == "ophalen" and traject.title == "Herinrichting Dorpsstraat Vleuten"
    authors = {item.author.email for item in db.session.scalars(db.select(Inbreng))}
    assert "bewoner@example.org" in authors
    assert service.is_open(traject, datetime.now(UTC).replace(tzinfo=None))


def test_the_avg_export_holds_the_inbreng_and_steun(app, people):
    from portal.accounts.privacy import export_user_data

    bewoner, buur, _ = people
    traject = make_traject()
    item = service.add_inbreng(traject, bewoner, IDEA)
    service.set_support(item, buur, True)
    db.session.commit()
    [wijk] = export_user_data(bewoner)["wijken"]
    assert wijk["meedenken"]["inbreng"][0]["tekst"] == IDEA
    assert export_user_data(buur)["wijken"][0]["meedenken"]["steun_voor_inbreng"] == [item.id]


def test_a_bijeenkomst_and_a_peiling_belong_to_a_traject_and_link_back(client, people):
    from tests.factories import make_event, make_survey

    _, _, moderator = people
    traject = make_traject()
    event, survey = make_event(title="Dialoogavond Dorpsstraat"), make_survey(title="Peiling Dorpsstraat")
    login(client, moderator)
    edit = client.get(f"/meedenken/{SLUG}/bewerken")
    assert "Dialoogavond Dorpsstraat" in html(edit) and "Peiling Dorpsstraat" in html(edit)
    saved = client.post(f"/meedenken/{SLUG}/bewerken", data={
        "title": traject.title, "plan": traject.plan, "phase": "ophalen",
        "ophalen_until": traject.ophalen_until.isoformat(), "events": [str(event.id)],
        "surveys": [str(survey.id)]})
    assert saved.status_code == 303
    page = html(client.get(f"/meedenken/{SLUG}"))
    assert f'href="/agenda/{event.id}"' in page and f'href="/peilingen/{survey.id}"' in page
    assert f'href="/meedenken/{SLUG}"' in html(client.get(f"/agenda/{event.id}"))
    assert f'href="/meedenken/{SLUG}"' in html(client.get(f"/peilingen/{survey.id}"))


def test_the_demo_traject_can_be_followed_end_to_end_by_the_demo_accounts(app, client, mail_server, gemeente):
    """Done when: bewoner gives inbreng, buur supports it, the moderator writes the advies citing
    it and sends it, the gemeente reacts through the link, bewoner reads "meegenomen"."""
    from types import SimpleNamespace

    assert app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"]).exit_code == 0
    mail_server.deliver()  # what the demo itself queued
    mail_server.messages.clear()

    def as_(who):
        client.post("/uitloggen")
        login(client, SimpleNamespace(email=f"{who}@example.org"), "demo-wachtwoord")

    for who in ("bewoner", "buur"):  # each chooses mail "meteen" on her settings page
        as_(who)
        assert client.post("/account/meldingen", data={
            "help_items": "daily", "event_reminders": "y", "moderation": "y", "post_updates": "y",
            "digest": "direct", "digest_weekday": "0"}).status_code == 303
    as_("bewoner")
    given = client.post(f"/meedenken/{SLUG}/inbreng", data={"text": IDEA, "theme": "verkeer"})
    assert given.status_code == 303
    item = db.session.scalar(db.select(Inbreng).where(Inbreng.text == IDEA))
    as_("buur")
    steun = client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/steun", data={"actie": "geven"})
    assert steun.status_code == 303
    as_("moderator")
    assert client.post(f"/meedenken/{SLUG}/advies", data={
        "advies": "Een zebrapad bij de bakker.", "cited": [str(item.id)]}).status_code == 303
    assert client.post(f"/meedenken/{SLUG}/advies/versturen").status_code == 303
    mail_server.deliver()
    [to_gemeente] = mail_server.to(GEMEENTE)
    path = REACTIE_LINK.search(body_of(to_gemeente)).group(1)
    gemeente_browser = app.test_client(use_cookies=False)
    done = gemeente_browser.post(path, data={"reactie": "Het zebrapad komt er."}, csrf=False)
    assert done.status_code == 303
    assert client.post(f"/meedenken/{SLUG}/inbreng/{item.id}/terugkoppeling",
                       data={"outcome": "meegenomen", "reason": "In het advies."}).status_code == 303
    mail_server.deliver()
    assert len(mail_server.to(GEMEENTE)) == 1
    assert len(mail_server.to("bewoner@example.org")) == 2 and len(mail_server.to("buur@example.org")) == 2
    as_("bewoner")
    page = text(client.get(f"/meedenken/{SLUG}"))
    assert "Het zebrapad komt er." in page and "Meegenomen: In het advies." in page
