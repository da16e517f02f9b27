"""Calendar files (iCalendar, RFC 5545) for the agenda and for one event.

Times go out as wall-clock times in Europe/Amsterdam with ``TZID`` and a matching
``VTIMEZONE`` (built by ``icalendar`` from the tz database), so calendars that do not know
the zone still show 15.30 on both sides of the clock change.
"""

from datetime import UTC, timedelta
from urllib.parse import urlsplit

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from portal.dates import to_local
from portal.mail import public_url
from portal.models import Event
from portal.models.base import utcnow
from portal.wijken.settings import PRODUCT, public_base, wijk_name


def prodid() -> str:
    """The calendar's maker, named after the current wijk: ``-//Buurtportaal West//Agenda//NL``."""
    return f"-//{PRODUCT} {wijk_name()}//Agenda//NL"


def calendar_bytes(events: list[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", prodid())
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    for event in events:
        calendar.add_component(_calendar_event(event))
    if events:
        # The zone's rules for the years these events span (plus a margin), not 1970-2038:
        # a one-event file stays small.
        first = min(event.starts_at for event in events).date() - timedelta(days=366)
        last = max(event.ends_at for event in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def _calendar_event(event: Event) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"bijeenkomst-{event.id}@{_host()}")
    entry.add("dtstamp", (event.updated_at or utcnow()).replace(tzinfo=UTC))
    entry.add("dtstart", to_local(event.starts_at))
    entry.add("dtend", to_local(event.ends_at))
    entry.add("summary", event.title)
    entry.add("description", _description(event))
    entry.add("location", event.location)
    entry.add("url", public_url("events.event", event_id=event.id))
    return entry


def _description(event: Event) -> str:
    """No ORGANIZER property: that would make calendar apps offer to mail replies to it."""
    parts = [event.description.strip()] if event.description else []
    if event.organiser_label:
        parts.append(f"Organisatie: {event.organiser_label}")
    parts.append(f"Meer informatie en aanmelden: {public_url('events.event', event_id=event.id)}")
    return "\n\n".join(parts)


def _host() -> str:
    """The wijk's host for an event's UID (the default wijk: ``PUBLIC_URL``'s, as before)."""
    return urlsplit(public_base()).hostname or "localhost"
