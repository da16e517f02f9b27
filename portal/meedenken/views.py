"""Meedenken for everyone: the list, a traject's page, its map, one contribution with its
reactions, the printable summary; residents give inbreng (from the traject's page or its map),
steun and reports, and follow a traject (plain posts with PRG; htmx swaps the part). Reactions
on inbreng are posted and reported in ``reply_views.py``."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal import kept
from portal.access import found_or_404, require, visible_or_404
from portal.extensions import db
from portal.following import service as following
from portal.meedenken import access, bp, service
from portal.meedenken.forms import InbrengForm, InbrengReplyForm
from portal.models import FollowKind, SubjectType
from portal.moderation.policy import limit_per_person, may_contribute
from portal.moderation.reports import report_limit, report_page
from portal.pagecache import canonical_query, for_visitors
from portal.web import form_invalid, page_number, render, see_other, wants_fragment

PER_PAGE = 20
FOLLOWING = ("U volgt dit traject. Nieuws over het advies en de reactie van de gemeente krijgt u per e-mail, "
             "zo vaak als u koos bij uw e-mailinstellingen.")
NOT_NAMENS = "Alleen verbinders en moderatoren typen inbreng over namens een bewoner. Laat dit veld leeg."
inbreng_limit = limit_per_person("60 per hour")
CLOSED = ("Het ophalen van ideeën voor dit traject is gesloten: de einddatum is voorbij. "
          "Uw tekst staat hieronder nog, zodat u hem kunt bewaren. Wilt u toch iets kwijt? "
          "Mail of bel het wijkplatform.")


def traject_or_404(slug: str):
    return found_or_404(service.traject_by_slug(slug))


@bp.get("/meedenken")
@for_visitors
def index():
    return render("meedenken/index.html", trajecten=service.trajecten(),
                  can_manage=access.can_manage(current_user))


def traject_context(traject, form: InbrengForm | None = None, page: int | None = None) -> dict:
    """What the traject's page shows: a fixed number of queries, whatever the inbreng."""
    manage = access.can_manage(current_user)
    page = page or page_number(request.args)
    results = db.paginate(service.inbreng_query(traject, with_hidden=manage), page=page,
                          per_page=PER_PAGE, error_out=False)
    ids = [item.id for item in results.items]
    events, surveys = service.linked(traject)
    open_ = service.is_open(traject)
    if form is None and open_ and access.can_contribute(current_user, traject):
        form = InbrengForm(formdata=None)
    return {
        "traject": traject, "results": results, "open": open_, "form": form,
        "namens": access.can_contribute_namens(current_user, traject),
        "supported": service.supported_ids(current_user, ids),
        "events": events, "surveys": surveys,
        "cited": service.cited(traject) if traject.advies else [],
        "measures": service.measures(traject),
        "can_manage": manage, "can_send": access.can_send_advies(current_user, traject),
        **follow_context(traject),
    }


def follow_context(traject) -> dict:
    may = access.can_follow(current_user, traject)
    return {"can_follow": may,
            "following_traject": may and following.is_following(current_user, FollowKind.TRAJECT, traject.id)}


def map_context(traject, form: InbrengForm | None = None) -> dict:
    """The traject's map (kept: the same for everyone) and the inbreng form beside it."""
    open_ = service.is_open(traject)
    if form is None and open_ and access.can_contribute(current_user, traject):
        form = InbrengForm(formdata=None)
    return {"traject": traject, "kept_map": kept.traject_map(traject=traject), "open": open_, "form": form,
            "namens": access.can_contribute_namens(current_user, traject), "from_map": True}


@bp.get("/meedenken/<slug>")
@for_visitors
def traject(slug: str):
    page = page_number(request.args)
    canonical_query(pagina=page if page > 1 else None)
    return render("meedenken/traject.html", **traject_context(traject_or_404(slug), page=page))


def inbreng_context(traject, item, form: InbrengReplyForm | None = None, **extra) -> dict:
    """One contribution's page: the contribution, a page of its reactions (the published ones,
    the reader's own, and for moderators the hidden ones too, marked) and the reaction form
    while ``ophalen`` runs. A fixed number of queries, whatever the reactions."""
    manage = access.can_manage(current_user, traject)
    open_ = service.is_open(traject)
    may_reply = access.can_reply(current_user, item)
    if form is None and open_ and may_reply:
        form = InbrengReplyForm(formdata=None)
    return {
        "traject": traject, "item": item, "can_manage": manage, "open": open_, "may_reply": may_reply,
        "supported": service.supported_ids(current_user, [item.id]),
        "replies": service.replies_page(item, current_user, page_number(request.args), with_hidden=manage),
        "reply_form": form, **extra,
    }


@bp.get("/meedenken/<slug>/kaart")
@for_visitors
def traject_map(slug: str):
    """The plan's place and the inbreng with a place; a tap on the map fills in the place of
    a new contribution (typing the numbers works too, without JavaScript)."""
    return render("meedenken/kaart.html", **map_context(traject_or_404(slug)))


@bp.post("/meedenken/<slug>/volgen")
@login_required
def follow(slug: str):
    """"Volg dit traject": its advies and the gemeente's reaction reach the person at the pace
    they chose, without giving inbreng (``service.tell_participants``)."""
    traject = traject_or_404(slug)
    require(access.can_follow(current_user, traject))
    wanted = request.form.get("actie", "volgen") != "ontvolgen"
    changed = following.set_following(current_user, FollowKind.TRAJECT, traject.id, wanted)
    if wanted:
        flash(FOLLOWING if changed else "U volgde dit traject al.", "success" if changed else "info")
    else:
        flash("U volgt dit traject niet meer." if changed else "U volgde dit traject niet.",
              "success" if changed else "info")
    if wants_fragment():
        return render("meedenken/traject.html", "meedenken/_follow.html", traject=traject, can_follow=True,
                      following_traject=wanted)
    return see_other("meedenken.traject", slug=traject.slug, _anchor="traject-volgen")


@bp.get("/meedenken/<slug>/inbreng/<int:inbreng_id>")
@for_visitors
def inbreng(slug: str, inbreng_id: int):
    page = page_number(request.args)
    canonical_query(pagina=page if page > 1 else None)
    traject = traject_or_404(slug)
    item = visible_or_404(service.inbreng_by_id(traject, inbreng_id), current_user, access.can_read_inbreng)
    return render("meedenken/inbreng.html", **inbreng_context(traject, item))


@bp.post("/meedenken/<slug>/inbreng")
@login_required
@inbreng_limit
def give_inbreng(slug: str):
    traject = traject_or_404(slug)
    require(access.can_contribute(current_user, traject))
    form = InbrengForm()
    valid = form.validate_on_submit()
    if form.namens.data and not access.can_contribute_namens(current_user, traject):
        form.namens.errors = [*form.namens.errors, NOT_NAMENS]
        valid = False
    if valid and not service.is_open(traject):
        form.text.errors = [*form.text.errors, CLOSED]
        valid = False
    if valid and not may_contribute(current_user, SubjectType.INBRENG, form.text):
        valid = False
    from_map = request.form.get("vanaf") == "kaart"
    if not valid:
        if from_map:
            return form_invalid("meedenken/kaart.html", "meedenken/_inbreng_form.html",
                                **map_context(traject, form))
        return form_invalid("meedenken/traject.html", "meedenken/_inbreng_form.html",
                            **traject_context(traject, form=form))
    item = service.add_inbreng(traject, current_user, form.text.data, form.theme.data, form.namens.data or "",
                               hold=form.honeypot_filled, point=form.point)
    if item.status != "published":
        flash("Dank u. Uw inbreng wacht even op een moderator; daarna staat hij bij het traject.", "success")
    else:
        flash(f"Dank u. De inbreng van {item.on_behalf_name} staat bij het traject." if item.on_behalf_name
              else "Dank u. Uw inbreng staat bij het traject.", "success")
    if wants_fragment():
        context = (map_context(traject, InbrengForm(formdata=None)) if from_map
                   else traject_context(traject, form=InbrengForm(formdata=None)))
        return render("meedenken/traject.html", "meedenken/_inbreng_form.html", last=item, **context)
    return redirect(url_for("meedenken.traject", slug=traject.slug, _anchor=f"inbreng-{item.id}"), code=303)


@bp.post("/meedenken/<slug>/inbreng/<int:inbreng_id>/steun")
@login_required
def support(slug: str, inbreng_id: int):
    traject = traject_or_404(slug)
    item = visible_or_404(service.inbreng_by_id(traject, inbreng_id), current_user, access.can_read_inbreng)
    require(access.can_support(current_user, item))
    action = request.form.get("actie")
    wanted = action != "intrekken"
    if service.set_support(item, current_user, wanted):
        flash("Dank u. U steunt deze inbreng nu." if wanted else "U steunt deze inbreng niet meer.",
              "success")
    else:
        flash("U steunde deze inbreng al." if wanted else "U steunde deze inbreng nog niet.", "info")
    if wants_fragment():
        db.session.refresh(item)
        return render("meedenken/inbreng.html", "meedenken/_support.html", traject=traject, item=item,
                      supported={item.id} if wanted else set())
    return redirect(url_for("meedenken.traject", slug=traject.slug, _anchor=f"inbreng-{item.id}"), code=303)


@bp.route("/meedenken/<slug>/inbreng/<int:inbreng_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report(slug: str, inbreng_id: int):
    """Report a contribution: moderation's report page and form, as for a post."""
    traject = traject_or_404(slug)
    return report_page(visible_or_404(service.inbreng_by_id(traject, inbreng_id), current_user,
                                      access.can_read_inbreng))


@bp.get("/meedenken/<slug>/afdrukken")
@for_visitors
def print_summary(slug: str):
    traject = traject_or_404(slug)
    events, surveys = service.linked(traject)
    return render("meedenken/print.html", traject=traject, themes=service.theme_counts(traject),
                  cited=service.cited(traject) if traject.advies else [], measures=service.measures(traject),
                  events=events, surveys=surveys)
