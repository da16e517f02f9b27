"""A short-lived copy of public pages for visitors who are not signed in.

Most visits to a neighbourhood portal read the same public pages: the home page, the boards,
a post, the circles, the agenda. Rendering one takes a few milliseconds of queries and
templates; copying it from memory takes a fraction of that. Views that anyone may read are
marked ``@for_visitors``; for a visitor who is not signed in and has no message waiting, each
worker keeps the rendered page for ``PAGE_CACHE_SECONDS`` (default 10, 0 switches it off).

What keeps this safe and correct:

- Signed-in people never get a copy and never make one: their pages show their own steun,
  their own waiting posts, their circle's help items.
- Every page carries two secrets of its own: the CSP nonce and the visitor's CSRF token. The
  copy holds markers instead, and each answer gets a fresh nonce and this visitor's token.
- A worker that commits a change to the database empties its own copies at once, so the
  person who made the change and the tests see it immediately; other workers and servers
  show it within ``PAGE_CACHE_SECONDS``.
- Only a plain 200 answer without cookies of its own is kept; at most ``PAGE_CACHE_ENTRIES``
  pages per worker, the least used go first.
"""

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from flask import Flask, current_app, g, has_app_context, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event

from portal.extensions import db
from portal.precompressed import PrecompressedPage
from portal.security import csp_nonce
from portal.web import text_size, wants_fragment

# A NUL byte never reaches the database (``PortalRequest`` strips control characters from
# what people send), so no text a resident writes can contain these markers.
NONCE_MARK = b"\x00csp-nonce\x00"
CSRF_MARK = b"\x00csrf-token\x00"
MARKS = re.compile(re.escape(NONCE_MARK) + b"|" + re.escape(CSRF_MARK))


@dataclass(frozen=True)
class Copy:
    """A kept page: its text with a hole for each secret, the secret each hole takes, and
    the view's own headers."""

    page: PrecompressedPage
    holes: tuple[bytes, ...]
    headers: list[tuple[str, str]]
    stored_at: float


class PageCache:
    """The copies of one worker, least recently used first; safe for threaded servers."""

    def __init__(self, seconds: float, entries: int):
        self.seconds = seconds
        self.entries = entries
        self._copies: OrderedDict[tuple, Copy] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Copy | None:
        with self._lock:
            copy = self._copies.get(key)
            if copy is None:
                return None
            if time.monotonic() - copy.stored_at > self.seconds:
                del self._copies[key]
                return None
            self._copies.move_to_end(key)
            return copy

    def put(self, key: tuple, copy: Copy) -> None:
        with self._lock:
            self._copies[key] = copy
            self._copies.move_to_end(key)
            while len(self._copies) > self.entries:
                self._copies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()

    def __len__(self) -> int:
        return len(self._copies)


def init_app(app: Flask) -> None:
    config = app.config
    app.extensions["page_cache"] = PageCache(config["PAGE_CACHE_SECONDS"], config["PAGE_CACHE_ENTRIES"])


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]


def for_visitors(view):
    """Serve this view from the worker's copy to visitors who are not signed in."""

    @wraps(view)
    def cached_view(*args, **kwargs):
        if not _may_use_copy():
            return view(*args, **kwargs)
        cache, key = page_cache(), _key()
        copy = cache.get(key)
        if copy is not None:
            return _answer_from(copy)
        response = view(*args, **kwargs)
        if _may_keep(response):
            cache.put(key, _copy_of(response))
        return response

    return cached_view


def _may_use_copy() -> bool:
    return (
        current_app.config["PAGE_CACHE_SECONDS"] > 0
        and request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def _key() -> tuple:
    """Everything a visitor's page depends on: the address, full page or htmx fragment, and
    the chosen text size."""
    return request.path, request.query_string, wants_fragment(), text_size()


def _may_keep(response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and "Set-Cookie" not in response.headers
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def _copy_of(response) -> Copy:
    body = response.get_data()
    if "csp_nonce" in g:
        body = body.replace(g.csp_nonce.encode(), NONCE_MARK)
    if "csrf_token" in g:
        body = body.replace(g.csrf_token.encode(), CSRF_MARK)
    headers = [(k, v) for k, v in response.headers.items() if k not in ("Content-Length", "Vary")]
    page = PrecompressedPage(MARKS.split(body))
    return Copy(page, tuple(MARKS.findall(body)), headers, time.monotonic())


def _answer_from(copy: Copy):
    """The kept page with this answer's own nonce and this visitor's CSRF token, gzipped
    from the parts compressed beforehand when the browser accepts gzip."""
    secrets = {NONCE_MARK: csp_nonce().encode()}
    if CSRF_MARK in copy.holes:
        secrets[CSRF_MARK] = generate_csrf().encode()
    fillings = [secrets[hole] for hole in copy.holes]
    response = current_app.response_class(status=200, headers=copy.headers)
    if _accepts_gzip(request.headers.get("Accept-Encoding", "")):
        response.set_data(copy.page.gzip(fillings))
        response.headers["Content-Encoding"] = "gzip"  # Flask-Compress leaves it as it is
    else:
        response.set_data(copy.page.text(fillings))
    return response


def _accepts_gzip(accept_encoding: str) -> bool:
    """``gzip`` or ``*`` in Accept-Encoding, unless refused with ``q=0`` (a short reading of
    RFC 9110 §12.5.3; werkzeug's full parser costs more than the rest of the answer)."""
    for item in accept_encoding.lower().split(","):
        coding, _, params = item.partition(";")
        if coding.strip() in ("gzip", "*"):
            quality = params.replace(" ", "").removeprefix("q=") or "1"
            return quality.strip("0.") != ""
    return False


# --- Emptied when this worker changes the database -------------------------------------------


@event.listens_for(db.session, "after_flush")
def _remember_change(session, flush_context):
    session.info["changed"] = True


@event.listens_for(db.session, "do_orm_execute")
def _remember_statement_change(state):
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["changed"] = True


@event.listens_for(db.session, "after_commit")
def _empty_after_change(session):
    if session.info.pop("changed", False) and has_app_context():
        cache = current_app.extensions.get("page_cache")
        if cache is not None:
            cache.clear()


@event.listens_for(db.session, "after_rollback")
def _forget_change(session):
    session.info.pop("changed", None)
