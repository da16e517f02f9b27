import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from portal.extensions import db
from portal.forms import REQUIRED, HoneypotMixin, at_most, strip
from portal.models import User
from portal.models.accounts import normalise_email

EMAIL_INVALID = "Dit lijkt geen e-mailadres. Een e-mailadres ziet eruit als naam@voorbeeld.nl."
EMAIL_TAKEN = "Met dit e-mailadres is al een account gemaakt. Wilt u inloggen?"
EMAIL_IN_USE = "Dit e-mailadres hoort al bij een ander account. Kies een ander adres."
PHONE_INVALID = (
    "Dit lijkt geen telefoonnummer. Gebruik 10 tot 15 cijfers, met spaties of streepjes als u wilt, "
    "zoals 06 12345678 of +31 30 123 4567."
)
NAME_TOO_LONG = "Uw voornaam en achternaam samen mogen hooguit 80 tekens zijn."
SHARE_PHONE_LABEL = "Mijn buren in de buurtcirkel en de verbinder mogen mijn telefoonnummer zien"
PHONE = re.compile(r"\+?[0-9][0-9 -]*")


def _single_spaces(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def email_field(label: str = "E-mailadres") -> EmailField:
    return EmailField(label, filters=[strip], validators=[
        DataRequired(REQUIRED), Email(EMAIL_INVALID, check_deliverability=False), at_most(254),
    ])


def new_password_field(label: str = "Wachtwoord") -> PasswordField:
    return PasswordField(label, validators=[
        DataRequired(REQUIRED),
        Length(min=10, max=200, message="Kies een wachtwoord van minstens 10 tekens."),
    ])


def repeat_password_field() -> PasswordField:
    """The same password once more; the form's new password must be called ``password``."""
    return PasswordField("Wachtwoord nog een keer", validators=[
        DataRequired(REQUIRED), EqualTo("password", message="De twee wachtwoorden zijn niet hetzelfde."),
    ])


REMEMBER_HINT = (
    "Alleen op uw eigen apparaat aanvinken. Dan blijft u 90 dagen ingelogd. "
    "Gebruikt u een tablet of computer samen met anderen? Laat het dan leeg. "
    "U wordt dan vanzelf uitgelogd als u de browser sluit, of na 2 uur niets doen."
)


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired(REQUIRED)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(REQUIRED)])
    remember = BooleanField("Ingelogd blijven")


class RegisterForm(HoneypotMixin, FlaskForm):
    name = StringField(
        "Uw naam",
        validators=[DataRequired(REQUIRED), Length(max=80, message="Gebruik hooguit 80 tekens.")],
    )
    email = email_field()
    # Only to offer the circle of that street; never stored (collect little, AVG).
    street = StringField("Uw straat (mag leeg blijven)", filters=[strip],
                         validators=[Optional(), at_most(80)])
    password = new_password_field()
    password2 = repeat_password_field()
    remember = BooleanField("Ingelogd blijven")

    def validate_email(self, field):
        email = normalise_email(field.data)
        if db.session.scalar(db.select(User.id).where(User.email == email)):
            raise ValidationError(EMAIL_TAKEN)


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class NewPasswordForm(FlaskForm):
    password = new_password_field("Nieuw wachtwoord")
    password2 = repeat_password_field()


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField("Uw huidige wachtwoord", validators=[DataRequired(REQUIRED)])


class ProfileForm(FlaskForm):
    first_name = StringField("Voornaam", filters=[strip, _single_spaces],
                             validators=[DataRequired(REQUIRED), at_most(80)])
    last_name = StringField("Achternaam (mag leeg blijven)", filters=[strip, _single_spaces],
                            validators=[Optional(), at_most(80)])
    email = email_field()
    phone = StringField("Telefoonnummer (mag leeg blijven)", filters=[strip, _single_spaces],
                        validators=[Optional(), at_most(30)])
    share_phone = BooleanField(SHARE_PHONE_LABEL)

    def __init__(self, *args, account: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def validate_last_name(self, field):
        if len(f"{self.first_name.data or ''} {field.data or ''}".strip()) > 80:
            raise ValidationError(NAME_TOO_LONG)

    def validate_email(self, field):
        email = normalise_email(field.data)
        taken = db.select(User.id).where(User.email == email, User.id != self.account.id)
        if db.session.scalar(taken):
            raise ValidationError(EMAIL_IN_USE)

    def validate_phone(self, field):
        digits = sum(ch.isdigit() for ch in field.data)
        if not (PHONE.fullmatch(field.data) and 10 <= digits <= 15):
            raise ValidationError(PHONE_INVALID)


class DeleteAccountForm(FlaskForm):
    password = PasswordField("Uw wachtwoord", validators=[DataRequired(REQUIRED)])
