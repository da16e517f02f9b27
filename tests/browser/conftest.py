"""Real Chromium against a real server: the portal runs in a thread on a migrated, seeded
SQLite file, and Debian's Chromium drives it through playwright.

Without Chromium these tests skip with a reason; with ``PORTAL_REQUIRE_BROWSER=1`` (CI) a
missing Chromium fails them instead.
"""

import os
import shutil
import threading
from types import SimpleNamespace

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from portal import create_app, demo
from portal.extensions import db
from tests.conftest import CSRFClient, app_config, login
from tests.crawl import html_pages

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "demo-wachtwoord-2026"
# search: no link leads there; /groepen and /meedenken: their pages are reached for sure
CRAWL_STARTS = ("/", "/zoeken?q=fietspad", "/cirkels?straat=Dorpsstraat", "/groepen", "/meedenken")
CRAWLED_AS = {"bezoeker": None, "bewoner": "bewoner@example.org", "moderator": "moderator@example.org"}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_executable():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return CHROMIUM
    reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " and PORTAL_REQUIRE_BROWSER=1")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """The portal on a migrated SQLite file with the demo data, for the whole session."""
    path = tmp_path_factory.mktemp("live") / "portal.sqlite3"
    app = create_app({**app_config(path), "TESTING": False, "RATELIMIT_ENABLED": False})
    app.test_client_class = CSRFClient
    with app.app_context():
        upgrade(directory="migrations")
        demo.seed(password=DEMO_PASSWORD)
        db.session.commit()  # seed-demo commits; here the test does
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def live_app(demo_app, chromium_executable):
    return demo_app


@pytest.fixture(scope="session")
def crawled_pages(demo_app) -> dict[str, dict[str, str]]:
    """Every page of the crawl (tests/crawl.py) as served to a visitor, a resident and a
    moderator: who -> path -> HTML."""
    pages = {}
    for who, email in CRAWLED_AS.items():
        client = demo_app.test_client()
        if email:
            login(client, SimpleNamespace(email=email), DEMO_PASSWORD)
        pages[who] = html_pages(client, CRAWL_STARTS)
    return pages


@pytest.fixture(scope="session")
def live_server(live_app):
    """The portal on a free loopback port for the whole session; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, base_url, **options):
    context = browser.new_context(base_url=base_url, locale="nl-NL", **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    return context, page


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_nojs(browser, live_server):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


def sign_in(page, email: str = "bewoner@example.org", password: str = DEMO_PASSWORD):
    page.goto("/inloggen")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/inloggen" not in url)


@pytest.fixture
def signed_in_page(page):
    sign_in(page)
    return page
