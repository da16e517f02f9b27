"""A short-lived copy of public pages for visitors who are not signed in.

Most visits to a neighbourhood portal read the same public pages: the home page, the boards,
a post, the circles, the agenda. Rendering one takes milliseconds of queries and templates;
sending a copy from memory takes a fraction of that. Views that anyone may read are marked
``@for_visitors``. When such a view renders for a visitor without cookies (nobody signed in,
no message waiting), the worker keeps the page; for ``PAGE_CACHE_SECONDS`` (default 10, 0
switches it off) the next visitors without cookies get the copy from ``VisitorCopies``, a
WSGI layer in front of Flask, so a copy costs no request context, session or query at all.

What keeps this safe and correct:

- Anyone with a session or remember-me cookie always goes through Flask and gets a page
  rendered for them; a page is only kept when it was rendered for nobody in particular.
- A kept page has no CSRF token (public pages carry none, see base.html) and a marker where
  the CSP nonce was: every answer gets a fresh nonce, in the page and in its header.
- A worker that commits a change to the database empties its own copies at once and
  stamps the change (``ChangeStamp``, below): the other workers of the server empty theirs
  at their next request; other servers show it within ``PAGE_CACHE_SECONDS``.
- Only a plain 200 HTML answer that sets no cookie is kept; at most ``PAGE_CACHE_ENTRIES``
  pages per worker, the least used go first.
- Only a page's canonical address is kept, so nobody can fill the copies (and push the home
  page out) by making up addresses: ``/?buurt=<anything>`` or ``/themas/verkeer?x=1``. A view
  that reads its query string says which arguments it used, validated and normalised
  (``canonical_query(pagina=2, buurt="vleuten")``: defaults and empty values left out); a
  view that says nothing reads none. Its page is kept only when the request's query string
  holds exactly those arguments (in any order: the copy's key is the query string with its
  arguments sorted); anything else (an unknown argument, ``?pagina=abc``, a buurt that does
  not exist, ``?pagina=1``) is rendered for the visitor and not kept. Unknown arguments are
  otherwise ignored; an unknown ``buurt`` on ``/signalen`` is a 404 ("onbekende buurt"), on a
  board the unfiltered board. Free text (``/zoeken?q=``, ``/cirkels?straat=``) is never kept:
  every search would be an entry of its own; those pages are rendered each time (the search
  itself costs the same however many posts match).

Shared parts of signed-in pages (``shared_part``, ``shared_value``, ``shared_form``) follow
the same rules. A page rendered for someone signed in is still rendered for them, but the
parts that are the same for everyone who may see them (a board's page of posts, the newest
ideas on home, a circle's help lists) are rendered once and reused, keyed on what they show
(a board, its filters, its page number; the circle), and emptied with the visitors' copies
at any change. Where the stamp cannot reach (another server), the person who made a change
still sees it at once, because their session remembers when they last changed something
(``CHANGED_AT``) and for ``PAGE_CACHE_SECONDS`` after that their parts are rendered fresh.
A part must never hold anything personal (a CSRF token, "my" steun, moderators' buttons):
the view renders it from data that is the same for everyone, and says so in its key.

Rows that every page asks for and that rarely change (the signed-in person's account and
membership, a circle with its streets) are kept the same way (``shared_rows``): loaded once
per change, kept detached from any database session, and merged into each request's session
without a query. Only reads use them; a post loads what it changes from the database.

All workers of one server share a change stamp (``ChangeStamp``, a file whose modification
time a commit with changes sets): every request first looks at it (one ``stat``), and a
worker that sees it moved empties its copies, parts and rows. So another worker on the same
server shows a change, a blocked account or a new role from its next request on; several
servers in front of one database (PostgreSQL) see each other's changes within
``PAGE_CACHE_SECONDS``.
"""

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import parse_qsl, urlencode

from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from werkzeug.http import parse_cookie

from portal.extensions import db
from portal.precompressed import PrecompressedPage
from portal.security import csp_nonce, new_nonce
from portal.web import text_size, wants_fragment_in

# A NUL byte never reaches the database (``PortalRequest`` strips control characters from
# what people send), so no text a resident writes can contain this marker.
NONCE_MARK = "\x00csp-nonce\x00"
KEEP = "portal.pagecache.keep"  # environ key: the page a view offers to keep
CANONICAL = "portal.pagecache.canonical"  # environ key: the query string a view's page stands for
TOKEN_MARK = "\x00csrf-token\x00"  # noqa: S105 - a marker, not a secret: where a kept form's CSRF token goes
CHANGED_AT = "changed_at"  # session key: when this person last changed something (epoch s)
SKIPPED_HEADERS = {"content-length", "content-encoding"}  # set again for each answer


@dataclass(frozen=True)
class Copy:
    """A kept page: its text cut where the nonce goes, and the headers Flask sent with it."""

    page: PrecompressedPage
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


class ChangeStamp:
    """A file that every commit with changes stamps, so that the other workers of this server
    (other processes) empty what they keep. Its modification time is set to the moment of the
    change in nanoseconds (not left to the file system's coarser clock), and a worker compares
    it with what it saw at its previous request: one ``stat`` per request."""

    def __init__(self, path: str):
        self.path = path
        self._seen = self._read()

    def _read(self) -> int | None:
        try:
            return os.stat(self.path).st_mtime_ns
        except OSError:
            return None

    def stamp(self) -> None:
        now = time.time_ns()
        try:
            os.utime(self.path, ns=(now, now))
        except FileNotFoundError:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            with open(self.path, "a"):
                pass
            os.utime(self.path, ns=(now, now))
        except OSError:
            return  # a read-only disk: the copies still end after PAGE_CACHE_SECONDS
        self._seen = now  # this worker empties its own copies in the commit

    def moved(self) -> bool:
        """Whether another worker changed something since this worker last looked."""
        current = self._read()
        if current == self._seen:
            return False
        self._seen = current
        return True


def _default_stamp_path(app: Flask) -> str:
    """Beside a SQLite file (so every database has its own, the tests' too), else in the
    instance folder, named after the database."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return f"{url.database}-changes"
    name = "".join(c if c.isalnum() else "-" for c in f"{url.host or ''}-{url.database or ''}")
    return os.path.join(app.instance_path, f"changes-{name}")


def init_app(app: Flask) -> None:
    config = app.config
    cache = PageCache(config["PAGE_CACHE_SECONDS"], config["PAGE_CACHE_ENTRIES"])
    app.extensions["page_cache"] = cache
    app.extensions["shared_parts"] = PageCache(config["PAGE_CACHE_SECONDS"], config["PAGE_CACHE_ENTRIES"])
    stamp = ChangeStamp(config.get("CHANGE_STAMP") or _default_stamp_path(app))
    app.extensions["change_stamp"] = stamp
    if config["PAGE_CACHE_SECONDS"] > 0:
        personal = {config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token")}
        app.wsgi_app = VisitorCopies(app.wsgi_app, cache, personal, stamp, app.extensions["shared_parts"])


def page_cache() -> PageCache:
    return current_app.extensions["page_cache"]


# --- Inside Flask: views offer what they rendered for a visitor -------------------------------


def for_visitors(view):
    """Let visitors without cookies get this view's page from the worker's copy."""

    @wraps(view)
    def view_offering_its_page(*args, **kwargs):
        response = view(*args, **kwargs)
        if _may_keep(response):
            nonce = csp_nonce()
            body = response.get_data().replace(nonce.encode(), NONCE_MARK.encode())
            request.environ[KEEP] = (body, nonce)
        return response

    return view_offering_its_page


def canonical_query(**args) -> None:
    """Said by a ``@for_visitors`` view that reads its query string: the arguments its page
    stands for, validated and normalised, with defaults and empty values as None or "" (left
    out). The page is kept for visitors only when the request asked exactly this."""
    request.environ[CANONICAL] = _sorted_query((name, str(value)) for name, value in args.items()
                                               if value is not None and value != "")


def _sorted_query(pairs) -> str:
    return urlencode(sorted(pairs))


def sorted_query_string(query_string: str) -> str:
    """A query string with its arguments in one order: the key of a visitor's copy."""
    return _sorted_query(parse_qsl(query_string, keep_blank_values=True))


def _may_keep(response) -> bool:
    return (
        request.method == "GET"
        and sorted_query_string(request.environ.get("QUERY_STRING", "")) == request.environ.get(CANONICAL, "")
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not current_user.is_authenticated
        and not session  # nothing personal: no CSRF token, no message, nobody signed in
        and "csrf_token" not in g
    )


# --- Inside Flask: parts of a page that are the same for everyone who may see them ----------


@dataclass(frozen=True)
class Part:
    value: object
    stored_at: float


def shared_value(key: tuple, compute: Callable[[], object]) -> object:
    """What ``key`` names, computed by ``compute()`` once per change and then reused for
    everyone (see the module's docstring): plain, immutable data, never a database object
    (those belong to one request's session). ``key`` starts with what it is (a template, a
    query's name) and holds everything the value varies with (a board's id, its filters, the
    page); ``compute`` may query, and runs only when there is no copy."""
    parts: PageCache = current_app.extensions["shared_parts"]
    # Only a read uses or keeps a copy: a post's view sees its own change before the commit
    # (which empties the copies only afterwards), and a rollback empties nothing. "Not found"
    # is not kept either: any URL could fill the cache.
    read = request.method in ("GET", "HEAD")
    if parts.seconds > 0 and read and not changed_recently():
        copy = parts.get(key)
        if copy is not None:
            return copy.value
    value = compute()
    if parts.seconds > 0 and value is not None and read:
        parts.put(key, Part(value, time.monotonic()))
    return value


def shared_rows(key: tuple, load: Callable[[Session], object], keep_none: bool = False):
    """Rows that many requests read and few change (a person's account and membership, a
    circle with its streets): ``load(session)`` runs once per change, in a session of its own
    that leaves the rows detached with what it loaded, and each request gets its own copies
    merged into its session without a query (``Session.merge(load=False)``), so they behave
    as rows it loaded itself (lazy loads, changes, identity). ``load`` returns one row, a
    tuple of rows or None; None is kept only with ``keep_none`` (for a key that only
    signed-in people can make, such as "this person has no membership"). Outside a read, or
    right after the person's own change, ``load`` runs in the request's own session."""
    parts: PageCache = current_app.extensions["shared_parts"]
    reading = has_request_context() and request.method in ("GET", "HEAD")
    if not (parts.seconds > 0 and reading and not changed_recently()):
        return load(db.session)
    copy = parts.get(key)
    if copy is None:
        with Session(db.engine) as own:  # closing detaches the rows as loaded (no rollback first:
            rows = load(own)  # that would expire them) and ends its read-only transaction
        if rows is None and not keep_none:
            return None
        copy = Part(rows, time.monotonic())
        parts.put(key, copy)
    return _merged(copy.value)


def _merged(rows):
    if rows is None:
        return None
    if isinstance(rows, tuple):
        return tuple(_merged(row) for row in rows)
    return db.session.merge(rows, load=False)


def shared_part(key: tuple, render: Callable[[], str]) -> Markup:
    """A part of a page that is the same for everyone who may see it, rendered once per
    change (``shared_value`` of its HTML)."""
    return shared_value(key, lambda: Markup(render()))  # noqa: S704 - a rendered template


def shared_form(key: tuple, render: Callable[[], str]) -> Markup:
    """A part with forms in it, rendered once per change and reused: an empty form (fields,
    labels, hints; no errors, nothing typed) without the cost of its WTForms widgets, or a
    list whose rows carry forms (the moderation queue). The same for everyone who may use it
    except the CSRF token, which is cut out of the kept copy and filled in for each person.
    ``key`` holds the template, what the form is for and what its choices come from (a
    verbinder's help form also offers the circle's neighbours without internet); ``render``
    builds the form itself, so a kept copy costs no WTForms at all."""
    token = generate_csrf()
    html = shared_part(key, lambda: render().replace(token, TOKEN_MARK))
    return Markup(str(html).replace(TOKEN_MARK, token))  # noqa: S704 - a rendered template


def changed_recently() -> bool:
    """True while the person's own change may not have reached this worker's copies yet."""
    changed_at = session.get(CHANGED_AT)
    return isinstance(changed_at, int) and time.time() - changed_at <= page_cache().seconds


# --- In front of Flask: copies for visitors without cookies ----------------------------------


class VisitorCopies:
    """WSGI middleware: answers a visitor without cookies from a kept copy, and keeps the
    pages that ``@for_visitors`` views offer, with the headers Flask finally sent."""

    def __init__(self, wsgi_app, cache: PageCache, personal_cookies: set[str], stamp: ChangeStamp,
                 parts: PageCache):
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.personal_cookies = personal_cookies
        self.stamp = stamp
        self.parts = parts

    def __call__(self, environ, start_response):
        if self.stamp.moved():  # another worker changed something: nothing kept is sure now
            self.cache.clear()
            self.parts.clear()
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        copy = self.cache.get(key)
        if copy is not None:
            return _send(copy, environ, start_response)

        sent = {}

        def remember_start(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, remember_start)
        offered = environ.get(KEEP)
        if offered is not None and sent.get("status", "").startswith("200"):
            self._keep(key, offered, sent["headers"])
        return body

    def _key(self, environ) -> tuple | None:
        """What a visitor's page depends on: address, full page or htmx fragment, text size.
        None when the request is not a visitor's plain GET."""
        if environ.get("REQUEST_METHOD") != "GET":
            return None
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        if not self.personal_cookies.isdisjoint(cookies.keys()):
            return None
        return (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST"),
            environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""),
            sorted_query_string(environ.get("QUERY_STRING", "")),
            wants_fragment_in(environ),
            text_size(cookies),
        )

    def _keep(self, key: tuple, offered: tuple[bytes, str], headers: list[tuple[str, str]]) -> None:
        body, nonce = offered
        if any(name.lower() == "set-cookie" for name, _ in headers):
            return
        kept_headers = [
            (name, value.replace(nonce, NONCE_MARK))
            for name, value in headers
            if name.lower() not in SKIPPED_HEADERS
        ]
        page = PrecompressedPage(body.split(NONCE_MARK.encode()))
        self.cache.put(key, Copy(page, kept_headers, time.monotonic()))


def _send(copy: Copy, environ, start_response):
    """The copy with a fresh nonce in page and header; gzipped from the parts compressed
    beforehand when the browser accepts gzip."""
    nonce = new_nonce()
    fillings = [nonce.encode()] * (len(copy.page.parts) - 1)
    headers = [(name, value.replace(NONCE_MARK, nonce)) for name, value in copy.headers]
    if _accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING", "")):
        body = copy.page.gzip(fillings)
        headers.append(("Content-Encoding", "gzip"))
    else:
        body = copy.page.text(fillings)
    headers.append(("Content-Length", str(len(body))))
    start_response("200 OK", headers)
    return [body]


def _accepts_gzip(accept_encoding: str) -> bool:
    """``gzip`` or ``*`` in Accept-Encoding, unless refused with ``q=0`` (a short reading of
    RFC 9110 §12.5.3)."""
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
def _empty_after_change(db_session):
    if db_session.info.pop("changed", False) and has_app_context():
        for name in ("page_cache", "shared_parts"):
            cache = current_app.extensions.get(name)
            if cache is not None:
                cache.clear()
        stamp = current_app.extensions.get("change_stamp")
        if stamp is not None:
            stamp.stamp()  # and the other workers of this server at their next request
        # Flask-Login's key in the cookie session: signed in, without asking the database
        # (nothing may query after a commit).
        if has_request_context() and "_user_id" in session:
            session[CHANGED_AT] = int(time.time())


@event.listens_for(db.session, "after_rollback")
def _forget_change(session):
    session.info.pop("changed", None)
