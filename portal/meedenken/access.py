"""Who may do what in meedenken: the one place for these rules (``can_<verb>(user, obj)``).

- Everybody reads trajecten, their published inbreng, the advies, the reaction, the
  maatregelen and the printable summary.
- Signed-in residents who are not blocked give inbreng while ``ophalen`` runs, give steun and
  follow a traject;
  reporting someone else's contribution is moderation's rule (``moderation.access.can_report``).
- They also react on published inbreng while ``ophalen`` runs (``can_reply``); a reaction is
  read like a reply on the board: published ones by everyone, a waiting or hidden one by its
  writer and moderators (``can_read_reply``), reported through moderation as well.
- Moderators and verbinders type in inbreng *namens* a resident (paper from a dialoogavond),
  as they do with the board's paper cards.
- Moderators (the kerngroep) and admins make and change trajecten, write and send the advies,
  record what became of each contribution and keep the maatregelen; hiding and restoring
  it is a moderator's decision in ``portal/moderation``, as for a post.
- The gemeente needs no account: its signed link (``service.traject_from_token``) is its key.
"""

from portal.access import signed_in
from portal.board.access import can_enter_cards
from portal.models import Inbreng, InbrengReply, Traject


def can_read(user, traject: Traject) -> bool:
    return True


def can_read_inbreng(user, inbreng: Inbreng) -> bool:
    """Published inbreng is public; hidden inbreng only for its author and moderators."""
    if inbreng.status == "published":
        return True
    return signed_in(user) and (inbreng.author_id == user.id or user.is_moderator)


def can_contribute(user, traject: Traject) -> bool:
    """Give inbreng (the deadline is checked apart: it has a message of its own)."""
    return signed_in(user) and not user.blocked


def can_contribute_namens(user, traject: Traject) -> bool:
    """Type in paper inbreng namens a resident: moderators and verbinders."""
    return can_contribute(user, traject) and can_enter_cards(user)


def can_support(user, inbreng: Inbreng) -> bool:
    return signed_in(user) and not user.blocked and inbreng.status == "published"


def can_reply(user, inbreng: Inbreng) -> bool:
    """React on a contribution (the deadline is checked apart: it has a message of its own)."""
    return signed_in(user) and not user.blocked and inbreng.status == "published"


def can_read_reply(user, reply: InbrengReply) -> bool:
    """Published reactions are public; a waiting or hidden one only for its writer and moderators."""
    if reply.status == "published":
        return True
    return signed_in(user) and (reply.author_id == user.id or user.is_moderator)


def can_follow(user, traject: Traject) -> bool:
    """"Volg dit traject": anyone signed in (its news comes at their own pace)."""
    return signed_in(user) and not user.blocked


def can_manage(user, traject: Traject | None = None) -> bool:
    """The kerngroep: new traject, changes, advies, terugkoppeling, maatregelen, hiding."""
    return signed_in(user) and user.is_moderator


def can_send_advies(user, traject: Traject) -> bool:
    return can_manage(user, traject) and bool(traject.advies.strip()) and traject.advies_sent_at is None
