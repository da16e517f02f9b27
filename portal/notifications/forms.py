"""The mail settings form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.dates import WEEKDAYS
from portal.models import DigestPace, HelpItemMail

HELP_ITEM_CHOICES = [
    SelectChoice(HelpItemMail.DIRECT.value, "Meteen, bij elke nieuwe hulpvraag of elk nieuw hulpaanbod"),
    SelectChoice(HelpItemMail.DAILY.value, "Eén keer per dag een overzicht"),
    SelectChoice(HelpItemMail.NEVER.value, "Nooit"),
]

DIGEST_CHOICES = [
    SelectChoice(DigestPace.DIRECT.value, "Meteen: een e-mail bij elk nieuw bericht"),
    SelectChoice(DigestPace.DAILY.value, "Eén keer per dag een overzicht"),
    SelectChoice(DigestPace.WEEKLY.value, "Eén keer per week een overzicht"),
    SelectChoice(DigestPace.NEVER.value, "Nooit: ik kijk zelf op het portaal"),
]
DIGEST_LABELS = {choice.value: choice.label for choice in DIGEST_CHOICES}


def _day(value) -> int:
    """The weekday as a number (0 = Monday); anything else is no choice (refused with 422)."""
    text = str(value)
    return int(text) if text.isdigit() else -1


class MailPreferencesForm(FlaskForm):
    """``digest`` and ``digest_weekday`` left out of a post (a form from before they were
    there) keep what the person had; a value that is no choice is refused."""

    help_items = RadioField("Hulpvragen en hulpaanbod in uw buurtcirkel", choices=HELP_ITEM_CHOICES,
                            validators=[InputRequired("Kies een van de mogelijkheden.")],
                            invalid_choice_message="Kies een van de mogelijkheden.")
    digest = RadioField("Hoe vaak wilt u e-mail over wat u volgt?", choices=DIGEST_CHOICES,
                        default=DigestPace.WEEKLY.value,
                        invalid_choice_message="Kies hoe vaak u e-mail wilt.")
    digest_weekday = SelectField("Op welke dag wilt u het overzicht van de week?", coerce=_day,
                                 choices=[SelectChoice(number, day) for number, day in enumerate(WEEKDAYS)],
                                 default=0,
                                 invalid_choice_message="Kies een dag van de week.")
    event_reminders = BooleanField("Herinnering de dag voor een bijeenkomst waarvoor ik ben aangemeld")
    moderation = BooleanField("Bericht als een moderator iets besluit over wat ik heb geplaatst")
    post_updates = BooleanField("Nieuws over signalen aan de gemeente die ik plaatste of steunde")
