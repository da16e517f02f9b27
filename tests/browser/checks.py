"""What every page must meet in a real browser: axe WCAG 2.2 AA, text size, targets, width."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page):
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def assert_body_text_large(page, minimum_px: float = 18):
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= minimum_px, f"body text is {size}px"


def assert_no_horizontal_scroll(page):
    page.set_viewport_size({"width": 320, "height": 800})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        "Array.from(document.querySelectorAll('body *'))"
        ".filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth)"
        ".slice(0, 5).map(el => el.outerHTML.slice(0, 100))"
    )
    assert overflow <= 0, f"page is {overflow}px wider than a 320px screen: {wide}"


SMALL_TARGETS = """
() => Array.from(document.querySelectorAll(
    'button, input:not([type=hidden]), select, textarea, .button, nav a, .pagination a'))
  .filter(el => el.offsetParent !== null && !el.closest('.honeypot'))
  .filter(el => !(el.type === 'checkbox' || el.type === 'radio'))
  .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
  .filter(([_, r]) => r.width < 44 || r.height < 44)
  .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`)
"""


def assert_targets_large(page):
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], "targets smaller than 44x44 px: " + "; ".join(small)


def assert_page_meets_budgets(page):
    """The checks for every page: axe, 18 px text, 44 px targets, no sideways scroll at 320 px."""
    assert_accessible(page)
    assert_body_text_large(page)
    assert_targets_large(page)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)  # again at 320 px: reflow must not break anything
