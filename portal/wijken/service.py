"""The wijken themselves: adding one with its themes, changing its settings and logo, and the
platform admin's list. No commits here (``portal/database.py`` owns them): ``create-wijk``
and the views call these and their unit of work is committed when they return.

What is refused is said per field in Dutch (``WijkRefused.problems``), so the command line and
the form refuse the same things in the same words.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import District, Participation, Theme
from portal.wijk import ALL_WIJKEN, in_wijk
from portal.wijken import colours
from portal.wijken.settings import gemeente_mail_parts

# The five themes the residents of Vleuten-De Meern named (migration 0003); every new wijk
# starts with them, and its admins add, rename and order them on /themas/beheer.
FIRST_THEMES = [
    ("verkeer", "Verkeer",
     "Veilig fietsen en lopen, parkeren, drukke wegen en de bus in de wijk."),
    ("groen", "Groen",
     "Parken, bomen, speelplekken en het onderhoud van het groen in uw buurt."),
    ("sociale-cohesie", "Sociale cohesie",
     "Elkaar kennen en helpen: buren, ontmoeting en niemand alleen laten staan."),
    ("activiteiten-en-voorzieningen", "Activiteiten en voorzieningen",
     "Wat er te doen is en wat er nodig is: buurthuizen, sport, winkels en zorg dichtbij."),
    ("relatie-met-de-gemeente", "Relatie met de gemeente",
     "Hoe bewoners en de gemeente samenwerken, en vragen en signalen voor de gemeente."),
]

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
HOST = re.compile(rf"(?=.{{1,253}}$){LABEL}(?:\.{LABEL})*")
EMAIL = re.compile(r"[^@\s,;=<>\"]+@[^@\s,;=<>\"]+\.[^@\s,;=<>\"]+")
NAME_MAX, SLUG_MAX, HOST_MAX, ALIASES_MAX = 120, 80, 253, 1000

LOGO_MAX_BYTES = 100 * 1024
PNG = "image/png"
SVG = "image/svg+xml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# An SVG logo is shown only as an image and served with a CSP that allows nothing
# (``views.logo``); these are refused as well, so nothing active is ever stored.
SVG_REFUSED = re.compile(rb"<!entity|<script|<foreignobject|javascript:|\son[a-z]+\s*=", re.I)


class WijkRefused(Exception):
    """What was refused, per field: ``{"host": "Dit adres is al van West."}``."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def host_list(text: str) -> list[str]:
    """Host names separated by spaces, commas or new lines, lower case, each once."""
    found: list[str] = []
    for host in re.split(r"[\s,]+", (text or "").strip().lower()):
        if host and host not in found:
            found.append(host)
    return found


def _taken_hosts(except_district: District | None) -> dict[str, str]:
    """Every host and alias in use, with the name of the wijk that has it."""
    rows = db.session.execute(select(District.id, District.name, District.host, District.aliases)).all()
    taken: dict[str, str] = {}
    for district_id, name, host, aliases in rows:
        if except_district is not None and district_id == except_district.id:
            continue
        for one in [host, *aliases.split()]:
            taken[one.lower()] = name
    return taken


def name_problem(name: str) -> str | None:
    if not name:
        return "Vul de naam van de wijk in."
    if len(name) > NAME_MAX:
        return f"Gebruik hooguit {NAME_MAX} tekens."
    return None


def host_problems(host: str, aliases: list[str], district: District | None = None) -> dict[str, str]:
    """A host and its aliases (without the host itself): real host names (no ``https://``,
    no port, no path), none of them another wijk's."""
    problems: dict[str, str] = {}
    taken = _taken_hosts(district)
    if not host:
        problems["host"] = "Vul het webadres van de wijk in, bijvoorbeeld west.wijkplatform.nl."
    elif "/" in host or ":" in host or not HOST.fullmatch(host):
        problems["host"] = ("Dit is geen webadres zoals west.wijkplatform.nl. Schrijf het zonder https://, "
                            "zonder / en zonder poortnummer.")
    elif host in taken:
        problems["host"] = f"Het adres {host} is al van de wijk {taken[host]}."
    wrong = [alias for alias in aliases if "/" in alias or ":" in alias or not HOST.fullmatch(alias)]
    used = [alias for alias in aliases if alias in taken]
    if wrong:
        problems["aliases"] = f"Dit is geen webadres: {', '.join(wrong)}."
    elif used:
        problems["aliases"] = " ".join(f"Het adres {alias} is al van de wijk {taken[alias]}."
                                       for alias in used)
    elif len(" ".join(aliases)) > ALIASES_MAX:
        problems["aliases"] = f"Gebruik samen hooguit {ALIASES_MAX} tekens."
    return problems


def slug_problem(slug: str) -> str | None:
    if not slug:
        return "Vul een korte naam voor het webadres in, bijvoorbeeld west."
    if len(slug) > SLUG_MAX or not SLUG.fullmatch(slug):
        return "Gebruik alleen kleine letters, cijfers en streepjes, bijvoorbeeld noordoost of zuid-west."
    if db.session.scalar(select(District.id).where(District.slug == slug)) is not None:
        return f"Er is al een wijk met de korte naam {slug}."
    return None


def create_wijk(slug: str, name: str, host: str, aliases: str = "") -> District:
    """A new wijk with its five themes (``FIRST_THEMES``); ``WijkRefused`` when the slug or a
    host is taken or not valid."""
    slug, host = (slug or "").strip().lower(), (host or "").strip().lower()
    name = " ".join((name or "").split())
    alias_list = [alias for alias in host_list(aliases) if alias != host]
    problems = {field: problem for field, problem in
                (("slug", slug_problem(slug)), ("name", name_problem(name))) if problem}
    problems |= host_problems(host, alias_list)
    if problems:
        raise WijkRefused(problems)
    district = District(slug=slug, name=name, host=host, aliases=" ".join(alias_list))
    try:
        with db.session.begin_nested():  # two admins adding the same wijk at once: one wins
            db.session.add(district)
            db.session.flush()
    except IntegrityError as error:
        taken = f"Er is al een wijk met de korte naam {slug} of het adres {host}."
        raise WijkRefused({"slug": taken}) from error
    with in_wijk(district):
        for position, (theme_slug, theme_name, description) in enumerate(FIRST_THEMES, start=1):
            db.session.add(Theme(district_id=district.id, slug=theme_slug, name=theme_name,
                                 description=description, position=position))
        db.session.flush()
    return district


@dataclass(frozen=True)
class Settings:
    """What the platform admin changes of a wijk on ``/beheer/wijken/<slug>``."""

    name: str
    host: str
    aliases: list[str]
    contact_line: str
    gemeente_mail: str
    signalen_url: str
    signalen_category: str
    mail_from_name: str
    accent_colour: str


def change_wijk(district: District, settings: Settings) -> str | None:
    """Store the settings. A new host leaves the old one as an alias (a 301 to the new one),
    so links people saved keep working; returns that old host, or None."""
    old_host = district.host
    aliases = list(settings.aliases)
    kept_old = None
    if settings.host != old_host and old_host not in aliases:
        aliases.append(old_host)
        kept_old = old_host
    district.name = settings.name
    district.host = settings.host
    district.aliases = " ".join(aliases)
    district.contact_line = settings.contact_line
    district.gemeente_mail = settings.gemeente_mail
    district.signalen_url = settings.signalen_url
    district.signalen_category = settings.signalen_category
    district.mail_from_name = settings.mail_from_name
    district.accent_colour = settings.accent_colour
    return kept_old


def colour_problem(colour: str) -> str | None:
    """Why a colour cannot be the accent (not ``#rrggbb``, or below 7:1 on white), or None."""
    value = colours.normalised(colour)
    if value is None:
        return "Schrijf de kleur als # met zes cijfers of letters a tot en met f, bijvoorbeeld #0b4a8b."
    ratio = colours.contrast_ratio(value)
    if ratio < colours.MINIMUM_CONTRAST:
        shown = f"{int(ratio * 10) / 10:.1f}".replace(".", ",")
        return (f"Deze kleur is te licht: het contrast met wit is {shown} op 1. Kies een donkerdere "
                "kleur, met een contrast van minstens 7 op 1, zodat iedereen de tekst goed kan lezen.")
    return None


def gemeente_mail_problem(setting: str, district: District) -> str | None:
    """The gemeente's addresses in the format of ``GEMEENTE_MAIL`` (``portal/config.py``):
    parts separated by ``;``, addresses by ``,``, a part ``<theme slug>=...`` for one theme of
    this wijk."""
    with in_wijk(district):
        themes = set(db.session.scalars(select(Theme.slug)))
    for theme, addresses in gemeente_mail_parts(setting):
        if theme is not None and theme not in themes:
            return (f"De wijk heeft geen thema met het webadres {theme or '(leeg)'}. "
                    "Gebruik het laatste deel "
                    f"van het adres van een thema, zoals {', '.join(sorted(themes)[:2]) or 'verkeer'}.")
        for address in addresses:
            if not EMAIL.fullmatch(address):
                return f"Dit is geen e-mailadres: {address}."
    return None


def url_problem(url: str) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc or any(c.isspace() for c in url):
        return "Schrijf een volledig webadres dat begint met https://."
    return None


def sender_problem(name: str) -> str | None:
    if any(char in name for char in '<>"@'):
        return "Gebruik geen < > \" of @ in de naam van de afzender."
    return None


def logo_type(data: bytes) -> tuple[str | None, str | None]:
    """What a logo file is, by what it holds (not by its name): ``(image/png or
    image/svg+xml, None)``, or ``(None, why it is refused)``."""
    if len(data) > LOGO_MAX_BYTES:
        return None, f"Het logo is {len(data) // 1024} kB. Het mag hooguit {LOGO_MAX_BYTES // 1024} kB zijn."
    if data.startswith(PNG_SIGNATURE):
        return PNG, None
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in head \
            and data.rstrip().lower().endswith(b"</svg>"):
        if SVG_REFUSED.search(data):
            return None, ("Dit SVG-bestand bevat een script, een link of iets anders dat we niet toelaten. "
                          "Sla het logo op als eenvoudig SVG-bestand of als PNG.")
        return SVG, None
    return None, "Kies een logo in PNG of SVG."


def set_logo(district: District, data: bytes, content_type: str) -> None:
    district.logo, district.logo_type = data, content_type


def remove_logo(district: District) -> None:
    district.logo, district.logo_type = None, ""


def wijk_or_none(slug: str) -> District | None:
    return db.session.scalar(select(District).where(District.slug == slug))


@dataclass(frozen=True)
class WijkRow:
    slug: str
    name: str
    host: str
    aliases: list[str]
    participants: int
    has_logo: bool


def wijk_rows() -> list[WijkRow]:
    """Every wijk for the platform admin's list, with its number of participants: one count
    over the participations of all wijken (the one query here that spans the wijken)."""
    counts = dict(db.session.execute(
        select(Participation.district_id, func.count()).group_by(Participation.district_id)
        .execution_options(**{ALL_WIJKEN: True})
    ).all())
    rows = db.session.execute(
        select(District.id, District.slug, District.name, District.host, District.aliases, District.logo_type)
        .order_by(District.name)
    ).all()
    return [WijkRow(slug=slug, name=name, host=host, aliases=aliases.split(), participants=counts.get(i, 0),
                    has_logo=bool(kind)) for i, slug, name, host, aliases, kind in rows]
