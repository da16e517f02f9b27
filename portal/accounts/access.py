"""Who may see what of an account: the one place for these rules.

- **Phone number.** The person themself, and the verbinders of their circle (who call
  neighbours, also about help). Fellow members of the circle only when the person ticked
  ``share_phone``. Nobody else: not other circles, not visitors, not moderators. The privacy
  page (``pages/privacy.html``) says exactly this.
"""

from portal.access import signed_in
from portal.circles.access import circle_of, is_connector, is_member
from portal.models import User


def can_see_phone(viewer, person: User) -> bool:
    if not signed_in(viewer):
        return False
    if viewer.id == person.id:
        return True
    circle = circle_of(person)
    if circle is None:
        return False
    return is_connector(viewer, circle) or (person.share_phone and is_member(viewer, circle))
