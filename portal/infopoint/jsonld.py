"""An organisation of the sociale kaart as schema.org JSON-LD, for search engines and other
readers of the page: an ``Organization`` with its phone, e-mail and website, and per location
a ``Place`` with its address and ``OpeningHoursSpecification``s. Only weekly hours can be said
this way (a day of the week, opens, closes, valid from/through); a monthly rule is left to the
page's text."""

from portal.infopoint.hours import BYDAY
from portal.mail import public_url
from portal.models import Organization

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def organization(item: Organization) -> dict:
    places = []
    for place in item.locations:
        hours = [spec for service in item.services if service.status == "active"
                 for at in service.service_at_locations if at.location_id == place.id
                 for schedule in at.schedules for spec in _opening_hours(schedule)]
        places.append(_present({
            "@type": "Place",
            "name": place.name,
            "address": _present({
                "@type": "PostalAddress", "streetAddress": place.address_1, "postalCode": place.postal_code,
                "addressLocality": place.city, "addressCountry": "NL",
            }) if place.address_1 else None,
            "openingHoursSpecification": hours,
        }))
    return _present({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": item.name,
        "description": item.description,
        "url": public_url("infopoint.organization", slug=item.slug),
        "sameAs": item.website,
        "telephone": item.phone,
        "email": item.email,
        "location": places,
        "makesOffer": [_present({"@type": "Offer", "itemOffered": _present({
            "@type": "Service", "name": service.name, "description": service.description}),
            "description": service.fees_description})
            for service in item.services if service.status == "active"],
    })


def _opening_hours(schedule) -> list[dict]:
    parts = dict(part.split("=", 1) for part in schedule.rrule.upper().split(";") if "=" in part)
    if parts.get("FREQ") != "WEEKLY" or parts.get("INTERVAL", "1") != "1":
        return []
    days = [DAYS[BYDAY[day]] for day in parts.get("BYDAY", "").split(",") if day in BYDAY]
    if not days:
        return []
    return [_present({
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [f"https://schema.org/{day}" for day in days],
        "opens": schedule.opens_at.strftime("%H:%M"),
        "closes": schedule.closes_at.strftime("%H:%M"),
        "validFrom": schedule.valid_from.isoformat() if schedule.valid_from else None,
        "validThrough": schedule.valid_to.isoformat() if schedule.valid_to else None,
    })]


def _present(values: dict) -> dict:
    return {name: value for name, value in values.items() if value not in (None, "", [])}
