"""The verbinder's list of neighbours without internet (``/cirkels/<slug>/buren``).

They count as members of the circle; the help form and the event sign-up of a verbinder offer
them in ``on_behalf_of``. Only the circle's verbinders see the list (and the phones): for
anyone else it does not exist (404). Every form works without JavaScript (PRG).
"""

from flask import flash, request
from flask_login import current_user, login_required

from portal.access import found_or_404, visible_or_404
from portal.circles import access, bp, coordination, service
from portal.circles.forms import CONSENT_TEXT, OfflineNeighbourForm
from portal.moderation.policy import limit_per_person
from portal.web import form_invalid, render, see_other


def _kept_circle(slug: str):
    return visible_or_404(service.circle_or_none(slug), current_user, access.can_keep_neighbours)


def _form(circle, from_request: bool = True) -> OfflineNeighbourForm:
    form = OfflineNeighbourForm() if from_request else OfflineNeighbourForm(formdata=None)
    return form.set_streets([street.name for street in circle.streets])


@bp.get("/cirkels/<slug>/buren")
@login_required
def neighbours(slug: str):
    circle = _kept_circle(slug)
    return render("circles/neighbours.html", circle=circle,
                  neighbours=coordination.offline_neighbours(circle))


@bp.route("/cirkels/<slug>/buren/nieuw", methods=["GET", "POST"])
@login_required
@limit_per_person("60 per hour")
def new_neighbour(slug: str):
    circle = _kept_circle(slug)
    form = _form(circle, from_request=request.method == "POST")
    if form.validate_on_submit():
        neighbour = coordination.add_offline_neighbour(
            circle, current_user, form.first_name.data, form.street.data, form.phone.data or "", CONSENT_TEXT)
        flash(f"{neighbour.first_name} staat nu op de lijst en telt mee als lid van {circle.name}. "
              "U kunt nu hulp vragen namens deze buur.", "success")
        return see_other("circles.neighbours", slug=circle.slug)
    if form.errors:
        return form_invalid("circles/new_neighbour.html", circle=circle, form=form)
    return render("circles/new_neighbour.html", circle=circle, form=form)


@bp.post("/cirkels/<slug>/buren/<int:neighbour_id>/verwijderen")
@login_required
def remove_neighbour(slug: str, neighbour_id: int):
    """At the neighbour's request. Their help items stay, now "namens een buur"."""
    circle = _kept_circle(slug)
    neighbour = found_or_404(coordination.offline_neighbour_or_none(circle, neighbour_id))
    name = neighbour.first_name
    coordination.remove_offline_neighbour(neighbour)
    flash(f"{name} staat niet meer op de lijst. Telefoon en straat zijn gewist; wat u namens "
          f"{name} vroeg, staat er nog, als “namens een buur”.", "success")
    return see_other("circles.neighbours", slug=circle.slug)
