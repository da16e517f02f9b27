"""The blocks of a wijkbrief that fill themselves from the portal.

``BLOCKS`` maps a block's kind to its ``Block``: the label the redactie chooses from, and a
filler ``(now) -> (heading, text)`` that writes the block's first text when an issue is made.
After that the text is the redactie's: editable until the issue is sent. Text only, one line
per item ("- ..."), with the portal's addresses written out, so it reads the same in the
plain-text mail, the HTML mail, on the web and on paper.

The agenda's lines are "- when | what | where": the paper version shows them as a table
(``render.agenda_rows``).

To add a block, write a filler here and add one line to ``BLOCKS``; the form, the composing
page and the mail pick it up.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from portal.dates import datum
from portal.events.service import upcoming_events_query
from portal.extensions import db
from portal.infopoint import hours
from portal.infopoint.service import spreekuur_openings
from portal.mail import public_url
from portal.models import (
    ContentStatus,
    Event,
    Group,
    GroupNews,
    GroupStatus,
    MunicipalStatus,
    Post,
    PostKind,
    Survey,
    Traject,
)

Filler = Callable[[datetime], tuple[str, str]]
MONTH = timedelta(days=31)
RECENT = timedelta(days=62)


@dataclass(frozen=True)
class Block:
    label: str
    filler: Filler


def _lines(items: list[str], more: str, empty: str) -> str:
    return "\n".join(items) + f"\n\n{more}" if items else empty


def agenda(now: datetime) -> tuple[str, str]:
    events = db.session.scalars(upcoming_events_query(now).where(Event.starts_at < now + MONTH).limit(40))
    items = [f"- {datum(event.starts_at, 'dag_tijd')} | {event.title} | {event.place_name}"
             for event in events]
    return "Agenda van de komende maand", _lines(
        items, f"Alles in de agenda, en aanmelden: {public_url('events.agenda')}",
        "Er staan deze maand nog geen bijeenkomsten in de agenda.")


def answered_signals(now: datetime) -> tuple[str, str]:
    posts = db.session.scalars(
        select(Post)
        .where(Post.kind == PostKind.SIGNAL, Post.status == ContentStatus.PUBLISHED,
               Post.municipal_status == MunicipalStatus.ANSWERED, Post.answer_hidden.is_(False),
               Post.answered_at >= now - RECENT)
        .order_by(Post.answered_at.desc(), Post.id.desc()).limit(5))
    items = []
    for post in posts:
        answer = " ".join((post.municipal_answer or "").split())
        answer = answer if len(answer) <= 240 else answer[:237].rsplit(" ", 1)[0] + " ..."
        items.append(f"- {post.title}. De gemeente: {answer} ({public_url('board.post', post_id=post.id)})")
    return "De gemeente antwoordde", _lines(
        items, f"Alle signalen: {public_url('board.signals')}",
        "De gemeente beantwoordde de laatste tijd geen signalen.")


def popular_ideas(now: datetime) -> tuple[str, str]:
    posts = db.session.scalars(
        select(Post)
        .where(Post.kind == PostKind.IDEA, Post.status == ContentStatus.PUBLISHED,
               Post.created_at >= now - RECENT)
        .order_by(Post.support_count.desc(), Post.created_at.desc(), Post.id.desc()).limit(5))
    items = [f"- {post.title} ({post.support_count} keer gesteund): "
             f"{public_url('board.post', post_id=post.id)}" for post in posts]
    return "Nieuwe ideeën met de meeste steun", _lines(
        items, "Steunt u een idee? Klik op de link en druk op 'Steunen'.",
        "Er zijn de laatste tijd geen nieuwe ideeën geplaatst.")


def spreekuren(now: datetime) -> tuple[str, str]:
    coming = hours.upcoming(spreekuur_openings(), now, days=14)
    items = [f"- {hours.day_words(occurrence.day)}, {occurrence.starts:%H:%M} tot {occurrence.ends:%H:%M}"
             + (f" | {occurrence.opening.place}" if occurrence.opening.place else "")
             for occurrence in coming]
    return "Spreekuren van het wijkinformatiepunt", _lines(
        items, f"Zonder afspraak binnenlopen, of bel ons. Meer: {public_url('infopoint.infopoint')}",
        "Het wijkinformatiepunt heeft de komende twee weken geen spreekuur.")


def open_survey(now: datetime) -> tuple[str, str]:
    survey = db.session.scalar(
        select(Survey).where(Survey.opens_at <= now, Survey.closes_at >= now)
        .order_by(Survey.closes_at, Survey.id).limit(1))
    if survey is None:
        return "Peiling", "Er is op dit moment geen peiling om in te vullen."
    return f"Peiling: {survey.title}", (
        f"Wat vindt u? Vul de peiling in tot en met {datum(survey.closes_at, 'dag')}: "
        f"{public_url('surveys.survey', survey_id=survey.id)}")


def group_news(now: datetime) -> tuple[str, str]:
    rows = db.session.execute(
        select(GroupNews, Group).join(Group, Group.id == GroupNews.group_id)
        .where(GroupNews.created_at >= now - MONTH, Group.status != GroupStatus.PROPOSED)
        .order_by(GroupNews.created_at.desc(), GroupNews.id.desc()).limit(6)).all()
    items = [f"- {group.name}: {news.title} ({public_url('groups.group', slug=group.slug)}#nieuws-{news.id})"
             for news, group in rows]
    return "Nieuws van de werkgroepen", _lines(
        items, f"Doe mee of volg een groep: {public_url('groups.index')}",
        "De groepen hadden deze maand geen nieuws. Welke groepen er zijn: " + public_url("groups.index"))


def trajecten(now: datetime) -> tuple[str, str]:
    running = db.session.scalars(
        select(Traject).where(Traject.phase != "uitvoering")
        .order_by(Traject.ophalen_until, Traject.id).limit(5))
    today = now.date()
    items = []
    for traject in running:
        if traject.phase == "ophalen" and traject.ophalen_until >= today:
            when = f"geef uw inbreng tot en met {datum(traject.ophalen_until, 'dag')}"
        else:
            when = {"ophalen": "de inbreng is gesloten", "advies": "het advies wordt geschreven",
                    "besluit": "de gemeente beslist"}.get(traject.phase, traject.phase)
        items.append(f"- {traject.title}: {when} ({public_url('meedenken.traject', slug=traject.slug)})")
    return "Meedenken over plannen van de gemeente", _lines(
        items, f"Alle trajecten: {public_url('meedenken.index')}",
        "Er loopt nu geen traject om over mee te denken.")


def free_text(now: datetime) -> tuple[str, str]:
    return "", ""


BLOCKS: dict[str, Block] = {
    "agenda": Block("De agenda van de komende maand", agenda),
    "signalen": Block("Signalen die de gemeente beantwoordde", answered_signals),
    "ideeen": Block("Nieuwe ideeën met de meeste steun", popular_ideas),
    "spreekuren": Block("De spreekuren van het wijkinformatiepunt", spreekuren),
    "peiling": Block("Een peiling om in te vullen", open_survey),
    "groepen": Block("Nieuws van de werkgroepen", group_news),
    "meedenken": Block("Meedenken: de lopende trajecten", trajecten),
    "tekst": Block("Vrije tekst", free_text),
}
