"""Security headers on every response, error pages included.

The Content-Security-Policy allows scripts and styles only from this site or with the
per-request nonce (``csp_nonce()`` in templates); images also from the map's tile server.
"""

import secrets

from flask import Flask, current_app, g, request

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


def init_app(app: Flask) -> None:

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if app.config["PORTAL_ENV"] == "production":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
