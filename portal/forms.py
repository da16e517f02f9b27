"""Form pieces shared by the blueprints: Dutch messages, the two field helpers, the honeypot,
a list of checkboxes."""

from wtforms import SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import CheckboxInput, ListWidget

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
