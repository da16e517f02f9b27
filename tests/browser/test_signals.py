"""Signals to the gemeente in real Chromium: budgets (axe, 18 px, 44 px, 320 px, 35 KB) on
/signalen, the gemeente's answer page (no cookie) and the paper-card form; cards typed in one
after another with htmx and without JavaScript; Volgen in place.

The live server holds the full demo data; each test writes under a title of its own.
"""

import pytest
from playwright.sync_api import expect

from portal.board import gemeente_signals
from portal.extensions import db
from portal.models import MunicipalStatus, Post, PostKind
from tests.browser.checks import PAGE_WEIGHT_BUDGET, assert_page_meets_budgets, transferred_bytes
from tests.browser.test_board import assert_not_reloaded, mark_page, person, unique


def meets_budgets(page, path: str | None = None, status: int | None = None):
    """Budgets met, and nothing in the console but the answer's own status when it is meant
    (an invalid form answers 422, a broken link 404: the browser logs those as errors)."""
    if path:
        page.set_viewport_size({"width": 1024, "height": 800})
        page.goto(path)
        assert transferred_bytes(page) <= PAGE_WEIGHT_BUDGET, path
    assert_page_meets_budgets(page)
    expected = f"status of {status}" if status else None
    errors = [e for e in page.console_errors if not (expected and expected in e)]
    assert errors == [], errors


@pytest.fixture(scope="module")
def answer_path(live_app):
    """The answer link of a demo signal that was forwarded (as the gemeente got it by mail)."""
    with live_app.app_context():
        post = db.session.scalar(
            db.select(Post).where(Post.kind == PostKind.SIGNAL,
                                  Post.municipal_status == MunicipalStatus.FORWARDED).order_by(Post.id)
        )
        path = f"/signalen/antwoord/{gemeente_signals.answer_token(post)}"
        db.session.remove()
    return path


@pytest.mark.parametrize("path", ["/signalen", "/signalen?buurt=vleuten", "/signalen?status=beantwoord"])
def test_signalen_meets_budgets(page, path):
    meets_budgets(page, path)
    assert page.locator("table.figures th[scope=row]").count() >= 2
    assert page.locator('link[rel=alternate][type="application/atom+xml"]').count() == 1


def test_the_gemeente_answers_without_an_account_or_cookie(browser, live_server, answer_path):
    gemeente = person(browser, live_server)  # the form is a plain form: no htmx on this page
    meets_budgets(gemeente, answer_path)
    gemeente.click("main button[type=submit]")  # nothing written
    gemeente.wait_for_selector(".error-summary")
    meets_budgets(gemeente, status=422)
    gemeente.console_errors.clear()
    answer = unique("De gemeente legt de tegels deze maand opnieuw")
    gemeente.fill("#answer", answer)
    gemeente.check("input[value=beantwoord]")
    gemeente.click("main button[type=submit]")
    gemeente.wait_for_selector("text=Dank u wel. Uw antwoord staat nu bij het signaal.")
    meets_budgets(gemeente)
    assert gemeente.context.cookies() == []
    gemeente.click("text=Bekijk het signaal met uw antwoord")
    gemeente.wait_for_selector("#antwoord")
    assert answer in gemeente.inner_text("#antwoord")
    meets_budgets(gemeente)


def test_a_broken_answer_link_meets_budgets(page, answer_path):
    response = page.goto(answer_path[:-3] + "xyz")
    assert response.status == 404
    meets_budgets(page, status=404)


def test_cards_one_after_another_with_javascript(browser, live_server):
    verbinder = person(browser, live_server, "verbinder@example.org")
    meets_budgets(verbinder, "/kaarten?thema=groen")
    mark_page(verbinder)
    verbinder.click("#kaart-opslaan")  # empty: errors in place, budgets still met
    verbinder.wait_for_selector("#kaart-formulier .error")
    meets_budgets(verbinder, status=422)
    verbinder.console_errors.clear()
    verbinder.fill("#source", "Kaart bij de bijeenkomst in De Pijler, 3 juni")
    for name in ("Henk", "Fatima"):
        title = unique(f"Kaart van {name}")
        verbinder.fill("#on_behalf_name", name)
        verbinder.check("#kind-0")
        verbinder.fill("#title", title)
        verbinder.fill("#body", "Meer bankjes langs de Leidsche Rijn.")
        verbinder.click("#kaart-opslaan")
        verbinder.wait_for_selector(f"#kaart-formulier .card-done a:text-is('{title}')")
        assert verbinder.input_value("#title") == "" and verbinder.input_value("#on_behalf_name") == ""
        assert verbinder.input_value("#source").startswith("Kaart bij de bijeenkomst")
        expect(verbinder.locator("#kaart-formulier .card-done")).to_be_focused()  # after the swap settles
        assert f"De kaart van {name}" in verbinder.inner_text("#meldingen")
    assert_not_reloaded(verbinder)
    meets_budgets(verbinder)
    verbinder.click("#kaart-formulier .card-done a")
    verbinder.wait_for_selector("text=Namens Fatima, ingevoerd door")
    assert "Van een papieren kaart: Kaart bij de bijeenkomst in De Pijler" in verbinder.inner_text("#bericht")
    meets_budgets(verbinder)


def test_cards_without_javascript(browser, live_server):
    verbinder = person(browser, live_server, "verbinder@example.org", javascript=False)
    verbinder.goto("/kaarten")
    verbinder.fill("#source", "Kaart bij de bijeenkomst in De Schakel")
    for name in ("Ans", "Piet", "Mies"):
        verbinder.fill("#on_behalf_name", name)
        verbinder.select_option("#theme", "verkeer")
        verbinder.check("#kind-1")
        verbinder.fill("#title", unique(f"Vraag van {name}"))
        verbinder.fill("#body", "Wanneer gaat de Meerndijk weer open?")
        verbinder.click("#kaart-opslaan")
        verbinder.wait_for_selector(f".message:has-text('De kaart van {name} staat op het prikbord')")
        assert verbinder.input_value("#title") == ""
        assert verbinder.input_value("#theme") == "verkeer"
    # (no axe here: page.evaluate never returns in a page without JavaScript)


def test_volgen_in_place(browser, live_server):
    bewoner = person(browser, live_server, "buiten@example.org")
    bewoner.goto("/themas/groen")
    bewoner.click(".post-item h3 a")
    bewoner.wait_for_selector("#volg-knop")
    mark_page(bewoner)
    before = bewoner.inner_text("#volg-knop")
    bewoner.click("#volg-knop")
    after = "Volgen" if before == "Niet meer volgen" else "Niet meer volgen"
    bewoner.wait_for_selector(f"#volg-knop:text-is('{after}')")
    assert_not_reloaded(bewoner)
    assert bewoner.evaluate("document.activeElement.id") == "volg-knop"
    meets_budgets(bewoner)
