"""Buurtcirkels: who may see and do what, both paths of every form (no JavaScript: 303;
htmx: a fragment), the street search, the map, the demo data and fixed query counts."""

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import event

from portal import demo
from portal.circles import access, service
from portal.extensions import db
from portal.models import Circle, HelpItem, Membership, Role, User
from tests.budgets import (
    FRAGMENT_BUDGET,
    MAP_PAGE_BUDGET,
    assert_no_third_party,
    assert_within_budget,
)
from tests.conftest import htmx_headers, login
from tests.factories import make_circle, make_help_item, make_member, make_user


@dataclass
class World:
    """Two circles: in ``home`` a member, the author of a request and a connector; in
    ``elsewhere`` someone else; and a moderator who belongs to no circle."""

    home: Circle
    elsewhere: Circle
    member: User
    author: User
    connector: User
    other: User
    moderator: User
    item: HelpItem

    def person(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self, persona)


@pytest.fixture
def world(app) -> World:
    home = make_circle("Vleuten Dorp", streets=("Dorpsstraat", "Schoolstraat"))
    elsewhere = make_circle("De Meern Zandweg", streets=("Zandweg",), neighbourhood="De Meern",
                            latitude=52.0822, longitude=5.0322)
    member = make_member(home, name="Riet van Dijk")
    author = make_member(home, name="Joke Vermeulen")
    connector = make_member(home, role="connector", name="Sonja Bakker")
    other = make_member(elsewhere, name="Henk Verhoef")
    moderator = make_user(name="Mehmet Yilmaz", role=Role.MODERATOR)
    item = make_help_item(home, author, title="Lamp ophangen in de gang", category="klusjes")
    return World(home, elsewhere, member, author, connector, other, moderator, item)


def sign_in_as(client, world: World, persona: str) -> None:
    user = world.person(persona)
    if user is not None:
        login(client, user)


def page_text(response) -> str:
    return response.get_data(as_text=True)


def assert_fragment(response, *, status: int = 200) -> str:
    """An htmx answer: the fragment only (no layout), ``Vary: HX-Request``, within budget."""
    assert response.status_code == status, page_text(response)[:800]
    html = page_text(response)
    assert "<html" not in html and "<body" not in html
    assert "HX-Request" in response.headers["Vary"]
    return html


def assert_fragment_within_budget(client, url: str, headers: dict | None = None):
    response = client.get(url, headers={**htmx_headers(), "Accept-Encoding": "br, gzip", **(headers or {})})
    assert response.status_code == 200
    assert len(response.get_data()) <= FRAGMENT_BUDGET, f"{url}: {len(response.get_data())} bytes"


# --- The permission matrix --------------------------------------------------------------------

PERSONAS = ["anonymous", "member", "other", "connector", "moderator", "author"]
ANON, SIGN_IN = 302, 302  # signed out: to the sign-in page (a GET redirect, or 303 for a post)

# name: (method, url, form data, expected status per persona in PERSONAS order)
ROUTES = {
    "list": ("GET", "/cirkels", None, (200, 200, 200, 200, 200, 200)),
    "search": ("GET", "/cirkels?straat=Dorps", None, (200, 200, 200, 200, 200, 200)),
    "map": ("GET", "/cirkels/kaart", None, (200, 200, 200, 200, 200, 200)),
    "circle": ("GET", "/cirkels/{home}", None, (200, 200, 200, 200, 200, 200)),
    "unknown circle": ("GET", "/cirkels/bestaat-niet", None, (404, 404, 404, 404, 404, 404)),
    "join": ("POST", "/cirkels/{home}/lid-worden", {}, (303, 303, 303, 303, 303, 303)),
    "leave": ("POST", "/cirkels/{home}/opzeggen", {}, (303, 303, 303, 303, 303, 303)),
    "new item form": ("GET", "/cirkels/{home}/hulp/nieuw", None, (302, 200, 403, 200, 403, 200)),
    "new item": (
        "POST", "/cirkels/{home}/hulp/nieuw",
        {"kind": "request", "category": "vervoer", "title": "Naar de huisarts"},
        (302, 303, 403, 303, 403, 303),
    ),
    "overview": ("GET", "/cirkels/{home}/overzicht", None, (302, 403, 403, 200, 200, 403)),
    "contact line": (
        "POST", "/cirkels/{home}/contactregel", {"contact_line": "Bel Sonja"},
        (302, 403, 403, 303, 303, 403),
    ),
    "item": ("GET", "/hulp/{item}", None, (302, 200, 404, 200, 200, 200)),
    "unknown item": ("GET", "/hulp/999999", None, (302, 404, 404, 404, 404, 404)),
    "respond": ("POST", "/hulp/{item}/reageren", {"message": "Ik kom"}, (302, 303, 404, 303, 403, 403)),
    "status": ("POST", "/hulp/{item}/status", {"status": "afgerond"}, (302, 403, 404, 303, 303, 303)),
}
MATRIX = [
    pytest.param(route, persona, expected[i], id=f"{route}-{persona}")
    for route, (_m, _u, _d, expected) in ROUTES.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("route", "persona", "expected"), MATRIX)
def test_permission_matrix(client, world, route, persona, expected):
    method, url, data, _ = ROUTES[route]
    url = url.format(home=world.home.slug, item=world.item.id)
    sign_in_as(client, world, persona)
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    assert response.status_code == expected, page_text(response)[:600]
    if expected in (302, 303) and persona == "anonymous" and route not in ("join", "leave"):
        assert "/inloggen" in response.headers["Location"]


def test_signed_out_join_asks_to_sign_in_and_comes_back(client, world):
    response = client.post(f"/cirkels/{world.home.slug}/lid-worden")
    assert response.status_code == 303
    assert "/inloggen?next=/cirkels/" in response.headers["Location"]


def test_a_hidden_item_looks_exactly_like_a_missing_one(client, world):
    login(client, world.other)
    hidden = client.get(f"/hulp/{world.item.id}")
    missing = client.get("/hulp/999999")
    assert hidden.status_code == missing.status_code == 404
    assert "Lamp ophangen" not in page_text(hidden)
    # The same page, but for the signed CSRF token, which carries the second it was made in.
    token = re.compile(r'"X-CSRFToken": "[^"]+"|value="[^"]{40,}"')
    without_token = [token.sub("TOKEN", page_text(r).split("<main")[1]) for r in (hidden, missing)]
    assert without_token[0] == without_token[1]


def test_access_rules_in_one_place(app, world):
    assert access.is_connector(world.connector, world.home)
    assert not access.is_connector(world.member, world.home)
    assert access.membership_of(world.member).circle_id == world.home.id
    assert access.membership_of(None) is None
    assert access.can_see_help_item(world.member, world.item)
    assert access.can_see_help_item(world.moderator, world.item)
    assert not access.can_see_help_item(world.other, world.item)
    assert access.can_change_status(world.author, world.item)
    assert access.can_change_status(world.connector, world.item)
    assert not access.can_change_status(world.member, world.item)
    assert access.can_respond(world.member, world.item)
    assert not access.can_respond(world.author, world.item)  # not on your own item
    assert not access.can_respond(world.moderator, world.item)  # moderators watch, members help


# --- Find your circle ------------------------------------------------------------------------


def test_list_groups_circles_with_counts_and_connector(client, world):
    make_help_item(world.home, world.member, title="Tweede vraag")
    make_help_item(world.home, world.member, kind="offer", title="Een aanbod telt niet mee")
    html = page_text(client.get("/cirkels"))
    assert html.index("De Meern") < html.index("Vleuten Dorp")  # neighbourhoods, by name
    home_card = html[html.index("Vleuten Dorp"):]
    assert "3 leden" in home_card[:600] and "2 open hulpvragen" in home_card[:600]
    assert "verbinder: Sonja" in home_card[:600] and "Bakker" not in html
    assert 'href="/cirkels/kaart"' in html and "Toon op de kaart" in html


def test_street_search_finds_the_circle_from_an_address(client, world):
    html = page_text(client.get("/cirkels", query_string={"straat": "  schoolstraat 12a "}))
    assert "Vleuten Dorp" in html and "De Meern Zandweg" not in html
    assert 'value="schoolstraat"' in html
    assert 'hx-trigger="input changed delay:400ms, search"' in html
    assert 'aria-live="polite"' in html


def test_street_search_with_htmx_answers_the_results_fragment(client, world):
    response = client.get("/cirkels?straat=Zand", headers=htmx_headers())
    html = assert_fragment(response)
    assert "De Meern Zandweg" in html and "Vleuten Dorp" not in html
    assert_fragment_within_budget(client, "/cirkels?straat=Zand")
    assert_fragment_within_budget(client, "/cirkels")


def test_street_search_without_result_helps_further(client, world):
    html = page_text(client.get("/cirkels?straat=Oudegracht"))
    assert "We vinden geen buurtcirkel bij “Oudegracht”" in html
    assert "Wijkinformatiepunt" in html


def test_street_search_treats_wildcards_as_text(client, world):
    html = page_text(client.get("/cirkels?straat=%25"))
    assert "We vinden geen buurtcirkel" in html


def test_home_page_has_the_search_and_leads_a_member_to_her_circle(client, world):
    html = page_text(client.get("/"))
    assert "Vind je buurtcirkel" in html and 'name="straat"' in html
    assert 'hx-get="/cirkels"' in html and 'id="zoekresultaten"' in html
    login(client, world.member)
    html = page_text(client.get("/"))
    circle_url = f"/cirkels/{world.home.slug}"
    assert html.index(f'href="{circle_url}"') < html.index('class="entry-points"')
    entries = html[html.index('class="entry-points"'):]
    assert f'href="{circle_url}#vragen"' in entries and f'href="{circle_url}#hulp"' in entries


def _count_queries(client, url: str) -> int:
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_pages_use_a_fixed_number_of_queries(client, world):
    login(client, world.member)
    urls = ["/cirkels", "/cirkels/kaart", f"/cirkels/{world.home.slug}", f"/hulp/{world.item.id}", "/"]
    client.get("/privacy")  # the wijken are read once after each change (kept.wijken)
    before = {url: _count_queries(client, url) for url in urls}
    for n in range(4):
        circle = make_circle(f"Extra {n}", streets=(f"Straat {n}", f"Laan {n}"))
        connector = make_member(circle, role="connector")
        make_help_item(circle, connector)
        make_help_item(world.home, make_member(world.home), title=f"Vraag {n}")
        service.respond(world.item, make_member(world.home), f"Bericht {n}")
        db.session.commit()
    client.get("/privacy")
    after = {url: _count_queries(client, url) for url in urls}
    assert after == before


# --- The circle page -----------------------------------------------------------------------------


def test_public_circle_page_shows_counts_only(client, world):
    make_help_item(world.home, world.author, kind="offer", title="Samen koffie drinken")
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    assert "Dorpsstraat, Schoolstraat" in html
    assert "<dt>Leden</dt><dd>3</dd>" in html
    assert "Sonja" in html and "Bakker" not in html
    assert "1 hulpvraag open" in html and "1 aanbod" in html
    assert "Lamp ophangen" not in html and "Samen koffie" not in html
    assert "/hulp/" not in html
    assert "Wijkinformatiepunt" in html  # no contact line published: call the wijkinformatiepunt
    assert "log in" in html


def test_published_contact_line_replaces_the_wijkinformatiepunt(client, world):
    world.home.contact_line = "Bel Sonja: 030 - 000 11 22"
    db.session.commit()
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    main = html.split("<main", 1)[1].split("</main>", 1)[0]  # the footer always names it
    assert "Bel Sonja: 030 - 000 11 22" in main and "Wijkinformatiepunt" not in main


def test_members_see_each_open_item_as_a_link(client, world):
    done = make_help_item(world.home, world.author, title="Al klaar")
    done.status = "afgerond"
    db.session.commit()
    login(client, world.member)
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    assert f'href="/hulp/{world.item.id}"' in html and "Lamp ophangen in de gang" in html
    assert "Al klaar" not in html
    assert 'id="hulp-formulier"' in html and "Vraag hulp of bied hulp aan" in html
    assert world.author.email not in html and world.member.email not in html


def test_moderator_sees_items_but_cannot_post_there(client, world):
    login(client, world.moderator)
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    assert "Lamp ophangen in de gang" in html
    assert 'id="hulp-formulier"' not in html


def test_join_without_javascript(client, world):
    newcomer = make_user()
    login(client, newcomer)
    response = client.post(f"/cirkels/{world.home.slug}/lid-worden")
    assert response.status_code == 303 and response.headers["Location"] == f"/cirkels/{world.home.slug}"
    html = page_text(client.get(response.headers["Location"]))
    assert "Welkom! U bent nu lid van Vleuten Dorp." in html
    assert "Lamp ophangen in de gang" in html


def test_join_with_htmx_answers_the_circle_body(client, world):
    login(client, make_user())
    response = client.post(f"/cirkels/{world.home.slug}/lid-worden", headers=htmx_headers())
    html = assert_fragment(response)
    assert 'id="cirkel-inhoud"' in html and "Lamp ophangen in de gang" in html
    assert 'hx-swap-oob="innerHTML:#meldingen"' in html and "U bent nu lid" in html
    assert "data-focus-after-swap" in html


def test_joining_another_circle_moves_you(client, world):
    login(client, world.other)
    response = client.post(f"/cirkels/{world.home.slug}/lid-worden")
    assert response.status_code == 303
    memberships = db.session.scalars(db.select(Membership).where(Membership.user_id == world.other.id)).all()
    assert [m.circle_id for m in memberships] == [world.home.id]
    html = page_text(client.get(response.headers["Location"]))
    assert "U bent verhuisd naar Vleuten Dorp. U bent geen lid meer van De Meern Zandweg." in html


def test_circle_page_warns_before_moving(client, world):
    login(client, world.other)
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    assert "U bent nu lid van De Meern Zandweg" in html and "Verhuizen naar deze cirkel" in html


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_leave(client, world, htmx):
    login(client, world.member)
    response = client.post(f"/cirkels/{world.home.slug}/opzeggen", headers=htmx_headers() if htmx else {})
    if htmx:
        html = assert_fragment(response)
        assert "Lid worden" in html and "U bent geen lid meer van Vleuten Dorp" in html
    else:
        assert response.status_code == 303
        assert "U bent geen lid meer" in page_text(client.get(response.headers["Location"]))
    assert access.membership_of(world.member) is None


# --- Asking for help -----------------------------------------------------------------------------

NEW_REQUEST = {"kind": "request", "category": "boodschappen", "title": "Boodschappen op vrijdag",
               "text": "Ik kan niet meer tillen.", "wanted_when": "vrijdagochtend"}


def _newest_item() -> HelpItem:
    return db.session.scalar(db.select(HelpItem).order_by(HelpItem.id.desc()))


def test_ask_for_help_without_javascript(client, world):
    login(client, world.member)
    assert "Namens een buur" not in page_text(client.get(f"/cirkels/{world.home.slug}/hulp/nieuw"))
    response = client.post(f"/cirkels/{world.home.slug}/hulp/nieuw", data=NEW_REQUEST)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cirkels/{world.home.slug}#hulp"
    item = _newest_item()
    assert (item.title, item.author_id, item.status, item.wanted_when) == (
        "Boodschappen op vrijdag", world.member.id, "open", "vrijdagochtend")
    assert [event.action for event in item.events] == ["created"]
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    assert f'href="/hulp/{item.id}"' in html and "staat nu bij de buurtcirkel" in html


def test_ask_for_help_with_htmx_swaps_the_new_item_in(client, world):
    login(client, world.member)
    response = client.post(f"/cirkels/{world.home.slug}/hulp/nieuw", data=NEW_REQUEST, headers=htmx_headers())
    html = assert_fragment(response)
    item = _newest_item()
    new_row = f'<a class="row-link" href="/hulp/{item.id}" data-focus-after-swap>Boodschappen op vrijdag</a>'
    assert new_row in html
    assert 'hx-swap-oob="innerHTML:#meldingen"' in html and "staat nu bij de buurtcirkel" in html
    assert 'value="Boodschappen op vrijdag"' not in html  # a fresh form
    assert len(response.get_data()) <= FRAGMENT_BUDGET * 3  # uncompressed; compressed below
    assert_fragment_within_budget(client, f"/cirkels/{world.home.slug}")


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_invalid_request_keeps_what_was_typed(client, world, htmx):
    login(client, world.member)
    data = {**NEW_REQUEST, "title": "", "text": "Mijn eigen uitleg <b>blijft</b>"}
    response = client.post(f"/cirkels/{world.home.slug}/hulp/nieuw", data=data,
                           headers=htmx_headers() if htmx else {})
    html = assert_fragment(response, status=422) if htmx else page_text(response)
    assert response.status_code == 422
    assert "Mijn eigen uitleg &lt;b&gt;blijft&lt;/b&gt;" in html
    assert 'value="vrijdagochtend"' in html
    assert 'aria-describedby="title-hint title-error"' in html and "Vul dit veld in." in html
    assert ("<html" in html) is not htmx
    assert db.session.scalar(db.select(db.func.count(HelpItem.id))) == 1


def test_offer_help(client, world):
    login(client, world.member)
    page = page_text(client.get(f"/cirkels/{world.home.slug}/hulp/nieuw?soort=aanbod"))
    assert re.search(r'<input checked id="kind-1" name="kind" required type="radio" value="offer">', page)
    client.post(f"/cirkels/{world.home.slug}/hulp/nieuw",
                data={**NEW_REQUEST, "kind": "offer", "title": "Ik help met de tablet"})
    assert _newest_item().kind == "offer"
    html = page_text(client.get(f"/cirkels/{world.home.slug}"))
    offers = html[html.index('id="hulpaanbod"'):]
    assert "Ik help met de tablet" in offers


# --- Namens ----------------------------------------------------------------------------------------

ON_BEHALF = {**NEW_REQUEST, "on_behalf_name": "Gerda", "on_behalf_street": "Schoolstraat", "consent": "y"}


def test_connector_posts_on_behalf_of_a_neighbour(client, world):
    login(client, world.connector)
    form = page_text(client.get(f"/cirkels/{world.home.slug}/hulp/nieuw"))
    assert "Deze buur heeft toestemming gegeven" in form
    assert '<option value="Schoolstraat">' in form
    response = client.post(f"/cirkels/{world.home.slug}/hulp/nieuw", data=ON_BEHALF)
    assert response.status_code == 303
    item = _newest_item()
    assert (item.on_behalf_name, item.on_behalf_street, item.author_id) == ("Gerda", "Schoolstraat",
                                                                          world.connector.id)
    login(client, world.member)
    html = page_text(client.get(f"/hulp/{item.id}"))
    assert "Geplaatst door Sonja Bakker namens Gerda (Schoolstraat)" in html
    assert "Het contact loopt via Sonja, de verbinder" in html
    response = client.post(f"/hulp/{item.id}/reageren", data={"message": "Ik rijd"})
    assert "Sonja brengt u in contact met Gerda" in page_text(client.get(response.headers["Location"]))


def test_on_behalf_needs_consent_and_keeps_what_was_typed(client, world):
    login(client, world.connector)
    response = client.post(f"/cirkels/{world.home.slug}/hulp/nieuw", data={**ON_BEHALF, "consent": ""})
    assert response.status_code == 422
    html = page_text(response)
    assert "Vink het vakje aan" in html and 'value="Gerda"' in html
    assert '<option selected value="Schoolstraat">' in html
    assert db.session.scalar(db.select(db.func.count(HelpItem.id))) == 1


def test_on_behalf_street_must_be_one_of_the_circle(client, world):
    login(client, world.connector)
    response = client.post(f"/cirkels/{world.home.slug}/hulp/nieuw",
                           data={**ON_BEHALF, "on_behalf_street": "Dorpsstraat 12"})
    assert response.status_code == 422


def test_members_cannot_post_on_behalf(client, world):
    login(client, world.member)
    client.post(f"/cirkels/{world.home.slug}/hulp/nieuw", data=ON_BEHALF)
    item = _newest_item()
    assert item.author_id == world.member.id and item.on_behalf_name is None


# --- A help item: respond, status ------------------------------------------------------------


def test_item_page_shows_item_history_and_responses(client, world):
    login(client, world.member)
    client.post(f"/hulp/{world.item.id}/reageren", data={"message": "Ik kom morgen met een trap."})
    login(client, world.author)
    html = page_text(client.get(f"/hulp/{world.item.id}"))
    assert "Riet van Dijk</strong> wil helpen" in html and "Ik kom morgen met een trap." in html
    assert "Joke Vermeulen plaatste deze hulpvraag." in html and "Riet van Dijk reageerde." in html
    assert "Riet helpt" in html  # the author can pick who helps
    for user in (world.member, world.author, world.connector):
        assert user.email not in html


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_respond(client, world, htmx):
    login(client, world.member)
    response = client.post(f"/hulp/{world.item.id}/reageren", data={"message": "Ik help graag"},
                           headers=htmx_headers() if htmx else {})
    if htmx:
        html = assert_fragment(response)
        assert 'id="hulp-inhoud"' in html and "Ik help graag" in html and "U heeft gereageerd" in html
        assert "Joke ziet nu dat u wilt helpen" in html
    else:
        assert response.status_code == 303 and response.headers["Location"] == f"/hulp/{world.item.id}"
        assert "Joke ziet nu dat u wilt helpen" in page_text(client.get(response.headers["Location"]))
    assert [(r.user_id, r.message) for r in world.item.responses] == [(world.member.id, "Ik help graag")]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_invalid_response_keeps_the_message(client, world, htmx):
    login(client, world.member)
    message = "Heel lang verhaal. " * 60
    response = client.post(f"/hulp/{world.item.id}/reageren", data={"message": message},
                           headers=htmx_headers() if htmx else {})
    html = assert_fragment(response, status=422) if htmx else page_text(response)
    assert response.status_code == 422
    assert message.strip() in html and "Gebruik hooguit 1.000 tekens." in html
    assert world.item.responses == []


def test_responding_twice_is_refused_kindly(client, world):
    login(client, world.member)
    client.post(f"/hulp/{world.item.id}/reageren", data={"message": "Eerste"})
    response = client.post(f"/hulp/{world.item.id}/reageren", data={"message": "Tweede"})
    assert response.status_code == 303
    assert "U had al gereageerd" in page_text(client.get(response.headers["Location"]))
    assert len(world.item.responses) == 1
    # Also with something wrong in it: the page shows no form any more, so it would have
    # been a 422 without a message to act on (found by tests/test_bad_input.py).
    again = client.post(f"/hulp/{world.item.id}/reageren", data={"message": "x" * 2000})
    assert again.status_code == 303
    assert "U had al gereageerd" in page_text(client.get(again.headers["Location"]))


def test_offer_response_button_says_dit_wil_ik_graag(client, world):
    offer = make_help_item(world.home, world.author, kind="offer", title="Samen koffie drinken")
    login(client, world.member)
    html = page_text(client.get(f"/hulp/{offer.id}"))
    assert "Dit wil ik graag</button>" in html and "Ik help</button>" not in html


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_author_picks_a_helper_and_closes_the_request(client, world, htmx):
    login(client, world.member)
    client.post(f"/hulp/{world.item.id}/reageren", data={"message": ""})
    login(client, world.author)
    headers = htmx_headers() if htmx else {}
    url = f"/hulp/{world.item.id}/status"
    promised = client.post(url, data={"status": "toegezegd", "helper": str(world.member.id)}, headers=headers)
    closed = client.post(url, data={"status": "afgerond"}, headers=headers)
    if htmx:
        assert "Genoteerd: Riet helpt." in assert_fragment(promised)
        html = assert_fragment(closed)
        assert "Fijn dat het gelukt is!" in html
    else:
        assert promised.status_code == closed.status_code == 303
        html = page_text(client.get(closed.headers["Location"]))
    assert "Wie helpt</dt><dd>Toegezegd aan Riet</dd>" in html
    assert "zette de status op toegezegd" in html and "zette de status op afgerond" in html
    assert (world.item.status, world.item.taken_by_id) == ("afgerond", world.member.id)
    assert "Lamp ophangen" not in page_text(client.get(f"/cirkels/{world.home.slug}"))


@pytest.mark.parametrize("data", [{"status": "bestaat-niet"}, {"status": "open"},
                                  {"status": "toegezegd", "helper": "999"}])
def test_invalid_status_change_is_refused(client, world, data):
    login(client, world.author)
    response = client.post(f"/hulp/{world.item.id}/status", data=data)
    assert response.status_code == 422
    assert 'class="error"' in page_text(response)
    assert world.item.status == "open"


def test_invalid_status_change_with_htmx(client, world):
    login(client, world.author)
    response = client.post(f"/hulp/{world.item.id}/status", data={"status": "open"}, headers=htmx_headers())
    assert "Deze stap kan nu niet" in assert_fragment(response, status=422)


def test_reopening_forgets_the_helper(client, world):
    login(client, world.member)
    client.post(f"/hulp/{world.item.id}/reageren", data={})
    login(client, world.connector)
    url = f"/hulp/{world.item.id}/status"
    client.post(url, data={"status": "toegezegd", "helper": str(world.member.id)})
    client.post(url, data={"status": "open"})
    assert (world.item.status, world.item.taken_by_id) == ("open", None)


def test_fragments_of_the_item_page_stay_small(client, world):
    login(client, world.member)
    assert_fragment_within_budget(client, f"/hulp/{world.item.id}")


# --- The connector's overview ------------------------------------------------------------------


def test_overview_lists_open_items_oldest_first_and_marks_old_ones(client, world):
    make_help_item(world.home, world.member, title="Al lang open", days_ago=9)
    make_help_item(world.home, world.member, title="Nog vers", days_ago=2)
    login(client, world.connector)
    html = page_text(client.get(f"/cirkels/{world.home.slug}/overzicht"))
    assert html.index("Al lang open") < html.index("Nog vers") < html.index("Lamp ophangen")
    old = html[html.index("Al lang open"):html.index("Nog vers")]
    assert "9 dagen open" in old and "Langer dan 7 dagen open" in old
    assert "Langer dan 7 dagen" not in html[html.index("Nog vers"):]


@pytest.mark.parametrize("htmx", [False, True], ids=["no-js", "htmx"])
def test_connector_publishes_a_contact_line(client, world, htmx):
    login(client, world.connector)
    url, headers = f"/cirkels/{world.home.slug}/contactregel", htmx_headers() if htmx else {}
    response = client.post(url, data={"contact_line": "Bel Sonja: 030"}, headers=headers)
    if htmx:
        assert "staat nu op de pagina" in assert_fragment(response)
    else:
        assert response.status_code == 303
    assert world.home.contact_line == "Bel Sonja: 030"
    too_long = "x" * 201
    response = client.post(url, data={"contact_line": too_long}, headers=headers)
    assert response.status_code == 422 and too_long in page_text(response)


# --- The map ---------------------------------------------------------------------------------------


def test_map_is_folium_inside_our_page_with_only_our_files(client, world):
    response = client.get("/cirkels/kaart")
    html = page_text(response)
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert_no_third_party(html)
    assert "<iframe" not in html.lower()
    assert re.search(r'<script src="/static/vendor/leaflet-1.9.4/leaflet.js\?v=\w+"', html)
    assert 'href="/static/vendor/leaflet-1.9.4/leaflet.css?v=' in html
    for library in ("jquery", "bootstrap", "font-awesome", "fontawesome", "cdn.", "awesome-markers"):
        assert library not in html.lower()
    inline_scripts = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
    assert inline_scripts and all(f'nonce="{nonce}"' in attrs for attrs in inline_scripts)
    assert "<style" not in html and " style=" not in html
    assert html.count("L.circle(") == 2
    assert f'bindPopup("\\u003ca href=\\"/cirkels/{world.home.slug}\\"' in html
    assert "service.pdok.nl/brt/achtergrondkaart" in html and "Kadaster" in html
    assert 'class="folium-map"' in html


LABEL = re.compile(  # a map label, as folium writes it into the script (JSON, < escaped)
    r'bindTooltip\("\\u003ca href=\\"/cirkels/([\w-]+)\\"\\u003e'
    r'\\u003cspan class=\\"map-number\\"\\u003e(\d+)'
)
LISTED = re.compile(r'<a class="row-link" href="/cirkels/([\w-]+)"><span class="map-number">(\d+)</span>')


def test_map_names_every_circle_with_its_number_in_the_list(client, world):
    html = page_text(client.get("/cirkels/kaart"))
    numbered = [(world.elsewhere.slug, "1"), (world.home.slug, "2")]  # by neighbourhood, then name
    assert LABEL.findall(html) == LISTED.findall(html) == numbered, html[-3000:]
    assert html.count('"interactive": true, "permanent": true') == 2  # shown without a tap
    assert "is-mine" not in html and "uw buurtcirkel" not in html  # a visitor has no circle


def test_map_of_a_member_shows_their_own_circle(client, world):
    login(client, world.member)
    html = page_text(client.get("/cirkels/kaart"))
    assert html.count('"className": "map-label is-mine"') == 1
    assert html.count("(uw buurtcirkel)") == 1 and html.count('"weight": 6') == 1
    assert f'<li class="row is-mine"><a class="row-link" href="/cirkels/{world.home.slug}">' in html


MARKED_LABEL = re.compile(  # the label of the viewer's own circle, with the circle it links to
    r'bindTooltip\("\\u003ca href=\\"/cirkels/([\w-]+)\\"[^\n]*"className": "map-label is-mine"')


def test_the_kept_map_is_kept_per_own_circle(client, world):
    """Folium's map is built once per change for everyone with the same own circle: each
    member sees their own circle stand out, never the one of whoever came before."""
    readers = ((world.member, world.home), (world.other, world.elsewhere), (world.author, world.home))
    for person, own in readers:
        login(client, person)
        html = page_text(client.get("/cirkels/kaart"))
        marked = MARKED_LABEL.findall(html)
        assert marked == [own.slug], (person.name, marked)
        client.post("/uitloggen")
    assert "is-mine" not in page_text(client.get("/cirkels/kaart"))


def test_map_tiles_come_from_the_setting(app, client, world):
    app.config["TILE_URL"] = "https://tiles.example.org/{z}/{x}/{y}.png"
    app.config["TILE_ATTRIBUTION"] = "Voorbeeldkaart"
    response = client.get("/cirkels/kaart")
    html = page_text(response)
    assert "tiles.example.org/{z}/{x}/{y}.png" in html and "Voorbeeldkaart" in html
    assert "https://tiles.example.org" in response.headers["Content-Security-Policy"]


def test_map_page_within_its_budget(client, world):
    assert_within_budget(client, "/cirkels/kaart", MAP_PAGE_BUDGET)


def test_map_fragment_for_the_list_page(client, world):
    html = assert_fragment(client.get("/cirkels/kaart", headers=htmx_headers()))
    assert "L.circle(" in html and "data-leaflet" in html and "Alle buurtcirkels" not in html
    assert_fragment_within_budget(client, "/cirkels/kaart")
    assert 'hx-get="/cirkels/kaart"' in page_text(client.get("/cirkels"))


@pytest.mark.parametrize("persona", ["anonymous", "member"])
def test_circle_pages_within_35_kb(client, world, persona):
    sign_in_as(client, world, persona)
    for url in ["/cirkels", f"/cirkels/{world.home.slug}", "/"]:
        assert_within_budget(client, url)
        assert_no_third_party(page_text(client.get(url)))
    if persona == "member":
        assert_within_budget(client, f"/hulp/{world.item.id}")
        assert_within_budget(client, f"/cirkels/{world.home.slug}/hulp/nieuw")


# --- Demo data ----------------------------------------------------------------------------------------


@pytest.fixture
def seeded(app):
    demo.seed(password="demo-wachtwoord")
    db.session.commit()  # seed-demo commits; here the test does
    return {u.email.split("@")[0]: u for u in db.session.scalars(db.select(User))}


def test_demo_data_follows_the_contract(seeded):
    circles = db.session.scalars(db.select(Circle)).all()
    assert len(circles) >= 6
    assert {c.neighbourhood.name for c in circles} >= {"Vleuten", "De Meern", "Vleuterweide", "Haarzuilens"}
    assert all(52.05 < c.latitude < 52.15 and 4.98 < c.longitude < 5.06 for c in circles)
    bewoner, verbinder, buiten = (access.membership_of(seeded[k]) for k in ("bewoner", "verbinder", "buiten"))
    assert bewoner.circle_id == verbinder.circle_id != buiten.circle_id
    assert bewoner.role == "member" and verbinder.role == "connector" and buiten.role == "member"
    items = db.session.scalars(db.select(HelpItem)).all()
    assert len(items) >= 20
    assert {i.status for i in items} == {"open", "toegezegd", "afgerond", "vervallen"}
    assert {i.kind for i in items} == {"request", "offer"}
    assert any(i.on_behalf_name for i in items)
    assert db.session.scalar(db.select(db.func.count(Membership.id))) > 10


def test_buiten_cannot_open_bewoners_help_item(client, seeded):
    bewoner_items = db.session.scalars(db.select(HelpItem).where(HelpItem.author_id == seeded["bewoner"].id))
    item = next(iter(bewoner_items))
    client.post("/inloggen", data={"email": "buiten@example.org", "password": "demo-wachtwoord"})
    assert client.get(f"/hulp/{item.id}").status_code == 404
    client.post("/uitloggen")
    client.post("/inloggen", data={"email": "bewoner@example.org", "password": "demo-wachtwoord"})
    assert client.get(f"/hulp/{item.id}").status_code == 200


def test_refusals_are_friendly(client, world):
    login(client, world.member)
    html = page_text(client.get(f"/cirkels/{world.home.slug}/overzicht"))
    assert "Alleen voor verbinders" in html
    login(client, world.other)
    html = page_text(client.get(f"/cirkels/{world.home.slug}/hulp/nieuw"))
    assert "Alleen voor leden van deze buurtcirkel" in html
