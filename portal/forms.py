"""Form pieces shared by the blueprints: Dutch messages, the two field helpers, the honeypot,
a list of checkboxes, a place on the map."""

from wtforms import DecimalField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

REQUIRED = "Vul dit veld in."


def strip(value):
    """A field filter: no spaces before or after what someone typed."""
    return value.strip() if isinstance(value, str) else value


def at_most(characters: int) -> Length:
    """A length limit with the Dutch message, thousands with a dot: "hooguit 5.000 tekens"."""
    return Length(max=characters, message=f"Gebruik hooguit {characters:,} tekens.".replace(",", "."))


class HoneypotMixin:
    """A field people never see (``form_top`` in _macros.html, ``autocomplete="off"``,
    ``tabindex="-1"``). Bots fill it in, but so do browsers' autofill and password managers,
    so it never refuses a form: that person would be stuck with no message to act on. The
    view lets such a submission through as a newcomer's would be: a new account is *nieuw*
    anyway, and a post or reply waits for a moderator (``hold=form.honeypot_filled``)."""

    website = StringField("Laat dit veld leeg")

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.website.data or "").strip())


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (``_macros.field`` draws them in a fieldset, like radios)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


LATITUDES, LONGITUDES = (50.7, 53.6), (3.3, 7.3)
NOT_A_NUMBER = "Vul een getal in, bijvoorbeeld 52,0986."
OUTSIDE_NL = "Deze {what} ligt niet in Nederland. De stad Utrecht ligt rond {here}."  # every wijk is in it


class CommaDecimalField(DecimalField):
    """A number as people here type it: "52,0986" as well as "52.0986" (a text field with a
    number keyboard: a number field would refuse the comma)."""

    widget = TextInput()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata([value.replace(",", ".").strip() for value in valuelist])
        if self.data is not None and not self.data.is_finite():  # "nan", "Infinity": no place
            self.data = None
            raise ValueError(NOT_A_NUMBER)


class PlaceInTheNetherlands:
    """For a form with ``latitude`` and ``longitude`` fields: both must lie in the Netherlands
    (a circle's centre, the place of a melding, a traject's place)."""

    def validate_latitude(self, field):
        if field.data is not None and not LATITUDES[0] <= field.data <= LATITUDES[1]:
            raise ValidationError(OUTSIDE_NL.format(what="breedtegraad", here="52,09"))

    def validate_longitude(self, field):
        if field.data is not None and not LONGITUDES[0] <= field.data <= LONGITUDES[1]:
            raise ValidationError(OUTSIDE_NL.format(what="lengtegraad", here="5,12"))


class OptionalPlace(PlaceInTheNetherlands):
    """A point on the map that may stay empty (a traject's place, a contribution's): both
    numbers or neither. With JavaScript a tap on the map fills them in."""

    latitude = CommaDecimalField("Breedtegraad", places=None, validators=[Optional()])
    longitude = CommaDecimalField("Lengtegraad", places=None, validators=[Optional()])

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if (self.latitude.data is None) != (self.longitude.data is None):
            missing = self.longitude if self.longitude.data is None else self.latitude
            if not missing.errors:  # an empty field stops its own validators (Optional)
                missing.errors.append("Vul beide getallen in, of laat ze allebei leeg.")
            return False
        return valid

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude.data is None or self.longitude.data is None:
            return None
        return float(self.latitude.data), float(self.longitude.data)
