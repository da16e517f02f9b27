"""Dutch dates written out by portal/dates.py say exactly what Babel's Dutch (CLDR ``nl``)
says, in Amsterdam time, summer and winter time included."""

from datetime import datetime

import pytest
from babel.dates import format_datetime
from hypothesis import given
from hypothesis import strategies as st

from portal.dates import FORMATS, datum, to_local

BABEL_PATTERNS = {
    "dag_tijd": "EEEE d MMMM, H.mm 'uur'",
    "dag_jaar_tijd": "EEEE d MMMM yyyy, H.mm 'uur'",
    "dag": "EEEE d MMMM",
    "dag_jaar": "EEEE d MMMM yyyy",
    "tijd": "H.mm 'uur'",
    "uur": "H.mm",
    "maand": "LLLL yyyy",
    "datum": "d MMMM y",
    "dag_maand": "d MMMM",
    "moment": "d MMMM y 'om' HH:mm",
    "kort": "d MMMM 'om' HH:mm",
}

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31))


def test_every_form_is_compared_with_babel():
    assert BABEL_PATTERNS.keys() == FORMATS.keys()


@given(moments, st.sampled_from(sorted(FORMATS)))
def test_the_words_are_babels_dutch(moment, form):
    assert datum(moment, form) == format_datetime(to_local(moment), BABEL_PATTERNS[form], locale="nl")


@pytest.mark.parametrize(("stored_utc", "form", "shown"), [
    (datetime(2027, 6, 1, 13, 30), "dag_tijd", "dinsdag 1 juni, 15.30 uur"),  # summer: +2
    (datetime(2027, 1, 5, 8, 5), "moment", "5 januari 2027 om 09:05"),  # winter: +1
    (datetime(2027, 3, 28, 0, 59), "tijd", "1.59 uur"),  # the last minute before the clocks change
    (datetime(2027, 3, 28, 1, 0), "tijd", "3.00 uur"),
    (datetime(2027, 12, 31, 23, 30), "maand", "januari 2028"),
])
def test_examples_people_read(stored_utc, form, shown):
    assert datum(stored_utc, form) == shown


def test_no_date_is_an_empty_text():
    assert datum(None) == ""
