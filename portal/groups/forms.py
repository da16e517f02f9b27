"""Forms of the groups: a new group (or a resident's proposal), news, a message in the
thread, the trekker's contact."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import REQUIRED, at_most, strip
from portal.models import GroupKind

KIND_CHOICES = [
    SelectChoice(GroupKind.WERKGROEP.value, "Werkgroep van het wijkplatform"),
    SelectChoice(GroupKind.BEWONERSGROEP.value, "Bewonersgroep of initiatief"),
]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (themes, buurten); ids as numbers."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GroupForm(FlaskForm):
    name = StringField("Naam van de groep", [DataRequired(REQUIRED), at_most(120)], filters=[strip])
    kind = RadioField("Soort groep", choices=KIND_CHOICES, default=GroupKind.WERKGROEP.value,
                      validators=[InputRequired("Kies een soort groep.")])
    description = TextAreaField("Wat doet de groep?", [DataRequired(REQUIRED), at_most(3000)],
                                filters=[strip])
    meets = StringField("Wanneer en waar komt de groep bij elkaar?", [Optional(), at_most(200)],
                        filters=[strip])
    themes = CheckboxesField("Thema's", coerce=int, validate_choice=True)
    buurten = CheckboxesField("Buurten", coerce=int, validate_choice=True)
    is_open = BooleanField("Iedereen kan meteen meedoen (zonder vinkje vraagt men het de trekker)",
                           default=True)


class NewsForm(FlaskForm):
    title = StringField("Titel", [DataRequired(REQUIRED), at_most(160)], filters=[strip])
    text = TextAreaField("Bericht", [DataRequired(REQUIRED), at_most(5000)], filters=[strip])


class MessageForm(FlaskForm):
    text = TextAreaField("Uw bericht aan de groep", [DataRequired(REQUIRED), at_most(2000)],
                         filters=[strip])


class ContactForm(FlaskForm):
    show_email = BooleanField("Toon mijn e-mailadres op de pagina van de groep")
    phone = StringField("Telefoonnummer op de pagina (leeg: geen)", [
        Optional(), at_most(30),
        Regexp(r"^[0-9 +()-]*$", message="Gebruik alleen cijfers, spaties, + en -."),
    ], filters=[strip])
