"""The wijk of a request, from its host, found before any view runs.

Each wijk answers on its ``host``; its ``aliases`` redirect there with a 301 (same path and
query). The first wijk (or ``DEFAULT_WIJK``) also answers on the host of ``PUBLIC_URL``. An
unknown host gets the default wijk in development, so ``make run`` works on any address, and
a plain "onbekend adres" 404 page in production. What is known of the wijken comes from one
kept value (``kept.wijken``), made again only after a change.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, has_request_context, redirect, request
from sqlalchemy import select

from portal import wijk
from portal.models.wijken import DEFAULT_ACCENT


@dataclass(frozen=True)
class WijkFacts:
    """What every page and mail of a wijk shows of it; plain data, kept."""

    id: int
    slug: str
    name: str
    host: str
    aliases: tuple[str, ...]
    contact_line: str
    gemeente_mail: str
    signalen_url: str
    signalen_category: str
    mail_from_name: str
    accent_colour: str
    has_logo: bool
    logo_version: str  # a digest of the logo: ``/wijk/logo?v=...`` may be kept a year

    @property
    def own_accent(self) -> str | None:
        """The wijk's accent colour when it is not the portal's own (portal.css has that)."""
        return self.accent_colour if self.accent_colour.lower() != DEFAULT_ACCENT else None


@dataclass(frozen=True)
class Wijken:
    """Every wijk, by id, and which host belongs to which."""

    by_id: dict[int, WijkFacts]
    default_id: int | None
    # host or alias -> (the wijk, whether it is an alias): every request asks
    by_host: dict[str, tuple[WijkFacts, bool]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_host = {facts.host: (facts, False) for facts in reversed(self.by_id.values())}
        for facts in self.by_id.values():  # a wijk's own host wins over another's alias
            for alias in facts.aliases:
                by_host.setdefault(alias, (facts, True))
        object.__setattr__(self, "by_host", by_host)

    def for_host(self, host: str) -> tuple[WijkFacts | None, bool]:
        """The wijk of a host (without port) and whether the host is an alias of it."""
        return self.by_host.get(host, (None, False))


def load(session, default_slug: str = "") -> Wijken:
    from portal.models import District

    districts = session.execute(select(District).order_by(District.id)).scalars().all()
    by_id = {
        row.id: WijkFacts(
            id=row.id, slug=row.slug, name=row.name, host=row.host, aliases=tuple(row.aliases.split()),
            contact_line=row.contact_line, gemeente_mail=row.gemeente_mail, signalen_url=row.signalen_url,
            signalen_category=row.signalen_category, mail_from_name=row.mail_from_name,
            accent_colour=row.accent_colour, has_logo=row.logo is not None,
            logo_version=hashlib.sha256(row.logo).hexdigest()[:12] if row.logo is not None else "",
        )
        for row in districts
    }
    default = next((f.id for f in by_id.values() if f.slug == default_slug), None)
    return Wijken(by_id, default if default is not None else next(iter(by_id), None))


def _host_without_port(host: str) -> str:
    host = host.lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


@lru_cache(maxsize=8)
def _public_host(public_url: str) -> str:
    return _host_without_port(urlsplit(public_url).netloc)


WIJK_FREE = {"pages.healthz", "static"}  # answer on any host: a monitor asks a server directly
UNKNOWN_HOST_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Onbekend adres</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    "<body>"
    "<h1>Onbekend adres</h1><p>Op dit adres staat geen wijkplatform. Controleer het adres, "
    "of vraag het wijkbureau van uw wijk naar het juiste adres.</p></body></html>"
)


def find_the_wijk():
    """``before_request``: make the request's wijk the current one, or redirect an alias, or
    refuse an unknown host in production."""
    from portal import kept

    if request.endpoint in WIJK_FREE:
        return None
    known = kept.wijken()
    host = _host_without_port(request.host)
    facts, alias = known.for_host(host)
    if facts is None:
        public_host = _public_host(current_app.config["PUBLIC_URL"])
        production = current_app.config["PORTAL_ENV"] == "production"
        if (host == public_host or not production) and known.default_id is not None:
            facts = known.by_id[known.default_id]
        else:
            return Response(UNKNOWN_HOST_PAGE, 404, content_type="text/html; charset=utf-8")
    elif alias:
        port = request.host[len(host):] if not request.host.startswith("[") else ""
        target = request.url.replace(request.host, facts.host + port, 1)
        return redirect(target, 301)
    request.environ["portal.wijk"] = facts
    request.environ["portal.wijken"] = known
    request.environ["portal.wijk_token"] = wijk.enter(facts.id)
    return None


def leave_the_wijk(_error=None) -> None:
    token = request.environ.pop("portal.wijk_token", None)
    if token is not None:
        wijk.leave(token)


# What a job knows of the wijken: read once when a scheduled command starts (``portal/cron.py``),
# so a job that asks ``here()`` for every mail it writes asks the database once, not per mail.
_for_job: ContextVar[Wijken | None] = ContextVar("portal_wijken_for_job", default=None)


@contextmanager
def known_for_job(known: Wijken) -> Iterator[None]:
    """What ``wijken()`` and ``here()`` answer for a job's duration (outside a request)."""
    token = _for_job.set(known)
    try:
        yield
    finally:
        _for_job.reset(token)


def wijken() -> Wijken:
    """Every wijk: what the request found its wijk in (the kept value), or what the job loaded
    when it started; elsewhere (a test, a command in one wijk) read now."""
    if has_request_context() and "portal.wijken" in request.environ:
        return request.environ["portal.wijken"]
    known = _for_job.get()
    if known is not None:
        return known
    from portal.extensions import db

    return load(db.session, current_app.config["DEFAULT_WIJK"])


def here() -> WijkFacts:
    """The current wijk's facts: the request's, or (in a job) the one ``for_each_wijk`` is in."""
    district_id = wijk.required_district_id()
    if has_request_context():
        facts = request.environ.get("portal.wijk")
        if facts is not None and facts.id == district_id:
            return facts
    return wijken().by_id[district_id]


def is_default(facts: WijkFacts) -> bool:
    """Whether this is the default wijk: the one that also answers on ``PUBLIC_URL``'s host."""
    return facts.id == wijken().default_id


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, find_the_wijk)
    app.teardown_request_funcs.setdefault(None, []).insert(0, leave_the_wijk)
