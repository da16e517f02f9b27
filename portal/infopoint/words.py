"""Words and links of the wijkinformatiepunt for templates (registered in
``portal/templating.py``): no queries."""

import re

from portal.infopoint import hours
from portal.models import NEEDS, QuestionStatus

STATUS_LABELS = {
    QuestionStatus.NEW: "wacht op antwoord",
    QuestionStatus.ANSWERED: "beantwoord per e-mail",
    QuestionStatus.CALLED_BACK: "teruggebeld",
    QuestionStatus.REFERRED: "doorverwezen",
    QuestionStatus.HANDED_OVER: "doorgegeven aan een verbinder",
}


def tel_href(phone: str) -> str:
    """``tel:`` and the number's digits (and a leading +): "030 123 45 67" → "tel:0301234567"."""
    return "tel:" + re.sub(r"(?!^\+)[^0-9]", "", phone.strip())


def rule_words(rule: str) -> str:
    """"Elke dinsdag"."""
    words = hours.describe(rule)
    return words[:1].upper() + words[1:]


def hours_words(schedule) -> str:
    """"10:00 tot 12:00"."""
    return f"{hours.clock(schedule.opens_at)} tot {hours.clock(schedule.closes_at)}"


def status_words(status) -> str:
    """"Nu open tot 16:00" / "Volgende spreekuur: dinsdag 10:00 (vandaag)"."""
    if status is None:
        return ""
    text = status.text
    if status.next is not None and not status.is_open and status.now is not None \
            and status.next.starts.date() == status.now.date():
        text += " (vandaag)"
    return text[:1].upper() + text[1:]


def question_status(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def need_label(slug: str) -> str:
    return NEEDS.get(slug, slug)


def day_words(day) -> str:
    return hours.day_words(day)


def occurrence_words(occurrence) -> str:
    """"Dinsdag 8 december, 10:00 tot 12:00, De Pijler"."""
    when = hours.day_words(occurrence.day)
    words = f"{when}, {hours.clock(occurrence.starts)} tot {hours.clock(occurrence.ends)}"
    if occurrence.opening.place:
        words += f", {occurrence.opening.place}"
    return words[:1].upper() + words[1:]
