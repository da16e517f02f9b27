"""Who may see and do what with werkgroepen and bewonersgroepen: the one place for these
rules (``can_<verb>(user, obj)``).

- Everybody sees the list of groups and a group's page (what it does, its themes and buurten,
  the trekker's contact as the trekker chose it, its events and news), also of a paused or
  ended group. A proposed group is seen only by the person who proposed it and moderators.
- Only members see who the members are (first names) and read and write the group's thread;
  nobody else does: not visitors, not other residents, not moderators. The trekker and
  moderators see the requests to join of a closed group and who joined (``can_manage``).
- A signed-in, unblocked person joins an active group (an open one at once; a closed one asks
  the trekker) and leaves it again; the last trekker hands the role on first.
- The trekker and moderators post news, accept and decline requests, hand the trekker role
  to another member, and pause, restart or end the group.
- Moderators create groups, approve or decline proposals and see the groups that went quiet;
  a signed-in resident proposes a group through the same form.
- A member reports someone else's message in the thread (moderation's report route).
"""

from portal.access import signed_in
from portal.models import Group, GroupMember, GroupMessage, GroupStatus


def is_moderator(user) -> bool:
    return signed_in(user) and user.is_moderator


def member_row(user, group: Group) -> GroupMember | None:
    """The person's row in the group (a member or a request), from the group's loaded members."""
    if not signed_in(user):
        return None
    return next((member for member in group.members if member.user_id == user.id), None)


def is_member(user, group: Group) -> bool:
    row = member_row(user, group)
    return row is not None and row.is_member


def is_trekker(user, group: Group) -> bool:
    row = member_row(user, group)
    return row is not None and row.is_trekker


def can_view(user, group: Group) -> bool:
    if group.status != GroupStatus.PROPOSED:
        return True
    return is_moderator(user) or (signed_in(user) and group.proposed_by_id == user.id)


def can_view_members(user, group: Group) -> bool:
    return is_member(user, group)


def can_read_thread(user, group: Group) -> bool:
    return is_member(user, group)


def can_write_thread(user, group: Group) -> bool:
    return is_member(user, group) and not user.blocked and group.status != GroupStatus.ENDED


def can_join(user, group: Group) -> bool:
    return (signed_in(user) and not user.blocked and group.status == GroupStatus.ACTIVE
            and member_row(user, group) is None)


def can_leave(user, group: Group) -> bool:
    row = member_row(user, group)
    if row is None:
        return False
    return not row.is_trekker or sum(1 for member in group.members if member.is_trekker) > 1


def can_manage(user, group: Group) -> bool:
    """Requests, who joined, handing on the trekker role, pausing and ending."""
    if group.status == GroupStatus.PROPOSED:
        return False
    return is_moderator(user) or is_trekker(user, group)


def can_post_news(user, group: Group) -> bool:
    return can_manage(user, group) and group.status != GroupStatus.ENDED


def can_create_group(user) -> bool:
    return is_moderator(user)


def can_propose_group(user) -> bool:
    return signed_in(user) and not user.blocked


def can_review_proposals(user) -> bool:
    return is_moderator(user)


def can_see_quiet_groups(user) -> bool:
    return is_moderator(user)


def can_report_message(user, message: GroupMessage) -> bool:
    return (is_member(user, message.group) and message.author_id != user.id
            and message.is_published)


def can_follow(user, group: Group) -> bool:
    """Follow a group's news without joining it: anyone signed in, while it has a page."""
    return signed_in(user) and not user.blocked and group.status != GroupStatus.PROPOSED
