"""Settings, read from the environment once when the app is created.

Every setting has a safe default for a newcomer's laptop (SQLite in ``instance/``, mail to the
console, rate limits in memory). Production (``PORTAL_ENV=production``) must name its own
``SECRET_KEY``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see check_production
INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _sqlite_default() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"


class Config:
    """Defaults overridden by the environment; tests pass a dict to ``create_app``."""

    def __init__(self) -> None:
        env = os.environ
        self.PORTAL_ENV = env.get("PORTAL_ENV", "development")
        self.SECRET_KEY = env.get("SECRET_KEY", DEV_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = env.get("DATABASE_URL") or _sqlite_default()
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

        # Sessions and CSRF: a slow reader may keep a form open for hours.
        production = self.PORTAL_ENV == "production"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = production
        self.REMEMBER_COOKIE_SECURE = production
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None
        self.WTF_CSRF_HEADERS = ["X-CSRFToken"]
        # "Ingelogd blijven" (portal/accounts/sessions.py): a cookie of 90 days; unticked, one
        # that ends with the browser. Not renewed at every request: the same cookie string
        # lets each worker reuse its check (portal/sessioncookie.py).
        self.PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 90
        self.SESSION_REFRESH_EACH_REQUEST = False

        self.RATELIMIT_ENABLED = _flag("RATELIMIT_ENABLED", True)
        self.RATELIMIT_STORAGE_URI = env.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_KEY_PREFIX = env.get("RATELIMIT_KEY_PREFIX", "buurtportaal")  # share a Redis
        self.RATELIMIT_HEADERS_ENABLED = True
        self.PROXY_FIX = int(env.get("PROXY_FIX", "0"))  # number of trusted proxies in front
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_CONTENT_LENGTH", str(1024 * 1024)))

        # Public pages kept in each worker's memory for visitors who are not signed in
        # (portal/pagecache.py); 0 seconds switches the copies off.
        self.PAGE_CACHE_SECONDS = float(env.get("PAGE_CACHE_SECONDS", "10"))
        self.PAGE_CACHE_ENTRIES = int(env.get("PAGE_CACHE_ENTRIES", "500"))
        # The file every commit with changes stamps, so all workers of one server empty what
        # they keep at once; empty: beside the SQLite file, or in the instance folder.
        self.CHANGE_STAMP = env.get("CHANGE_STAMP", "")
        # Several servers: the change version in Redis instead, so a change made on one server
        # empties what every worker of every server keeps at its next request (portal/changes.py).
        self.CACHE_REDIS_URL = env.get("CACHE_REDIS_URL", "")

        # Map tiles: PDOK BRT-Achtergrondkaart, free and Dutch, no key needed.
        self.TILE_URL = env.get(
            "TILE_URL",
            "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        )
        self.TILE_ATTRIBUTION = env.get(
            "TILE_ATTRIBUTION",
            'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>',
        )

        # Mail: without SMTP_HOST messages are printed to the console.
        self.SMTP_HOST = env.get("SMTP_HOST", "")
        self.SMTP_PORT = int(env.get("SMTP_PORT", "25"))
        self.SMTP_USER = env.get("SMTP_USER", "")
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD", "")
        self.SMTP_TLS = _flag("SMTP_TLS", False)
        self.MAIL_FROM = env.get("MAIL_FROM", "Buurtportaal Vleuten-De Meern <noreply@example.org>")
        self.PUBLIC_URL = env.get("PUBLIC_URL", "http://127.0.0.1:5000")
        # The wijk (its slug) that answers on the host of PUBLIC_URL, and in development on any
        # unknown host; empty: the first wijk (portal/wijken/hosts.py).
        self.DEFAULT_WIJK = env.get("DEFAULT_WIJK", "")
        # Where a signal goes when a moderator sets it to "doorgestuurd": addresses separated
        # by commas, and per theme "<theme slug>=<addresses>", the parts separated by ";":
        # "wijkbureau@utrecht.example; verkeer=verkeer@utrecht.example, fiets@utrecht.example".
        # A theme without its own addresses uses the ones without a theme. Empty: no mail
        # (portal/board/gemeente_signals.py, gemeente_addresses).
        self.GEMEENTE_MAIL = env.get("GEMEENTE_MAIL", "")

        self.BABEL_DEFAULT_LOCALE = "nl"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
        self.COMPRESS_ALGORITHM = ["gzip", "br"]  # gzip first: portal/compression.py
        self.COMPRESS_MIN_SIZE = 300
        # ISA-L's gzip level 1 (of 0-3) for what is compressed per answer (signed-in pages,
        # htmx fragments): a third of the time of zlib-ng at level 6 for a tenth more bytes
        # (portal/compression.py). Static files and the visitors' kept pages are compressed
        # once, at their own levels.
        self.COMPRESS_LEVEL = 1
        self.COMPRESS_EVALUATE_CONDITIONAL_REQUEST = False  # no ETags here; saves work per answer
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "text/calendar",
            "image/svg+xml",
        ]
        self.SEND_FILE_MAX_AGE_DEFAULT = 60 * 60 * 24 * 365  # static URLs carry a version

        # The gemeente's Signalen (meldingen openbare ruimte, portal/board/signalen_api/): its base
        # address, e.g. https://api.meldingen.utrecht.nl; empty: no meldingen are sent. The
        # sub-category URL each melding gets; empty: Signalen's "overig/overig" there.
        self.SIGNALEN_URL = env.get("SIGNALEN_URL", "").strip()
        self.SIGNALEN_CATEGORY = env.get("SIGNALEN_CATEGORY", "").strip()

        # The wijkbrief (portal/newsletter/): at most this many go out per minute, so a mail
        # provider does not take thousands at once for spam.
        self.NEWSLETTER_PER_MINUTE = max(1, int(env.get("NEWSLETTER_PER_MINUTE", "60")))

        # Who to call when you cannot use the internet (shown on circle pages without a
        # contact line of their own).
        self.WIJKINFORMATIEPUNT = env.get(
            "WIJKINFORMATIEPUNT",
            "Wijkinformatiepunt Buren voor Buren, telefoon 030 - 000 00 00 (werkdagen 10-12 uur)",
        )


def tile_host(tile_url: str) -> str:
    """The origin of the tile server, for the CSP's img-src."""
    parts = urlsplit(tile_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


def check_production(config) -> None:
    """Refuse to start in production with a secret anyone can read in the source."""
    if config.get("PORTAL_ENV") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET_KEY or len(secret) < 16:
        raise RuntimeError(
            "PORTAL_ENV=production needs a SECRET_KEY of at least 16 random characters "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
