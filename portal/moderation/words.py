"""The Dutch words of moderation: in URLs (``/moderatie/bericht/5/goedkeuren``), on buttons
and in the log."""

from portal.models import ReportReason, SubjectType, Verdict

# /moderatie/<type>/<id>/<besluit>
SUBJECT_BY_SLUG = {
    "bericht": SubjectType.POST,
    "reactie": SubjectType.REPLY,
    "hulp": SubjectType.HELP,
    "gespreksbericht": SubjectType.HELP_MESSAGE,
    "groepsbericht": SubjectType.GROUP_MESSAGE,
    "inbreng": SubjectType.INBRENG,
    "inbrengreactie": SubjectType.INBRENG_REPLY,
    "account": SubjectType.ACCOUNT,
}
SLUG_BY_SUBJECT = {subject: slug for slug, subject in SUBJECT_BY_SLUG.items()}

VERDICT_BY_SLUG = {
    "goedkeuren": Verdict.APPROVE,
    "verbergen": Verdict.HIDE,
    "herstellen": Verdict.RESTORE,
    "blokkeren": Verdict.BLOCK,
    "deblokkeren": Verdict.UNBLOCK,
    "vertrouwen": Verdict.TRUST,
    "moderator-maken": Verdict.MAKE_MODERATOR,
    "moderator-afnemen": Verdict.END_MODERATOR,
    "coordinator-maken": Verdict.MAKE_COORDINATOR,
    "coordinator-afnemen": Verdict.END_COORDINATOR,
    "informatiepunt-maken": Verdict.MAKE_INFOPOINT,
    "informatiepunt-afnemen": Verdict.END_INFOPOINT,
    "redacteur-maken": Verdict.MAKE_REDACTEUR,
    "redacteur-afnemen": Verdict.END_REDACTEUR,
    # circle management (only in the log's filter; not decided through /moderatie/...)
    "cirkel-gemaakt": Verdict.CIRCLE_CREATED,
    "cirkel-gewijzigd": Verdict.CIRCLE_CHANGED,
    "cirkel-gearchiveerd": Verdict.CIRCLE_ARCHIVED,
    "verbinder-benoemd": Verdict.CONNECTOR_APPOINTED,
    "verbinder-afgemeld": Verdict.CONNECTOR_REMOVED,
    "straat-verplaatst": Verdict.STREET_MOVED,
    # the gemeente's answer on a signal (only in the log's filter; set on the post's page)
    "antwoord-gecorrigeerd": Verdict.ANSWER_CORRECTED,
    "antwoord-verborgen": Verdict.ANSWER_HIDDEN,
    "antwoord-getoond": Verdict.ANSWER_SHOWN,
}
SLUG_BY_VERDICT = {verdict: slug for slug, verdict in VERDICT_BY_SLUG.items()}

CONTENT_VERDICTS = (Verdict.APPROVE, Verdict.HIDE, Verdict.RESTORE)
ACCOUNT_VERDICTS = (Verdict.TRUST, Verdict.BLOCK, Verdict.UNBLOCK, Verdict.MAKE_MODERATOR,
                    Verdict.END_MODERATOR, Verdict.MAKE_COORDINATOR, Verdict.END_COORDINATOR,
                    Verdict.MAKE_INFOPOINT, Verdict.END_INFOPOINT, Verdict.MAKE_REDACTEUR,
                    Verdict.END_REDACTEUR)
# Hiding and blocking say why: the author reads it, and so does the log.
REASON_REQUIRED = (Verdict.HIDE, Verdict.BLOCK)

SUBJECT_LABELS = {
    SubjectType.POST: "bericht",
    SubjectType.REPLY: "reactie",
    SubjectType.HELP: "hulpvraag of hulpaanbod",
    SubjectType.HELP_MESSAGE: "bericht in een gesprek",
    SubjectType.GROUP_MESSAGE: "bericht in een groep",
    SubjectType.INBRENG: "inbreng",
    SubjectType.INBRENG_REPLY: "reactie op inbreng",
    SubjectType.ACCOUNT: "account",
    SubjectType.CIRCLE: "buurtcirkel",
}

BUTTONS = {
    Verdict.APPROVE: "Goedkeuren",
    Verdict.HIDE: "Verbergen",
    Verdict.RESTORE: "Herstellen",
    Verdict.BLOCK: "Blokkeren",
    Verdict.UNBLOCK: "Deblokkeren",
    Verdict.TRUST: "Vertrouwen geven",
    Verdict.MAKE_MODERATOR: "Moderator maken",
    Verdict.END_MODERATOR: "Moderatorrol afnemen",
    Verdict.MAKE_COORDINATOR: "Coördinator buurtcirkels maken",
    Verdict.END_COORDINATOR: "Coördinatorrol afnemen",
    Verdict.MAKE_INFOPOINT: "Wijkinformatiepunt maken",
    Verdict.END_INFOPOINT: "Rol wijkinformatiepunt afnemen",
    Verdict.MAKE_REDACTEUR: "Redacteur wijkbrief maken",
    Verdict.END_REDACTEUR: "Rol redacteur afnemen",
}

# In the log and on the account page: what happened.
DONE = {
    Verdict.APPROVE: "Goedgekeurd",
    Verdict.HIDE: "Verborgen",
    Verdict.RESTORE: "Hersteld",
    Verdict.BLOCK: "Geblokkeerd",
    Verdict.UNBLOCK: "Gedeblokkeerd",
    Verdict.TRUST: "Vertrouwd",
    Verdict.MAKE_MODERATOR: "Moderator gemaakt",
    Verdict.END_MODERATOR: "Moderatorrol afgenomen",
    Verdict.MAKE_COORDINATOR: "Coördinator gemaakt",
    Verdict.END_COORDINATOR: "Coördinatorrol afgenomen",
    Verdict.MAKE_INFOPOINT: "Rol wijkinformatiepunt gegeven",
    Verdict.END_INFOPOINT: "Rol wijkinformatiepunt afgenomen",
    Verdict.MAKE_REDACTEUR: "Rol redacteur wijkbrief gegeven",
    Verdict.END_REDACTEUR: "Rol redacteur wijkbrief afgenomen",
    Verdict.CIRCLE_CREATED: "Buurtcirkel gemaakt",
    Verdict.CIRCLE_CHANGED: "Buurtcirkel gewijzigd",
    Verdict.CIRCLE_ARCHIVED: "Buurtcirkel gearchiveerd",
    Verdict.CONNECTOR_APPOINTED: "Verbinder benoemd",
    Verdict.CONNECTOR_REMOVED: "Verbinder afgemeld",
    Verdict.STREET_MOVED: "Straat verplaatst",
    Verdict.ANSWER_CORRECTED: "Antwoord van de gemeente gecorrigeerd",
    Verdict.ANSWER_HIDDEN: "Antwoord van de gemeente verborgen",
    Verdict.ANSWER_SHOWN: "Antwoord van de gemeente weer getoond",
}

REPORT_REASONS = {
    ReportReason.UNKIND: "Onvriendelijk, beledigend of kwetsend",
    ReportReason.SPAM: "Reclame of spam",
    ReportReason.PRIVACY: "Er staan persoonlijke gegevens in (adres, telefoonnummer)",
    ReportReason.UNTRUE: "Het klopt niet of het misleidt",
    ReportReason.OTHER: "Iets anders",
}

# Said by the portal itself, in the log.
AUTO_HIDDEN = "Drie bewoners meldden dit. Het is verborgen tot een moderator ernaar kijkt."
AUTO_TRUSTED = "Drie bijdragen zijn goedgekeurd. Wat deze persoon schrijft, staat voortaan meteen online."


def subject_label(subject_type: str) -> str:
    return SUBJECT_LABELS.get(subject_type, subject_type)


def done_label(verdict: str) -> str:
    return DONE.get(verdict, verdict)


def button_label(verdict: str) -> str:
    return BUTTONS.get(verdict, verdict)


def report_reason_label(reason: str) -> str:
    return REPORT_REASONS.get(reason, reason)
