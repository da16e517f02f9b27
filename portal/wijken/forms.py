"""The platform admin's forms for a wijk. What needs the other wijken (a host that is taken)
is checked by ``service``; the view puts its answer next to the field."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, ValidationError

from portal.forms import REQUIRED, at_most, strip
from portal.models.wijken import District
from portal.wijken import service


def lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class NewWijkForm(FlaskForm):
    """``/beheer/wijken/nieuw``: what ``flask create-wijk`` asks."""

    name = StringField("Naam van de wijk", filters=[strip],
                       validators=[DataRequired(REQUIRED), at_most(service.NAME_MAX)])
    slug = StringField("Korte naam", filters=[lower], validators=[DataRequired(REQUIRED)])
    host = StringField("Webadres", filters=[lower], validators=[DataRequired(REQUIRED)])
    aliases = StringField("Andere webadressen (mag leeg blijven)", filters=[lower])


class WijkForm(FlaskForm):
    """``/beheer/wijken/<slug>``: everything of a wijk but its short name and logo."""

    name = StringField("Naam van de wijk", filters=[strip],
                       validators=[DataRequired(REQUIRED), at_most(service.NAME_MAX)])
    host = StringField("Webadres", filters=[lower], validators=[DataRequired(REQUIRED)])
    aliases = StringField("Andere webadressen (mag leeg blijven)", filters=[lower])
    contact_line = StringField("Wie bellen mensen zonder internet?", filters=[strip],
                               validators=[at_most(300)])
    gemeente_mail = TextAreaField("E-mailadressen van de gemeente", filters=[strip])
    signalen_url = StringField("Adres van Signalen (mag leeg blijven)", filters=[strip],
                               validators=[at_most(300)])
    signalen_category = StringField("Categorie in Signalen (mag leeg blijven)", filters=[strip],
                                    validators=[at_most(300)])
    mail_from_name = StringField("Naam van de afzender van e-mails", filters=[strip],
                                 validators=[at_most(120)])
    accent_colour = StringField("Kleur", filters=[strip], validators=[DataRequired(REQUIRED)])

    @classmethod
    def of(cls, district: District) -> "WijkForm":
        return cls(formdata=None, data={
            "name": district.name, "host": district.host, "aliases": district.aliases,
            "contact_line": district.contact_line, "gemeente_mail": district.gemeente_mail,
            "signalen_url": district.signalen_url, "signalen_category": district.signalen_category,
            "mail_from_name": district.mail_from_name, "accent_colour": district.accent_colour,
        })

    def validate_accent_colour(self, field):
        problem = service.colour_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_signalen_url(self, field):
        problem = service.url_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_signalen_category(self, field):
        problem = service.url_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_mail_from_name(self, field):
        problem = service.sender_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class LogoForm(FlaskForm):
    logo = FileField("Logo", id="logo-bestand", validators=[FileRequired("Kies een bestand.")],
                     render_kw={"accept": "image/png,image/svg+xml,.png,.svg"})
