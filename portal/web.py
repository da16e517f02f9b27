"""How every request runs and every view answers: one commit per request, one URL with two
renderings, and the small helpers around it.

``PortalApp`` commits each request's unit of work once, when its view has returned (see
``portal/database.py``, "Who commits"); a view that raises is rolled back as a whole.
``render(page, fragment, **context)`` returns the full page normally and the fragment (a
template whose name starts with ``_``) for a plain htmx request. Boosted requests and history
restores always get the full page, because the browser shows the whole response.
"""

import hashlib
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.templating import Environment
from markupsafe import Markup
from werkzeug.routing import IntegerConverter

from portal.database import commit
from portal.extensions import htmx

TEXT_SIZES = {"normaal": "A", "groot": "A+", "grootst": "A++"}
MAX_PAGE = 100_000


class PortalEnvironment(Environment):
    """Flask's Jinja environment, with each template's globals as one plain dict.

    Jinja keeps a template's globals as a ``ChainMap`` over the environment's, and copies
    that into a new dict for every render, include and import: through ``ChainMap``'s Python
    methods, with the portal's ~55 globals, more than a small template costs. All globals are
    registered while the app is built (``portal/templating.py``), before any template loads,
    and Jinja asks not to change them afterwards, so a snapshot per template is the same.
    Measured gain and guard: benchmarks/README.md ("Framework overrides"),
    ``tests/test_framework_overrides.py``."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


class PortalApp(Flask):
    """Flask, with one commit per request: after the view returns, before the response is
    made. A failing commit is an error of the request (the friendly 503 for a database that
    is away), so nobody is told "saved" when it was not."""

    jinja_environment = PortalEnvironment

    def dispatch_request(self):
        answer = super().dispatch_request()
        commit()
        return answer
TEXT_SIZE_COOKIE = "tekstgrootte"


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of the page (not boosted, not a restore)."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def wants_fragment_in(environ) -> bool:
    """``wants_fragment`` read from a WSGI environ, for the page cache in front of Flask
    (``tests/test_pagecache.py`` checks that both agree)."""
    return (
        environ.get("HTTP_HX_REQUEST") == "true"
        and environ.get("HTTP_HX_BOOSTED") != "true"
        and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"
    )


def render(page: str, fragment: str | Markup | None = None, status: int = 200, **context):
    """Render the full page, or only ``fragment`` (plus the flash messages) for htmx.
    ``fragment`` is a template's name, or a part rendered already (``portal/kept.py``)."""
    if fragment and wants_fragment():
        part = fragment if isinstance(fragment, Markup) else render_template(fragment, **context)
        body = part + render_template("_messages_oob.html")
    else:
        body = render_template(page, **context)
    return make_response(body, status)


def form_invalid(page: str, fragment: str | None = None, **context):
    """Answer a form with errors: 422 keeps browsers and caches honest; htmx is configured
    (``responseHandling`` in base.html) to swap 422 like 200."""
    return render(page, fragment, status=422, **context)


def see_other(endpoint: str, **values):
    """Redirect after a successful POST (PRG), with 303 so the browser follows with GET."""
    return redirect(url_for(endpoint, **values), code=303)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only ever a path on this site: no scheme, no host, no ``//`` or backslash tricks."""
    if not target:
        return default
    if target != target.strip() or any(ch in target for ch in "\\\r\n\t\x00"):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def page_number(args) -> int:
    """``?pagina=`` as a page number from 1 to ``MAX_PAGE``: anything odd means the first page."""
    try:
        return max(1, min(int(args.get("pagina")), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def choice(args, name: str, allowed, default: str = "") -> str:
    """A query-string value that must be one of ``allowed``; anything else is ``default``."""
    value = args.get(name, default)
    return value if value in allowed else default


def text_size(cookies=None) -> str:
    """The visitor's chosen text size (from ``cookies``, by default this request's)."""
    size = (request.cookies if cookies is None else cookies).get(TEXT_SIZE_COOKIE, "normaal")
    return size if size in TEXT_SIZES else "normaal"


@cache
def _static_version(static_folder: str, filename: str) -> str:
    path = Path(static_folder) / filename
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


class DatabaseIntConverter(IntegerConverter):
    """``<int:id>`` only for numbers an id column (INTEGER, 32 bits) can hold: a larger one
    matches no route (404) instead of reaching the database, which would refuse it."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    @app.url_defaults
    def version_static_urls(endpoint, values):
        """Static URLs carry a content hash, so browsers may cache them for a year."""
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = _static_version(current_app.static_folder, values["filename"])

    @app.after_request
    def vary_on_htmx(response):
        vary = response.headers.get("Vary")
        if not vary:
            response.headers["Vary"] = "HX-Request"
        elif "HX-Request" not in vary:
            response.headers["Vary"] = f"{vary}, HX-Request"
        if request.endpoint == "static" and request.args.get("v"):
            response.cache_control.public = True
            response.cache_control.max_age = app.config["SEND_FILE_MAX_AGE_DEFAULT"]
            response.cache_control.immutable = True
        return response
