"""Meedenken's queries and changes (nothing here commits; the request or command does).

* ``is_open``: inbreng is taken while the phase is ``ophalen`` and until the end of
  ``ophalen_until`` (Europe/Amsterdam).
* Steun with ``insert_once`` (one per person, ``support_count`` kept in the same
  transaction). Reports and hiding go through ``portal/moderation`` (``moderated.py``).
* Reactions on inbreng (``InbrengReply``) while ``ophalen`` runs, moderated like the board's
  replies; ``reply_count`` kept with each one that goes on or off line (``count_reply``), and
  only the inbreng's author hears of one (``tell_author_of_reply``), at their own pace.
* The advies: saved (and so published) by the kerngroep with the inbreng it cites;
  ``send_advies`` mails it ONCE to the wijk's gemeente addresses (``GEMEENTE_MAIL``) with a
  signed link ``/meedenken/reactie/<token>``, valid ``REACTIE_LINK_DAYS`` days and good for
  one reaction.
* ``tell_participants`` is the one way the people who gave inbreng or supported it hear of a
  step (the advies, the reaction), once per step.
"""

import math
from datetime import UTC, datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload

from portal.board.gemeente_signals import parse_gemeente_mail
from portal.database import add_to_counter, insert_once
from portal.dates import local_today
from portal.extensions import db
from portal.following.service import tell_followers, tell_people
from portal.mail import public_url, render_text
from portal.models import (
    Event,
    FollowKind,
    Inbreng,
    InbrengReply,
    InbrengSupport,
    Maatregel,
    Survey,
    Traject,
    User,
)
from portal.models.base import utcnow
from portal.moderation import policy as moderation_policy
from portal.moderation import service as moderation
from portal.outbox import queue_mail
from portal.slugs import unique_slug
from portal.wijken import settings

REACTIE_LINK_DAYS = 60
PUBLISHED = "published"
REPLIES_PER_PAGE = 25


class Closed(Exception):
    """Inbreng after the ophalen phase ended."""


# --- trajecten ------------------------------------------------------------------------------


def trajecten() -> list[Traject]:
    return list(db.session.scalars(select(Traject).order_by(Traject.created_at.desc(), Traject.id.desc())
                                   .limit(200)))


def traject_by_slug(slug: str) -> Traject | None:
    return db.session.scalar(select(Traject).where(Traject.slug == slug))


def new_slug(title: str) -> str:
    taken = set(db.session.scalars(select(Traject.slug)))
    return unique_slug(title, taken, "traject")[:80]


def is_open(traject: Traject, now: datetime | None = None) -> bool:
    return traject.phase == "ophalen" and local_today(now or utcnow()) <= traject.ophalen_until


def linked(traject: Traject) -> tuple[list[Event], list[Survey]]:
    events = list(db.session.scalars(select(Event).where(Event.traject_id == traject.id)
                                     .order_by(Event.starts_at).limit(50)))
    surveys = list(db.session.scalars(select(Survey).where(Survey.traject_id == traject.id)
                                      .order_by(Survey.opens_at).limit(50)))
    return events, surveys


def linkable() -> tuple[list[Event], list[Survey]]:
    """Bijeenkomsten and peilingen the kerngroep may link (the newest 100 of each)."""
    events = list(db.session.scalars(select(Event).order_by(Event.starts_at.desc()).limit(100)))
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.opens_at.desc()).limit(100)))
    return events, surveys


def set_links(traject: Traject, event_ids: list[int], survey_ids: list[int]) -> None:
    for model, ids in ((Event, event_ids), (Survey, survey_ids)):
        db.session.execute(update(model).where(model.traject_id == traject.id, model.id.not_in(ids or [0]))
                           .values(traject_id=None))
        if ids:
            db.session.execute(update(model).where(model.id.in_(ids)).values(traject_id=traject.id))


# --- inbreng --------------------------------------------------------------------------------


def inbreng_query(traject: Traject, with_hidden: bool = False):
    """A traject's inbreng, most steun first, then newest; moderators also see what is hidden."""
    query = (select(Inbreng).where(Inbreng.traject_id == traject.id)
             .options(joinedload(Inbreng.author))
             .order_by(Inbreng.support_count.desc(), Inbreng.created_at.desc(), Inbreng.id.desc()))
    if not with_hidden:
        query = query.where(Inbreng.status == PUBLISHED)
    return query


def inbreng_by_id(traject: Traject, inbreng_id: int) -> Inbreng | None:
    return db.session.scalar(select(Inbreng).where(Inbreng.id == inbreng_id, Inbreng.traject_id == traject.id)
                             .options(joinedload(Inbreng.author)))


MAX_ON_MAP = 300


def inbreng_on_map(traject: Traject) -> list[Inbreng]:
    """The published inbreng with a place (the newest ``MAX_ON_MAP``), oldest first: the
    numbers on the map stay the same when more comes in."""
    newest = (select(Inbreng).where(Inbreng.traject_id == traject.id, Inbreng.status == PUBLISHED,
                                    Inbreng.latitude.is_not(None), Inbreng.longitude.is_not(None))
              .order_by(Inbreng.id.desc()).limit(MAX_ON_MAP))
    return sorted(db.session.scalars(newest), key=lambda item: item.id)


def cited(traject: Traject) -> list[Inbreng]:
    return list(db.session.scalars(
        select(Inbreng).where(Inbreng.traject_id == traject.id, Inbreng.cited.is_(True),
                              Inbreng.status == PUBLISHED)
        .options(joinedload(Inbreng.author)).order_by(Inbreng.id)
    ))


def supported_ids(user, ids: list[int]) -> set[int]:
    if not ids or user is None or not user.is_authenticated:
        return set()
    return set(db.session.scalars(select(InbrengSupport.inbreng_id).where(
        InbrengSupport.user_id == user.id, InbrengSupport.inbreng_id.in_(ids))))


def add_inbreng(traject: Traject, author: User, text: str, theme: str = "anders",
                on_behalf_name: str = "", now: datetime | None = None, hold: bool = False,
                point: tuple[float, float] | None = None) -> Inbreng:
    if not is_open(traject, now):
        raise Closed
    latitude, longitude = point or (None, None)
    inbreng = Inbreng(traject_id=traject.id, author=author, text=text.replace("\r\n", "\n").strip(),
                      theme=theme or "anders", on_behalf_name=(on_behalf_name or "").strip(),
                      latitude=latitude, longitude=longitude,
                      status=moderation_policy.initial_status(author, hold), created_at=utcnow())
    db.session.add(inbreng)
    db.session.flush()
    moderation.submitted(inbreng)  # a new account's inbreng waits for a moderator, as a post does
    return inbreng


def set_support(inbreng: Inbreng, user: User, wanted: bool) -> bool:
    """Give (``wanted``) or withdraw steun; whether anything changed."""
    if wanted:
        changed = insert_once(InbrengSupport, inbreng_id=inbreng.id, user_id=user.id, created_at=utcnow())
        amount = 1
    else:
        changed = bool(db.session.execute(delete(InbrengSupport).where(
            InbrengSupport.inbreng_id == inbreng.id, InbrengSupport.user_id == user.id)).rowcount)
        amount = -1
    if changed:
        add_to_counter(Inbreng.support_count, inbreng.id, amount)
    return changed


# --- reactions on inbreng -------------------------------------------------------------------


def visible_replies(inbreng: Inbreng, viewer, with_hidden: bool = False):
    """The published reactions on a contribution, the viewer's own (waiting or hidden) and, for
    moderators (``with_hidden``), every one, oldest first."""
    query = select(InbrengReply).where(InbrengReply.inbreng_id == inbreng.id)
    if not with_hidden:
        shown = InbrengReply.status == PUBLISHED
        if viewer is not None and viewer.is_authenticated:
            shown = shown | (InbrengReply.author_id == viewer.id)
        query = query.where(shown)
    return query.options(joinedload(InbrengReply.author)).order_by(InbrengReply.created_at, InbrengReply.id)


def replies_page(inbreng: Inbreng, viewer, page: int, with_hidden: bool = False):
    return db.paginate(visible_replies(inbreng, viewer, with_hidden), page=page, per_page=REPLIES_PER_PAGE,
                       error_out=False)


def last_reply_page(inbreng: Inbreng) -> int:
    return max(1, math.ceil(inbreng.reply_count / REPLIES_PER_PAGE))


def reply_by_id(inbreng: Inbreng, reply_id: int) -> InbrengReply | None:
    return db.session.scalar(select(InbrengReply).where(InbrengReply.id == reply_id,
                                                        InbrengReply.inbreng_id == inbreng.id)
                             .options(joinedload(InbrengReply.author)))


def add_reply(inbreng: Inbreng, author: User, text: str, now: datetime | None = None,
              hold: bool = False) -> InbrengReply:
    """A reaction on a contribution, while its traject's ``ophalen`` runs: public at once, or
    waiting for a moderator (a new account's, or ``hold``), as a reply on the board."""
    if not is_open(inbreng.traject, now):
        raise Closed
    reply = InbrengReply(inbreng_id=inbreng.id, author=author, text=text.replace("\r\n", "\n").strip(),
                         status=moderation_policy.initial_status(author, hold), created_at=utcnow())
    db.session.add(reply)
    if reply.status == PUBLISHED:
        count_reply(reply, 1)
    db.session.flush()  # its id, for the anchor
    moderation.submitted(reply)
    tell_author_of_reply(reply)
    return reply


def count_reply(reply: InbrengReply, amount: int) -> None:
    """A reaction goes on (+1) or off (-1) line: its contribution's ``reply_count``, in the same
    transaction (here and through moderation, ``moderated.py``)."""
    add_to_counter(Inbreng.reply_count, reply.inbreng_id, amount)


def tell_author_of_reply(reply: InbrengReply) -> int:
    """A published reaction reaches the one who gave the inbreng (not when they reacted
    themselves), at the pace they chose (``portal/following``): a mail now, an item of their
    digest, or nothing. Nobody else: those who follow the traject hear of its steps, not of
    every reaction. Whether they were told (1) or not (0)."""
    inbreng = reply.inbreng
    if reply.status != PUBLISHED or inbreng.author_id == reply.author_id:
        return 0
    traject = inbreng.traject
    whose = (f"de inbreng die u namens {inbreng.on_behalf_name} gaf" if inbreng.on_behalf_name
             else "uw inbreng")
    url = public_url("meedenken.inbreng", slug=traject.slug, inbreng_id=inbreng.id) + f"#reactie-{reply.id}"
    return tell_people([inbreng.author_id], FollowKind.TRAJECT, traject.id,
                       source=f"Meedenken: {traject.title}",
                       title=f"{reply.author.name} reageerde op {whose}", text=reply.text, url=url,
                       subject=f"Nieuwe reactie op {whose} over {traject.title}").total


def set_outcome(inbreng: Inbreng, outcome: str, reason: str) -> None:
    inbreng.outcome = outcome
    inbreng.outcome_reason = reason.strip()


def theme_counts(traject: Traject) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Inbreng.theme, func.count())
        .where(Inbreng.traject_id == traject.id, Inbreng.status == PUBLISHED)
        .group_by(Inbreng.theme).order_by(func.count().desc(), Inbreng.theme)
    ).all()
    return [(theme, count) for theme, count in rows]


def all_inbreng(traject: Traject, limit: int = 2000) -> list[Inbreng]:
    """The published inbreng for the kerngroep's advies form (most steun first)."""
    return list(db.session.scalars(inbreng_query(traject).limit(limit)))


# --- the advies -----------------------------------------------------------------------------


def save_advies(traject: Traject, text: str, cited_ids: list[int]) -> None:
    """Write the advies (publishing it on the traject) with the inbreng it cites."""
    traject.advies = text.replace("\r\n", "\n").strip()
    traject.advies_published_at = traject.advies_published_at or utcnow()
    db.session.execute(update(Inbreng).where(Inbreng.traject_id == traject.id).values(cited=False))
    if cited_ids:
        db.session.execute(update(Inbreng).where(Inbreng.traject_id == traject.id, Inbreng.id.in_(cited_ids))
                           .values(cited=True))
    if traject.phase == "ophalen":
        traject.phase = "advies"


class AlreadySent(Exception):
    """The advies went to the gemeente before: it is sent once."""


def send_advies(traject: Traject) -> list[str]:
    """Mail the advies once to the gemeente's addresses with the reaction link, and tell the
    participants. The addresses it went to."""
    claimed = db.session.execute(
        update(Traject).where(Traject.id == traject.id, Traject.advies_sent_at.is_(None))
        .values(advies_sent_at=utcnow())
    ).rowcount
    if not claimed:
        raise AlreadySent
    db.session.refresh(traject)
    addresses = parse_gemeente_mail(settings.gemeente_mail()).get("", [])
    text = render_text(
        "meedenken/mail/advies_gemeente.txt", traject=traject, cited=cited(traject),
        traject_url=public_url("meedenken.traject", slug=traject.slug),
        reactie_url=reactie_url(traject), days=REACTIE_LINK_DAYS,
    )
    for address in addresses:
        queue_mail(address, f"Advies uit {settings.wijk_name()}: {traject.title}", text)
    traject.advies_sent_to = ", ".join(addresses)
    if traject.phase in ("ophalen", "advies"):
        traject.phase = "besluit"
    tell_participants(traject, "advies")
    return addresses


# --- the gemeente's reaction link ------------------------------------------------------------


class LinkExpired(Exception):
    """The link was real but older than ``REACTIE_LINK_DAYS`` days."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="meedenken-reactie")


def reactie_token(traject: Traject, issued_at: datetime | None = None) -> str:
    issued = issued_at or utcnow()
    return _serializer().dumps([traject.id, int(issued.replace(tzinfo=UTC).timestamp())])


def reactie_url(traject: Traject) -> str:
    return public_url("meedenken.reactie", token=reactie_token(traject))


def traject_from_token(token: str, now: datetime | None = None) -> Traject | None:
    """The traject this link was made for (its advies sent); None when tampered with;
    ``LinkExpired`` when too old."""
    try:
        traject_id, issued = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(traject_id, int) or not isinstance(issued, int):
        return None
    traject = db.session.get(Traject, traject_id)
    if traject is None or traject.advies_sent_at is None:
        return None
    made = datetime.fromtimestamp(issued, UTC).replace(tzinfo=None)
    if (now or utcnow()) - made > timedelta(days=REACTIE_LINK_DAYS):
        raise LinkExpired
    return traject


class AlreadyAnswered(Exception):
    """The link was used: the gemeente reacted already."""


def save_reactie(traject: Traject, reactie: str, besluit: str = "") -> None:
    """The gemeente's reaction (once), and the participants told of it."""
    claimed = db.session.execute(
        update(Traject).where(Traject.id == traject.id, Traject.reactie_at.is_(None))
        .values(reactie_at=utcnow(), reactie=reactie.replace("\r\n", "\n").strip(),
                besluit=(besluit or "").replace("\r\n", "\n").strip())
    ).rowcount
    if not claimed:
        raise AlreadyAnswered
    db.session.refresh(traject)
    tell_participants(traject, "reactie")


# --- telling the participants ----------------------------------------------------------------


def participants(traject: Traject) -> list[User]:
    """Everyone who gave inbreng in their own name, or supported a published contribution."""
    own = select(Inbreng.author_id).where(Inbreng.traject_id == traject.id, Inbreng.status == PUBLISHED,
                                          Inbreng.on_behalf_name == "")
    supporters = (select(InbrengSupport.user_id).join(Inbreng, Inbreng.id == InbrengSupport.inbreng_id)
                  .where(Inbreng.traject_id == traject.id, Inbreng.status == PUBLISHED))
    return list(db.session.scalars(
        select(User).where(or_(User.id.in_(own), User.id.in_(supporters))).order_by(User.id)
    ))


def tell_participants(traject: Traject, step: str) -> int:
    """Tell everyone who gave inbreng or supported it about ``step`` ("advies" or "reactie"),
    once per step (``advies_told_at``, ``reactie_told_at``), each at the pace they chose for
    what they follow (``portal/following``): a mail now, an item of their digest, or nothing.
    The one place this news is made; how many it reaches."""
    column = Traject.advies_told_at if step == "advies" else Traject.reactie_told_at
    claimed = db.session.execute(
        update(Traject).where(Traject.id == traject.id, column.is_(None)).values({column: utcnow()})
    ).rowcount
    if not claimed:
        return 0
    link = public_url("meedenken.traject", slug=traject.slug)
    if step == "advies":
        subject = f"Het advies over {traject.title} is klaar"
        news = (f"U dacht mee over “{traject.title}”, of u volgt het. Het wijkplatform heeft zijn advies "
                "aan de gemeente geschreven en verstuurd. Lees het advies, en welke inbreng erin staat. "
                "Als de gemeente reageert, hoort u het.")
    else:
        subject = f"De gemeente reageerde op het advies over {traject.title}"
        news = (f"U dacht mee over “{traject.title}”, of u volgt het. De gemeente heeft gereageerd op het "
                f"advies van het wijkplatform:\n\n{traject.reactie}"
                + (f"\n\nBesluit: {traject.besluit}" if traject.besluit else "")
                + "\n\nLees ook wat er met elke inbreng gedaan is.")
    told = tell_followers(FollowKind.TRAJECT, traject.id, source=f"Meedenken: {traject.title}",
                          title=subject, text=news, url=f"{link}#{step}", subject=subject,
                          also_user_ids=[person.id for person in participants(traject)])
    return told.total


# --- the AVG export -------------------------------------------------------------------------


def export_of(user: User) -> dict:
    """What ``user`` did in meedenken in the current wijk (``accounts/privacy.py``)."""
    items = db.session.execute(
        select(Inbreng, Traject.title).join(Traject, Traject.id == Inbreng.traject_id)
        .where(Inbreng.author_id == user.id).order_by(Inbreng.id)
    ).all()
    supported = db.session.scalars(select(InbrengSupport.inbreng_id).where(InbrengSupport.user_id == user.id)
                                   .order_by(InbrengSupport.inbreng_id)).all()
    replies = db.session.scalars(select(InbrengReply).where(InbrengReply.author_id == user.id)
                                 .order_by(InbrengReply.id)).all()
    return {
        "inbreng": [{"traject": title, "tekst": item.text, "namens": item.on_behalf_name or None,
                     "geplaatst": item.created_at.isoformat(timespec="seconds")} for item, title in items],
        "steun_voor_inbreng": list(supported),
        "reacties_op_inbreng": [{"inbreng_id": reply.inbreng_id, "tekst": reply.text,
                                 "geplaatst": reply.created_at.isoformat(timespec="seconds")}
                                for reply in replies],
    }


# --- uitvoering -----------------------------------------------------------------------------


def add_measure(traject: Traject, title: str, status: str, progress: int, note: str = "") -> Maatregel:
    measure = Maatregel(traject_id=traject.id, title=title.strip(), status=status,
                        progress=max(0, min(100, progress or 0)), note=(note or "").strip())
    db.session.add(measure)
    return measure


def measures(traject: Traject) -> list[Maatregel]:
    return list(db.session.scalars(select(Maatregel).where(Maatregel.traject_id == traject.id)
                                   .order_by(Maatregel.id)))
