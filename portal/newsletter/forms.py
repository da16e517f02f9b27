"""Forms of the wijkbrief: subscribing (no account), the account holder's one button, a new
issue, editing an issue, and the buttons of the redactie (test, send)."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Optional, ValidationError

from portal.forms import REQUIRED, CheckboxesField, at_most, strip
from portal.newsletter.blocks import BLOCKS
from portal.newsletter.service import CONSENT_TEXT

EMAIL_INVALID = "Dit lijkt geen e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
SEGMENTS = [
    SelectChoice("wijk", "Iedereen die de wijkbrief ontvangt"),
    SelectChoice("buurten", "Alleen lezers in de buurten hieronder"),
    SelectChoice("professionals", "Alleen lezers die zich aanmeldden voor een organisatie"),
    SelectChoice("thema", "Alleen lezers met een account die het thema hieronder volgen"),
    SelectChoice("groep", "Alleen lezers met een account die meedoen met de groep hieronder"),
]


def _optional_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SubscribeForm(FlaskForm):
    email = EmailField("Uw e-mailadres", filters=[strip], validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID, check_deliverability=False), at_most(254)])
    organisation = StringField("Voor een organisatie? Vul de naam in (mag leeg blijven)", filters=[strip],
                               validators=[Optional(), at_most(160)])
    neighbourhood_id = SelectField("Uw buurt (mag leeg blijven)", coerce=_optional_int, validate_choice=False)
    consent = BooleanField(CONSENT_TEXT, validators=[InputRequired(
        "Zonder uw toestemming sturen wij u niets. Vink het vakje aan.")])


class OptInForm(FlaskForm):
    """A signed-in person's one button: ``aan`` or ``uit``."""

    action = HiddenField(validators=[DataRequired()])


class ButtonForm(FlaskForm):
    """Only the CSRF token: the test mail and sending."""


class SegmentMixin:
    def validate_buurten(self, field):
        if self.segment.data == "buurten" and not field.data:
            raise ValidationError("Kies minstens één buurt, of kies 'iedereen'.")

    def validate_thema(self, field):
        if self.segment.data == "thema" and field.data is None:
            raise ValidationError("Kies een thema, of kies 'iedereen'.")

    def validate_groep(self, field):
        if self.segment.data == "groep" and field.data is None:
            raise ValidationError("Kies een groep, of kies 'iedereen'.")

    @property
    def target_id(self) -> int | None:
        return {"thema": self.thema.data, "groep": self.groep.data}.get(self.segment.data)


class NewsletterForm(SegmentMixin, FlaskForm):
    title = StringField("Titel", filters=[strip], validators=[DataRequired(REQUIRED), at_most(200)])
    intro = TextAreaField("Inleiding", filters=[strip], validators=[Optional(), at_most(3000)])
    blocks = CheckboxesField(
        "Welke blokken? Ze vullen zich met wat er op het portaal staat; daarna kunt u de tekst aanpassen.",
        choices=[SelectChoice(kind, block.label) for kind, block in BLOCKS.items()], default=list(BLOCKS))
    segment = RadioField("Aan wie?", choices=SEGMENTS, default="wijk")
    buurten = CheckboxesField("Buurten (als u 'alleen lezers in de buurten' kiest)", coerce=int,
                              validate_choice=False)
    thema = SelectField("Thema (als u 'volgers van een thema' kiest)", coerce=_optional_int)
    groep = SelectField("Groep (als u 'leden van een groep' kiest)", coerce=_optional_int)


class BlockForm(Form):
    block_id = HiddenField()
    heading = StringField("Kop", filters=[strip], validators=[Optional(), at_most(200)])
    text = TextAreaField("Tekst", filters=[strip], validators=[Optional(), at_most(8000)])


class EditNewsletterForm(SegmentMixin, FlaskForm):
    title = StringField("Titel", filters=[strip], validators=[DataRequired(REQUIRED), at_most(200)])
    intro = TextAreaField("Inleiding", filters=[strip], validators=[Optional(), at_most(3000)])
    segment = RadioField("Aan wie?", choices=SEGMENTS, default="wijk")
    buurten = CheckboxesField("Buurten (als u 'alleen lezers in de buurten' kiest)", coerce=int,
                              validate_choice=False)
    thema = SelectField("Thema (als u 'volgers van een thema' kiest)", coerce=_optional_int)
    groep = SelectField("Groep (als u 'leden van een groep' kiest)", coerce=_optional_int)
    parts = FieldList(FormField(BlockForm))
    add_text_block = BooleanField("Voeg een blok met vrije tekst toe")
