"""The wijkinformatiepunt and the sociale kaart: queries and changes (no commits: the request,
or the CLI command, commits once at its end; mail is queued in the same unit of work).

Reading the kaart runs a fixed number of statements whatever its size: a page of
organisations, then each of their relations once (``selectinload``). "Nu open" is worked out
from every schedule of the wijk in one statement (``open_service_ids``), then asked of the
database as a list of services.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.circles.service import connectors_of
from portal.extensions import db
from portal.infopoint import hours
from portal.mail import public_url, render_text
from portal.models import (
    NEEDS,
    ChangeProposal,
    Circle,
    ClosedDay,
    Location,
    Organization,
    ProposalStatus,
    Question,
    QuestionStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceNeed,
    User,
)
from portal.models.base import utcnow
from portal.notifications.service import MailKind, notify
from portal.outbox import queue_mail
from portal.wijken import settings

PURGE_AFTER = timedelta(days=90)  # the privacy page states this period
CHECK_AFTER = timedelta(days=365)  # a record not checked for a year waits for a check
PER_PAGE = 25


# --- reading the kaart ---------------------------------------------------------------------------

def _everything():
    """What a page of organisations shows: their services with needs, places and hours, their
    locations and closed days; each relation in one statement."""
    at_locations = selectinload(Organization.services).selectinload(Service.service_at_locations)
    return (
        selectinload(Organization.services).selectinload(Service.needs),
        selectinload(Organization.services).selectinload(Service.areas).joinedload(ServiceArea.circle),
        # Joined, not a statement of its own: a many-to-one selectin load skips its statement
        # when the identity map has every location already, which depends on the order loads run.
        at_locations.joinedload(ServiceAtLocation.location),
        at_locations.selectinload(ServiceAtLocation.schedules),
        selectinload(Organization.locations),
        selectinload(Organization.closed_days),
    )


def infopoint() -> Organization | None:
    """The wijk's own wijkinformatiepunt (the first organisation marked so), everything loaded."""
    query = (select(Organization).where(Organization.is_infopoint.is_(True))
             .order_by(Organization.id).limit(1).options(*_everything()))
    return db.session.scalar(query)


def organization_or_none(slug: str) -> Organization | None:
    query = select(Organization).where(Organization.slug == slug).options(*_everything())
    return db.session.scalar(query)


def _matching(query, words: str = "", need: str = "", service_ids: Iterable[int] | None = None):
    """Organisations with these words (in their name or description, or a service's), with a
    service for this need, with one of these services."""
    if words:
        service_has_them = exists().where(
            Service.organization_id == Organization.id,
            or_(func.lower(Service.name).contains(words.lower(), autoescape=True),
                func.lower(Service.description).contains(words.lower(), autoescape=True)),
        )
        query = query.where(or_(
            func.lower(Organization.name).contains(words.lower(), autoescape=True),
            func.lower(Organization.description).contains(words.lower(), autoescape=True),
            service_has_them,
        ))
    if need:
        query = query.where(exists().where(
            Service.organization_id == Organization.id, ServiceNeed.service_id == Service.id,
            ServiceNeed.need == need,
        ))
    if service_ids is not None:
        query = query.where(exists().where(
            Service.organization_id == Organization.id, Service.id.in_(list(service_ids)),
        ))
    return query


def search(words: str = "", need: str = "", open_now: bool = False, page: int = 1,
           now: datetime | None = None, per_page: int = PER_PAGE):
    """A page of organisations (``db.paginate``), by name, with everything loaded."""
    ids = open_service_ids(now) if open_now else None
    query = _matching(select(Organization), words, need, ids).order_by(Organization.name, Organization.id)
    return db.paginate(query.options(*_everything()), page=page, per_page=per_page, error_out=False)


@dataclass
class Entry:
    """One organisation as the kaart lists it: the services that match, and its hours now."""

    organization: Organization
    services: list[Service]
    status: hours.Status | None = None
    open_services: set[int] = field(default_factory=set)


def entries(organizations: Iterable[Organization], words: str = "", need: str = "",
            open_now: bool = False, now: datetime | None = None) -> list[Entry]:
    """The organisations with the services that match the search (all of them without one)."""
    now = now or utcnow()
    found = []
    for organization in organizations:
        services = [service for service in organization.services if service.status == "active"]
        if need:
            services = [service for service in services if need in service.need_slugs]
        openings = openings_of(organization)
        status = hours.status(openings, now) if openings else None
        open_services = {service.id for service in services
                         if hours.is_open_at(service_openings(service, organization), now)}
        if open_now:
            services = [service for service in services if service.id in open_services]
        if words and not _says(organization, words):
            services = [service for service in services if _says(service, words)] or services
        found.append(Entry(organization, services, status, open_services))
    return found


def _says(thing, words: str) -> bool:
    needle = words.lower()
    return needle in thing.name.lower() or needle in (thing.description or "").lower()


def service_openings(service: Service, organization: Organization | None = None) -> list[hours.Opening]:
    """Every schedule of a service as an ``Opening``, with its organisation's closed days."""
    organization = organization or service.organization
    closed = {day.day: day.reason for day in organization.closed_days}
    return [
        hours.Opening(
            rule=schedule.rrule, opens_at=schedule.opens_at, closes_at=schedule.closes_at,
            valid_from=schedule.valid_from, valid_to=schedule.valid_to, closed=closed,
            place=at_location.location.name, key=schedule.id,
        )
        for at_location in service.service_at_locations
        for schedule in at_location.schedules
    ]


def openings_of(organization: Organization) -> list[hours.Opening]:
    return [opening for service in organization.services if service.status == "active"
            for opening in service_openings(service, organization)]


def spreekuur_openings() -> list[hours.Opening]:
    """The wijkinformatiepunt's schedules as ``Opening``s with their place, in two statements
    (for the agenda, which shows the coming spreekuren beside its events)."""
    rows = db.session.execute(
        select(Schedule, Location.name, Organization.id)
        .join(ServiceAtLocation, Schedule.service_at_location_id == ServiceAtLocation.id)
        .join(Service, ServiceAtLocation.service_id == Service.id)
        .join(Location, ServiceAtLocation.location_id == Location.id)
        .join(Organization, Service.organization_id == Organization.id)
        .where(Organization.is_infopoint.is_(True), Service.status == "active")
        .order_by(Schedule.id)
    ).all()
    if not rows:
        return []
    organization_ids = {organization_id for _schedule, _place, organization_id in rows}
    closed: dict[int, dict[date, str]] = {}
    for organization_id, day, reason in db.session.execute(
            select(ClosedDay.organization_id, ClosedDay.day, ClosedDay.reason)
            .where(ClosedDay.organization_id.in_(organization_ids))):
        closed.setdefault(organization_id, {})[day] = reason
    return [
        hours.Opening(rule=schedule.rrule, opens_at=schedule.opens_at, closes_at=schedule.closes_at,
                      valid_from=schedule.valid_from, valid_to=schedule.valid_to,
                      closed=closed.get(organization_id, {}), place=place, key=schedule.id)
        for schedule, place, organization_id in rows
    ]


def open_service_ids(now: datetime | None = None) -> set[int]:
    """The services open at ``now``: every schedule of the wijk in one statement, its
    organisation's closed days in another, then worked out here."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Schedule, ServiceAtLocation.service_id, Service.organization_id)
        .join(ServiceAtLocation, Schedule.service_at_location_id == ServiceAtLocation.id)
        .join(Service, ServiceAtLocation.service_id == Service.id)
        .where(Service.status == "active")
    ).all()
    closed: dict[int, dict[date, str]] = {}
    for organization_id, day, reason in db.session.execute(
            select(ClosedDay.organization_id, ClosedDay.day, ClosedDay.reason)):
        closed.setdefault(organization_id, {})[day] = reason
    open_ids = set()
    for schedule, service_id, organization_id in rows:
        opening = hours.Opening(
            rule=schedule.rrule, opens_at=schedule.opens_at, closes_at=schedule.closes_at,
            valid_from=schedule.valid_from, valid_to=schedule.valid_to,
            closed=closed.get(organization_id, {}),
        )
        if service_id not in open_ids and hours.is_open_at([opening], now):
            open_ids.add(service_id)
    return open_ids


def booklet() -> list[tuple[str, str, list[tuple[Organization, Service]]]]:
    """The booklet by need: (slug, label, [(organisation, service), ...]) for every need with
    a service, then the services for no need in particular."""
    organizations = list(db.session.scalars(
        select(Organization).order_by(Organization.name, Organization.id).options(*_everything())))
    by_need: dict[str, list[tuple[Organization, Service]]] = {slug: [] for slug in NEEDS}
    other = []
    for organization in organizations:
        for service in organization.services:
            if service.status != "active":
                continue
            for need in service.need_slugs or [""]:
                by_need.get(need, other).append((organization, service))
    chapters = [(slug, NEEDS[slug], listed) for slug, listed in by_need.items() if listed]
    if other:
        chapters.append(("overig", "Overige hulp", other))
    return chapters


def all_organizations(page: int, per_page: int = 50):
    """A page of the whole kaart for the export, everything loaded."""
    query = select(Organization).order_by(Organization.id).options(*_everything())
    return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=100)


def due_for_check(today: date) -> list[Organization]:
    """Records not checked for a year (or never): the reminder on the informatiepunt's page."""
    cutoff = today - CHECK_AFTER
    query = (select(Organization)
             .where(or_(Organization.assured_date.is_(None), Organization.assured_date <= cutoff))
             .order_by(Organization.assured_date.is_not(None), Organization.assured_date, Organization.name))
    return list(db.session.scalars(query))


def mark_checked(organization: Organization, today: date) -> None:
    organization.assured_date = today


def check_is_due(organization: Organization, today: date) -> bool:
    return organization.assured_date is None or organization.assured_date <= today - CHECK_AFTER


# --- closed days -------------------------------------------------------------------------------

def add_closed_day(organization: Organization, day: date, reason: str) -> bool:
    """Mark ``day`` closed; False when it was marked already."""
    try:
        with db.session.begin_nested():
            db.session.add(ClosedDay(organization=organization, day=day, reason=reason))
            db.session.flush()
    except IntegrityError:
        return False
    return True


def closed_day_or_none(closed_day_id: int) -> ClosedDay | None:
    return db.session.get(ClosedDay, closed_day_id)


def remove_closed_day(closed_day: ClosedDay) -> None:
    db.session.delete(closed_day)


# --- questions ---------------------------------------------------------------------------------

def ask(name: str, email: str, phone: str, question: str, consent: bool) -> Question:
    """A question from the form; nothing is mailed (the informatiepunt looks at its queue)."""
    asked = Question(name=name, email=email, phone=phone, question=question, consent=consent)
    db.session.add(asked)
    db.session.flush()
    return asked


def question_or_none(question_id: int) -> Question | None:
    return db.session.get(Question, question_id)


def open_questions() -> list[Question]:
    """Every question that waits, oldest first (questions are gone after 90 days)."""
    query = (select(Question).where(Question.status == QuestionStatus.NEW)
             .order_by(Question.created_at, Question.id))
    return list(db.session.scalars(query))


def handled_questions(limit: int = 50) -> list[Question]:
    query = (select(Question).where(Question.status != QuestionStatus.NEW)
             .options(selectinload(Question.referred_organization), selectinload(Question.handed_circle),
                      selectinload(Question.handled_by))
             .order_by(Question.handled_at.desc(), Question.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def open_question_count() -> int:
    return db.session.scalar(select(func.count()).where(Question.status == QuestionStatus.NEW)) or 0


def _handled(question: Question, status: QuestionStatus, text: str, by: User) -> None:
    question.status = status
    question.answer = text
    question.handled_by = by
    question.handled_at = utcnow()


def _sender_lines(by: User) -> dict:
    point = infopoint()
    return {"signed": by.first_name, "point": point, "wijk_name": settings.wijk_name(),
            "contact": (point.phone if point and point.phone else settings.contact_line())}


def answer_by_mail(question: Question, text: str, by: User) -> None:
    """Mail the answer to the asker (through the outbox) and close the question."""
    body = render_text("infopoint/mail/answer.txt", question=question, answer=text, **_sender_lines(by))
    queue_mail(question.email, "Antwoord op uw vraag aan het wijkinformatiepunt", body)
    _handled(question, QuestionStatus.ANSWERED, text, by)


def note_called_back(question: Question, note: str, by: User) -> None:
    _handled(question, QuestionStatus.CALLED_BACK, note, by)


def refer(question: Question, organization: Organization, note: str, by: User) -> bool:
    """Refer the question to an organisation on the kaart; the asker hears where to go by mail
    when they gave an address (True then), otherwise the informatiepunt calls them."""
    question.referred_organization = organization
    _handled(question, QuestionStatus.REFERRED, note, by)
    if not question.email:
        return False
    body = render_text(
        "infopoint/mail/referral.txt", question=question, organization=organization, note=note,
        organization_url=public_url("infopoint.organization", slug=organization.slug), **_sender_lines(by),
    )
    queue_mail(question.email, f"Uw vraag: u kunt terecht bij {organization.name}", body)
    return True


def hand_over(question: Question, circle: Circle, note: str, by: User) -> int:
    """Hand the question to a buurtcirkel's verbinders, who hear of it by mail (with the
    asker's contact details: they agreed to be contacted about it). Returns how many were
    mailed."""
    question.handed_circle = circle
    _handled(question, QuestionStatus.HANDED_OVER, note, by)
    mailed = 0
    for connector in connectors_of(circle):
        text = render_text("infopoint/mail/hand_over.txt", question=question, circle=circle, note=note,
                           connector=connector, **_sender_lines(by))
        mailed += notify(connector, MailKind.HELP_ITEMS,
                         f"Een vraag van het wijkinformatiepunt voor {circle.name}", text)
    return mailed


def organization_by_id(organization_id: int) -> Organization | None:
    return db.session.get(Organization, organization_id)


def circle_by_id(circle_id: int) -> Circle | None:
    return db.session.get(Circle, circle_id)


def circles_to_hand_to() -> list[Circle]:
    query = select(Circle).where(Circle.archived_at.is_(None)).order_by(Circle.name)
    return list(db.session.scalars(query))


def organizations_to_refer_to() -> list[tuple[int, str]]:
    return list(db.session.execute(
        select(Organization.id, Organization.name).where(Organization.is_infopoint.is_(False))
        .order_by(Organization.name)).all())


def purge_old_questions(now: datetime | None = None) -> int:
    """Forget every question last handled (or, never handled, asked) more than 90 days ago."""
    cutoff = (now or utcnow()) - PURGE_AFTER
    last_touched = func.coalesce(Question.handled_at, Question.created_at)
    old = select(Question.id).where(last_touched < cutoff)
    ids = list(db.session.scalars(old))
    if ids:
        db.session.execute(db.delete(Question).where(Question.id.in_(ids)))
    return len(ids)


# --- proposed changes --------------------------------------------------------------------------

PROPOSED_FIELDS = ("description", "phone", "email", "website")


def propose(organization: Organization, by: User, note: str = "", **values: str) -> ChangeProposal:
    proposal = ChangeProposal(organization=organization, proposed_by=by, note=note,
                              **{name: values.get(name, "") for name in PROPOSED_FIELDS})
    db.session.add(proposal)
    db.session.flush()
    return proposal


def waiting_proposals() -> list[ChangeProposal]:
    query = (select(ChangeProposal).where(ChangeProposal.status == ProposalStatus.WAITING)
             .options(selectinload(ChangeProposal.organization), selectinload(ChangeProposal.proposed_by))
             .order_by(ChangeProposal.created_at, ChangeProposal.id))
    return list(db.session.scalars(query))


def proposal_or_none(proposal_id: int) -> ChangeProposal | None:
    return db.session.get(ChangeProposal, proposal_id)


def accept(proposal: ChangeProposal, by: User, today: date) -> None:
    """Apply what was proposed (empty values change nothing); the record counts as checked."""
    organization = proposal.organization
    for name in PROPOSED_FIELDS:
        value = getattr(proposal, name)
        if value:
            setattr(organization, name, value)
    organization.assured_date = today
    _decided(proposal, ProposalStatus.ACCEPTED, by, "")


def reject(proposal: ChangeProposal, by: User, reason: str) -> None:
    _decided(proposal, ProposalStatus.REJECTED, by, reason)


def _decided(proposal: ChangeProposal, status: ProposalStatus, by: User, reason: str) -> None:
    proposal.status = status
    proposal.reviewed_by = by
    proposal.reviewed_at = utcnow()
    proposal.reason = reason
    if proposal.proposed_by is not None:
        url = public_url("infopoint.organization", slug=proposal.organization.slug)
        text = render_text("infopoint/mail/proposal_decided.txt", proposal=proposal, organization_url=url)
        notify(proposal.proposed_by, MailKind.MODERATION,
               f"Uw voorstel voor {proposal.organization.name} is bekeken", text)
