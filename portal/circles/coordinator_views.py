"""Circle management for coordinators and admins (``/beheer/cirkels``): start a circle, change
it, appoint and remove verbinders, move a street, archive a circle.

Every change is logged (``/moderatie/logboek``) and mails the people it concerns, through
``coordination.py``. Plain forms with PRG; invalid input answers 422 with what was typed kept.
"""

from flask import flash, request
from flask_login import current_user, login_required

from portal.access import found_or_404, require
from portal.circles import access, bp, coordination, followup, service
from portal.circles.forms import CircleForm, ConnectorForm, MoveStreetForm
from portal.extensions import db
from portal.models import Circle, Neighbourhood, Street, User
from portal.models.accounts import normalise_email
from portal.web import form_invalid, render, see_other

COORDINATORS_ONLY = (
    "Alleen voor coördinatoren",
    "Buurtcirkels opzetten doen de coördinatoren van de buurtcirkels en de beheerders.",
)


def _managed_circle(slug: str) -> Circle:
    require(access.can_manage_circles(current_user), COORDINATORS_ONLY)
    return found_or_404(service.circle_or_none(slug))


def _neighbourhoods() -> list[Neighbourhood]:
    return list(db.session.scalars(db.select(Neighbourhood).order_by(Neighbourhood.name)))


def _circle_form(circle: Circle | None = None, from_request: bool = True) -> CircleForm:
    if from_request and request.method == "POST":
        form = CircleForm()
    elif circle is not None:
        form = CircleForm(formdata=None, data={
            "name": circle.name, "neighbourhood": str(circle.neighbourhood_id),
            "streets": "\n".join(street.name for street in circle.streets),
            "description": circle.description, "latitude": circle.latitude,
            "longitude": circle.longitude, "radius_m": circle.radius_m, "contact_line": circle.contact_line,
        })
    else:
        form = CircleForm(formdata=None)
    return form.set_neighbourhoods(_neighbourhoods())


def _valid_details(form: CircleForm, circle: Circle | None) -> coordination.CircleDetails | None:
    """The form's circle, or None with the errors next to the fields (a street that belongs to
    another circle is refused: move it from that circle's page)."""
    if not form.validate_on_submit():
        return None
    elsewhere = coordination.streets_of_other_circles(form.street_names, circle)
    if elsewhere:
        form.streets.errors = [
            f"{name} hoort al bij {elsewhere[name.lower()].name}. Haal de straat hier weg, of verplaats "
            "hem op de pagina van die buurtcirkel."
            for name in form.street_names if name.lower() in elsewhere
        ]
        return None
    return coordination.CircleDetails(
        name=form.name.data, neighbourhood_id=int(form.neighbourhood.data), streets=form.street_names,
        description=form.description.data or "", latitude=float(form.latitude.data),
        longitude=float(form.longitude.data), radius_m=form.radius_m.data,
        contact_line=form.contact_line.data or "",
    )


@bp.get("/beheer/cirkels")
@login_required
def manage_circles():
    require(access.can_manage_circles(current_user), COORDINATORS_ONLY)
    return render("circles/admin/index.html", rows=coordination.circle_rows(),
                  requests=coordination.street_requests(), waiting=followup.waiting_for_coordinators())


@bp.route("/beheer/cirkels/nieuw", methods=["GET", "POST"])
@login_required
def new_circle():
    require(access.can_manage_circles(current_user), COORDINATORS_ONLY)
    form = _circle_form()
    details = _valid_details(form, None) if request.method == "POST" else None
    if details is not None:
        circle = coordination.create_circle(details, current_user)
        flash(f"De buurtcirkel {circle.name} is gemaakt. Benoem nu een verbinder.", "success")
        return see_other("circles.edit_circle", slug=circle.slug)
    if form.errors:
        return form_invalid("circles/admin/form.html", form=form, circle=None)
    return render("circles/admin/form.html", form=form, circle=None)


def _edit_context(circle: Circle, form=None, connector_form=None) -> dict:
    others = db.session.scalars(
        db.select(Circle).where(Circle.archived_at.is_(None), Circle.id != circle.id).order_by(Circle.name))
    move_form = MoveStreetForm(formdata=None)
    move_form.circle.choices = [(str(c.id), c.name) for c in others]
    return {"circle": circle, "form": form or _circle_form(circle, from_request=False),
            "connector_form": connector_form or ConnectorForm(formdata=None),
            "connectors": service.connectors_of(circle), "move_form": move_form}


@bp.route("/beheer/cirkels/<slug>", methods=["GET", "POST"])
@login_required
def edit_circle(slug: str):
    circle = _managed_circle(slug)
    if request.method == "GET":
        return render("circles/admin/edit.html", **_edit_context(circle))
    form = _circle_form(circle)
    details = _valid_details(form, circle)
    if details is None:
        return form_invalid("circles/admin/edit.html", **_edit_context(circle, form=form))
    coordination.change_circle(circle, details, current_user)
    flash(f"De wijzigingen in {circle.name} zijn opgeslagen.", "success")
    return see_other("circles.edit_circle", slug=circle.slug)


@bp.post("/beheer/cirkels/<slug>/verbinders")
@login_required
def appoint_connector(slug: str):
    circle = _managed_circle(slug)
    form = ConnectorForm()
    person = None
    if form.validate_on_submit():
        person = db.session.scalar(db.select(User).where(User.email == normalise_email(form.email.data)))
        if person is None:
            form.email.errors = ["Er is geen account met dit e-mailadres. Vraag de verbinder eerst een "
                                 "account te maken op /registreren."]
    if person is None:
        return form_invalid("circles/admin/edit.html", **_edit_context(circle, connector_form=form))
    previous = coordination.appoint_connector(circle, person, current_user)
    moved = f" {person.first_name} was lid van {previous.name} en is nu lid hier." if previous else ""
    flash(f"{person.name} is nu verbinder van {circle.name} en krijgt een e-mail.{moved}", "success")
    return see_other("circles.edit_circle", slug=circle.slug, _anchor="verbinders")


@bp.post("/beheer/cirkels/<slug>/verbinders/<int:user_id>/verwijderen")
@login_required
def remove_connector(slug: str, user_id: int):
    circle = _managed_circle(slug)
    person = db.session.get(User, user_id)
    person = found_or_404(person if person is not None and person.here is not None else None)  # in this wijk
    if coordination.remove_connector(circle, person, current_user):
        flash(f"{person.name} is geen verbinder meer van {circle.name}, maar blijft lid.", "success")
    else:
        flash(f"{person.name} was geen verbinder van {circle.name}.", "info")
    return see_other("circles.edit_circle", slug=circle.slug, _anchor="verbinders")


@bp.post("/beheer/cirkels/<slug>/straten/<int:street_id>/verplaatsen")
@login_required
def move_street(slug: str, street_id: int):
    circle = _managed_circle(slug)
    street = found_or_404(db.session.get(Street, street_id))
    form = MoveStreetForm()
    target_id = form.circle.data or ""
    target = db.session.get(Circle, int(target_id)) if target_id.isdigit() else None
    if street.circle_id != circle.id or target is None or target.is_archived or target.id == circle.id:
        flash("Kies een andere buurtcirkel om de straat naartoe te verplaatsen.", "error")
        return see_other("circles.edit_circle", slug=circle.slug, _anchor="straten")
    if any(other.name.lower() == street.name.lower() for other in target.streets):
        flash(f"{target.name} heeft de {street.name} al.", "error")
        return see_other("circles.edit_circle", slug=circle.slug, _anchor="straten")
    coordination.move_street(street, target, current_user)
    flash(f"De {street.name} hoort nu bij {target.name}.", "success")
    return see_other("circles.edit_circle", slug=circle.slug, _anchor="straten")


@bp.post("/beheer/cirkels/<slug>/archiveren")
@login_required
def archive_circle(slug: str):
    circle = _managed_circle(slug)
    if circle.is_archived:
        flash(f"{circle.name} was al gearchiveerd.", "info")
    else:
        told = coordination.archive_circle(circle, current_user)
        flash(f"{circle.name} is gearchiveerd. {told} leden krijgen een e-mail en kunnen lid worden "
              "van een andere buurtcirkel. Er is niets verwijderd.", "success")
    return see_other("circles.manage_circles")
