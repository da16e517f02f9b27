"""Forms of the circles domain: a help item (also *namens*), a response, a status, the
connector's contact line."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from portal.forms import REQUIRED, at_most, strip
from portal.models.circles import CATEGORIES, STATUS_LABELS, HelpKind

KIND_CHOICES = [SelectChoice(HelpKind.REQUEST.value, "Ik vraag hulp"),
                SelectChoice(HelpKind.OFFER.value, "Ik bied hulp aan")]
NO_CHOICE_YET = SelectChoice("", "Kies een onderwerp")


class HelpItemForm(FlaskForm):
    kind = RadioField(
        "Wat wilt u doen?", choices=KIND_CHOICES, default=HelpKind.REQUEST.value,
        validators=[InputRequired("Kies of u hulp vraagt of hulp aanbiedt.")],
    )
    category = SelectField(
        "Waar gaat het over?",
        choices=[NO_CHOICE_YET, *(SelectChoice(value, label) for value, label in CATEGORIES.items())],
        validators=[DataRequired("Kies een onderwerp.")],
    )
    title = StringField("In het kort", filters=[strip], validators=[DataRequired(REQUIRED), at_most(120)])
    text = TextAreaField("Meer uitleg (mag leeg blijven)", filters=[strip],
                         validators=[Optional(), at_most(2000)])
    wanted_when = StringField("Wanneer? (mag leeg blijven)", filters=[strip],
                              validators=[Optional(), at_most(120)])


class OnBehalfHelpItemForm(HelpItemForm):
    """For connectors: the same form, optionally *namens* a neighbour without internet.

    Only a first name and a street (one of the circle's, so never a house number), and only
    with the neighbour's consent.
    """

    on_behalf_name = StringField(
        "Voornaam van de buur", filters=[strip], validators=[Optional(), at_most(40)]
    )
    # Checked in validate(): the select is absent when a connector uses the short form.
    on_behalf_street = SelectField("Straat van de buur", validate_choice=False)
    consent = BooleanField("Deze buur heeft toestemming gegeven")

    def set_streets(self, names: list[str]) -> None:
        streets = [SelectChoice(name) for name in names]
        self.on_behalf_street.choices = [SelectChoice("", "Kies de straat"), *streets]

    @property
    def is_on_behalf(self) -> bool:
        return bool(self.on_behalf_name.data or self.on_behalf_street.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.is_on_behalf:
            return valid
        if not self.on_behalf_name.data:
            self.on_behalf_name.errors.append("Vul de voornaam van de buur in.")
        streets = {choice.value for choice in self.on_behalf_street.choices if choice.value}
        if self.on_behalf_street.data not in streets:
            self.on_behalf_street.errors.append("Kies de straat van de buur.")
        if not self.consent.data:
            self.consent.errors.append("Plaats dit alleen als de buur het goed vindt. Vink het vakje aan.")
        own_errors = self.on_behalf_name.errors or self.on_behalf_street.errors or self.consent.errors
        return valid and not own_errors


class ResponseForm(FlaskForm):
    message = TextAreaField("Bericht (mag leeg blijven)", filters=[strip],
                            validators=[Optional(), at_most(1000)])


class StatusForm(FlaskForm):
    """The buttons on an item: the new status, and on "toegezegd" optionally who helps."""

    status = StringField(validators=[DataRequired("Kies wat er met deze hulp gebeurt.")])
    helper = HiddenField()

    def validate_status(self, field):
        if field.data not in STATUS_LABELS:
            raise ValidationError("Deze keuze bestaat niet.")


class ContactLineForm(FlaskForm):
    contact_line = StringField(
        "Contactregel op de pagina van de cirkel", filters=[strip], validators=[Optional(), at_most(200)]
    )
