"""The AVG rights of a resident: see everything we hold about you, and be forgotten.

Deleting an account keeps what others rely on (a post's discussion, the history of a help
item) but removes the person from it: the account row stays as an anonymous tombstone named
"verwijderde deelnemer" (so posts and replies keep their place), and everything that says who
or where someone is — email (and one waiting for confirmation), phone, password, memberships,
sign-ups, mail settings, help responses, the name and street of a neighbour a connector
posted for — is removed. Answers to peilingen stay in the counts, linked to nobody.
"""

import secrets
from datetime import datetime, timedelta

from portal.accounts import sessions
from portal.events import service as event_service
from portal.extensions import db
from portal.groups import service as groups_service
from portal.meedenken import service as meedenken_service
from portal.models import (
    DigestItem,
    District,
    Follow,
    HelpItem,
    HelpMessage,
    HelpMessageMail,
    HelpResponse,
    Membership,
    NotificationPreference,
    Participation,
    Post,
    Registration,
    Reply,
    Support,
    User,
)
from portal.models.base import utcnow
from portal.models.circles import HelpStatus
from portal.newsletter import service as newsletter_service
from portal.surveys import service as survey_service
from portal.wijk import ALL_WIJKEN, in_wijk, required_district_id

DELETED_NAME = "verwijderde deelnemer"
PURGE_AFTER = timedelta(days=90)  # the privacy page states this period


def _when(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def wijken_of(user: User) -> list[tuple[int, str]]:
    """Every wijk the person takes part in (id, name): an account is one for all of them."""
    return db.session.execute(
        db.select(District.id, District.name).join(Participation, Participation.district_id == District.id)
        .where(Participation.user_id == user.id).order_by(District.id)
        .execution_options(**{ALL_WIJKEN: True})
    ).all()


def export_user_data(user: User) -> dict:
    """Everything the portal holds about ``user``, as plain JSON-ready data: the account, and
    what they did in each wijk they take part in (one AVG export for every wijk)."""
    parts = []
    for district_id, name in wijken_of(user):
        with in_wijk(district_id):
            parts.append({"wijk": name, **_export_in_wijk(user)})
    return {
        "account": {"naam": user.name, "e-mailadres": user.email,
                    "nieuw_e-mailadres_wacht_op_bevestiging": user.pending_email,
                    "telefoon": user.phone or None, "telefoon_zichtbaar_voor_buren": user.share_phone,
                    "platformbeheerder": user.platform_admin, "aangemaakt": _when(user.created_at)},
        "wijken": parts,
    }


def _export_in_wijk(user: User) -> dict:
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == user.id))
    preference = db.session.get(NotificationPreference, (user.id, required_district_id()))
    items = db.session.scalars(db.select(HelpItem).where(HelpItem.author_id == user.id)).all()
    responses = db.session.scalars(db.select(HelpResponse).where(HelpResponse.user_id == user.id)).all()
    messages = db.session.scalars(db.select(HelpMessage).where(HelpMessage.author_id == user.id)).all()
    posts = db.session.scalars(db.select(Post).where(Post.author_id == user.id)).all()
    replies = db.session.scalars(db.select(Reply).where(Reply.author_id == user.id)).all()
    supports = db.session.scalars(db.select(Support.post_id).where(Support.user_id == user.id)).all()
    registrations = db.session.scalars(db.select(Registration).where(Registration.user_id == user.id)).all()
    return {
        "rol": user.role_label, "vertrouwd": user.trusted,
        "buurtcirkel": membership and {"cirkel": membership.circle.name, "rol": membership.role,
                                       "sinds": _when(membership.since)},
        "meldingen": preference and {"hulpvragen": preference.help_items,
                                     "herinneringen": preference.event_reminders,
                                     "moderatie": preference.moderation,
                                     "wat_u_volgt": preference.digest,
                                     "dag_van_het_weekoverzicht": preference.digest_weekday},
        "volgt": [{"soort": kind, "id": target} for kind, target in db.session.execute(
            db.select(Follow.kind, Follow.target_id).where(Follow.user_id == user.id)
            .order_by(Follow.kind, Follow.target_id))],
        "hulpvragen_en_aanbod": [
            {"id": i.id, "soort": i.kind, "titel": i.title, "tekst": i.text, "status": i.status,
             "namens": i.on_behalf_name, "straat_namens": i.on_behalf_street,
             "geplaatst": _when(i.created_at)} for i in items],
        "reacties_op_hulp": [{"hulp_id": r.item_id, "bericht": r.message,
                              "geplaatst": _when(r.created_at)} for r in responses],
        "gesprekken_over_hulp": [{"hulp_id": m.item_id, "tekst": m.text, "geschreven": _when(m.created_at)}
                                 for m in messages],
        "berichten": [{"id": p.id, "soort": p.kind, "titel": p.title, "tekst": p.body,
                       "geplaatst": _when(p.created_at)} for p in posts],
        "reacties": [{"bericht_id": r.post_id, "tekst": r.body, "geplaatst": _when(r.created_at)}
                     for r in replies],
        "steun_voor_berichten": list(supports),
        "aanmeldingen": [{"bijeenkomst": r.event.title, "status": r.status,
                          "aangemeld": _when(r.created_at)} for r in registrations],
        "peilingen": survey_service.export_of(user),
        "groepen": groups_service.export_of(user),
        "meedenken": meedenken_service.export_of(user),
        "wijkbrief": newsletter_service.export_of(user),
    }


def delete_account(user: User) -> None:
    """Forget the person; their public words stay, signed "verwijderde deelnemer". Every
    session of the account ends at once, and the placeholder can never be signed in to,
    edited or used again (``User.deleted_at``, ``User.is_active``)."""
    sessions.end_all_sessions(user)
    for district_id, _name in wijken_of(user):
        with in_wijk(district_id):
            _forget_in_wijk(user)
    user.name = DELETED_NAME
    user.email = f"verwijderd-{user.id}-{secrets.token_hex(4)}@invalid"
    user.pending_email = None
    user.phone = ""
    user.share_phone = False
    user.platform_admin = False
    user.set_password(secrets.token_urlsafe(32))
    user.deleted_at = utcnow()


def _forget_in_wijk(user: User) -> None:
    for registration in db.session.scalars(
            db.select(Registration).where(Registration.user_id == user.id)).all():
        event_service.cancel_registration(registration.id)  # the waiting list moves up
    survey_service.forget(user)  # answers keep counting, linked to nobody
    groups_service.forget(user)  # out of every group; its thread messages gone, its news stays
    newsletter_service.forget(user)  # no wijkbrief to an account that is gone
    for model, column in ((Membership, Membership.user_id), (HelpResponse, HelpResponse.user_id),
                          (HelpMessage, HelpMessage.author_id), (HelpMessageMail, HelpMessageMail.user_id),
                          (NotificationPreference, NotificationPreference.user_id),
                          (Follow, Follow.user_id), (DigestItem, DigestItem.user_id)):
        db.session.execute(db.delete(model).where(column == user.id))
    db.session.execute(
        db.update(HelpItem).where(HelpItem.author_id == user.id)
        .values(text="", on_behalf_name=None, on_behalf_street=None)
    )
    user.trusted = False


def purge_closed_help_items(now: datetime | None = None) -> int:
    """Remove personal details from help items closed more than 90 days ago."""
    cutoff = (now or utcnow()) - PURGE_AFTER
    closed = (HelpStatus.DONE, HelpStatus.LAPSED)
    old = db.select(HelpItem.id).where(HelpItem.status.in_(closed), HelpItem.updated_at < cutoff)
    ids = db.session.scalars(old).all()
    if ids:
        db.session.execute(db.update(HelpItem).where(HelpItem.id.in_(ids))
                           .values(text="", on_behalf_name=None, on_behalf_street=None,
                                   taken_on_behalf_name=None))
        db.session.execute(db.delete(HelpResponse).where(HelpResponse.item_id.in_(ids)))
        db.session.execute(db.delete(HelpMessage).where(HelpMessage.item_id.in_(ids)))
    return len(ids)
