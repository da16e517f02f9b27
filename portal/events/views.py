"""Agenda: events, sign-up, the printable month and the calendar feeds."""

import re
from datetime import datetime, timedelta

from flask import abort, flash, make_response, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal import calendars, dates
from portal.access import found_or_404, require
from portal.circles import coordination
from portal.circles.access import circle_of
from portal.events import bp, service
from portal.events.access import can_manage_events, can_see_attendees, can_sign_up_neighbours
from portal.events.forms import EventForm, NeighbourSignUpForm
from portal.events.ical import calendar_bytes
from portal.extensions import db
from portal.groups import service as groups_service
from portal.infopoint import hours as spreekuur_hours
from portal.infopoint import ical as spreekuur_calendar
from portal.infopoint import service as infopoint_service
from portal.models import Event, Neighbourhood, RegistrationStatus
from portal.models.base import utcnow
from portal.pagecache import canonical_query, for_visitors
from portal.web import form_invalid, page_number, render, see_other, wants_fragment
from portal.wijken.settings import wijk_name

PER_PAGE = 25
FEED_PAST_DAYS = 30
MONTH_PARAM = re.compile(r"^(\d{4})-(\d{2})$")


# --- the agenda --------------------------------------------------------------------------

@bp.get("/agenda")
@for_visitors
def agenda():
    page = page_number(request.args)
    canonical_query(pagina=page if page > 1 else None)
    results = db.paginate(
        service.upcoming_events_query(), page=page,
        per_page=PER_PAGE, error_out=False,
    )
    ids = [event.id for event in results.items]
    return render(
        "events/agenda.html", results=results, months=_by_month(results.items),
        taken=service.seats_taken(ids), mine=service.registrations_of(current_user, ids),
        can_manage=can_manage_events(current_user),
        spreekuren=spreekuur_hours.upcoming(infopoint_service.spreekuur_openings(), utcnow(), days=14)
        if page == 1 else [],
    )


def _by_month(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """[("december 2026", [...]), ...] in Amsterdam time, keeping the order."""
    months: dict[str, list[Event]] = {}
    for event in events:
        months.setdefault(dates.datum(event.starts_at, "maand"), []).append(event)
    return list(months.items())


@bp.get("/agenda/<int:event_id>")
@for_visitors
def event(event_id: int):
    return render("events/event.html", **_event_context(_get_event(event_id)))


def _get_event(event_id: int) -> Event:
    return found_or_404(db.session.get(Event, event_id))


def _event_context(event: Event, neighbour_form: NeighbourSignUpForm | None = None) -> dict:
    """What the event page and its sign-up box show."""
    registration = service.registrations_of(current_user, [event.id]).get(event.id)
    taken = service.seats_taken([event.id]).get(event.id, 0)
    return {
        "event": event,
        "taken": taken,
        "free": service.free_seats(event, taken),
        "registration": registration,
        "position": service.waiting_position(registration)
        if registration and not registration.is_confirmed else None,
        "open": service.sign_up_open(event),
        "can_manage": can_manage_events(current_user),
        "can_see_attendees": can_see_attendees(current_user, event),
        "neighbour_form": _neighbour_form(neighbour_form or NeighbourSignUpForm(formdata=None))
        if can_sign_up_neighbours(current_user) else None,
    }


# --- sign-up: one URL each, htmx swaps the box, without JavaScript PRG ------------------

@bp.post("/agenda/<int:event_id>/aanmelden")
def sign_up(event_id: int):
    if not current_user.is_authenticated:
        return _sign_in_first(event_id)
    event = _get_event(event_id)
    try:
        result = service.sign_up(event.id, current_user)
    except service.SignUpClosed as closed:
        flash(str(closed), "error")
    else:
        flash(_sign_up_message(result), "success")
    return _signup_answer(event_id)


def _sign_up_message(result: service.SignUp) -> str:
    registration = result.registration
    if registration.status == RegistrationStatus.WAITING:
        return ("De bijeenkomst is vol. U staat op de wachtlijst; komt er een plaats vrij, "
                "dan krijgt u die en een e-mail.")
    if not result.created:
        return "U was al aangemeld."
    return "U bent aangemeld. Tot dan!"


@bp.post("/agenda/<int:event_id>/buur-aanmelden")
@login_required
def sign_up_neighbour(event_id: int):
    """A connector signs up a neighbour without internet by first name."""
    require(can_sign_up_neighbours(current_user))
    event = _get_event(event_id)
    form = _neighbour_form(NeighbourSignUpForm())
    if not form.validate_on_submit():
        return form_invalid("events/event.html", "events/_signup.html",
                            **_event_context(event, neighbour_form=form))
    neighbour = next((n for n in _listed_neighbours() if n.id == form.neighbour_id), None)
    name = neighbour.first_name if neighbour else form.guest_name.data.strip()
    try:
        result = service.sign_up(event.id, guest_name=name, registered_by=current_user)
    except service.SignUpClosed as closed:
        flash(str(closed), "error")
    else:
        waiting = result.registration.status == RegistrationStatus.WAITING
        flash(f"{name} staat op de wachtlijst." if waiting else f"{name} is aangemeld.", "success")
    return _signup_answer(event_id)


@bp.post("/agenda/<int:event_id>/afmelden")
def cancel(event_id: int):
    if not current_user.is_authenticated:
        return _sign_in_first(event_id)
    _get_event(event_id)
    result = service.cancel(event_id, current_user)
    if result.cancelled is None:
        flash("U was niet aangemeld voor deze bijeenkomst.", "info")
    elif result.cancelled.status == RegistrationStatus.WAITING:
        flash("U staat niet meer op de wachtlijst.", "success")
    else:
        flash("U bent afgemeld. Jammer dat u niet kunt komen.", "success")
    return _signup_answer(event_id)


def _listed_neighbours():
    """The neighbours without internet on the list of the connector's own circle."""
    circle = circle_of(current_user)
    return coordination.offline_neighbours(circle) if circle else []


def _neighbour_form(form: NeighbourSignUpForm) -> NeighbourSignUpForm:
    return form.set_neighbours(_listed_neighbours(), nobody="Kies een buur van uw lijst")


def _signup_answer(event_id: int):
    if wants_fragment():
        db.session.expire_all()
        return render("events/event.html", "events/_signup.html", **_event_context(_get_event(event_id)))
    return see_other("events.event", event_id=event_id)


def _sign_in_first(event_id: int):
    """Signed out: to the sign-in page, and back to the event afterwards."""
    flash("Log eerst in, dan kunt u zich aanmelden.", "info")
    target = url_for("accounts.login", next=url_for("events.event", event_id=event_id))
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return see_other("accounts.login", next=url_for("events.event", event_id=event_id))


# --- organisers: create, edit, attendee list ---------------------------------------------

@bp.route("/agenda/nieuw", methods=["GET", "POST"])
@login_required
def new_event():
    require(can_manage_events(current_user))
    form = EventForm()
    _add_choices(form)
    if form.validate_on_submit():
        event = Event(organiser=current_user)
        _fill_event(event, form)
        db.session.add(event)
        db.session.flush()  # its id, for the address
        flash("De bijeenkomst staat in de agenda.", "success")
        return see_other("events.event", event_id=event.id)
    if form.errors:
        return form_invalid("events/form.html", form=form, event=None)
    return render("events/form.html", form=form, event=None)


@bp.route("/agenda/<int:event_id>/bewerken", methods=["GET", "POST"])
@login_required
def edit_event(event_id: int):
    require(can_manage_events(current_user))
    event = _get_event(event_id)
    form = EventForm(obj=None if request.method == "POST" else _EventFormData(event))
    _add_choices(form, event)
    if form.validate_on_submit():
        _fill_event(event, form)
        promoted = service.fill_free_seats(event.id)
        message = "De wijzigingen zijn opgeslagen."
        if promoted:
            message += f" Van de wachtlijst zijn {len(promoted)} mensen aangemeld."
        flash(message, "success")
        return see_other("events.event", event_id=event.id)
    if form.errors:
        return form_invalid("events/form.html", form=form, event=event)
    return render("events/form.html", form=form, event=event)


class _EventFormData:
    """The event as the form shows it: local wall-clock times."""

    def __init__(self, event: Event):
        for name in ("title", "description", "place_name", "room", "address", "organiser_name",
                     "theme_name", "neighbourhood_id", "group_id", "registration_required", "capacity"):
            setattr(self, name, getattr(event, name))
        self.starts_at = dates.to_local(event.starts_at).replace(tzinfo=None)
        self.ends_at = dates.to_local(event.ends_at).replace(tzinfo=None)


def _add_choices(form: EventForm, event: Event | None = None) -> None:
    """The buurten, and the active groups (plus the event's own group when it is no longer
    active, so editing keeps it): a group's page lists the bijeenkomsten that belong to it."""
    neighbourhoods = db.session.execute(
        db.select(Neighbourhood.id, Neighbourhood.name).order_by(Neighbourhood.name)
    ).all()
    form.neighbourhood_id.choices = [SelectChoice("", f"Heel {wijk_name()}")] + [
        SelectChoice(str(row.id), row.name) for row in neighbourhoods
    ]
    groups = groups_service.group_choices()
    if event is not None and event.group_id and event.group_id not in {group_id for group_id, _ in groups}:
        groups.append((event.group_id, event.group.name))
    form.group_id.choices = [SelectChoice("", "Geen groep"),
                             *(SelectChoice(str(group_id), name) for group_id, name in groups)]


def _fill_event(event: Event, form: EventForm) -> None:
    event.title = form.title.data.strip()
    event.description = (form.description.data or "").replace("\r\n", "\n").strip()
    event.starts_at = dates.to_utc(form.starts_at.data)
    event.ends_at = dates.to_utc(form.ends_at.data)
    event.place_name = form.place_name.data.strip()
    event.room = (form.room.data or "").strip()
    event.address = (form.address.data or "").strip()
    event.organiser_name = (form.organiser_name.data or "").strip()
    event.theme_name = (form.theme_name.data or "").strip()
    event.neighbourhood_id = form.neighbourhood_id.data
    event.group_id = form.group_id.data
    event.registration_required = form.registration_required.data
    event.capacity = form.capacity.data if form.registration_required.data else None


@bp.get("/agenda/<int:event_id>/deelnemers")
@login_required
def attendees(event_id: int):
    event = _get_event(event_id)
    require(can_see_attendees(current_user, event))
    confirmed, waiting = service.attendees(event)
    return render("events/attendees.html", event=event, confirmed=confirmed, waiting=waiting)


# --- paper and calendars -----------------------------------------------------------------

@bp.get("/agenda/afdrukken")
def print_month():
    year, month = _month_from_query(request.args.get("maand"))
    events = service.events_in_month(year, month)
    days: dict[str, list[Event]] = {}
    for item in events:
        days.setdefault(dates.datum(item.starts_at, "dag"), []).append(item)
    return render(
        "events/print.html", days=list(days.items()), month_start=datetime(year, month, 15),
        previous=_shift_month(year, month, -1), following=_shift_month(year, month, 1),
    )


def _month_from_query(value: str | None) -> tuple[int, int]:
    """``?maand=2026-12``; the current month (Amsterdam) when left out; 404 when wrong."""
    if not value:
        today = dates.local_today(utcnow())
        return today.year, today.month
    match = MONTH_PARAM.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 1900 < int(match.group(1)) < 3000:
        abort(404)
    return int(match.group(1)), int(match.group(2))


def _shift_month(year: int, month: int, step: int) -> str:
    index = year * 12 + (month - 1) + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@bp.get("/agenda.ics")
def feed():
    query = (
        db.select(Event)
        .where(Event.ends_at >= utcnow() - timedelta(days=FEED_PAST_DAYS))
        .order_by(Event.starts_at)
        .limit(1000)
    )
    events = list(db.session.scalars(query))
    spreekuren = spreekuur_calendar.spreekuren(infopoint_service.infopoint(), utcnow())
    return calendars.response(calendar_bytes(events, f"Agenda {wijk_name()}", also=spreekuren), "agenda.ics",
                              inline=True)


@bp.get("/agenda/<int:event_id>.ics")
def event_ics(event_id: int):
    event = _get_event(event_id)
    return calendars.response(calendar_bytes([event], event.title), f"bijeenkomst-{event.id}.ics")
