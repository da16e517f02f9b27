"""How the portal writes iCalendar files (RFC 5545): one way for the agenda
(``portal/events/ical.py``) and the spreekuren (``portal/infopoint/ical.py``).

Times go out as wall-clock times in Europe/Amsterdam with ``TZID`` and a matching
``VTIMEZONE`` (built by ``icalendar`` from the tz database, for the years the file spans), so
calendars that do not know the zone still show 15.30 on both sides of the clock change.
"""

from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import make_response
from icalendar import Calendar

from portal.wijken.settings import PRODUCT, public_base, wijk_name

ZONE = "Europe/Amsterdam"


def prodid() -> str:
    """The calendar's maker, named after the current wijk: ``-//Buurtportaal West//Agenda//NL``."""
    return f"-//{PRODUCT} {wijk_name()}//Agenda//NL"


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", ZONE)
    return calendar


def add_zone(calendar: Calendar, first: date, last: date) -> None:
    """The zone's rules for the years from ``first`` to ``last`` (plus a margin), not
    1970-2038: a small file stays small."""
    margin = timedelta(days=366)
    calendar.add_missing_timezones(first_date=first - margin, last_date=last + margin)


def host() -> str:
    """The wijk's host in every UID (the default wijk: ``PUBLIC_URL``'s, as before)."""
    return urlsplit(public_base()).hostname or "localhost"


def response(body: bytes, filename: str, inline: bool = False):
    """A calendar file: inline for a feed a calendar app subscribes to, else a download."""
    answer = make_response(body)
    answer.mimetype = "text/calendar"
    answer.charset = "utf-8"
    disposition = "inline" if inline else "attachment"
    answer.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    answer.cache_control.public = True
    answer.cache_control.max_age = 300
    return answer
