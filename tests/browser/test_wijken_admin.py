"""The platform admin's pages for the wijken, in real Chromium: they meet the budgets (axe
WCAG 2.2 AA, 18 px text, 44 px targets, no sideways scroll at 320 px), and a colour that is too
light comes back, without JavaScript, with the message and what was typed."""

import pytest

from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import sign_in

ADMIN_PAGES = ["/beheer/wijken", "/beheer/wijken/nieuw", "/beheer/wijken/vleuten-de-meern"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_the_wijken_pages_meet_the_budgets(page, path):
    sign_in(page, "beheer@example.org")
    page.goto(path)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_a_too_light_colour_comes_back_with_the_text_kept_without_javascript(page_nojs):
    page = page_nojs
    sign_in(page, "beheer@example.org")
    page.goto("/beheer/wijken/vleuten-de-meern")
    page.fill("#contact_line", "Bel het wijkinformatiepunt")
    page.fill("#accent_colour", "#1a7f37")
    page.click("main button:has-text('Gegevens opslaan')")
    assert page.locator("#accent_colour-error").inner_text().startswith("Deze kleur is te licht")
    assert page.input_value("#accent_colour") == "#1a7f37"
    assert page.input_value("#contact_line") == "Bel het wijkinformatiepunt"
    # axe needs JavaScript; the budgets of this page are checked above, with it


def test_others_are_refused(page):
    sign_in(page, "moderator@example.org")
    assert page.goto("/beheer/wijken").status == 403
