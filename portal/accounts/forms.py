from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.extensions import db
from portal.forms import REQUIRED, HoneypotMixin
from portal.models import User
from portal.models.accounts import normalise_email

EMAIL_INVALID = "Dit lijkt geen e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
EMAIL_TAKEN = "Met dit e-mailadres is al een account gemaakt. Wilt u inloggen?"


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED)])


class RegisterForm(HoneypotMixin, FlaskForm):
    name = StringField(
        "Uw naam",
        validators=[DataRequired(REQUIRED), Length(max=80, message="Gebruik hooguit 80 tekens.")],
    )
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired(REQUIRED),
            Email(EMAIL_INVALID, check_deliverability=False),
            Length(max=254),
        ],
    )
    password = PasswordField(
        "Wachtwoord",
        validators=[
            DataRequired(REQUIRED),
            Length(min=10, max=200, message="Kies een wachtwoord van minstens 10 tekens."),
        ],
    )
    password2 = PasswordField(
        "Wachtwoord nog een keer",
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", message="De twee wachtwoorden zijn niet hetzelfde."),
        ],
    )

    def validate_email(self, field):
        email = normalise_email(field.data)
        if db.session.scalar(db.select(User.id).where(User.email == email)):
            raise ValidationError(EMAIL_TAKEN)


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Uw wachtwoord", validators=[DataRequired(REQUIRED)])
