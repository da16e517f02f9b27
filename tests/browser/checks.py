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


TABLET = {"width": 768, "height": 1024}

# Every link and control is a target of at least 44 x 44 px, except a link in running text.
# Running text, in one rule: a link whose parent element holds words of its own (a text node
# that is not only white space), as in "Nog geen account? <a>Maak een account aan</a>." A link
# that stands alone in its element (a list row, a heading, a back link, a map control) is a
# target. A checkbox or radio button counts together with its label, which is part of it.
SMALL_TARGETS = """
() => {
  const inRunningText = el => el.tagName === 'A' && Array.from(el.parentElement.childNodes)
    .some(node => node.nodeType === Node.TEXT_NODE && node.textContent.trim() !== '');
  const box = el => {
    const rects = [el, ...(el.type === 'checkbox' || el.type === 'radio' ? el.labels : [])]
      .map(part => part.getBoundingClientRect());
    const width = Math.max(...rects.map(r => r.right)) - Math.min(...rects.map(r => r.left));
    const height = Math.max(...rects.map(r => r.bottom)) - Math.min(...rects.map(r => r.top));
    return {width, height};
  };
  const name = up => up.tagName.toLowerCase() + (up.classList[0] ? '.' + up.classList[0] : '');
  const where = el => [el.parentElement.parentElement, el.parentElement].map(name).join(' > ');
  return Array.from(document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]'))
    .filter(el => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
    .filter(el => !el.closest('.honeypot') && !inRunningText(el))
    .map(el => [`${where(el)} > ${el.outerHTML.slice(0, 100)}`, box(el)])
    .filter(([_, r]) => r.width < 44 || r.height < 44)
    .map(([html, r]) => `${html} ${Math.round(r.width)}x${Math.round(r.height)}`);
}
"""


def small_targets(page) -> list[str]:
    """The targets on ``page`` smaller than 44 x 44 px on a tablet (768 x 1024)."""
    page.set_viewport_size(TABLET)
    return page.evaluate(SMALL_TARGETS)


def assert_targets_large(page):
    small = small_targets(page)
    assert small == [], "targets smaller than 44x44 px on a tablet: " + "; ".join(small)


def assert_page_meets_budgets(page):
    """The checks for every page: axe, 18 px text, 44 px targets at 768 px, no sideways scroll
    at 320 px."""
    assert_accessible(page)
    assert_body_text_large(page)
    assert_targets_large(page)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)  # again at 320 px: reflow must not break anything


PAGE_WEIGHT_BUDGET = 35 * 1024  # DESIGN.md: a page with everything it loads


def transferred_bytes(page) -> int:
    """What the browser fetched for this page: the document plus its scripts and styles."""
    return page.evaluate(
        "() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((sum, entry) => sum + entry.transferSize, 0)"
    )


def goto_and_check(page, path: str):
    """Open ``path`` and check all of it: its weight, the budgets above, no console errors."""
    page.goto(path)
    assert transferred_bytes(page) <= PAGE_WEIGHT_BUDGET, path
    assert_page_meets_budgets(page)
    assert page.console_errors == [], path
