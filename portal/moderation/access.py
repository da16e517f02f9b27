"""Who may moderate, decide and report: every permission rule of moderation lives here.

- Moderators and admins see the queue, the log and the people, and decide on content.
- Accounts: moderators block, unblock and trust residents; only admins act on moderators
  (block them, give or take the role). Nobody blocks an admin, and nobody decides on their
  own account.
- Any signed-in person reports what they can see and did not write themselves.
"""

from flask import abort
from flask_login import current_user

from portal.models import ContentStatus, Role, User, Verdict
from portal.moderation import subjects


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def can_moderate(user=None) -> bool:
    user = current_user if user is None else user
    return _signed_in(user) and user.is_moderator


def can_decide(actor: User, subject, verdict: Verdict) -> bool:
    if not can_moderate(actor):
        return False
    if isinstance(subject, User):
        return _may_act_on_account(actor, subject, verdict)
    return True


def _may_act_on_account(actor: User, person: User, verdict: Verdict) -> bool:
    if person.id == actor.id or person.role == Role.ADMIN:
        return False
    if verdict in (Verdict.MAKE_MODERATOR, Verdict.END_MODERATOR):
        return actor.is_admin
    if person.role == Role.MODERATOR:  # moderators cannot block (or trust) each other
        return actor.is_admin
    return True


def can_report(item, user=None) -> bool:
    """Published items of someone else; the author and moderators have other ways."""
    user = current_user if user is None else user
    return (
        _signed_in(user)
        and item.author_id != user.id
        and subjects.state_of(item) == ContentStatus.PUBLISHED
    )


def require(allowed: bool) -> None:
    """The friendly 403 page when a person may not do this."""
    if not allowed:
        abort(403)


def require_found(found: bool) -> None:
    """A 404 for addresses that do not exist (unknown words in the URL)."""
    if not found:
        abort(404)


TEMPLATE_HELPERS = {"can_moderate": can_moderate, "can_report": can_report, "can_decide": can_decide}
