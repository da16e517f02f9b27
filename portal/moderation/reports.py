"""Reporting (melden): the page and form behind every "Melden" link, for any registered content.

A domain offers the route for its own content, so moderation needs to know none of them::

    @bp.route("/berichten/<int:post_id>/melden", methods=["GET", "POST"])
    @login_required
    @report_limit
    def report_post(post_id: int):
        return report_page(_readable_post(post_id))

The caller has answered 404 for what this person may not see; here ``can_report`` decides.
"""

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.access import require
from portal.moderation import access, policy, service, subjects, words
from portal.moderation.forms import ReportForm
from portal.web import form_invalid, render, wants_fragment

report_limit = policy.limit_per_person("20 per hour")

REPORTED = {
    service.ReportOutcome.REPORTED: ("Dank u voor uw melding. Een moderator kijkt ernaar.", "success"),
    service.ReportOutcome.HIDDEN: ("Dank u voor uw melding. Meerdere bewoners meldden dit; het is nu "
                                   "verborgen tot een moderator ernaar kijkt.", "success"),
    service.ReportOutcome.ALREADY: ("U heeft dit al gemeld. Een moderator kijkt ernaar; u hoeft niets "
                                    "meer te doen.", "info"),
}


def report_page(item):
    """GET: the form (or "al gemeld"); POST: the report, then back to the item (or, with htmx,
    the thank-you in the place where the form was)."""
    require(access.can_report(current_user, item))
    form = ReportForm()
    context = {"item": item, "form": form, "subject_type": subjects.type_of(item),
               "back": subjects.path_of(item), "slot": report_slot(item)}
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


def report_slot(item) -> str:
    """The id of the place on the item's page where the report form opens (htmx)."""
    return f"melden-{words.SLUG_BY_SUBJECT[subjects.type_of(item)]}-{item.id}"


def report_url(item) -> str:
    kind = subjects.kind_of(item)
    return url_for(kind.report_endpoint, **kind.report_values(item), **{kind.report_argument: item.id})


def hide_url(item, back: str | None = None) -> str:
    """The moderators' way to hide what they come across (the decision page, with a reason),
    coming back to this page afterwards."""
    return url_for("moderation.decide", type_slug=words.SLUG_BY_SUBJECT[subjects.type_of(item)],
                   subject_id=item.id, verdict_slug="verbergen", next=back or request.path)
