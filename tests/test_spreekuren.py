"""The spreekuren at frozen moments (``portal/infopoint/hours.py``, a pure function): open or
the next one, around a Tuesday's opening, Koningsdag, Christmas, a day marked closed, and the
two nights the clocks change; and the rules in plain Dutch."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from portal.infopoint import hours
from portal.infopoint.hours import AMSTERDAM, Opening

TUESDAY = Opening("FREQ=WEEKLY;BYDAY=TU", time(10), time(12), place="De Pijler")
THURSDAY = Opening("FREQ=WEEKLY;BYDAY=TH", time(13), time(16), place="De Schakel")
SPREEKUREN = [TUESDAY, THURSDAY]


def at(*parts) -> datetime:
    """A wall-clock moment in Amsterdam."""
    return datetime(*parts, tzinfo=AMSTERDAM)


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def text(moment, openings=SPREEKUREN) -> str:
    return hours.status(openings, moment).text


def test_a_tuesday_one_minute_before_and_at_ten():
    assert text(at(2026, 6, 2, 9, 59)) == "volgende spreekuur: dinsdag 10:00"
    assert text(at(2026, 6, 2, 10, 0)) == "nu open tot 12:00"
    assert text(at(2026, 6, 2, 11, 59)) == "nu open tot 12:00"
    assert text(at(2026, 6, 2, 12, 0)) == "volgende spreekuur: donderdag 13:00"
    assert text(at(2026, 6, 4, 15, 0)) == "nu open tot 16:00"


def test_naive_moments_are_utc_as_the_portal_stores_them():
    assert text(datetime(2026, 6, 2, 7, 59)) == "volgende spreekuur: dinsdag 10:00"  # 09:59 CEST
    assert text(datetime(2026, 6, 2, 8, 0)) == "nu open tot 12:00"


def test_the_next_one_more_than_a_week_away_has_its_date():
    only_tuesday = [TUESDAY]
    assert text(at(2026, 6, 2, 12, 30), only_tuesday) == "volgende spreekuur: dinsdag 9 juni 10:00"


def test_koningsdag_closes_the_tuesday_spreekuur():
    assert hours.public_holiday(date(2027, 4, 27)) == "Koningsdag"
    status = hours.status(SPREEKUREN, at(2027, 4, 27, 10, 30))
    assert not status.is_open
    assert status.text == "vandaag gesloten (Koningsdag); volgende spreekuur: donderdag 13:00"
    assert text(at(2027, 4, 26, 12, 0)) == "volgende spreekuur: donderdag 13:00"  # the Monday before


def test_christmas_closes_the_thursday_spreekuur():
    status = hours.status(SPREEKUREN, at(2025, 12, 25, 14, 0))  # a Thursday
    assert not status.is_open
    assert status.closed_today == "Eerste kerstdag"
    assert status.next.starts == at(2025, 12, 30, 10, 0)
    assert status.text.endswith("volgende spreekuur: dinsdag 10:00")


def test_after_closing_time_a_closed_day_is_not_mentioned_any_more():
    assert text(at(2027, 4, 27, 12, 30)) == "volgende spreekuur: donderdag 13:00"


def test_a_day_the_staff_marked_closed():
    closed = Opening(TUESDAY.rule, TUESDAY.opens_at, TUESDAY.closes_at, closed=frozenset({date(2026, 6, 2)}))
    status = hours.status([closed, THURSDAY], at(2026, 6, 2, 10, 30))
    assert status.text == "vandaag gesloten (gesloten); volgende spreekuur: donderdag 13:00"


def test_the_night_the_clocks_go_forward():
    """Sunday 29 March 2026, 02:00 CET becomes 03:00 CEST: Tuesday's 10:00 is 08:00 UTC now,
    a week earlier it was 09:00 UTC."""
    before = hours.status([TUESDAY], utc(2026, 3, 29, 0, 30))  # 01:30 CET
    after = hours.status([TUESDAY], utc(2026, 3, 29, 1, 30))  # 03:30 CEST
    for status in (before, after):
        assert status.text == "volgende spreekuur: dinsdag 10:00"
        assert status.next.starts.astimezone(UTC) == utc(2026, 3, 31, 8, 0)
    assert hours.status([TUESDAY], utc(2026, 3, 24, 9, 0)).text == "nu open tot 12:00"
    assert hours.status([TUESDAY], utc(2026, 3, 31, 8, 0)).text == "nu open tot 12:00"
    assert hours.status([TUESDAY], utc(2026, 3, 31, 7, 59)).text == "volgende spreekuur: dinsdag 10:00"


def test_the_night_the_clocks_go_back():
    """Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET: 02:30 happens twice; both times
    the next spreekuur is Tuesday 10:00 CET, 09:00 UTC."""
    first, second = utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)
    assert first.astimezone(AMSTERDAM).strftime("%H:%M") == second.astimezone(AMSTERDAM).strftime("%H:%M")
    for moment in (first, second):
        status = hours.status([TUESDAY], moment)
        assert status.text == "volgende spreekuur: dinsdag 10:00"
        assert status.next.starts.astimezone(UTC) == utc(2026, 10, 27, 9, 0)
    assert hours.status([TUESDAY], utc(2026, 10, 27, 8, 59)).text == "volgende spreekuur: dinsdag 10:00"
    assert hours.status([TUESDAY], utc(2026, 10, 27, 9, 0)).text == "nu open tot 12:00"


def test_an_opening_across_the_change_counts_real_hours():
    """A night opening from 01:00 to 04:00 on the night the clocks go back lasts four hours;
    one on the night they go forward two."""
    night = Opening("FREQ=WEEKLY;BYDAY=SU", time(1), time(4))
    [back] = hours.occurrences([night], utc(2026, 10, 24, 12), utc(2026, 10, 25, 12))
    [forward] = hours.occurrences([night], utc(2026, 3, 28, 12), utc(2026, 3, 29, 12))
    assert back.ends.astimezone(UTC) - back.starts.astimezone(UTC) == timedelta(hours=4)
    assert forward.ends.astimezone(UTC) - forward.starts.astimezone(UTC) == timedelta(hours=2)
    assert hours.status([night], utc(2026, 10, 25, 2, 30)).text == "nu open tot 04:00"  # 03:30 CET


def test_a_time_that_does_not_exist_moves_on_by_the_skipped_hour():
    assert hours.local(date(2026, 3, 29), time(2, 30)) == at(2026, 3, 29, 3, 30)


def test_valid_from_and_to():
    summer = Opening("FREQ=WEEKLY;BYDAY=TU", time(10), time(12), valid_from=date(2026, 7, 1),
                     valid_to=date(2026, 7, 31))
    assert text(at(2026, 6, 2, 10, 30), [summer]) == "volgende spreekuur: dinsdag 7 juli 10:00"
    assert text(at(2026, 7, 28, 12, 30), [summer]) == "geen spreekuur gepland"


def test_every_other_week_counts_from_valid_from():
    fortnight = Opening("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", time(10), time(12), valid_from=date(2026, 6, 2))
    days = [o.day for o in hours.occurrences([fortnight], at(2026, 6, 1), at(2026, 7, 1))]
    assert days == [date(2026, 6, 2), date(2026, 6, 16), date(2026, 6, 30)]


def test_monthly_first_saturday():
    repair = Opening("FREQ=MONTHLY;BYDAY=1SA", time(10), time(13))
    days = [o.day for o in hours.occurrences([repair], at(2026, 6, 1), at(2026, 9, 1))]
    assert days == [date(2026, 6, 6), date(2026, 7, 4), date(2026, 8, 1)]


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=WEEKLY;BYDAY=TU", "elke dinsdag"),
    ("FREQ=WEEKLY;BYDAY=TU,TH", "elke dinsdag en donderdag"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "elke maandag, woensdag en vrijdag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "om de week op woensdag"),
    ("FREQ=MONTHLY;BYDAY=1SA", "elke eerste zaterdag van de maand"),
    ("FREQ=MONTHLY;BYDAY=-1FR", "elke laatste vrijdag van de maand"),
])
def test_rules_in_plain_dutch(rule, words):
    assert hours.describe(rule) == words


@pytest.mark.parametrize(("rule", "valid"), [
    ("FREQ=WEEKLY;BYDAY=TU", True),
    ("FREQ=MONTHLY;BYDAY=1SA", True),
    ("FREQ=DAILY", False),  # HSDS carries weekly and monthly rules only
    ("FREQ=WEEKLY;BYDAY=XX", False),
    ("DTSTART:20260101T100000\nRRULE:FREQ=WEEKLY", False),
])
def test_valid_rules(rule, valid):
    assert hours.valid_rule(rule) is valid
