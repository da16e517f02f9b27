"""The Dutch words people read for the board's codes, and the Dutch values in URLs and forms."""

from portal.models import MunicipalStatus, PostKind, SignalPhase

# URL and form values (?soort=idee) → Post.kind
KIND_BY_SLUG = {"idee": PostKind.IDEA, "vraag": PostKind.QUESTION, "signaal": PostKind.SIGNAL}

KIND_LABELS = {
    PostKind.IDEA: "Idee",
    PostKind.QUESTION: "Vraag",
    PostKind.SIGNAL: "Signaal aan de gemeente",
}
KIND_PLURALS = {PostKind.IDEA: "Ideeën", PostKind.QUESTION: "Vragen", PostKind.SIGNAL: "Signalen"}

PHASE_LABELS = {
    SignalPhase.BEFORE_DECISION: "Vóór de besluitvorming",
    SignalPhase.EVALUATION: "Bij de evaluatie van een besluit",
}

MUNICIPAL_LABELS = {
    MunicipalStatus.NEW: "Nieuw",
    MunicipalStatus.FORWARDED: "Doorgestuurd naar de gemeente",
    MunicipalStatus.IN_PROGRESS: "In behandeling bij de gemeente",
    MunicipalStatus.ANSWERED: "Beantwoord door de gemeente",
}

ORDERS = {"nieuw": "Nieuwste eerst", "steun": "Meeste steun eerst"}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def phase_label(phase: str | None) -> str:
    return PHASE_LABELS.get(phase, "") if phase else ""


def municipal_label(status: str | None) -> str:
    return MUNICIPAL_LABELS.get(status, "") if status else ""
