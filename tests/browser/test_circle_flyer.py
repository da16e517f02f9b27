"""The circle flyer in real Chromium: budgets signed out and signed in, no CSP errors."""

from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import sign_in

FLYER = "/cirkels/vleuten-dorp/flyer"
PAGE_WEIGHT_BUDGET = 35 * 1024


def _transferred_bytes(page) -> int:
    return page.evaluate(
        "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((sum, entry) => sum + entry.transferSize, 0)"
    )


def _flyer_meets_budgets(page):
    page.goto(FLYER)
    assert page.locator("main svg").count() == 1
    assert _transferred_bytes(page) <= PAGE_WEIGHT_BUDGET
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
