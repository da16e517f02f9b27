"""Static files compressed once (portal/staticfiles.py): gzip for a browser without brotli,
brotli for one with it, the file itself for one with neither, each cached for a year; and a
first visit with gzip only within its budget through a real server, as ``make run`` (Flask's
development server) and gunicorn alone serve it."""

import gzip
import threading
from contextlib import contextmanager
from pathlib import Path

import brotli
import pytest
from flask import url_for
from werkzeug.datastructures import Accept
from werkzeug.http import parse_accept_header
from werkzeug.serving import make_server

from portal.staticfiles import StaticFiles, best_encoding
from tests.budgets import MAP_PAGE_BUDGET, assert_within_budget
from tests.servers import RawClient, gunicorn

STATIC = Path(__file__).resolve().parent.parent / "portal" / "static"
CSS = "css/portal.css"
HTMX = "vendor/htmx-2.0.11/htmx.min.js"


def versioned(app, filename: str) -> str:
    """The URL the pages use, with its ``?v=`` content hash."""
    with app.test_request_context():
        return url_for("static", filename=filename)


@pytest.mark.parametrize(("accept", "coding", "decode"), [
    ("gzip", "gzip", gzip.decompress),
    ("gzip, deflate", "gzip", gzip.decompress),
    ("br, gzip", "br", brotli.decompress),
    ("gzip, deflate, br", "br", brotli.decompress),
    ("br;q=0.5, gzip", "gzip", gzip.decompress),
])
@pytest.mark.parametrize("filename", [CSS, HTMX])
def test_static_text_files_come_compressed(app, client, filename, accept, coding, decode):
    response = client.get(versioned(app, filename), headers={"Accept-Encoding": accept})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == coding
    assert decode(response.get_data()) == (STATIC / filename).read_bytes()
    assert int(response.headers["Content-Length"]) == len(response.get_data())
    assert "Accept-Encoding" in response.headers["Vary"]
    cache = response.cache_control
    assert cache.public and cache.max_age == 365 * 24 * 3600 and cache.immutable


def test_gzip_is_as_small_as_the_issue_asks(app, client):
    """Issue 15: with gzip only, portal.css was 16.6 KB and htmx 52.2 KB; brotli 4.5 and 17.4."""
    for filename, limit in ((CSS, 6 * 1024), (HTMX, 18 * 1024)):
        response = client.get(versioned(app, filename), headers={"Accept-Encoding": "gzip"})
        assert len(response.get_data()) <= limit, (filename, len(response.get_data()))


def test_without_compression_the_file_itself(app, client):
    response = client.get(versioned(app, CSS))
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / CSS).read_bytes()
    assert "Accept-Encoding" in response.headers["Vary"]


def test_each_encoding_has_its_own_etag_and_revalidates(app, client):
    etags = set()
    for accept in ("gzip", "br", ""):
        first = client.get(versioned(app, CSS), headers={"Accept-Encoding": accept})
        etags.add(first.headers["ETag"])
        again = client.get(versioned(app, CSS),
                           headers={"Accept-Encoding": accept, "If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
    assert len(etags) == 3


def test_images_and_missing_files_go_to_flask_as_before(app, client):
    png_url = versioned(app, "vendor/leaflet-1.9.4/images/layers.png")
    png = client.get(png_url, headers={"Accept-Encoding": "gzip"})
    assert png.status_code == 200 and png.mimetype == "image/png" and "Content-Encoding" not in png.headers
    assert client.get("/static/css/bestaat-niet.css", headers={"Accept-Encoding": "gzip"}).status_code == 404
    assert client.get("/static/../portal/__init__.py").status_code == 404
    assert client.head(versioned(app, CSS), headers={"Accept-Encoding": "gzip"}).status_code == 200


def test_a_file_is_compressed_once_and_again_when_it_changes(tmp_path):
    files = StaticFiles(str(tmp_path), {"text/css"})
    (tmp_path / "a.css").write_text("body { color: red; }\n" * 50)
    first = files.get("a.css")
    assert files.get("a.css") is first  # kept
    (tmp_path / "a.css").write_text("body { color: blue; }\n" * 60)
    changed = files.get("a.css")
    assert changed is not first
    assert gzip.decompress(changed.bodies["gzip"]) == (tmp_path / "a.css").read_bytes()
    assert files.get("b.css") is None and files.get("../a.css") is None
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    assert files.get("c.png") is None  # not a type worth compressing


@pytest.mark.parametrize(("accept", "coding"), [
    ("", ""), ("identity", ""), ("*", "br"), ("gzip;q=0.8, br;q=0.9", "br"), ("br;q=0, gzip", "gzip"),
    ("deflate", ""), ("GZIP", "gzip"),
])
def test_best_encoding(tmp_path, accept, coding):
    files = StaticFiles(str(tmp_path), {"text/css"})
    (tmp_path / "a.css").write_text("p { margin: 0; }\n" * 40)
    assert best_encoding(files.get("a.css"), parse_accept_header(accept, Accept)) == coding


# --- Through a real server ----------------------------------------------------------------------


@contextmanager
def development_server(app):
    """Flask's own server, as ``make run`` (``flask run``) starts it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@contextmanager
def gunicorn_server(database_url, log_dir):
    with gunicorn(log_dir, workers=2, DATABASE_URL=database_url, RATELIMIT_ENABLED="0") as server:
        yield server.url


@pytest.mark.parametrize("serve", ["flask run", "gunicorn"])
def test_first_visit_with_gzip_only_within_budget_through_a_real_server(app, database_url, tmp_path, serve):
    server = development_server(app) if serve == "flask run" else gunicorn_server(database_url, tmp_path)
    with server as base_url:
        client = RawClient(base_url)
        css = client.get(versioned(app, CSS), headers={"Accept-Encoding": "gzip"})
        assert css.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in css.headers["Vary"]
        assert gzip.decompress(css.data) == (STATIC / CSS).read_bytes()
        for path in ("/", "/privacy", "/cirkels"):
            assert_within_budget(client, path)
        assert_within_budget(client, "/cirkels/kaart", MAP_PAGE_BUDGET)
