from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError

from portal.board.words import KIND_BY_SLUG, KIND_LABELS, MUNICIPAL_LABELS, PHASE_LABELS
from portal.forms import REQUIRED, HoneypotMixin, at_most, strip
from portal.models import PostKind
from portal.models.board import BODY_MAX, ON_BEHALF_MAX, SOURCE_MAX, TITLE_MAX


class PostEditForm(FlaskForm):
    """What an author may change within the edit window."""

    title = StringField(
        "Titel", filters=[strip], validators=[DataRequired(REQUIRED), at_most(TITLE_MAX)]
    )
    body = TextAreaField(
        "Uw bericht", filters=[strip], validators=[DataRequired(REQUIRED), at_most(BODY_MAX)]
    )
    neighbourhood = SelectField("Over welke buurt gaat het?", validators=[Optional()])

    def set_neighbourhoods(self, places) -> "PostEditForm":
        self.neighbourhood.choices = {"": "Geen bepaalde buurt (de hele wijk)"} | {
            str(p.id): p.name for p in places
        }
        return self

    @property
    def neighbourhood_id(self) -> int | None:
        return int(self.neighbourhood.data) if self.neighbourhood.data else None


class PostForm(HoneypotMixin, PostEditForm):
    kind = RadioField(
        "Wat voor bericht is het?",
        choices={slug: KIND_LABELS[kind] for slug, kind in KIND_BY_SLUG.items()},
        default="idee",
        validators=[DataRequired("Kies wat voor bericht het is.")],
    )
    phase = RadioField(
        "Alleen bij een signaal: wanneer?",
        choices={str(phase): label for phase, label in PHASE_LABELS.items()},
        validators=[Optional()],
    )

    def validate(self, extra_validators=None) -> bool:
        """The phase is optional (``Optional`` ends its own checks), except for a signal."""
        valid = super().validate(extra_validators)
        if self.kind.data == "signaal" and not self.phase.data:
            self.phase.errors = [*self.phase.errors, "Kies bij een signaal of het vóór of na het besluit is."]
            return False
        return valid

    @property
    def post_kind(self) -> str:
        return KIND_BY_SLUG.get(self.kind.data, PostKind.IDEA)


class ReplyForm(HoneypotMixin, FlaskForm):
    reply = TextAreaField(
        "Uw reactie", filters=[strip], validators=[DataRequired(REQUIRED), at_most(BODY_MAX)]
    )


class SignalStatusForm(FlaskForm):
    municipal_status = SelectField(
        "Waar staat dit signaal?",
        choices={str(status): label for status, label in MUNICIPAL_LABELS.items()},
    )
    answer = TextAreaField(
        "Antwoord van de gemeente", filters=[strip], validators=[at_most(BODY_MAX)]
    )

    def validate_answer(self, field):
        if self.municipal_status.data == "beantwoord" and not field.data:
            raise ValidationError("Schrijf het antwoord van de gemeente op als het signaal beantwoord is.")


class SignalAnswerForm(FlaskForm):
    """The gemeente's answer on ``/signalen/antwoord/<token>``: no account and no cookie, so
    no CSRF token either; the signed link in the address is what protects it."""

    class Meta:
        csrf = False

    answer = TextAreaField(
        "Uw antwoord aan de bewoners", filters=[strip],
        validators=[DataRequired("Schrijf uw antwoord op."), at_most(BODY_MAX)],
    )
    municipal_status = RadioField(
        "Hoe staat het ervoor?",
        choices={"beantwoord": "Dit is ons antwoord: het signaal is beantwoord",
                 "in_behandeling": "Dit is een tussenbericht: we zijn ermee bezig"},
        default="beantwoord",
        validators=[DataRequired("Kies hoe het ervoor staat.")],
    )


class AnswerVisibilityForm(FlaskForm):
    """A moderator hides the gemeente's answer (or shows it again); the reason goes in the log."""

    reason = TextAreaField("Waarom?", filters=[strip], validators=[at_most(1000)])

    def validate_reason(self, field):
        if not field.data:
            raise ValidationError("Schrijf op waarom. Dit komt in het logboek.")


class CardForm(PostForm):
    """A paper card from a meeting, typed in by a moderator or verbinder namens a resident."""

    theme = SelectField("Thema", invalid_choice_message="Kies een thema.")
    on_behalf_name = StringField(
        "Namens wie?", filters=[strip], validators=[DataRequired(REQUIRED), at_most(ON_BEHALF_MAX)]
    )
    source = StringField(
        "Waar komt de kaart vandaan?", filters=[strip],
        validators=[DataRequired(REQUIRED), at_most(SOURCE_MAX)],
    )

    def set_themes(self, themes) -> "CardForm":
        self.theme.choices = {"": "Kies een thema"} | {t.slug: t.name for t in themes}
        return self

    def validate_theme(self, field):
        if not field.data:
            raise ValidationError("Kies een thema.")


class ThemeForm(FlaskForm):
    name = StringField(
        "Naam van het thema", filters=[strip], validators=[DataRequired(REQUIRED), at_most(80)]
    )
    description = TextAreaField(
        "Korte beschrijving", filters=[strip], validators=[Optional(), at_most(300)]
    )
