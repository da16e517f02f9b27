"""The mail settings form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.models import HelpItemMail

HELP_ITEM_CHOICES = [
    SelectChoice(HelpItemMail.DIRECT.value, "Meteen, bij elke nieuwe hulpvraag of elk nieuw hulpaanbod"),
    SelectChoice(HelpItemMail.DAILY.value, "Eén keer per dag een overzicht"),
    SelectChoice(HelpItemMail.NEVER.value, "Nooit"),
]


class MailPreferencesForm(FlaskForm):
    help_items = RadioField("Hulpvragen en hulpaanbod in uw buurtcirkel", choices=HELP_ITEM_CHOICES,
                            validators=[InputRequired("Kies een van de mogelijkheden.")])
    event_reminders = BooleanField("Herinnering de dag voor een bijeenkomst waarvoor ik ben aangemeld")
    moderation = BooleanField("Bericht als een moderator iets besluit over wat ik heb geplaatst")
    post_updates = BooleanField("Nieuws over signalen aan de gemeente die ik plaatste of steunde, "
                                "en nieuwe reacties op berichten die ik volg")
