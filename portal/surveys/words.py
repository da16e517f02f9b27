"""The Dutch words of peilingen: kinds of question, states, and how numbers are written."""

from portal.models import QuestionKind
from portal.models.surveys import CONTACT_NO, CONTACT_YES

KIND_LABELS = {
    QuestionKind.ONE: "Eén antwoord kiezen",
    QuestionKind.MANY: "Meer antwoorden mogelijk",
    QuestionKind.SCALE: "Schaal van 1 tot 5",
    QuestionKind.OPEN: "Open vraag (eigen woorden)",
    QuestionKind.CONTACT: "Mag de wijkplatformgroep u benaderen? (ja of nee)",
}
CONTACT_QUESTION = "Mag de wijkplatformgroep u benaderen?"
CONTACT_HELP = ("Bijvoorbeeld om mee te denken over het wijkplatform of een bewonersoverleg. "
                "Alleen de moderatoren zien wie ja zei.")
GROUP_CONTACT_HELP = ("Zegt u ja, dan ziet de trekker van de groep uw naam en e-mailadres en neemt "
                      "contact met u op. Verder ziet niemand wie ja zei.")
CONTACT_LABELS = {CONTACT_YES: "Ja, dat mag", CONTACT_NO: "Nee, liever niet"}
CONTACT_VALUES = {"ja": CONTACT_YES, "nee": CONTACT_NO}  # the form's values


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def state_label(survey, now=None) -> str:
    if not survey.has_started(now):
        return "In voorbereiding"
    return "Gesloten" if survey.is_closed(now) else "Open"


def percentage(part: int, whole: int) -> int:
    """A whole percentage, rounded half up (0 when nobody answered)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def decimal(value: float | None) -> str:
    """One decimal with a comma, as Dutch writes it: 3,8."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def people(count: int) -> str:
    return "1 persoon" if count == 1 else f"{count} mensen"


def took_part(count: int) -> str:
    """"1 persoon deed mee", "118 mensen deden mee"."""
    return "1 persoon deed mee" if count == 1 else f"{count} mensen deden mee"
