"""Who may do what in the agenda: the one place for these rules (``can_<verb>(user, obj)``).

- Everybody sees the agenda, event pages, the calendar feeds and the printable month.
- Signed-in people sign up and cancel.
- Moderators and admins create and edit events.
- Connectors of a buurtcirkel sign up a neighbour without internet by first name.
- Moderators, admins and the event's organiser (``Event.organiser``) see the attendee list.
"""

from portal.access import signed_in
from portal.circles.access import membership_of
from portal.models import Event


def can_manage_events(user) -> bool:
    return signed_in(user) and user.is_moderator


def can_see_attendees(user, event: Event) -> bool:
    return can_manage_events(user) or (
        signed_in(user) and event.organiser_id is not None and event.organiser_id == user.id
    )


def can_sign_up_neighbours(user) -> bool:
    """A connector (verbinder) of any circle."""
    membership = membership_of(user)
    return membership is not None and membership.is_connector
