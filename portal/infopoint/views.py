"""The wijkinformatiepunt page: who and where, the spreekuren (open now, or the next one), one
large number to call, and the question form (no account); its calendar of spreekuren."""

from flask import request
from flask_login import current_user

from portal import calendars
from portal.extensions import limiter
from portal.infopoint import bp, hours, ical, service
from portal.infopoint.access import can_handle_questions
from portal.infopoint.forms import QuestionForm
from portal.models.base import utcnow
from portal.pagecache import for_visitors
from portal.web import form_invalid, render, see_other
from portal.wijken import settings


def page_context(point, now) -> dict:
    """What the wijkinformatiepunt page shows of its organisation: the spreekuren, whether it
    is open now, the closed days coming, the number to call."""
    openings = service.openings_of(point) if point else []
    spreekuren = [
        (service_, at_location, schedule)
        for service_ in (point.services if point else [])
        for at_location in service_.service_at_locations
        for schedule in at_location.schedules
    ]
    return {
        "point": point,
        "spreekuren": spreekuren,
        "open_status": hours.status(openings, now) if openings else None,
        "closed_ahead": hours.closed_days_ahead(openings, now) if openings else [],
        "phone": point.phone if point and point.phone else "",
        "contact": settings.contact_line(),
    }


@bp.route("/wijkinformatiepunt", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def infopoint():
    """The page, and the question form on it. A question needs no account: a name, a phone
    number or an e-mail address, the question and the consent to be contacted. The form
    carries a CSRF token, so this page is rendered for everyone (not kept for visitors)."""
    form = QuestionForm()
    if form.validate_on_submit():
        service.ask(form.name.data, form.email.data or "", form.phone.data or "", form.question.data,
                    form.consent.data)
        return see_other("infopoint.asked")
    context = page_context(service.infopoint(), utcnow()) | {
        "form": form, "can_handle": can_handle_questions(current_user)}
    if form.errors:
        return form_invalid("infopoint/infopoint.html", **context)
    return render("infopoint/infopoint.html", **context)


@bp.get("/wijkinformatiepunt/bedankt")
@for_visitors
def asked():
    point = service.infopoint()
    return render("infopoint/asked.html", point=point, phone=point.phone if point else "",
                  contact=settings.contact_line())


@bp.get("/wijkinformatiepunt.ics")
def calendar():
    """The spreekuren as a calendar a calendar app can subscribe to."""
    point = service.infopoint()
    name = f"Spreekuren {point.name}" if point else "Spreekuren wijkinformatiepunt"
    body = ical.calendar_bytes(point, name, utcnow())
    return calendars.response(body, "wijkinformatiepunt.ics", inline=request.args.get("download") is None)
