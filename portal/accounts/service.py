"""Keeping an account usable: a new password by mail, a new address confirmed by mail, the
profile, and the circle that covers the street someone typed when registering.

Both mailed links are itsdangerous tokens (``SECRET_KEY`` and a salt of their own, so one
kind of link never works as the other), with an age limit checked when they are read:

* **New password** (``/wachtwoord-nieuw/<token>``, one hour): the person's id and a
  fingerprint of their current password hash and address. Any password change (the link
  itself, the profile, another link) changes the hash, so a link works once and every older
  link stops working; so does a change of address.
* **New address** (``/account/email-bevestigen/<token>``, 48 hours): the id and the new
  address. It counts only while that address is still the one waiting in
  ``User.pending_email``: asking for another address voids the earlier link.

Mail goes through the outbox (``queue_mail``): it is account mail, which nobody can switch
off, and it is sent after the commit. Nothing here commits.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from portal.circles.service import CircleSummary, circle_summaries, normalise_street_query
from portal.extensions import db
from portal.mail import public_url, render_text
from portal.models import User
from portal.models.accounts import normalise_email
from portal.outbox import queue_mail
from portal.wijken import settings

RESET_VALID = timedelta(hours=1)
EMAIL_CONFIRM_VALID = timedelta(hours=48)
_RESET_SALT = "wachtwoord-nieuw"
_EMAIL_SALT = "email-bevestigen"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(salt: str, token: str, max_age: timedelta):
    """The token's payload, or None when it was tampered with or is too old."""
    try:
        return _serializer(salt).loads(token, max_age=int(max_age.total_seconds()))
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None


def find_account(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalise_email(email)))


# --- A new password by mail ------------------------------------------------------------------


def _fingerprint(user: User) -> str:
    """Changes with every new password (each hash has its own salt) and with the address; a
    digest, so the token shows nothing of the hash itself."""
    digest = hashlib.sha256(f"{user.password_hash}\0{user.email}".encode())
    return digest.hexdigest()[:20]


def reset_token(user: User) -> str:
    return _serializer(_RESET_SALT).dumps([user.id, _fingerprint(user)])


def user_from_reset_token(token: str) -> User | None:
    """The person the link was made for, or None when it is too old, tampered with, or used
    (their password or address changed since), or the account is blocked."""
    payload = _load(_RESET_SALT, token, RESET_VALID)
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        return None
    user = db.session.get(User, payload[0])
    if user is None or not user.is_active or _fingerprint(user) != payload[1]:
        return None
    return user


def request_password_reset(email: str) -> bool:
    """Mail a link for a new password when an account has this address; the caller answers
    the same either way. True when a message was queued."""
    user = find_account(email)
    if user is None or not user.is_active:
        return False
    text = render_text("accounts/mail/password_reset.txt", user=user,
                       url=public_url("accounts.new_password", token=reset_token(user)),
                       again_url=public_url("accounts.forgot_password"))
    queue_mail(user.email, "Een nieuw wachtwoord voor het Buurtportaal", text)
    return True


def replace_password(user: User, password: str) -> bool:
    """Give ``user`` this new password, unless their password changed since it was read
    (a link used twice at once, two tabs): the UPDATE only matches the hash it started
    from, so exactly one of them wins. False for the one that lost.

    The deliberately slow hash is computed after the request's transaction has ended: on
    SQLite a POST holds the write lock (portal/database.py), and other writers would wait.
    """
    user_id, old_hash = user.id, user.password_hash
    db.session.rollback()
    new_hash = generate_password_hash(password)
    changed = db.session.execute(
        update(User).where(User.id == user_id, User.password_hash == old_hash)
        .values(password_hash=new_hash)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire_all()
    return changed == 1


# --- The profile and a new address -------------------------------------------------------------


def save_profile(user: User, first_name: str, last_name: str, phone: str, share_phone: bool) -> None:
    """One ``name`` column holds both parts (``User.first_name``/``last_name`` split it)."""
    user.name = " ".join(part for part in (first_name, last_name) if part)
    user.phone = phone
    user.share_phone = share_phone


def request_email_change(user: User, email: str) -> bool:
    """Wait for ``email`` and mail it the confirmation link; the old address stays until then.
    Typing the current address again stops waiting for another one. True when a link was
    mailed (asking again for the same address mails a fresh link)."""
    email = normalise_email(email)
    if email == user.email:
        user.pending_email = None
        return False
    user.pending_email = email
    text = render_text("accounts/mail/confirm_email.txt", user=user, email=email,
                       url=public_url("accounts.confirm_email", token=email_token(user, email)))
    queue_mail(email, "Bevestig uw nieuwe e-mailadres", text)
    return True


def email_token(user: User, email: str) -> str:
    return _serializer(_EMAIL_SALT).dumps([user.id, email])


@dataclass
class EmailChange:
    user: User
    email: str


def email_change_from_token(token: str) -> EmailChange | None:
    """The change the link confirms, while that address still waits; None otherwise."""
    payload = _load(_EMAIL_SALT, token, EMAIL_CONFIRM_VALID)
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        return None
    user = db.session.get(User, payload[0])
    if user is None or not user.pending_email or user.pending_email != payload[1]:
        return None
    return EmailChange(user, payload[1])


def confirm_email_change(change: EmailChange) -> bool:
    """The new address counts from now on; the old one gets a short notice. False when
    another account took the address in the meantime (the unique address refuses it, in a
    savepoint, so the request goes on and can say so); then it no longer waits either."""
    user, old = change.user, change.user.email
    try:
        with db.session.begin_nested():
            user.email = change.email
            user.pending_email = None
    except IntegrityError:
        db.session.refresh(user)
        user.pending_email = None
        return False
    text = render_text("accounts/mail/email_changed.txt", user=user, email=change.email,
                       contact=settings.contact_line())
    queue_mail(old, "Uw e-mailadres bij het Buurtportaal is veranderd", text)
    return True


# --- Registration: the circle of your street ---------------------------------------------------


def circles_covering(street: str) -> list[CircleSummary]:
    """The circles with exactly this street (what someone typed, house number and case
    aside): ``circle_summaries`` also finds streets and circle names that merely contain it."""
    wanted = normalise_street_query(street).casefold()
    if not wanted:
        return []
    return [summary for summary in circle_summaries(wanted)
            if any(s.name.casefold() == wanted for s in summary.circle.streets)]
