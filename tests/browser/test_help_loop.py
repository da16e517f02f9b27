"""After "ik help" in real Chromium: the item page of the asker (bewoner), the chosen helper
(buur) and the verbinder meets the budgets (axe, 44 px, 320 px); the conversation works with
htmx (swapped in place, focus on the new message, the live region says it) and without
JavaScript (a form and a redirect); the verbinder's overview and its printable version."""

import itertools

import pytest
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import HelpItem
from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import sign_in

CIRCLE = "/cirkels/vleuten-dorp"
_numbers = itertools.count(1)


@pytest.fixture
def promised_item(live_app) -> str:
    """The demo request of bewoner that buur helps with (a conversation is going on)."""
    with live_app.app_context():
        item_id = db.session.scalar(db.select(HelpItem.id).where(HelpItem.title == "Naar de fysiotherapeut"))
        db.session.remove()
    return f"/hulp/{item_id}"


@pytest.mark.parametrize("email", ["bewoner@example.org", "buur@example.org", "verbinder@example.org"],
                         ids=["asker", "helper", "verbinder"])
def test_item_page_with_the_conversation_meets_budgets(page, promised_item, email):
    sign_in(page, email)
    page.goto(promised_item)
    expect(page.locator("#gesprek")).to_contain_text("Ik sta om kwart over tien voor de deur.")
    expect(page.locator(".facts")).to_contain_text("Toegezegd aan Karin")
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_someone_else_in_the_circle_does_not_see_the_conversation(page, promised_item):
    sign_in(page, "joke.vermeulen@example.org")
    page.goto(promised_item)
    expect(page.locator("h1")).to_have_text("Naar de fysiotherapeut")
    assert page.locator("#gesprek").count() == 0
    assert "kwart over tien" not in page.content()


def test_the_asker_writes_with_javascript(page, promised_item):
    sign_in(page, "bewoner@example.org")
    page.goto(promised_item)
    page.evaluate("window.__zelfde_pagina = true")
    text = f"Neemt u een paraplu mee? ({next(_numbers)})"
    page.click("#gesprek button:has-text('Bericht versturen')")  # empty: the error, in place
    expect(page.locator("#gesprek .error-summary")).to_be_visible()
    expect(page.locator("#gesprek-kop")).to_be_focused()
    page.fill("#text", text)
    page.click("#gesprek button:has-text('Bericht versturen')")
    newest = page.locator("#gesprek .message").last
    expect(newest).to_contain_text(text)
    expect(newest).to_be_focused()
    expect(page.locator("#meldingen")).to_contain_text("Uw bericht staat in het gesprek")
    expect(page.locator("#text")).to_have_value("")
    assert page.evaluate("window.__zelfde_pagina === true"), "the page was loaded again"
    assert_page_meets_budgets(page)
    assert [error for error in page.console_errors if "422" not in error] == []  # the empty try


def test_the_helper_writes_without_javascript(page_nojs, promised_item):
    sign_in(page_nojs, "buur@example.org")
    page_nojs.goto(promised_item)
    text = f"Ik heb de auto voor de deur gezet ({next(_numbers)})"
    page_nojs.fill("#text", text)
    page_nojs.click("#gesprek button:has-text('Bericht versturen')")
    page_nojs.wait_for_url(f"**{promised_item}#gesprek")
    expect(page_nojs.locator("#gesprek .message").last).to_contain_text(text)
    expect(page_nojs.locator("#meldingen")).to_contain_text("Uw bericht staat in het gesprek")
    # (no axe here: it runs as JavaScript; the same page is checked with JavaScript above)


@pytest.mark.parametrize("path", ["overzicht", "overzicht/afdrukken"])
def test_the_verbinders_overview_meets_budgets(page, path):
    sign_in(page, "verbinder@example.org")
    page.goto(f"{CIRCLE}/{path}")
    expect(page.locator("main")).to_contain_text("Karin helpt Riet")
    expect(page.locator("main")).to_contain_text("Gerda (Schoolstraat)")
    assert_page_meets_budgets(page)
    assert page.console_errors == []
