"""Peilingen in real Chromium: budgets (axe, 18 px, 44 px, 320 px) on building, answering and
the results; answering by clicking anywhere on a row, without JavaScript; moving a question
and approving an open answer in place with htmx; the chart drawn without breaking the CSP.

The live server holds the full demo data (portal/surveys/demo.py).
"""

import pytest

from portal.extensions import db
from portal.models import Survey
from portal.surveys.demo import CLOSED_TITLE, OPEN_TITLE
from tests.browser.checks import PAGE_WEIGHT_BUDGET, assert_page_meets_budgets, transferred_bytes
from tests.browser.test_board import person


@pytest.fixture(scope="module")
def surveys(live_app):
    with live_app.app_context():
        found = {s.title: s.id for s in db.session.scalars(db.select(Survey))}
        db.session.remove()
    return {"open": found[OPEN_TITLE], "closed": found[CLOSED_TITLE]}


def meets_budgets(page, path: str):
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(path)
    assert transferred_bytes(page) <= PAGE_WEIGHT_BUDGET, path
    assert_page_meets_budgets(page)
    assert page.console_errors == [], (path, page.console_errors)  # CSP violations land here too


def test_pages_for_everyone_meet_budgets(page, surveys):
    for path in ("/peilingen", f"/peilingen/{surveys['open']}", f"/peilingen/{surveys['open']}/afdrukken",
                 f"/peilingen/{surveys['closed']}", f"/peilingen/{surveys['closed']}/uitslag"):
        meets_budgets(page, path)


def test_results_page_draws_its_chart_inside_the_csp(page, surveys):
    meets_budgets(page, f"/peilingen/{surveys['closed']}/uitslag")
    charts = page.locator("svg.chart")
    assert charts.count() >= 3
    first = charts.first
    assert first.get_attribute("role") == "img"
    assert page.locator("svg.chart title").first.text_content().startswith("Staafdiagram")
    box = first.bounding_box()
    assert box["width"] > 200 and box["height"] > 60  # drawn, not collapsed
    bar = page.locator("svg.chart rect.chart-bar").first.bounding_box()
    assert 0 < bar["width"] <= box["width"]
    fill = page.evaluate("getComputedStyle(document.querySelector('.chart-bar')).fill")
    assert fill == "rgb(11, 74, 139)"  # from the stylesheet, not an inline style


def test_signed_in_pages_meet_budgets(browser, live_server, surveys):
    resident = person(browser, live_server, "buiten@example.org")
    meets_budgets(resident, f"/peilingen/{surveys['open']}")
    resident.click("main button[type=submit]")  # nothing chosen: the required questions complain
    resident.wait_for_selector(".error-summary")
    assert_page_meets_budgets(resident)

    verbinder = person(browser, live_server, "verbinder@example.org")
    meets_budgets(verbinder, f"/peilingen/{surveys['open']}/papier")

    moderator = person(browser, live_server, "moderator@example.org")
    open_id = surveys["open"]
    for path in ("/peilingen", "/peilingen/nieuw", f"/peilingen/{open_id}/bewerken",
                 f"/peilingen/{open_id}/voorbeeld", f"/peilingen/{open_id}/uitslag",
                 f"/peilingen/{open_id}/open-antwoorden", f"/peilingen/{open_id}/contact",
                 f"/peilingen/{surveys['closed']}/bericht"):
        meets_budgets(moderator, path)
    moderator.goto(f"/peilingen/{open_id}/bewerken")
    moderator.click(".builder-questions a.button")  # "Wijzigen" of the first question
    moderator.wait_for_url("**/vragen/*")
    assert_page_meets_budgets(moderator)


def test_a_new_peiling_with_errors_meets_budgets_and_keeps_the_text(browser, live_server):
    moderator = person(browser, live_server, "moderator@example.org")
    moderator.goto("/peilingen/nieuw")
    moderator.fill("#title", "Speelplekken in Veldhuizen")
    moderator.click("main button[type=submit]")
    moderator.wait_for_selector(".error")
    assert moderator.input_value("#title") == "Speelplekken in Veldhuizen"
    assert_page_meets_budgets(moderator)


def test_answering_without_javascript_by_clicking_anywhere_on_a_row(browser, live_server, surveys):
    page = person(browser, live_server, "bewoner@example.org", javascript=False)
    page.goto(f"/peilingen/{surveys['open']}")
    rows = page.locator(".answer-sheet .option")
    assert rows.count() > 10
    for n in range(rows.count()):
        box = rows.nth(n).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    first_question = page.locator(".question").first
    first_question.locator(".option span", has_text="Dat hangt af").click()  # the words, not the circle
    assert first_question.locator("input:checked").count() == 1
    second = page.locator(".question").nth(1)
    second.locator(".option span", has_text="Groen").click()
    second.locator(".option span", has_text="Verkeer").click()
    page.locator(".scale-option span", has_text="4").first.click()
    page.click(".answer-sheet button[type=submit]")
    page.wait_for_selector("#mijn-antwoorden")
    assert "Uw antwoorden zijn" in page.inner_text("#meldingen")
    assert second.locator("input:checked").count() == 2  # her own answers, shown again to change


def test_a_moderator_moves_a_question_in_place_with_htmx(browser, live_server, surveys):
    page = person(browser, live_server, "moderator@example.org")
    page.goto(f"/peilingen/{surveys['open']}/bewerken")
    page.evaluate("window.__noReload = true")
    titles = page.locator(".builder-questions h3").all_inner_texts()
    page.locator(".builder-questions > li").first.locator("button:has-text('Lager')").click()
    page.wait_for_function(
        "t => document.querySelector('.builder-questions h3').innerText !== t", arg=titles[0])
    assert page.evaluate("window.__noReload === true")
    assert page.locator(".builder-questions h3").all_inner_texts()[:2] == [titles[1], titles[0]]
    assert "een plek lager" in page.inner_text("#meldingen")
    page.wait_for_function("() => document.activeElement.matches('[data-focus-after-swap]')")
    assert_page_meets_budgets(page)
    page.locator(".builder-questions > li").nth(1).locator("button:has-text('Hoger')").click()  # back again
    page.wait_for_function(
        "t => document.querySelector('.builder-questions h3').innerText === t", arg=titles[0])
    assert page.console_errors == []


def test_a_moderator_approves_an_open_answer_in_place(browser, live_server, surveys):
    page = person(browser, live_server, "moderator@example.org")
    page.goto(f"/peilingen/{surveys['open']}/open-antwoorden")
    waiting = page.locator(".review-list li", has=page.locator(".badge-waiting")).first
    item_id = waiting.get_attribute("id")
    page.evaluate("window.__noReload = true")
    waiting.locator("button:has-text('Goedkeuren')").click()
    page.wait_for_selector(f"#{item_id} .badge:has-text('Goedgekeurd')")
    assert page.evaluate("window.__noReload === true")
    assert "goedgekeurd" in page.inner_text("#meldingen")
    assert_page_meets_budgets(page)
    page.locator(f"#{item_id} button:has-text('Verbergen')").click()  # the other decision, in place too
    page.wait_for_selector(f"#{item_id} .badge-hidden")
    assert page.console_errors == []
