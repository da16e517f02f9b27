"""The sociale kaart: search by words, need and "nu open"; one organisation (with schema.org
JSON-LD); the whole kaart as HSDS 3.0 JSON; the large-print booklet by need."""

from flask import abort, jsonify, request
from flask_login import current_user

from portal import dates
from portal.access import found_or_404
from portal.infopoint import bp, hours, hsds, jsonld, service
from portal.infopoint.access import can_handle_questions, can_propose_change
from portal.models import NEEDS
from portal.models.base import utcnow
from portal.pagecache import canonical_query, for_visitors
from portal.web import choice, page_number, render


@bp.get("/sociale-kaart")
@for_visitors
def kaart():
    words = " ".join((request.args.get("q") or "").split())[:100]
    need = choice(request.args, "behoefte", NEEDS)
    open_now = request.args.get("open") == "nu"
    page = page_number(request.args)
    canonical_query(q=words, behoefte=need, open="nu" if open_now else None,
                    pagina=page if page > 1 else None)
    now = utcnow()
    results = service.search(words, need, open_now, page, now)
    return render(
        "infopoint/kaart.html", results=results, words=words, need=need, open_now=open_now, needs=NEEDS,
        entries=service.entries(results.items, words, need, open_now, now),
        filters={"q": words or None, "behoefte": need or None, "open": "nu" if open_now else None},
    )


@bp.get("/sociale-kaart/<slug>")
@for_visitors
def organization(slug: str):
    item = found_or_404(service.organization_or_none(slug))
    now = utcnow()
    today = dates.local_today(now)
    openings = service.openings_of(item)
    return render(
        "infopoint/organization.html", organization=item, needs=NEEDS,
        open_status=hours.status(openings, now) if openings else None,
        open_services={offered.id for offered in item.services
                       if hours.is_open_at(service.service_openings(offered, item), now)},
        closed_ahead=hours.closed_days_ahead(openings, now) if openings else [],
        check_due=service.check_is_due(item, today),
        other_locations=[place for place in item.locations if place.id not in {
            at.location_id for offered in item.services for at in offered.service_at_locations}],
        jsonld=jsonld.organization(item),
        can_propose=can_propose_change(current_user), can_handle=can_handle_questions(current_user),
    )


@bp.get("/sociale-kaart.json")
def export():
    """The kaart as HSDS 3.0: a page of organisations in full (``?page=``, ``?per_page=`` up
    to 100)."""
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
    except ValueError:
        abort(400)
    if page < 1 or not 1 <= per_page <= 100:
        abort(400)
    response = jsonify(hsds.page(service.all_organizations(page, per_page)))
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/sociale-kaart/afdrukken")
@for_visitors
def booklet():
    return render("infopoint/booklet.html", chapters=service.booklet(), point=service.infopoint(),
                  today=dates.local_today(utcnow()))
