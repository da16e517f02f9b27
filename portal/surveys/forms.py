"""Forms of peilingen: a peiling, a question, a paper form's name, a post "Uit de peiling",
and the answer sheet itself.

The answer sheet is not a WTForms form: its fields are the peiling's questions, so it reads
them from the request itself (``AnswerSheet``), with Dutch messages next to each question and
everything the person chose or typed kept. CSRF is checked for every post by Flask-WTF's
``CSRFProtect`` before the view runs.
"""

from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from portal.forms import REQUIRED, at_most, strip
from portal.models import QuestionKind
from portal.models.board import BODY_MAX
from portal.models.board import TITLE_MAX as POST_TITLE_MAX
from portal.models.surveys import (
    HELP_MAX,
    INTRODUCTION_MAX,
    NAME_MAX,
    OPEN_ANSWER_MAX,
    OPTION_MAX,
    QUESTION_MAX,
    SCALE_LABEL_MAX,
    SCALE_VALUES,
    TITLE_MAX,
)
from portal.surveys.service import Given
from portal.surveys.words import (
    CONTACT_HELP,
    CONTACT_QUESTION,
    CONTACT_VALUES,
    GROUP_CONTACT_HELP,
    KIND_LABELS,
)
from portal.wijken.settings import wijk_name

NOT_A_DATE = "Vul een datum in, bijvoorbeeld 1 mei 2026."
MAX_OPTIONS = 20
LONGEST_PERIOD_DAYS = 366


class SurveyForm(FlaskForm):
    title = StringField("Titel", filters=[strip], validators=[DataRequired(REQUIRED), at_most(TITLE_MAX)])
    introduction = TextAreaField("Inleiding", filters=[strip],
                                 validators=[Optional(), at_most(INTRODUCTION_MAX)])
    opens_on = DateField("Open vanaf", [InputRequired(REQUIRED)], invalid_value_message=NOT_A_DATE)
    closes_on = DateField("Open tot en met", [InputRequired(REQUIRED)], invalid_value_message=NOT_A_DATE)
    audience = SelectField("Voor wie is de peiling?", invalid_choice_message="Kies een van de mogelijkheden.")

    def set_audiences(self, neighbourhoods, themes) -> "SurveyForm":
        self.audience.choices = (
            [SelectChoice("", f"Heel {wijk_name()}")]
            + [SelectChoice(f"buurt-{n.id}", f"De buurt {n.name}") for n in neighbourhoods]
            + [SelectChoice(f"thema-{t.id}", f"Het thema {t.name}") for t in themes]
        )
        return self

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data:
            if field.data < self.opens_on.data:
                raise ValidationError("De laatste dag moet op of na de eerste dag liggen.")
            if (field.data - self.opens_on.data).days > LONGEST_PERIOD_DAYS:
                raise ValidationError("Een peiling is hooguit een jaar open.")

    @property
    def neighbourhood_id(self) -> int | None:
        return _id_after(self.audience.data, "buurt-")

    @property
    def theme_id(self) -> int | None:
        return _id_after(self.audience.data, "thema-")


def _id_after(value: str | None, prefix: str) -> int | None:
    return int(value.removeprefix(prefix)) if value and value.startswith(prefix) else None


def audience_value(survey) -> str:
    if survey.neighbourhood_id:
        return f"buurt-{survey.neighbourhood_id}"
    return f"thema-{survey.theme_id}" if survey.theme_id else ""


def _optional_id(value):
    return int(value) if value not in (None, "", "None") else None


def _group_choices() -> list[SelectChoice]:
    """The active groups a "ja of nee" question can ask about ("Wilt u meedoen met ...?")."""
    from portal.groups.service import group_choices

    return [SelectChoice("", "Geen: de vraag gaat over de wijkplatformgroep"),
            *(SelectChoice(str(group_id), name) for group_id, name in group_choices())]


class QuestionForm(FlaskForm):
    kind = RadioField("Soort vraag", choices=dict(KIND_LABELS), default=QuestionKind.ONE,
                      validators=[DataRequired("Kies het soort vraag.")],
                      invalid_choice_message="Kies een van de soorten vragen.")
    text = StringField("De vraag", filters=[strip], validators=[at_most(QUESTION_MAX)])
    help_text = StringField("Uitleg bij de vraag", [Optional(), at_most(HELP_MAX)], filters=[strip])
    required = BooleanField("Iedereen moet deze vraag beantwoorden (verplicht)")
    options = TextAreaField("Antwoorden om uit te kiezen, één per regel", filters=[strip])
    # No ``Optional()`` here: it would stop the chain before the checks for a scale below.
    low_label = StringField("Woorden bij 1", [at_most(SCALE_LABEL_MAX)], filters=[strip])
    high_label = StringField("Woorden bij 5", [at_most(SCALE_LABEL_MAX)], filters=[strip])
    group_id = SelectField("Over welke groep? (alleen bij ja of nee)", coerce=_optional_id,
                           choices=_group_choices, validate_choice=True)

    def validate(self, extra_validators=None) -> bool:
        if self.kind.data == QuestionKind.CONTACT:  # the fifth kind comes with its own words
            group = self._group_name()
            self.text.data = self.text.data or (f"Wilt u meedoen met {group}?" if group else CONTACT_QUESTION)
            self.help_text.data = self.help_text.data or (GROUP_CONTACT_HELP if group else CONTACT_HELP)
        return super().validate(extra_validators)

    def _group_name(self) -> str:
        raw = self.group_id.raw_data[0] if self.group_id.raw_data else str(self.group_id.data or "")
        return next((choice.label for choice in self.group_id.choices if raw and choice.value == raw), "")

    def validate_text(self, field):
        if not field.data:
            raise ValidationError(REQUIRED)

    def validate_options(self, field):
        if self.kind.data not in (QuestionKind.ONE, QuestionKind.MANY):
            return
        lines = self.option_lines
        if len(lines) < 2:
            raise ValidationError("Schrijf minstens twee antwoorden op, elk op een eigen regel.")
        if len(lines) > MAX_OPTIONS:
            raise ValidationError(f"Gebruik hooguit {MAX_OPTIONS} antwoorden.")
        if any(len(line) > OPTION_MAX for line in lines):
            raise ValidationError(f"Een antwoord is hooguit {OPTION_MAX} tekens lang.")
        if len({line.casefold() for line in lines}) != len(lines):
            raise ValidationError("Elk antwoord mag maar één keer voorkomen.")

    def validate_low_label(self, field):
        if self.kind.data == QuestionKind.SCALE and not field.data:
            raise ValidationError("Schrijf op wat 1 betekent, bijvoorbeeld: helemaal niet belangrijk.")

    def validate_high_label(self, field):
        if self.kind.data == QuestionKind.SCALE and not field.data:
            raise ValidationError("Schrijf op wat 5 betekent, bijvoorbeeld: heel belangrijk.")

    @property
    def option_lines(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]


class PaperForm(FlaskForm):
    """A verbinder types in a paper form: for whom (a first name, for the contact list only)."""

    on_behalf_name = StringField("Voornaam van de buur", filters=[strip],
                                 validators=[DataRequired(REQUIRED), at_most(NAME_MAX)])


class OutcomeForm(FlaskForm):
    """A post "Uit de peiling: ..." on a theme board."""

    theme = SelectField("Op het prikbord van het thema", invalid_choice_message="Kies een thema.")
    title = StringField("Titel", [DataRequired(REQUIRED), at_most(POST_TITLE_MAX)], filters=[strip])
    body = TextAreaField("Wat kwam eruit?", [DataRequired(REQUIRED), at_most(BODY_MAX)], filters=[strip])

    def set_themes(self, themes) -> "OutcomeForm":
        self.theme.choices = [SelectChoice(t.slug, t.name) for t in themes]
        return self


# --- The answer sheet ------------------------------------------------------------------------

CHOOSE_ONE = "Kies een van de antwoorden."
ANSWER_REQUIRED = "Deze vraag is verplicht. Kies een antwoord."
WRITE_REQUIRED = "Deze vraag is verplicht. Schrijf een antwoord."
TOO_LONG = f"Gebruik hooguit {OPEN_ANSWER_MAX:,} tekens.".replace(",", ".")


@dataclass
class _Read:
    given: Given | None = None
    error: str | None = None


class AnswerSheet:
    """The answers to a peiling's questions: read from a post (``formdata``), or from the
    person's earlier response to show it again. ``values`` holds what each question shows
    as chosen or typed (its form values), ``errors`` the message next to each question."""

    def __init__(self, questions, formdata=None, response=None):
        self.questions = list(questions)
        self.values: dict[int, list[str]] = {}
        self.errors: dict[int, str] = {}
        self.given: list[Given] = []
        if formdata is not None:
            for question in self.questions:
                sent = formdata.getlist(field_name(question))
                self.values[question.id] = [value for value in sent if isinstance(value, str)]
        elif response is not None:
            self._show(response)

    def validate(self) -> bool:
        self.errors, self.given = {}, []
        for question in self.questions:
            read = _read(question, self.values.get(question.id, []))
            if read.error:
                self.errors[question.id] = read.error
            elif read.given is not None:
                self.given.append(read.given)
        return not self.errors

    def shows(self, question, value) -> bool:
        """Is this option (or scale value, or ja/nee) chosen?"""
        return str(value) in self.values.get(question.id, [])

    def text(self, question) -> str:
        return next(iter(self.values.get(question.id, [])), "")

    def _show(self, response) -> None:
        kinds = {q.id: q.kind for q in self.questions}
        for answer in response.answers:
            shown = self.values.setdefault(answer.question_id, [])
            if answer.option_id is not None:
                shown.append(str(answer.option_id))
            elif answer.text is not None:
                shown.append(answer.text)
            elif kinds.get(answer.question_id) == QuestionKind.CONTACT:
                shown.append(next(word for word, value in CONTACT_VALUES.items() if value == answer.value))
            elif answer.value is not None:
                shown.append(str(answer.value))


def field_name(question) -> str:
    return f"vraag-{question.id}"


def _read(question, values: list[str]) -> _Read:
    kind = question.kind
    if kind == QuestionKind.OPEN:
        text = "\n".join(values).replace("\r\n", "\n").strip()
        if len(text) > OPEN_ANSWER_MAX:
            return _Read(error=TOO_LONG)
        if not text:
            return _Read(error=WRITE_REQUIRED if question.required else None)
        return _Read(Given(question, text=text))
    chosen = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if not chosen:
        return _Read(error=ANSWER_REQUIRED if question.required else None)
    if kind != QuestionKind.MANY and len(chosen) > 1:
        return _Read(error="Kies één antwoord.")
    if kind in (QuestionKind.ONE, QuestionKind.MANY):
        options = {str(option.id): option.id for option in question.options}
        if any(value not in options for value in chosen):
            return _Read(error=CHOOSE_ONE)
        return _Read(Given(question, option_ids=[options[v] for v in chosen]))
    allowed = {str(v): v for v in SCALE_VALUES} if kind == QuestionKind.SCALE else CONTACT_VALUES
    if chosen[0] not in allowed:
        return _Read(error=CHOOSE_ONE)
    return _Read(Given(question, value=allowed[chosen[0]]))
