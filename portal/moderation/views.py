"""Moderation's own pages: the queue (``/moderatie``), decisions, the log and the people.

Decisions are plain forms (``POST /moderatie/<type>/<id>/<besluit>``, then back to the queue)
and, in the queue, htmx forms that swap only their row and announce the decision in the live
region. Who may do what: ``access.py``; changes: ``service.py``; reading: ``queue.py``. The
report routes belong to the domains whose content is reported (``reports.report_page``).
"""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from portal import kept
from portal.access import found_or_404, require
from portal.models import SubjectType
from portal.models.base import utcnow
from portal.moderation import access, bp, queue, service, subjects, words
from portal.moderation.forms import DecisionForm
from portal.web import choice, form_invalid, page_number, render, safe_next, wants_fragment

# --- The queue ------------------------------------------------------------------------------


@bp.get("/moderatie")
@login_required
def queue_page():
    require(access.can_moderate(current_user))
    page = page_number(request.args)
    return render("moderation/queue.html", queue_html=kept.moderation_queue_page(page=page))


# --- Decisions ------------------------------------------------------------------------------


def _parse(type_slug: str, verdict_slug: str):
    """The subject type and verdict of a URL; a 404 for words that do not exist or do not
    go together (an account is not "goedgekeurd", a post not "geblokkeerd")."""
    subject_type = words.SUBJECT_BY_SLUG.get(type_slug)
    verdict = words.VERDICT_BY_SLUG.get(verdict_slug)
    allowed = words.ACCOUNT_VERDICTS if subject_type == SubjectType.ACCOUNT else words.CONTENT_VERDICTS
    found_or_404(subject_type if subject_type is not None and verdict in allowed else None)
    return subject_type, verdict


@bp.route("/moderatie/<type_slug>/<int:subject_id>/<verdict_slug>", methods=["GET", "POST"])
@login_required
def decide(type_slug: str, subject_id: int, verdict_slug: str):
    require(access.can_moderate(current_user))
    subject_type, verdict = _parse(type_slug, verdict_slug)
    subject = found_or_404(subjects.subject_or_none(subject_type, subject_id))
    require(access.can_decide(current_user, subject, verdict))
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
    require(access.can_moderate(current_user))
    filters = queue.LogFilters.from_args(request.args)
    return render("moderation/log.html", results=queue.log_page(filters), filters=filters,
                  deciders=queue.deciders(), automatic=queue.AUTOMATIC, verdicts=words.VERDICT_BY_SLUG)


# --- People ---------------------------------------------------------------------------------


@bp.get("/moderatie/mensen")
@login_required
def people():
    require(access.can_moderate(current_user))
    name = " ".join(request.args.get("naam", "").split())[:80]
    kind = choice(request.args, "soort", queue.PEOPLE_KINDS)
    results = queue.people_page(name, kind, page_number(request.args))
    return render("moderation/people.html", results=results, name=name, kind=kind, kinds=queue.PEOPLE_KINDS,
                  here=request.full_path if request.query_string else request.path, now=utcnow())
