"""Who may do what with an account: the one place for these rules (``can_<verb>(user, obj)``).

- Only the person herself changes her profile and password, and only while her account is
  active: a deleted account's placeholder ("verwijderde deelnemer") or a blocked account
  never can, whatever cookie a request carries.
- Only the person herself signs out one of her devices.
"""

from portal.access import signed_in
from portal.models import DeviceSession


def can_edit_profile(user) -> bool:
    return signed_in(user) and user.is_active and user.deleted_at is None


def can_end_device(user, device: DeviceSession) -> bool:
    return signed_in(user) and device.user_id == user.id
