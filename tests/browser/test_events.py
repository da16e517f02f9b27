"""The agenda in real Chromium: budgets on every page, signed out and in; signing up with
htmx (swapped in place) and without JavaScript (PRG); the printed month in print media."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar

from tests.browser.checks import assert_page_meets_budgets, goto_and_check
from tests.browser.conftest import DEMO_PASSWORD, sign_in

NETWORK_MEETING = "Netwerkbijeenkomst Wijkalliantie"
DIALOGUE = "Wijkdialoog"
FULL_TOUR = "Rondleiding Castellum Hoge Woerd"


def _open_event(page, title: str) -> str:
    page.goto("/agenda")
    page.click(f"main h3 a:has-text('{title}')")
    page.wait_for_url("**/agenda/*")
    return page.url


@pytest.mark.parametrize("path", ["/agenda", "/agenda/afdrukken"])
def test_agenda_pages_meet_budgets_signed_out(page, path):
    goto_and_check(page, path)


def test_event_page_meets_budgets_signed_out(page):
    goto_and_check(page, _open_event(page, NETWORK_MEETING))


@pytest.mark.parametrize("path", ["/agenda", "/agenda/afdrukken", "/account", "/account/meldingen"])
def test_agenda_pages_meet_budgets_signed_in(signed_in_page, path):
    goto_and_check(signed_in_page, path)


@pytest.mark.parametrize("title", [NETWORK_MEETING, FULL_TOUR])
def test_event_pages_meet_budgets_signed_in(signed_in_page, title):
    goto_and_check(signed_in_page, _open_event(signed_in_page, title))


def test_organiser_pages_meet_budgets(page):
    sign_in(page, "moderator@example.org")
    event_url = _open_event(page, NETWORK_MEETING)
    for path in ("/agenda/nieuw", event_url + "/bewerken", event_url + "/deelnemers"):
        goto_and_check(page, path)


def test_event_form_errors_meet_budgets(page):
    sign_in(page, "moderator@example.org")
    page.goto("/agenda/nieuw")
    page.fill("#title", "Buurtborrel")
    page.click("main button[type=submit]")
    page.wait_for_selector(".error")
    assert page.input_value("#title") == "Buurtborrel"
    assert_page_meets_budgets(page)


def test_unsubscribe_page_meets_budgets(page, live_app):
    from portal.extensions import db
    from portal.models import User
    from portal.notifications.service import MailKind, unsubscribe_url

    with live_app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "buiten@example.org"))
        url = unsubscribe_url(user, MailKind.MODERATION)
    page.goto(urlsplit(url).path)  # PUBLIC_URL names another port than the test server's
    assert "Ja, zet deze e-mail uit" in page.content()
    assert_page_meets_budgets(page)


def test_sign_up_with_javascript_swaps_the_box_in_place(signed_in_page):
    """The issue's "done when": bewoner signs up for the De Pijler meeting and adds it to her
    calendar (then cancels again, so the shared demo data stays as it was)."""
    page = signed_in_page
    _open_event(page, NETWORK_MEETING)
    page.evaluate("window.stillTheSamePage = true")
    page.click("#aanmelden button:has-text('Aanmelden')")
    page.wait_for_selector("#aanmelden .signup-yes")
    assert page.evaluate("window.stillTheSamePage") is True  # swapped, not reloaded
    assert "U bent aangemeld. Tot dan!" in page.inner_text("#meldingen")
    page.wait_for_function("() => document.activeElement.matches('[data-focus-after-swap]')")
    assert_page_meets_budgets(page)

    page.set_viewport_size({"width": 1024, "height": 800})
    with page.expect_download() as download:
        page.click("a:has-text('Zet in mijn agenda')")
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    [entry] = calendar.walk("VEVENT")
    assert str(entry["LOCATION"]) == "De Pijler, zaal 1-2-3"
    start = entry["DTSTART"].dt
    assert (start.weekday(), start.hour, start.minute) == (1, 15, 30)  # a Tuesday, 15.30

    page.click("#aanmelden button:has-text('Afmelden')")
    page.wait_for_selector("#aanmelden button:has-text('Aanmelden')")
    assert page.evaluate("window.stillTheSamePage") is True
    assert "U bent afgemeld." in page.inner_text("#meldingen")
    assert page.console_errors == []


def test_waiting_list_without_javascript(page_nojs):
    page = page_nojs
    sign_in(page)
    event_url = _open_event(page, FULL_TOUR)
    assert "Alle 2 plaatsen zijn bezet." in page.content()
    page.click("#aanmelden button:has-text('Op de wachtlijst')")
    page.wait_for_selector("#aanmelden .signup-wait")
    assert page.url == event_url  # redirected back after the post
    assert "U staat op de wachtlijst" in page.inner_text("#meldingen")
    assert "(plaats 2)" in page.inner_text("#aanmelden")
    # (no axe here: axe cannot run in a page without JavaScript; the same page with
    # JavaScript is checked above)

    page.click("#aanmelden button:has-text('Van de wachtlijst af')")
    page.wait_for_selector("#aanmelden button:has-text('Op de wachtlijst')")
    assert "U staat niet meer op de wachtlijst." in page.inner_text("#meldingen")


def test_signed_out_sign_up_link_leads_back_to_the_event(page):
    event_url = _open_event(page, DIALOGUE)
    page.click("#aanmelden a:has-text('Log in om u aan te melden')")
    page.fill("#email", "bewoner@example.org")
    page.fill("#password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(event_url)
    assert page.locator("#aanmelden form button").count() == 1  # signed in: a button now


def test_the_printed_month_is_large_and_without_navigation(page):
    page.goto("/agenda/afdrukken")
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.site-header', '.main-nav', '.site-footer', '.month-nav']"
        ".map(s => document.querySelector(s)).filter(Boolean)"
        ".map(el => getComputedStyle(el).display)"
    )
    assert hidden and set(hidden) == {"none"}
    smallest = page.evaluate(
        "Math.min(...Array.from(document.querySelectorAll('.print-sheet, .print-sheet *'))"
        ".filter(el => el.offsetParent !== null && el.innerText && el.innerText.trim())"
        ".map(el => parseFloat(getComputedStyle(el).fontSize)))"
    )
    assert smallest >= 14 * 96 / 72 - 0.01  # 14 pt in CSS pixels
    page.pdf(format="A4")  # Chromium lays it out on A4 without errors
