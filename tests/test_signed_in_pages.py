"""Signed-in pages (issue 18): what is per request is loaded once, a fixed number of queries
whatever the data size, and the shared parts (``portal/kept.py``) show a change
at once to the person who made it and never anything personal."""

import random
import re

import pytest

from portal import create_app, kept
from portal.board.demo import add_bulk_posts
from portal.circles import service as circle_service
from portal.extensions import db
from portal.models import Neighbourhood, Reply, Role, Theme
from portal.models.base import ContentStatus
from tests.conftest import CSRF_HEADER, CSRFClient, app_config, htmx_headers, login
from tests.factories import (
    make_circle,
    make_help_item,
    make_member,
    make_newcomer,
    make_pending_post,
    make_post,
    make_reply,
    make_report,
    make_support,
    make_user,
)

CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def people(app):
    circle = make_circle("Vleuten Dorp", neighbourhood="Vleuten")
    return {
        "circle": circle,
        "resident": make_member(circle),
        "connector": make_member(circle, role="connector"),
        "moderator": make_user(role=Role.MODERATOR),
    }


def _add_items(people, count: int, seed: int) -> None:
    """``count`` published posts, help items in the circle and items in the moderation queue."""
    authors = [people["connector"]]
    add_bulk_posts(count, authors, list(db.session.scalars(db.select(Theme))),
                   list(db.session.scalars(db.select(Neighbourhood))), random.Random(seed))
    for n in range(count):
        circle_service.post_help_item(people["circle"], people["connector"], kind="request",
                                      category="boodschappen", title=f"Vraag {seed}-{n}")
    db.session.commit()
    newcomer = make_newcomer()
    for n in range(count):
        make_pending_post(newcomer, title=f"Wacht {seed}-{n}")
    db.session.commit()


def test_signed_in_pages_run_the_same_queries_at_10_and_at_1000_items(client, count_queries, people):
    slug = people["circle"].slug
    post = make_post(people["connector"], title="Fietspad")
    pages = {
        "resident": ["/", "/themas/verkeer", f"/cirkels/{slug}", f"/berichten/{post.id}"],
        "connector": [f"/cirkels/{slug}/overzicht"],
        "moderator": ["/moderatie", "/"],
    }

    def counts() -> dict:
        found = {}
        for who, paths in pages.items():
            login(client, people[who])
            for path in paths:
                count_queries(client, path)  # the shared parts kept, as for the next reader
                # SQLite's BEGIN is a statement of ours (portal/database.py); PostgreSQL's is not
                found[who, path] = sum(not statement.startswith("BEGIN")
                                       for statement in count_queries(client, path))
            client.post("/uitloggen")
        return found

    _add_items(people, 10, seed=1)
    small = counts()
    _add_items(people, 990, seed=2)
    assert counts() == small
    # The person, plus what the page itself needs:
    # Kept until a change: the person, her membership and circle (kept.account);
    # home's newest ideas; the board's theme, buurten, filters, posts and form; the circle
    # with its streets, its facts, who has items only they see, the help lists and the form.
    assert small["resident", "/"] == 0
    assert small["resident", "/themas/verkeer"] == 0
    assert small["resident", f"/cirkels/{slug}"] == 0
    assert small["moderator", "/"] == 0  # the number in "Moderatie (n)", kept too
    assert small["moderator", "/moderatie"] == 0  # the queue's rows, kept per role
    # Read for each visit: a post with something of the reader's on it, the verbinder's
    # overview for a moderator.
    assert max(small.values()) <= 4, small
    print("queries per signed-in page:", small)


def test_a_change_shows_at_once_to_the_person_who_made_it(client, people):
    resident = people["resident"]
    login(client, resident)
    assert "Bankje bij de Schans" not in client.get("/themas/verkeer").get_data(as_text=True)
    client.get("/")  # both shared parts are kept now
    answer = client.post("/themas/verkeer/nieuw", data={
        "kind": "idee", "title": "Bankje bij de Schans", "body": "Een bankje om even te zitten."})
    assert answer.status_code == 303
    assert "Bankje bij de Schans" in client.get("/themas/verkeer").get_data(as_text=True)
    assert "Bankje bij de Schans" in client.get("/").get_data(as_text=True)


def _second_worker(database_url: str):
    """Another worker on the same database: an app of its own, with its own kept parts."""
    other = create_app(app_config(database_url))
    other.test_client_class = CSRFClient
    return other


def _same_browser(source, target) -> None:
    target.set_cookie("session", source.get_cookie("session").value)


def test_on_another_worker_everyone_sees_a_change_at_once(client, people, database_url):
    """This worker empties its parts in the commit and stamps the change; another worker of
    the same server sees the stamp at its next request and empties its own."""
    worker_two = _second_worker(database_url)
    login(client, people["resident"])
    mine = worker_two.test_client()
    _same_browser(client, mine)
    neighbour = worker_two.test_client()
    login(neighbour, people["connector"])
    for reader in (mine, neighbour):
        assert "Bankje bij de Schans" not in reader.get("/themas/verkeer").get_data(as_text=True)

    answer = client.post("/themas/verkeer/nieuw", data={
        "kind": "idee", "title": "Bankje bij de Schans", "body": "Een bankje om even te zitten."})
    assert answer.status_code == 303
    assert "Bankje bij de Schans" in neighbour.get("/themas/verkeer").get_data(as_text=True)
    _same_browser(client, mine)  # the browser sends the cookie the answer set
    assert "Bankje bij de Schans" in mine.get("/themas/verkeer").get_data(as_text=True)


def test_a_kept_account_follows_a_block_and_a_new_role_on_another_worker(client, people, database_url):
    """The person is kept per worker (``kept.account``); a moderator's decision on worker one
    reaches worker two at its next request."""
    worker_two = _second_worker(database_url)
    resident, moderator = people["resident"], people["moderator"]
    hers = worker_two.test_client()
    login(hers, resident)
    hers.get("/privacy")
    assert "Moderatie (" not in hers.get("/privacy").get_data(as_text=True)
    assert any(key[0] == "device_session" for key in worker_two.extensions["kept"])  # kept

    resident.role = Role.MODERATOR
    db.session.commit()  # as another worker would: this app's commit stamps the change
    assert "Moderatie (" in hers.get("/privacy").get_data(as_text=True)

    login(client, moderator)
    resident.role = Role.RESIDENT
    resident.blocked = True
    db.session.commit()
    page = hers.get("/privacy", follow_redirects=True).get_data(as_text=True)
    assert "Uitloggen" not in page  # signed out at once, and told why


def _token_of(page: str) -> str:
    return CSRF_HEADER.search(page).group(1)


def test_nothing_personal_leaks_from_a_kept_part(client, people):
    moderator, resident = people["moderator"], people["resident"]
    published = make_post(people["connector"], title="Drempels in de Dorpsstraat")
    make_support(published, resident)
    newcomer = make_newcomer()
    make_pending_post(newcomer, title="Nog niet gecontroleerd")
    db.session.commit()

    # The moderator and the newcomer are first: their pages fill the shared parts.
    login(client, moderator)
    first = {path: client.get(path).get_data(as_text=True) for path in ("/", "/themas/verkeer")}
    assert "Moderatie (" in first["/"]
    moderator_token = _token_of(first["/themas/verkeer"])
    client.post("/uitloggen")
    login(client, newcomer)
    client.get("/themas/verkeer")
    client.post("/uitloggen")

    login(client, resident)
    for path in ("/", "/themas/verkeer"):
        page = client.get(path).get_data(as_text=True)
        assert "Moderatie (" not in page and "/moderatie" not in page
        assert moderator_token not in page
        assert "Nog niet gecontroleerd" not in page  # the newcomer's own pending post
        assert "Drempels in de Dorpsstraat" in page
    board = client.get("/themas/verkeer").get_data(as_text=True)
    # The kept new-post form carries this person's own token, not the one it was made with.
    assert set(CSRF_FIELD.findall(board)) == {_token_of(board)}
    assert "Plaats bericht" in board
    fragment = client.get("/themas/verkeer?soort=idee", headers=htmx_headers()).get_data(as_text=True)
    assert "Drempels in de Dorpsstraat" in fragment and "csrf_token" not in fragment
    client.post("/uitloggen")

    # A visitor after them all: no form, no token, no one's session.
    client.delete_cookie("session")
    page = client.get("/themas/verkeer").get_data(as_text=True)
    assert "csrf_token" not in page and "Plaats bericht" not in page and "Log in" in page


def test_the_new_post_form_is_the_same_when_kept(client, people):
    """The kept form is the form: one rendered fresh and one from the copy differ only in
    their tokens (the person's own)."""
    login(client, people["resident"])
    fresh = client.get("/themas/groen").get_data(as_text=True)
    kept = client.get("/themas/groen").get_data(as_text=True)

    def form(page: str) -> str:
        return re.search(r'<div id="nieuw-bericht">.*?</form>', page, re.S).group(0)

    assert 'name="title"' in form(fresh) and '<input checked id="kind-0"' in form(fresh)
    assert CSRF_FIELD.sub("", form(fresh)) == CSRF_FIELD.sub("", form(kept))
    assert CSRF_FIELD.findall(form(kept)) == [_token_of(kept)]


def test_the_moderation_count_is_counted_once_per_change(client, people, count_queries):
    make_pending_post(make_newcomer(), title="Wacht")
    db.session.commit()
    login(client, people["moderator"])
    counts = [q for q in count_queries(client, "/moderatie") if q.lower().startswith("select count")]
    assert len(counts) == 2, counts  # the header's number, and the queue's pages
    client.get("/")  # home's own parts kept
    assert count_queries(client, "/moderatie") == count_queries(client, "/") == []  # the count kept
    page = client.get("/moderatie").get_data(as_text=True)
    assert 'Moderatie (<span id="moderatie-aantal">1</span>)' in page
    make_pending_post(make_newcomer(), title="Nog een")
    db.session.commit()  # a change empties what was kept
    assert 'Moderatie (<span id="moderatie-aantal">2</span>)' in client.get("/").get_data(as_text=True)


def _queue_part(page: str) -> str:
    return CSRF_FIELD.sub("", page[page.index('<p class="lead">'):page.index("</main>")])


def test_the_queue_is_kept_per_role_with_each_moderators_own_token(client, people):
    """The queue's rows are rendered once per change for all moderators of one role: an admin
    may act on a moderator's account, a moderator may not, and nobody on their own."""
    moderator, other_moderator = people["moderator"], make_user(role=Role.MODERATOR)
    admin = make_user(role=Role.ADMIN)
    make_report(make_post(moderator, title="Van een moderator"))
    make_pending_post(make_newcomer(), title="Van een nieuwe buur")
    db.session.commit()
    pages = {}
    for person in (moderator, other_moderator, admin, moderator):
        browser = client.application.test_client()  # signing out would be a change: it empties
        login(browser, person)  # what is kept (so would a slow second: "2 seconden oud")
        page = browser.get("/moderatie").get_data(as_text=True)
        pages.setdefault(person.id, []).append(page)
        assert set(CSRF_FIELD.findall(page)) == {_token_of(page)}
    first, again = pages[moderator.id]
    assert _queue_part(first) == _queue_part(again) == _queue_part(pages[other_moderator.id][0])
    admins = pages[admin.id][0]
    assert f"Account van {moderator.name}" in admins  # only an admin acts on a moderator
    assert f"Account van {moderator.name}" not in first
    assert "Account van " in first  # the newcomer's account, for every moderator
    assert "\x00" not in first + admins


def test_the_membership_is_one_query_and_only_where_a_page_needs_it(client, people, count_queries):
    login(client, people["resident"])
    home = count_queries(client, "/")
    memberships = [q for q in home if "FROM memberships" in q]
    assert len(memberships) == 1 and "circles" in memberships[0]  # with its circle, once
    assert len([q for q in home if "FROM users" in q]) == 1  # the person, once
    board = count_queries(client, "/themas/verkeer")
    assert not [q for q in board if "memberships" in q]  # the board never asks


def test_the_queue_reason_fields_are_kept_with_each_moderators_token_and_their_own_ids(client, people):
    first = make_pending_post(make_newcomer(), title="Eerste")
    second = make_pending_post(make_newcomer(), title="Tweede")
    db.session.commit()
    login(client, people["moderator"])
    earlier = client.get("/moderatie").get_data(as_text=True)
    client.post("/uitloggen")
    login(client, make_user(role=Role.MODERATOR))
    page = client.get("/moderatie").get_data(as_text=True)
    assert set(CSRF_FIELD.findall(page)) == {_token_of(page)} != {_token_of(earlier)}
    ids = re.findall(r'<textarea[^>]* id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) == 4  # hide and block, per row
    for field_id in ids:
        assert re.fullmatch(r"reden-\d+-(verbergen|blokkeren)", field_id)
        assert f'<label for="{field_id}">' in page and f'id="{field_id}-hint"' in page
    assert "\x00" not in page
    assert first.title in page and second.title in page


def test_only_reads_keep_a_part(app):
    """A post's view could see its own change before the commit (and a rollback empties
    nothing), so what it computes is never kept; nor is "not found"."""
    parts = app.extensions["kept"]
    with app.test_request_context("/themas/verkeer/nieuw", method="POST"):
        assert kept.theme(slug="verkeer").name == "Verkeer"
    with app.test_request_context("/themas/onbekend"):
        assert kept.theme(slug="onbekend") is None
    assert len(parts) == 0
    with app.test_request_context("/themas/verkeer"):
        first = kept.theme(slug="verkeer")
        assert kept.theme(slug="verkeer") is first  # the kept copy
    assert len(parts) == 1


# --- The circle page: the help lists and the facts per circle, the form per circle and shape ---


def test_a_member_never_sees_another_circles_items_from_a_kept_part(app, client, people):
    home, other = people["circle"], make_circle("De Meern Zuid", streets=("Mereveldlaan",),
                                                neighbourhood="De Meern")
    stranger = make_member(other)
    make_help_item(home, people["connector"], title="Ramen lappen")
    make_help_item(other, stranger, title="Hond uitlaten in De Meern")
    make_help_item(other, stranger, kind="offer", title="Soep koken")

    login(client, stranger)  # the other circle's parts are kept first
    page = client.get(f"/cirkels/{other.slug}").get_data(as_text=True)
    assert "Hond uitlaten in De Meern" in page and "Soep koken" in page
    assert any(key[0] == "help_lists" and key[2] == ("Circle", other.id) for key in app.extensions["kept"])
    client.post("/uitloggen")

    login(client, people["resident"])
    for _ in range(2):  # rendered, then kept
        page = client.get(f"/cirkels/{home.slug}").get_data(as_text=True)
        assert "Ramen lappen" in page
        assert "Hond uitlaten in De Meern" not in page and "Soep koken" not in page
        assert "Mereveldlaan" not in page
    # Nor her a visitor's or a stranger's view of her circle: only how much help is open.
    assert "Hulpvragen" in page
    client.post("/uitloggen")
    login(client, stranger)
    page = client.get(f"/cirkels/{home.slug}").get_data(as_text=True)
    assert "Ramen lappen" not in page and "Alleen leden zien" in page


def test_a_members_own_pending_item_shows_to_her_and_not_to_another_member(client, people):
    resident, connector = people["resident"], people["connector"]
    slug = people["circle"].slug
    make_help_item(people["circle"], connector, title="Ramen lappen")
    waiting = make_help_item(people["circle"], resident, title="Gordijnen ophangen")
    waiting.moderation = ContentStatus.PENDING
    hidden = make_help_item(people["circle"], resident, kind="offer", title="Verborgen aanbod")
    hidden.moderation = ContentStatus.HIDDEN
    db.session.commit()

    login(client, connector)  # the shared list is kept, without her items
    for _ in range(2):
        page = client.get(f"/cirkels/{slug}").get_data(as_text=True)
        assert "Ramen lappen" in page
        assert "Gordijnen ophangen" not in page and "Verborgen aanbod" not in page
    client.post("/uitloggen")

    login(client, resident)
    for _ in range(2):
        page = client.get(f"/cirkels/{slug}").get_data(as_text=True)
        assert "Ramen lappen" in page and "Gordijnen ophangen" in page and "Verborgen aanbod" in page
    client.post("/uitloggen")

    login(client, make_member(people["circle"]))  # after her: still the shared list
    page = client.get(f"/cirkels/{slug}").get_data(as_text=True)
    assert "Ramen lappen" in page
    assert "Gordijnen ophangen" not in page and "Verborgen aanbod" not in page
    assert client.get(f"/cirkels/hulp/{hidden.id}").status_code == 404  # hidden looks like missing


def test_a_new_help_item_shows_at_once_to_its_author(client, people):
    slug = people["circle"].slug
    login(client, people["resident"])
    first = client.get(f"/cirkels/{slug}").get_data(as_text=True)
    assert "Leden</dt><dd>2<" in first
    client.get(f"/cirkels/{slug}")  # the list, the facts and the form are kept now
    answer = client.post(f"/cirkels/{slug}/hulp/nieuw", data={
        "kind": "request", "category": "boodschappen", "title": "Boodschappen op vrijdag",
        "text": "Ik kan niet meer tillen.", "wanted_when": "vrijdagochtend"})
    assert answer.status_code == 303
    assert "Boodschappen op vrijdag" in client.get(f"/cirkels/{slug}").get_data(as_text=True)
    # With htmx the answer is the circle body, with the new item in it (rendered fresh).
    fragment = client.post(f"/cirkels/{slug}/hulp/nieuw", headers=htmx_headers(), data={
        "kind": "offer", "category": "boodschappen", "title": "Ik kook soep",
        "text": "Op woensdag.", "wanted_when": "woensdag"}).get_data(as_text=True)
    assert "Ik kook soep" in fragment and "Boodschappen op vrijdag" in fragment
    assert "data-focus-after-swap" in fragment


def test_the_help_form_is_kept_with_each_persons_token_and_the_verbinders_own_shape(client, people):
    slug = people["circle"].slug
    login(client, people["connector"])
    connector_page = client.get(f"/cirkels/{slug}").get_data(as_text=True)
    client.post("/uitloggen")
    login(client, people["resident"])
    fresh = client.get(f"/cirkels/{slug}").get_data(as_text=True)
    kept = client.get(f"/cirkels/{slug}").get_data(as_text=True)

    def form(page: str) -> str:
        return re.search(r'<form id="hulp-formulier".*?</form>', page, re.S).group(0)

    assert 'name="title"' in form(kept) and "\x00" not in kept
    assert CSRF_FIELD.sub("", form(fresh)) == CSRF_FIELD.sub("", form(kept))
    assert set(CSRF_FIELD.findall(kept)) == {_token_of(kept)} != {_token_of(connector_page)}
    assert "Hulp vragen namens een buur" in connector_page and "Hulp vragen namens een buur" not in kept


# --- A post: the post and its replies kept for plain readers ----------------------------------


def test_a_plain_reader_gets_the_kept_post_and_nobody_gets_anothers_buttons(client, people, count_queries):
    author, replier = make_user(name="Els Auteur"), make_user(name="Bram Reageerder")
    reader = people["resident"]
    post = make_post(author, title="Bankje bij de Schans")
    make_reply(post, replier, body="Ja, graag een bankje.")
    waiting = Reply(post=post, author=make_newcomer(name="Nina Nieuw"), body="Ik wacht nog op controle.",
                    status="pending", created_at=post.created_at)
    db.session.add(waiting)
    db.session.commit()
    path = f"/berichten/{post.id}"

    login(client, reader)
    client.get(path)
    kept = client.get(path).get_data(as_text=True)
    assert sum(not q.startswith("BEGIN") for q in count_queries(client, path)) == 0  # all kept
    assert "Ja, graag een bankje." in kept and "Ik wacht nog op controle." not in kept
    assert "Reactie bewerken" not in kept and "Bericht bewerken" not in kept
    assert kept.count(">Melden<") == 2  # the post and the reply
    assert "Verbergen" not in kept

    for person, sees, not_sees in (
        (replier, ["Reactie bewerken"], []),  # the kept list has no button of theirs
        (author, ["Bericht bewerken"], []),
        (waiting.author, ["Ik wacht nog op controle.", "Wacht op controle"], []),
        (people["moderator"], ["Verbergen"], [">Melden<", "Ik wacht nog op controle."]),
    ):
        client.post("/uitloggen")
        login(client, person)
        page = client.get(path).get_data(as_text=True)
        page = client.get(path).get_data(as_text=True)  # also once the parts are kept
        for text in sees:
            assert text in page, (person.name, text)
        for text in not_sees:
            assert text not in page, (person.name, text)
    client.post("/uitloggen")
    login(client, replier)
    own = client.get(path).get_data(as_text=True)
    assert own.count(">Melden<") == 1  # not under their own reply

    client.post("/uitloggen")
    login(client, reader)
    assert client.get(path).get_data(as_text=True).count(">Melden<") == 2


def test_steun_shows_at_once_and_the_kept_counts_follow(client, people):
    post = make_post(people["connector"], title="Meer groen")
    path = f"/berichten/{post.id}"
    login(client, people["resident"])
    client.get(path)
    assert "Steun dit bericht" in client.get(path).get_data(as_text=True)
    client.post(f"/berichten/{post.id}/steun", data={"actie": "geven"})
    page = client.get(path).get_data(as_text=True)
    assert "Steun intrekken" in page and "1 persoon steunt" in page
    client.post("/uitloggen")
    login(client, people["connector"])
    assert "1 persoon steunt" in client.get(path).get_data(as_text=True)


# --- The verbinder's overview: kept for the circle's verbinders only ------------------------


def test_the_overview_is_kept_for_the_circles_verbinders_and_never_shown_to_a_moderator(client, people):
    circle, first = people["circle"], people["connector"]
    second = make_member(circle, role="connector", name="Tweede Verbinder")
    member = people["resident"]
    member.phone = "06 1234 5678"  # not shared with the neighbours: verbinders see it
    db.session.commit()
    path = f"/cirkels/{circle.slug}/overzicht"
    moderator = make_user(role=Role.MODERATOR)

    login(client, first)
    client.get(path)
    assert "06 1234 5678" in client.get(path).get_data(as_text=True)  # kept now
    for person, sees_phone in ((moderator, False), (second, True)):
        client.post("/uitloggen")
        login(client, person)
        page = client.get(path).get_data(as_text=True)
        assert ("06 1234 5678" in page) == sees_phone, person.name
        assert ("Buren zonder internet" in page) == sees_phone, person.name

    make_help_item(circle, member, title="Boodschappen op dinsdag")
    assert "Boodschappen op dinsdag" in client.get(path).get_data(as_text=True)  # at once
