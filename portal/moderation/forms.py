"""Forms of moderation: a report (melding) and a decision (with its reason)."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal.forms import at_most, strip
from portal.models.moderation import DECISION_REASON_MAX, REPORT_REASON_MAX
from portal.moderation.words import REPORT_REASONS


class ReportForm(FlaskForm):
    reason = RadioField(
        "Wat is er mis mee?",
        choices=[SelectChoice(str(value), label) for value, label in REPORT_REASONS.items()],
        validators=[DataRequired("Kies wat er mis mee is.")],
    )
    explanation = TextAreaField(
        "Toelichting (mag leeg blijven)", filters=[strip], validators=[Optional(), at_most(REPORT_REASON_MAX)]
    )


class DecisionForm(FlaskForm):
    """A decision's reason. Required for hiding and blocking (checked in the view, which
    knows the decision); the author reads it on their account page."""

    reason = TextAreaField("Reden", filters=[strip], validators=[Optional(), at_most(DECISION_REASON_MAX)])

    def with_id(self, field_id: str) -> "DecisionForm":
        """A page holds many of these forms: each reason field needs an id of its own."""
        self.reason.id = field_id
        self.reason.label.field_id = field_id
        return self
