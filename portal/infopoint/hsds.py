"""The sociale kaart as Open Referral's Human Services Data Specification 3.0 (HSDS): what
``/sociale-kaart.json`` answers.

The shape is that of an HSDS API's paginated list of organisations with their services in
full (``/organizations?full_service=true``): a page (``total_items``, ``total_pages``,
``page_number``, ``size``, ``first_page``, ``last_page``, ``empty``) whose ``contents`` are
organisations, each with ``services`` → ``service_at_locations`` → ``location`` (with its
``addresses`` and ``accessibility``) and ``schedules``. A schedule is its RRULE split into
HSDS's ``freq``, ``interval``, ``byday``, ``bymonthday`` with ``opens_at``/``closes_at``,
``valid_from``/``valid_to``. Times are wall-clock times in Europe/Amsterdam: HSDS's
``timezone`` is a fixed UTC offset, which a zone with summer time cannot give, so it is left
out and each schedule's ``notes`` says so. The needs (geldzaken, ...) are ``attributes`` with
a ``taxonomy_term`` of the portal's own list. Empty values are left out, not sent as "".

Identifiers are UUIDs (HSDS asks for them), derived from the wijk's address and the row's
table and id, so they stay the same between exports. ``tests/test_sociale_kaart.py`` checks
the export against the HSDS 3.0 JSON schemas (``tests/hsds/``).
"""

import uuid

from portal.infopoint.hours import describe
from portal.models import NEEDS, Location, Organization, Schedule, Service, ServiceAtLocation
from portal.wijken import settings

TIME_NOTE = "Tijden in Europe/Amsterdam (plaatselijke tijd); niet op Nederlandse feestdagen."
TAXONOMY = "Behoeften van het Buurtportaal"
RULE_PARTS = {"FREQ": "freq", "INTERVAL": "interval", "BYDAY": "byday", "BYMONTHDAY": "bymonthday",
              "WKST": "wkst", "COUNT": "count"}


def identifier(kind: str, row_id: int | str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.public_base()}/hsds/{kind}/{row_id}"))


def _present(**values) -> dict:
    return {name: value for name, value in values.items() if value not in (None, "", [])}


def page(pagination) -> dict:
    """One page of ``db.paginate`` over organisations, as HSDS's paginated list."""
    return {
        "total_items": pagination.total or 0,
        "total_pages": pagination.pages,
        "page_number": pagination.page,
        "size": len(pagination.items),
        "first_page": pagination.page == 1,
        "last_page": pagination.page >= pagination.pages,
        "empty": not pagination.items,
        "contents": [organization(item) for item in pagination.items],
    }


def organization(item: Organization) -> dict:
    organization_id = identifier("organization", item.id)
    return _present(
        id=organization_id,
        name=item.name,
        description=item.description or item.name,
        email=item.email,
        website=item.website,
        phones=[{"id": identifier("organization-phone", item.id), "organization_id": organization_id,
                 "number": item.phone, "type": "voice"}] if item.phone else [],
        locations=[location(place, organization_id) for place in item.locations],
        services=[service(offered, organization_id) for offered in item.services],
    )


def location(place: Location, organization_id: str) -> dict:
    location_id = identifier("location", place.id)
    address = _present(
        id=identifier("address", place.id), location_id=location_id, address_1=place.address_1,
        city=place.city, state_province="Utrecht", postal_code=place.postal_code, country="NL",
        address_type="physical",
    ) if place.address_1 and place.city and place.postal_code else None
    return _present(
        id=location_id,
        location_type="physical",
        organization_id=organization_id,
        name=place.name,
        transportation=place.transportation,
        latitude=place.latitude,
        longitude=place.longitude,
        addresses=[address] if address else [],
        accessibility=[{"id": identifier("accessibility", place.id), "location_id": location_id,
                        "description": place.accessibility}] if place.accessibility else [],
    )


def service(offered: Service, organization_id: str) -> dict:
    service_id = identifier("service", offered.id)
    assured = offered.organization.assured_date
    modified = offered.updated_at
    return _present(
        id=service_id,
        organization_id=organization_id,
        name=offered.name,
        description=offered.description,
        url=offered.url,
        email=offered.email,
        status=offered.status,
        eligibility_description=offered.eligibility_description,
        fees_description=offered.fees_description,
        application_process=offered.application_process,
        assured_date=assured.isoformat() if assured else None,
        last_modified=modified.isoformat(timespec="milliseconds") + "Z" if modified else None,
        phones=[{"id": identifier("service-phone", offered.id), "service_id": service_id,
                 "number": offered.phone, "type": "voice"}] if offered.phone else [],
        required_documents=[{"id": identifier("required-document", f"{offered.id}-{n}"),
                             "service_id": service_id, "document": document}
                            for n, document in enumerate(offered.documents, start=1)],
        attributes=[_need(need.need, service_id) for need in offered.needs],
        service_at_locations=[service_at_location(at, service_id) for at in offered.service_at_locations],
    )


def _need(slug: str, service_id: str) -> dict:
    term_id = identifier("need", slug)
    return {
        "id": identifier("attribute", f"{service_id}-{slug}"),
        "link_id": service_id,
        "link_type": "need",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "value": slug,
        "taxonomy_term": {"id": term_id, "code": slug, "name": NEEDS.get(slug, slug),
                          "description": f"Hulp bij: {NEEDS.get(slug, slug).lower()}", "taxonomy": TAXONOMY,
                          "language": "nl"},
    }


def service_at_location(at: ServiceAtLocation, service_id: str) -> dict:
    at_id = identifier("service-at-location", at.id)
    place = at.location
    return {
        "id": at_id,
        "service_id": service_id,
        "location_id": identifier("location", place.id),
        "location": location(place, identifier("organization", place.organization_id)),
        "schedules": [schedule(item, at_id) for item in at.schedules],
    }


def schedule(item: Schedule, at_id: str) -> dict:
    parts = dict(part.split("=", 1) for part in item.rrule.upper().split(";") if "=" in part)
    rule = {RULE_PARTS[name]: value for name, value in parts.items() if name in RULE_PARTS}
    for number in ("interval", "count"):
        if number in rule:
            rule[number] = int(rule[number])
    return _present(
        id=identifier("schedule", item.id),
        service_at_location_id=at_id,
        valid_from=item.valid_from.isoformat() if item.valid_from else None,
        valid_to=item.valid_to.isoformat() if item.valid_to else None,
        opens_at=item.opens_at.strftime("%H:%M"),
        closes_at=item.closes_at.strftime("%H:%M"),
        description=", ".join(part for part in (describe(item.rrule), item.description) if part),
        attending_type="in_person",
        notes=TIME_NOTE,
        **rule,
    )
