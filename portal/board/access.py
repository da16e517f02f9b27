"""Who may do what on the board: every permission check of the blueprint lives here.

Anyone reads published posts; signed-in residents post, reply and give steun; only the
author edits, and only within ``EDIT_WINDOW`` of posting; moderators and admins set where a
signal stands with the municipality; admins manage the themes.
"""

import math
from datetime import timedelta

from flask import abort
from flask_login import current_user

from portal.models import ContentStatus, Post, Reply
from portal.models.base import utcnow

EDIT_WINDOW = timedelta(minutes=30)


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def can_take_part(user=None) -> bool:
    """Post, reply and give steun."""
    return _signed_in(current_user if user is None else user)


def can_read(item: Post | Reply, user=None) -> bool:
    """Published items are public; others only for their author and moderators."""
    user = current_user if user is None else user
    if item.status == ContentStatus.PUBLISHED:
        return True
    return _signed_in(user) and (item.author_id == user.id or user.is_moderator)


def can_edit(item: Post | Reply, user=None) -> bool:
    user = current_user if user is None else user
    return _signed_in(user) and item.author_id == user.id and edit_minutes_left(item) > 0


def edit_minutes_left(item: Post | Reply) -> int:
    """Whole minutes left to edit (rounded up), 0 when the window has closed."""
    left = EDIT_WINDOW - (utcnow() - item.created_at)
    return max(0, math.ceil(left.total_seconds() / 60))


def can_answer_signals(user=None) -> bool:
    user = current_user if user is None else user
    return _signed_in(user) and user.is_moderator


def can_manage_themes(user=None) -> bool:
    user = current_user if user is None else user
    return _signed_in(user) and user.is_admin


def require(allowed: bool) -> None:
    """Stop with the friendly 403 page when a person may not do this."""
    if not allowed:
        abort(403)


def require_readable(item: Post | Reply | None) -> None:
    """Unknown and not-visible items answer the same 404: no hint that they exist."""
    if item is None or not can_read(item):
        abort(404)


TEMPLATE_HELPERS = {
    "can_take_part": can_take_part,
    "can_edit": can_edit,
    "edit_minutes_left": edit_minutes_left,
    "can_answer_signals": can_answer_signals,
    "can_manage_themes": can_manage_themes,
}
