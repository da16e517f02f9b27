"""Pages for connectors in real Chromium: the circle flyer (budgets signed out and in, no CSP
errors) and signing up a neighbour for an event."""

from tests.browser.checks import PAGE_WEIGHT_BUDGET, assert_page_meets_budgets, transferred_bytes
from tests.browser.conftest import sign_in

FLYER = "/cirkels/vleuten-dorp/flyer"


def _flyer_meets_budgets(page):
    page.goto(FLYER)
    assert page.locator("main svg").count() == 1
    assert transferred_bytes(page) <= PAGE_WEIGHT_BUDGET
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_flyer_meets_budgets_signed_out(page):
    _flyer_meets_budgets(page)


def test_flyer_meets_budgets_signed_in_as_connector(page):
    sign_in(page, "verbinder@example.org")
    page.goto("/cirkels/vleuten-dorp")
    page.click("text=Flyer afdrukken")
    page.wait_for_url(f"**{FLYER}")
    _flyer_meets_budgets(page)


def test_a_connector_signs_up_a_neighbour_with_javascript(page):
    sign_in(page, "verbinder@example.org")
    page.goto("/agenda")
    page.click("main h3 a:has-text('Netwerkbijeenkomst Wijkalliantie')")
    page.wait_for_url("**/agenda/*")
    assert_page_meets_budgets(page)
    page.fill("#guest_name", "Mien")
    page.check("#consent")
    page.click("button:has-text('Buur aanmelden')")
    page.wait_for_selector("text=Mien is aangemeld.")
    assert page.input_value("#guest_name") == ""
    assert page.console_errors == []
