"""The verbinder's overview of a circle (``/cirkels/<slug>/overzicht``), on screen and on
paper, and the circle's contact line.

Who may do what is decided in ``portal/circles/access.py`` only; the queries and changes
live in ``service.py``. Every form works without JavaScript (303 after success) and with
htmx (the changed region as a fragment); invalid input answers 422 with the text kept.
"""

from flask import flash, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from portal import kept
from portal.circles import access, bp, service
from portal.circles.forms import ContactLineForm
from portal.circles.views import _circle_allowing
from portal.models import Circle
from portal.models.base import utcnow
from portal.web import form_invalid, render, see_other, wants_fragment
from portal.wijken import settings

CONNECTORS_ONLY = (
    "Alleen voor verbinders",
    "Dit overzicht is voor de verbinders van deze buurtcirkel en voor moderatoren.",
)


def _overview_context(circle: Circle, contact_form=None) -> dict:
    """The verbinder's overview. Its lists and its members with their phone numbers are the
    same for every verbinder of the circle (``kept.overview_body``); a moderator who is no
    verbinder here gets them rendered for them (no neighbours without internet, only the
    phone numbers members share). The empty contact form is kept per circle."""
    user = current_user._get_current_object()
    verbinder = access.can_keep_neighbours(user, circle)
    wijkinformatiepunt = settings.contact_line()
    if verbinder:
        body = kept.overview_body(circle=circle)
    else:
        members = [(member, access.can_see_phone(user, member, circle))
                   for member in service.members_of(circle)]
        body = Markup(render_template(  # noqa: S704 - a rendered template
            "circles/_overview_body.html", circle=circle, overview=service.circle_overview(circle),
            keeps_neighbours=False, members=members))
    if contact_form is not None:
        contact_form_html = Markup(render_template(  # noqa: S704 - a rendered template
            "circles/_contact_form.html", circle=circle, contact_form=contact_form,
            wijkinformatiepunt=wijkinformatiepunt))
    else:
        contact_form_html = kept.contact_form(circle=circle, wijkinformatiepunt=wijkinformatiepunt)
    return {"circle": circle, "keeps_neighbours": verbinder, "contact_form": contact_form,
            "wijkinformatiepunt": wijkinformatiepunt, "overview_body": body,
            "contact_form_html": contact_form_html}


@bp.get("/cirkels/<slug>/overzicht")
@login_required
def overview(slug: str):
    circle = _circle_allowing(slug, access.can_manage_circle, CONNECTORS_ONLY)
    return render("circles/overview.html", **_overview_context(circle))


@bp.get("/cirkels/<slug>/overzicht/afdrukken")
@login_required
def overview_print(slug: str):
    """The overview on paper, for the verbinder who works from a list by the phone."""
    circle = _circle_allowing(slug, access.can_manage_circle, CONNECTORS_ONLY)
    return render("circles/overview_print.html", circle=circle, overview=service.circle_overview(circle),
                  keeps_neighbours=access.can_keep_neighbours(current_user, circle), now=utcnow())


@bp.post("/cirkels/<slug>/contactregel")
@login_required
def contact_line(slug: str):
    circle = _circle_allowing(slug, access.can_manage_circle, CONNECTORS_ONLY)
    form = ContactLineForm()
    if not form.validate_on_submit():
        return form_invalid(
            "circles/overview.html", "circles/_contact_form.html", **_overview_context(circle, form)
        )
    circle.contact_line = form.contact_line.data or ""
    if circle.contact_line:
        flash("De contactregel staat nu op de pagina van de cirkel.", "success")
    else:
        flash("De pagina van de cirkel toont nu weer het wijkinformatiepunt.", "success")
    if wants_fragment():
        saved = ContactLineForm(formdata=None, contact_line=circle.contact_line)
        return render("circles/overview.html", "circles/_contact_form.html",
                      **_overview_context(circle, saved))
    return see_other("circles.overview", slug=slug)
