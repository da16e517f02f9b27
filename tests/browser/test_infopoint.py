"""The wijkinformatiepunt and the sociale kaart in real Chromium, on the demo data: axe WCAG 2.2
AA, 18 px text, 44 px targets, 320 px, at most 35 KB, signed out, as a resident and as the
informatiepunt; a question asked without JavaScript and with it (a plain form: PRG either
way); the Nu Html Checker on every new page; the booklet in print media."""

import pytest

from tests.browser.checks import assert_page_meets_budgets, goto_and_check
from tests.browser.conftest import DEMO_PASSWORD, sign_in
from tests.browser.test_valid_html import validator_errors, vnu_command  # noqa: F401 - the fixture
from tests.conftest import login

PUBLIC = [
    "/wijkinformatiepunt", "/wijkinformatiepunt/bedankt", "/sociale-kaart",
    "/sociale-kaart?behoefte=geldzaken", "/sociale-kaart?open=nu", "/sociale-kaart?q=repair",
    "/sociale-kaart/wijkinformatiepunt-buren-voor-buren",
    "/sociale-kaart/repair-cafe-vleuten-de-meern", "/sociale-kaart/afdrukken", "/agenda",
]
INFORMATIEPUNT = "informatiepunt@example.org"


@pytest.mark.parametrize("path", PUBLIC)
def test_new_pages_meet_budgets_signed_out(page, path):
    goto_and_check(page, path)


@pytest.mark.parametrize("path", [
    "/wijkinformatiepunt", "/sociale-kaart", "/sociale-kaart/dock-sociaal-makelaar", "/agenda",
])
def test_new_pages_meet_budgets_signed_in(signed_in_page, path):
    goto_and_check(signed_in_page, path)


def _first_question_path(page) -> str:
    page.goto("/informatiepunt/vragen")
    return page.get_attribute("main .question-list .row-link", "href")


def test_the_informatiepunt_pages_meet_budgets(page):
    sign_in(page, INFORMATIEPUNT)
    for path in ("/informatiepunt/vragen", _first_question_path(page), "/informatiepunt/gesloten"):
        goto_and_check(page, path)


def _first_link(page, path: str, selector: str) -> str:
    page.goto(path)
    return page.get_attribute(selector, "href")


def test_the_pages_that_tie_the_kaart_to_the_circles_meet_budgets(page):
    """The informatiepunt chooses a service's buurten; a verbinder refers a help request."""
    sign_in(page, INFORMATIEPUNT)
    goto_and_check(page, _first_link(page, "/sociale-kaart/dock-sociaal-makelaar",
                                     "main a[href*='/informatiepunt/diensten/']"))
    page.context.clear_cookies()
    sign_in(page, "verbinder@example.org")
    item = _first_link(page, "/cirkels/vleuten-dorp", "main a[href^='/hulp/']")
    goto_and_check(page, item)  # with the link to refer
    goto_and_check(page, item + "/verwijzen")
    page.click("main form button[type=submit]")  # nothing chosen: the message, the form kept
    page.wait_for_selector("#service_id-error")
    assert_page_meets_budgets(page)


def test_the_moderator_pages_of_the_kaart_meet_budgets(page):
    sign_in(page, "bewoner@example.org")
    page.goto("/sociale-kaart/buurtteam-vleuten-de-meern/wijziging")
    page.fill("#phone", "030 999 88 77")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/sociale-kaart/buurtteam-vleuten-de-meern")
    goto_and_check(page, "/sociale-kaart/buurtteam-vleuten-de-meern/wijziging")
    page.context.clear_cookies()
    sign_in(page, "moderator@example.org")
    goto_and_check(page, "/sociale-kaart/wijzigingen")


def test_the_call_button_is_large_and_calls(page):
    page.goto("/wijkinformatiepunt")
    button = page.locator("a.call-button")
    assert button.get_attribute("href") == "tel:0301234567"
    box = button.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 200


def _ask(page, name: str):
    page.goto("/wijkinformatiepunt")
    page.fill("#name", name)
    page.fill("#phone", "06 12345678")
    page.fill("#question", "Wie helpt mij met de formulieren voor de huurtoeslag?")
    page.check("#consent")
    page.click("main form button[type=submit]")


@pytest.mark.parametrize("javascript", [False, True])
def test_a_question_without_an_account_lands_in_the_queue(browser, live_server, javascript):
    from tests.browser.conftest import _new_page

    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    name = f"Truus {'met' if javascript else 'zonder'} JavaScript"
    _ask(page, name)
    page.wait_for_url("**/wijkinformatiepunt/bedankt")
    assert "Uw vraag is verstuurd" in page.inner_text("main")
    if javascript:  # axe runs in the page: not where JavaScript is off
        assert_page_meets_budgets(page)
    context.close()
    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    sign_in(page, INFORMATIEPUNT)
    page.goto("/informatiepunt/vragen")
    assert name in page.inner_text("main")
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_a_form_with_errors_keeps_the_text_and_meets_budgets(browser, live_server, javascript):
    from tests.browser.conftest import _new_page

    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    page.goto("/wijkinformatiepunt")
    page.fill("#name", "Truus")
    page.fill("#question", "Mijn vraag blijft staan")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error")
    assert page.input_value("#question") == "Mijn vraag blijft staan"
    assert "Vul een telefoonnummer of een e-mailadres in" in page.inner_text("main")
    if javascript:
        assert_page_meets_budgets(page)
    context.close()


def test_the_booklet_prints_in_large_letters(page):
    page.goto("/sociale-kaart/afdrukken")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.booklet')).fontSize)")
    assert size >= 22  # 18 pt


def test_new_pages_are_valid_html(vnu_command, demo_app, tmp_path):  # noqa: F811 - the fixture
    visitor = demo_app.test_client()
    pages = {f"bezoeker {path}": visitor.get(path).get_data(as_text=True) for path in PUBLIC}
    staff = demo_app.test_client()
    login(staff, type("Person", (), {"email": INFORMATIEPUNT})(), DEMO_PASSWORD)
    queue = staff.get("/informatiepunt/vragen").get_data(as_text=True)
    first = queue.split('class="row-link" href="', 1)[1].split('"', 1)[0]
    for path in ("/informatiepunt/vragen", first, "/informatiepunt/gesloten", "/wijkinformatiepunt"):
        pages[f"informatiepunt {path}"] = staff.get(path).get_data(as_text=True)
    pages["informatiepunt wijziging"] = staff.get("/sociale-kaart/dock-sociaal-makelaar/wijziging").get_data(
        as_text=True)
    kaart_page = staff.get("/sociale-kaart/repair-cafe-vleuten-de-meern").get_data(as_text=True)
    areas = kaart_page.split('href="/informatiepunt/diensten/', 1)[1].split('"', 1)[0]
    areas = "/informatiepunt/diensten/" + areas
    pages["informatiepunt buurten van een dienst"] = staff.get(areas).get_data(as_text=True)
    verbinder = demo_app.test_client()
    login(verbinder, type("Person", (), {"email": "verbinder@example.org"})(), DEMO_PASSWORD)
    circle = verbinder.get("/cirkels/vleuten-dorp").get_data(as_text=True)
    item = "/hulp/" + circle.split('href="/hulp/', 1)[1].split('"', 1)[0]
    pages["verbinder hulpvraag"] = verbinder.get(item).get_data(as_text=True)
    pages["verbinder verwijzen"] = verbinder.get(item + "/verwijzen").get_data(as_text=True)
    refused = verbinder.post(item + "/verwijzen", data={"service_id": ""})
    assert refused.status_code == 422
    pages["verbinder verwijzen (422)"] = refused.get_data(as_text=True)
    moderator = demo_app.test_client()
    login(moderator, type("Person", (), {"email": "moderator@example.org"})(), DEMO_PASSWORD)
    review = moderator.get("/sociale-kaart/wijzigingen")
    pages["moderator /sociale-kaart/wijzigingen"] = review.get_data(as_text=True)
    invalid = staff.post("/wijkinformatiepunt", data={"name": "", "question": ""})
    assert invalid.status_code == 422
    pages["informatiepunt /wijkinformatiepunt (422)"] = invalid.get_data(as_text=True)
    errors = validator_errors(vnu_command, pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"the Nu Html Checker found errors on {len(errors)} of {len(pages)} pages:\n{report}"
