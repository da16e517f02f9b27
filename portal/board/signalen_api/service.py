"""Meldingen to Signalen: written with the moderator's change, sent and read back after.

``send_melding`` only adds a ``SignalenMelding`` row to the moderator's unit of work. The
scheduled ``flask sync-signalen`` (``portal/cron.py``) then

1. sends what waits (``send_waiting``), each melding claimed once with the outbox's
   ``claim``, so two senders never file it twice; a Signalen that is down or answers 5xx
   leaves it waiting, tried again after ``outbox.retry_after``; a 4xx gives up at once
   (the same body would be refused again) and the moderator sees why;
2. reads the public status of every open melding (``sync_statuses``).

No transaction is open while Signalen is called (SQLite would hold its write lock). Each wijk
has its own Signalen settings (``portal/wijken/settings.py``; the install's ``SIGNALEN_URL``
and ``SIGNALEN_CATEGORY`` where a wijk has none); the command runs once per wijk.
"""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import outbox
from portal.board import access
from portal.board.signalen_api import api
from portal.board.signalen_api.forms import MeldingForm
from portal.circles import service as circle_service
from portal.database import commit
from portal.extensions import db
from portal.mail import public_url
from portal.models import Post, SignalenMelding
from portal.models.base import utcnow
from portal.wijken import settings

CLOSED = "CLOSED"


def signalen_url() -> str:
    """The current wijk's Signalen; empty: none of this exists there."""
    return settings.signalen_url()


def melding_of(post: Post) -> SignalenMelding | None:
    return db.session.scalar(select(SignalenMelding).where(SignalenMelding.post_id == post.id))


def place_of(post: Post) -> tuple[float, float] | None:
    """The centre of the post's buurt (the middle of its circles), else of every circle."""
    found = circle_service.centre(post.neighbourhood_id) if post.neighbourhood_id else None
    return found or circle_service.centre()


def post_page_context(post: Post, user, form: MeldingForm | None = None) -> dict:
    """What the post page shows of Signalen: the melding when there is one, else the form for
    a moderator; nothing without ``SIGNALEN_URL``, for a post that is no signal, or for a
    signal that was not sent to anyone who may not send it."""
    if not signalen_url() or not post.is_signal:
        return {"signalen_on": False}
    melding = melding_of(post)
    may_send = access.can_send_melding(user, post)
    if melding is None and form is None and may_send:
        latitude, longitude = place_of(post) or (None, None)
        form = MeldingForm(formdata=None, latitude=latitude, longitude=longitude)
    form = form if melding is None and may_send else None
    return {"signalen_on": bool(melding or form), "melding": melding, "melding_form": form,
            "melding_moderator": access.can_answer_signals(user)}


def send_melding(post: Post, moderator, latitude: float, longitude: float,
                 share_contact: bool) -> SignalenMelding | None:
    """Record the melding in this unit of work (sent after the commit); None when the post
    has one already."""
    melding = SignalenMelding(post_id=post.id, sent_by_id=moderator.id, latitude=latitude,
                              longitude=longitude, share_contact=share_contact, next_attempt_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(melding)
    except IntegrityError:
        return None
    return melding


def send_waiting(now=None, limit: int = 100) -> outbox.SendReport:
    """Send every melding that is due, each at most once (see the module)."""
    now = now or utcnow()
    report = outbox.SendReport()
    base_url = signalen_url()
    if not base_url:
        return report
    for melding_id in outbox.due_ids(SignalenMelding, now, limit):
        if not outbox.claim(SignalenMelding, melding_id, now):
            continue
        melding = db.session.get(SignalenMelding, melding_id)
        what = f"melding {melding.id} (post {melding.post_id})"
        if not melding.post.is_published:
            outbox.record_failure(melding, now, "Het bericht is niet meer openbaar.", what, give_up=True)
            report.failed += 1
            commit()
            continue
        request = _melding_request(melding, base_url)
        commit()  # no transaction open while Signalen answers
        try:
            answer = api.create_signal(base_url, request)
        except api.SignalenError as error:
            melding = db.session.get(SignalenMelding, melding_id)
            outbox.record_failure(melding, now, str(error), what,
                                  give_up=isinstance(error, api.SignalenRefused))
            report.failed += 1
        else:
            melding = db.session.get(SignalenMelding, melding_id)
            outbox.record_sent(melding, now)
            _record_answer(melding, answer, now)
            report.sent += 1
        commit()
    return report


def sync_statuses(now=None, limit: int = 500) -> outbox.SendReport:
    """Read the public status of every melding Signalen has not closed, least recently read
    first; ``sent`` counts the ones read, ``failed`` the ones that could not be."""
    now = now or utcnow()
    report = outbox.SendReport()
    base_url = signalen_url()
    if not base_url:
        return report
    open_ones = db.session.execute(
        select(SignalenMelding.id, SignalenMelding.signal_id)
        .where(SignalenMelding.signal_id.is_not(None), SignalenMelding.state != CLOSED)
        .order_by(func.coalesce(SignalenMelding.synced_at, SignalenMelding.created_at), SignalenMelding.id)
        .limit(limit)
    ).all()
    commit()
    for melding_id, signal_id in open_ones:
        try:
            answer = api.read_signal(base_url, signal_id)
        except api.SignalenError as error:
            current_app.logger.warning("status of melding %s not read: %s", melding_id, error)
            report.failed += 1
            continue
        _record_answer(db.session.get(SignalenMelding, melding_id), answer, now)
        commit()
        report.sent += 1
    return report


def _melding_request(melding: SignalenMelding, base_url: str) -> api.Melding:
    post, author = melding.post, melding.post.author
    return api.Melding(
        text=f"{post.title}\n\n{post.body}",
        text_extra=f"Gemeld via het Buurtportaal {settings.wijk_name()}: "
                   f"{public_url('board.post', post_id=post.id)}",
        latitude=melding.latitude,
        longitude=melding.longitude,
        incident_start=post.created_at,
        category_url=api.category_url(base_url, settings.signalen_category()),
        email=author.email if melding.share_contact else "",
        phone=(author.phone or "") if melding.share_contact else "",
    )


def _record_answer(melding: SignalenMelding, answer: api.PublicSignal, now) -> None:
    melding.signal_id = answer.signal_id
    melding.reference = answer.reference or melding.reference
    melding.state = answer.state
    melding.state_text = answer.state_text
    melding.synced_at = now
