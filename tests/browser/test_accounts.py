"""Account pages in real Chromium: a forgotten password, a new one from the mailed link, the
profile (with errors, with an address waiting), the welcome page that offers the circle of
your street. Budgets (axe, 18 px, 44 px, 320 px) on each; forms with and without JavaScript.

These tests change accounts, so they make their own people in the live server's database
and leave the demo accounts as the other browser tests expect them.
"""

import itertools

import pytest

from portal.accounts import service
from portal.extensions import db
from portal.models import User
from tests.browser.checks import assert_page_meets_budgets
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_user

_people = itertools.count(1)


@pytest.fixture
def person(live_app):
    """A fresh resident in the live server's database: (email, id)."""
    with live_app.app_context():
        user = make_user(name="Truus Jansen", email=f"truus{next(_people)}@example.org")
        email, user_id = user.email, user.id
        db.session.remove()  # outside a request a transaction holds SQLite's write lock
    return email, user_id


def _reset_path(live_app, user_id: int) -> str:
    """What the mailed link holds (mail goes to the console on the live server)."""
    with live_app.app_context():
        path = f"/wachtwoord-nieuw/{service.reset_token(db.session.get(User, user_id))}"
        db.session.remove()
    return path


def _confirm_path(live_app, user_id: int, email: str) -> str:
    """An address waiting for confirmation, and the link mailed to it."""
    with live_app.app_context():
        user = db.session.get(User, user_id)
        user.pending_email = email
        path = f"/account/email-bevestigen/{service.email_token(user, email)}"
        db.session.commit()
        db.session.remove()
    return path


def _refused_and_kept(page, field: str, value: str, button: str = "main button[type=submit]"):
    """Submit ``value`` in ``#field``; the form comes back with its message and the text kept."""
    page.fill(f"#{field}", value)
    page.click(button)
    page.wait_for_selector(f"#{field}-error")
    assert page.input_value(f"#{field}") == value
    assert page.get_attribute(f"#{field}", "aria-invalid") == "true"


def test_asking_for_a_new_password_meets_budgets(page, person):
    page.goto("/inloggen")
    page.click("text=Wachtwoord vergeten?")
    page.wait_for_url("**/wachtwoord-vergeten")
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    _refused_and_kept(page, "email", "geen-adres")
    assert_page_meets_budgets(page)
    page.fill("#email", person[0])
    page.click("main button[type=submit]")
    page.wait_for_url("**/wachtwoord-vergeten/verstuurd")
    assert page.locator("h1").inner_text() == "Kijk in uw e-mail"
    assert_page_meets_budgets(page)
    assert all("status of 422" in error for error in page.console_errors)  # the form's answer


def test_asking_for_a_new_password_without_javascript(page_nojs, person):
    """(axe needs JavaScript, so the budgets are checked on the pages above.)"""
    page_nojs.goto("/wachtwoord-vergeten")
    _refused_and_kept(page_nojs, "email", "geen-adres")
    page_nojs.fill("#email", person[0])
    page_nojs.click("main button[type=submit]")
    page_nojs.wait_for_url("**/wachtwoord-vergeten/verstuurd")


def test_a_new_password_from_the_link_signs_in(page, live_app, person):
    path = _reset_path(live_app, person[1])
    page.goto(path)
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.fill("#password", "kort")
    page.fill("#password2", "anders")
    page.click("main button[type=submit]")
    page.wait_for_selector("#password-error")
    assert_page_meets_budgets(page)
    page.fill("#password", "een-nieuw-lang-wachtwoord")
    page.fill("#password2", "een-nieuw-lang-wachtwoord")
    page.click("main button[type=submit]")
    page.wait_for_url("**/account")
    assert "Uw wachtwoord is veranderd" in page.inner_text("#meldingen")
    page.goto(path)  # used once: the kind page
    assert page.locator("h1").inner_text() == "Deze link werkt niet meer"
    assert_page_meets_budgets(page)


def test_the_profile_meets_budgets_with_and_without_errors(page, person):
    sign_in(page, person[0], PASSWORD)
    page.goto("/account")
    page.click("text=Mijn profiel aanpassen")
    page.wait_for_url("**/account/profiel")
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    _refused_and_kept(page, "phone", "bel me maar", "text=Opslaan")
    assert_page_meets_budgets(page)


def test_the_profile_keeps_bad_input_without_javascript(page_nojs, person):
    sign_in(page_nojs, person[0], PASSWORD)
    page_nojs.goto("/account/profiel")
    _refused_and_kept(page_nojs, "phone", "bel me maar", "text=Opslaan")
    page_nojs.fill("#phone", "06 12345678")
    page_nojs.click("text=Opslaan")
    page_nojs.wait_for_selector("text=Uw gegevens zijn opgeslagen")
    assert page_nojs.input_value("#phone") == "06 12345678"


def test_the_profile_with_an_address_waiting_meets_budgets(page, person):
    sign_in(page, person[0], PASSWORD)
    page.goto("/account/profiel")
    page.fill("#phone", "06 12345678")
    page.check("#share_phone")
    page.fill("#email", f"nieuw-{person[0]}")
    page.click("text=Opslaan")
    page.wait_for_selector("#email-wacht")
    assert "wacht op bevestiging" in page.inner_text("#email-wacht")
    assert page.input_value("#phone") == "06 12345678" and page.is_checked("#share_phone")
    assert_page_meets_budgets(page)
    assert page.console_errors == []


def test_the_welcome_page_offers_the_circle_of_your_street(page):
    email = f"nieuw{next(_people)}@example.org"
    page.goto("/registreren")
    page.fill("#name", "Mien Bos")
    page.fill("#email", email)
    page.fill("#street", "Schoolstraat 4")
    page.fill("#password", "een-lang-wachtwoord")
    page.fill("#password2", "een-lang-wachtwoord")
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/welkom")
    assert page.locator("h2", has_text="Uw buurtcirkel is").count() == 1
    assert_page_meets_budgets(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("main button:has-text('Ja, word lid')")
    page.wait_for_url("**/cirkels/*")
    assert "lid" in page.inner_text("#meldingen")
    assert page.console_errors == []


def test_the_page_that_confirms_a_new_address_meets_budgets(page, live_app, person):
    page.goto(_confirm_path(live_app, person[1], f"bevestigen-{person[0]}"))
    assert_page_meets_budgets(page)


def test_confirming_a_new_address_without_javascript(page_nojs, live_app, person):
    new = f"bevestigd-{person[0]}"
    page_nojs.goto(_confirm_path(live_app, person[1], new))
    assert new in page_nojs.inner_text("main")
    page_nojs.click("text=Ja, gebruik dit e-mailadres")
    page_nojs.wait_for_url("**/inloggen")
    assert new in page_nojs.inner_text("#meldingen")
    sign_in(page_nojs, new, PASSWORD)
