"""Every page of the crawl, signed out, as a resident and as a moderator, in real Chromium on
a tablet (768 x 1024): no link or control outside running text below 44 x 44 px."""

import pytest

from tests.browser.checks import small_targets
from tests.browser.conftest import CRAWLED_AS, _new_page, sign_in
from tests.browser.test_circles import serve_blank_tiles


@pytest.mark.parametrize("who", list(CRAWLED_AS))
def test_every_page_has_large_targets_on_a_tablet(browser, live_server, crawled_pages, who):
    context, page = _new_page(browser, live_server)
    try:
        serve_blank_tiles(page)
        if CRAWLED_AS[who]:
            sign_in(page, CRAWLED_AS[who])
        small = {}
        for path in crawled_pages[who]:
            page.goto(path)
            if found := small_targets(page):
                small[path] = found
    finally:
        context.close()
    assert len(crawled_pages[who]) > 10, "the crawl found almost nothing: it would test nothing"
    report = "\n".join(f"{path}: {'; '.join(found)}" for path, found in small.items())
    assert not small, f"targets below 44x44 px on a tablet, as {who}:\n{report}"
