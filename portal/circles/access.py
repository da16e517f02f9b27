"""Who may see and do what with circles and help items: the one place for these rules.

Other domains (moderation, events, mail) import from here, so the names say what they decide.

- Circles are public: everyone sees the circle list, the map and a circle's public part.
- Help items are seen only by members of their circle (connectors are members too) and by
  moderators. Everyone else gets a 404, so an item's existence does not leak. An item that
  waits for a moderator, or was hidden, is seen only by its author and moderators.
- A member may post in their own circle and respond to other people's open items.
- The author, a connector of the circle or a moderator may change an item's status.
- A connector may post *namens* a neighbour and manage the circle (overview, contact line),
  and keeps the circle's list of neighbours without internet (only connectors see it).
- The conversation on a help item: its author (the asker, or the verbinder who posted namens a
  neighbour), the chosen helper and the circle's verbinders; nobody else, not other members
  and not moderators (``can_see_conversation``). A participant may report someone else's
  message (``can_report_message``); moderators then see that message, and only that one
  (``can_see_reported_messages``). The helper may step back.
- Coordinators and admins set up circles, appoint verbinders and move streets.
- Nobody joins or posts in an archived circle.
- A phone number: its owner and the verbinders of their circle; fellow members only with
  ``share_phone`` (``can_see_phone``).

Rules are ``can_<verb>(user, obj)`` (see ``portal/access.py``); ``is_<role>`` and
``membership_of`` are the facts they are made of.
"""

from flask import g, has_request_context
from sqlalchemy.orm import joinedload

from portal.access import signed_in
from portal.extensions import db
from portal.models import Circle, HelpItem, Membership, User
from portal.models.circles import HelpStatus

MEMBERSHIPS = "_circle_memberships"  # g: the memberships this request has loaded


def membership_of(user) -> Membership | None:
    """The person's one membership, or None (also for anonymous visitors), remembered for the
    rest of the request: the page and its rules all ask. The signed-in person's is kept per
    change (``load_user`` says how to get it: ``kept.own_membership``), and loaded only on
    pages that ask (the board and moderation never do); anyone else's is one query."""
    if not signed_in(user):
        return None
    cache = g.setdefault(MEMBERSHIPS, {}) if has_request_context() else {}
    found = cache.get(user.id, _UNKNOWN)
    if found is not _UNKNOWN and not callable(found):
        return found
    if found is _UNKNOWN:
        found = db.session.scalar(
            db.select(Membership).where(Membership.user_id == user.id).options(joinedload(Membership.circle)))
    elif callable(found):
        found = found()
    cache[user.id] = found
    return found


_UNKNOWN = object()


def remember_membership(user, load) -> None:
    """``load_user`` says how to get the signed-in person's membership when a page asks."""
    if has_request_context():
        g.setdefault(MEMBERSHIPS, {})[user.id] = load


def forget_membership() -> None:
    """After joining or leaving: the next ask loads it again."""
    if has_request_context():
        g.pop(MEMBERSHIPS, None)


def circle_of(user) -> Circle | None:
    """The circle the person belongs to, or None."""
    membership = membership_of(user)
    return membership.circle if membership else None


def is_moderator(user) -> bool:
    return signed_in(user) and user.is_moderator


def is_member(user, circle: Circle) -> bool:
    """Member of this circle, as plain member or as connector."""
    membership = membership_of(user)
    return membership is not None and membership.circle_id == circle.id


def is_connector(user, circle: Circle) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.circle_id == circle.id and membership.is_connector


def can_see_help_items(user, circle: Circle) -> bool:
    """The circle's help items: its members (connectors included) and moderators."""
    return is_member(user, circle) or is_moderator(user)


def can_see_help_item(user, item: HelpItem) -> bool:
    """Members of its circle and moderators; while it waits for a moderator (or was hidden)
    only its author and moderators."""
    if is_moderator(user):
        return True
    if not item.is_published:
        return signed_in(user) and item.author_id == user.id
    membership = membership_of(user)
    return membership is not None and membership.circle_id == item.circle_id


def can_join(user, circle: Circle) -> bool:
    """Anyone signed in may join (or move to) a circle that has not been archived."""
    return signed_in(user) and not circle.is_archived


def can_post_help(user, circle: Circle) -> bool:
    return is_member(user, circle) and not circle.is_archived


def can_post_on_behalf(user, circle: Circle) -> bool:
    """Namens: a connector places a request for a neighbour without internet."""
    return is_connector(user, circle)


def can_respond(user, item: HelpItem) -> bool:
    """"Ik help" / "Dit wil ik graag": a fellow member, on someone else's open item."""
    membership = membership_of(user)
    return (
        membership is not None
        and membership.circle_id == item.circle_id
        and item.author_id != user.id
        and item.status == HelpStatus.OPEN
        and item.is_published
    )


def can_change_status(user, item: HelpItem) -> bool:
    if not signed_in(user):
        return False
    if item.author_id == user.id or is_moderator(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.circle_id == item.circle_id and membership.is_connector


def can_respond_on_behalf(user, item: HelpItem) -> bool:
    """A verbinder offers help namens a neighbour without internet on their list."""
    return can_respond(user, item) and is_connector(user, item.circle)


def can_see_conversation(user, item: HelpItem) -> bool:
    """The private conversation below an item: the person who asked (its author), the chosen
    helper and the circle's verbinders. Not other members, not moderators (a reported
    message reaches them through the report)."""
    if not signed_in(user) or not item.is_published:
        return False
    return user.id in (item.author_id, item.taken_by_id) or is_connector(user, item.circle)


def can_report_message(user, item: HelpItem) -> bool:
    """Reporting a message: only from inside the conversation (moderation's ``can_report``
    then refuses one's own message and a hidden one)."""
    return can_see_conversation(user, item)


def can_see_reported_messages(user, item: HelpItem) -> bool:
    """A moderator who is not in the conversation sees its reported messages on the item's
    page (a participant sees them in the conversation itself)."""
    return is_moderator(user) and not can_see_conversation(user, item)


def can_write_message(user, item: HelpItem) -> bool:
    return can_see_conversation(user, item) and not item.circle.is_archived


def can_step_back(user, item: HelpItem) -> bool:
    """The chosen helper can no longer help: the item opens again."""
    return signed_in(user) and item.status == HelpStatus.PROMISED and item.taken_by_id == user.id


def can_manage_circle(user, circle: Circle) -> bool:
    """The connector's overview and the published contact line: connectors and moderators."""
    return is_connector(user, circle) or is_moderator(user)


def can_keep_neighbours(user, circle: Circle) -> bool:
    """The list of neighbours without internet, with their phones: the circle's verbinders."""
    return is_connector(user, circle)


def can_manage_circles(user) -> bool:
    """Set up circles, appoint verbinders, move streets (``/beheer/cirkels``)."""
    return signed_in(user) and user.is_coordinator


def can_ask_for_circle(user) -> bool:
    """Ask the coordinators for a circle in a street that has none."""
    return signed_in(user)


def can_see_phone(viewer, person: User, circle: Circle | None = None) -> bool:
    """A person's phone number: the person themself, and the verbinders of their circle (who
    call neighbours, also about help); fellow members of the circle only when the person
    ticked ``share_phone``; nobody else (not other circles, not visitors, not moderators).
    The privacy page says exactly this. ``circle``: the person's circle when the caller
    knows it already (a list of one circle's members), which saves a query per person."""
    if not signed_in(viewer):
        return False
    if viewer.id == person.id:
        return True
    circle = circle or circle_of(person)
    if circle is None:
        return False
    return is_connector(viewer, circle) or (person.share_phone and is_member(viewer, circle))
