"""May this person post this, and is it public at once? The one place the board and the
circles ask before they store what someone wrote.

* **Trust.** A new account is *nieuw* (``User.is_new``) until a moderator trusts it or three
  of its contributions have been approved. What a *nieuw* account writes starts *pending*: its
  author sees it marked "wacht op controle", nobody else does, and it waits in the queue.
  Trusted residents, moderators and admins publish at once, except when the form's hidden
  honeypot field came back filled in (a bot, or a browser's autofill): then it waits too.
* **Refusals** (a Dutch message next to the field, the text kept): a blocked account; a link
  from a *nieuw* account; the same text twice within an hour by the same person.
* **Rate limits** per account (``limit_per_person``), answered with the friendly 429 page.
"""

import re
from datetime import timedelta

from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import ContentStatus, SubjectType, User
from portal.models.base import utcnow
from portal.moderation import subjects

TRUST_AFTER_APPROVALS = 3
DUPLICATE_WINDOW = timedelta(hours=1)

# An address: with a scheme, starting with www., or a bare domain with a common ending.
LINK = re.compile(
    r"(?:https?://|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|info|be|de|io|biz|ru)\b)",
    re.IGNORECASE,
)

BLOCKED = "Uw account is geblokkeerd. U kunt daarom niets plaatsen."
SIGN_IN_BLOCKED = (
    "Uw account is geblokkeerd door een moderator. U kunt daarom niet inloggen. Denkt u dat dit "
    "niet klopt? Neem contact op met het wijkinformatiepunt: {contact}"
)
NO_LINKS_YET = (
    "Nieuwe deelnemers kunnen nog geen webadressen (links) plaatsen. Haal het webadres weg; de "
    "rest van uw tekst blijft staan. Na drie goedgekeurde bijdragen kan het wel."
)
DUPLICATE = (
    "U heeft deze tekst het afgelopen uur al geplaatst. Wilt u iets nieuws zeggen? Pas de tekst "
    "dan aan."
)


def blocked_message(contact: str) -> str:
    """What a blocked person reads when signing in, or when their open session ends."""
    return SIGN_IN_BLOCKED.format(contact=contact)


def initial_status(author: User, hold: bool = False) -> str:
    """Where a new post, reply or help item starts. ``hold``: it waits for a moderator
    whoever wrote it (the form's hidden honeypot field was filled in, see portal/forms.py)."""
    return ContentStatus.PENDING if author.is_new or hold else ContentStatus.PUBLISHED


def per_person() -> str:
    """Rate limits per account, so neighbours behind one router do not share a limit."""
    return f"user:{current_user.get_id()}"


def limit_per_person(rate: str):
    """A rate limit on the POSTs of a view, counted per account."""
    return limiter.limit(rate, key_func=per_person, methods=["POST"])


def may_contribute(author: User, subject_type: SubjectType, *fields, editing: bool = False) -> bool:
    """Check a validated form before it is stored. ``fields`` are the form fields with the
    person's text (title first, main text last). On a refusal the message is added to the
    field it is about and False is returned, so the view answers 422 with the text kept.
    ``editing``: the text exists already, so only the link rule applies."""
    if author.blocked:
        return _refuse(fields[0], BLOCKED)
    if author.is_new:
        with_link = next((f for f in fields if LINK.search(f.data or "")), None)
        if with_link is not None:
            return _refuse(with_link, NO_LINKS_YET)
    if not editing and _posted_within_the_hour(author, subject_type, [f.data or "" for f in fields]):
        return _refuse(fields[-1], DUPLICATE)
    return True


def _refuse(field, message: str) -> bool:
    field.errors = [*field.errors, message]
    return False


def _normalised(parts) -> str:
    return " ".join("\n".join(parts).split()).casefold()


def _posted_within_the_hour(author: User, subject_type: SubjectType, parts: list[str]) -> bool:
    """The same text (case and spacing aside) by the same person within the hour. Rate limits
    keep the number of rows this reads small; the author's index finds them."""
    kind = subjects.KINDS[subject_type]
    model, columns = kind.model, kind.text_columns
    since = utcnow() - DUPLICATE_WINDOW
    rows = db.session.execute(
        select(*columns).where(model.author_id == author.id, model.created_at >= since)
    )
    text = _normalised(parts)
    return any(_normalised(row) == text for row in rows)
