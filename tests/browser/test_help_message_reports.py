"""Reporting a message in the conversation on a help item, in real Chromium: the helper (buur)
opens the report form under the asker's message in place (htmx) and sends it; the moderator
then sees that message, and only that one, on the item's page. Both pages meet the budgets
(axe, 44 px, 320 px)."""

from playwright.sync_api import expect

from portal.extensions import db
from portal.models import HelpItem, HelpMessage
from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import sign_in

ASKER_WROTE = "Kunt u om kwart over tien bij mij aanbellen?"
HELPER_WROTE = "Ik sta om kwart over tien voor de deur."


def _item_and_message(live_app) -> tuple[str, int]:
    """The demo request that buur helps with, and bewoner's message in its conversation."""
    with live_app.app_context():
        item_id = db.session.scalar(db.select(HelpItem.id).where(HelpItem.title == "Naar de fysiotherapeut"))
        message_id = db.session.scalar(db.select(HelpMessage.id).where(
            HelpMessage.item_id == item_id, HelpMessage.text.contains(ASKER_WROTE)))
        db.session.remove()
    return f"/hulp/{item_id}", message_id


def test_the_helper_reports_in_place_and_the_moderator_sees_only_that_message(browser, live_server, live_app,
                                                                              page):
    item, message_id = _item_and_message(live_app)
    sign_in(page, "buur@example.org")
    page.goto(item)
    page.evaluate("window.__zelfde_pagina = true")
    own = page.locator("#gesprek .message.is-mine").first
    expect(own).to_contain_text(HELPER_WROTE)
    assert own.locator(".report-link").count() == 0  # not one's own message
    slot = page.locator(f"#gespreksbericht-{message_id} .report-slot")
    slot.locator("a", has_text="Melden").click()
    expect(slot.locator(".report-heading")).to_be_focused()
    assert_page_meets_budgets(page)
    slot.locator("label", has_text="Onvriendelijk").click()
    slot.locator("button", has_text="Melden").click()
    expect(slot.locator(".report-done")).to_be_focused()
    expect(page.locator("#meldingen")).to_contain_text("Dank u voor uw melding")
    assert page.evaluate("window.__zelfde_pagina === true")  # in place, no reload
    assert page.console_errors == []

    page.context.clear_cookies()
    sign_in(page, "moderator@example.org")
    page.goto(item)
    reported = page.locator("#gemelde-berichten")
    expect(reported.locator(f"#gespreksbericht-{message_id}")).to_contain_text(ASKER_WROTE)
    assert page.locator("#gesprek").count() == 0 and HELPER_WROTE not in page.content()
    expect(reported.locator(".report-link")).to_have_text("Verbergen (bericht van Riet van Dijk)")
    assert_page_meets_budgets(page)
    page.goto("/moderatie")
    expect(page.locator(".review", has_text=ASKER_WROTE)).to_contain_text("in een gesprek")
    assert page.console_errors == []
