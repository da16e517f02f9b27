"""Running the circles from the portal: what coordinators change (``/beheer/cirkels``) and the
verbinder's list of neighbours without internet (``/cirkels/<slug>/buren``).

Every change by a coordinator or admin writes a line in the one append-only log
(``moderation.service.log_change``) and mails the people it concerns through the outbox.
Nothing is deleted: an archived circle keeps its members and history; a neighbour who asks to
be removed disappears from the list, and what was asked for them stays "namens een buur".
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal.circles.service import PUBLISHED, join_circle, member_count_subquery
from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import Circle, CircleRequest, HelpItem, Membership, OfflineNeighbour, Street, User, Verdict
from portal.models.base import utcnow
from portal.models.circles import HelpStatus, MemberRole
from portal.models.moderation import SubjectType
from portal.moderation.service import log_change
from portal.outbox import queue_mail
from portal.slugs import unique_slug

ANONYMOUS_NEIGHBOUR = "een buur"  # what a removed neighbour's help items say


# --- The coordinators' overview -------------------------------------------------------------


@dataclass
class CircleRow:
    circle: Circle
    member_count: int
    open_items: int
    last_activity: datetime | None
    connectors: list[User]


def _open_items():
    return (
        select(func.count(HelpItem.id))
        .where(HelpItem.circle_id == Circle.id, HelpItem.status == HelpStatus.OPEN, PUBLISHED)
        .correlate(Circle).scalar_subquery()
    )


def _last_activity():
    """The newest help item or membership: when something last happened in the circle."""
    item = select(func.max(HelpItem.created_at)).where(HelpItem.circle_id == Circle.id)
    member = select(func.max(Membership.since)).where(Membership.circle_id == Circle.id)
    item, member = item.correlate(Circle).scalar_subquery(), member.correlate(Circle).scalar_subquery()
    # The later of the two, either may be missing (no greatest() on SQLite, no max(a, b) on PostgreSQL).
    return case((item.is_(None), member), (member.is_(None), item), (item > member, item), else_=member)


def circle_rows() -> list[CircleRow]:
    """Every circle (archived ones last) with its counts and verbinders: two queries."""
    rows = db.session.execute(
        select(Circle, member_count_subquery(), _open_items(), _last_activity())
        .options(joinedload(Circle.neighbourhood), selectinload(Circle.streets))
        .order_by(Circle.archived_at.is_not(None), Circle.name)
    ).all()
    connectors: dict[int, list[User]] = {}
    for circle_id, user in db.session.execute(
        select(Membership.circle_id, User).join(Membership.user)
        .where(Membership.role == MemberRole.CONNECTOR).order_by(User.name)
    ):
        connectors.setdefault(circle_id, []).append(user)
    return [CircleRow(circle, members, open_items, last, connectors.get(circle.id, []))
            for circle, members, open_items, last in rows]


def street_requests() -> list[tuple[str, int]]:
    """Streets residents asked a circle for, most asked first, without those covered since."""
    covered = select(func.lower(Street.name)).join(Street.circle).where(Circle.archived_at.is_(None))
    return list(db.session.execute(
        select(CircleRequest.street, func.count(CircleRequest.id))
        .where(func.lower(CircleRequest.street).not_in(covered))
        .group_by(CircleRequest.street)
        .order_by(func.count(CircleRequest.id).desc(), CircleRequest.street)
    ).all())


# --- Creating and changing a circle ---------------------------------------------------------


def streets_of_other_circles(names: list[str], circle: Circle | None) -> dict[str, Circle]:
    """Of these street names, the ones that already belong to another active circle."""
    if not names:
        return {}
    query = (
        select(Street).join(Street.circle)
        .where(func.lower(Street.name).in_([name.lower() for name in names]), Circle.archived_at.is_(None))
        .options(joinedload(Street.circle))
    )
    if circle is not None and circle.id is not None:
        query = query.where(Street.circle_id != circle.id)
    return {street.name.lower(): street.circle for street in db.session.scalars(query)}


@dataclass
class CircleDetails:
    name: str
    neighbourhood_id: int
    streets: list[str]
    description: str
    latitude: float
    longitude: float
    radius_m: int
    contact_line: str


def create_circle(details: CircleDetails, actor: User) -> Circle:
    taken = set(db.session.scalars(select(Circle.slug)))
    circle = Circle(slug=unique_slug(details.name, taken, fallback="cirkel"))
    _apply(circle, details)
    db.session.add(circle)
    db.session.flush()
    _log(actor, Verdict.CIRCLE_CREATED, circle, "Straten: " + ", ".join(details.streets))
    return circle


def change_circle(circle: Circle, details: CircleDetails, actor: User) -> None:
    before = sorted(street.name for street in circle.streets)
    _apply(circle, details)
    after = sorted(details.streets)
    note = "" if before == after else "Straten nu: " + ", ".join(after)
    _log(actor, Verdict.CIRCLE_CHANGED, circle, note)


def _apply(circle: Circle, details: CircleDetails) -> None:
    circle.name, circle.neighbourhood_id = details.name, details.neighbourhood_id
    circle.description, circle.contact_line = details.description, details.contact_line
    circle.latitude, circle.longitude, circle.radius_m = details.latitude, details.longitude, details.radius_m
    kept = {street.name.lower(): street for street in circle.streets}
    wanted = {name.lower(): name for name in details.streets}
    circle.streets = [kept.get(key) or Street(name=name) for key, name in wanted.items()]
    for key, street in kept.items():
        if key in wanted:
            street.name = wanted[key]


def archive_circle(circle: Circle, actor: User) -> int:
    """Stop a circle: off the lists, nobody can join; members are told and may join another.
    Returns how many members were mailed."""
    circle.archived_at = utcnow()
    _log(actor, Verdict.CIRCLE_ARCHIVED, circle)
    members = db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.circle_id == circle.id)
    ).all()
    text = render_text("circles/mail/archived.txt", circle=circle, circles_url=public_url("circles.index"))
    for member in members:
        queue_mail(member.email, f"De buurtcirkel {circle.name} stopt", text)
    return len(members)


def move_street(street: Street, target: Circle, actor: User) -> Circle:
    """Move a street to another circle; returns the circle it came from."""
    source = street.circle
    street.circle = target
    _log(actor, Verdict.STREET_MOVED, target, f"{street.name}: van {source.name} naar {target.name}")
    return source


# --- Verbinders -----------------------------------------------------------------------------


def appoint_connector(circle: Circle, person: User, actor: User) -> Circle | None:
    """Make ``person`` a verbinder of ``circle`` (a member of another circle moves here).
    Returns the circle they left, if any. They get a mail."""
    previous = join_circle(person, circle)
    db.session.flush()
    membership = db.session.scalar(select(Membership).where(Membership.user_id == person.id))
    membership.role = MemberRole.CONNECTOR
    _log(actor, Verdict.CONNECTOR_APPOINTED, circle, f"{person.name} ({person.email})", about=person)
    text = render_text("circles/mail/connector_appointed.txt", person=person, circle=circle,
                       overview_url=public_url("circles.overview", slug=circle.slug),
                       neighbours_url=public_url("circles.neighbours", slug=circle.slug))
    queue_mail(person.email, f"U bent verbinder van {circle.name}", text)
    return previous


def remove_connector(circle: Circle, person: User, actor: User) -> bool:
    """The person stays a member, no longer a verbinder. False when they were none here."""
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == person.id, Membership.circle_id == circle.id,
                                 Membership.role == MemberRole.CONNECTOR)
    )
    if membership is None:
        return False
    membership.role = MemberRole.MEMBER
    _log(actor, Verdict.CONNECTOR_REMOVED, circle, f"{person.name} ({person.email})", about=person)
    text = render_text("circles/mail/connector_removed.txt", person=person, circle=circle)
    queue_mail(person.email, f"U bent geen verbinder meer van {circle.name}", text)
    return True


def _log(actor: User, verdict: Verdict, circle: Circle, reason: str = "", about: User | None = None) -> None:
    log_change(actor, verdict, SubjectType.CIRCLE, circle.id, circle.name,
               path=f"/cirkels/{circle.slug}", reason=reason, about=about)


# --- Neighbours without internet ------------------------------------------------------------


def offline_neighbours(circle: Circle) -> list[OfflineNeighbour]:
    return list(db.session.scalars(
        select(OfflineNeighbour).where(OfflineNeighbour.circle_id == circle.id)
        .options(joinedload(OfflineNeighbour.consent_by))
        .order_by(OfflineNeighbour.first_name, OfflineNeighbour.id)
    ))


def offline_neighbour_or_none(circle: Circle, neighbour_id: int) -> OfflineNeighbour | None:
    return db.session.scalar(
        select(OfflineNeighbour).where(OfflineNeighbour.id == neighbour_id,
                                       OfflineNeighbour.circle_id == circle.id)
    )


def add_offline_neighbour(circle: Circle, connector: User, first_name: str, street: str, phone: str,
                          consent_text: str) -> OfflineNeighbour:
    neighbour = OfflineNeighbour(circle=circle, first_name=first_name, street=street, phone=phone,
                                 consent_by=connector, consent_at=utcnow(), consent_text=consent_text)
    db.session.add(neighbour)
    db.session.flush()
    return neighbour


def remove_offline_neighbour(neighbour: OfflineNeighbour) -> int:
    """At their request: off the list, phone and street gone. Their help items stay, now
    "namens een buur". Returns how many items were changed."""
    changed = db.session.execute(
        db.update(HelpItem).where(HelpItem.on_behalf_of_id == neighbour.id)
        .values(on_behalf_of_id=None, on_behalf_name=ANONYMOUS_NEIGHBOUR, on_behalf_street=None)
    ).rowcount
    db.session.delete(neighbour)
    return changed


# --- A circle for a street that has none ----------------------------------------------------


def request_circle(user: User, street: str) -> bool:
    """Ask the coordinators for a circle in this street; False when this person asked already."""
    try:
        with db.session.begin_nested():
            db.session.add(CircleRequest(user_id=user.id, street=street))
    except IntegrityError:  # the unique (person, street): asked before
        return False
    return True
