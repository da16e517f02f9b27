"""The board in real Chromium: posting inline, steun in place, and the same without JavaScript.

The live server holds the full demo data; each test writes under a title of its own.
"""

import uuid

import pytest

from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import _new_page, sign_in


def unique(title: str) -> str:
    return f"{title} {uuid.uuid4().hex[:6]}"


def first_link(page, path: str, selector: str = ".post-item h3 a") -> str:
    page.goto(path)
    return page.get_attribute(selector, "href")


def mark_page(page):
    """A flag that survives htmx swaps but not a page load: proves nothing reloaded."""
    page.evaluate("window.__noReload = true")


def assert_not_reloaded(page):
    assert page.evaluate("window.__noReload === true")


def person(browser, live_server, email=None, javascript=True):
    """A browser of its own (own cookies), signed in as ``email`` unless None."""
    _context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    if email:
        sign_in(page, email)
    return page


PAGES = ["/themas", "/themas/verkeer", "/themas/groen?soort=idee&volgorde=steun", "/signalen",
         "/signalen?status=beantwoord", "/zoeken", "/zoeken?q=Castellum"]


@pytest.mark.parametrize("path", PAGES)
def test_board_pages_meet_budgets_signed_out(page, path):
    page.goto(path)
    assert_page_meets_budgets(page)
    assert page.console_errors == []


@pytest.mark.parametrize("path", PAGES + ["/themas/verkeer/nieuw"])
def test_board_pages_meet_budgets_signed_in(signed_in_page, path):
    signed_in_page.goto(path)
    if path == "/themas/verkeer":
        signed_in_page.click("summary")  # the inline form, open
    assert_page_meets_budgets(signed_in_page)
    assert signed_in_page.console_errors == []


def test_post_and_signal_pages_meet_budgets(page):
    post = first_link(page, "/themas/verkeer")
    signal = first_link(page, "/signalen?status=beantwoord")
    for path in (post, signal):
        page.goto(path)
        assert_page_meets_budgets(page)
    sign_in(page, "moderator@example.org")
    for path in (post, signal):  # signed in, a signal with the moderators' form
        page.goto(path)
        assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_theme_admin_and_account_meet_budgets(page):
    sign_in(page, "beheer@example.org")
    page.goto("/themas/beheer")
    assert_page_meets_budgets(page)
    page.goto("/account")
    assert page.is_visible("text=Mijn signalen aan de gemeente")
    assert_page_meets_budgets(page)


def test_form_errors_on_the_board_meet_budgets(signed_in_page):
    page = signed_in_page
    page.goto("/themas/verkeer")
    page.click("summary")
    page.check("#kind-2")  # signaal, without its phase
    page.fill("#title", "Een signaal")
    page.click("#nieuw-bericht button[type=submit]")
    page.wait_for_selector("#nieuw-bericht .error")
    assert page.input_value("#title") == "Een signaal"
    assert_page_meets_budgets(page)


def post_inline(page, title: str, body: str = "Een idee voor de wijk.\n\nMet twee alinea's."):
    page.goto("/themas/verkeer")
    mark_page(page)
    page.click("summary")
    page.check("#kind-0")
    page.fill("#title", title)
    page.fill("#body", body)
    page.click("#nieuw-bericht button[type=submit]")
    page.wait_for_selector(f"#berichten-lijst li:first-child h3 a:text-is('{title}')")
    assert_not_reloaded(page)
    assert "staat op het prikbord" in page.inner_text("#meldingen")
    assert page.input_value("#title") == ""  # a fresh form to write the next one
    assert page.evaluate("document.activeElement.id") == "plaats-bericht"  # focus stays put
    return page.get_attribute(f"#berichten-lijst h3 a:text-is('{title}')", "href")


def test_done_when_with_javascript(browser, live_server):
    """bewoner posts an idea without reloading, buiten supports it and replies, anyone finds
    it through search, and a signal shows the municipality's answer."""
    title = unique("Bloembakken langs de Ringkade")
    bewoner = person(browser, live_server, "bewoner@example.org")
    url = post_inline(bewoner, title)

    buiten = person(browser, live_server, "buiten@example.org")
    buiten.goto(url)
    mark_page(buiten)
    buiten.click("#steun-knop")
    buiten.wait_for_selector("#steun :text('1 persoon steunt')")
    assert buiten.inner_text("#steun-knop") == "Steun intrekken"
    assert "U steunt dit bericht nu" in buiten.inner_text("#meldingen")
    assert buiten.evaluate("document.activeElement.id") == "steun-knop"  # focus stays put
    buiten.fill("#reply", "Mooi plan, ik help met water geven.")
    buiten.click("#reageren button[type=submit]")
    buiten.wait_for_selector("#reacties-lijst :text('ik help met water geven')")
    assert buiten.inner_text("#reacties-aantal") == "1"
    assert_not_reloaded(buiten)

    anyone = person(browser, live_server)
    anyone.goto("/zoeken")
    mark_page(anyone)
    anyone.fill("#q", title.split()[-1])
    anyone.click("main button[type=submit]")
    anyone.wait_for_selector(f"#zoekresultaten a:text-is('{title}')")
    assert_not_reloaded(anyone)
    assert "q=" in anyone.url  # the search is in the address, to share or go back to
    anyone.click(f"#zoekresultaten a:text-is('{title}')")
    anyone.wait_for_selector("text=1 persoon steunt")
    assert "ik help met water geven" in anyone.content()

    anyone.goto(first_link(anyone, "/signalen?status=beantwoord"))
    assert anyone.is_visible("h3:text('Antwoord van de gemeente')")
    for page in (bewoner, buiten, anyone):
        assert page.console_errors == []
        page.context.close()


def test_done_when_without_javascript(browser, live_server):
    title = unique("Watertappunt in Park Vleuterweide")
    bewoner = person(browser, live_server, "bewoner@example.org", javascript=False)
    bewoner.goto("/themas/verkeer")
    bewoner.click("summary")
    bewoner.fill("#title", title)
    bewoner.fill("#body", "Zie https://www.utrecht.nl voor de plannen.")
    bewoner.click("#nieuw-bericht button[type=submit]")
    bewoner.wait_for_url("**/berichten/*")
    assert bewoner.inner_text("h1") == title
    assert bewoner.get_attribute("main .post-body a", "rel") == "nofollow ugc"
    url = bewoner.url

    buiten = person(browser, live_server, "buiten@example.org", javascript=False)
    buiten.goto(url)
    buiten.click("#steun-knop")
    buiten.wait_for_url("**#steun")
    assert "1 persoon steunt" in buiten.inner_text("#steun")
    buiten.fill("#reply", "Goed idee, zonder JavaScript.")
    buiten.click("#reageren button[type=submit]")
    buiten.wait_for_url("**#reactie-*")
    assert "Goed idee, zonder JavaScript." in buiten.inner_text("#reacties-lijst")

    anyone = person(browser, live_server, javascript=False)
    anyone.goto("/zoeken")
    anyone.fill("#q", "watertappunt " + title.split()[-1])
    anyone.click("main button[type=submit]")
    anyone.wait_for_url("**/zoeken?q=*")
    anyone.click(f"#zoekresultaten a:text-is('{title}')")
    anyone.wait_for_url("**/berichten/*")
    assert "Goed idee, zonder JavaScript." in anyone.inner_text("#reacties-lijst")
    anyone.goto(first_link(anyone, "/signalen?status=beantwoord"))
    assert anyone.is_visible("h3:text('Antwoord van de gemeente')")
    for page in (bewoner, buiten, anyone):
        page.context.close()


def test_steun_toggles_in_place(browser, live_server):
    page = person(browser, live_server, "verbinder@example.org")
    page.goto(first_link(page, "/themas/wonen"))
    mark_page(page)
    before = page.inner_text("#steun .support-count")
    label = page.inner_text("#steun-knop")
    other = {"Steun dit bericht": "Steun intrekken", "Steun intrekken": "Steun dit bericht"}[label]
    page.click("#steun-knop")
    page.wait_for_selector(f"#steun-knop:text-is('{other}')")
    assert page.inner_text("#steun .support-count") != before
    page.click("#steun-knop")
    page.wait_for_selector(f"#steun-knop:text-is('{label}')")
    assert page.inner_text("#steun .support-count") == before
    assert_not_reloaded(page)
    page.context.close()


def test_board_filters_swap_the_results_and_the_address(page):
    page.goto("/themas/verkeer")
    mark_page(page)
    page.select_option("#soort", "vraag")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/themas/verkeer?soort=vraag*")
    assert page.inner_text("#berichten .post-item .badge") == "Vraag"
    assert_not_reloaded(page)
    page.go_back()
    page.wait_for_url("**/themas/verkeer")
    assert page.is_visible("#berichten")


def test_moderator_answers_a_signal_in_place(browser, live_server):
    page = person(browser, live_server, "moderator@example.org")
    page.goto(first_link(page, "/signalen?status=nieuw"))
    mark_page(page)
    page.select_option("#municipal_status", "in_behandeling")
    page.click("#signaal button[type=submit]")
    page.wait_for_selector("#signaal li[aria-current=step]:text('In behandeling bij de gemeente')")
    assert "De status is nu" in page.inner_text("#meldingen")
    assert_not_reloaded(page)
    page.context.close()


def test_author_edits_inline(signed_in_page):
    page = signed_in_page
    title = unique("Te bewerken idee")
    url = post_inline(page, title)
    page.goto(url)
    mark_page(page)
    page.click("text=Bericht bewerken")
    page.wait_for_selector("#bericht form")
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")  # focus follows the swap
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#title", title + " (aangepast)")
    page.click("#bericht button[type=submit]")
    page.wait_for_selector(f"h1:text-is('{title} (aangepast)')")
    assert_not_reloaded(page)
