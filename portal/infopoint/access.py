"""Who may do what with the wijkinformatiepunt and the sociale kaart: the one place for these
rules (``can_<verb>(user, obj)``).

- Everybody reads the wijkinformatiepunt page, the sociale kaart, its export and booklet and
  the spreekuren's calendar, and asks a question (no account needed).
- The questions are for the ``informatiepunt`` role of the wijk only (and the platform admin,
  who counts as every role): not moderators, not the person who asked, nobody else. The same
  people mark the days the informatiepunt is closed and see which records wait for a check.
- A signed-in person proposes a change to an organisation's record (someone of that
  organisation); moderators (and the platform admin) accept or reject it.
- The informatiepunt says which buurtcirkels a service covers.
- A verbinder points a help item of their own circle to a service, while they may write in
  its conversation (where the referral is said).
"""

from portal.access import signed_in
from portal.circles import access as circle_access
from portal.models import Role


def can_handle_questions(user) -> bool:
    return signed_in(user) and user.role in (Role.INFORMATIEPUNT, Role.ADMIN)


def can_propose_change(user) -> bool:
    return signed_in(user) and not user.blocked


def can_review_proposals(user) -> bool:
    return signed_in(user) and user.is_moderator


def can_set_service_areas(user) -> bool:
    return can_handle_questions(user)


def can_refer_help_item(user, item) -> bool:
    return circle_access.is_connector(user, item.circle) and circle_access.can_write_message(user, item)
