"""Moderation in real Chromium: the queue and the log meet the budgets, a moderator decides
inline (the row swapped without a reload, the decision announced), the same without
JavaScript, and a resident reports in place.

The live server holds the full demo data: Daan de Vries (new) has an idea, a reply and a help
request waiting, Hans Mulder's sales post was reported twice.
"""

import re

import pytest
from playwright.sync_api import expect

from portal.demo_moderation import REPORTED_POST, WAITING_IDEA
from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import _new_page, sign_in


def person(browser, live_server, email=None, javascript=True):
    _context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    if email:
        sign_in(page, email)
    return page


def mark_page(page):
    page.evaluate("window.__noReload = true")


def assert_not_reloaded(page):
    assert page.evaluate("window.__noReload === true")


def row_with(page, text: str):
    return page.locator("li.review", has_text=text).first


def queue_count(page) -> int:
    return int(page.inner_text("#moderatie-aantal"))


@pytest.mark.parametrize("path", ["/moderatie", "/moderatie/logboek", "/moderatie/mensen",
                                  "/moderatie/logboek?besluit=goedkeuren", "/moderatie/mensen?soort=nieuw"])
def test_moderation_pages_meet_budgets(browser, live_server, path):
    page = person(browser, live_server, "moderator@example.org")
    page.goto(path)
    if path == "/moderatie":  # the reason fields, open
        for summary in page.locator("li.review details summary").all()[:2]:
            summary.click()
    assert_page_meets_budgets(page)
    assert page.console_errors == []
    page.context.close()


def test_signed_out_the_moderation_pages_ask_to_sign_in(page):
    for path in ("/moderatie", "/moderatie/logboek"):
        page.goto(path)
        assert "/inloggen" in page.url
        assert_page_meets_budgets(page)


def test_decision_page_and_report_page_meet_budgets(browser, live_server):
    moderator = person(browser, live_server, "moderator@example.org")
    moderator.goto("/themas/verkeer")
    moderator.goto(moderator.get_attribute(".post-item h3 a", "href"))
    moderator.click("text=Verbergen")
    moderator.wait_for_url(re.compile(r"/moderatie/bericht/\d+/verbergen"))
    assert_page_meets_budgets(moderator)
    moderator.context.close()

    resident = person(browser, live_server, "buiten@example.org")  # axe needs JavaScript
    resident.goto("/themas/groen")
    resident.goto(resident.get_attribute(".post-item h3 a", "href"))
    resident.goto(resident.get_attribute("#bericht .report-link", "href"))  # the report page itself
    assert re.search(r"/berichten/\d+/melden$", resident.url)
    assert_page_meets_budgets(resident)
    resident.click("main button[type=submit]")  # no reason chosen: the error, on the page
    expect(resident.get_by_text("Kies wat er mis mee is.")).to_be_visible()
    assert_page_meets_budgets(resident)
    resident.context.close()


def test_a_moderator_approves_inline(browser, live_server):
    page = person(browser, live_server, "moderator@example.org")
    page.goto("/moderatie")
    mark_page(page)
    before = queue_count(page)
    row = row_with(page, WAITING_IDEA)
    row_id = row.get_attribute("id")
    row.locator("button", has_text="Goedkeuren").click()
    page.wait_for_selector(f"#{row_id}.review-decided")
    assert f"Goedgekeurd: bericht “{WAITING_IDEA}”" in page.inner_text(f"#{row_id}")
    assert "Goedgekeurd" in page.inner_text("#meldingen")  # announced in the live region
    assert queue_count(page) == before - 1
    assert page.evaluate("document.activeElement.closest('li') && document.activeElement.closest('li').id") \
        == row_id  # focus stays where the moderator was
    assert_not_reloaded(page)
    assert page.console_errors == []

    anyone = person(browser, live_server)
    anyone.goto(page.get_attribute(f"#{row_id} a", "href"))
    assert anyone.inner_text("h1") == WAITING_IDEA
    for each in (page, anyone):
        each.context.close()


def test_hiding_inline_asks_for_a_reason_first(browser, live_server):
    page = person(browser, live_server, "moderator@example.org")
    page.goto("/moderatie")
    mark_page(page)
    row = row_with(page, REPORTED_POST)
    row_id = row.get_attribute("id")
    row.locator("summary", has_text="Verbergen").click()
    row.locator("form", has=page.locator("textarea")).first.locator("button").click()
    page.wait_for_selector(f"#{row_id} .error")
    assert "Schrijf de reden op" in page.inner_text(f"#{row_id}")
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill(f"#{row_id} textarea >> nth=0", "Reclame met een telefoonnummer hoort hier niet.")
    page.locator(f"#{row_id} form", has=page.locator("textarea")).first.locator("button").click()
    page.wait_for_selector(f"#{row_id}.review-decided")
    assert "Verborgen" in page.inner_text("#meldingen")
    assert_not_reloaded(page)
    page.goto("/moderatie/logboek?besluit=verbergen")
    assert "Reclame met een telefoonnummer hoort hier niet." in page.inner_text("main")
    page.context.close()


def test_a_moderator_decides_without_javascript(browser, live_server):
    page = person(browser, live_server, "moderator@example.org", javascript=False)
    page.goto("/moderatie")
    row = row_with(page, "Plank ophangen in de keuken")
    row.locator("button", has_text="Goedkeuren").click()
    page.wait_for_url("**/moderatie")
    announced = page.inner_text("#meldingen")
    assert "Goedgekeurd: hulpvraag of hulpaanbod “Plank ophangen in de keuken”" in announced
    assert "Plank ophangen in de keuken" not in page.inner_text("main")
    page.context.close()


def test_a_resident_reports_without_javascript(browser, live_server):
    page = person(browser, live_server, "buiten@example.org", javascript=False)
    page.goto("/themas/gezondheid")
    page.goto(page.get_attribute(".post-item h3 a", "href"))
    post_url = page.url
    page.click("#bericht .report-link")
    page.wait_for_url("**/melden")
    page.fill("#explanation", "Klopt niet helemaal.")
    page.click("main button[type=submit]")  # no reason chosen: the error, the text kept
    assert page.is_visible("text=Kies wat er mis mee is.")
    assert page.input_value("#explanation") == "Klopt niet helemaal."
    page.check("#reason-3")
    page.click("main button[type=submit]")
    page.wait_for_url(post_url)
    assert "Dank u voor uw melding" in page.inner_text("#meldingen")
    page.context.close()


def test_a_resident_reports_in_place(browser, live_server):
    page = person(browser, live_server, "verbinder@example.org")
    page.goto("/themas/wonen")
    page.goto(page.get_attribute(".post-item h3 a", "href"))
    mark_page(page)
    slot = page.locator("#bericht .report-slot")
    slot.locator("a", has_text="Melden").click()
    slot.locator("form").wait_for()
    page.wait_for_function("() => document.activeElement.classList.contains('report-heading')")
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    slot.locator("label", has_text="Reclame of spam").click()
    slot.locator("textarea").fill("Dit lijkt reclame.")
    slot.locator("button", has_text="Melden").click()
    page.wait_for_selector("#bericht .report-done")
    assert "Dank u voor uw melding" in page.inner_text("#meldingen")
    assert_not_reloaded(page)
    page.context.close()
