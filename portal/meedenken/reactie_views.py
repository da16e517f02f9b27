"""The gemeente's reaction on an advies: a signed, dated link mailed once with the advies
(``service.reactie_token``), no account and no cookie, good for one reaction. A tampered link
gets a 404, an old one a 410, a used one says the reaction is there already."""

from flask import redirect, request, url_for

from portal.extensions import csrf
from portal.meedenken import bp, service
from portal.meedenken.forms import ReactieForm
from portal.moderation.policy import limit_per_person
from portal.web import form_invalid, render
from portal.wijken import settings


@bp.route("/meedenken/reactie/<token>", methods=["GET", "POST"])
@csrf.exempt
@limit_per_person("30 per hour")
def reactie(token: str):
    """Exempt from CSRF on purpose, like the gemeente's answer to a signal: the signed link,
    which only the gemeente's mailbox received, is the key, and it can do one thing: write the
    reaction to this one advies, once."""
    try:
        traject = service.traject_from_token(token)
    except service.LinkExpired:
        return render("meedenken/reactie_invalid.html", status=410, expired=True,
                      wijkinformatiepunt=settings.contact_line())
    if traject is None:
        return render("meedenken/reactie_invalid.html", status=404, expired=False)
    context = {"traject": traject, "token": token, "saved": request.args.get("verstuurd") == "1",
               "cited": service.cited(traject)}
    if traject.reactie_at is not None:
        return render("meedenken/reactie.html", form=None, answered=True, **context,
                      status=409 if request.method == "POST" else 200)
    form = ReactieForm() if request.method == "POST" else ReactieForm(formdata=None)
    if request.method == "POST":
        if form.validate():
            try:
                service.save_reactie(traject, form.reactie.data, form.besluit.data or "")
            except service.AlreadyAnswered:
                return render("meedenken/reactie.html", form=None, answered=True, status=409, **context)
            return redirect(url_for("meedenken.reactie", token=token, verstuurd=1), code=303)
        return form_invalid("meedenken/reactie.html", form=form, answered=False, **context)
    return render("meedenken/reactie.html", form=form, answered=False, **context)
