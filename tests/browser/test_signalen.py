"""The melding form on a signal's page in real Chromium (with ``SIGNALEN_URL`` set for this
test only): axe, 18 px, 44 px targets and 320 px with the moderator's form, then sent in
place with htmx. Nothing reaches Signalen during the page view (``flask sync-signalen`` does
that; ``tests/test_signalen.py``)."""

import pytest

from portal.extensions import db
from portal.models import PostKind, User
from tests.browser.checks import assert_page_meets_budgets
from tests.browser.test_board import person
from tests.factories import make_post


@pytest.fixture
def signalen_on(live_app):
    live_app.config["SIGNALEN_URL"] = "http://127.0.0.1:9"  # never called from a page
    yield
    live_app.config["SIGNALEN_URL"] = ""


@pytest.fixture
def new_signal_id(live_app):
    """A signal of its own: other browser tests change the demo's signals in the shared app."""
    with live_app.app_context():
        bewoner = db.session.scalar(db.select(User).where(User.email == "bewoner@example.org"))
        post_id = make_post(bewoner, kind=PostKind.SIGNAL, title="Losse stoeptegel bij de bushalte").id
        db.session.remove()
    return post_id


def test_a_moderator_sends_a_signal_as_a_melding_in_place(browser, live_server, signalen_on, new_signal_id):
    page = person(browser, live_server, "moderator@example.org")
    page.goto(f"/berichten/{new_signal_id}")
    page.wait_for_selector("#melding form")
    assert page.input_value("#latitude") and page.input_value("#longitude")  # the buurt's centre
    assert_page_meets_budgets(page)

    page.fill("#latitude", "48,8")  # not in the Netherlands: the error next to the field
    page.click("#melding button[type=submit]")
    page.wait_for_selector("#latitude-error")
    assert page.input_value("#latitude") == "48,8"

    page.fill("#latitude", "52,0991")
    page.click("#melding button[type=submit]")
    page.wait_for_selector("#melding dd:text('Wordt naar de gemeente gestuurd')")
    assert page.is_visible("#meldingen :text('De melding gaat naar Signalen')")
    assert_page_meets_budgets(page)
    assert [error for error in page.console_errors if "422" not in error] == []  # the 422 is the form
