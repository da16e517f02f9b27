from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import InputRequired

from portal.forms import NOT_A_NUMBER, CommaDecimalField, PlaceInTheNetherlands


class MeldingForm(PlaceInTheNetherlands, FlaskForm):
    """A moderator sends a signal to Signalen: where it is, and whether the contact goes too."""

    latitude = CommaDecimalField("Plek: breedtegraad", places=None, validators=[InputRequired(NOT_A_NUMBER)])
    longitude = CommaDecimalField("Plek: lengtegraad", places=None, validators=[InputRequired(NOT_A_NUMBER)])
    share_contact = BooleanField("De melder wil dat de gemeente contact opneemt: stuur het e-mailadres "
                                 "en telefoonnummer mee")
