"""Buurtcirkels: find your circle, the map, the circle page (join, leave, post a help item)
and its flyer. A help item and its conversation are in ``help_views.py``, the verbinder's
overview in ``overview_views.py``.

Who may do what is decided in ``portal/circles/access.py`` only; the queries and changes
live in ``service.py``. Every form works without JavaScript (303 after success) and with
htmx (the changed region as a fragment); invalid input answers 422 with the text kept.
"""


import segno
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from portal import kept
from portal.access import found_or_404, require
from portal.circles import access, bp, coordination, service
from portal.circles.forms import HelpItemForm, OnBehalfHelpItemForm
from portal.mail import public_url
from portal.models import Circle, HelpItem, SubjectType
from portal.models.circles import HelpKind
from portal.moderation.policy import limit_per_person, may_contribute
from portal.pagecache import canonical_query, for_visitors
from portal.web import form_invalid, render, see_other, wants_fragment
from portal.wijken import settings

MEMBERS_ONLY = (
    "Alleen voor leden van deze buurtcirkel",
    "Word eerst lid van de buurtcirkel. Dat kan op de pagina van de cirkel.",
)


def _circle_or_404(slug: str) -> Circle:
    return found_or_404(kept.circle_row(slug=slug))


def _circle_allowing(slug: str, rule, refusal: tuple[str, str]) -> Circle:
    """The circle, if ``rule(current_user, circle)`` allows; otherwise a friendly 403 page."""
    circle = _circle_or_404(slug)
    require(rule(current_user, circle), refusal)
    return circle


def _ask_to_sign_in(next_url: str):
    """For a post from someone signed out: to the sign-in page, back to ``next_url`` after."""
    flash("Log eerst in om verder te gaan.", "info")
    return redirect(url_for("accounts.login", next=next_url), code=303)


# --- Find your circle ------------------------------------------------------------------------


@bp.get("/cirkels")
@for_visitors
def index():
    street = service.normalise_street_query(request.args.get("straat"))
    canonical_query(straat=street)  # kept for visitors; one path keeps at most PER_PATH copies
    groups = service.group_by_neighbourhood(service.circle_summaries(street))
    suggestions = service.circles_with_streets_like(street) if street and not groups else []
    return render("circles/index.html", "circles/_results.html", groups=groups, street=street,
                  suggestions=suggestions, can_ask=access.can_ask_for_circle(current_user))


@bp.post("/cirkels/aanvragen")
@login_required
@limit_per_person("20 per hour")
def ask_for_circle():
    """A signed-in resident asks the coordinators for a circle in a street that has none."""
    street = service.normalise_street_query(request.form.get("straat"))
    if not street:
        flash("Vul eerst uw straat in bij “Zoek uw buurtcirkel”.", "error")
    elif coordination.request_circle(current_user, street):
        flash(f"Dank u. De coördinator van de buurtcirkels weet nu dat u een cirkel wilt in de {street}.",
              "success")
    else:
        flash(f"U had al een buurtcirkel gevraagd voor de {street}. De coördinator weet het.", "info")
    return see_other("circles.index", straat=street or None)


@bp.get("/cirkels/kaart")
@for_visitors
def map_page():
    """The map is kept per own circle (``kept.circle_map``); the list beside it is not."""
    summaries = service.circle_summaries()
    mine = access.circle_of(current_user)  # a visitor has none
    return render("circles/map.html", "circles/_map.html", map=kept.circle_map(), summaries=summaries,
                  mine=mine)


# --- The circle page ---------------------------------------------------------------------------


def help_form_for(circle: Circle, on_behalf: bool, make=None):
    """The help form: verbinders (``on_behalf``) get the one that can also post *namens* a
    neighbour. ``make(form_class)`` builds it: from the request by default, an empty one for
    the kept part (``kept.help_form``) or a blank one after a successful post."""
    make = make or (lambda form_class: form_class())
    if on_behalf:
        form = make(OnBehalfHelpItemForm)
        form.set_streets([street.name for street in circle.streets])
        form.set_neighbours(coordination.offline_neighbours(circle), nobody="Voor mijzelf",
                            label="Namens {name} ({street})")
        return form
    return make(HelpItemForm)


def _circle_context(circle: Circle, form=None, new_item_id: int | None = None,
                    focus: str | None = None) -> dict:
    """What the circle page shows to this visitor; the public part for everyone, the help
    items only to members and moderators. The person is looked up once (each use of
    Flask-Login's ``current_user`` proxy finds them again; this page asks some thirty times)."""
    user = current_user._get_current_object()
    membership = access.membership_of(user)
    context = {
        "circle": circle,
        "membership": membership,
        "is_member": access.is_member(user, circle),
        "facts": kept.circle_facts(circle=circle),
        "contact": circle.contact_line or settings.contact_line(),
        "can_manage": access.can_manage_circle(user, circle),
        "can_see_items": access.can_see_help_items(user, circle),
        "new_item_id": new_item_id,
        "focus": focus,
        "buurt_groups": kept.buurt_groups(neighbourhood_id=circle.neighbourhood_id),
    }
    if context["can_see_items"]:
        context["help_lists"] = _help_lists(circle, user, new_item_id)
    else:  # what the others see of the circle's help: only how much there is
        context["open_counts"] = service.open_counts(circle)
    if access.can_post_help(user, circle):
        context["on_behalf"] = access.can_post_on_behalf(user, circle)
        context["help_form"] = _help_form_html(circle, form)
        context["help_form_has_errors"] = bool(form is not None and form.errors)
    if form is not None:
        context["form"] = form  # the page of its own (new_item.html) shows it again
    return context


def _help_lists(circle: Circle, user, new_item_id: int | None):
    """The circle's help lists. Published items are the same for every member and moderator
    (``kept.help_lists``). Rendered for this person alone when they show something of
    theirs: their own items that wait for a moderator or were hidden (only they see those),
    or the item they just posted (marked and focused)."""
    if new_item_id is not None or user.id in kept.unpublished_help_authors(circle=circle):
        return Markup(render_template(  # noqa: S704 - a rendered template
            "circles/_help_lists.html", items=service.active_items(circle, user), new_item_id=new_item_id))
    return kept.help_lists(circle=circle)


def _help_form_html(circle: Circle, form):
    """The help form: the empty one kept (``kept.help_form``); one with errors or text typed
    (``form``) rendered for this person."""
    if form is not None:
        return Markup(render_template(  # noqa: S704 - a rendered template
            "circles/_help_form.html", circle=circle, form=form))
    return kept.help_form(circle=circle)


def _circle_answer(circle: Circle, **context):
    """After a successful post: the circle body for htmx, otherwise back to the page (PRG)."""
    if wants_fragment():
        context = _circle_context(circle, **context)
        return render("circles/circle.html", "circles/_circle_body.html", **context)
    anchor = "hulp" if context.get("new_item_id") else None
    return see_other("circles.show", slug=circle.slug, _anchor=anchor)


@bp.get("/cirkels/<slug>")
@for_visitors
def show(slug: str):
    circle = _circle_or_404(slug)
    return render("circles/circle.html", "circles/_circle_body.html", **_circle_context(circle))


@bp.post("/cirkels/<slug>/lid-worden")
def join(slug: str):
    circle = _circle_or_404(slug)
    if not current_user.is_authenticated:
        return _ask_to_sign_in(url_for("circles.show", slug=slug))
    if access.is_member(current_user, circle):
        flash(f"U bent al lid van {circle.name}.", "info")
        return _circle_answer(circle, focus="lid")
    if not access.can_join(current_user, circle):
        flash(f"{circle.name} is gestopt. Zoek hieronder een andere buurtcirkel bij u in de buurt.", "info")
        return see_other("circles.index")
    previous = service.join_circle(current_user, circle)
    access.forget_membership()
    if previous:
        flash(f"U bent verhuisd naar {circle.name}. U bent geen lid meer van {previous.name}.", "success")
    else:
        flash(f"Welkom! U bent nu lid van {circle.name}.", "success")
    return _circle_answer(circle, focus="lid")


@bp.post("/cirkels/<slug>/opzeggen")
def leave(slug: str):
    circle = _circle_or_404(slug)
    if not current_user.is_authenticated:
        return _ask_to_sign_in(url_for("circles.show", slug=slug))
    if service.leave_circle(current_user, circle):
        access.forget_membership()
        flash(f"U bent geen lid meer van {circle.name}. U kunt altijd weer lid worden.", "success")
    else:
        flash(f"U was geen lid van {circle.name}.", "info")
    return _circle_answer(circle, focus="lid")


@bp.route("/cirkels/<slug>/hulp/nieuw", methods=["GET", "POST"])
@login_required
@limit_per_person("20 per hour")
def new_help_item(slug: str):
    circle = _circle_allowing(slug, access.can_post_help, MEMBERS_ONLY)
    form = help_form_for(circle, on_behalf=access.can_post_on_behalf(current_user, circle))
    if request.method == "GET" and request.args.get("soort") == "aanbod":
        form.kind.data = HelpKind.OFFER.value
    if form.validate_on_submit() and may_contribute(current_user, SubjectType.HELP, form.title, form.text):
        item = _post_help_item(circle, form)
        return _circle_answer(circle, new_item_id=item.id)
    if form.errors:
        return form_invalid("circles/new_item.html", "circles/_circle_body.html",
                            **_circle_context(circle, form=form))
    return render("circles/new_item.html", circle=circle, form=form)


def _post_help_item(circle: Circle, form) -> HelpItem:
    on_behalf = isinstance(form, OnBehalfHelpItemForm) and form.is_on_behalf
    neighbour = coordination.offline_neighbour_or_none(circle, form.neighbour_id) if on_behalf else None
    item = service.post_help_item(
        circle, current_user, kind=form.kind.data, category=form.category.data, title=form.title.data,
        text=form.text.data or "", wanted_when=form.wanted_when.data or "", wanted_on=form.wanted_on.data,
        on_behalf_of=neighbour,
        on_behalf_name=form.on_behalf_name.data if on_behalf else None,
        on_behalf_street=form.on_behalf_street.data if on_behalf else None,
    )
    what = "hulpvraag" if item.is_request else "hulpaanbod"
    if item.is_published:
        flash(f"Dank u wel. Uw {what} '{item.title}' staat nu bij de buurtcirkel.", "success")
    else:
        flash(f"Dank u wel. Uw {what} '{item.title}' wacht op controle door een moderator. "
              "Daarna zien uw buren het; tot die tijd ziet alleen u het.", "success")
    return item


@bp.get("/cirkels/<slug>/flyer")
def flyer(slug: str):
    """A4 flyer for letterboxes: public, so it holds nothing that members only may see."""
    circle = _circle_or_404(slug)
    connectors = service.connectors_of(circle)
    return render(
        "circles/flyer.html", circle=circle,
        connector_first_name=connectors[0].first_name if connectors else None,
        contact=circle.contact_line or settings.contact_line(),
        has_contact_line=bool(circle.contact_line),
        circle_url=public_url("circles.show", slug=circle.slug),
        qr_code=circle_qr_svg(public_url("circles.show", slug=circle.slug)),
    )


def circle_qr_svg(url: str) -> Markup:
    """The QR code as inline SVG: no ``style`` attributes (the CSP forbids them), a title
    for screen readers, and sized in CSS. segno writes the SVG itself (the URL only becomes
    black and white modules), so it is safe to put in the page as is."""
    svg = segno.make(url, error="m").svg_inline(
        scale=6, omitsize=True, title="QR-code naar de pagina van de buurtcirkel",
        svgclass="flyer-qr", lineclass=None,
    )
    return Markup(svg)  # noqa: S704 - generated by segno, contains no user text
