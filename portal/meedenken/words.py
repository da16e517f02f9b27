"""The Dutch words of meedenken: phases, outcomes, themes of inbreng, measure statuses."""

PHASE_LABELS = {
    "ophalen": "Ideeën ophalen",
    "advies": "Advies schrijven",
    "besluit": "Besluit gemeente",
    "uitvoering": "Uitvoering",
}
OUTCOME_LABELS = {
    "meegenomen": "Meegenomen",
    "deels": "Deels meegenomen",
    "niet": "Niet meegenomen",
}
THEMES = {
    "verkeer": "Verkeer en parkeren",
    "groen": "Groen en spelen",
    "veiligheid": "Veiligheid",
    "voorzieningen": "Winkels en voorzieningen",
    "anders": "Iets anders",
}
MEASURE_LABELS = {
    "gepland": "Gepland",
    "bezig": "Bezig",
    "klaar": "Klaar",
}


def phase_label(phase: str) -> str:
    return PHASE_LABELS.get(phase, phase)


def outcome_label(outcome: str | None) -> str:
    return OUTCOME_LABELS.get(outcome or "", "")


def theme_label(theme: str) -> str:
    return THEMES.get(theme, theme)


def measure_label(status: str) -> str:
    return MEASURE_LABELS.get(status, status)
