"""What the kerngroep (moderators) does: a new traject or a change to one, the advies with the
inbreng it cites and its sending to the gemeente, what became of each contribution, hiding
and restoring, and the maatregelen of the uitvoering."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal import dates
from portal.access import found_or_404, require
from portal.extensions import db
from portal.meedenken import access, bp, service
from portal.meedenken.forms import AdviesForm, MeasureForm, OutcomeForm, TrajectForm
from portal.meedenken.views import inbreng_context, traject_context, traject_or_404
from portal.meedenken.words import outcome_label
from portal.models import Maatregel, Traject
from portal.models.base import utcnow
from portal.web import form_invalid, render, see_other

ONLY_KERNGROEP = ("Alleen voor de kerngroep",
                  "Dit doen moderatoren van het wijkplatform (de kerngroep).")


def _link_choices(form: TrajectForm) -> None:
    events, surveys = service.linkable()
    form.events.choices = [SelectChoice(e.id, f"{e.title} ({dates.datum(e.starts_at, 'datum')})")
                           for e in events]
    form.surveys.choices = [SelectChoice(s.id, s.title) for s in surveys]


def _fill(traject: Traject, form: TrajectForm) -> None:
    for name in ("title", "plan", "place", "decider", "documents", "phase", "ophalen_until", "advies_on",
                 "besluit_on", "uitvoering_on"):
        setattr(traject, name, getattr(form, name).data or ("" if name in ("place", "decider", "documents")
                                                             else None))
    traject.latitude, traject.longitude = form.point or (None, None)


@bp.route("/meedenken/nieuw", methods=["GET", "POST"])
@login_required
def new_traject():
    require(access.can_manage(current_user), ONLY_KERNGROEP)
    prefilled = {"title": request.args.get("titel", "")[:160]} if request.method == "GET" else None
    form = TrajectForm(data=prefilled)
    _link_choices(form)
    if form.validate_on_submit():
        traject = Traject(slug=service.new_slug(form.title.data), created_by_id=current_user.id)
        _fill(traject, form)
        db.session.add(traject)
        db.session.flush()
        service.set_links(traject, form.events.data, form.surveys.data)
        flash("Het traject staat op het portaal. Bewoners kunnen nu meedenken.", "success")
        return see_other("meedenken.traject", slug=traject.slug)
    if form.errors:
        return form_invalid("meedenken/form.html", form=form, traject=None)
    return render("meedenken/form.html", form=form, traject=None)


@bp.route("/meedenken/<slug>/bewerken", methods=["GET", "POST"])
@login_required
def edit_traject(slug: str):
    traject = traject_or_404(slug)
    require(access.can_manage(current_user, traject), ONLY_KERNGROEP)
    form = TrajectForm(obj=traject if request.method == "GET" else None)
    _link_choices(form)
    if request.method == "GET":
        events, surveys = service.linked(traject)
        form.events.data, form.surveys.data = [e.id for e in events], [s.id for s in surveys]
    if form.validate_on_submit():
        _fill(traject, form)
        service.set_links(traject, form.events.data, form.surveys.data)
        flash("De wijzigingen zijn opgeslagen.", "success")
        return see_other("meedenken.traject", slug=traject.slug)
    if form.errors:
        return form_invalid("meedenken/form.html", form=form, traject=traject)
    return render("meedenken/form.html", form=form, traject=traject)


@bp.route("/meedenken/<slug>/advies", methods=["GET", "POST"])
@login_required
def advies(slug: str):
    traject = traject_or_404(slug)
    require(access.can_manage(current_user, traject), ONLY_KERNGROEP)
    items = service.all_inbreng(traject)
    if request.method == "GET":
        form = AdviesForm(formdata=None, data={"advies": traject.advies,
                                               "cited": [i.id for i in items if i.cited]})
    else:
        form = AdviesForm()
    form.cited.choices = [SelectChoice(i.id, i.text) for i in items]
    context = {"traject": traject, "form": form, "items": items}
    if request.method == "POST" and traject.advies_sent_at is not None:
        form.advies.errors = ["Het advies is al naar de gemeente gestuurd; het kan niet meer veranderen."]
        return form_invalid("meedenken/advies.html", **context)
    if form.validate_on_submit():
        known = {i.id for i in items}
        service.save_advies(traject, form.advies.data, [i for i in form.cited.data if i in known])
        flash("Het advies is opgeslagen en staat bij het traject. "
              "Stuur het naar de gemeente als het klaar is.", "success")
        return redirect(url_for("meedenken.traject", slug=traject.slug, _anchor="advies"), code=303)
    if form.errors:
        return form_invalid("meedenken/advies.html", **context)
    return render("meedenken/advies.html", **context)


@bp.post("/meedenken/<slug>/advies/versturen")
@login_required
def send_advies(slug: str):
    traject = traject_or_404(slug)
    require(access.can_manage(current_user, traject), ONLY_KERNGROEP)
    if not traject.advies.strip():
        flash("Schrijf eerst het advies; daarna kunt u het versturen.", "error")
        return redirect(url_for("meedenken.advies", slug=traject.slug), code=303)
    try:
        addresses = service.send_advies(traject)
    except service.AlreadySent:
        flash("Het advies is al eerder naar de gemeente gestuurd. Het gaat maar één keer.", "error")
        return render_refusal(traject)
    if addresses:
        flash(f"Het advies is naar de gemeente gestuurd ({', '.join(addresses)}). "
              "Wie meedacht, krijgt bericht.",
              "success")
    else:
        flash("Het advies is gepubliceerd. Er staat geen e-mailadres van de gemeente ingesteld; "
              "stuur het zelf door.", "info")
    return redirect(url_for("meedenken.traject", slug=traject.slug, _anchor="advies"), code=303)


def render_refusal(traject: Traject):
    return render("meedenken/traject.html", status=409, **traject_context(traject))


@bp.post("/meedenken/<slug>/inbreng/<int:inbreng_id>/terugkoppeling")
@login_required
def outcome(slug: str, inbreng_id: int):
    traject = traject_or_404(slug)
    require(access.can_manage(current_user, traject), ONLY_KERNGROEP)
    item = found_or_404(service.inbreng_by_id(traject, inbreng_id))
    form = OutcomeForm()
    if not form.validate_on_submit():
        return form_invalid("meedenken/inbreng.html", **inbreng_context(traject, item, outcome_form=form))
    service.set_outcome(item, form.outcome.data, form.reason.data)
    flash(f"Opgeslagen: {outcome_label(item.outcome).lower()}.", "success")
    return redirect(url_for("meedenken.traject", slug=traject.slug, _anchor=f"inbreng-{item.id}"), code=303)


@bp.route("/meedenken/<slug>/maatregelen", methods=["GET", "POST"])
@login_required
def measures(slug: str):
    traject = traject_or_404(slug)
    require(access.can_manage(current_user, traject), ONLY_KERNGROEP)
    form = MeasureForm()
    context = {"traject": traject, "form": form, "measures": service.measures(traject)}
    if request.method == "POST":
        if not form.validate():
            return form_invalid("meedenken/measures.html", **context)
        service.add_measure(traject, form.title.data, form.status.data, form.progress.data or 0,
                            form.note.data)
        if traject.phase != "uitvoering":
            traject.phase = "uitvoering"
        flash("De maatregel staat bij het traject.", "success")
        return see_other("meedenken.measures", slug=traject.slug)
    return render("meedenken/measures.html", **{**context, "form": MeasureForm(formdata=None)})


@bp.post("/meedenken/<slug>/maatregelen/<int:measure_id>")
@login_required
def update_measure(slug: str, measure_id: int):
    traject = traject_or_404(slug)
    require(access.can_manage(current_user, traject), ONLY_KERNGROEP)
    measure = found_or_404(db.session.get(Maatregel, measure_id))
    if measure.traject_id != traject.id:
        return found_or_404(None)
    form = MeasureForm()
    if not form.validate():
        return form_invalid("meedenken/measures.html", traject=traject, form=form,
                            measures=service.measures(traject))
    measure.title, measure.status, measure.note = form.title.data, form.status.data, form.note.data or ""
    measure.progress = max(0, min(100, form.progress.data or 0))
    measure.updated_at = utcnow()
    flash(f"Bijgewerkt: {measure.title}.", "success")
    return see_other("meedenken.measures", slug=traject.slug)
