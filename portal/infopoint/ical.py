"""The spreekuren as a calendar (iCalendar, RFC 5545), written the portal's one way
(``portal/calendars.py``).

Each schedule is one VEVENT that repeats: DTSTART is its first occurrence in the window (from
30 days ago, or from the day it holds), RRULE its rule (with UNTIL when it ends), and EXDATE
every occurrence in the coming year that does not take place: the Dutch public holidays and
the days the organisation marked closed. A calendar app then shows what
``portal/infopoint/hours.py`` shows; the feed is read again every day or so, so the year of
exceptions moves along.
"""

from datetime import UTC, date, datetime, time, timedelta

from icalendar import Event as CalendarEvent
from icalendar import vRecur

from portal import calendars
from portal.infopoint import hours
from portal.infopoint.service import service_openings
from portal.mail import public_url
from portal.models import Organization

PAST = timedelta(days=30)
AHEAD = timedelta(days=366)


def calendar_bytes(point: Organization | None, name: str, now: datetime) -> bytes:
    calendar = calendars.new_calendar(name)
    entries, (first, last) = spreekuren(point, now)
    for entry in entries:
        calendar.add_component(entry)
    if entries:
        calendars.add_zone(calendar, first, last)
    return calendar.to_ical()


def spreekuren(point: Organization | None, now: datetime) -> tuple[list[CalendarEvent], tuple[date, date]]:
    """The spreekuren of the wijkinformatiepunt as repeating events, and the days they span
    (for the time zone's definition); ``/agenda.ics`` has them too."""
    today = hours.as_utc(now).astimezone(hours.AMSTERDAM).date()
    first, last = today - PAST, today + AHEAD
    entries = [
        entry
        for service in (point.services if point else []) if service.status == "active"
        for opening in service_openings(service, point)
        if (entry := _entry(point, service, opening, first, last, now)) is not None
    ]
    return entries, (first, last)


def _entry(point, service, opening: hours.Opening, first, last, now) -> CalendarEvent | None:
    days = hours.rule_days(opening, first, last)
    if not days:
        return None
    start = days[0]
    entry = CalendarEvent()
    entry.add("uid", f"spreekuur-{opening.key}@{calendars.host()}")
    entry.add("dtstamp", hours.as_utc(now).replace(tzinfo=UTC))
    entry.add("dtstart", hours.local(start, opening.opens_at))
    entry.add("dtend", hours.local(start, opening.closes_at))
    rule = vRecur.from_ical(opening.rule)
    if opening.valid_to:
        rule["UNTIL"] = hours.local(opening.valid_to, time(23, 59)).astimezone(UTC)
    entry.add("rrule", rule)
    closed = [hours.local(day, opening.opens_at) for day in days if hours.closed_reason(opening, day)]
    if closed:
        entry.add("exdate", closed)
    entry.add("summary", f"{service.name}: {point.name}")
    entry.add("location", _where(point, opening))
    entry.add("description", f"{hours.describe(opening.rule)}, {hours.clock(opening.opens_at)} tot "
                             f"{hours.clock(opening.closes_at)}. Niet op feestdagen.\n\n"
                             f"Meer informatie: {public_url('infopoint.infopoint')}")
    entry.add("url", public_url("infopoint.infopoint"))
    return entry


def _where(point: Organization, opening: hours.Opening) -> str:
    location = next((loc for loc in point.locations if loc.name == opening.place), None)
    return ", ".join(part for part in (opening.place, location.address if location else "") if part)
