"""People who sign in: one account per person for every wijk.

What a person is in a wijk (resident, moderator, coordinator; trusted or blocked there) is
their ``Participation`` in it (``portal/models/wijken.py``); ``role``, ``trusted`` and
``blocked`` below read and write the one of the current wijk. The platform admin
(``platform_admin``) stands above the wijken. The connector (verbinder) role belongs to a
circle membership, not to the account.
"""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.wijken import Participation, Role
from portal.wijk import current_district_id, required_district_id


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # Above the wijken: manages them (``/beheer/wijken``) and counts as every role in each.
    platform_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A new address counts only once its mailed link is followed; until then ``email`` stays.
    pending_email: Mapped[str | None] = mapped_column(String(254))
    # Optional. Who may see it: portal/circles/access.py (can_see_phone).
    phone: Mapped[str] = mapped_column(String(30), default="", server_default="")
    share_phone: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when the account was deleted: the row stays as "verwijderde deelnemer" (so posts
    # keep their place) and can never be signed in to, edited or used again (``is_active``).
    deleted_at: Mapped[datetime | None] = mapped_column()

    # Loaded through the wijk's scope, so it holds the current wijk's part only.
    participations: Mapped[list[Participation]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def here(self) -> Participation | None:
        """This person's part in the current wijk, if they take part in it."""
        district_id = current_district_id()
        for part in self.participations:  # a loop, not next(generator): every page asks often
            if part.district_id == district_id:
                return part
        return None

    def part_here(self) -> Participation:
        """This person's part in the current wijk, made when there is none yet."""
        part = self.here
        if part is None:
            part = Participation(district_id=required_district_id(), role=Role.RESIDENT)
            self.participations.append(part)
        return part

    @property
    def role(self) -> str:
        """The role in the current wijk; the platform admin's is ``admin`` everywhere."""
        if self.platform_admin:
            return Role.ADMIN
        part = self.here
        return part.role if part else Role.RESIDENT

    @role.setter
    def role(self, role: str) -> None:
        if role == Role.ADMIN:
            self.platform_admin = True
            return
        self.part_here().role = role

    @property
    def trusted(self) -> bool:
        """Trusted in the current wijk: what they write needs no moderator first."""
        part = self.here
        return bool(part and part.trusted)

    @trusted.setter
    def trusted(self, trusted: bool) -> None:
        self.part_here().trusted = trusted

    @property
    def blocked(self) -> bool:
        """Blocked by a moderator of the current wijk: cannot sign in there, and an open
        session ends (``is_active``)."""
        part = self.here
        return bool(part and part.blocked)

    @blocked.setter
    def blocked(self, blocked: bool) -> None:
        self.part_here().blocked = blocked

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def first_name(self) -> str:
        """One column holds the whole name; the first word is the first name, the rest the
        last name (the profile form splits and joins it)."""
        return self.name.split()[0] if self.name.strip() else self.name

    @property
    def last_name(self) -> str:
        parts = self.name.split(maxsplit=1)
        return parts[1] if len(parts) > 1 else ""

    @property
    def is_moderator(self) -> bool:
        """Moderators and admins may moderate."""
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_active(self) -> bool:
        """Flask-Login: a blocked or deleted account counts as signed out everywhere."""
        return not self.blocked and self.deleted_at is None

    @property
    def is_new(self) -> bool:
        """*Nieuw*: what this person writes waits for a moderator (portal/moderation/policy.py)."""
        return not (self.trusted or self.is_moderator)

    @property
    def is_coordinator(self) -> bool:
        """Coordinators and admins set up circles (``/beheer/cirkels``)."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def role_label(self) -> str:
        return {Role.RESIDENT: "bewoner", Role.COORDINATOR: "coördinator buurtcirkels",
                Role.MODERATOR: "moderator", Role.INFORMATIEPUNT: "wijkinformatiepunt",
                Role.REDACTEUR: "redacteur wijkbrief",
                Role.ADMIN: "beheerder"}[Role(self.role)]

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class DeviceSession(db.Model):
    """One signed-in device (a browser) of a person, which the server can end
    (``portal/accounts/sessions.py``). The session cookie holds a random token; this row only
    its SHA-256 digest, so a copy of the database signs nobody in. ``device`` is a short label
    made from the browser's User-Agent at sign-in ("iPad, Safari"); the User-Agent itself is
    not stored (AVG: collect little).

    A new row changes nothing anything kept shows (nobody asked for a token before it
    existed), so signing in empties no worker's kept pages (``portal/changes.py``); ending a
    session (a DELETE) does. No ``district_id``: a session belongs to the account, which every
    wijk shares (DESIGN.md, "Third wave")."""

    __tablename__ = "device_sessions"
    quiet_writes = frozenset({"insert"})

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(80))
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<DeviceSession {self.id} of user {self.user_id}: {self.device}>"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()
