"""A verbinder points a help item to a service (``/hulp/<id>/verwijzen``), and the
informatiepunt says which buurtcirkels a service covers
(``/informatiepunt/diensten/<id>/buurten``)."""

from flask import flash
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal.access import found_or_404, require, visible_or_404
from portal.circles import access as circle_access
from portal.circles import service as circle_service
from portal.infopoint import bp, referrals, service
from portal.infopoint.access import can_refer_help_item, can_set_service_areas
from portal.infopoint.forms import HelpReferralForm, ServiceAreasForm
from portal.models import HelpItem
from portal.web import form_invalid, render, see_other


def _item(item_id: int) -> HelpItem:
    item = visible_or_404(circle_service.help_item_or_none(item_id), current_user,
                          circle_access.can_see_help_item)
    require(can_refer_help_item(current_user, item),
            ("Alleen voor verbinders", "Alleen de verbinders van deze buurtcirkel verwijzen een hulpvraag "
             "door naar een dienst op de sociale kaart."))
    return item


def _with_services(item: HelpItem, form: HelpReferralForm) -> HelpReferralForm:
    """The services a verbinder of this circle may choose: for this buurtcirkel first."""
    form.services = referrals.services_for(item.circle)
    form.service_id.choices = [SelectChoice("", "Kies een dienst")] + [
        SelectChoice(str(offered.id), f"{offered.name} ({offered.organization.name})")
        for offered in form.services]
    return form


def _refer_page(item: HelpItem, form: HelpReferralForm, invalid: bool = False):
    answer = form_invalid if invalid else render
    return answer("infopoint/refer_help_item.html", item=item, form=form, services=form.services,
                  earlier=referrals.referrals_of(item))


@bp.route("/hulp/<int:item_id>/verwijzen", methods=["GET", "POST"])
@login_required
def refer_help_item(item_id: int):
    item = _item(item_id)
    form = _with_services(item, HelpReferralForm())
    if not form.is_submitted():
        return _refer_page(item, form)
    if not form.validate():
        return _refer_page(item, form, invalid=True)
    chosen = next(offered for offered in form.services if offered.id == form.service_id.data)
    referrals.refer(item, chosen, current_user, form.note.data or "")
    flash(f"In het gesprek staat nu uw verwijzing naar {chosen.name}. "
          f"{_asker(item)} krijgt daar bericht van.", "success")
    return see_other("circles.help_item", item_id=item.id, _anchor="gesprek")


def _asker(item: HelpItem) -> str:
    return item.on_behalf_name if item.is_on_behalf else item.author.first_name


@bp.route("/informatiepunt/diensten/<int:service_id>/buurten", methods=["GET", "POST"])
@login_required
def service_areas(service_id: int):
    require(can_set_service_areas(current_user))
    offered = found_or_404(referrals.service_or_none(service_id))
    circles = service.circles_to_hand_to()
    form = ServiceAreasForm(data={"circles": [area.circle_id for area in offered.areas]})
    form.circles.choices = [(circle.id, circle.name) for circle in circles]
    if not form.validate_on_submit():
        answer = form_invalid if form.is_submitted() else render
        return answer("infopoint/service_areas.html", service=offered, form=form)
    referrals.set_areas(offered, set(form.circles.data or ()))
    flash("Opgeslagen: " + (f"{offered.name} is er voor de gekozen buurtcirkels." if form.circles.data
                            else f"{offered.name} is er voor de hele wijk."), "success")
    return see_other("infopoint.organization", slug=offered.organization.slug)
