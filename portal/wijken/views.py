"""The platform admin's pages for the wijken (``/beheer/wijken``): the list, a new wijk (as
``flask create-wijk`` makes it), a wijk's settings and its logo; and the current wijk's logo
for every page (``/wijk/logo``).

Plain forms with PRG; invalid input answers 422 with what was typed kept. A new host leaves
the old one as an alias, so saved links keep working (``service.change_wijk``).
"""

from flask import abort, flash, make_response, request
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.access import found_or_404, require
from portal.extensions import db
from portal.models import District
from portal.web import form_invalid, render, see_other
from portal.wijken import bp, colours, hosts, service
from portal.wijken.access import can_manage_wijken
from portal.wijken.forms import LogoForm, NewWijkForm, WijkForm

PLATFORM_ADMIN_ONLY = (
    "Alleen voor de beheerder van het platform",
    "Wijken toevoegen en instellen doet de beheerder van het hele platform. Vraag het wijkbureau.",
)
EDIT_PAGE = "wijken/edit.html"
YEAR = 60 * 60 * 24 * 365
SHORT = "public, max-age=300"  # an address of the logo no page links to (any more)
# A logo is only ever an image: nothing in it may run or load, even when opened on its own.
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _managed(slug: str) -> District:
    require(can_manage_wijken(current_user), PLATFORM_ADMIN_ONLY)
    return found_or_404(service.wijk_or_none(slug))


def _refused(form, problems: dict[str, str]) -> None:
    for field, problem in problems.items():
        getattr(form, field).errors = [*getattr(form, field).errors, problem]


@bp.get("/beheer/wijken")
@login_required
def manage_wijken():
    require(can_manage_wijken(current_user), PLATFORM_ADMIN_ONLY)
    return render("wijken/index.html", rows=service.wijk_rows())


@bp.route("/beheer/wijken/nieuw", methods=["GET", "POST"])
@login_required
def new_wijk():
    require(can_manage_wijken(current_user), PLATFORM_ADMIN_ONLY)
    if request.method == "GET":
        return render("wijken/new.html", form=NewWijkForm(formdata=None))
    form = NewWijkForm()
    if form.validate_on_submit():
        try:
            district = service.create_wijk(form.slug.data, form.name.data, form.host.data, form.aliases.data)
        except service.WijkRefused as refused:
            _refused(form, refused.problems)
        else:
            flash(f"De wijk {district.name} is gemaakt, met vijf thema's. Hij staat op {district.host}. "
                  "Vul hieronder de andere gegevens in.", "success")
            return see_other("wijken.edit_wijk", slug=district.slug)
    return form_invalid("wijken/new.html", form=form)


def _edit_context(district: District, form=None, logo_form=None) -> dict:
    return {"district": district, "form": form or WijkForm.of(district),
            "logo_form": logo_form or LogoForm(formdata=None)}


@bp.route("/beheer/wijken/<slug>", methods=["GET", "POST"])
@login_required
def edit_wijk(slug: str):
    district = _managed(slug)
    if request.method == "GET":
        return render(EDIT_PAGE, **_edit_context(district))
    form = WijkForm()
    host = form.host.data or ""
    aliases = [alias for alias in service.host_list(form.aliases.data) if alias != host]
    form.validate_on_submit()  # and then what needs the other wijken, so every error shows at once
    # A new host keeps the old one as an alias (``change_wijk``): checked with the others.
    kept_old = [district.host] if host != district.host and district.host not in aliases else []
    problems = service.host_problems(host, aliases + kept_old, district) if not form.host.errors else {}
    gemeente = service.gemeente_mail_problem(form.gemeente_mail.data or "", district)
    if gemeente:
        problems["gemeente_mail"] = gemeente
    _refused(form, problems)
    if form.errors:
        return form_invalid(EDIT_PAGE, **_edit_context(district, form=form))
    old_host = service.change_wijk(district, service.Settings(
        name=" ".join(form.name.data.split()), host=host, aliases=aliases,
        contact_line=form.contact_line.data or "", gemeente_mail=form.gemeente_mail.data or "",
        signalen_url=form.signalen_url.data or "", signalen_category=form.signalen_category.data or "",
        mail_from_name=form.mail_from_name.data or "",
        accent_colour=colours.normalised(form.accent_colour.data),
    ))
    moved = (f" Het oude adres {old_host} stuurt bezoekers voortaan door naar {district.host}."
             if old_host else "")
    flash(f"De gegevens van {district.name} zijn opgeslagen.{moved}", "success")
    return see_other("wijken.edit_wijk", slug=district.slug)


@bp.post("/beheer/wijken/<slug>/logo")
@login_required
def upload_logo(slug: str):
    district = _managed(slug)
    form = LogoForm()
    kind = None
    if form.validate_on_submit():
        data = form.logo.data.read()
        kind, problem = service.logo_type(data)
        if problem:
            form.logo.errors = [problem]
    if kind is None:
        return form_invalid(EDIT_PAGE, **_edit_context(district, logo_form=form))
    service.set_logo(district, data, kind)
    flash(f"Het nieuwe logo van {district.name} is opgeslagen. Het staat nu boven elke pagina.", "success")
    return see_other("wijken.edit_wijk", slug=district.slug, _anchor="logo")


@bp.post("/beheer/wijken/<slug>/logo/verwijderen")
@login_required
def remove_logo(slug: str):
    district = _managed(slug)
    if district.logo is None:
        flash(f"{district.name} had geen logo.", "info")
    else:
        service.remove_logo(district)
        flash(f"Het logo van {district.name} is weggehaald. Boven elke pagina staat nu weer de naam.",
              "success")
    return see_other("wijken.edit_wijk", slug=district.slug, _anchor="logo")


@bp.get("/wijk/logo")
def logo():
    """The current wijk's logo, as an image only. With the version the pages link to
    (``?v=``) it may be kept a year; any other address of it only briefly."""
    facts = hosts.here()
    if not facts.has_logo:
        abort(404)
    found = db.session.execute(
        select(District.logo, District.logo_type).where(District.id == facts.id)).one_or_none()
    if found is None or found.logo is None:
        abort(404)
    response = make_response(found.logo)
    response.headers["Content-Type"] = found.logo_type
    current = request.args.get("v") == facts.logo_version
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable" if current else SHORT
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    extension = "svg" if found.logo_type == service.SVG else "png"
    response.headers["Content-Disposition"] = f"inline; filename=logo.{extension}"
    return response
