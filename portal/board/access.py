"""Who may do what on the board: every permission rule of the blueprint lives here.

Anyone reads published posts; signed-in residents post, reply and give steun; only the
author edits, and only within ``EDIT_WINDOW`` of posting; moderators and admins set where a
signal stands with the municipality (and correct or hide the gemeente's answer); moderators
and verbinders type in paper cards *namens* a resident; admins manage the themes. Rules are
``can_<verb>(user, obj)`` (see ``portal/access.py``).
"""

import math
from datetime import timedelta

from portal.access import signed_in
from portal.circles.access import membership_of
from portal.models import ContentStatus, Post, Reply
from portal.models.base import utcnow

EDIT_WINDOW = timedelta(minutes=30)


def can_take_part(user) -> bool:
    """Post, reply and give steun."""
    return signed_in(user)


def can_read(user, item: Post | Reply) -> bool:
    """Published items are public; others only for their author and moderators."""
    if item.status == ContentStatus.PUBLISHED:
        return True
    return signed_in(user) and (item.author_id == user.id or user.is_moderator)


def can_edit(user, item: Post | Reply) -> bool:
    return signed_in(user) and item.author_id == user.id and edit_minutes_left(item) > 0


def edit_minutes_left(item: Post | Reply) -> int:
    """Whole minutes left to edit (rounded up), 0 when the window has closed."""
    left = EDIT_WINDOW - (utcnow() - item.created_at)
    return max(0, math.ceil(left.total_seconds() / 60))


def can_answer_signals(user) -> bool:
    return signed_in(user) and user.is_moderator


def can_enter_cards(user) -> bool:
    """Post a paper card from a meeting namens a resident: moderators and verbinders."""
    if not signed_in(user):
        return False
    if user.is_moderator:
        return True
    membership = membership_of(user)
    return membership is not None and membership.is_connector


def links_cards_on_boards(user) -> bool:
    """Whether a board links to the paper-card form: for moderators only, since asking every
    reader's membership would cost each board page a query; verbinders find the link on
    their circle's overview."""
    return signed_in(user) and user.is_moderator


def can_manage_themes(user) -> bool:
    return signed_in(user) and user.is_admin


def can_send_melding(user, post: Post) -> bool:
    """Send a published signal to the gemeente's Signalen (``board/signalen_api``)."""
    return can_answer_signals(user) and post.is_signal and post.is_published
