"""A meedenken traject on the map in real Chromium, on the demo data: axe WCAG 2.2 AA, 18 px
text, 44 px targets and 320 px for a visitor, a resident and a moderator, the weight of a map page; a tap
on the map fills in the place of a new contribution (with JavaScript), typed numbers do the
same without; "Volg dit traject" with htmx."""

import re

import pytest

from tests.browser.checks import assert_page_meets_budgets, transferred_bytes
from tests.browser.conftest import _new_page, sign_in
from tests.browser.test_circles import serve_blank_tiles
from tests.budgets import MAP_PAGE_BUDGET

TRAJECT = "/meedenken/herinrichting-dorpsstraat-vleuten"
MAP = f"{TRAJECT}/kaart"


def open_map(page):
    serve_blank_tiles(page)
    page.goto(MAP)
    # the plan and bewoner's inbreng of the demo: two markers drawn by Leaflet
    page.wait_for_function("() => document.querySelectorAll('path.leaflet-interactive').length >= 2")


def test_the_map_meets_budgets_signed_out(page):
    open_map(page)
    assert transferred_bytes(page) <= MAP_PAGE_BUDGET
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_the_map_meets_budgets_signed_in(signed_in_page):
    open_map(signed_in_page)
    assert transferred_bytes(signed_in_page) <= MAP_PAGE_BUDGET
    assert_page_meets_budgets(signed_in_page)
    assert signed_in_page.console_errors == []


def test_the_map_meets_budgets_for_a_moderator(page):
    sign_in(page, "moderator@example.org")
    open_map(page)
    assert transferred_bytes(page) <= MAP_PAGE_BUDGET
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_a_tap_on_the_map_fills_in_the_place_and_the_inbreng_is_kept_with_it(signed_in_page):
    page = signed_in_page
    open_map(page)
    assert page.input_value("#latitude") == ""
    box = page.locator(".folium-map").bounding_box()
    page.locator(".folium-map").click(position={"x": 100, "y": box["height"] - 80})  # clear of markers
    assert re.fullmatch(r"52,\d{5}", page.input_value("#latitude"))
    assert re.fullmatch(r"5,\d{5}", page.input_value("#longitude"))
    assert "U koos een plek op de kaart" in page.inner_text("#plek-gekozen")
    page.fill("#text", "Een zebrapad op deze plek, met JavaScript gekozen")
    page.click("#inbreng-formulier button[type=submit]")
    page.wait_for_selector("#inbreng-formulier .note")  # swapped in place
    assert "Toegevoegd" in page.inner_text("#inbreng-formulier")
    open_map(page)
    assert "Een zebrapad op deze plek" in page.inner_text(".map-list")


def test_typed_numbers_without_javascript(browser, live_server):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    sign_in(page)
    page.goto(MAP)
    page.fill("#text", "Een prullenbak bij het bankje, zonder JavaScript")
    page.fill("#latitude", "52,1075")
    page.fill("#longitude", "5,0131")
    page.click("#inbreng-formulier button[type=submit]")
    page.wait_for_url(re.compile(r".*#inbreng-\d+$"))
    page.goto(MAP)
    assert "Een prullenbak bij het bankje" in page.inner_text(".map-list")
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_following_the_traject(browser, live_server, javascript):
    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    sign_in(page, "buur@example.org")
    page.goto(TRAJECT)
    page.click("#traject-volgen button")
    page.wait_for_selector("#traject-volgen button:has-text('Niet meer volgen')")
    assert "U volgt dit traject" in page.inner_text("#traject-volgen")
    if javascript:
        assert_page_meets_budgets(page)
    page.click("#traject-volgen button")  # and back, so the demo stays as it was
    page.wait_for_selector("#traject-volgen button:has-text('Volg dit traject')")
    context.close()
