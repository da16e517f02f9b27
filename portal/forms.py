"""Form pieces shared by the blueprints: Dutch messages and the honeypot."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

REQUIRED = "Vul dit veld in."


class HoneypotMixin:
    """A field people never see; bots fill it in. See ``form_top`` in _macros.html."""

    website = StringField("Laat dit veld leeg")

    def validate_website(self, field):
        if field.data:
            raise ValidationError("Dit formulier is niet verstuurd. Probeer het opnieuw.")


class ConfirmForm(FlaskForm):
    """A button-only form: only the CSRF token."""
