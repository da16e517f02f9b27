"""Who may do what in the agenda: the one place for these rules.

- Everybody sees the agenda, event pages, the calendar feeds and the printable month.
- Signed-in people sign up and cancel.
- Moderators and admins create and edit events.
- Connectors of a buurtcirkel sign up a neighbour without internet by first name.
- Moderators, admins and the event's organiser (``Event.organiser``) see the attendee list.
"""

from flask import abort
from flask_login import current_user

from portal.circles.access import membership_of
from portal.models import Event


def can_manage_events(user=current_user) -> bool:
    return bool(user.is_authenticated and user.is_moderator)


def can_see_attendees(event: Event, user=current_user) -> bool:
    return can_manage_events(user) or bool(
        user.is_authenticated and event.organiser_id is not None and event.organiser_id == user.id
    )


def can_sign_up_neighbours(user=current_user) -> bool:
    """A connector (verbinder) of any circle."""
    membership = membership_of(user)
    return membership is not None and membership.is_connector


def require(allowed: bool) -> None:
    """403 (the friendly error page) when the rule says no."""
    if not allowed:
        abort(403)
