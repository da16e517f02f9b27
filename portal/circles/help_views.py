"""A help item (``/hulp/<id>``): responding, its status, stepping back, its private
conversation, reporting, and the answer to the "Is het gelukt?" mail.

Who may do what is decided in ``portal/circles/access.py`` only; the queries and changes
live in ``service.py``. Every form works without JavaScript (303 after success) and with
htmx (the changed region as a fragment); invalid input answers 422 with the text kept.
"""

from flask import flash
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from portal.access import found_or_404, require, visible_or_404
from portal.circles import access, bp, coordination, followup, service
from portal.circles import mail as circle_mail
from portal.circles.forms import MessageForm, OnBehalfResponseForm, ResponseForm, StatusForm
from portal.circles.mail import mail_response
from portal.models import HelpItem, User
from portal.models.circles import STATUS_LABELS, HelpStatus
from portal.moderation.policy import limit_per_person
from portal.moderation.reports import report_limit, report_page
from portal.web import form_invalid, render, see_other, wants_fragment


def _visible_item(item_id: int) -> HelpItem:
    """The item, or a 404 for someone who may not see it (as if it did not exist)."""
    return visible_or_404(service.help_item_or_none(item_id), current_user, access.can_see_help_item)


def _item_allowing(item_id: int, rule) -> HelpItem:
    """The item: 404 for someone who may not see it, 403 for someone who may see it but not
    do this."""
    item = _visible_item(item_id)
    require(rule(current_user, item))
    return item


def _response_form_for(item: HelpItem, from_request: bool = False):
    """Verbinders may offer namens a neighbour without internet on their list."""
    formdata = {} if from_request else {"formdata": None}
    if access.can_respond_on_behalf(current_user, item):
        form = OnBehalfResponseForm(**formdata)
        return form.set_neighbours(coordination.offline_neighbours(item.circle), nobody="Ikzelf",
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
        neighbour = (coordination.offline_neighbour_or_none(item.circle, form.neighbour_id)
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
