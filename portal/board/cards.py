"""Paper cards from meetings: a moderator or verbinder types in an idea, question or signal
*namens* the resident who wrote it (``on_behalf_name``), with where the card came from
(``source``). One card after another on the same page: after each, the form comes back empty
with a confirmation (PRG to the same form; with htmx the form is swapped in place). The theme
and the source stay filled in, since a pile of cards comes from one meeting.
"""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal.access import require
from portal.board import access, bp, service
from portal.board.forms import CardForm
from portal.board.words import kind_label
from portal.models import SubjectType
from portal.moderation.policy import limit_per_person, may_contribute
from portal.web import form_invalid, render, wants_fragment

card_limit = limit_per_person("120 per hour")  # a pile of cards after a meeting
ONLY_CARD_TYPISTS = ("Alleen voor verbinders en moderatoren",
                     "Kaarten van een bijeenkomst typt een verbinder of moderator over.")


def _fresh_form(themes, places, theme: str = "", source: str = "") -> CardForm:
    form = CardForm(formdata=None, data={"theme": theme, "source": source})
    return form.set_themes(themes).set_neighbourhoods(places)


@bp.route("/kaarten", methods=["GET", "POST"])
@login_required
@card_limit
def cards():
    require(access.can_enter_cards(current_user), ONLY_CARD_TYPISTS)
    themes, places = service.ordered_themes(), service.neighbourhoods()
    if request.method == "GET":
        args = request.args
        form = _fresh_form(themes, places, args.get("thema", "")[:80], args.get("bron", "")[:200])
        return render("board/cards.html", "board/_card_form.html", form=form)
    form = CardForm().set_themes(themes).set_neighbourhoods(places)
    valid = form.validate_on_submit()
    if not (valid and may_contribute(current_user, SubjectType.POST, form.title, form.body)):
        return form_invalid("board/cards.html", "board/_card_form.html", form=form)
    theme = next(t for t in themes if t.slug == form.theme.data)
    post = service.create_post(
        theme, current_user, form.post_kind, form.title.data, form.body.data, form.neighbourhood_id,
        form.phase.data, hold=form.honeypot_filled,
        on_behalf_name=form.on_behalf_name.data, source=form.source.data,
    )
    flash(f"De kaart van {post.on_behalf_name} staat op het prikbord: {kind_label(post.kind).lower()} "
          f"“{post.title}”. Typ hieronder de volgende kaart.", "success")
    if wants_fragment():
        return render("board/cards.html", "board/_card_form.html",
                      form=_fresh_form(themes, places, theme.slug, form.source.data), last=post)
    return redirect(url_for("board.cards", thema=theme.slug, bron=form.source.data), code=303)
