"""Werkgroepen and bewonersgroepen: the list, a group's page, joining and leaving, and the
members' thread (with reporting through moderation's report page)."""

from flask import flash, make_response, request, url_for
from flask_login import current_user, login_required

from portal.access import found_or_404, require, visible_or_404
from portal.extensions import db
from portal.following import service as following
from portal.groups import access, bp, service
from portal.groups.forms import MessageForm
from portal.models import FollowKind, GroupKind
from portal.moderation.reports import report_limit, report_page
from portal.pagecache import canonical_query, for_visitors
from portal.web import form_invalid, render, see_other, wants_fragment

KIND_WORDS = {"werkgroep": GroupKind.WERKGROEP, "bewonersgroep": GroupKind.BEWONERSGROEP}


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.get("/groepen")
@for_visitors
def index():
    kind = request.args.get("soort", "")
    kind = kind if kind in KIND_WORDS else ""
    theme_id, buurt_id = _int_arg("thema"), _int_arg("buurt")
    canonical_query(soort=kind, thema=theme_id, buurt=buurt_id)
    themes, buurten = service.themes(), service.buurten()
    theme_id = theme_id if any(theme.id == theme_id for theme in themes) else None
    buurt_id = buurt_id if any(buurt.id == buurt_id for buurt in buurten) else None
    moderator = access.can_review_proposals(current_user)
    return render(
        "groups/index.html", groups=service.listed_groups(kind, theme_id, buurt_id),
        themes=themes, buurten=buurten, kind=kind, theme_id=theme_id, buurt_id=buurt_id,
        filtered=bool(kind or theme_id or buurt_id),
        proposals=service.proposed_groups() if moderator else [],
        quiet=service.quiet_groups() if access.can_see_quiet_groups(current_user) else [],
        can_create=access.can_create_group(current_user),
        can_propose=access.can_propose_group(current_user),
    )


def _group(slug: str):
    return visible_or_404(service.group_or_none(slug), current_user, access.can_view)


def _context(group, message_form: MessageForm | None = None, focus_thread: bool = False) -> dict:
    member = access.is_member(current_user, group)
    reported = access.is_moderator(current_user) and not member
    return {
        "group": group,
        "row": access.member_row(current_user, group),
        "trekkers": service.trekkers(group),
        "members": service.members(group) if access.can_view_members(current_user, group) else [],
        "events": service.events_of(group),
        "news": service.news_of(group),
        "messages": service.messages_of(group) if access.can_read_thread(current_user, group) else None,
        "reported_messages": service.reported_messages(group) if reported else [],
        "message_form": message_form or MessageForm(formdata=None),
        "focus_thread": focus_thread,
        "can_join": access.can_join(current_user, group),
        "can_leave": access.can_leave(current_user, group),
        "can_manage": access.can_manage(current_user, group),
        "can_post_news": access.can_post_news(current_user, group),
        "can_write": access.can_write_thread(current_user, group),
        "can_follow": access.can_follow(current_user, group),
        "following_group": following.is_following(current_user, FollowKind.GROUP, group.id),
    }


@bp.get("/groepen/<slug>")
@for_visitors
def group(slug: str):
    return render("groups/group.html", **_context(_group(slug)))


# --- joining and leaving: htmx swaps the box, without JavaScript PRG -------------------

@bp.post("/groepen/<slug>/meedoen")
def join(slug: str):
    if not current_user.is_authenticated:
        return _sign_in_first(slug)
    group = _group(slug)
    if access.member_row(current_user, group) is not None:
        flash("U doet al mee, of uw verzoek wacht nog op de trekker.", "info")
    elif not access.can_join(current_user, group):
        flash("Meedoen kan nu niet: de groep is gepauzeerd of gestopt.", "error")
    else:
        member = service.join(group, current_user)
        if member.is_member:
            flash(f"U doet mee met {group.name}. Welkom!", "success")
        else:
            flash("Uw verzoek is verstuurd. De trekker laat het u weten per e-mail.", "success")
    return _join_answer(slug)


@bp.post("/groepen/<slug>/verlaten")
@login_required
def leave(slug: str):
    group = _group(slug)
    row = access.member_row(current_user, group)
    if row is None:
        flash("U deed niet mee met deze groep.", "info")
    elif not access.can_leave(current_user, group):
        flash("U bent de enige trekker. Geef het trekkerschap eerst door aan een ander lid.", "error")
    else:
        was_member = row.is_member
        service.leave(group, row)
        flash(f"U doet niet meer mee met {group.name}." if was_member else "Uw verzoek is ingetrokken.",
              "success")
    return _join_answer(slug)


def _join_answer(slug: str):
    if wants_fragment():
        db.session.flush()
        db.session.expire_all()
        return render("groups/group.html", "groups/_join.html", **_context(_group(slug)))
    return see_other("groups.group", slug=slug)


def _sign_in_first(slug: str):
    flash("Log eerst in, dan kunt u meedoen.", "info")
    target = url_for("accounts.login", next=url_for("groups.group", slug=slug))
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return see_other("accounts.login", next=url_for("groups.group", slug=slug))


@bp.post("/groepen/<slug>/volgen")
@login_required
def follow(slug: str):
    """"Volg deze groep": its news reaches the person at the pace they chose, without joining."""
    group = _group(slug)
    require(access.can_follow(current_user, group))
    wanted = request.form.get("actie", "volgen") != "ontvolgen"
    changed = following.set_following(current_user, FollowKind.GROUP, group.id, wanted)
    if wanted:
        flash(f"U volgt {group.name}. Nieuws krijgt u per e-mail, zo vaak als u koos bij uw "
              "e-mailinstellingen." if changed else f"U volgde {group.name} al.",
              "success" if changed else "info")
    else:
        flash(f"U volgt {group.name} niet meer." if changed else f"U volgde {group.name} niet.",
              "success" if changed else "info")
    if wants_fragment():
        return render("groups/group.html", "groups/_follow.html", group=group, can_follow=True,
                      following_group=wanted)
    return see_other("groups.group", slug=slug, _anchor="groep-volgen")


# --- the members' thread -----------------------------------------------------------------

@bp.post("/groepen/<slug>/berichten")
@login_required
def post_message(slug: str):
    group = _group(slug)
    require(access.can_write_thread(current_user, group))
    form = MessageForm()
    if not form.validate_on_submit():
        return form_invalid("groups/group.html", "groups/_thread.html",
                            **_context(group, message_form=form, focus_thread=True))
    service.post_message(group, current_user, form.text.data)
    flash("Uw bericht staat in het gesprek van de groep.", "success")
    if wants_fragment():
        return render("groups/group.html", "groups/_thread.html", **_context(group, focus_thread=True))
    return see_other("groups.group", slug=slug, _anchor="gesprek")


@bp.route("/groepen/<slug>/berichten/<int:message_id>/melden", methods=["GET", "POST"])
@login_required
@report_limit
def report_message(slug: str, message_id: int):
    """Reporting a message in the thread: members only, not their own (moderation's form)."""
    group = _group(slug)
    message = found_or_404(service.message_or_none(group, message_id))
    require(access.can_report_message(current_user, message))
    return report_page(message)


