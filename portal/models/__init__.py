"""All models, one module per domain. Import from here: ``from portal.models import User``."""

from portal.models.accounts import Role, User
from portal.models.board import (
    ContentStatus,
    MunicipalStatus,
    Post,
    PostKind,
    Reply,
    SignalPhase,
    Support,
    Theme,
)
from portal.models.circles import District, Neighbourhood

__all__ = ["District", "Neighbourhood", "Role", "User"]
__all__ += [
    "ContentStatus", "MunicipalStatus", "Post", "PostKind", "Reply", "SignalPhase", "Support", "Theme",
]
