"""Calendar files (iCalendar, RFC 5545) for the agenda and for one event, written the
portal's one way (``portal/calendars.py``): wall-clock times in Europe/Amsterdam with ``TZID``
and a matching ``VTIMEZONE``.
"""

from datetime import UTC

from icalendar import Event as CalendarEvent

from portal import calendars
from portal.dates import to_local
from portal.mail import public_url
from portal.models import Event
from portal.models.base import utcnow


def calendar_bytes(events: list[Event], name: str, also=((), None)) -> bytes:
    """The events; ``also``: more entries and the days they span (the agenda's feed adds the
    wijkinformatiepunt's spreekuren, ``portal/infopoint/ical.py``)."""
    calendar = calendars.new_calendar(name)
    more, span = also
    for event in events:
        calendar.add_component(_calendar_event(event))
    for entry in more:
        calendar.add_component(entry)
    days = [day for event in events for day in (event.starts_at.date(), event.ends_at.date())]
    if more:
        days.extend(span)
    if days:
        calendars.add_zone(calendar, min(days), max(days))
    return calendar.to_ical()


def _calendar_event(event: Event) -> CalendarEvent:
    entry = CalendarEvent()
    entry.add("uid", f"bijeenkomst-{event.id}@{calendars.host()}")
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
