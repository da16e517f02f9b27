"""The wijkbrief in real Chromium, on the demo data: axe WCAG 2.2 AA, 18 px text, 44 px targets,
320 px and at most 35 KB on every new page, signed out, as a resident and as the redacteur;
subscribing without JavaScript and with it; the Nu Html Checker on every new page; the paper
version in print media (16 pt or more, one column, the agenda as a table) and printed to an
A4 PDF."""

import pytest

from tests.browser.checks import assert_page_meets_budgets, goto_and_check
from tests.browser.conftest import DEMO_PASSWORD, _new_page, sign_in
from tests.browser.test_valid_html import validator_errors, vnu_command  # noqa: F401 - the fixture
from tests.conftest import login

PUBLIC = ["/nieuwsbrief", "/nieuwsbrief/aangemeld", "/nieuwsbrief/1", "/nieuwsbrief/1/afdrukken"]
NOT_FOUND = ["/nieuwsbrief/bevestigen/niet-geldig", "/nieuwsbrief/afmelden/niet-geldig"]  # kind 404 pages
REDACTEUR = "redacteur@example.org"


@pytest.mark.parametrize("path", PUBLIC)
def test_new_pages_meet_budgets_signed_out(page, path):
    goto_and_check(page, path)


@pytest.mark.parametrize("path", NOT_FOUND)
def test_the_kind_404_pages_meet_budgets(page, path):
    assert page.goto(path).status == 404
    assert_page_meets_budgets(page)


@pytest.mark.parametrize("path", ["/nieuwsbrief", "/nieuwsbrief/1", "/nieuwsbrief/1/afdrukken"])
def test_new_pages_meet_budgets_as_a_resident(signed_in_page, path):
    goto_and_check(signed_in_page, path)


def _draft_path(page) -> str:
    page.goto("/redactie/nieuwsbrieven")
    return page.get_attribute("main .rows .row:has-text('concept') .row-link", "href")


def test_the_redactie_pages_meet_budgets(page):
    sign_in(page, REDACTEUR)
    draft = _draft_path(page)
    for path in ("/nieuwsbrief", "/redactie/nieuwsbrieven", "/redactie/nieuwsbrieven/nieuw", draft,
                 draft + "/voorbeeld"):
        goto_and_check(page, path)
    page.goto("/redactie/nieuwsbrieven")
    goto_and_check(page, page.get_attribute("main .rows .row:has-text('verstuurd') .row-link", "href"))
    page.goto("/redactie/nieuwsbrieven/nieuw")
    page.click("main form button[type=submit]")  # no title: the message, the form kept
    page.wait_for_selector("#title-error")
    assert_page_meets_budgets(page)


@pytest.mark.parametrize("javascript", [False, True])
def test_subscribing_without_an_account(browser, live_server, javascript):
    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    page.goto("/nieuwsbrief")
    page.fill("#email", f"lezer-{'met' if javascript else 'zonder'}-js@example.org")
    page.click("main form button[type=submit]")  # the consent box is unticked: refused, kept
    page.wait_for_selector("#consent-error")
    assert page.input_value("#email").startswith("lezer-")
    if javascript:
        assert_page_meets_budgets(page)
    page.check("#consent")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/nieuwsbrief/aangemeld")
    assert "Kijk in uw mailbox" in page.inner_text("main")
    context.close()


def _confirm_path(app, email: str) -> str:
    """The confirmation link of a fresh subscription (as its mail would carry it)."""
    from portal.database import commit
    from portal.newsletter import service

    with app.test_request_context():
        service.subscribe(email, "", None, source="/nieuwsbrief")
        commit()
        return f"/nieuwsbrief/bevestigen/{service.confirm_token(service.subscriber_by_email(email))}"


def test_confirming_asks_with_one_button_then_says_so(page, demo_app):
    path = _confirm_path(demo_app, "bevestig-in-browser@example.org")
    goto_and_check(page, path)
    page.click("main form button[type=submit]")
    page.wait_for_selector("h1:has-text('Aanmelding bevestigd')")
    assert_page_meets_budgets(page)


def test_the_paper_version_prints_in_large_letters_on_a4(page, tmp_path):
    page.goto("/nieuwsbrief/1/afdrukken")
    font_size = "parseFloat(getComputedStyle(document.querySelector('.newsletter-print')).fontSize)"
    screen = page.evaluate(font_size)
    assert screen >= 21.3  # 16 pt on screen too
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"
    size = page.evaluate(font_size)
    assert size >= 21.3  # 16 pt
    assert page.locator(".newsletter-print table").count() == 1
    assert page.locator(".newsletter-print svg.flyer-qr").count() == 2
    # One column: the table is no wider than the sheet.
    widths = page.evaluate("[document.querySelector('.newsletter-print table').scrollWidth,"
                           " document.querySelector('.newsletter-print').clientWidth]")
    assert widths[0] <= widths[1]
    pdf = page.pdf(format="A4", path=str(tmp_path / "wijkbrief.pdf"))
    assert pdf.startswith(b"%PDF")


def test_new_pages_are_valid_html(vnu_command, demo_app, tmp_path):  # noqa: F811 - the fixture
    visitor = demo_app.test_client()
    pages = {f"bezoeker {path}": visitor.get(path).get_data(as_text=True) for path in PUBLIC + NOT_FOUND}
    invalid = visitor.post("/nieuwsbrief", data={"email": "geen-adres"})
    pages["bezoeker /nieuwsbrief (422)"] = invalid.get_data(as_text=True)
    confirm = _confirm_path(demo_app, "bevestig-nu@example.org")
    pages["bezoeker bevestigen"] = visitor.get(confirm).get_data(as_text=True)
    pages["bezoeker bevestigd"] = visitor.post(confirm).get_data(as_text=True)
    resident = demo_app.test_client()
    login(resident, type("Person", (), {"email": "bewoner@example.org"})(), DEMO_PASSWORD)
    pages["bewoner /nieuwsbrief"] = resident.get("/nieuwsbrief").get_data(as_text=True)
    staff = demo_app.test_client()
    login(staff, type("Person", (), {"email": REDACTEUR})(), DEMO_PASSWORD)
    listing = staff.get("/redactie/nieuwsbrieven").get_data(as_text=True)
    pages["redacteur /redactie/nieuwsbrieven"] = listing
    for part in listing.split('class="row-link" href="')[1:]:
        path = part.split('"', 1)[0]
        pages[f"redacteur {path}"] = staff.get(path).get_data(as_text=True)
        pages[f"redacteur {path}/voorbeeld"] = staff.get(path + "/voorbeeld").get_data(as_text=True)
    pages["redacteur nieuw"] = staff.get("/redactie/nieuwsbrieven/nieuw").get_data(as_text=True)
    refused = staff.post("/redactie/nieuwsbrieven/nieuw", data={"title": "", "segment": "buurten"})
    assert refused.status_code == 422
    pages["redacteur nieuw (422)"] = refused.get_data(as_text=True)
    errors = validator_errors(vnu_command, pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"the Nu Html Checker found errors on {len(errors)} of {len(pages)} pages:\n{report}"
