"""Forms of the circles domain: a help item (also *namens*), a response, a status, the
connector's contact line, a neighbour without internet, and the coordinators' circle forms."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from portal.forms import NOT_A_NUMBER, REQUIRED, CommaDecimalField, PlaceInTheNetherlands, at_most, strip
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
    wanted_on = DateField("Op welke dag? (mag leeg blijven)", validators=[Optional()],
                          invalid_value_message="Vul een datum in, bijvoorbeeld 12 juni 2026.")


class NeighbourChoice:
    """``on_behalf_of``: one of the neighbours without internet on the verbinder's list (their
    consent is on record). For the help form and the event sign-up of a verbinder."""

    on_behalf_of = SelectField("Voor wie is dit?", validate_choice=False)

    def set_neighbours(self, neighbours, nobody: str, label: str = "{name} ({street})"):
        self.on_behalf_of.choices = [SelectChoice("", nobody), *(
            SelectChoice(str(n.id), label.format(name=n.first_name, street=n.street)) for n in neighbours)]
        return self

    @property
    def neighbour_id(self) -> int | None:
        """The chosen neighbour from the list, if any."""
        value = self.on_behalf_of.data or ""
        return int(value) if value.isdigit() else None

    def neighbour_is_listed(self) -> bool:
        """False (with the message next to the field) for a choice that is not on the list."""
        listed = {choice.value for choice in self.on_behalf_of.choices or []}
        if self.on_behalf_of.data and self.on_behalf_of.data not in listed:
            self.on_behalf_of.errors = ["Kies een buur uit de lijst."]
            return False
        return True


class OnBehalfHelpItemForm(NeighbourChoice, HelpItemForm):
    """For connectors: the same form, optionally *namens* a neighbour without internet.

    Usually one of the neighbours on the verbinder's list (``on_behalf_of``: their consent is
    on record); otherwise a first name and a street (one of the circle's, so never a house
    number), and only with the neighbour's consent.
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
        return bool(self.neighbour_id or self.on_behalf_name.data or self.on_behalf_street.data)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.neighbour_is_listed():
            return False
        if self.neighbour_id or not self.is_on_behalf:
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


class OnBehalfResponseForm(NeighbourChoice, ResponseForm):
    """For verbinders: "Ik help" for themselves or namens a neighbour without internet."""


class MessageForm(FlaskForm):
    """A message in the conversation on a help item."""

    text = TextAreaField("Uw bericht", filters=[strip], validators=[DataRequired(REQUIRED), at_most(2000)])


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


class OfflineNeighbourForm(FlaskForm):
    """A neighbour without internet on the verbinder's list, with their consent."""

    first_name = StringField("Voornaam", filters=[strip], validators=[DataRequired(REQUIRED), at_most(40)])
    street = SelectField("Straat", validate_choice=False)
    phone = StringField("Telefoonnummer (voor de verbinders van deze cirkel)", filters=[strip],
                        validators=[Optional(), at_most(30)])
    consent = BooleanField(
        "De buur weet dat de voornaam, straat en telefoon hier staan, en vindt dat goed. Hulpvragen "
        "plaats ik alleen als de buur dat vraagt.",
        validators=[InputRequired("Vraag eerst of de buur het goed vindt, en vink dan het vakje aan.")],
    )

    def set_streets(self, names: list[str]) -> "OfflineNeighbourForm":
        self.street.choices = [SelectChoice("", "Kies de straat"), *(SelectChoice(name) for name in names)]
        return self

    def validate_street(self, field):
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError("Kies de straat van de buur.")

    def validate_phone(self, field):
        digits = [ch for ch in field.data or "" if ch.isdigit()]
        if field.data and (len(digits) < 10 or set(field.data) - set("0123456789 +-()")):
            raise ValidationError("Vul een telefoonnummer in van tien cijfers, bijvoorbeeld 030 123 45 67.")


CONSENT_TEXT = "voornaam, straat en telefoon op de lijst van de verbinders; hulpvragen namens de buur"

# The Netherlands, roughly: a centre outside it is a typing error.
class CircleForm(PlaceInTheNetherlands, FlaskForm):
    """A circle as coordinators set it up (``/beheer/cirkels/nieuw`` and ``/<slug>``)."""

    name = StringField("Naam van de buurtcirkel", filters=[strip],
                       validators=[DataRequired(REQUIRED), at_most(120)])
    neighbourhood = SelectField("Buurt", validate_choice=False)
    streets = TextAreaField("Straten (één per regel)",
                            validators=[DataRequired("Vul minstens één straat in.")])
    description = TextAreaField("Korte beschrijving (mag leeg blijven)", filters=[strip],
                                validators=[Optional(), at_most(2000)])
    latitude = CommaDecimalField("Middelpunt: breedtegraad (bijvoorbeeld 52,0986)", places=None,
                                 validators=[InputRequired(NOT_A_NUMBER)])
    longitude = CommaDecimalField("Middelpunt: lengtegraad (bijvoorbeeld 5,0102)", places=None,
                                  validators=[InputRequired(NOT_A_NUMBER)])
    radius_m = IntegerField("Straal op de kaart, in meters", default=300, validators=[
        InputRequired(NOT_A_NUMBER), NumberRange(50, 3000, "Kies tussen 50 en 3000 meter.")])
    contact_line = StringField("Contactregel voor mensen zonder internet (mag leeg blijven)",
                               filters=[strip], validators=[Optional(), at_most(200)])

    def set_neighbourhoods(self, neighbourhoods) -> "CircleForm":
        self.neighbourhood.choices = [SelectChoice("", "Kies de buurt"),
                                      *(SelectChoice(str(n.id), n.name) for n in neighbourhoods)]
        return self

    @property
    def street_names(self) -> list[str]:
        """One per line, spaces tidied, each once."""
        names = [" ".join(line.split()) for line in (self.streets.data or "").splitlines()]
        return list(dict.fromkeys(name for name in names if name))

    def validate_neighbourhood(self, field):
        if field.data not in {choice.value for choice in field.choices if choice.value}:
            raise ValidationError("Kies de buurt.")

    def validate_streets(self, field):
        if any(len(name) > 120 for name in self.street_names):
            raise ValidationError("Een straatnaam is hooguit 120 tekens.")


class ConnectorForm(FlaskForm):
    email = EmailField("E-mailadres van de nieuwe verbinder", filters=[strip],
                       validators=[DataRequired(REQUIRED), at_most(254)])


class MoveStreetForm(FlaskForm):
    circle = SelectField("Naar buurtcirkel", validate_choice=False)
