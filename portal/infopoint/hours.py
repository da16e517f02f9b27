"""When a spreekuur is: "nu open tot 16:00" or "volgende spreekuur: dinsdag 10:00".

Pure: no database, no request, no clock of its own (``now`` is always passed in). An
``Opening`` is one schedule: an RFC 5545 recurrence rule ("FREQ=WEEKLY;BYDAY=TU") with the
wall-clock hours it opens and closes in Europe/Amsterdam, the days it holds, and the days its
organisation marked closed. No spreekuur takes place on a Dutch public holiday (the
``holidays`` package: Nieuwjaarsdag, Goede Vrijdag, Pasen, Koningsdag, Hemelvaartsdag,
Pinksteren, Kerstmis; Bevrijdingsdag in the years it is a day off).

Times are wall-clock times: "10:00" is 10:00 in Amsterdam in winter and in summer alike, so an
occurrence is built on its local day and only then given its offset. Moments are compared as
instants (in UTC): Python compares two datetimes of the same zone by their wall-clock, which
is wrong in the hour the clocks go back. ``now`` may be aware, or naive UTC as the portal
stores every moment (``models.base.utcnow``).
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.rrule import rrulestr

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LOOK_AHEAD = timedelta(days=120)  # no spreekuur in four months: "geen spreekuur gepland"
ANCHOR = date(2024, 1, 1)  # a Monday: where a rule without valid_from starts counting weeks
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
BYDAY = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", -1: "laatste"}


@dataclass(frozen=True)
class Opening:
    """One schedule: ``rule`` without DTSTART, hours in Europe/Amsterdam."""

    rule: str
    opens_at: time
    closes_at: time
    valid_from: date | None = None
    valid_to: date | None = None
    # its organisation's closed days: a set of days, or the days with the reason of each
    closed: frozenset[date] | Mapping[date, str] = field(default_factory=frozenset)
    place: str = ""
    key: object = None  # what the caller finds it back by (a schedule's id)


@dataclass(frozen=True)
class Occurrence:
    opening: Opening
    starts: datetime  # aware, Europe/Amsterdam
    ends: datetime

    @property
    def day(self) -> date:
        return self.starts.date()


@dataclass(frozen=True)
class Skipped:
    """An occurrence that does not take place, and why ("Koningsdag", "vakantie")."""

    opening: Opening
    day: date
    reason: str


@dataclass(frozen=True)
class Status:
    now_open: Occurrence | None
    next: Occurrence | None
    closed_today: str = ""  # the reason when a spreekuur of today does not take place
    now: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.now_open is not None

    @property
    def text(self) -> str:
        """"nu open tot 16:00", "volgende spreekuur: dinsdag 10:00", with today's closing
        first when a spreekuur of today does not take place."""
        if self.now_open is not None:
            return f"nu open tot {clock(self.now_open.ends)}"
        parts = [f"vandaag gesloten ({self.closed_today})"] if self.closed_today else []
        if self.next is not None:
            parts.append(f"volgende spreekuur: {when(self.next.starts, self.now)}")
        else:
            parts.append("geen spreekuur gepland")
        return "; ".join(parts)


# --- public holidays ---------------------------------------------------------------------------

@cache
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language="nl")


def public_holiday(day: date) -> str | None:
    """The Dutch name of the public holiday on ``day`` ("Koningsdag", "Eerste Kerstdag"), or None."""
    return _dutch_holidays(day.year).get(day)


def closed_reason(opening: Opening, day: date) -> str | None:
    """Why there is no spreekuur on ``day`` (a public holiday, a marked closed day), or None."""
    holiday = public_holiday(day)
    if holiday:
        return holiday
    if day in opening.closed:
        reason = opening.closed[day] if isinstance(opening.closed, Mapping) else ""
        return reason or "gesloten"
    return None


# --- occurrences -------------------------------------------------------------------------------

def as_utc(moment: datetime) -> datetime:
    """An aware moment in UTC; a naive one is taken as UTC (how the portal stores moments)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local(day: date, at: time) -> datetime:
    """Wall-clock ``at`` on ``day`` in Amsterdam, as an aware moment. A time that does not
    exist (in the hour skipped in March) moves on by that hour, as a clock on the wall does."""
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC).astimezone(AMSTERDAM)


def _rule(opening: Opening):
    start = datetime.combine(opening.valid_from or ANCHOR, opening.opens_at)
    return rrulestr(opening.rule, dtstart=start)


def rule_days(opening: Opening, first: date, last: date) -> list[date]:
    """The days from ``first`` to ``last`` (both included) the rule names, within the days it
    holds, closed or not."""
    if opening.valid_from and first < opening.valid_from:
        first = opening.valid_from
    if opening.valid_to and last > opening.valid_to:
        last = opening.valid_to
    if last < first:
        return []
    after = datetime.combine(first, time.min)
    before = datetime.combine(last, time.max)
    return [moment.date() for moment in _rule(opening).between(after, before, inc=True)]


def occurrences(openings: Iterable[Opening], start: datetime, end: datetime,
                skipped: list[Skipped] | None = None) -> list[Occurrence]:
    """Every occurrence that takes place and has not ended by ``start`` and starts before
    ``end``, in order; what is closed goes to ``skipped`` when given."""
    start_utc, end_utc = as_utc(start), as_utc(end)
    first = start_utc.astimezone(AMSTERDAM).date() - timedelta(days=1)
    last = end_utc.astimezone(AMSTERDAM).date()
    found = []
    for opening in openings:
        for day in rule_days(opening, first, last):
            reason = closed_reason(opening, day)
            if reason:
                if skipped is not None:
                    skipped.append(Skipped(opening, day, reason))
                continue
            occurrence = Occurrence(opening, local(day, opening.opens_at), local(day, opening.closes_at))
            if as_utc(occurrence.ends) > start_utc and as_utc(occurrence.starts) < end_utc:
                found.append(occurrence)
    return sorted(found, key=lambda o: (as_utc(o.starts), as_utc(o.ends), o.opening.place))


def status(openings: Iterable[Opening], now: datetime) -> Status:
    """Open now (and until when), else the next spreekuur, with today's closing reason."""
    openings = list(openings)
    now_utc = as_utc(now)
    skipped: list[Skipped] = []
    coming = occurrences(openings, now_utc, now_utc + LOOK_AHEAD, skipped)
    open_now = [o for o in coming if as_utc(o.starts) <= now_utc < as_utc(o.ends)]
    later = [o for o in coming if as_utc(o.starts) > now_utc]
    today = now_utc.astimezone(AMSTERDAM).date()
    closed_today = next((s.reason for s in skipped if s.day == today
                         and as_utc(local(s.day, s.opening.closes_at)) > now_utc), "")
    return Status(
        now_open=max(open_now, key=lambda o: as_utc(o.ends)) if open_now else None,
        next=later[0] if later else None,
        closed_today=closed_today,
        now=now_utc.astimezone(AMSTERDAM),
    )


def upcoming(openings: Iterable[Opening], now: datetime, days: int = 14) -> list[Occurrence]:
    """The occurrences that have not ended, in the coming ``days`` days (for the agenda)."""
    now_utc = as_utc(now)
    return occurrences(openings, now_utc, now_utc + timedelta(days=days))


def closed_days_ahead(openings: Iterable[Opening], now: datetime, days: int = 60) -> list[Skipped]:
    """The spreekuren that do not take place in the coming ``days`` days, and why."""
    skipped: list[Skipped] = []
    now_utc = as_utc(now)
    occurrences(openings, now_utc, now_utc + timedelta(days=days), skipped)
    today = now_utc.astimezone(AMSTERDAM).date()
    return sorted((s for s in skipped if s.day >= today), key=lambda s: (s.day, s.opening.place))


def is_open_at(openings: Iterable[Opening], now: datetime) -> bool:
    return status(openings, now).is_open


# --- in words ----------------------------------------------------------------------------------

def clock(moment: datetime | time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def when(starts: datetime, now: datetime | None = None) -> str:
    """"dinsdag 10:00" within the coming week, else with the date: "dinsdag 5 mei 10:00"."""
    weekday = WEEKDAYS[starts.weekday()]
    if now is not None and (starts.date() - now.astimezone(AMSTERDAM).date()).days < 7:
        return f"{weekday} {clock(starts)}"
    return f"{weekday} {starts.day} {MONTHS[starts.month - 1]} {clock(starts)}"


def day_words(day: date) -> str:
    """"maandag 27 april"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def describe(rule: str) -> str:
    """The rule in plain Dutch: "elke dinsdag", "elke dinsdag en donderdag", "om de week op
    woensdag", "elke eerste zaterdag van de maand". An unusual rule is said as it is written."""
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    freq, interval = parts.get("FREQ"), int(parts.get("INTERVAL", "1") or 1)
    days = [day for day in parts.get("BYDAY", "").split(",") if day]
    try:
        if freq == "WEEKLY" and days and all(day in BYDAY for day in days):
            names = _joined([WEEKDAYS[BYDAY[day]] for day in days])
            if interval == 1:
                return f"elke {names}"
            if interval == 2:
                return f"om de week op {names}"
            return f"elke {interval} weken op {names}"
        if freq == "MONTHLY" and len(days) == 1 and interval == 1:
            ordinal, day = int(days[0][:-2]), days[0][-2:]
            return f"elke {ORDINALS[ordinal]} {WEEKDAYS[BYDAY[day]]} van de maand"
    except (KeyError, ValueError):
        pass
    return rule


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]


def valid_rule(rule: str) -> bool:
    """A rule HSDS can carry: weekly or monthly, no DTSTART of its own, and one dateutil reads."""
    upper = rule.upper()
    if "DTSTART" in upper or not any(f"FREQ={freq}" in upper for freq in ("WEEKLY", "MONTHLY")):
        return False
    try:
        rrulestr(rule, dtstart=datetime.combine(ANCHOR, time(10)))
    except (ValueError, TypeError):
        return False
    return True


def occurrence_days(occurrences_: Iterable[Occurrence]) -> Iterator[tuple[date, list[Occurrence]]]:
    """Occurrences grouped by their local day, in order."""
    by_day: dict[date, list[Occurrence]] = {}
    for occurrence in occurrences_:
        by_day.setdefault(occurrence.day, []).append(occurrence)
    yield from by_day.items()
