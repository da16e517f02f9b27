"""Reactions on inbreng: posted on the contribution's page while ``ophalen`` runs, and reported
through moderation's report page, as a reply on the board (a plain post with PRG; htmx swaps
the form and adds the reaction to the list)."""

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from portal.access import require, visible_or_404
from portal.meedenken import access, bp, service
from portal.meedenken.forms import InbrengReplyForm
from portal.meedenken.views import inbreng_context, traject_or_404
from portal.models import SubjectType
from portal.moderation.policy import limit_per_person, may_contribute
from portal.moderation.reports import report_limit, report_page
from portal.web import form_invalid, render, wants_fragment

reply_limit = limit_per_person("60 per hour")
REPLY_CLOSED = ("Reageren kan niet meer: het ophalen van ideeën voor dit traject is gesloten. "
                "Uw tekst staat hieronder nog, zodat u hem kunt bewaren. Wilt u toch iets kwijt? "
                "Mail of bel het wijkplatform.")


def _readable_inbreng(slug: str, inbreng_id: int):
    traject = traject_or_404(slug)
    return traject, visible_or_404(service.inbreng_by_id(traject, inbreng_id), current_user,
                                   access.can_read_inbreng)


@bp.post("/meedenken/<slug>/inbreng/<int:inbreng_id>/reacties")
@login_required
@reply_limit
def reply(slug: str, inbreng_id: int):
    traject, item = _readable_inbreng(slug, inbreng_id)
    require(access.can_reply(current_user, item))
    form = InbrengReplyForm()
    valid = form.validate_on_submit()
    if valid and not service.is_open(traject):
        form.text.errors = [*form.text.errors, REPLY_CLOSED]
        valid = False
    if valid and not may_contribute(current_user, SubjectType.INBRENG_REPLY, form.text):
        valid = False
    if not valid:
        return form_invalid("meedenken/inbreng.html", "meedenken/_reply_form.html",
                            **inbreng_context(traject, item, form=form))
    reply = service.add_reply(item, current_user, form.text.data, hold=form.honeypot_filled)
    if reply.status == service.PUBLISHED:
        flash("Dank u. Uw reactie staat bij de inbreng.", "success")
    else:
        flash("Dank u. Uw reactie wacht even op een moderator; daarna ziet iedereen haar.", "success")
    if wants_fragment():
        return render("meedenken/inbreng.html", "meedenken/_reply_created.html", last=reply,
                      **inbreng_context(traject, item, form=InbrengReplyForm(formdata=None)))
    page = service.last_reply_page(item)
    return redirect(url_for("meedenken.inbreng", slug=traject.slug, inbreng_id=item.id,
                            pagina=page if page > 1 else None, _anchor=f"reactie-{reply.id}"), code=303)


@bp.route("/meedenken/<slug>/inbreng/<int:inbreng_id>/reacties/<int:reply_id>/melden",
          methods=["GET", "POST"])
@login_required
@report_limit
def report_reply(slug: str, inbreng_id: int, reply_id: int):
    """Report a reaction: moderation's report page and form, as for a reply on the board."""
    _traject, item = _readable_inbreng(slug, inbreng_id)
    reaction = service.reply_by_id(item, reply_id)
    return report_page(visible_or_404(reaction, current_user, access.can_read_reply))
