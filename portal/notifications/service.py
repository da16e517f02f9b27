"""Mail that people can switch off: preferences, signed unsubscribe links, and ``notify``.

Five kinds of mail (``MailKind``), each with its own switch in ``NotificationPreference``:

- ``help_items``: someone responded to your help item; new help items in your circle (at
  once or in the daily digest). ``never`` stops both.
- ``event_reminders``: the reminder the day before an event; a seat came free for you.
- ``moderation``: a moderator's decision about what you posted.
- ``post_updates``: a signal you wrote or supported moved on (doorgestuurd, in behandeling,
  the gemeente's answer).
- ``following``: news about a theme, group or post you follow, sent at the pace you chose
  (``digest``: direct, dagelijks, wekelijks, nooit; ``portal/following/``).

How a domain sends one (e.g. the circles blueprint when someone responds to a help item)::

    from portal.notifications.service import MailKind, notify
    notify(owner, MailKind.HELP_ITEMS, "Iemand reageerde op uw hulpvraag", text)

``notify`` checks the preference, adds the unsubscribe link to the text and the
``List-Unsubscribe`` headers, and writes the message to the outbox (``portal/outbox.py``): it
goes out after the commit, never while the person waits.

The unsubscribe link is ``/afmelden/<soort>/<token>``: the token
is the person's id and address, signed with ``SECRET_KEY`` and a salt per kind, so a link
for reminders cannot switch off anything else, and it stops working when the address changes.
"""

from collections.abc import Iterable
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.extensions import db
from portal.mail import public_url
from portal.models import DigestPace, HelpItemMail, NotificationPreference, User
from portal.outbox import queue_mail
from portal.wijk import required_district_id
from portal.wijken import settings


class MailKind(StrEnum):
    HELP_ITEMS = "help_items"
    EVENT_REMINDERS = "event_reminders"
    MODERATION = "moderation"
    POST_UPDATES = "post_updates"
    FOLLOWING = "following"  # the switch is ``digest``: its pace, ``nooit`` stops it


# The Dutch word in the unsubscribe address, and what the confirmation page calls the mail.
KIND_SLUGS = {
    MailKind.HELP_ITEMS: "hulpvragen",
    MailKind.EVENT_REMINDERS: "herinneringen",
    MailKind.MODERATION: "moderatie",
    MailKind.POST_UPDATES: "berichten",
    MailKind.FOLLOWING: "volgen",
}
KIND_LABELS = {
    MailKind.HELP_ITEMS: "e-mail over hulpvragen en hulpaanbod in uw buurtcirkel",
    MailKind.EVENT_REMINDERS: "herinneringen aan bijeenkomsten in de agenda",
    MailKind.MODERATION: "berichten over besluiten van moderatoren",
    MailKind.POST_UPDATES: "nieuws over signalen die u plaatste of steunde",
    MailKind.FOLLOWING: "e-mail over thema's, groepen en berichten die u volgt",
}
KIND_BY_SLUG = {slug: kind for kind, slug in KIND_SLUGS.items()}


# --- preferences -------------------------------------------------------------------------

def preferences_for(user: User) -> NotificationPreference:
    """The person's settings; the defaults (not yet saved) when they never changed any."""
    preference = db.session.get(NotificationPreference, (user.id, required_district_id()))
    if preference is None:
        preference = NotificationPreference(
            user_id=user.id, help_items=HelpItemMail.DAILY, event_reminders=True, moderation=True,
            post_updates=True, digest=DigestPace.WEEKLY, digest_weekday=0,
        )
    return preference


def save_preferences(user: User, help_items: str, event_reminders: bool, moderation: bool,
                     post_updates: bool = True, digest: str | None = None,
                     digest_weekday: int | None = None) -> None:
    """Save the settings; ``digest`` and ``digest_weekday`` stay as they were when not given."""
    preference = preferences_for(user)
    preference.help_items = HelpItemMail(help_items)
    preference.event_reminders = event_reminders
    preference.moderation = moderation
    preference.post_updates = post_updates
    if digest is not None:
        preference.digest = DigestPace(digest)
    if digest_weekday is not None:
        preference.digest_weekday = digest_weekday
    db.session.add(preference)


def set_pace(user: User, digest: str, digest_weekday: int | None = None) -> None:
    """Only the pace of mail about what one follows (and the day of the weekly digest)."""
    preference = preferences_for(user)
    preference.digest = DigestPace(digest)
    if digest_weekday is not None:
        preference.digest_weekday = digest_weekday
    db.session.add(preference)


def wants_mail(user: User, kind: MailKind) -> bool:
    """Whether this person still wants this kind of mail at all."""
    preference = preferences_for(user)
    if kind == MailKind.HELP_ITEMS:
        return preference.help_items != HelpItemMail.NEVER
    if kind == MailKind.FOLLOWING:
        return preference.digest != DigestPace.NEVER
    return bool(getattr(preference, kind.value))


def users_with_help_item_mode(user_ids: Iterable[int], mode: HelpItemMail) -> list[User]:
    """Of these people, those whose help-item setting is ``mode`` (missing row = daily), in
    one query: for the instant mail (``direct``) and the daily digest (``daily``)."""
    ids = list(user_ids)
    if not ids:
        return []
    setting = db.func.coalesce(NotificationPreference.help_items, HelpItemMail.DAILY.value)
    query = (
        db.select(User)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(User.id.in_(ids), setting == mode.value)
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def unsubscribe(user: User, kind: MailKind) -> None:
    """Switch this kind of mail off (the one-click target and the confirm button)."""
    preference = preferences_for(user)
    if kind == MailKind.HELP_ITEMS:
        preference.help_items = HelpItemMail.NEVER
    elif kind == MailKind.FOLLOWING:
        preference.digest = DigestPace.NEVER
    else:
        setattr(preference, kind.value, False)
    db.session.add(preference)


# --- signed unsubscribe links ------------------------------------------------------------

def _serializer(kind: MailKind) -> URLSafeSerializer:
    """No expiry on purpose: an unsubscribe link in a mail from last year must still work."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"unsubscribe-{kind.value}")


def unsubscribe_token(user: User, kind: MailKind) -> str:
    return _serializer(kind).dumps([user.id, user.email])


def user_from_token(kind: MailKind, token: str) -> User | None:
    """The person the link was made for, or None when it was tampered with or the address
    has changed since."""
    try:
        user_id, email = _serializer(kind).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.email == email else None


def unsubscribe_url(user: User, kind: MailKind) -> str:
    return public_url(
        "notifications.unsubscribe_page", soort=KIND_SLUGS[kind], token=unsubscribe_token(user, kind)
    )


# --- sending -----------------------------------------------------------------------------

def notify(user: User, kind: MailKind, subject: str, text: str) -> bool:
    """Mail ``user`` unless they switched this kind off; True when a message was queued.

    Plain text only: ``text`` gets a footer with the unsubscribe link, the message the
    one-click headers. It is written to the outbox in the caller's unit of work and sent after
    the commit (a mail server that is down delays it; see ``portal/outbox.py``).
    """
    if not wants_mail(user, kind):
        return False
    link = unsubscribe_url(user, kind)
    footer = (
        f"\n\n--\nU krijgt deze e-mail van het Buurtportaal {settings.wijk_name()} omdat u "
        f"{KIND_LABELS[kind]} ontvangt.\n"
        f"Wilt u dit niet meer? Klik hier: {link}\n"
        f"Uw instellingen: {public_url('notifications.preferences')}\n"
    )
    queue_mail(user.email, subject, text.rstrip() + footer, unsubscribe_url=link)
    return True
