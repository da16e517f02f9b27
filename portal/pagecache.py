"""Whole public pages kept for visitors who are not signed in.

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
- Every committed change empties the copies of every worker (``portal/changes.py``).
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
  board the unfiltered board. Free text (``/zoeken?q=``, ``/cirkels?straat=``) is kept like
  the rest: no path keeps more than ``PER_PATH`` copies (its own oldest go first), so made-up
  searches only ever push out other searches.

The parts and rows of signed-in pages are kept through the registry, ``portal/kept.py``.
"""

from dataclasses import dataclass
from functools import lru_cache, wraps
from urllib.parse import parse_qsl, urlencode

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from werkzeug.http import parse_cookie

from portal.keeping import Store
from portal.precompressed import PrecompressedPage
from portal.security import csp_nonce, new_nonce
from portal.web import text_size, wants_fragment_in

# A NUL byte never reaches the database (``PortalRequest`` strips control characters from
# what people send), so no text a resident writes can contain this marker.
NONCE_MARK = "\x00csp-nonce\x00"
KEEP = "portal.pagecache.keep"  # environ key: the page a view offers to keep
CANONICAL = "portal.pagecache.canonical"  # environ key: the query string a view's page stands for
SKIPPED_HEADERS = {"content-length", "content-encoding"}  # set again for each answer
PER_PATH = 20  # copies of one path at most


@dataclass(frozen=True)
class Copy:
    """A kept page: its text cut where the nonce goes, and the headers Flask sent with it."""

    page: PrecompressedPage
    headers: list[tuple[str, str]]


def init_app(app: Flask) -> None:
    config = app.config
    # At most 20 copies per path (its text sizes, fragments and canonical queries such as
    # ``?pagina=``), so one page asked for in many ways cannot push the others out.
    cache = Store(config["PAGE_CACHE_SECONDS"], config["PAGE_CACHE_ENTRIES"], per_group=PER_PATH,
                  group_of=lambda key: key[2])
    app.extensions["page_cache"] = cache
    if config["PAGE_CACHE_SECONDS"] > 0:
        personal = {config["SESSION_COOKIE_NAME"], config.get("REMEMBER_COOKIE_NAME", "remember_token")}
        app.wsgi_app = VisitorCopies(app.wsgi_app, cache, personal)


def page_cache() -> Store:
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
    """A query string with its arguments in one order: the key of a visitor's copy. Asked
    before every visitor's copy with a query is sent, so a short one is remembered per worker
    (pure text in, text out; at most ``1024`` of at most ``200`` characters)."""
    if not query_string:
        return ""
    return (_remembered_sorted if len(query_string) <= 200 else _sorted)(query_string)


def _sorted(query_string: str) -> str:
    return _sorted_query(parse_qsl(query_string, keep_blank_values=True))


_remembered_sorted = lru_cache(maxsize=1024)(_sorted)


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


# --- In front of Flask: copies for visitors without cookies ----------------------------------


class VisitorCopies:
    """WSGI middleware: answers a visitor without cookies from a kept copy, and keeps the
    pages that ``@for_visitors`` views offer, with the headers Flask finally sent."""

    def __init__(self, wsgi_app, cache: Store, personal_cookies: set[str]):
        self.wsgi_app = wsgi_app
        self.cache = cache
        self.personal_cookies = personal_cookies

    def __call__(self, environ, start_response):
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        kept = self.cache.get(key)
        if kept is not None:
            return _send(kept.value, environ, start_response)

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
        raw = environ.get("HTTP_COOKIE", "")
        if any(f"{name}=" in raw for name in self.personal_cookies):  # a signed-in page: no need to
            return None  # parse (a value holding "session=" is served by Flask, as it may be)
        cookies = parse_cookie(raw)
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
        self.cache.put(key, Copy(page, kept_headers))


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
