import pytest

from tests.browser.checks import assert_page_meets_budgets

PAGES = ["/", "/toegankelijkheid", "/privacy", "/inloggen", "/registreren", "/bestaat-niet"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_signed_out_meet_budgets(page, path):
    page.goto(path)
    assert_page_meets_budgets(page)
    if path != "/bestaat-niet":  # the browser logs the 404 of the page itself
        assert page.console_errors == []


@pytest.mark.parametrize("path", ["/", "/account", "/privacy", "/account/verwijderen"])
def test_pages_signed_in_meet_budgets(signed_in_page, path):
    signed_in_page.goto(path)
    assert_page_meets_budgets(signed_in_page)
    assert signed_in_page.console_errors == []


def test_form_errors_meet_budgets(page):
    page.goto("/registreren")
    page.fill("#email", "geen-adres")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error")
    assert page.input_value("#email") == "geen-adres"
    assert_page_meets_budgets(page)


def _font_size(page):
    return page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")


def test_text_size_switch_with_javascript(page):
    page.goto("/privacy")
    normal = _font_size(page)
    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.url))
    page.click("button[aria-label='Tekstgrootte A++']")
    page.wait_for_function("() => document.documentElement.dataset.tekstgrootte === 'grootst'")
    assert _font_size(page) > normal
    assert posts == []  # switched in place, no round trip
    page.goto("/toegankelijkheid")
    assert _font_size(page) > normal  # remembered in a cookie


def test_text_size_switch_without_javascript(page_nojs):
    page_nojs.goto("/privacy")
    normal = _font_size(page_nojs)
    page_nojs.click("button[aria-label='Tekstgrootte A+']")
    page_nojs.wait_for_load_state()
    assert "/privacy" in page_nojs.url
    assert _font_size(page_nojs) > normal
    assert page_nojs.get_attribute("button[aria-label='Tekstgrootte A+']", "aria-pressed") == "true"


def test_sign_in_and_out_without_javascript(page_nojs):
    from tests.browser.conftest import sign_in

    sign_in(page_nojs)
    assert "Mijn account" in page_nojs.content()
    page_nojs.click("footer button:has-text('Uitloggen')")
    page_nojs.wait_for_selector("#meldingen :text('U bent uitgelogd')")
