"""What differs per wijk, one function per setting: the wijk's own (``District``, managed on
``/beheer/wijken``), else the install's (``portal/config.py``).

Every call site asks here, never ``here().x or config[...]`` itself. Each answers for the
current wijk: the request's (from its host) or the job's (``for_each_wijk``); outside any wijk
(a command that works on no wijk) the install's setting.

=================  ===================  =================================================
setting            the install's        used by
=================  ===================  =================================================
contact_line       WIJKINFORMATIEPUNT   pages and mail: who to call without internet
gemeente_mail      GEMEENTE_MAIL        ``board/gemeente_signals.py`` (gemeente_addresses)
signalen_url       SIGNALEN_URL         ``board/signalen_api/service.py``
signalen_category  SIGNALEN_CATEGORY    the same
mail_from          MAIL_FROM            ``mail.build_message``: the sender, the wijk's name
public_base        PUBLIC_URL           ``mail.public_url``: links on the wijk's host
wijk_name          (the default wijk)   mail that names the wijk ("Signaal uit West")
=================  ===================  =================================================
"""

from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import urlsplit, urlunsplit

from flask import current_app

from portal import wijk
from portal.wijken import hosts

PRODUCT = "Buurtportaal"  # the sender's name when MAIL_FROM has none: "Buurtportaal West"


def _wijk() -> hosts.WijkFacts | None:
    if wijk.current_district_id() is None:
        return None
    return hosts.here()


def wijk_name() -> str:
    """The wijk's name, as its mail names it ("het Buurtportaal West"); outside any wijk the
    default wijk's."""
    facts = _wijk()
    if facts is None:
        known = hosts.wijken()
        facts = known.by_id.get(known.default_id)
    return facts.name if facts is not None else ""


def _config(name: str) -> str:
    return (current_app.config.get(name) or "").strip()


def contact_line() -> str:
    """Who to call when you cannot use the internet (a circle's own line comes first)."""
    facts = _wijk()
    return (facts and facts.contact_line.strip()) or _config("WIJKINFORMATIEPUNT")


def gemeente_mail() -> str:
    """Where signals go when set to "doorgestuurd" (the format of ``GEMEENTE_MAIL``)."""
    facts = _wijk()
    return (facts and facts.gemeente_mail.strip()) or _config("GEMEENTE_MAIL")


def gemeente_mail_parts(setting: str) -> list[tuple[str | None, list[str]]]:
    """The one reading of the ``GEMEENTE_MAIL`` format: parts separated by ``;``, addresses by
    ``,``, a part ``<theme slug>=...`` for one theme. Each part as (its theme slug, or None
    for the general addresses; every non-empty address written in it)."""
    parts = []
    for part in (setting or "").split(";"):
        theme, _, names = part.rpartition("=") if "=" in part else (None, "", part)
        addresses = [a.strip() for a in names.split(",") if a.strip()]
        parts.append((theme.strip().lower() if theme is not None else None, addresses))
    return parts


def signalen_url() -> str:
    """The gemeente's Signalen for this wijk; empty: no meldingen."""
    facts = _wijk()
    return (facts and facts.signalen_url.strip()) or _config("SIGNALEN_URL")


def signalen_category() -> str:
    """The sub-category URL of this wijk's meldingen; empty: Signalen's "overig". A wijk with
    a Signalen of its own never gets the install's category (a URL on another Signalen)."""
    facts = _wijk()
    if facts is not None and (facts.signalen_category.strip() or facts.signalen_url.strip()):
        return facts.signalen_category.strip()
    return _config("SIGNALEN_CATEGORY")


def mail_from() -> str:
    """The sender of this wijk's mail: the address of ``MAIL_FROM`` with the wijk's sender
    name (``District.mail_from_name``). Without one, the default wijk sends as ``MAIL_FROM``
    exactly, and another wijk with ``MAIL_FROM``'s name made its own: the default wijk's name
    in it becomes this wijk's ("Buurtportaal Vleuten-De Meern" → "Buurtportaal West"), or the
    wijk's name is added ("Wijkplatforms Utrecht West"; "Buurtportaal West" when
    ``MAIL_FROM`` has no name)."""
    configured = current_app.config["MAIL_FROM"]
    facts = _wijk()
    if facts is None or (not facts.mail_from_name.strip() and hosts.is_default(facts)):
        return configured
    display, address = parseaddr(configured)
    name = facts.mail_from_name.strip() or _named_for(display, facts)
    if name == display:
        return configured
    return str(Address(display_name=name, addr_spec=address))


def _named_for(display: str, facts: hosts.WijkFacts) -> str:
    if not display:
        return f"{PRODUCT} {facts.name}"
    if facts.name in display:
        return display
    known = hosts.wijken()
    default = known.by_id.get(known.default_id)
    if default is not None and default.name in display:
        return display.replace(default.name, facts.name)
    return f"{display} {facts.name}"


def public_base() -> str:
    """The portal's address for links in mail, in this wijk: ``PUBLIC_URL`` with the wijk's
    host (its scheme, port and path kept). The default wijk, which also answers on
    ``PUBLIC_URL``'s host, keeps ``PUBLIC_URL`` exactly (``make run``: http://127.0.0.1:5000)."""
    configured = current_app.config["PUBLIC_URL"].rstrip("/")
    facts = _wijk()
    if facts is None or hosts.is_default(facts):
        return configured
    base = urlsplit(configured)
    port = f":{base.port}" if base.port else ""
    return urlunsplit((base.scheme or "https", f"{facts.host}{port}", base.path, "", ""))
