"""All models, one module per domain. Import from here: ``from portal.models import User``."""

from portal.models.accounts import Role, User
from portal.models.circles import District, Neighbourhood

__all__ = ["District", "Neighbourhood", "Role", "User"]
