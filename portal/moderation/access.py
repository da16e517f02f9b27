"""Who may moderate, decide and report: every permission rule of moderation lives here.

- Moderators and admins see the queue, the log and the people, and decide on content.
- Accounts: moderators block, unblock and trust residents; only admins act on moderators
  (block them, give or take the role) and give or take the coordinator role for buurtcirkels
  and the wijkinformatiepunt's role and the wijkbrief's redacteur.
  Nobody blocks an admin, and nobody decides on their own account.
- Any signed-in person reports what they can see and did not write themselves.

Rules are ``can_<verb>(user, obj)`` (see ``portal/access.py``).
"""

from portal.access import signed_in
from portal.models import ContentStatus, Role, User, Verdict
from portal.moderation import subjects

# Giving or taking a role in the wijk: admins only.
ROLE_VERDICTS = (Verdict.MAKE_MODERATOR, Verdict.END_MODERATOR, Verdict.MAKE_COORDINATOR,
                 Verdict.END_COORDINATOR, Verdict.MAKE_INFOPOINT, Verdict.END_INFOPOINT,
                 Verdict.MAKE_REDACTEUR, Verdict.END_REDACTEUR)


def can_moderate(user) -> bool:
    return signed_in(user) and user.is_moderator


def can_decide(actor: User, subject, verdict: Verdict) -> bool:
    if not can_moderate(actor):
        return False
    if isinstance(subject, User):
        return _may_act_on_account(actor, subject, verdict)
    return True


def _may_act_on_account(actor: User, person: User, verdict: Verdict) -> bool:
    if person.id == actor.id or person.role == Role.ADMIN:
        return False
    if verdict in ROLE_VERDICTS:
        return actor.is_admin
    if person.role == Role.MODERATOR:  # moderators cannot block (or trust) each other
        return actor.is_admin
    return True


def can_report(user, item) -> bool:
    """Published items of someone else; the author and moderators have other ways."""
    return (
        signed_in(user)
        and item.author_id != user.id
        and subjects.state_of(item) == ContentStatus.PUBLISHED
    )
