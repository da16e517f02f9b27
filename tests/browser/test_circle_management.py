"""Running the circles, in real Chromium: the coordinators' pages, the verbinder's list of
neighbours without internet and a street without a circle meet the budgets (axe WCAG 2.2 AA,
18 px text, 44 px targets, no sideways scroll at 320 px); invalid input keeps what was typed."""

import pytest

from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import sign_in

COORDINATOR_PAGES = ["/beheer/cirkels", "/beheer/cirkels/nieuw", "/beheer/cirkels/vleuten-dorp"]
VERBINDER_PAGES = ["/cirkels/vleuten-dorp/buren", "/cirkels/vleuten-dorp/buren/nieuw",
                   "/cirkels/vleuten-dorp/hulp/nieuw", "/cirkels/vleuten-dorp/overzicht"]


@pytest.mark.parametrize("path", COORDINATOR_PAGES)
def test_coordinator_pages_meet_the_budgets(page, path):
    sign_in(page, "beheer@example.org")
    page.goto(path)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


@pytest.mark.parametrize("path", VERBINDER_PAGES)
def test_verbinder_pages_meet_the_budgets(page, path):
    sign_in(page, "verbinder@example.org")
    page.goto(path)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_the_neighbour_list_shows_the_demo_neighbours_to_the_verbinder_only(page):
    sign_in(page, "verbinder@example.org")
    page.goto("/cirkels/vleuten-dorp/buren")
    assert page.locator("main h2:has-text('Gerda')").count() == 1
    sign_in(page, "buiten@example.org")
    response = page.goto("/cirkels/vleuten-dorp/buren")
    assert response.status == 404


def test_a_circle_with_a_wrong_latitude_comes_back_with_the_text_kept(page):
    """A plain form post (no htmx on this form): the 422 page keeps what was typed."""
    sign_in(page, "beheer@example.org")
    page.goto("/beheer/cirkels/nieuw")
    page.fill("#name", "Proefcirkel")
    page.select_option("#neighbourhood", label="Vleuten")
    page.fill("#streets", "Proefstraat")
    page.fill("#latitude", "40,1")
    page.fill("#longitude", "5,03")
    page.click("main button:has-text('Buurtcirkel maken')")
    assert page.locator("#latitude-error").inner_text().startswith("Deze breedtegraad ligt niet in Nederland")
    assert page.input_value("#name") == "Proefcirkel"
    assert page.input_value("#streets") == "Proefstraat"
    assert_page_meets_budgets(page)


@pytest.mark.parametrize("who", [None, "bewoner@example.org"])
def test_a_street_without_a_circle_meets_the_budgets(page, who):
    if who:
        sign_in(page, who)
    page.goto("/cirkels?straat=Dorpstraat")
    assert page.locator("text=Er is nog geen buurtcirkel voor").count() == 1
    assert_page_meets_budgets(page)
