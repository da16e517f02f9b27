"""Each signed-in device is a session the server knows, and can end (issue 24).

How it works
------------
At sign-in (``sign_in``) a random token (``secrets.token_urlsafe(32)``) goes into the signed
session cookie, in Flask-Login's ``_user_id`` (its "alternative id" pattern), and a
``DeviceSession`` row holds only the token's SHA-256 digest, a short device label ("iPad,
Safari"), "Ingelogd blijven" or not, and when it signed in and was last seen. Flask-Login's
``user_loader`` (``portal/__init__.py``) hands the token to ``signed_in``: no row, no
person. So ending a session is deleting its row: signing out, "Uitloggen" per device, a new
password (every other device), a deleted or blocked account (every device). An old cookie,
a copied cookie, a cookie from before this change (which carries a number, not a token) or
Flask-Login's remember cookie (which carries a number too) then signs nobody in.

Why not Flask-Session
---------------------
Flask-Session moves the whole session to a server-side store and reads it at every request,
signed in or not. Here the signed cookie keeps everything else (CSRF token, messages, the
welcome street) and only the device id must be checked, and that check is kept per change
like the person was before: ``signed_in`` reads the session row with its person and their
membership once per change (``kept.device_session``, keyed on the digest). Every commit with changes
empties those kept rows on every worker (the change stamp), so a deleted row is gone at the
next request on every worker, and a signed-in page still costs no query for who is asking.

Last seen, and the end of a session
-----------------------------------
``last_seen_at`` is written at most once per ``TOUCH_EVERY`` per session and worker (each
worker remembers when it touched which session), in a short transaction on a connection of
its own and only in a GET: not through the request's unit of work, so it is no change that
empties every worker's kept pages, and never while a POST holds SQLite's write lock. The same
transaction notes the person's visit to the wijk, at most hourly (``following/visits.py``). Without
"Ingelogd blijven" the cookie ends when the browser closes, and the server ends the session
after ``IDLE`` without a request; with it, the cookie and the session last ``REMEMBER_FOR``.

Signed in elsewhere
-------------------
When someone signs in while another of their sessions exists, one mail goes through the
outbox with a one-use link to end the new session (``end_link``). A first sign-in, or the one
right after a new password (which ended all others), mails nothing: that is not news.
"""

import hashlib
import re
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, flash, request, session
from flask_login import login_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from portal import kept
from portal.database import READ_ONLY_METHODS
from portal.dates import datum, local_today
from portal.extensions import db
from portal.following import visits
from portal.mail import public_url, render_text
from portal.models import DeviceSession, User
from portal.models.base import utcnow
from portal.moderation.policy import blocked_message
from portal.outbox import queue_mail
from portal.wijken import settings

IDLE = timedelta(hours=2)  # without "Ingelogd blijven"
REMEMBER_FOR = timedelta(days=90)  # with it; also PERMANENT_SESSION_LIFETIME
TOUCH_EVERY = timedelta(minutes=5)
END_LINK_VALID = timedelta(days=7)
_END_SALT = "apparaat-beeindigen"
_TOUCHED_ENTRIES = 10_000
USER_ID = "_user_id"  # Flask-Login's session key; here it holds the device token


# --- Starting and ending ---------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, remember: bool) -> tuple[str, DeviceSession]:
    """A new session for this device: its token (for the cookie only) and its row."""
    token = secrets.token_urlsafe(32)
    row = DeviceSession(user_id=user.id, token_hash=_digest(token), remember=remember,
                        device=device_label(request.headers.get("User-Agent", "")))
    db.session.add(row)
    db.session.flush()
    return token, row


def sign_in(user: User, remember: bool = False) -> bool:
    """Sign ``user`` in on this device: a fresh cookie session (no fixation) holding a new
    device token. ``remember`` ("Ingelogd blijven"): a cookie of ``REMEMBER_FOR``; otherwise
    one that ends with the browser, and the server ends the session after ``IDLE``. Mails
    "ingelogd op een nieuw apparaat" when another session of the person exists. False for
    an account that cannot sign in (blocked, deleted). Signing in on a wijk's host for the
    first time makes the person take part in it (a resident there, new until trusted)."""
    if not user.is_active:
        return False
    user.part_here()
    others = db.session.scalar(select(DeviceSession.id).where(DeviceSession.user_id == user.id).limit(1))
    session.clear()
    token, row = start_session(user, remember)
    login_user(user, remember=False)  # Flask-Login's remember cookie is not used
    session[USER_ID] = token  # the alternative id: the user_loader receives the token
    session.permanent = remember
    if others is not None:
        _mail_new_device(user, row)
    return True


def current_token() -> str | None:
    token = session.get(USER_ID)
    return token if isinstance(token, str) else None


def end_session(token: str | None) -> None:
    """Sign this device out (the caller clears the cookie session)."""
    if token:
        db.session.execute(delete(DeviceSession).where(DeviceSession.token_hash == _digest(token)))


def end_device(row: DeviceSession) -> None:
    db.session.execute(delete(DeviceSession).where(DeviceSession.id == row.id))


def end_other_sessions(user: User, keep: str | None) -> int:
    """Every session of ``user`` except this device's; how many ended."""
    query = delete(DeviceSession).where(DeviceSession.user_id == user.id)
    if keep:
        query = query.where(DeviceSession.token_hash != _digest(keep))
    return db.session.execute(query).rowcount


def end_all_sessions(user: User) -> None:
    """Every device of ``user`` (a deleted or blocked account)."""
    db.session.execute(delete(DeviceSession).where(DeviceSession.user_id == user.id))


def is_this_device(row: DeviceSession) -> bool:
    token = current_token()
    return token is not None and row.token_hash == _digest(token)


# --- Who is asking ----------------------------------------------------------------------------


def signed_in(token: str) -> User | None:
    """The person this device's session belongs to, or None: no such session (ended, never
    was, an old cookie), an account that cannot sign in, or a session that ran out. The
    session and the person are read once per change (``kept.device_session``,
    ``kept.person``). A blocked account's
    sessions end at their next request, with the reason; unblocking ends them all, so none
    comes back (``end_all_sessions``)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    digest = _digest(token)
    row = kept.device_session(digest=digest)
    user = kept.person(user_id=row.user_id) if row else None
    if user is None:
        return None
    now = utcnow()
    if not user.is_active or _ran_out(row, digest, now):
        _end_ran_out(digest)
        if user.blocked:  # blocked since: this session ends now, and she is told why
            flash(blocked_message(settings.contact_line()), "error")
        return None
    _touch(row, digest, now)
    return user


_touched: OrderedDict[str, datetime] = OrderedDict()  # digest -> when this worker last wrote it
_touched_lock = threading.Lock()


def _last_seen(row, digest: str) -> datetime:
    with _touched_lock:
        touched = _touched.get(digest)
    return max(row.last_seen_at, touched) if touched else row.last_seen_at


def _ran_out(row, digest: str, now: datetime) -> bool:
    if row.remember:
        return now - row.created_at > REMEMBER_FOR
    if now - _last_seen(row, digest) <= IDLE:
        return False
    # The kept row (and this worker's memory) may be older than what another worker wrote:
    # ask the database before ending it. Rare: only after two hours without this worker.
    seen = db.session.scalar(select(DeviceSession.last_seen_at).where(DeviceSession.token_hash == digest))
    return seen is None or now - seen > IDLE


def _writes_on_its_own() -> bool:
    """Only a read request writes on a connection of its own: a POST on SQLite holds the
    write lock in its own unit of work, and a second connection would wait for it."""
    return request.method in READ_ONLY_METHODS


def _end_ran_out(digest: str) -> None:
    _forget_touch(digest)
    if not _writes_on_its_own():
        return  # treated as signed out now; the next GET removes the row
    try:
        with db.engine.begin() as connection:
            connection.execute(delete(DeviceSession).where(DeviceSession.token_hash == digest))
    except SQLAlchemyError:
        current_app.logger.warning("could not remove a session that ran out", exc_info=True)


def _touch(row, digest: str, now: datetime) -> None:
    """Write ``last_seen_at`` at most once per ``TOUCH_EVERY`` per session and worker."""
    if now - _last_seen(row, digest) < TOUCH_EVERY or not _writes_on_its_own():
        return
    _remember_touch(digest, now)
    try:
        with db.engine.begin() as connection:  # not the request's unit of work: no change stamp
            connection.execute(update(DeviceSession).where(DeviceSession.token_hash == digest)
                               .values(last_seen_at=now))
            visits.note_visit(row.user_id, now, connection)  # at most hourly: digests skip what was seen
    except SQLAlchemyError:
        current_app.logger.warning("could not note when a session was last seen", exc_info=True)


def _remember_touch(digest: str, when: datetime) -> None:
    with _touched_lock:
        _touched[digest] = when
        _touched.move_to_end(digest)
        while len(_touched) > _TOUCHED_ENTRIES:
            _touched.popitem(last=False)


def _forget_touch(digest: str) -> None:
    with _touched_lock:
        _touched.pop(digest, None)


# --- The devices list -------------------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    id: int
    label: str
    this_device: bool
    last_seen: datetime
    signed_in: datetime
    remember: bool


def devices_of(user: User) -> list[Device]:
    """The devices ``user`` is signed in on: this one first, then the most recently seen."""
    token = current_token()
    here = _digest(token) if token else None
    rows = db.session.scalars(
        select(DeviceSession).where(DeviceSession.user_id == user.id)
        .order_by(DeviceSession.last_seen_at.desc(), DeviceSession.id.desc())
    ).all()
    devices = [Device(row.id, row.device, row.token_hash == here, _last_seen(row, row.token_hash),
                      row.created_at, row.remember) for row in rows]
    return sorted(devices, key=lambda device: not device.this_device)


def device_of(user: User, device_id: int) -> DeviceSession | None:
    return db.session.scalar(select(DeviceSession).where(DeviceSession.id == device_id,
                                                         DeviceSession.user_id == user.id))


# --- "Ingelogd op een nieuw apparaat" ---------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_END_SALT)


def end_link_token(row: DeviceSession) -> str:
    """The id and a part of the digest: an id used again later (SQLite may) matches nothing."""
    return _serializer().dumps([row.id, row.token_hash[:16]])


def device_from_end_link(token: str) -> DeviceSession | None:
    """The session the mailed link ends, while it exists and the link is young enough."""
    try:
        payload = _serializer().loads(token, max_age=int(END_LINK_VALID.total_seconds()))
    except (SignatureExpired, BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)
            and isinstance(payload[1], str)):
        return None
    row = db.session.get(DeviceSession, payload[0])
    return row if row is not None and row.token_hash[:16] == payload[1] else None


def _mail_new_device(user: User, row: DeviceSession) -> None:
    text = render_text("accounts/mail/new_device.txt", user=user, device=row.device,
                       url=public_url("accounts.end_device_from_mail", token=end_link_token(row)),
                       contact=settings.contact_line())
    queue_mail(user.email, "U bent ingelogd op een ander apparaat", text)


# --- Device labels ----------------------------------------------------------------------------

_SYSTEMS = (  # first match wins: iPads say "Macintosh" since iPadOS 13, so "Mobile" decides
    (re.compile(r"iPad"), "iPad"),
    (re.compile(r"iPhone"), "iPhone"),
    (re.compile(r"Android.*Mobile"), "Android-telefoon"),
    (re.compile(r"Android"), "Android-tablet"),
    (re.compile(r"Macintosh.*Mobile/"), "iPad"),
    (re.compile(r"CrOS"), "Chromebook"),
    (re.compile(r"Windows"), "Windows-computer"),
    (re.compile(r"Macintosh|Mac OS X"), "Mac"),
    (re.compile(r"Linux"), "Linux-computer"),
)
_BROWSERS = (
    (re.compile(r"Edg(e|A|iOS)?/"), "Edge"),
    (re.compile(r"SamsungBrowser/"), "Samsung Internet"),
    (re.compile(r"OPR/|Opera"), "Opera"),
    (re.compile(r"Firefox/|FxiOS/"), "Firefox"),
    (re.compile(r"Chrome/|CriOS/|Chromium/"), "Chrome"),
    (re.compile(r"Safari/"), "Safari"),
)


def device_label(user_agent: str) -> str:
    """ "iPad, Safari": what kind of device and browser, nothing more (the User-Agent itself
    is not stored). A dozen patterns are enough for a label people recognise; a parser
    library with thousands of rules would add nothing they read."""
    system = next((name for pattern, name in _SYSTEMS if pattern.search(user_agent)), None)
    browser = next((name for pattern, name in _BROWSERS if pattern.search(user_agent)), None)
    if system and browser:
        return f"{system}, {browser}"
    return system or browser or "Onbekend apparaat"


def seen_when(moment: datetime, now: datetime | None = None) -> str:
    """ "vandaag", "gisteren" or "op 3 maart 2027": coarse on purpose."""
    now = now or utcnow()
    day, today = local_today(moment), local_today(now)
    if day >= today:
        return "vandaag"
    if (today - day).days == 1:
        return "gisteren"
    return f"op {datum(moment, 'datum')}"
