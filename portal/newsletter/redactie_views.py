"""The redactie's pages (role ``redacteur``, and moderators): the issues, a new one filled from
the portal, editing its blocks, the preview (the HTML and the plain-text part, the number of
recipients), a test to oneself, sending once, and the counts afterwards."""

from flask import flash, request
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal.access import found_or_404, require
from portal.newsletter import bp, render, service
from portal.newsletter.access import can_edit_newsletter, can_edit_newsletters, can_send_newsletter
from portal.newsletter.forms import ButtonForm, EditNewsletterForm, NewsletterForm
from portal.web import form_invalid, see_other
from portal.web import render as render_page

REFUSED = ("Dit is voor de redactie", "Alleen de redactie van de wijkbrief en moderatoren kunnen dit doen.")


def _newsletter(newsletter_id: int):
    require(can_edit_newsletters(current_user), REFUSED)
    return found_or_404(service.newsletter_or_none(newsletter_id))


def _with_choices(form):
    """The buurten, themes and groups a segment can name."""
    form.buurten.choices = [SelectChoice(n.id, n.name) for n in service.neighbourhoods()]
    form.thema.choices = [SelectChoice("", "Kies een thema")] + [
        SelectChoice(str(theme.id), theme.name) for theme in service.themes()]
    form.groep.choices = [SelectChoice("", "Kies een groep")] + [
        SelectChoice(str(group.id), group.name) for group in service.groups()]
    return form


@bp.get("/redactie/nieuwsbrieven")
@login_required
def redactie():
    require(can_edit_newsletters(current_user), REFUSED)
    return render_page("newsletter/redactie.html", newsletters=service.newsletters())


@bp.route("/redactie/nieuwsbrieven/nieuw", methods=["GET", "POST"])
@login_required
def new():
    require(can_edit_newsletters(current_user), REFUSED)
    form = _with_choices(NewsletterForm())
    if form.validate_on_submit():
        newsletter = service.create_newsletter(form.title.data, form.intro.data or "", form.blocks.data or [],
                                               current_user, form.segment.data, form.buurten.data or [],
                                               target_id=form.target_id)
        flash("De wijkbrief is gemaakt en gevuld met wat er op het portaal staat. "
              "Pas de tekst aan waar nodig.", "success")
        return see_other("newsletter.edit", newsletter_id=newsletter.id)
    if form.errors:
        return form_invalid("newsletter/new.html", form=form)
    return render_page("newsletter/new.html", form=form)


@bp.route("/redactie/nieuwsbrieven/<int:newsletter_id>", methods=["GET", "POST"])
@login_required
def edit(newsletter_id: int):
    """A concept: its text, blocks and segment, editable; a sent issue: the counts."""
    newsletter = _newsletter(newsletter_id)
    if newsletter.is_sent:
        return render_page("newsletter/sent.html", newsletter=newsletter, counts=service.counts(newsletter))
    require(can_edit_newsletter(current_user, newsletter), REFUSED)
    if request.method == "GET":
        form = EditNewsletterForm(data={
            "title": newsletter.title, "intro": newsletter.intro, "segment": newsletter.segment,
            "buurten": newsletter.buurt_ids,
            "thema": newsletter.segment_target_id if newsletter.segment == "thema" else None,
            "groep": newsletter.segment_target_id if newsletter.segment == "groep" else None,
            "parts": [{"block_id": str(b.id), "heading": b.heading, "text": b.text}
                      for b in newsletter.blocks]})
    else:
        form = EditNewsletterForm()
    _with_choices(form)
    context = {"newsletter": newsletter, "form": form, "recipients": service.recipient_count(newsletter),
               "buttons": ButtonForm(), "kinds": {b.id: b.kind for b in newsletter.blocks}}
    if form.validate_on_submit():
        service.update_newsletter(
            newsletter, form.title.data, form.intro.data or "", form.segment.data, form.buurten.data or [],
            [service.BlockText(int(part.block_id.data or 0), part.heading.data or "", part.text.data or "")
             for part in form.parts if (part.block_id.data or "").isdigit()],
            add_text_block=form.add_text_block.data, target_id=form.target_id)
        flash("De wijkbrief is opgeslagen.", "success")
        return see_other("newsletter.edit", newsletter_id=newsletter.id)
    if form.errors:
        return form_invalid("newsletter/edit.html", **context)
    return render_page("newsletter/edit.html", **context)


@bp.get("/redactie/nieuwsbrieven/<int:newsletter_id>/voorbeeld")
@login_required
def preview(newsletter_id: int):
    """The mail as it will arrive: the HTML part, the plain-text part, and how many get it."""
    newsletter = _newsletter(newsletter_id)
    subject, text, _html = service.message_for(newsletter, "(uw persoonlijke afmeldlink)")
    return render_page("newsletter/preview.html", newsletter=newsletter, subject=subject, text=text,
                       blocks=render.block_views(newsletter), intro_parts=render.parts(newsletter.intro),
                       recipients=service.recipient_count(newsletter),
                       buttons=ButtonForm(), can_send=can_send_newsletter(current_user, newsletter))


@bp.post("/redactie/nieuwsbrieven/<int:newsletter_id>/testen")
@login_required
def test(newsletter_id: int):
    newsletter = _newsletter(newsletter_id)
    if ButtonForm().validate_on_submit():
        service.send_test(newsletter, current_user)
        flash(f"Een testversie is onderweg naar uw eigen adres, {current_user.email}.", "success")
    return see_other("newsletter.preview", newsletter_id=newsletter.id)


@bp.post("/redactie/nieuwsbrieven/<int:newsletter_id>/versturen")
@login_required
def send(newsletter_id: int):
    """Once: a second press, another tab or another redacteur at the same moment is refused
    (``service.send``'s conditional UPDATE)."""
    newsletter = _newsletter(newsletter_id)
    if not ButtonForm().validate_on_submit():
        return see_other("newsletter.preview", newsletter_id=newsletter.id)
    if not can_send_newsletter(current_user, newsletter):
        return render_page("newsletter/already_sent.html", status=409, newsletter=newsletter)
    try:
        count = service.send(newsletter.id, current_user)
    except service.AlreadySent:
        return render_page("newsletter/already_sent.html", status=409, newsletter=newsletter)
    flash(f"De wijkbrief gaat naar {count} lezers. Hij staat nu ook op de website.", "success")
    return see_other("newsletter.edit", newsletter_id=newsletter.id)
