from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import InputRequired, ValidationError

from portal.circles.forms import LATITUDES, LONGITUDES, NOT_A_NUMBER, OUTSIDE_NL, CommaDecimalField


class MeldingForm(FlaskForm):
    """A moderator sends a signal to Signalen: where it is, and whether the contact goes too."""

    latitude = CommaDecimalField("Plek: breedtegraad", places=None, validators=[InputRequired(NOT_A_NUMBER)])
    longitude = CommaDecimalField("Plek: lengtegraad", places=None, validators=[InputRequired(NOT_A_NUMBER)])
    share_contact = BooleanField("De melder wil dat de gemeente contact opneemt: stuur het e-mailadres "
                                 "en telefoonnummer mee")

    def validate_latitude(self, field):
        if field.data is not None and not LATITUDES[0] <= field.data <= LATITUDES[1]:
            raise ValidationError(OUTSIDE_NL.format(what="breedtegraad", here="52,08"))

    def validate_longitude(self, field):
        if field.data is not None and not LONGITUDES[0] <= field.data <= LONGITUDES[1]:
            raise ValidationError(OUTSIDE_NL.format(what="lengtegraad", here="5,03"))
