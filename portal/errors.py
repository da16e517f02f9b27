"""Friendly Dutch error pages, with the same headers and layout as every other page."""

from flask import Flask, render_template, request, session
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from portal import wijk
from portal.extensions import db

MESSAGES = {
    400: ("Er ging iets mis met uw verzoek", "Probeer het nog eens vanaf de vorige pagina."),
    403: ("Dit mag u niet bekijken", "Deze pagina is alleen voor bepaalde deelnemers."),
    404: ("Deze pagina bestaat niet", "Misschien is de pagina verplaatst of is het adres anders."),
    405: ("Dat kan hier niet", "Deze pagina werkt niet op deze manier."),
    413: (
        "Dat is te veel in één keer",
        "Uw bericht of bestand is te groot. Maak het korter en probeer het opnieuw.",
    ),
    429: (
        "Even rustig aan",
        "U heeft dit te vaak geprobeerd. Wacht een paar minuten en probeer het dan opnieuw.",
    ),
    500: ("Er ging iets mis bij ons", "Het ligt niet aan u. Probeer het over een paar minuten opnieuw."),
    503: (
        "Het portaal is even niet bereikbaar",
        "We werken eraan. Probeer het over een paar minuten opnieuw.",
    ),
}


def error_page(status: int, title: str | None = None, text: str | None = None):
    default_title, default_text = MESSAGES.get(status, MESSAGES[500])
    body = render_template(
        "errors/error.html", status=status, title=title or default_title, text=text or default_text
    )
    return body, status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return error_page(exc.code or 500)

    @app.errorhandler(CSRFError)
    def csrf_refused(_exc: CSRFError):
        return render_template("errors/csrf.html", fields=_kept_fields()), 400

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        app.logger.error("Database unavailable: %s", exc.orig or exc)
        _forget_unsaved_work()
        with wijk.in_wijk(None):  # drawn without the wijk's name: that too is in the database
            return error_page(503)

    @app.errorhandler(DataError)
    def value_out_of_range(exc: DataError):
        """A value the database cannot hold, such as an id in the address larger than any
        integer column (PostgreSQL refuses it; SQLite finds nothing): no such page."""
        app.logger.info("Value out of range: %s", exc.orig or exc)
        db.session.rollback()
        return error_page(404 if request.method == "GET" else 400)

    @app.errorhandler(500)
    def server_error(_exc):
        _forget_unsaved_work()
        return error_page(500)


def _forget_unsaved_work() -> None:
    """The request's changes were not stored: roll them back, and drop the confirmations its
    view had already flashed ("Dank u ...") so nobody reads that it worked."""
    db.session.rollback()
    session.pop("_flashes", None)


def _kept_fields() -> list[tuple[str, str]]:
    """What the person typed, so nothing is lost when an expired form is refused."""
    hidden = {"csrf_token", "password", "password2", "current_password", "website"}
    return [(k, v) for k, v in request.form.items(multi=True) if k not in hidden and v.strip()]
