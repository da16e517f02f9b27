"""The shared words of access rules, so every domain says "may this person ..." the same way.

Each domain keeps its own rules in its ``access.py`` (the one place for them), every rule
written ``can_<verb>(user, obj)`` (or ``can_<verb>(user)``), true or false, never raising.
A view then stops the request with one of these:

- ``require(allowed)``: the friendly 403 page ("Dit mag u niet bekijken"), optionally with a
  title and text that say what to do instead;
- ``found_or_404(thing)``: the 404 page when it does not exist;
- ``visible_or_404(thing, user, rule)``: the same 404 when this person may not even know it
  exists (hidden looks like missing: a help item of another circle, a post waiting for a
  moderator).

Example (``portal/board/views.py``)::

    post = visible_or_404(service.post_or_none(post_id), current_user, access.can_read)
    require(access.can_edit(current_user, post))
"""

from collections.abc import Callable
from typing import TypeVar

from flask import abort, make_response

from portal.errors import error_page

T = TypeVar("T")


def signed_in(user) -> bool:
    """Someone who signed in (not the anonymous visitor, not nobody)."""
    return user is not None and bool(getattr(user, "is_authenticated", False))


def require(allowed: bool, refusal: tuple[str, str] | None = None) -> None:
    """Stop with the 403 page unless ``allowed``; ``refusal`` is its (title, text)."""
    if not allowed:
        if refusal:
            abort(make_response(*error_page(403, *refusal)))
        abort(403)


def found_or_404(thing: T | None) -> T:
    """``thing``, or the 404 page when there is none."""
    if thing is None:
        abort(404)
    return thing


def visible_or_404(thing: T | None, user, rule: Callable[[object, T], bool]) -> T:
    """``thing`` if ``rule(user, thing)`` allows; otherwise the same 404 as for nothing."""
    if thing is None or not rule(user, thing):
        abort(404)
    return thing
