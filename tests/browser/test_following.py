"""Following at one's own pace in real Chromium: "Volg dit thema" on a board in place with
htmx and as a plain form without JavaScript; the mail settings with the pace (and the 422 of
a bad value) meet the budgets (axe, 18 px, 44 px, 320 px)."""

from tests.browser.test_board import assert_not_reloaded, mark_page, person
from tests.browser.test_signals import meets_budgets


def test_follow_a_theme_in_place(browser, live_server):
    kees = person(browser, live_server, "buiten@example.org")
    kees.goto("/themas/verkeer")
    kees.wait_for_selector("#thema-volg-knop")
    meets_budgets(kees)
    mark_page(kees)
    before = kees.inner_text("#thema-volg-knop")
    kees.click("#thema-volg-knop")
    after = "Volg dit thema" if before == "Niet meer volgen" else "Niet meer volgen"
    kees.wait_for_selector(f"#thema-volg-knop:text-is('{after}')")
    assert_not_reloaded(kees)
    assert kees.evaluate("document.activeElement.id") == "thema-volg-knop"
    kees.wait_for_selector("#meldingen .message")
    meets_budgets(kees)


def test_follow_a_theme_without_javascript(browser, live_server):
    kees = person(browser, live_server, "buiten@example.org", javascript=False)
    kees.goto("/themas/wonen")
    before = kees.inner_text("#thema-volg-knop")
    kees.click("#thema-volg-knop")
    after = "Volg dit thema" if before == "Niet meer volgen" else "Niet meer volgen"
    assert kees.url.endswith("/themas/wonen#thema-volgen")
    assert kees.inner_text("#thema-volg-knop") == after
    assert "thema Wonen" in kees.inner_text("#meldingen")


def test_the_mail_settings_with_the_pace_meet_the_budgets(browser, live_server):
    bewoner = person(browser, live_server, "bewoner@example.org")
    meets_budgets(bewoner, "/account/meldingen")
    bewoner.check("input[name=digest][value=dagelijks]")
    bewoner.select_option("#digest_weekday", "4")
    bewoner.click("main button[type=submit]")
    bewoner.wait_for_url("**/account")
    assert "één keer per dag een overzicht" in bewoner.inner_text("main")
    bewoner.goto("/account/meldingen")
    assert bewoner.is_checked("input[name=digest][value=dagelijks]")
    assert bewoner.input_value("#digest_weekday") == "4"
    # a made-up value (as a tampered form would send): 422, said next to the field
    bewoner.evaluate("document.querySelector('input[name=digest][value=nooit]').value = 'elk-uur'")
    bewoner.check("input[name=digest][value='elk-uur']")
    bewoner.click("main button[type=submit]")
    bewoner.wait_for_selector("#digest-error")
    meets_budgets(bewoner, status=422)
