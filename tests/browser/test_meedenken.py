"""Meedenken in real Chromium, on the demo data: axe WCAG 2.2 AA, 18 px text, 44 px targets and
320 px on every new page for a visitor, a resident and a moderator; inbreng, steun and a
reaction on inbreng with htmx and without JavaScript (bewoner's contribution with buur's
reaction, and the reaction form); the whole flow (a traject of its own, so the demo traject stays
in ``ophalen`` for the other tests): inbreng, steun, the advies citing it, sent once; the
Nu Html Checker on every new page; the summary in print media."""

import re

import pytest

from tests.browser.checks import assert_page_meets_budgets, goto_and_check
from tests.browser.conftest import DEMO_PASSWORD, _new_page, sign_in
from tests.browser.test_valid_html import validator_errors, vnu_command  # noqa: F401 - the fixture
from tests.conftest import login

TRAJECT = "/meedenken/herinrichting-dorpsstraat-vleuten"
PUBLIC = ["/meedenken", TRAJECT, f"{TRAJECT}/afdrukken"]
KERNGROEP = ["/meedenken/nieuw", f"{TRAJECT}/bewerken", f"{TRAJECT}/advies", f"{TRAJECT}/maatregelen"]
MODERATOR = "moderator@example.org"


def _inbreng_from_ids(page) -> str:
    item_id = page.get_attribute("main li[id^='inbreng-']", "id").split("-", 1)[1]
    return f"{TRAJECT}/inbreng/{item_id}"


def _bewoners_inbreng(page) -> str:
    """The demo's contribution by bewoner, with buur's reaction: through its "n reacties" link."""
    page.goto(TRAJECT)
    item = page.locator("main li[id^='inbreng-']", has_text="oversteekplaats")
    return item.locator("a[href$='#reacties']").get_attribute("href").split("#")[0]


@pytest.mark.parametrize("path", PUBLIC)
def test_new_pages_meet_budgets_signed_out(page, path):
    goto_and_check(page, path)


def test_a_contribution_meets_budgets_for_everyone(page):
    page.goto(TRAJECT)
    path = _inbreng_from_ids(page)
    goto_and_check(page, path)
    sign_in(page, "bewoner@example.org")
    goto_and_check(page, path)
    page.context.clear_cookies()
    sign_in(page, MODERATOR)
    goto_and_check(page, path)


def test_a_contribution_with_a_reaction_and_the_form_meets_budgets_for_everyone(page):
    path = _bewoners_inbreng(page)
    goto_and_check(page, path)  # a visitor: the reaction, "Log in om te reageren"
    assert "Ik steek daar elke ochtend over" in page.inner_text("#reacties-lijst")
    for who in ("bewoner@example.org", "buiten@example.org", "buur@example.org", MODERATOR):
        page.context.clear_cookies()
        sign_in(page, who)
        goto_and_check(page, path)  # signed in: the form ("Uw reactie"), "Melden" or "Verbergen"
        assert page.locator("#reactie-formulier textarea#text").count() == 1
    page.context.clear_cookies()
    sign_in(page, "bewoner@example.org")
    page.goto(path)
    report = page.get_attribute("#reacties-lijst a[href$='/melden']", "href")
    goto_and_check(page, report)


@pytest.mark.parametrize("javascript", [False, True])
def test_a_reaction_on_inbreng(browser, live_server, javascript):
    words = f"Goed idee, ook voor de fietsers ({'met' if javascript else 'zonder'} JavaScript)"
    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    sign_in(page, "buiten@example.org")
    path = _bewoners_inbreng(page)
    page.goto(path)
    page.click("#reactie-formulier button[type=submit]")  # empty: refused, the error at the field
    page.wait_for_selector("#reactie-formulier .error")
    page.fill("#text", words)
    page.click("#reactie-formulier button[type=submit]")
    if javascript:
        page.wait_for_selector("#reactie-formulier .note")  # swapped in place
        assert page.input_value("#text") == ""
        assert words in page.inner_text("#reacties-lijst")
        assert_page_meets_budgets(page)
    else:
        page.wait_for_url(re.compile(r".*#reactie-\d+$"))
        assert words in page.inner_text("#reacties-lijst")
    assert "Uw reactie staat bij de inbreng" in page.inner_text("#meldingen")
    context.close()


@pytest.mark.parametrize("path", PUBLIC)
def test_new_pages_meet_budgets_signed_in(signed_in_page, path):
    goto_and_check(signed_in_page, path)


def test_the_kerngroep_pages_meet_budgets(page):
    sign_in(page, MODERATOR)
    for path in [*PUBLIC, *KERNGROEP]:
        goto_and_check(page, path)


def test_the_report_page_meets_budgets(page):
    sign_in(page, "buur@example.org")
    page.goto(TRAJECT)
    report = page.get_attribute("main a[href$='/melden']", "href")
    goto_and_check(page, report)


@pytest.mark.parametrize("javascript", [False, True])
def test_inbreng_and_steun_on_the_demo_traject(browser, live_server, javascript):
    words = f"Een bankje bij de bushalte ({'met' if javascript else 'zonder'} JavaScript)"
    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    sign_in(page, "bewoner@example.org")
    page.goto(TRAJECT)
    page.fill("#text", words)
    page.click("#inbreng-formulier button[type=submit]")
    if javascript:
        page.wait_for_selector("#inbreng-formulier .note")  # swapped in place
        assert "Toegevoegd" in page.inner_text("#inbreng-formulier")
        assert page.input_value("#text") == ""
    else:
        page.wait_for_url(re.compile(r".*#inbreng-\d+$"))
    page.goto(TRAJECT)
    item = page.locator("main li[id^='inbreng-']", has_text=words)
    item_id = item.get_attribute("id").split("-", 1)[1]
    context.close()

    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    sign_in(page, "buur@example.org")
    page.goto(TRAJECT)
    page.click(f"#steun-{item_id} button")
    if javascript:
        page.wait_for_selector(f"#steun-{item_id} button.button-secondary")
        assert_page_meets_budgets(page)
    else:
        page.wait_for_url(re.compile(rf".*#inbreng-{item_id}$"))
    assert "1 persoon steunt" in page.inner_text(f"#steun-{item_id}")
    assert "Steun intrekken" in page.inner_text(f"#steun-{item_id}")
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_a_late_contribution_is_refused_and_keeps_its_text(browser, live_server, javascript):
    """The deadline passes while the resident types: the post is refused with the text kept."""
    slug = f"bijna-gesloten-{'met' if javascript else 'zonder'}-js"
    staff, moderator = _new_page(browser, live_server)
    sign_in(moderator, MODERATOR)
    moderator.goto("/meedenken/nieuw")
    moderator.fill("#title", slug.replace("-", " ").capitalize())
    moderator.fill("#plan", "Een plan.")
    moderator.fill("#ophalen_until", "2099-01-01")
    moderator.click("main form button[type=submit]")
    moderator.wait_for_url(f"**/meedenken/{slug}")

    context, page = _new_page(browser, live_server, java_script_enabled=javascript)
    sign_in(page, "bewoner@example.org")
    page.goto(f"/meedenken/{slug}")
    page.fill("#text", "Mijn idee blijft staan")

    moderator.goto(f"/meedenken/{slug}/bewerken")
    moderator.fill("#ophalen_until", "2020-01-01")
    moderator.click("main form button[type=submit]")
    moderator.wait_for_url(f"**/meedenken/{slug}")
    staff.close()

    page.click("#inbreng-formulier button[type=submit]")
    page.wait_for_selector("#inbreng-formulier .error")
    assert "gesloten" in page.inner_text("#inbreng-formulier")
    assert page.input_value("#text") == "Mijn idee blijft staan"
    if javascript:
        assert_page_meets_budgets(page)
    context.close()


def test_the_whole_flow_with_htmx(browser, live_server):
    context, page = _new_page(browser, live_server)
    sign_in(page, MODERATOR)
    page.goto("/meedenken/nieuw")
    page.fill("#title", "Speelplek Castellum")
    page.fill("#plan", "Een nieuwe speelplek bij het Castellum.")
    page.fill("#ophalen_until", "2099-12-31")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/meedenken/speelplek-castellum")
    context.close()

    context, page = _new_page(browser, live_server)
    sign_in(page, "bewoner@example.org")
    page.goto("/meedenken/speelplek-castellum")
    page.fill("#text", "Schaduw en een bankje voor opa en oma")
    page.click("#inbreng-formulier button[type=submit]")
    page.wait_for_selector("#inbreng-formulier .note")
    context.close()

    context, page = _new_page(browser, live_server)
    sign_in(page, "buur@example.org")
    page.goto("/meedenken/speelplek-castellum")
    page.click("main .support button")
    page.wait_for_selector("main .support button.button-secondary")
    context.close()

    context, page = _new_page(browser, live_server)
    sign_in(page, MODERATOR)
    page.goto("/meedenken/speelplek-castellum/advies")
    page.fill("#advies", "Zorg voor schaduw en bankjes.")
    page.locator("main input[name=cited]").first.check()
    page.click("main form button[type=submit]")
    page.wait_for_url("**/meedenken/speelplek-castellum#advies")
    assert "Zorg voor schaduw en bankjes." in page.inner_text("#advies")
    assert page.locator("#advies a[href*='/inbreng/']").count() == 1
    page.click("text=Advies naar de gemeente sturen")
    page.wait_for_url("**/meedenken/speelplek-castellum#advies")
    assert "Naar de gemeente gestuurd" in page.inner_text("#advies")
    assert page.locator("text=Advies naar de gemeente sturen").count() == 0
    assert_page_meets_budgets(page)
    context.close()


def test_the_summary_prints(page):
    page.goto(f"{TRAJECT}/afdrukken")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "none"


def test_new_pages_are_valid_html(vnu_command, demo_app, tmp_path):  # noqa: F811 - the fixture
    visitor = demo_app.test_client()
    pages = {f"bezoeker {path}": visitor.get(path).get_data(as_text=True) for path in PUBLIC}
    traject = visitor.get(TRAJECT).get_data(as_text=True)
    item = "/meedenken/herinrichting-dorpsstraat-vleuten/inbreng/" + re.search(
        r'id="inbreng-(\d+)"', traject).group(1)
    pages[f"bezoeker {item}"] = visitor.get(item).get_data(as_text=True)
    # bewoner's contribution, with buur's reaction
    reacted = re.search(r'href="([^"#]+)#reacties">[1-9]', traject).group(1)
    pages[f"bezoeker {reacted}"] = visitor.get(reacted).get_data(as_text=True)
    for who in ("bewoner@example.org", MODERATOR):
        client = demo_app.test_client()
        login(client, type("Person", (), {"email": who})(), DEMO_PASSWORD)
        for path in [*PUBLIC, item, reacted, *(KERNGROEP if who == MODERATOR else [])]:
            pages[f"{who} {path}"] = client.get(path).get_data(as_text=True)
        if who != MODERATOR:
            pages[f"{who} melden"] = client.get(f"{item}/melden").get_data(as_text=True) \
                if "/melden" in pages[f"{who} {item}"] else pages[f"{who} {item}"]
            invalid = client.post(f"{TRAJECT}/inbreng", data={"text": ""})
            assert invalid.status_code == 422
            pages[f"{who} inbreng (422)"] = invalid.get_data(as_text=True)
            invalid = client.post(f"{reacted}/reacties", data={"text": ""})
            assert invalid.status_code == 422
            pages[f"{who} reactie (422)"] = invalid.get_data(as_text=True)
            report = re.search(r'href="([^"]+/reacties/\d+/melden)"', pages[f"{who} {reacted}"])
            if report:
                pages[f"{who} reactie melden"] = client.get(report.group(1)).get_data(as_text=True)
    errors = validator_errors(vnu_command, pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"the Nu Html Checker found errors on {len(errors)} of {len(pages)} pages:\n{report}"
