"""What ties the sociale kaart to the buurtcirkels: the buurtcirkels a service covers, and a
verbinder who points a help item to a service.

A referral is said in the help item's own conversation (asker, helper and verbinders only),
so the asker reads it where the rest of the help is arranged and gets the conversation's usual
mail; the ``HelpReferral`` row records which service it was. Queries and changes only; the
request commits.
"""

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.circles import mail as circle_mail
from portal.circles import service as circle_service
from portal.extensions import db
from portal.mail import public_url
from portal.models import Circle, HelpItem, HelpReferral, Organization, Service, ServiceArea, User


def services_for(circle: Circle) -> list[Service]:
    """The active services a verbinder of ``circle`` may point to: those that cover this
    buurtcirkel, then those for the whole wijk, by organisation and name."""
    covers_here = exists().where(ServiceArea.service_id == Service.id, ServiceArea.circle_id == circle.id)
    covers_anything = exists().where(ServiceArea.service_id == Service.id)
    query = (
        select(Service).join(Service.organization)
        .where(Service.status == "active", or_(covers_here, ~covers_anything))
        .order_by(covers_here.desc(), Organization.name, Service.name, Service.id)
        .options(joinedload(Service.organization))
    )
    return list(db.session.scalars(query))


def service_or_none(service_id: int | None) -> Service | None:
    if service_id is None:
        return None
    return db.session.scalar(select(Service).where(Service.id == service_id)
                             .options(joinedload(Service.organization)))


def referrals_of(item: HelpItem) -> list[HelpReferral]:
    query = (select(HelpReferral).where(HelpReferral.help_item_id == item.id)
             .order_by(HelpReferral.created_at, HelpReferral.id)
             .options(joinedload(HelpReferral.service).joinedload(Service.organization)))
    return list(db.session.scalars(query))


def referral_text(service: Service, note: str) -> str:
    """What the conversation says: the service, how to reach it, where to read more."""
    organization = service.organization
    phone = service.phone or organization.phone
    lines = [f"Ik verwijs u naar {service.name} van {organization.name}."]
    if note:
        lines.append(note)
    if phone:
        lines.append(f"Bellen kan op {phone}.")
    lines.append(f"Meer over hen: {public_url('infopoint.organization', slug=organization.slug)}")
    return "\n\n".join(lines)


def refer(item: HelpItem, service: Service, verbinder: User, note: str = "") -> HelpReferral:
    referral = HelpReferral(help_item_id=item.id, service_id=service.id, referred_by_id=verbinder.id)
    db.session.add(referral)
    circle_service.post_message(item, verbinder, referral_text(service, note))
    circle_mail.mail_new_message(item, verbinder)
    return referral


# --- the buurtcirkels a service covers ---------------------------------------------------------

def services_with_areas(organization: Organization) -> list[Service]:
    query = (select(Service).where(Service.organization_id == organization.id)
             .order_by(Service.id).options(selectinload(Service.areas)))
    return list(db.session.scalars(query))


def set_areas(service: Service, circle_ids: set[int]) -> None:
    """Exactly these buurtcirkels (none: the whole wijk)."""
    for area in list(service.areas):
        if area.circle_id not in circle_ids:
            service.areas.remove(area)
    have = {area.circle_id for area in service.areas}
    for circle_id in sorted(circle_ids - have):
        service.areas.append(ServiceArea(circle_id=circle_id))
