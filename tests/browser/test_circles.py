"""Buurtcirkels in real Chromium: the budgets of every page, asking for help with and without
JavaScript, the street search as you type, and the map from the portal's own files."""

import base64
import itertools
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Circle, HelpItem, User
from tests.browser.checks import TABLET, assert_page_meets_budgets
from tests.browser.conftest import _new_page, sign_in
from tests.budgets import MAP_PAGE_BUDGET

CIRCLE = "/cirkels/vleuten-dorp"  # bewoner's circle in the demo data; verbinder is its connector
TILES = "https://service.pdok.nl/**"
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
_titles = itertools.count(1)


def serve_blank_tiles(page):
    """No tile server in the test: every tile is a blank image, so nothing fails loudly."""
    page.route(TILES, lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE))


@pytest.fixture
def circle_count(live_app):
    with live_app.app_context():
        count = db.session.scalar(db.select(db.func.count(Circle.id)))
        db.session.remove()
    return count


@pytest.fixture
def bewoner_item_id(live_app):
    with live_app.app_context():
        item_id = db.session.scalar(
            db.select(HelpItem.id).join(User, HelpItem.author_id == User.id)
            .where(User.email == "bewoner@example.org", HelpItem.status == "open").order_by(HelpItem.id)
        )
        db.session.remove()
    return item_id


def wait_for_circles(page, count: int, scope: str = ""):
    # A function, not a string: a string would be eval'ed, which our CSP refuses.
    page.wait_for_function(
        "([selector, n]) => document.querySelectorAll(selector).length === n",
        arg=[f"{scope} path.leaflet-interactive", count],
    )


def mark_window(page):
    page.evaluate("window.__zelfde_pagina = true")


def assert_same_page(page):
    assert page.evaluate("window.__zelfde_pagina === true"), "the page was loaded again"


# --- Budgets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/cirkels", "/cirkels?straat=Dorpsstraat", "/cirkels/kaart", CIRCLE])
def test_circle_pages_signed_out_meet_budgets(page, path, circle_count):
    serve_blank_tiles(page)
    page.goto(path)
    if path == "/cirkels/kaart":
        wait_for_circles(page, circle_count)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/cirkels", "/cirkels/kaart", CIRCLE, f"{CIRCLE}/hulp/nieuw", "item", "/"])
def test_circle_pages_signed_in_meet_budgets(signed_in_page, path, bewoner_item_id, circle_count):
    page = signed_in_page
    serve_blank_tiles(page)
    page.goto(f"/hulp/{bewoner_item_id}" if path == "item" else path)
    if path == "/cirkels/kaart":
        wait_for_circles(page, circle_count)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


@pytest.mark.parametrize("path", [f"{CIRCLE}/overzicht", f"{CIRCLE}/hulp/nieuw"])
def test_connector_pages_meet_budgets(page, path):
    sign_in(page, "verbinder@example.org")
    page.goto(path)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_item_page_with_errors_meets_budgets(signed_in_page):
    page = signed_in_page
    page.goto(f"{CIRCLE}/hulp/nieuw")
    page.fill("#text", "Mijn uitleg blijft staan")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#text") == "Mijn uitleg blijft staan"
    assert_page_meets_budgets(page)


# --- Find your circle --------------------------------------------------------------------------------


def test_street_search_as_you_type(page):
    page.goto("/cirkels")
    mark_window(page)
    page.locator("#straat").press_sequentially("Hinderst", delay=30)
    results = page.locator("#zoekresultaten")
    expect(results).to_contain_text("Buurtcirkels bij “Hinderst”")
    expect(results).to_contain_text("Vleuten Dorp")
    expect(results).not_to_contain_text("Haarzuilens")
    assert_same_page(page)
    assert page.url.endswith("/cirkels")
    assert page.console_errors == []


def test_street_search_on_the_home_page(page):
    page.goto("/")
    mark_window(page)
    page.locator("#straat").press_sequentially("Brink", delay=30)
    expect(page.locator("#zoekresultaten")).to_contain_text("Haarzuilens Brink")
    page.click("#zoekresultaten a:has-text('Haarzuilens Brink')")
    page.wait_for_url("**/cirkels/haarzuilens-brink")


def test_street_search_without_javascript(page_nojs):
    page_nojs.goto("/")
    page_nojs.fill("#straat", "Zandweg 14")
    page_nojs.click("form[role=search] button[type=submit]")
    page_nojs.wait_for_url("**/cirkels?straat=*")
    expect(page_nojs.locator("#zoekresultaten")).to_contain_text("De Meern Zandweg")
    expect(page_nojs.locator("#zoekresultaten")).not_to_contain_text("Vleuten Dorp")


# --- Asking for help, seeing who responded, closing it ------------------------------------------------


def new_title() -> str:
    return f"Hulp bij de verwarming {next(_titles)}"


def test_ask_with_javascript_swaps_in_place_then_bewoner_closes_it(signed_in_page, browser, live_server):
    page = signed_in_page
    page.goto(CIRCLE)
    mark_window(page)
    navigations = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and navigations.append(frame.url))
    title = new_title()
    page.select_option("#category", "klusjes")
    page.fill("#title", title)
    page.fill("#wanted_when", "zaterdag")
    page.click("#hulp-formulier button[type=submit]")
    link = page.locator("#hulpvragen a", has_text=title)
    expect(link).to_be_visible()
    expect(page.locator("#meldingen")).to_contain_text("staat nu bij de buurtcirkel")
    expect(page.locator("#title")).to_have_value("")  # a fresh form
    expect(link).to_be_focused()  # focus moves to the new item once htmx has settled
    assert_same_page(page)
    assert navigations == []
    assert page.console_errors == []
    item_url = link.get_attribute("href")

    # The connector (same circle) sees it and offers to help, with htmx.
    context, helper = _new_page(browser, live_server)
    try:
        sign_in(helper, "verbinder@example.org")
        helper.goto(item_url)
        helper.fill("#message", "Ik kom zaterdag om tien uur.")
        helper.click("main form button:has-text('Ik help')")
        expect(helper.locator("#meldingen")).to_contain_text("Dank u wel!")
        expect(helper.locator(".responses")).to_contain_text("Ik kom zaterdag om tien uur.")
    finally:
        context.close()

    # bewoner sees who responded, picks her and closes the request.
    page.goto(item_url)
    expect(page.locator(".responses")).to_contain_text("Sonja Bakker wil helpen")
    page.click("button:has-text('Sonja helpt')")
    expect(page.locator("#meldingen")).to_contain_text("Genoteerd: Sonja helpt.")
    page.click("button:has-text('Afgerond: het is gelukt')")
    expect(page.locator("#meldingen")).to_contain_text("Fijn dat het gelukt is!")
    expect(page.locator(".history")).to_contain_text("zette de status op afgerond")
    assert page.console_errors == []


def test_ask_for_help_without_javascript(page_nojs):
    sign_in(page_nojs)
    page_nojs.goto(CIRCLE)
    title = new_title()
    page_nojs.check("#kind-1")  # an offer this time
    page_nojs.select_option("#category", "gezelschap")
    page_nojs.fill("#title", title)
    page_nojs.click("#hulp-formulier button[type=submit]")
    page_nojs.wait_for_url(f"**{CIRCLE}#hulp")
    expect(page_nojs.locator("#hulpaanbod a", has_text=title)).to_be_visible()
    expect(page_nojs.locator("#meldingen")).to_contain_text("staat nu bij de buurtcirkel")


def test_invalid_help_form_with_javascript_keeps_the_text(signed_in_page):
    page = signed_in_page
    page.goto(CIRCLE)
    mark_window(page)
    page.fill("#text", "Wat ik al had getypt")
    page.click("#hulp-formulier button[type=submit]")
    expect(page.locator("#title-error")).to_contain_text("Vul dit veld in.")
    expect(page.locator("#text")).to_have_value("Wat ik al had getypt")
    assert_same_page(page)


def test_buiten_cannot_open_bewoners_item(page, bewoner_item_id):
    sign_in(page, "buiten@example.org")
    response = page.goto(f"/hulp/{bewoner_item_id}")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Deze pagina bestaat niet")


# --- The map ------------------------------------------------------------------------------------------


def test_map_draws_the_circles_when_tiles_cannot_load(page, live_server, circle_count):
    page.route(TILES, lambda route: route.abort())
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto("/cirkels/kaart")
    wait_for_circles(page, circle_count)
    assert hosts <= {urlsplit(live_server).netloc, "service.pdok.nl"}, hosts
    page.locator("path.leaflet-interactive").first.click(force=True)
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_be_visible()
    assert popup_link.get_attribute("href").startswith("/cirkels/")


LABEL_BOXES = """() => Array.from(document.querySelectorAll('.map-label'), label => {
  const r = label.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


def _apart(a, b) -> bool:
    side_by_side = a["right"] <= b["left"] or b["right"] <= a["left"]
    return side_by_side or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]


def test_map_shows_every_name_without_a_tap(page, circle_count):
    serve_blank_tiles(page)
    page.set_viewport_size(TABLET)
    page.goto("/cirkels/kaart")
    wait_for_circles(page, circle_count)
    labels, listed = page.locator(".map-label a"), page.locator(".map-list .row-link")
    expect(labels).to_have_count(circle_count)
    for i in range(circle_count):  # the same numbers, names and pages as the list
        expect(labels.nth(i)).to_be_visible()
        assert labels.nth(i).inner_text().split() == listed.nth(i).inner_text().split()
        assert labels.nth(i).get_attribute("href") == listed.nth(i).get_attribute("href")
    boxes, map_box = page.evaluate(LABEL_BOXES), page.locator(".folium-map").bounding_box()
    assert all(_apart(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), boxes
    assert all(map_box["x"] <= b["left"] and b["right"] <= map_box["x"] + map_box["width"] for b in boxes)
    expect(page.locator(".map-label.is-mine")).to_have_count(0)
    labels.filter(has_text="Haarzuilens Brink").click()
    page.wait_for_url("**/cirkels/haarzuilens-brink")


def test_map_of_a_member_shows_their_circle(signed_in_page, circle_count):
    page = signed_in_page
    serve_blank_tiles(page)
    page.goto("/cirkels/kaart")
    wait_for_circles(page, circle_count)
    expect(page.locator(".map-label.is-mine")).to_have_text(re.compile("Vleuten Dorp.*uw buurtcirkel"))
    expect(page.locator(".map-list .is-mine .row-link")).to_have_attribute("href", CIRCLE)


def test_map_page_weight_and_only_our_own_files(page, live_server, circle_count):
    serve_blank_tiles(page)
    page.goto("/cirkels/kaart")
    wait_for_circles(page, circle_count)
    entries = page.evaluate(
        """() => [performance.getEntriesByType('navigation')[0],
                  ...performance.getEntriesByType('resource')]
             .map(e => ({name: e.name, type: e.initiatorType, size: e.transferSize}))"""
    )
    own = urlsplit(live_server).netloc
    scripts_and_styles = [e for e in entries if e["type"] in ("navigation", "script", "link", "css")]
    assert all(urlsplit(e["name"]).netloc == own for e in scripts_and_styles), scripts_and_styles
    total = sum(e["size"] for e in scripts_and_styles)
    assert 0 < total <= MAP_PAGE_BUDGET, scripts_and_styles
    assert page.locator("iframe").count() == 0
    assert page.console_errors == []


def test_show_on_map_loads_the_map_into_the_list(page, circle_count):
    serve_blank_tiles(page)
    page.goto("/cirkels")
    mark_window(page)
    page.click("text=Toon op de kaart")
    wait_for_circles(page, circle_count, "#kaart")
    assert_same_page(page)
    assert page.url.endswith("/cirkels")
    expect(page.locator("#zoekresultaten")).to_contain_text("Vleuten Dorp")  # the list stays
    assert page.console_errors == []  # a CSP refusal would show here
    assert_page_meets_budgets(page)


def test_show_on_map_without_javascript_is_a_link(page_nojs):
    page_nojs.goto("/cirkels")
    page_nojs.click("text=Toon op de kaart")
    page_nojs.wait_for_url("**/cirkels/kaart")
    expect(page_nojs.locator("main")).to_contain_text("Alle buurtcirkels")
    expect(page_nojs.locator("main a", has_text="Haarzuilens Brink")).to_be_visible()
