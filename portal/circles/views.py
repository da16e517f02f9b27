"""Buurtcirkels: find your circle, the map, the circle page and help items.

Who may do what is decided in ``portal/circles/access.py`` only; the queries and changes
live in ``service.py``. Every form works without JavaScript (303 after success) and with
htmx (the changed region as a fragment); invalid input answers 422 with the text kept.
"""

from dataclasses import dataclass

import segno
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup

from portal.access import found_or_404, require, visible_or_404
from portal.circles import access, bp, followup, management, service
from portal.circles import mail as circle_mail
from portal.circles.forms import (
    ContactLineForm,
    HelpItemForm,
    MessageForm,
    OnBehalfHelpItemForm,
    OnBehalfResponseForm,
    ResponseForm,
    StatusForm,
)
from portal.circles.mail import mail_new_item_now, mail_response
from portal.circles.map import circle_map
from portal.mail import public_url
from portal.models import Circle, HelpItem, SubjectType, User
from portal.models.base import utcnow
from portal.models.circles import STATUS_LABELS, HelpKind, HelpStatus
from portal.moderation.policy import limit_per_person, may_contribute
from portal.moderation.reports import report_limit, report_page
from portal.pagecache import for_visitors, shared_form, shared_part, shared_value
from portal.web import form_invalid, render, see_other, wants_fragment

MEMBERS_ONLY = (
    "Alleen voor leden van deze buurtcirkel",
    "Word eerst lid van de buurtcirkel. Dat kan op de pagina van de cirkel.",
)
CONNECTORS_ONLY = (
    "Alleen voor verbinders",
    "Dit overzicht is voor de verbinders van deze buurtcirkel en voor moderatoren.",
)


def _circle_or_404(slug: str) -> Circle:
    return found_or_404(service.circle_or_none(slug))


def _circle_allowing(slug: str, rule, refusal: tuple[str, str]) -> Circle:
    """The circle, if ``rule(current_user, circle)`` allows; otherwise a friendly 403 page."""
    circle = _circle_or_404(slug)
    require(rule(current_user, circle), refusal)
    return circle


def _visible_item(item_id: int) -> HelpItem:
    """The item, or a 404 for someone who may not see it (as if it did not exist)."""
    return visible_or_404(service.help_item_or_none(item_id), current_user, access.can_see_help_item)


def _item_allowing(item_id: int, rule) -> HelpItem:
    """The item: 404 for someone who may not see it, 403 for someone who may see it but not
    do this."""
    item = _visible_item(item_id)
    require(rule(current_user, item))
    return item


def _ask_to_sign_in(next_url: str):
    """For a post from someone signed out: to the sign-in page, back to ``next_url`` after."""
    flash("Log eerst in om verder te gaan.", "info")
    return redirect(url_for("accounts.login", next=next_url), code=303)


# --- Find your circle ------------------------------------------------------------------------


@bp.get("/cirkels")
@for_visitors
def index():
    street = service.normalise_street_query(request.args.get("straat"))
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
    elif management.request_circle(current_user, street):
        flash(f"Dank u. De coördinator van de buurtcirkels weet nu dat u een cirkel wilt in de {street}.",
              "success")
    else:
        flash(f"U had al een buurtcirkel gevraagd voor de {street}. De coördinator weet het.", "info")
    return see_other("circles.index", straat=street or None)


@bp.get("/cirkels/kaart")
@for_visitors
def map_page():
    """Folium builds the map in some ten milliseconds: it is the same for everyone whose own
    circle is the same (or who has none), so it is built once per change (``shared_value``)."""
    summaries = service.circle_summaries()
    mine = access.circle_of(current_user)  # a visitor has none
    fmap = shared_value(("circle map", mine.id if mine else None), lambda: circle_map(summaries, mine=mine))
    return render("circles/map.html", "circles/_map.html", map=fmap, summaries=summaries, mine=mine)


# --- The circle page ---------------------------------------------------------------------------


def _help_form_for(circle: Circle, from_request: bool = False):
    """Connectors get the form that can also post *namens* a neighbour. Blank unless
    ``from_request``: after a successful post the page shows a fresh form."""
    formdata = {} if from_request else {"formdata": None}
    if access.can_post_on_behalf(current_user, circle):
        form = OnBehalfHelpItemForm(**formdata)
        form.set_streets([street.name for street in circle.streets])
        form.set_neighbours(management.offline_neighbours(circle), nobody="Voor mijzelf",
                            label="Namens {name} ({street})")
        return form
    return HelpItemForm(**formdata)


@dataclass(frozen=True)
class KeptConnector:
    """What the circle page shows of a verbinder to everyone: the first name."""

    first_name: str


def _circle_facts(circle: Circle) -> dict:
    """Public facts of a circle, the same for everyone: kept per circle (``shared_value``), so
    the page needs the circle's own row only, not its neighbourhood and streets."""
    neighbourhood, streets, member_count, connectors = shared_value(("circle facts", circle.id), lambda: (
        circle.neighbourhood.name,
        tuple(street.name for street in circle.streets),
        service.member_count(circle),
        tuple(KeptConnector(user.first_name) for user in service.connectors_of(circle))))
    return {"neighbourhood_name": neighbourhood, "street_names": streets, "member_count": member_count,
            "connectors": connectors}


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
        **_circle_facts(circle),
        "contact": circle.contact_line or current_app.config["WIJKINFORMATIEPUNT"],
        "can_manage": access.can_manage_circle(user, circle),
        "can_see_items": access.can_see_help_items(user, circle),
        "new_item_id": new_item_id,
        "focus": focus,
    }
    if context["can_see_items"]:
        context["help_lists"] = _help_lists(circle, user, new_item_id)
    else:  # what the others see of the circle's help: only how much there is
        context["open_counts"] = service.open_counts(circle)
    if access.can_post_help(user, circle):
        context["on_behalf"] = access.can_post_on_behalf(user, circle)
        context["help_form"] = _help_form_html(circle, form, on_behalf=context["on_behalf"])
        context["help_form_has_errors"] = bool(form is not None and form.errors)
    if form is not None:
        context["form"] = form  # the page of its own (new_item.html) shows it again
    return context


def _help_lists(circle: Circle, user, new_item_id: int | None):
    """The circle's help lists. Published items are the same for every member and moderator:
    rendered once per change of the circle and shared (``shared_part``, keyed on the circle).
    Rendered for this person alone when they show something of theirs: their own items that
    wait for a moderator or were hidden (only they see those), or the item they just posted
    (marked and focused). A post's answer renders it fresh (``shared_value`` reads only in a
    GET: the change is not committed yet)."""
    template = "circles/_help_lists.html"
    if new_item_id is not None or service.has_own_unpublished_items(circle, user):
        return Markup(render_template(  # noqa: S704 - a rendered template
            template, items=service.active_items(circle, user), new_item_id=new_item_id))
    return shared_part((template, circle.id), lambda: render_template(
        template, items=service.active_items(circle), new_item_id=None))


def _help_form_html(circle: Circle, form, on_behalf: bool):
    """The help form: an empty one kept without WTForms' cost (``shared_form``, keyed on the
    circle and whether it is a verbinder's, which also offers the circle's neighbours without
    internet; built only when there is no copy); one with errors or text typed (``form``) is
    rendered for this person."""
    template = "circles/_help_form.html"
    if form is not None:
        return Markup(render_template(template, circle=circle, form=form))  # noqa: S704 - a rendered template
    return shared_form((template, circle.id, "namens" if on_behalf else "lid"),
                       lambda: render_template(template, circle=circle, form=_help_form_for(circle)))


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
    form = _help_form_for(circle, from_request=True)
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
    neighbour = management.offline_neighbour_or_none(circle, form.neighbour_id) if on_behalf else None
    item = service.post_help_item(
        circle, current_user, kind=form.kind.data, category=form.category.data, title=form.title.data,
        text=form.text.data or "", wanted_when=form.wanted_when.data or "", wanted_on=form.wanted_on.data,
        on_behalf_of=neighbour,
        on_behalf_name=form.on_behalf_name.data if on_behalf else None,
        on_behalf_street=form.on_behalf_street.data if on_behalf else None,
    )
    mail_new_item_now(item)
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
        contact=circle.contact_line or current_app.config["WIJKINFORMATIEPUNT"],
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


# --- The connector's overview ----------------------------------------------------------------


def _overview_context(circle: Circle, contact_form=None) -> dict:
    """The verbinder's overview. Its lists and its members with their phone numbers are the
    same for every verbinder of the circle: rendered once per change and kept for them
    (``shared_part``); a moderator who is no verbinder here gets them rendered for them (no
    neighbours without internet, only the phone numbers members share). The empty contact
    form is kept per circle (``shared_form``)."""
    verbinder = access.can_keep_neighbours(current_user, circle)
    context = {"circle": circle, "keeps_neighbours": verbinder, "contact_form": contact_form,
               "wijkinformatiepunt": current_app.config["WIJKINFORMATIEPUNT"]}
    template = "circles/_overview_body.html"

    def body() -> str:
        members = [(member, access.can_see_phone(current_user, member, circle))
                   for member in service.members_of(circle)]
        return render_template(template, circle=circle, overview=service.circle_overview(circle),
                               keeps_neighbours=verbinder, members=members)

    context["overview_body"] = shared_part((template, circle.id), body) if verbinder else Markup(body())  # noqa: S704
    context["contact_form_html"] = _contact_form_html(circle, contact_form)
    return context


def _contact_form_html(circle: Circle, form) -> Markup:
    template = "circles/_contact_form.html"
    config = current_app.config

    def render_form(contact_form) -> str:
        return render_template(template, circle=circle, contact_form=contact_form,
                               wijkinformatiepunt=config["WIJKINFORMATIEPUNT"])

    if form is not None:
        return Markup(render_form(form))  # noqa: S704 - a rendered template
    return shared_form((template, circle.id),
                       lambda: render_form(ContactLineForm(contact_line=circle.contact_line)))


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


# --- A help item -------------------------------------------------------------------------------


def _response_form_for(item: HelpItem, from_request: bool = False):
    """Verbinders may offer namens a neighbour without internet on their list."""
    formdata = {} if from_request else {"formdata": None}
    if access.can_respond_on_behalf(current_user, item):
        form = OnBehalfResponseForm(**formdata)
        return form.set_neighbours(management.offline_neighbours(item.circle), nobody="Ikzelf",
                                   label="{name} ({street})")
    return ResponseForm(**formdata)


def _conversation_context(item: HelpItem, message_form=None, focus_conversation=False) -> dict:
    """The private conversation, only for those it concerns; with the phone numbers each
    person allowed (``can_see_phone``) and, for verbinders, the neighbour's own number."""
    if not access.can_see_conversation(current_user, item):
        return {"can_see_conversation": False,
                "reported_messages": (service.reported_messages(item)
                                      if access.can_see_reported_messages(current_user, item) else [])}
    others = [person for person in service.conversation_people(item) if person.id != current_user.id]
    neighbour = item.on_behalf_of if access.can_keep_neighbours(current_user, item.circle) else None
    return {
        "can_see_conversation": True,
        "can_write_message": access.can_write_message(current_user, item),
        "message_form": message_form or MessageForm(formdata=None),
        "contacts": [(person, access.can_see_phone(current_user, person, item.circle)) for person in others],
        "neighbour_contact": neighbour,
        "focus_conversation": focus_conversation,
    }


def _item_context(item: HelpItem, response_form=None, status_form=None, focus_responses=False,
                  message_form=None, focus_conversation=False) -> dict:
    item = service.load_item_details(item)
    return {
        "item": item,
        "circle": item.circle,
        "can_respond": access.can_respond(current_user, item),
        "has_responded": service.has_responded(item, current_user),
        "can_change_status": access.can_change_status(current_user, item),
        "can_step_back": access.can_step_back(current_user, item),
        "response_form": response_form or _response_form_for(item),
        "status_form": status_form or StatusForm(),
        "status_labels": STATUS_LABELS,
        "focus_responses": focus_responses,
        **_conversation_context(item, message_form, focus_conversation),
    }


def _item_answer(item: HelpItem):
    """After a response or a status change: the item body for htmx (focus on the responses),
    otherwise back to the item page (PRG)."""
    if wants_fragment():
        context = _item_context(item, focus_responses=True)
        return render("circles/item.html", "circles/_item_body.html", **context)
    return see_other("circles.help_item", item_id=item.id)


def _item_invalid(item: HelpItem, **forms):
    return form_invalid("circles/item.html", "circles/_item_body.html", **_item_context(item, **forms))


@bp.get("/hulp/<int:item_id>")
@login_required
def help_item(item_id: int):
    item = _visible_item(item_id)
    return render("circles/item.html", "circles/_item_body.html", **_item_context(item))


@bp.post("/hulp/<int:item_id>/reageren")
@login_required
def respond(item_id: int):
    item = _item_allowing(item_id, access.can_respond)
    if service.has_responded(item, current_user):  # a second click, or a second tab: the page
        flash("U had al gereageerd. De ander ziet uw reactie al.", "info")  # shows no form now
        return _item_answer(item)
    form = _response_form_for(item, from_request=True)
    on_behalf = isinstance(form, OnBehalfResponseForm)
    if form.validate_on_submit() and (not on_behalf or form.neighbour_is_listed()):
        neighbour = (management.offline_neighbour_or_none(item.circle, form.neighbour_id)
                     if on_behalf else None)
        service.respond(item, current_user, form.message.data or "", on_behalf_of=neighbour)
        mail_response(item, current_user)
        flash(_response_confirmation(item), "success")
        return _item_answer(item)
    return _item_invalid(item, response_form=form)


@bp.post("/hulp/<int:item_id>/status")
@login_required
def change_status(item_id: int):
    item = _item_allowing(item_id, access.can_change_status)
    form = StatusForm()
    if form.validate_on_submit():
        response = _chosen_response(item, form)
        if form.status.data not in item.next_statuses:
            form.status.errors.append("Deze stap kan nu niet. Kies een van de knoppen.")
        elif not form.helper.errors:
            former_helper = item.taken_by
            service.change_status(item, form.status.data, current_user, response=response)
            _tell_about_status(item, former_helper)
            flash(_status_confirmation(item), "success")
            return _item_answer(item)
    return _item_invalid(item, status_form=form)


def _tell_about_status(item: HelpItem, former_helper: User | None) -> None:
    """Who hears of a status change: the chosen helper (and the others who offered), the
    helper who need not come any more, the helper who is thanked."""
    if item.status == HelpStatus.PROMISED and item.taken_by is not None:
        circle_mail.mail_helper_chosen(item)
    elif item.status == HelpStatus.OPEN and former_helper is not None:
        circle_mail.mail_reopened(item, former_helper, current_user)
    elif item.status == HelpStatus.DONE:
        circle_mail.mail_thanks(item, current_user)


@bp.post("/hulp/<int:item_id>/terugtrekken")
@login_required
def step_back(item_id: int):
    """The chosen helper cannot help after all: the item opens again and the asker hears it."""
    item = _item_allowing(item_id, access.can_step_back)
    if not FlaskForm().validate_on_submit():
        flash("Dat lukte niet. Probeer het nog eens.", "error")
        return _item_answer(item)
    helper_name = item.helper_name
    service.step_back(item, current_user)
    circle_mail.mail_helper_stepped_back(item, current_user, helper_name)
    flash("Jammer, maar goed dat u het zegt. De hulp staat weer open voor andere buren.", "success")
    return _item_answer(item)


@bp.post("/hulp/<int:item_id>/berichten")
@login_required
@limit_per_person("60 per hour")
def post_message(item_id: int):
    """A message in the conversation: for the asker, the chosen helper and the verbinders.
    htmx swaps the conversation in place; without JavaScript back to the page (PRG)."""
    item = visible_or_404(service.help_item_or_none(item_id), current_user, access.can_see_conversation)
    require(access.can_write_message(current_user, item))
    form = MessageForm()
    if not form.validate_on_submit():
        return form_invalid("circles/item.html", "circles/_conversation.html",
                            **_item_context(item, message_form=form, focus_conversation=True))
    service.post_message(item, current_user, form.text.data)
    circle_mail.mail_new_message(item, current_user)
    flash("Uw bericht staat in het gesprek.", "success")
    if wants_fragment():
        return render("circles/item.html", "circles/_conversation.html",
                      **_item_context(item, focus_conversation=True))
    return see_other("circles.help_item", item_id=item.id, _anchor="gesprek")


@bp.route("/hulp/<int:item_id>/berichten/<int:message_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_message(item_id: int, message_id: int):
    """Reporting a message in the conversation: only its participants, not their own message
    (the form is moderation's). With htmx the form opens under the message."""
    item = visible_or_404(service.help_item_or_none(item_id), current_user, access.can_report_message)
    return report_page(found_or_404(service.message_or_none(item, message_id)))


@bp.route("/hulp/<int:item_id>/gelukt/<token>", methods=["GET", "POST"])
def is_it_done(item_id: int, token: str):
    """The buttons of the "Is het gelukt?" mail: a page with one button first (a mail
    program that opens links by itself changes nothing), then the answer, once."""
    answer = followup.answer_from_token(item_id, token)
    if answer is None:
        return render("circles/done_link_invalid.html", status=410)
    if not FlaskForm().validate_on_submit():
        return render("circles/is_it_done.html", answer=answer, token=token)
    followup.record_answer(answer)
    if answer.is_done:
        circle_mail.mail_thanks(answer.item, answer.item.author)
        flash("Fijn dat het gelukt is! De hulp staat nu op afgerond. We bedanken de helper.", "success")
    else:
        flash("Dank u voor uw antwoord. Spreek in het gesprek een nieuwe tijd af, of zet de hulp weer open.",
              "success")
    return see_other("circles.help_item", item_id=item_id, _anchor="gesprek")


@bp.route("/hulp/<int:item_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_help_item(item_id: int):
    """Reporting a help item: the form is moderation's (``portal/moderation/reports.py``)."""
    return report_page(_visible_item(item_id))


def _chosen_response(item: HelpItem, form: StatusForm):
    """On "toegezegd" the author (or a verbinder) may pick one of the people who responded."""
    if not form.helper.data:
        return None
    response = service.response_of(item, form.helper.data)
    if response is None:
        form.helper.errors = ["Kies iemand die gereageerd heeft."]
    return response


def _response_confirmation(item: HelpItem) -> str:
    if item.is_on_behalf:
        return f"Dank u wel! {item.author.first_name} brengt u in contact met {item.on_behalf_name}."
    if item.is_request:
        return f"Dank u wel! {item.author.first_name} ziet nu dat u wilt helpen."
    return f"Dank u wel! {item.author.first_name} ziet nu dat u dit graag wilt."


def _status_confirmation(item: HelpItem) -> str:
    helper = item.helper_name or "er is iemand die"
    return {
        HelpStatus.OPEN: "De hulp staat weer open. Buren kunnen weer reageren.",
        HelpStatus.PROMISED: f"Genoteerd: {helper} helpt.",
        HelpStatus.DONE: "Fijn dat het gelukt is! De hulp staat nu op afgerond.",
        HelpStatus.LAPSED: "De hulp staat nu op vervallen. Buren zien hem niet meer in de lijst.",
    }[HelpStatus(item.status)]
