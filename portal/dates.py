"""Dates as people in Vleuten-De Meern read them: Dutch words, Amsterdam time.

The database holds naive UTC; ``datum`` (a Jinja filter) shows it in Amsterdam time, so
summer and winter time come out right::

    {{ event.starts_at|datum }}                dinsdag 3 juni, 15.30 uur
    {{ event.starts_at|datum("dag") }}         dinsdag 3 juni
    {{ event.ends_at|datum("tijd") }}          17.30 uur
    {{ event.starts_at|datum("maand") }}       juni 2027
    {{ post.created_at|datum("datum") }}       3 juni 2027
    {{ post.created_at|datum("moment") }}      3 juni 2027 om 15:30
    {{ reply.created_at|datum("kort") }}       3 juni om 15:30

The words are written out here instead of asking Babel for every date: a board page shows
dozens of dates, and Babel's pattern formatting was a fifth of the page's rendering time.
``tests/test_dates.py`` checks each form against Babel's Dutch (CLDR ``nl``).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.models.base import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]

FORMATS = {
    "dag_tijd": "{weekday} {day} {month}, {hour}.{minute} uur",
    "dag_jaar_tijd": "{weekday} {day} {month} {year}, {hour}.{minute} uur",
    "dag": "{weekday} {day} {month}",
    "dag_jaar": "{weekday} {day} {month} {year}",
    "tijd": "{hour}.{minute} uur",
    "uur": "{hour}.{minute}",
    "maand": "{month} {year}",
    "datum": "{day} {month} {year}",
    "dag_maand": "{day} {month}",
    "moment": "{day} {month} {year} om {hour:02d}:{minute}",
    "kort": "{day} {month} om {hour:02d}:{minute}",
}


def datum(value: datetime | date | None, vorm: str = "dag_tijd") -> str:
    """The Jinja filter: a stored UTC time in Dutch words, in Amsterdam time. A plain date
    (a day people chose, such as a help item's ``wanted_on``) is shown as it is."""
    if value is None:
        return ""
    local = to_local(value) if isinstance(value, datetime) else datetime.combine(value, time())
    return FORMATS[vorm].format(
        weekday=WEEKDAYS[local.weekday()], day=local.day, month=MONTHS[local.month - 1],
        year=local.year, hour=local.hour, minute=f"{local.minute:02d}",
    )


def to_local(value: datetime) -> datetime:
    """Stored naive UTC → aware Europe/Amsterdam."""
    return value.replace(tzinfo=UTC).astimezone(AMSTERDAM)


def to_utc(local: datetime) -> datetime:
    """A wall-clock time in Amsterdam (naive, as typed in a form) → naive UTC for storage."""
    aware = local.replace(tzinfo=AMSTERDAM) if local.tzinfo is None else local
    return aware.astimezone(UTC).replace(tzinfo=None)


def local_day_in_utc(day: date) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of a calendar day in Amsterdam, as naive UTC. A day is
    23 or 25 hours long when the clocks change."""
    start = datetime.combine(day, time(0))
    return to_utc(start), to_utc(start + timedelta(days=1))


def local_month_in_utc(year: int, month: int) -> tuple[datetime, datetime]:
    """The start and end (exclusive) of a month in Amsterdam, as naive UTC."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    return to_utc(datetime(year, month, 1)), to_utc(datetime(next_year, next_month, 1))


def local_today(now_utc: datetime) -> date:
    return to_local(now_utc).date()


def tijdvak(starts_at: datetime, ends_at: datetime, now: datetime | None = None) -> str:
    """From when to when, in one line: "dinsdag 3 juni, 15.30 tot 17.30 uur"; with the year
    when it is not this year, and both days when it runs past midnight."""
    this_year = to_local(now or utcnow()).year
    day = "dag_jaar" if to_local(starts_at).year != this_year else "dag"
    if to_local(starts_at).date() == to_local(ends_at).date():
        return f"{datum(starts_at, day)}, {datum(starts_at, 'uur')} tot {datum(ends_at, 'tijd')}"
    return f"{datum(starts_at, day + '_tijd')} tot {datum(ends_at, day + '_tijd')}"
