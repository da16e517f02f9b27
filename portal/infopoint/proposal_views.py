"""Changes an organisation proposes to its own record on the sociale kaart, and their review
by a moderator: accepted, the record changes (and counts as checked today); rejected, with a
reason. The proposer hears of the decision (``notify``, the moderation setting)."""

from flask import flash
from flask_login import current_user, login_required

from portal import dates
from portal.access import found_or_404, require
from portal.infopoint import bp, service
from portal.infopoint.access import can_propose_change, can_review_proposals
from portal.infopoint.forms import ProposalForm, RejectForm
from portal.models import ProposalStatus
from portal.models.base import utcnow
from portal.web import form_invalid, render, see_other


@bp.route("/sociale-kaart/<slug>/wijziging", methods=["GET", "POST"])
@login_required
def propose(slug: str):
    require(can_propose_change(current_user))
    organization = found_or_404(service.organization_or_none(slug))
    form = ProposalForm()
    if form.validate_on_submit():
        service.propose(organization, current_user, note=form.note.data or "",
                        description=form.description.data or "", phone=form.phone.data or "",
                        email=form.email.data or "", website=form.web_address.data or "")
        flash("Dank u wel. Een moderator bekijkt uw voorstel; u krijgt bericht.", "success")
        return see_other("infopoint.organization", slug=organization.slug)
    answer = form_invalid if form.errors else render
    return answer("infopoint/propose.html", organization=organization, form=form)


@bp.get("/sociale-kaart/wijzigingen")
@login_required
def proposals():
    require(can_review_proposals(current_user))
    return render("infopoint/proposals.html", proposals=service.waiting_proposals(),
                  reject_form=RejectForm(formdata=None))


def _waiting(proposal_id: int):
    proposal = found_or_404(service.proposal_or_none(proposal_id))
    if proposal.status != ProposalStatus.WAITING:
        flash("Over dit voorstel is al besloten.", "info")
        return None
    return proposal


@bp.post("/sociale-kaart/wijzigingen/<int:proposal_id>/overnemen")
@login_required
def accept(proposal_id: int):
    require(can_review_proposals(current_user))
    proposal = _waiting(proposal_id)
    if proposal is not None:
        service.accept(proposal, current_user, dates.local_today(utcnow()))
        flash(f"De gegevens van {proposal.organization.name} zijn bijgewerkt.", "success")
    return see_other("infopoint.proposals")


@bp.post("/sociale-kaart/wijzigingen/<int:proposal_id>/afwijzen")
@login_required
def reject(proposal_id: int):
    require(can_review_proposals(current_user))
    proposal = _waiting(proposal_id)
    if proposal is None:
        return see_other("infopoint.proposals")
    form = RejectForm()
    if not form.validate_on_submit():
        return form_invalid("infopoint/proposals.html", proposals=service.waiting_proposals(),
                            reject_form=form, rejecting=proposal.id)
    service.reject(proposal, current_user, form.reason.data)
    flash("Het voorstel is afgewezen; de indiener krijgt de reden.", "success")
    return see_other("infopoint.proposals")
