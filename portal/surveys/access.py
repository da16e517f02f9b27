"""Who may do what with peilingen: the one place for these rules (``can_<verb>(user, obj)``).

- Everybody sees the list, a peiling that has opened, and its printable questionnaire.
  A peiling in preparation (before its first day) is seen only by moderators (404 for others).
- Signed-in residents answer an open peiling, once; until it closes they may change their
  answers. Blocked accounts cannot sign in, so they cannot answer either.
- A verbinder (connector of a buurtcirkel) and moderators enter a paper form *namens* a
  neighbour while the peiling is open.
- The results are public once a moderator published them; moderators always see them.
- Moderators and admins build peilingen, approve open answers, publish results, download the
  CSV, see the contact list and turn an outcome into a post "Uit de peiling".
"""

from portal.access import signed_in
from portal.circles.access import membership_of
from portal.models import Survey


def can_manage_surveys(user) -> bool:
    return signed_in(user) and user.is_moderator


def can_see(user, survey: Survey) -> bool:
    return survey.has_started() or can_manage_surveys(user)


def can_answer(user, survey: Survey) -> bool:
    return signed_in(user) and not user.blocked and survey.is_open()


def is_verbinder(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.is_connector


def can_enter_paper(user, survey: Survey) -> bool:
    """Namens: a paper form from a neighbour without internet."""
    return survey.is_open() and (is_verbinder(user) or can_manage_surveys(user))


def can_read_results(user, survey: Survey) -> bool:
    return (survey.results_published and survey.has_started()) or can_manage_surveys(user)


def can_download_results(user, survey: Survey) -> bool:
    return can_manage_surveys(user)


def can_see_contacts(user, survey: Survey) -> bool:
    return can_manage_surveys(user)


def can_post_outcome(user, survey: Survey) -> bool:
    """Only about results everyone can read."""
    return can_manage_surveys(user) and survey.results_published
