"""Form pieces shared by the blueprints: Dutch messages, the two field helpers, the honeypot."""

from wtforms import StringField
from wtforms.validators import Length, ValidationError

REQUIRED = "Vul dit veld in."


def strip(value):
    """A field filter: no spaces before or after what someone typed."""
    return value.strip() if isinstance(value, str) else value


def at_most(characters: int) -> Length:
    """A length limit with the Dutch message, thousands with a dot: "hooguit 5.000 tekens"."""
    return Length(max=characters, message=f"Gebruik hooguit {characters:,} tekens.".replace(",", "."))


class HoneypotMixin:
    """A field people never see; bots fill it in. See ``form_top`` in _macros.html."""

    website = StringField("Laat dit veld leeg")

    def validate_website(self, field):
        if field.data:
            raise ValidationError("Dit formulier is niet verstuurd. Probeer het opnieuw.")
