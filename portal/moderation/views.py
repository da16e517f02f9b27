"""Moderation: the queue (``/moderatie``), decisions, the log, the people, and reports.

Decisions are plain forms (``POST /moderatie/<type>/<id>/<besluit>``, then back to the queue)
and, in the queue, htmx forms that swap only their row and announce the decision in the live
region. Who may do what: ``access.py``; changes: ``service.py``; reading: ``queue.py``.
"""

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, logout_user

from portal.board import access as board_access
from portal.board import service as board_service
from portal.circles import access as circle_access
from portal.models import SubjectType, User
from portal.models.base import utcnow
from portal.moderation import access, policy, queue, service, subjects, words
from portal.moderation.forms import DecisionForm, ReportForm
from portal.web import form_invalid, render, safe_next, wants_fragment

bp = Blueprint("moderation", __name__)

for _name, _helper in access.TEMPLATE_HELPERS.items():
    bp.add_app_template_global(_helper, _name)
for _helper in (words.done_label, words.subject_label, words.button_label, words.report_reason_label):
    bp.add_app_template_global(_helper)
bp.add_app_template_global(subjects.state_of, "content_state")
bp.add_app_template_global(subjects.path_of, "subject_path")
bp.add_app_template_global(subjects.label_of, "subject_name")
bp.add_app_template_global(queue.open_count, "moderation_queue_count")
bp.add_app_template_global(lambda: queue.waiting_items_of(current_user), "my_waiting_items")
bp.add_app_template_global(lambda: queue.notices_of(current_user), "my_notices")
bp.add_app_template_global(words.SLUG_BY_SUBJECT, "subject_slugs")
bp.add_app_template_global(words.SLUG_BY_VERDICT, "verdict_slugs")


@bp.app_template_global()
def new_decision_form(field_id: str) -> DecisionForm:
    return DecisionForm(formdata=None).with_id(field_id)


@bp.before_app_request
def end_blocked_sessions():
    """A blocked account is signed out at its next request, and told why."""
    if request.endpoint == "static":
        return
    user = current_user._get_current_object()
    if isinstance(user, User) and user.blocked:
        logout_user()
        flash(policy.blocked_message(current_app.config["WIJKINFORMATIEPUNT"]), "error")


report_limit = policy.limit_per_person("20 per hour")


# --- The queue ------------------------------------------------------------------------------


@bp.get("/moderatie")
@login_required
def queue_page():
    access.require(access.can_moderate())
    results = queue.queue_page(queue.page_number(request.args.get("pagina")))
    return render("moderation/queue.html", results=results, now=utcnow())


# --- Decisions ------------------------------------------------------------------------------


def _parse(type_slug: str, verdict_slug: str):
    """The subject type and verdict of a URL; a 404 for words that do not exist or do not
    go together (an account is not "goedgekeurd", a post not "geblokkeerd")."""
    subject_type = words.SUBJECT_BY_SLUG.get(type_slug)
    verdict = words.VERDICT_BY_SLUG.get(verdict_slug)
    allowed = words.ACCOUNT_VERDICTS if subject_type == SubjectType.ACCOUNT else words.CONTENT_VERDICTS
    access.require_found(subject_type is not None and verdict in allowed)
    return subject_type, verdict


@bp.route("/moderatie/<type_slug>/<int:subject_id>/<verdict_slug>", methods=["GET", "POST"])
@login_required
def decide(type_slug: str, subject_id: int, verdict_slug: str):
    access.require(access.can_moderate())
    subject_type, verdict = _parse(type_slug, verdict_slug)
    subject = subjects.subject_or_404(subject_type, subject_id)
    access.require(access.can_decide(current_user, subject, verdict))
    form = DecisionForm().with_id("reden")
    context = {"subject": subject, "subject_type": subject_type, "verdict": verdict, "form": form,
               "back": safe_next(request.values.get("next"), url_for("moderation.queue_page"))}
    if request.method == "GET":
        return render("moderation/decide.html", **context)
    if not _reason_given(form, verdict):
        return _invalid(context)
    if service.applicable(subject, verdict):
        decision = service.decide(current_user, subject, verdict, form.reason.data or "")
        flash(_confirmation(decision), "success")
    else:
        decision = None
        flash("Dit was al gebeurd, misschien door een andere moderator. Er is niets veranderd.", "info")
    return _after_decision(context, decision)


def _reason_given(form: DecisionForm, verdict) -> bool:
    if not form.validate_on_submit():
        return False
    if verdict in words.REASON_REQUIRED and not form.reason.data:
        form.reason.errors.append("Schrijf de reden op. De schrijver leest die, en hij staat in het logboek.")
        return False
    return True


def _row_id() -> int | None:
    value = (request.form.get("rij") or "").strip()
    return int(value) if queue.is_id(value) else None


def _invalid(context: dict):
    """Errors: in the queue (htmx) the row comes back with them; otherwise the decision page."""
    row_id = _row_id()
    if row_id is not None:
        row = queue.queue_row(row_id)
        if row is not None:
            invalid = {"invalid_form": context["form"], "invalid_verdict": context["verdict"],
                       "invalid_type": context["subject_type"]}
            context["form"].with_id(f"reden-{row_id}-{words.SLUG_BY_VERDICT[context['verdict']]}")
            return form_invalid("moderation/decide.html", "moderation/_row_answer.html",
                                row=row, row_id=row_id, now=utcnow(), **invalid, **context)
    return form_invalid("moderation/decide.html", **context)


def _after_decision(context: dict, decision):
    """With htmx: the queue row again (still open) or in short what was decided; without:
    back to where the moderator came from (PRG)."""
    if not wants_fragment():
        return redirect(context["back"], code=303)
    row_id = _row_id()
    row = queue.queue_row(row_id) if row_id is not None else None
    if row is not None and not row.review.is_open:
        row = None
    return render("moderation/decide.html", "moderation/_row_answer.html",
                  row=row, row_id=row_id, decision=decision, now=utcnow(), **context)


def _confirmation(decision) -> str:
    done = words.done_label(decision.verdict)
    if decision.subject_type == SubjectType.ACCOUNT:
        return f"{done}: het account van {decision.subject_label}. Het staat in het logboek."
    what = words.subject_label(decision.subject_type)
    return f"{done}: {what} “{decision.subject_label}”. Het staat in het logboek."


# --- The log --------------------------------------------------------------------------------


@bp.get("/moderatie/logboek")
@login_required
def log():
    access.require(access.can_moderate())
    filters = queue.LogFilters.from_args(request.args)
    return render("moderation/log.html", results=queue.log_page(filters), filters=filters,
                  deciders=queue.deciders(), automatic=queue.AUTOMATIC, verdicts=words.VERDICT_BY_SLUG)


# --- People ---------------------------------------------------------------------------------


@bp.get("/moderatie/mensen")
@login_required
def people():
    access.require(access.can_moderate())
    name = " ".join(request.args.get("naam", "").split())[:80]
    kind = request.args.get("soort", "")
    kind = kind if kind in queue.PEOPLE_KINDS else ""
    results = queue.people_page(name, kind, queue.page_number(request.args.get("pagina")))
    return render("moderation/people.html", results=results, name=name, kind=kind, kinds=queue.PEOPLE_KINDS,
                  here=request.full_path if request.query_string else request.path, now=utcnow())


# --- Reports (melden) -----------------------------------------------------------------------

REPORTED = {
    service.ReportOutcome.REPORTED: ("Dank u voor uw melding. Een moderator kijkt ernaar.", "success"),
    service.ReportOutcome.HIDDEN: ("Dank u voor uw melding. Meerdere bewoners meldden dit; het is nu "
                                   "verborgen tot een moderator ernaar kijkt.", "success"),
    service.ReportOutcome.ALREADY: ("U heeft dit al gemeld. Een moderator kijkt ernaar; u hoeft niets "
                                    "meer te doen.", "info"),
}


@bp.route("/berichten/<int:post_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_post(post_id: int):
    post = board_service.post_or_none(post_id)
    board_access.require_readable(post)
    return _report(post)


@bp.route("/reacties/<int:reply_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_reply(reply_id: int):
    reply = board_service.reply_or_none(reply_id)
    board_access.require_readable(reply)
    board_access.require_readable(reply.post)
    return _report(reply)


@bp.route("/hulp/<int:item_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_help_item(item_id: int):
    return _report(circle_access.visible_help_item_or_404(item_id, current_user))


def _report(item):
    access.require(access.can_report(item))
    form = ReportForm()
    context = {"item": item, "form": form, "subject_type": subjects.type_of(item),
               "back": subjects.path_of(item), "slot": _report_slot(item)}
    if form.validate_on_submit():
        outcome = service.report(item, current_user, form.reason.data, form.explanation.data or "")
        flash(*REPORTED[outcome])
        if wants_fragment():
            return render("moderation/report.html", "moderation/_reported.html", **context)
        return redirect(context["back"], code=303)
    if form.errors:
        return form_invalid("moderation/report.html", "moderation/_report_form.html", **context)
    context["already"] = service.has_reported(item, current_user)
    return render("moderation/report.html", "moderation/_report_form.html", **context)


def _report_slot(item) -> str:
    """The id of the place on the item's page where the report form opens (htmx)."""
    return f"melden-{words.SLUG_BY_SUBJECT[subjects.type_of(item)]}-{item.id}"


@bp.app_template_global()
def report_slot(item) -> str:
    return _report_slot(item)


REPORT_ENDPOINTS = {
    SubjectType.POST: ("moderation.report_post", "post_id"),
    SubjectType.REPLY: ("moderation.report_reply", "reply_id"),
    SubjectType.HELP: ("moderation.report_help_item", "item_id"),
}


@bp.app_template_global()
def report_url(item) -> str:
    endpoint, argument = REPORT_ENDPOINTS[subjects.type_of(item)]
    return url_for(endpoint, **{argument: item.id})


@bp.app_template_global()
def hide_url(item, back: str | None = None) -> str:
    """The moderators' way to hide what they come across (the decision page, with a reason),
    coming back to this page afterwards."""
    return url_for("moderation.decide", type_slug=words.SLUG_BY_SUBJECT[subjects.type_of(item)],
                   subject_id=item.id, verdict_slug="verbergen", next=back or request.path)

