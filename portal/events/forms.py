"""Forms of the agenda: an event, and a neighbour signed up by a connector."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.circles.forms import NeighbourChoice
from portal.forms import REQUIRED, at_most

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]  # the first is how a value is shown
NOT_A_TIME = "Vul een datum en tijd in, bijvoorbeeld 3 juni om 15.30 uur."


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class DutchDateTimeField(DateTimeLocalField):
    """A date-and-time field whose error is plain Dutch."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(NOT_A_TIME) from error



class EventForm(FlaskForm):
    title = StringField("Titel", [InputRequired(REQUIRED), at_most(160)])
    description = TextAreaField("Wat gaat er gebeuren?", [Optional(), at_most(5000)])
    starts_at = DutchDateTimeField("Begint op", [InputRequired(REQUIRED)], format=DATETIME_FORMATS)
    ends_at = DutchDateTimeField("Eindigt op", [InputRequired(REQUIRED)], format=DATETIME_FORMATS)
    place_name = StringField("Plaats", [InputRequired(REQUIRED), at_most(120)])
    room = StringField("Zaal of ruimte", [Optional(), at_most(80)])
    address = StringField("Adres", [Optional(), at_most(200)])
    organiser_name = StringField("Organisatie", [Optional(), at_most(120)])
    theme_name = StringField("Thema", [Optional(), at_most(80)])
    neighbourhood_id = SelectField("Buurt", coerce=_optional_int, validate_choice=True)
    group_id = SelectField("Hoort bij een groep", coerce=_optional_int, validate_choice=True)
    registration_required = BooleanField("Aanmelden is nodig")
    capacity = IntegerField(
        "Aantal plaatsen",
        [Optional(), NumberRange(min=1, max=10000, message="Vul een aantal tussen 1 en 10.000 in.")],
    )

    def validate_ends_at(self, field):
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError("Het einde moet na het begin liggen.")

    def validate_capacity(self, field):
        if field.data and not self.registration_required.data:
            raise ValidationError("Een aantal plaatsen kan alleen als aanmelden nodig is. Vink dat ook aan.")


class NeighbourSignUpForm(NeighbourChoice, FlaskForm):
    """A connector signs up a neighbour without internet: one from the circle's list
    (``on_behalf_of``: their consent is on record), or by first name with their consent."""

    guest_name = StringField("Of: voornaam van een andere buur", validators=[Optional(), at_most(40)])
    consent = BooleanField(
        "De buur weet ervan en vindt het goed dat de voornaam op de deelnemerslijst staat",
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.neighbour_is_listed():
            return False
        if self.neighbour_id:
            return valid
        if not (self.guest_name.data or "").strip():
            self.guest_name.errors = [*self.guest_name.errors, "Kies een buur, of vul een voornaam in."]
            return False
        if not self.consent.data:
            self.consent.errors = [*self.consent.errors, "Vraag eerst of de buur het goed vindt."]
            return False
        return valid
