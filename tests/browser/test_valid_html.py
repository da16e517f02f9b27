"""The Nu Html Checker (the W3C validator's engine) on every page of the crawl, as served to a
visitor, a resident and a moderator, plus the 404 page: no errors.

vnu.jar comes from the npm registry (``make vnu``, which ``.ci/run`` runs) and runs on Java.
Without them this test skips with a reason; with ``PORTAL_REQUIRE_BROWSER=1`` (CI) it fails.
All pages go to one run of vnu: starting Java takes seconds.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("PORTAL_VNU_JAR", ROOT / ".ci/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))
VNU_SECONDS = 300


@pytest.fixture(scope="session")
def vnu_command():
    java = shutil.which("java")
    missing = [] if java else ["java (apt-get install default-jre-headless)"]
    if not VNU_JAR.is_file():
        missing.append(f"{VNU_JAR} (make vnu)")
    if not missing:
        return [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout"]
    reason = "The Nu Html Checker needs " + " and ".join(missing)
    if os.environ.get("PORTAL_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " and PORTAL_REQUIRE_BROWSER=1")
    pytest.skip(reason)


def validator_errors(command: list[str], pages: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Run vnu once over ``pages`` (name -> HTML); the errors per name."""
    files = {}
    for number, (name, html) in enumerate(pages.items()):
        files[name] = folder / f"page-{number}.html"
        files[name].write_text(html, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - our own command line, no shell
        [*command, *map(str, files.values())],
        capture_output=True, text=True, timeout=VNU_SECONDS, check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    by_file = {str(path): name for name, path in files.items()}
    errors: dict[str, list[str]] = {}
    for message in messages:
        if message["type"] in ("error", "non-document-error"):
            url = message.get("url", "?")
            name = by_file.get(urlsplit(url).path, url)
            extract = message.get("extract", "").strip().replace("\n", " ")[:120]
            line = f"line {message.get('lastLine')}: {message['message']} [{extract}]"
            errors.setdefault(name, []).append(line)
    return errors


def test_every_page_is_valid_html(vnu_command, crawled_pages, demo_app, tmp_path):
    pages = {f"{who} {path}": html for who, found in crawled_pages.items() for path, html in found.items()}
    pages["bezoeker /bestaat-niet (404)"] = demo_app.test_client().get("/bestaat-niet").get_data(as_text=True)
    assert len(pages) > 30, "the crawl found almost nothing: it would check nothing"
    errors = validator_errors(vnu_command, pages, tmp_path)
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in errors.items())
    assert not errors, f"the Nu Html Checker found errors on {len(errors)} of {len(pages)} pages:\n{report}"


def test_the_checker_finds_errors(vnu_command, tmp_path):
    """The check can fail: an hx-* attribute and microseconds in a datetime are errors."""
    page = ('<!doctype html><html lang="nl"><head><title>x</title></head><body>'
            '<a href="/" hx-get="/">x</a><time datetime="2026-06-03T15:30:00.123456Z">x</time></body></html>')
    errors = validator_errors(vnu_command, {"fout": page}, tmp_path)["fout"]
    assert len(errors) == 2, errors
