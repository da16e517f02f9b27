"""Forms of the wijkinformatiepunt: a question (no account), what the informatiepunt does with
it, a closed day, and a change an organisation proposes."""

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Optional, ValidationError

from portal.forms import REQUIRED, CheckboxesField, at_most, strip

PHONE = re.compile(r"\+?[0-9][0-9 -]*")
PHONE_INVALID = (
    "Dit lijkt geen telefoonnummer. Gebruik 10 tot 15 cijfers, met spaties of streepjes als u wilt, "
    "zoals 06 12345678 of 030 123 4567."
)
EMAIL_INVALID = "Dit lijkt geen e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
NO_WAY_BACK = "Vul een telefoonnummer of een e-mailadres in, zodat wij u kunnen antwoorden."
CONSENT_LABEL = (
    "Het wijkinformatiepunt mag mij bellen of mailen over mijn vraag, en mijn vraag doorgeven aan "
    "wie mij verder kan helpen (zoals een organisatie of de verbinder van mijn buurtcirkel)"
)


def _single_spaces(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def _valid_phone(field) -> None:
    if field.data:
        digits = sum(character.isdigit() for character in field.data)
        if not (PHONE.fullmatch(field.data) and 10 <= digits <= 15):
            raise ValidationError(PHONE_INVALID)


def _optional_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class QuestionForm(FlaskForm):
    """Asked without an account: a phone number is enough (many seniors prefer a call back)."""

    name = StringField("Uw naam", filters=[strip, _single_spaces],
                       validators=[DataRequired(REQUIRED), at_most(120)])
    phone = StringField("Telefoonnummer", filters=[strip, _single_spaces],
                        validators=[Optional(), at_most(30)])
    email = EmailField("E-mailadres", filters=[strip], validators=[
        Optional(), Email(EMAIL_INVALID, check_deliverability=False), at_most(254)])
    question = TextAreaField("Uw vraag", filters=[strip], validators=[DataRequired(REQUIRED), at_most(3000)])
    consent = BooleanField(CONSENT_LABEL, validators=[InputRequired(
        "Zonder uw toestemming kunnen wij u niet antwoorden. Vink het vakje aan.")])

    def validate_phone(self, field):
        _valid_phone(field)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.phone.data or self.email.data) and not self.phone.errors and not self.email.errors:
            self.phone.errors = [*self.phone.errors, NO_WAY_BACK]
            return False
        return valid


class AnswerForm(FlaskForm):
    text = TextAreaField("Uw antwoord", filters=[strip], validators=[DataRequired(REQUIRED), at_most(5000)])


class CalledBackForm(FlaskForm):
    note = TextAreaField("Wat heeft u besproken? (alleen voor het informatiepunt)", filters=[strip],
                         validators=[DataRequired(REQUIRED), at_most(2000)], id="called-note")


class ReferForm(FlaskForm):
    organization_id = SelectField("Organisatie", coerce=_optional_int, validate_choice=True,
                                  validators=[InputRequired("Kies een organisatie.")])
    note = TextAreaField("Wat kan de organisatie voor deze persoon doen?", filters=[strip],
                         validators=[Optional(), at_most(2000)], id="refer-note")


class HandOverForm(FlaskForm):
    circle_id = SelectField("Buurtcirkel", coerce=_optional_int, validate_choice=True,
                            validators=[InputRequired("Kies een buurtcirkel.")])
    note = TextAreaField("Wat wilt u de verbinder laten weten?", filters=[strip],
                         validators=[Optional(), at_most(2000)], id="hand-note")


class ClosedDayForm(FlaskForm):
    day = DateField("Datum", validators=[InputRequired("Vul een datum in, bijvoorbeeld 12-08-2026.")])
    reason = StringField("Waarom (mag leeg blijven)", filters=[strip], validators=[Optional(), at_most(200)])


class ProposalForm(FlaskForm):
    """A change to an organisation's record; a field left empty changes nothing."""

    description = TextAreaField("Nieuwe beschrijving", filters=[strip],
                                validators=[Optional(), at_most(3000)])
    phone = StringField("Nieuw telefoonnummer", filters=[strip, _single_spaces],
                        validators=[Optional(), at_most(30)])
    email = EmailField("Nieuw e-mailadres", filters=[strip], validators=[
        Optional(), Email(EMAIL_INVALID, check_deliverability=False), at_most(254)])
    # Not "website": that is the name of the honeypot field every form_top looks for.
    web_address = StringField("Nieuwe website", filters=[strip], validators=[Optional(), at_most(300)])
    note = TextAreaField("Wat moet er verder anders? (bijvoorbeeld tijden of een adres)", filters=[strip],
                         validators=[Optional(), at_most(3000)])

    def validate_phone(self, field):
        _valid_phone(field)

    def validate_web_address(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError("Een website begint met https://")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any((self.description.data, self.phone.data, self.email.data, self.web_address.data,
                              self.note.data)):
            self.note.errors = [*self.note.errors, "Vul in wat er anders moet."]
            return False
        return valid


class RejectForm(FlaskForm):
    reason = StringField("Waarom niet? (de indiener leest dit)", filters=[strip],
                         validators=[DataRequired(REQUIRED), at_most(300)])


class HelpReferralForm(FlaskForm):
    """A verbinder points a help item to a service of the sociale kaart."""

    service_id = SelectField("Dienst", coerce=_optional_int, validate_choice=True,
                             validators=[InputRequired("Kies een dienst.")])
    note = TextAreaField("Wat wilt u erbij zeggen? (mag leeg blijven)", filters=[strip],
                         validators=[Optional(), at_most(2000)])


class ServiceAreasForm(FlaskForm):
    circles = CheckboxesField("Voor welke buurtcirkels?", coerce=int, validate_choice=True)
