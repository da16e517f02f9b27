"""The agenda's rules: who gets a seat, who waits, who moves up, who gets a reminder.

Seats are the one place where two requests can collide: two neighbours press "Aanmelden"
for the last seat at the same moment. Every change to an event's seats therefore runs inside
``_lock_event``, which makes the seat check and the write one atomic step (see there).
Nothing here commits: the request (or the CLI command) does, once, at its end; mail about a
seat or a reminder is queued in the same unit of work (``portal/outbox.py``).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager, joinedload

from portal.dates import local_day_in_utc, local_month_in_utc, local_today
from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import Event, NotificationPreference, Registration, RegistrationStatus, User
from portal.models.base import utcnow
from portal.notifications.service import MailKind, notify


class SignUpClosed(Exception):
    """This event takes no sign-ups (any more); the message is for people."""


# --- reading -----------------------------------------------------------------------------

def upcoming_events_query(now: datetime | None = None):
    """Events that have not ended yet, soonest first."""
    return (
        select(Event)
        .where(Event.ends_at >= (now or utcnow()))
        .order_by(Event.starts_at, Event.id)
    )


def events_in_month(year: int, month: int) -> list[Event]:
    start, end = local_month_in_utc(year, month)
    query = (
        select(Event)
        .where(Event.starts_at >= start, Event.starts_at < end)
        .order_by(Event.starts_at, Event.id)
    )
    return list(db.session.scalars(query))


def seats_taken(event_ids) -> dict[int, int]:
    """Confirmed registrations per event, in one query."""
    ids = list(event_ids)
    if not ids:
        return {}
    query = (
        select(Registration.event_id, func.count())
        .where(Registration.event_id.in_(ids), Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.event_id)
    )
    return dict(db.session.execute(query).all())


def free_seats(event: Event, taken: int) -> int | None:
    """Seats left; None when there is no maximum."""
    if event.capacity is None:
        return None
    return max(event.capacity - taken, 0)


def registrations_of(user, event_ids) -> dict[int, Registration]:
    """This person's registrations for these events, by event id (empty when signed out)."""
    ids = list(event_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return {}
    query = select(Registration).where(
        Registration.user_id == user.id, Registration.event_id.in_(ids)
    )
    return {registration.event_id: registration for registration in db.session.scalars(query)}


def waiting_position(registration: Registration) -> int:
    """1 for the first on the waiting list."""
    earlier = select(func.count()).where(
        Registration.event_id == registration.event_id,
        Registration.status == RegistrationStatus.WAITING,
        (Registration.created_at < registration.created_at)
        | ((Registration.created_at == registration.created_at) & (Registration.id < registration.id)),
    )
    return db.session.scalar(earlier) + 1


def attendees(event: Event) -> tuple[list[Registration], list[Registration]]:
    """Confirmed and waiting registrations, in the order they came in, names loaded."""
    query = (
        select(Registration)
        .where(Registration.event_id == event.id)
        .options(joinedload(Registration.user))
        .order_by(Registration.created_at, Registration.id)
    )
    registrations = list(db.session.scalars(query))
    confirmed = [r for r in registrations if r.is_confirmed]
    waiting = [r for r in registrations if not r.is_confirmed]
    return confirmed, waiting


def sign_up_open(event: Event, now: datetime | None = None) -> bool:
    return event.registration_required and event.starts_at > (now or utcnow())


# --- changing seats ----------------------------------------------------------------------

def _lock_event(event_id: int) -> Event | None:
    """Begin the write transaction for a change to this event's seats, and load the event.

    SQLite: the transaction already began with ``BEGIN IMMEDIATE`` (``portal/database.py``
    does so for every transaction that may write), which took the database's write lock
    before we count seats, so a second sign-up waits (busy timeout) until the first has
    committed, and then counts again; nothing more is needed here.
    PostgreSQL: ``SELECT ... FOR UPDATE`` on the event row makes the second sign-up wait
    for the first one's commit in the same way, while other events stay free.
    """
    connection = db.session.connection()
    query = select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    if connection.dialect.name != "sqlite":
        query = query.with_for_update()
    return db.session.scalar(query)


def _confirmed_count(event_id: int) -> int:
    return seats_taken([event_id]).get(event_id, 0)


@dataclass
class SignUp:
    registration: Registration
    created: bool  # False: they were signed up already


def sign_up(event_id: int, user: User | None = None, guest_name: str = "",
            registered_by: User | None = None, now: datetime | None = None) -> SignUp:
    """Sign ``user`` (or a neighbour by ``guest_name``) up: a seat while there is one,
    otherwise the waiting list. Two sign-ups for the last seat never both get it.

    A connector signing up a neighbour without an account passes ``guest_name`` and
    ``registered_by=connector``. Raises ``SignUpClosed`` when the event takes no sign-ups.
    """
    if user is None and not guest_name.strip():
        raise ValueError("sign_up needs a user or a guest_name")
    event = _lock_event(event_id)
    if event is None or not sign_up_open(event, now):
        raise SignUpClosed("Voor deze bijeenkomst kunt u zich niet (meer) aanmelden.")
    existing = user and db.session.scalar(
        select(Registration).where(Registration.event_id == event_id, Registration.user_id == user.id)
    )
    if existing:
        return SignUp(existing, created=False)
    seat_free = event.capacity is None or _confirmed_count(event_id) < event.capacity
    registration = Registration(
        event=event, user=user, guest_name=guest_name.strip(), registered_by=registered_by,
        status=RegistrationStatus.CONFIRMED if seat_free else RegistrationStatus.WAITING,
    )
    db.session.add(registration)
    db.session.flush()
    return SignUp(registration, created=True)


@dataclass
class Cancellation:
    cancelled: Registration | None = None
    promoted: list[Registration] = field(default_factory=list)


def cancel(event_id: int, user: User) -> Cancellation:
    """Take ``user`` off the event; when that frees a seat, the first on the waiting list
    moves up and hears so by mail."""
    registration = db.session.scalar(
        select(Registration).where(Registration.event_id == event_id, Registration.user_id == user.id)
    )
    return cancel_registration(registration.id) if registration else Cancellation()


def cancel_registration(registration_id: int) -> Cancellation:
    """Cancel one registration (also a guest's, for the connector who made it)."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        return Cancellation()
    event = _lock_event(registration.event_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    if registration is None:  # someone else cancelled it while we waited for the lock
        return Cancellation()
    db.session.delete(registration)
    db.session.flush()
    promoted = _fill_free_seats(event)
    _tell_promoted(promoted)
    return Cancellation(cancelled=registration, promoted=promoted)


def fill_free_seats(event_id: int) -> list[Registration]:
    """After an edit (more seats, or no maximum any more): move people up from the waiting
    list into the seats that are free now."""
    event = _lock_event(event_id)
    promoted = _fill_free_seats(event) if event else []
    _tell_promoted(promoted)
    return promoted


def _fill_free_seats(event: Event) -> list[Registration]:
    """Inside the lock: confirm the longest-waiting people for the seats that are free."""
    query = (
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.created_at, Registration.id)
    )
    if event.capacity is not None:
        free = event.capacity - _confirmed_count(event.id)
        if free <= 0:
            return []
        query = query.limit(free)
    promoted = list(db.session.scalars(query))
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
    return promoted


def _tell_promoted(promoted: list[Registration]) -> None:
    """Mail the people who moved up (queued with the change; sent after the commit)."""
    for registration in promoted:
        if registration.user is None:
            continue
        text = render_text(
            "events/mail/seat_freed.txt", registration=registration, event=registration.event,
            event_url=public_url("events.event", event_id=registration.event_id),
        )
        notify(registration.user, MailKind.EVENT_REMINDERS,
               f"Er is een plaats vrij voor u: {registration.event.title}", text)


# --- reminders ---------------------------------------------------------------------------

def send_reminders(now: datetime | None = None) -> int:
    """Queue one reminder per confirmed registration for events that start tomorrow
    (Amsterdam calendar day), never twice: ``reminded_at`` is claimed in the same unit of work
    as the queued mail, so a second run (even at the same moment) finds nothing to do.
    Returns how many reminders were queued; the outbox sends them."""
    now = now or utcnow()
    start, end = local_day_in_utc(local_today(now) + timedelta(days=1))
    wants_reminders = func.coalesce(NotificationPreference.event_reminders, True)
    query = (
        select(Registration)
        .join(Registration.event)
        .join(Registration.user)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == Registration.user_id)
        .where(
            Event.starts_at >= start,
            Event.starts_at < end,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.reminded_at.is_(None),
            wants_reminders.is_(True),
        )
        .options(contains_eager(Registration.event), contains_eager(Registration.user))
        .order_by(Event.starts_at, Registration.id)
    )
    queued = 0
    for registration in db.session.scalars(query).unique().all():
        if _claim_reminder(registration.id, now):
            _queue_reminder(registration)
            queued += 1
    return queued


def _claim_reminder(registration_id: int, now: datetime) -> bool:
    """``reminded_at`` set only if nobody set it yet: on PostgreSQL a second run waits for the
    first one's row lock and then finds it taken; on SQLite the CLI's transactions queue."""
    claimed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration_id, Registration.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return claimed == 1


def _queue_reminder(registration: Registration) -> None:
    event = registration.event
    text = render_text(
        "events/mail/reminder.txt", registration=registration, event=event,
        event_url=public_url("events.event", event_id=event.id),
    )
    notify(registration.user, MailKind.EVENT_REMINDERS, f"Morgen: {event.title}", text)
