"""Forms of meedenken: inbreng, a reaction on inbreng, a traject, the advies, terugkoppeling,
a maatregel, and the gemeente's reaction."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError

from portal.forms import REQUIRED, HoneypotMixin, OptionalPlace, at_most, strip
from portal.meedenken.words import MEASURE_LABELS, OUTCOME_LABELS, PHASE_LABELS, THEMES


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


NOT_A_DATE = "Vul een datum in, bijvoorbeeld 15-03-2027."


class DutchDateField(DateField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(NOT_A_DATE) from error


class InbrengForm(HoneypotMixin, OptionalPlace, FlaskForm):
    text = TextAreaField("Wat vindt u belangrijk? Waar moet de gemeente rekening mee houden?",
                         [DataRequired(REQUIRED), at_most(2000)], filters=[strip])
    theme = SelectField("Waar gaat het over?", choices=_choices(THEMES), default="anders")
    namens = StringField("Namens (voornaam of initialen van de bewoner)", [Optional(), at_most(80)],
                         filters=[strip])


class InbrengReplyForm(HoneypotMixin, FlaskForm):
    text = TextAreaField("Uw reactie", [DataRequired(REQUIRED), at_most(2000)], filters=[strip])


class TrajectForm(OptionalPlace, FlaskForm):
    title = StringField("Titel", [DataRequired(REQUIRED), at_most(160)], filters=[strip])
    plan = TextAreaField("Wat is het plan?", [DataRequired(REQUIRED), at_most(5000)], filters=[strip])
    place = StringField("Waar?", [Optional(), at_most(200)], filters=[strip])
    decider = StringField("Wie beslist, en wanneer?", [Optional(), at_most(200)], filters=[strip])
    documents = TextAreaField("Stukken van de gemeente", [Optional(), at_most(3000)], filters=[strip])
    phase = SelectField("Fase nu", choices=_choices(PHASE_LABELS), default="ophalen")
    ophalen_until = DutchDateField("Ideeën ophalen tot en met", [InputRequired(NOT_A_DATE)])
    advies_on = DutchDateField("Advies klaar op", [Optional()])
    besluit_on = DutchDateField("Besluit van de gemeente verwacht op", [Optional()])
    uitvoering_on = DutchDateField("Uitvoering begint op", [Optional()])
    events = SelectMultipleField("Bijeenkomsten bij dit traject", coerce=int, validate_choice=False)
    surveys = SelectMultipleField("Peilingen bij dit traject", coerce=int, validate_choice=False)

    def validate_documents(self, field):
        for line in (field.data or "").splitlines():
            if line.strip() and "http" not in line:
                raise ValidationError("Zet op elke regel een titel en een webadres, bijvoorbeeld: "
                                      "Raadsvoorstel https://www.utrecht.nl/...")


class AdviesForm(FlaskForm):
    advies = TextAreaField("Het advies van de kerngroep", [DataRequired(REQUIRED), at_most(20000)],
                           filters=[strip])
    cited = SelectMultipleField("Gebruikte inbreng", coerce=int, validate_choice=False)


class OutcomeForm(FlaskForm):
    outcome = RadioField("Wat is ermee gedaan?", choices=_choices(OUTCOME_LABELS),
                         validators=[InputRequired("Kies wat ermee gedaan is.")])
    reason = TextAreaField("Waarom?", [DataRequired(REQUIRED), at_most(1000)], filters=[strip])


class MeasureForm(FlaskForm):
    title = StringField("Maatregel", [DataRequired(REQUIRED), at_most(200)], filters=[strip])
    status = SelectField("Status", choices=_choices(MEASURE_LABELS), default="gepland")
    progress = IntegerField("Hoe ver (procent)", [Optional(), NumberRange(
        min=0, max=100, message="Vul een getal van 0 tot en met 100 in.")], default=0)
    note = StringField("Toelichting", [Optional(), at_most(500)], filters=[strip])


class ReactieForm(FlaskForm):
    class Meta:
        csrf = False  # the gemeente has no session; the signed link protects this form

    reactie = TextAreaField("Reactie van de gemeente", [DataRequired(REQUIRED), at_most(20000)],
                            filters=[strip])
    besluit = TextAreaField("Besluit (als dat al genomen is)", [Optional(), at_most(5000)], filters=[strip])
