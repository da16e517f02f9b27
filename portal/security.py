"""Security headers on every response, error pages included.

The Content-Security-Policy allows scripts and styles only from this site or with the
per-request nonce (``csp_nonce()`` in templates); images also from the map's tile server.
"""

import secrets

from flask import Flask, current_app, g, request, session
from itsdangerous import BadData, URLSafeSerializer

from portal.config import tile_host


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def csp_nonce() -> str:
    """This answer's nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = new_nonce()
    return g.csp_nonce


def is_cross_site_request() -> bool:
    """True when the browser tells us the request was made by another site's page. Current
    browsers send ``Sec-Fetch-Site``; older ones at least ``Origin`` with a POST. A request
    with neither (curl, tests) is not a browser being misused, so it passes."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.rstrip("/") != request.host_url.rstrip("/")
    return False


def content_security_policy(nonce: str) -> str:
    tiles = tile_host(current_app.config["TILE_URL"])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            f"img-src 'self' data: {tiles}".strip(),
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


_PAYLOAD = URLSafeSerializer("only-for-reading-payloads")  # noqa: S106 - signs nothing


def _is_signed_form_of(signed: str, token: str) -> bool:
    """Whether ``signed`` (payload.time.signature, URL-safe base64) carries ``token``."""
    try:
        return _PAYLOAD.load_payload(signed.split(".")[0].encode()) == token
    except BadData:
        return False


SIGNED_TOKENS = 2000  # per worker: the signed CSRF token of each session token seen lately


def init_app(app: Flask) -> None:
    signed_tokens: dict[str, str] = {}
    session_cookie = app.config["SESSION_COOKIE_NAME"]

    @app.before_request
    def reuse_signed_csrf_token():
        """Flask-WTF signs the session's CSRF token again on every page that shows a form.
        The signature carries a time, but tokens never expire here (``WTF_CSRF_TIME_LIMIT``
        is off), so the token signed once is as valid as a new one: reuse it (``g`` is where
        ``generate_csrf`` looks first). Only for a request that brought a session. Measured
        gain and guard: benchmarks/README.md ("Framework overrides"),
        ``tests/test_framework_overrides.py``."""
        if session_cookie in request.cookies:
            signed = signed_tokens.get(session.get("csrf_token", ""))
            if signed is not None:
                g.csrf_token = signed

    @app.after_request
    def remember_signed_csrf_token(response):
        token = session.get("csrf_token") if "csrf_token" in g else None
        if token and signed_tokens.get(token) == g.csrf_token:
            return response  # the one reused above
        if token and _is_signed_form_of(g.csrf_token, token):  # not one from before session.clear()
            if len(signed_tokens) >= SIGNED_TOKENS:
                signed_tokens.clear()
            signed_tokens[token] = g.csrf_token
        return response

    fixed_headers = [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "geolocation=(), camera=(), microphone=()"),
    ]
    if app.config["PORTAL_ENV"] == "production":
        fixed_headers.append(("Strict-Transport-Security", "max-age=31536000"))

    @app.after_request
    def set_security_headers(response):
        """The same headers on every answer, the CSP with this answer's nonce. No view sets
        any of them, so they are added in one go (``Headers.extend``, not a ``setdefault``
        that looks through the headers for each)."""
        if "Content-Security-Policy" not in response.headers:
            response.headers.extend([("Content-Security-Policy", content_security_policy(csp_nonce())),
                                     *fixed_headers])
        return response
