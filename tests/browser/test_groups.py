"""Werkgroepen and bewonersgroepen in real Chromium, on the demo data: axe WCAG 2.2 AA, 18 px
text, 44 px targets, 320 px and at most 35 KB on every new page, signed out, as a member
(bewoner@example.org in Werkgroep Groen), as the trekker (buur@example.org) and as a
moderator; joining with JavaScript (htmx swaps the box) and without (PRG); the Nu Html
Checker on every new page."""

import pytest

from tests.browser.checks import assert_page_meets_budgets, goto_and_check
from tests.browser.conftest import DEMO_PASSWORD, _new_page, sign_in
from tests.browser.test_valid_html import validator_errors, vnu_command  # noqa: F401 - the fixture
from tests.conftest import login

GROEN = "/groepen/werkgroep-groen"
PUBLIC = ["/groepen", "/groepen?soort=werkgroep", "/groepen?soort=bewonersgroep&buurt=999", GROEN,
          "/groepen/themagroep-verkeer", "/groepen/repair-cafe-de-meern"]
MEMBER = "bewoner@example.org"
TREKKER = "buur@example.org"
MODERATOR = "moderator@example.org"
PAGES_OF = {
    MEMBER: [GROEN, "/groepen", "/groepen/nieuw", "/"],
    TREKKER: [GROEN, f"{GROEN}/beheer", f"{GROEN}/nieuws/nieuw", "/groepen/themagroep-verkeer"],
    MODERATOR: ["/groepen", "/groepen/voorstellen", "/groepen/nieuw", GROEN, f"{GROEN}/beheer",
                "/groepen/repair-cafe-de-meern/beheer", "/groepen/buurtmoestuin-vleuterweide"],
}


@pytest.mark.parametrize("path", PUBLIC)
def test_the_pages_meet_budgets_signed_out(page, path):
    goto_and_check(page, path)


@pytest.mark.parametrize("who", list(PAGES_OF))
def test_the_pages_meet_budgets_signed_in(page, who):
    sign_in(page, who)
    for path in PAGES_OF[who]:
        goto_and_check(page, path)


@pytest.mark.parametrize("javascript", [False, True])
def test_joining_an_open_group(browser, live_server, javascript):
    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    try:
        sign_in(page, "buiten@example.org")
        page.goto("/groepen/repair-cafe-de-meern")
        assert "Repair" in page.inner_text("main")
        page.click("#meedoen button[type=submit]")
        page.wait_for_selector("#meedoen .signup-yes")
        assert "U doet mee" in page.inner_text("#meedoen")
        assert "U doet mee met Repair Café De Meern" in page.inner_text("#meldingen")
        if javascript:  # htmx swapped only the box: still the same page, and no reload
            assert page.url.endswith("/groepen/repair-cafe-de-meern")
            assert_page_meets_budgets(page)
        else:
            assert "Wie doen er mee?" in page.inner_text("main")
        page.click("#meedoen button[type=submit]")  # and leave again
        page.wait_for_selector("#meedoen button:has-text('Meedoen')")
    finally:
        context.close()


def test_the_pages_are_valid_html(vnu_command, demo_app, tmp_path):  # noqa: F811 - the fixture
    visitor = demo_app.test_client()
    pages = {f"bezoeker {path}": visitor.get(path).get_data(as_text=True) for path in PUBLIC}
    for who, paths in PAGES_OF.items():
        client = demo_app.test_client()
        login(client, type("Person", (), {"email": who})(), DEMO_PASSWORD)
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, (who, path)
            pages[f"{who} {path}"] = answer.get_data(as_text=True)
        if who == TREKKER:
            invalid = client.post(f"{GROEN}/nieuws/nieuw", data={"title": "", "text": "Mijn tekst"})
            assert invalid.status_code == 422
            pages["trekker nieuws (422)"] = invalid.get_data(as_text=True)
    errors = validator_errors(vnu_command, pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"the Nu Html Checker found errors on {len(errors)} of {len(pages)} pages:\n{report}"
