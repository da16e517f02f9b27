"""What the circle views (and the demo data) share: the queries behind the pages, and the
changes that also write the item's history.

Every page query has a fixed number of round trips, whatever the number of circles, members
or items: counts come from correlated subqueries, related rows from one ``selectinload``.
"""

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from sqlalchemy import func
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.circles.mail import mail_new_item_now
from portal.extensions import db
from portal.models import (
    Circle,
    ContentStatus,
    HelpItem,
    HelpItemEvent,
    HelpMessage,
    HelpResponse,
    Membership,
    Neighbourhood,
    OfflineNeighbour,
    Review,
    Street,
    User,
)
from portal.models.base import utcnow
from portal.models.circles import EventAction, HelpKind, HelpStatus, MemberRole
from portal.moderation import policy as moderation_policy
from portal.moderation import service as moderation

# Only what moderation let through (a new account's items wait; see portal/moderation/).
PUBLISHED = HelpItem.moderation == ContentStatus.PUBLISHED
STALE_AFTER = timedelta(days=7)  # the connector's overview marks items open longer than this
ITEMS_ON_CIRCLE_PAGE = 30
ACTIVE_STATUSES = (HelpStatus.OPEN, HelpStatus.PROMISED)


# --- Finding circles -----------------------------------------------------------------------


def normalise_street_query(text: str | None) -> str:
    """"  dorpsstraat 12a " → "dorpsstraat": people type their address; we need the street."""
    text = " ".join((text or "").split())[:80]
    return re.sub(r"\s+\d.*$", "", text)


@dataclass
class CircleSummary:
    circle: Circle
    member_count: int
    open_requests: int
    connector_name: str | None

    @property
    def connector_first_name(self) -> str | None:
        return self.connector_name.split()[0] if self.connector_name else None


def member_count_subquery():
    """Members with an account plus neighbours without internet on a verbinder's list."""
    with_account = (
        db.select(func.count(Membership.id)).where(Membership.circle_id == Circle.id)
        .correlate(Circle).scalar_subquery()
    )
    offline = (
        db.select(func.count(OfflineNeighbour.id)).where(OfflineNeighbour.circle_id == Circle.id)
        .correlate(Circle).scalar_subquery()
    )
    return with_account + offline


def _open_request_count():
    return (
        db.select(func.count(HelpItem.id))
        .where(
            HelpItem.circle_id == Circle.id,
            HelpItem.kind == HelpKind.REQUEST,
            HelpItem.status == HelpStatus.OPEN,
            PUBLISHED,
        )
        .correlate(Circle)
        .scalar_subquery()
    )


def _first_connector_name():
    return (
        db.select(User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.circle_id == Circle.id, Membership.role == MemberRole.CONNECTOR)
        .order_by(Membership.since, Membership.id)
        .limit(1)
        .correlate(Circle)
        .scalar_subquery()
    )


def circle_summaries(street: str = "") -> list[CircleSummary]:
    """All circles (or those with a street or name like ``street``), by neighbourhood: two
    queries, however many circles there are."""
    stmt = (
        db.select(Circle, member_count_subquery(), _open_request_count(), _first_connector_name())
        .join(Circle.neighbourhood)
        .options(contains_eager(Circle.neighbourhood), selectinload(Circle.streets))
        .where(Circle.archived_at.is_(None))
        .order_by(Neighbourhood.name, Circle.name)
    )
    if street:
        needle = street.lower()
        streets = db.select(Street.circle_id).where(func.lower(Street.name).contains(needle, autoescape=True))
        stmt = stmt.where(
            Circle.id.in_(streets) | func.lower(Circle.name).contains(needle, autoescape=True)
        )
    return [CircleSummary(*row) for row in db.session.execute(stmt)]


def circles_with_streets_like(street: str, limit: int = 3) -> list[CircleSummary]:
    """When no circle has this street: the circles with a street whose name looks like it
    ("Dorpstraat" → the circle with the Dorpsstraat), closest first."""
    summaries = circle_summaries()
    by_street = {s.name.lower(): summary for summary in summaries for s in summary.circle.streets}
    close = difflib.get_close_matches(street.lower(), list(by_street), n=limit * 3, cutoff=0.6)
    found = list(dict.fromkeys(by_street[name].circle.id for name in close))[:limit]
    return [next(s for s in summaries if s.circle.id == circle_id) for circle_id in found]


def search_circles(query: str, limit: int = 10) -> list[CircleSummary]:
    """Circles whose name or one of whose streets matches, for the portal-wide search.
    Circles are few (tens, not thousands), so a LIKE over names and streets stays cheap."""
    street = normalise_street_query(query)
    return circle_summaries(street)[:limit] if street else []


def group_by_neighbourhood(summaries: list[CircleSummary]) -> list[tuple[Neighbourhood, list[CircleSummary]]]:
    return [
        (neighbourhood, list(group))
        for neighbourhood, group in groupby(summaries, key=lambda s: s.circle.neighbourhood)
    ]


def centre(neighbourhood_id: int | None = None) -> tuple[float, float] | None:
    """The middle of the wijk's circles (or of one buurt's): where a map or a melding starts
    when nothing else says where."""
    query = (db.select(func.avg(Circle.latitude), func.avg(Circle.longitude))
             .where(Circle.archived_at.is_(None)))
    if neighbourhood_id is not None:
        query = query.where(Circle.neighbourhood_id == neighbourhood_id)
    latitude, longitude = db.session.execute(query).one()
    return None if latitude is None else (round(latitude, 6), round(longitude, 6))


def circle_or_none(slug: str) -> Circle | None:
    """The circle (its page reads it through ``kept.circle_row``)."""
    return db.session.scalar(db.select(Circle).where(Circle.slug == slug))


# --- One circle ----------------------------------------------------------------------------


def connectors_of(circle: Circle) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.circle_id == circle.id, Membership.role == MemberRole.CONNECTOR)
            .order_by(Membership.since, Membership.id)
        )
    )


def members_of(circle: Circle) -> list[User]:
    """The members with an account, by name (one query)."""
    return list(db.session.scalars(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.circle_id == circle.id).order_by(User.name, User.id)
    ))


def member_count(circle: Circle) -> int:
    """Members with an account and neighbours without internet (they are members too)."""
    return db.session.scalar(db.select(member_count_subquery()).where(Circle.id == circle.id))


def open_counts(circle: Circle) -> dict[str, int]:
    """{"request": n, "offer": m}: what the public sees of a circle's help."""
    rows = db.session.execute(
        db.select(HelpItem.kind, func.count(HelpItem.id))
        .where(HelpItem.circle_id == circle.id, HelpItem.status == HelpStatus.OPEN, PUBLISHED)
        .group_by(HelpItem.kind)
    )
    counts = {HelpKind.REQUEST.value: 0, HelpKind.OFFER.value: 0}
    counts.update(dict(rows.all()))
    return counts


def active_items(circle: Circle, viewer: User | None = None) -> dict[str, list[HelpItem]]:
    """Open and promised items of a circle, newest first, split into requests and offers.
    Published ones, and the viewer's own while they wait for a moderator (or were hidden)."""
    shown = PUBLISHED
    if viewer is not None and viewer.is_authenticated:
        shown = shown | (HelpItem.author_id == viewer.id)
    items = db.session.scalars(
        db.select(HelpItem)
        .where(HelpItem.circle_id == circle.id, HelpItem.status.in_(ACTIVE_STATUSES), shown)
        .options(joinedload(HelpItem.author))
        .order_by(HelpItem.created_at.desc(), HelpItem.id.desc())
        .limit(ITEMS_ON_CIRCLE_PAGE * 2)
    )
    split = {HelpKind.REQUEST.value: [], HelpKind.OFFER.value: []}
    for item in items:
        split[item.kind].append(item)
    return split


def authors_of_unpublished_items(circle: Circle) -> frozenset[int]:
    """Who in this circle has an open item that only they see (``kept.unpublished_help_authors``)."""
    return frozenset(db.session.scalars(
        db.select(HelpItem.author_id).distinct()
        .where(HelpItem.circle_id == circle.id, HelpItem.status.in_(ACTIVE_STATUSES), ~PUBLISHED)
    ))


WAITING_AFTER = timedelta(days=3)  # a request without any offer this long "wacht"


@dataclass
class OverviewRow:
    item: HelpItem
    days_open: int
    stale: bool
    responses: int = 0

    @property
    def waiting(self) -> bool:
        """A request that nobody offered to help with for 3 days or more."""
        return self.item.is_request and self.responses == 0 and self.days_open >= WAITING_AFTER.days


@dataclass
class CircleOverview:
    """The verbinder's overview: the whole circle at a glance."""

    open_rows: list[OverviewRow]
    promised: list[HelpItem]
    neighbours: list[tuple[OfflineNeighbour, list[HelpItem]]]

    @property
    def waiting(self) -> list[OverviewRow]:
        return [row for row in self.open_rows if row.waiting]


def _response_count():
    return (db.select(func.count(HelpResponse.id)).where(HelpResponse.item_id == HelpItem.id)
            .correlate(HelpItem).scalar_subquery())


def overview_rows(circle: Circle, now: datetime | None = None) -> list[OverviewRow]:
    """The connector's overview: the circle's open items, oldest first, with how many
    offered (one query)."""
    now = now or utcnow()
    rows = db.session.execute(
        db.select(HelpItem, _response_count())
        .where(HelpItem.circle_id == circle.id, HelpItem.status == HelpStatus.OPEN, PUBLISHED)
        .options(joinedload(HelpItem.author))
        .order_by(HelpItem.created_at, HelpItem.id)
    )
    return [
        OverviewRow(item, (now - item.created_at).days, now - item.created_at > STALE_AFTER, responses)
        for item, responses in rows
    ]


def circle_overview(circle: Circle, now: datetime | None = None) -> CircleOverview:
    """Open items (which of them wait), promised items with who helps whom, and the
    neighbours without internet with their open requests: four queries."""
    open_rows = overview_rows(circle, now)
    promised = list(db.session.scalars(
        db.select(HelpItem)
        .where(HelpItem.circle_id == circle.id, HelpItem.status == HelpStatus.PROMISED, PUBLISHED)
        .options(joinedload(HelpItem.author), joinedload(HelpItem.taken_by))
        .order_by(HelpItem.promised_at, HelpItem.id)
    ))
    neighbours = list(db.session.scalars(
        db.select(OfflineNeighbour).where(OfflineNeighbour.circle_id == circle.id)
        .order_by(OfflineNeighbour.first_name, OfflineNeighbour.id)
    ))
    by_neighbour: dict[int, list[HelpItem]] = {n.id: [] for n in neighbours}
    for item in [row.item for row in open_rows] + promised:
        if item.on_behalf_of_id in by_neighbour:
            by_neighbour[item.on_behalf_of_id].append(item)
    return CircleOverview(open_rows, promised, [(n, by_neighbour[n.id]) for n in neighbours])


def help_item_or_none(item_id: int) -> HelpItem | None:
    return db.session.get(HelpItem, item_id)


def load_item_details(item: HelpItem) -> HelpItem:
    """Everything the item page shows, in a fixed number of queries."""
    return db.session.scalar(
        db.select(HelpItem)
        .where(HelpItem.id == item.id)
        .options(
            joinedload(HelpItem.circle),
            joinedload(HelpItem.author),
            joinedload(HelpItem.taken_by),
            selectinload(HelpItem.responses).joinedload(HelpResponse.user),
            selectinload(HelpItem.messages).joinedload(HelpMessage.author),
            selectinload(HelpItem.events).joinedload(HelpItemEvent.actor),
        )
        .execution_options(populate_existing=True)
    )


# --- Changes -------------------------------------------------------------------------------


def join_circle(user: User, circle: Circle) -> Circle | None:
    """Make ``user`` a member of ``circle``; one circle per person, so joining another one
    moves them. Returns the circle they left, if any."""
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == user.id))
    if membership is None:
        db.session.add(Membership(user=user, circle=circle, role=MemberRole.MEMBER))
        return None
    if membership.circle_id == circle.id:
        return None
    previous = membership.circle
    membership.circle = circle
    membership.role = MemberRole.MEMBER  # a connector elsewhere starts as a member here
    membership.since = utcnow()
    return previous


def leave_circle(user: User, circle: Circle) -> bool:
    membership = db.session.scalar(
        db.select(Membership).where(Membership.user_id == user.id, Membership.circle_id == circle.id)
    )
    if membership is None:
        return False
    db.session.delete(membership)
    return True


def post_help_item(circle: Circle, author: User, *, kind: str, category: str, title: str, text: str = "",
                   wanted_when: str = "", wanted_on: date | None = None,
                   on_behalf_of: OfflineNeighbour | None = None, on_behalf_name: str | None = None,
                   on_behalf_street: str | None = None,
                   at: datetime | None = None) -> HelpItem:
    """A new item. *Namens* a neighbour on the verbinder's list (``on_behalf_of``: their
    first name and street are copied, so the item keeps them if the list changes), or by a
    first name and street typed in. Members who asked for it hear of it at once
    (``mail.mail_new_item_now``, queued in this unit of work), whoever posts it."""
    at = at or utcnow()
    if on_behalf_of is not None:
        on_behalf_name, on_behalf_street = on_behalf_of.first_name, on_behalf_of.street
    item = HelpItem(
        circle=circle, author=author, kind=kind, category=category, title=title, text=text,
        wanted_when=wanted_when, wanted_on=wanted_on, on_behalf_name=on_behalf_name or None,
        on_behalf_street=on_behalf_street or None,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of is not None else None,
        status=HelpStatus.OPEN, created_at=at, updated_at=at,
        moderation=moderation_policy.initial_status(author),
    )
    item.events.append(HelpItemEvent(actor=author, action=EventAction.CREATED, created_at=at))
    db.session.add(item)
    db.session.flush()  # its id, for the links in mail
    moderation.submitted(item)
    mail_new_item_now(item)
    return item


def has_responded(item: HelpItem, user: User) -> bool:
    return any(response.user_id == user.id for response in item.responses)


def respond(item: HelpItem, user: User, message: str = "", at: datetime | None = None,
            on_behalf_of: OfflineNeighbour | None = None) -> HelpResponse:
    """"Ik help"; a verbinder may offer namens a neighbour without internet (``on_behalf_of``)."""
    at = at or utcnow()
    response = HelpResponse(user=user, message=message, created_at=at)
    if on_behalf_of is not None:
        response.on_behalf_of_id, response.on_behalf_name = on_behalf_of.id, on_behalf_of.first_name
    item.responses.append(response)
    item.events.append(HelpItemEvent(actor=user, action=EventAction.RESPONDED, created_at=at))
    return response


def response_of(item: HelpItem, user_id: int | str | None) -> HelpResponse | None:
    """The response of this person (by id, as a form sends it) on the item, if any."""
    return next((response for response in item.responses if str(response.user_id) == str(user_id)), None)


def change_status(item: HelpItem, status: str, actor: User, helper: User | None = None,
                  at: datetime | None = None, response: HelpResponse | None = None,
                  action: str = EventAction.STATUS) -> None:
    """Move the item on and write it down. "toegezegd" may name who helps (``helper``, or the
    ``response`` of who helps, which may be namens a neighbour without internet); going back
    to "open" forgets the helper, and asks "Is het gelukt?" again after the next promise."""
    at = at or utcnow()
    item.status = status
    item.updated_at = at
    if status == HelpStatus.PROMISED:
        item.taken_by = response.user if response is not None else helper
        item.taken_on_behalf_name = response.on_behalf_name if response is not None else None
        item.promised_at = at
    elif status == HelpStatus.OPEN:
        item.taken_by = None
        item.taken_on_behalf_name = None
        item.promised_at = item.done_asked_at = item.done_answered_at = None
    item.events.append(HelpItemEvent(actor=actor, action=action, status=status, created_at=at))


def step_back(item: HelpItem, helper: User, at: datetime | None = None) -> None:
    """The chosen helper cannot help after all: the item opens again."""
    change_status(item, HelpStatus.OPEN, helper, at=at, action=EventAction.STEPPED_BACK)


# --- The conversation on an item ---------------------------------------------------------------


def conversation_people(item: HelpItem) -> list[User]:
    """Who takes part: the author, the chosen helper and the circle's verbinders (once each)."""
    people = {item.author.id: item.author}
    if item.taken_by is not None:
        people.setdefault(item.taken_by.id, item.taken_by)
    for connector in connectors_of(item.circle):
        people.setdefault(connector.id, connector)
    return list(people.values())


def post_message(item: HelpItem, author: User, text: str, at: datetime | None = None) -> HelpMessage:
    message = HelpMessage(author=author, text=text, created_at=at or utcnow())
    item.messages.append(message)
    db.session.flush()
    return message


def message_or_none(item: HelpItem, message_id: int) -> HelpMessage | None:
    """A message of this item's conversation (another item's message is not found here)."""
    message = db.session.get(HelpMessage, message_id)
    return message if message is not None and message.item_id == item.id else None


def reported_messages(item: HelpItem) -> list[HelpMessage]:
    """The messages of the conversation that a moderator has to do with: those with a review
    (open, or decided), oldest first. Moderators see these and not the rest."""
    return list(db.session.scalars(
        db.select(HelpMessage)
        .join(Review, Review.help_message_id == HelpMessage.id)
        .where(HelpMessage.item_id == item.id)
        .options(joinedload(HelpMessage.author))
        .order_by(HelpMessage.created_at, HelpMessage.id)
    ))
