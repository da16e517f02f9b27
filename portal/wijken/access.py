"""Who may do what with the wijken themselves: the one place for these rules.

- The platform admin (``User.platform_admin``, above the wijken) adds wijken and changes their
  name, hosts, contact line, the gemeente's addresses, Signalen, sender, colour and logo
  (``/beheer/wijken``). Nobody else: not a wijk's moderators or coordinators.
- Everyone sees the current wijk's name, colour and logo on every page.

Rules are ``can_<verb>(user)`` (see ``portal/access.py``).
"""

from portal.access import signed_in


def can_manage_wijken(user) -> bool:
    """``/beheer/wijken``: the platform admin only."""
    return signed_in(user) and bool(getattr(user, "platform_admin", False))
