"""All models, one module per domain. Import from here: ``from portal.models import User``."""

from portal.models.accounts import Role, User
from portal.models.circles import District, Neighbourhood

__all__ = ["District", "Neighbourhood", "Role", "User"]

# Agenda and mail preferences (issue 6)
from portal.models.events import Event, Registration, RegistrationStatus  # noqa: E402
from portal.models.notifications import HelpItemMail, NotificationPreference  # noqa: E402

__all__ += ["Event", "HelpItemMail", "NotificationPreference", "Registration", "RegistrationStatus"]
