"""Agenda: the list, the event page, sign-up on both paths, the waiting list, the last-seat
race, organisers' forms, the attendee list, Dutch dates and iCal across the clock changes,
and the printable month."""

import contextvars
import re
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import event as sa_event

from portal.database import commit
from portal.dates import datum, local_day_in_utc, tijdvak, to_utc
from portal.events import service
from portal.extensions import db
from portal.models import Event, Registration, Role, User
from portal.models.base import utcnow
from tests.budgets import FRAGMENT_BUDGET, assert_no_third_party, assert_within_budget
from tests.conftest import htmx_headers, login
from tests.factories import make_event, make_registration, make_user

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _registrations(event) -> list[Registration]:
    return list(db.session.scalars(
        db.select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)))


# --- Dutch dates, Amsterdam time --------------------------------------------------------


def test_the_dutch_date_of_the_original_meeting(app):
    """De Pijler, dinsdag 3 juni 2025, 15.30 (13.30 UTC in summer time)."""
    assert datum(datetime(2025, 6, 3, 13, 30)) == "dinsdag 3 juni, 15.30 uur"


@pytest.mark.parametrize(("utc", "shown"), [
    # Spring: the clocks go forward on Sunday 28 March 2027 at 02.00.
    (datetime(2027, 3, 27, 14, 30), "zaterdag 27 maart, 15.30 uur"),  # winter time, UTC+1
    (datetime(2027, 3, 28, 0, 59), "zondag 28 maart, 1.59 uur"),
    (datetime(2027, 3, 28, 1, 0), "zondag 28 maart, 3.00 uur"),  # 2.00 does not exist
    (datetime(2027, 3, 29, 13, 30), "maandag 29 maart, 15.30 uur"),  # summer time, UTC+2
    # Autumn: the clocks go back on Sunday 31 October 2027 at 03.00.
    (datetime(2027, 10, 30, 13, 30), "zaterdag 30 oktober, 15.30 uur"),
    (datetime(2027, 11, 1, 14, 30), "maandag 1 november, 15.30 uur"),
])
def test_dutch_dates_on_both_sides_of_the_clock_change(app, utc, shown):
    assert datum(utc) == shown


def test_date_formats_for_headings_and_times(app):
    assert datum(datetime(2026, 12, 8, 14, 30), "maand") == "december 2026"
    assert datum(datetime(2026, 12, 8, 14, 30), "tijd") == "15.30 uur"
    assert datum(None) == ""


def test_tijdvak_shows_one_day_or_two(app):
    now = datetime(2027, 1, 1)
    assert tijdvak(datetime(2027, 6, 1, 13, 30), datetime(2027, 6, 1, 15, 30), now=now) == (
        "dinsdag 1 juni, 15.30 tot 17.30 uur")
    assert tijdvak(datetime(2027, 6, 5, 18, 0), datetime(2027, 6, 5, 23, 0), now=now) == (
        "zaterdag 5 juni, 20.00 uur tot zondag 6 juni, 1.00 uur")
    assert tijdvak(datetime(2028, 6, 1, 13, 30), datetime(2028, 6, 1, 15, 30), now=now) == (
        "donderdag 1 juni 2028, 15.30 tot 17.30 uur")


def test_amsterdam_days_are_23_and_25_hours_long_when_the_clocks_change():
    start, end = local_day_in_utc(date(2027, 3, 28))
    assert (start, end - start) == (datetime(2027, 3, 27, 23, 0), timedelta(hours=23))
    start, end = local_day_in_utc(date(2027, 10, 31))
    assert (start, end - start) == (datetime(2027, 10, 30, 22, 0), timedelta(hours=25))


# --- the agenda and the event page -------------------------------------------------------


def test_agenda_lists_upcoming_events_by_month_in_dutch(client):
    make_event("Repair café", starts_at=to_utc(datetime(2027, 1, 9, 10, 0)), registration_required=False)
    make_event("Netwerkbijeenkomst", starts_at=to_utc(datetime(2026, 12, 8, 15, 30)), capacity=60)
    make_event("Al geweest", starts_at=utcnow() - timedelta(days=2))
    html = client.get("/agenda").get_data(as_text=True)
    assert "Al geweest" not in html
    december = html.index("December 2026")
    assert december < html.index("dinsdag 8 december, 15.30 uur") < html.index("Netwerkbijeenkomst")
    assert html.index("Netwerkbijeenkomst") < html.index("Januari 2027") < html.index("Repair café")
    assert "Nog 60 plaatsen vrij." in html
    assert "Aanmelden is niet nodig." in html


def test_agenda_without_events_says_so(client):
    assert "Er staan nu geen bijeenkomsten in de agenda" in client.get("/agenda").get_data(as_text=True)


def test_agenda_uses_a_fixed_number_of_queries(app, client):
    for n in range(12):
        event = make_event(f"Bijeenkomst {n}", capacity=5)
        make_registration(event, make_user())
    statements = []

    def count(*_args):
        statements.append(1)

    sa_event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/agenda")
        few = len(statements)
        for n in range(12):
            make_event(f"Nog een {n}", capacity=5)
        statements.clear()
        client.get("/agenda")
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == few


def test_event_page_shows_place_time_and_free_seats(client):
    event = make_event("Netwerkbijeenkomst Wijkalliantie", starts_at=to_utc(datetime(2026, 12, 8, 15, 30)),
                       place_name="De Pijler", room="zaal 1-2-3", capacity=60,
                       organiser_name="Netwerk Wijkalliantie Seniorvriendelijk Vleuten-De Meern")
    make_registration(event, make_user())
    html = client.get(f"/agenda/{event.id}").get_data(as_text=True)
    assert "dinsdag 8 december, 15.30 tot 17.30 uur" in html
    assert "De Pijler, zaal 1-2-3" in html
    assert "Nog 59 van de 60 plaatsen vrij." in html
    assert "Log in om u aan te melden" in html
    assert f'href="/agenda/{event.id}.ics"' in html
    assert client.get("/agenda/99999").status_code == 404


# --- sign-up and cancel, both paths ------------------------------------------------------


def test_sign_up_without_javascript_redirects_to_the_event(client):
    riet = make_user()
    event = make_event(capacity=10)
    login(client, riet)
    response = client.post(f"/agenda/{event.id}/aanmelden")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/agenda/{event.id}")
    page = client.get(f"/agenda/{event.id}").get_data(as_text=True)
    assert "U bent aangemeld. Tot dan!" in page  # the flash
    assert "Nog 9 van de 10 plaatsen vrij." in page
    assert [(r.user_id, r.status) for r in _registrations(event)] == [(riet.id, "confirmed")]

    again = client.post(f"/agenda/{event.id}/aanmelden", follow_redirects=True)
    assert "U was al aangemeld." in again.get_data(as_text=True)
    assert len(_registrations(event)) == 1

    cancel = client.post(f"/agenda/{event.id}/afmelden")
    assert cancel.status_code == 303
    assert "U bent afgemeld." in client.get(f"/agenda/{event.id}").get_data(as_text=True)
    assert _registrations(event) == []


def test_sign_up_with_htmx_swaps_the_box_and_announces(client):
    event = make_event(capacity=10)
    login(client, make_user())
    response = client.post(f"/agenda/{event.id}/aanmelden", headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "U bent aangemeld." in html and 'data-focus-after-swap' in html
    assert 'hx-swap-oob="innerHTML:#meldingen"' in html and "Tot dan!" in html
    assert f'hx-post="/agenda/{event.id}/afmelden"' in html
    assert len(response.get_data()) <= FRAGMENT_BUDGET
    assert "HX-Request" in response.headers["Vary"]

    cancel = client.post(f"/agenda/{event.id}/afmelden", headers=htmx_headers())
    html = cancel.get_data(as_text=True)
    assert "U bent afgemeld." in html
    assert f'hx-post="/agenda/{event.id}/aanmelden"' in html


def test_a_boosted_request_gets_the_whole_page_after_redirect(client):
    event = make_event(capacity=10)
    login(client, make_user())
    response = client.post(f"/agenda/{event.id}/aanmelden", headers=htmx_headers(**{"HX-Boosted": "true"}))
    assert response.status_code == 303


def test_signed_out_sign_up_goes_to_the_sign_in_page_and_back(client):
    event = make_event(capacity=10)
    response = client.post(f"/agenda/{event.id}/aanmelden")
    assert response.status_code == 303
    assert f"/inloggen?next=/agenda/{event.id}" in response.headers["Location"].replace("%2F", "/")
    with_htmx = client.post(f"/agenda/{event.id}/aanmelden", headers=htmx_headers())
    assert with_htmx.headers["HX-Redirect"].startswith("/inloggen?next=")
    assert _registrations(event) == []


def test_no_sign_up_when_not_needed_or_over(client):
    walk_in = make_event(registration_required=False)
    over = make_event(starts_at=utcnow() - timedelta(hours=1))
    login(client, make_user())
    for event in (walk_in, over):
        page = client.post(f"/agenda/{event.id}/aanmelden", follow_redirects=True).get_data(as_text=True)
        assert "kunt u zich niet (meer) aanmelden" in page
        assert _registrations(event) == []
    assert "Aanmelden is niet nodig" in client.get(f"/agenda/{walk_in.id}").get_data(as_text=True)
    assert "Aanmelden kan niet meer" in client.get(f"/agenda/{over.id}").get_data(as_text=True)


# --- the waiting list ---------------------------------------------------------------------


def test_a_full_event_puts_people_on_the_waiting_list_and_moves_them_up(client):
    riet, kees, ans, piet = (make_user() for _ in range(4))
    event = make_event(capacity=2)
    service.sign_up(event.id, riet)
    service.sign_up(event.id, kees)

    login(client, ans)
    page = client.post(f"/agenda/{event.id}/aanmelden", follow_redirects=True).get_data(as_text=True)
    assert "U staat op de wachtlijst" in page and "(plaats 1)" in page
    assert service.sign_up(event.id, piet).registration.status == "waiting"

    result = service.cancel(event.id, riet)
    assert result.cancelled is not None
    assert [r.user_id for r in result.promoted] == [ans.id]  # first come, first served
    statuses = {r.user_id: r.status for r in _registrations(event)}
    assert statuses == {kees.id: "confirmed", ans.id: "confirmed", piet.id: "waiting"}
    assert "U bent aangemeld." in client.get(f"/agenda/{event.id}").get_data(as_text=True)


def test_leaving_the_waiting_list_frees_no_seat(client):
    riet, kees, ans = make_user(), make_user(), make_user()
    event = make_event(capacity=1)
    service.sign_up(event.id, riet)
    service.sign_up(event.id, kees)
    service.sign_up(event.id, ans)
    login(client, kees)
    page = client.post(f"/agenda/{event.id}/afmelden", follow_redirects=True).get_data(as_text=True)
    assert "U staat niet meer op de wachtlijst." in page
    assert {r.user_id: r.status for r in _registrations(event)} == {riet.id: "confirmed", ans.id: "waiting"}


def test_a_neighbour_signed_up_by_name_takes_a_seat(app):
    verbinder, riet = make_user(name="Sonja"), make_user()
    event = make_event(capacity=1)
    guest = service.sign_up(event.id, guest_name="Mevrouw Jansen", registered_by=verbinder).registration
    assert (guest.status, guest.user_id, guest.registered_by_id) == ("confirmed", None, verbinder.id)
    assert service.sign_up(event.id, riet).registration.status == "waiting"
    promoted = service.cancel_registration(guest.id).promoted
    assert [r.user_id for r in promoted] == [riet.id]
    with pytest.raises(ValueError):
        service.sign_up(event.id, guest_name="  ")


def test_more_seats_after_an_edit_move_people_up(client):
    moderator = make_user(role=Role.MODERATOR)
    event = make_event(capacity=1, starts_at=to_utc(datetime(2027, 5, 4, 15, 30)))
    people = [make_user() for _ in range(3)]
    for person in people:
        service.sign_up(event.id, person)
    login(client, moderator)
    response = client.post(f"/agenda/{event.id}/bewerken", data=_form(event, capacity="3"))
    assert response.status_code == 303
    assert "Van de wachtlijst zijn 2 mensen aangemeld." in client.get(
        f"/agenda/{event.id}").get_data(as_text=True)
    assert [r.status for r in _registrations(event)] == ["confirmed"] * 3


# --- the last seat ------------------------------------------------------------------------


@contextmanager
def slow_seat_counts():
    """Pause after every count of seats: without a lock, every thread would count before
    any of them writes."""
    def pause_after_counting(_conn, _cursor, statement, *_args):
        if "count(*)" in statement and "FROM registrations" in statement:
            time.sleep(0.05)

    sa_event.listen(db.engine, "after_cursor_execute", pause_after_counting)
    try:
        yield
    finally:
        sa_event.remove(db.engine, "after_cursor_execute", pause_after_counting)


def _run_together(actions) -> None:
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_two_sign_ups_for_the_last_seat_never_both_get_it(app):
    """Eight people press "Aanmelden" at the same moment for three seats, on a real SQLite
    file, each in a thread with its own connection. Exactly three get a seat.

    Each seat count is followed by a short pause, so that without the lock in
    ``service._lock_event`` all eight would count "0 taken" before anyone writes, and all
    eight would get a seat (remove the lock and this test fails). The pause only widens the
    window for the race; the outcome does not depend on timing."""
    event_id = make_event(capacity=3).id  # threads touch ids only, never the test's session
    user_ids = [make_user().id for _ in range(8)]
    db.session.commit()  # the test holds no transaction (so no SQLite write lock) while threads write
    start = threading.Barrier(len(user_ids))
    errors = []

    def press_sign_up(user_id: int):
        with app.app_context():
            try:
                start.wait()  # before any query: outside requests every transaction takes the write lock
                service.sign_up(event_id, db.session.get(User, user_id))
                commit()  # as the request would
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    with slow_seat_counts():
        _run_together([lambda uid=uid: press_sign_up(uid) for uid in user_ids])

    assert errors == []
    assert Counter(r.status for r in _registrations(db.session.get(Event, event_id))) == {
        "confirmed": 3, "waiting": 5}


def test_cancel_and_sign_up_at_once_never_overfill(app):
    """One person cancels while others sign up: the freed seat goes to exactly one."""
    event = make_event(capacity=1)
    event_id, leaving_id = event.id, make_user().id  # threads touch ids only
    service.sign_up(event_id, db.session.get(User, leaving_id))
    waiting = [make_user().id for _ in range(4)]
    for user_id in waiting[:2]:
        service.sign_up(event_id, db.session.get(User, user_id))
    db.session.commit()  # no open transaction (no SQLite write lock) while threads write
    start = threading.Barrier(3)
    errors = []

    def run(action):
        with app.app_context():
            try:
                start.wait()
                action()
                commit()  # as the request would
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    actions = [
        lambda: service.cancel(event_id, db.session.get(User, leaving_id)),
        lambda: service.sign_up(event_id, db.session.get(User, waiting[2])),
        lambda: service.sign_up(event_id, db.session.get(User, waiting[3])),
    ]
    with slow_seat_counts():
        _run_together([lambda action=action: run(action) for action in actions])
    assert errors == []
    registrations = _registrations(event)
    assert Counter(r.status for r in registrations) == {"confirmed": 1, "waiting": 3}
    confirmed = next(r for r in registrations if r.status == "confirmed")
    assert confirmed.user_id == waiting[0]  # the longest waiting, not a newcomer


# --- organisers: create and edit ---------------------------------------------------------


def _form(event=None, **changes) -> dict:
    data = {
        "title": "Wijkdialoog", "description": "Samen praten over de wijk.",
        "starts_at": "2027-03-27T15:30", "ends_at": "2027-03-27T17:00",
        "place_name": "De Schakel", "room": "Theaterzaal", "address": "",
        "organiser_name": "Wijkbureau", "theme_name": "verkeer", "neighbourhood_id": "",
        "registration_required": "y", "capacity": "40",
    }
    if event is not None:
        data.update(title=event.title, place_name=event.place_name)
    data.update(changes)
    return data


def test_only_moderators_and_admins_create_events(client):
    assert client.get("/agenda/nieuw").status_code == 302  # to the sign-in page
    login(client, make_user())
    assert client.get("/agenda/nieuw").status_code == 403
    assert client.post("/agenda/nieuw", data=_form()).status_code == 403
    assert "Nieuwe bijeenkomst" not in client.get("/agenda").get_data(as_text=True)


def test_a_moderator_creates_an_event_in_amsterdam_time(client):
    moderator = make_user(role=Role.MODERATOR)
    login(client, moderator)
    assert "Nieuwe bijeenkomst" in client.get("/agenda").get_data(as_text=True)
    before = client.post("/agenda/nieuw", data=_form(starts_at="2027-03-27T15:30",
                                                     ends_at="2027-03-27T17:00"))
    after = client.post("/agenda/nieuw", data=_form(starts_at="2027-03-29T15:30",
                                                    ends_at="2027-03-29T17:00"))
    assert before.status_code == after.status_code == 303
    first, second = db.session.scalars(db.select(Event).order_by(Event.id)).all()
    assert first.starts_at == datetime(2027, 3, 27, 14, 30)  # winter time, UTC+1
    assert second.starts_at == datetime(2027, 3, 29, 13, 30)  # summer time, UTC+2
    assert (first.organiser_id, first.capacity, first.room) == (moderator.id, 40, "Theaterzaal")
    page = client.get(before.headers["Location"]).get_data(as_text=True)
    assert "De bijeenkomst staat in de agenda." in page
    assert re.search(r"zaterdag 27 maart( 2027)?, 15\.30 tot 17\.00 uur", page)


def test_the_event_form_explains_errors_in_dutch_and_keeps_the_text(client):
    login(client, make_user(role=Role.ADMIN))
    response = client.post("/agenda/nieuw", data=_form(
        title="Mijn eigen titel", ends_at="2027-03-27T15:00", place_name="", starts_at="2027-03-27T15:30"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Het einde moet na het begin liggen." in html
    assert 'id="ends_at-error"' in html and 'aria-describedby="ends_at-error"' in html
    assert "Vul dit veld in." in html
    assert 'value="Mijn eigen titel"' in html
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0

    wrong = client.post("/agenda/nieuw", data=_form(starts_at="morgen", capacity="0"))
    html = wrong.get_data(as_text=True)
    assert "Vul een datum en tijd in" in html
    assert "Vul een aantal tussen 1 en 10.000 in." in html

    no_sign_up = client.post("/agenda/nieuw", data=_form(registration_required="", capacity="10"))
    assert "kan alleen als aanmelden nodig is" in no_sign_up.get_data(as_text=True)


def test_an_event_can_belong_to_a_group_and_shows_on_its_page(client):
    from tests.test_groups import make_group

    group = make_group("Werkgroep Groen")
    login(client, make_user(role=Role.MODERATOR))
    form = client.get("/agenda/nieuw").get_data(as_text=True)
    assert "Hoort bij een groep" in form and ">Werkgroep Groen</option>" in form
    made = client.post("/agenda/nieuw", data=_form(title="Plantdag", group_id=str(group.id)))
    assert made.status_code == 303
    event = db.session.scalar(db.select(Event).where(Event.title == "Plantdag"))
    assert event.group_id == group.id
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert f'href="/groepen/{group.slug}">Werkgroep Groen</a>' in page
    assert "Plantdag" in client.get(f"/groepen/{group.slug}").get_data(as_text=True)
    assert client.post("/agenda/nieuw", data=_form(group_id="999999")).status_code == 422  # no such group
    edited = client.post(f"/agenda/{event.id}/bewerken", data=_form(event, group_id=""))
    assert edited.status_code == 303
    db.session.refresh(event)
    assert event.group_id is None


def test_editing_shows_and_keeps_local_times(client):
    event = make_event("Lentewandeling", starts_at=to_utc(datetime(2027, 4, 3, 14, 0)), capacity=25)
    login(client, make_user(role=Role.MODERATOR))
    form = client.get(f"/agenda/{event.id}/bewerken").get_data(as_text=True)
    assert 'value="2027-04-03T14:00"' in form and 'value="2027-04-03T16:00"' in form
    response = client.post(f"/agenda/{event.id}/bewerken", data=_form(
        event, starts_at="2027-04-03T14:30", ends_at="2027-04-03T16:30", capacity="30"))
    assert response.status_code == 303
    db.session.refresh(event)
    assert (event.starts_at, event.capacity) == (datetime(2027, 4, 3, 12, 30), 30)


# --- the attendee list ---------------------------------------------------------------------


def test_attendee_list_for_organisers_and_moderators_only(client):
    organiser, riet, outsider = make_user(name="Sonja Bakker"), make_user(name="Riet van Dijk"), make_user()
    event = make_event("Netwerkbijeenkomst", capacity=1, organiser=organiser)
    service.sign_up(event.id, riet)
    service.sign_up(event.id, guest_name="Mevrouw Jansen", registered_by=organiser)
    path = f"/agenda/{event.id}/deelnemers"

    assert client.get(path).status_code == 302
    login(client, outsider)
    assert client.get(path).status_code == 403
    assert "Lijst van deelnemers" not in client.get(f"/agenda/{event.id}").get_data(as_text=True)

    for person in (organiser, make_user(role=Role.MODERATOR)):
        client.post("/uitloggen")
        login(client, person)
        html = client.get(path).get_data(as_text=True)
        assert "Riet van Dijk" in html
        assert html.index("Aangemeld (1 van de 1)") < html.index("Riet van Dijk")
        assert html.index("Wachtlijst (1)") < html.index("Mevrouw Jansen")
        assert 'class="print-sheet"' in html


# --- iCal ------------------------------------------------------------------------------------


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def test_the_agenda_feed_parses_back_with_amsterdam_times_across_the_clock_change(client):
    winter = make_event("Voor de klok", starts_at=to_utc(datetime(2027, 3, 27, 15, 30)))
    summer = make_event("Na de klok", starts_at=to_utc(datetime(2027, 3, 29, 15, 30)),
                        place_name="De Pijler", room="zaal 1-2-3")
    autumn = make_event("Herfst", starts_at=to_utc(datetime(2027, 11, 1, 15, 30)))
    make_event("Lang geleden", starts_at=utcnow() - timedelta(days=90))
    calendar = _parse(client.get("/agenda.ics"))

    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Amsterdam"
    offsets = {part.decoded("TZOFFSETTO") for part in timezone.walk() if "TZOFFSETTO" in part}
    assert {timedelta(hours=1), timedelta(hours=2)} <= offsets

    entries = {str(entry["SUMMARY"]): entry for entry in calendar.walk("VEVENT")}
    assert set(entries) == {"Voor de klok", "Na de klok", "Herfst"}
    for stored, name in ((winter, "Voor de klok"), (summer, "Na de klok"), (autumn, "Herfst")):
        start = entries[name]["DTSTART"]
        assert start.params["TZID"] == "Europe/Amsterdam"
        assert (start.dt.hour, start.dt.minute) == (15, 30)  # wall clock on both sides
        assert start.dt.astimezone(UTC).replace(tzinfo=None) == stored.starts_at
        assert entries[name]["DTEND"].dt - start.dt == timedelta(hours=2)
    assert entries["Voor de klok"]["DTSTART"].dt.utcoffset() == timedelta(hours=1)
    assert entries["Na de klok"]["DTSTART"].dt.utcoffset() == timedelta(hours=2)
    assert str(entries["Na de klok"]["LOCATION"]) == "De Pijler, zaal 1-2-3"
    assert str(entries["Na de klok"]["UID"]) == f"bijeenkomst-{summer.id}@127.0.0.1"
    assert str(entries["Na de klok"]["URL"]) == f"http://127.0.0.1:5000/agenda/{summer.id}"


def test_one_event_as_a_calendar_file(client):
    event = make_event("Netwerkbijeenkomst", starts_at=to_utc(datetime(2026, 12, 8, 15, 30)),
                       organiser_name="Wijkalliantie", description="Over buurtcirkels.")
    response = client.get(f"/agenda/{event.id}.ics")
    calendar = _parse(response)
    assert response.headers["Content-Disposition"] == f'attachment; filename="bijeenkomst-{event.id}.ics"'
    [entry] = calendar.walk("VEVENT")
    assert entry["DTSTART"].dt == datetime(2026, 12, 8, 15, 30, tzinfo=AMSTERDAM)
    assert "Organisatie: Wijkalliantie" in str(entry["DESCRIPTION"])
    assert entry["DTSTAMP"].dt.tzinfo is not None
    assert client.get("/agenda/99999.ics").status_code == 404


def test_an_empty_feed_is_still_a_calendar(client):
    calendar = _parse(client.get("/agenda.ics"))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"]).startswith("-//Buurtportaal")


# --- paper -----------------------------------------------------------------------------------


def test_print_page_shows_the_chosen_month_by_day(client):
    make_event("Koffieochtend", starts_at=to_utc(datetime(2026, 12, 3, 10, 0)), registration_required=False)
    make_event("Netwerkbijeenkomst", starts_at=to_utc(datetime(2026, 12, 8, 15, 30)), capacity=60,
               room="zaal 1-2-3")
    make_event("Nieuwjaarsborrel", starts_at=to_utc(datetime(2027, 1, 8, 16, 0)))
    html = client.get("/agenda/afdrukken?maand=2026-12").get_data(as_text=True)
    assert "Agenda december 2026" in html
    assert html.index("Donderdag 3 december") < html.index("Koffieochtend")
    assert html.index("Dinsdag 8 december") < html.index("15.30 tot 17.30 uur") < html.index(
        "Netwerkbijeenkomst")
    assert "Aanmelden nodig (60 plaatsen)." in html
    assert "Nieuwjaarsborrel" not in html
    assert 'href="/agenda/afdrukken?maand=2026-11"' in html
    assert 'href="/agenda/afdrukken?maand=2027-01"' in html
    assert "030 - 000 00 00" in html  # who to call without internet


def test_print_page_defaults_to_this_month_and_refuses_nonsense(client):
    html = client.get("/agenda/afdrukken").get_data(as_text=True)
    assert f"Agenda {datum(datetime.now(UTC).replace(tzinfo=None), 'maand')}" in html
    for wrong in ("2026-13", "december", "2026-1", "0000-01"):
        assert client.get(f"/agenda/afdrukken?maand={wrong}").status_code == 404


def test_print_css_uses_large_type_and_page_breaks(client):
    css = client.get(re.search(r'href="(/static/css/portal\.css[^"]*)"',
                               client.get("/agenda/afdrukken").get_data(as_text=True)).group(1))
    text = css.get_data(as_text=True)
    print_rules = "".join(re.findall(r"@media print \{(.*?)\n\}", text, re.S))
    sizes = [float(size) for size in re.findall(r"font-size:\s*(\d+(?:\.\d+)?)pt", print_rules)]
    assert sizes and min(sizes) >= 14
    assert "size: A4" in print_rules
    assert "break-inside: avoid" in print_rules and "break-after: avoid" in print_rules
    assert re.search(r"\.site-header, \.main-nav, \.site-footer[^{]*\{ display: none", print_rules)


# --- budgets ---------------------------------------------------------------------------------


@pytest.fixture
def demo_agenda(app):
    event = make_event("Netwerkbijeenkomst Wijkalliantie: buurtcirkels en wijkplatform", capacity=60,
                       room="zaal 1-2-3", description="Een lange beschrijving. " * 40)
    for n in range(20):
        make_event(f"Koffieochtend {n}", starts_at=utcnow() + timedelta(days=n + 1),
                   registration_required=False)
    return event


@pytest.mark.parametrize("path", ["/agenda", "/agenda/{id}", "/agenda/afdrukken"])
def test_agenda_pages_within_35_kb(client, demo_agenda, path):
    path = path.format(id=demo_agenda.id)
    assert_within_budget(client, path)
    assert_no_third_party(client.get(path).get_data(as_text=True))
    login(client, make_user(role=Role.MODERATOR))
    assert_within_budget(client, path)


# --- demo data -------------------------------------------------------------------------------


def test_demo_has_the_network_meeting_in_de_pijler_and_bewoner_signed_up_elsewhere(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-wachtwoord"])
    assert result.exit_code == 0, result.output
    meeting = db.session.scalar(db.select(Event).where(Event.title.contains("Netwerkbijeenkomst")))
    local = meeting.starts_at.replace(tzinfo=UTC).astimezone(AMSTERDAM)
    assert (meeting.place_name, meeting.room) == ("De Pijler", "zaal 1-2-3")
    assert (local.weekday(), local.hour, local.minute) == (1, 15, 30)  # a Tuesday, 15.30
    assert meeting.starts_at > utcnow()
    assert service.sign_up_open(meeting) and service.seats_taken([meeting.id])[meeting.id] < meeting.capacity
    bewoner = db.session.scalar(db.select(User).where(User.email == "bewoner@example.org"))
    mine = service.registrations_of(bewoner, db.session.scalars(db.select(Event.id)))
    assert meeting.id not in mine  # she signs up for it herself (the "done when")
    assert [db.session.get(Event, event_id).title[:11] for event_id in mine] == ["Wijkdialoog"]
    titles = " ".join(db.session.scalars(db.select(Event.title)))
    for kind in ("Wijkdialoog", "Koffieochtend", "Repair café"):
        assert kind in titles
    full = [e for e in db.session.scalars(db.select(Event)) if e.capacity and
            service.seats_taken([e.id]).get(e.id, 0) >= e.capacity]
    assert full, "one event is full, to show the waiting list"
