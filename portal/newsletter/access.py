"""Who may do what with the wijkbrief: the one place for these rules (``can_<verb>(user, obj)``).

- Everybody subscribes (no account needed), reads the archive, the web and the paper version
  of every sent issue, and unsubscribes with the link in the mail.
- The redactie of the wijk (role ``redacteur``) and its moderators (and the platform admin)
  compose issues, preview them, send a test to themselves and send an issue, once.
- Someone blocked in the wijk does none of the redactie's work.
"""

from portal.access import signed_in
from portal.models import Role


def can_edit_newsletters(user) -> bool:
    return signed_in(user) and not user.blocked and (user.role == Role.REDACTEUR or user.is_moderator)


def can_edit_newsletter(user, newsletter) -> bool:
    return can_edit_newsletters(user) and not newsletter.is_sent


def can_send_newsletter(user, newsletter) -> bool:
    return can_edit_newsletter(user, newsletter)


def can_opt_in(user) -> bool:
    """An account holder opts in or out with one button (their account's address)."""
    return signed_in(user)
