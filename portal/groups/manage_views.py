"""Making and running groups: a new group (moderators) or a proposal (residents) and its
review, news, and the trekker's page (who joined, requests, handing on, contact, status)."""

from flask import flash, request
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal.access import found_or_404, require
from portal.groups import access, bp, service
from portal.groups.forms import ContactForm, GroupForm, NewsForm
from portal.groups.views import _group
from portal.models import GroupStatus
from portal.web import form_invalid, render, see_other

# --- a new group, or a proposal ----------------------------------------------------------

def _group_form() -> GroupForm:
    form = GroupForm()
    form.themes.choices = [SelectChoice(str(theme.id), theme.name) for theme in service.themes()]
    form.buurten.choices = [SelectChoice(str(buurt.id), buurt.name) for buurt in service.buurten()]
    return form


@bp.route("/groepen/nieuw", methods=["GET", "POST"])
@login_required
def new_group():
    require(access.can_propose_group(current_user))
    proposing = not access.can_create_group(current_user)
    form = _group_form()
    if form.validate_on_submit():
        group = service.create_group(service.GroupFields(
            name=form.name.data, kind=form.kind.data, description=form.description.data,
            meets=form.meets.data or "", is_open=form.is_open.data,
            theme_ids=form.themes.data or [], buurt_ids=form.buurten.data or [],
        ), by=current_user, proposed=proposing)
        if proposing:
            flash("Dank u wel voor uw voorstel. Een moderator bekijkt het; u krijgt bericht per e-mail.",
                  "success")
        else:
            flash(f"{group.name} staat online. U bent trekker tot u het doorgeeft.", "success")
        return see_other("groups.group", slug=group.slug)
    answer = form_invalid if form.errors else render
    return answer("groups/new.html", form=form, proposing=proposing)


@bp.get("/groepen/voorstellen")
@login_required
def proposals():
    require(access.can_review_proposals(current_user))
    return render("groups/proposals.html", proposals=service.proposed_groups())


def _proposed(slug: str):
    group = found_or_404(service.group_or_none(slug))
    if group.status != GroupStatus.PROPOSED:
        flash("Over dit voorstel is al besloten.", "info")
        return None
    return group


@bp.post("/groepen/<slug>/goedkeuren")
@login_required
def approve(slug: str):
    require(access.can_review_proposals(current_user))
    group = _proposed(slug)
    if group is not None:
        service.approve(group)
        flash(f"{group.name} staat online. De indiener is trekker en krijgt bericht.", "success")
    return see_other("groups.proposals")


@bp.post("/groepen/<slug>/afwijzen")
@login_required
def reject(slug: str):
    require(access.can_review_proposals(current_user))
    group = _proposed(slug)
    if group is not None:
        name = group.name
        service.reject(group, (request.form.get("reason") or "").strip()[:300])
        flash(f"Het voorstel “{name}” is afgewezen. De indiener krijgt bericht.", "success")
    return see_other("groups.proposals")


# --- news --------------------------------------------------------------------------------

@bp.route("/groepen/<slug>/nieuws/nieuw", methods=["GET", "POST"])
@login_required
def new_news(slug: str):
    group = _group(slug)
    require(access.can_post_news(current_user, group))
    form = NewsForm()
    if form.validate_on_submit():
        service.post_news(group, current_user, form.title.data, form.text.data)
        flash("Het nieuws staat op de pagina van de groep. De leden krijgen het per e-mail.", "success")
        return see_other("groups.group", slug=group.slug, _anchor="nieuws")
    answer = form_invalid if form.errors else render
    return answer("groups/news_form.html", group=group, form=form)


# --- the trekker's page ------------------------------------------------------------------

def _managed(slug: str):
    group = _group(slug)
    require(access.can_manage(current_user, group))
    return group


def _manage_context(group, contact_form: ContactForm | None = None) -> dict:
    row = access.member_row(current_user, group)
    if contact_form is None and row is not None and row.is_trekker:
        contact_form = ContactForm(formdata=None, show_email=row.show_email, phone=row.phone)
    return {"group": group, "members": service.members(group), "requests": service.requests(group),
            "volunteers": service.survey_volunteers(group),
            "row": row, "contact_form": contact_form, "statuses": GroupStatus}


@bp.get("/groepen/<slug>/beheer")
@login_required
def manage(slug: str):
    return render("groups/manage.html", **_manage_context(_managed(slug)))


def _member(group, member_id: int):
    return found_or_404(next((member for member in group.members if member.id == member_id), None))


@bp.post("/groepen/<slug>/leden/<int:member_id>/aannemen")
@login_required
def accept(slug: str, member_id: int):
    group = _managed(slug)
    member = _member(group, member_id)
    if member.is_member:
        flash(f"{member.user.first_name} doet al mee.", "info")
    else:
        service.accept(group, member)
        flash(f"{member.user.first_name} doet nu mee en krijgt bericht.", "success")
    return see_other("groups.manage", slug=slug)


@bp.post("/groepen/<slug>/leden/<int:member_id>/afwijzen")
@login_required
def decline(slug: str, member_id: int):
    group = _managed(slug)
    member = _member(group, member_id)
    if member.is_member:
        flash(f"{member.user.first_name} doet al mee.", "info")
    else:
        name = member.user.first_name
        service.decline(group, member)
        flash(f"Het verzoek van {name} is afgewezen. {name} krijgt bericht.", "success")
    return see_other("groups.manage", slug=slug)


@bp.post("/groepen/<slug>/leden/<int:member_id>/trekker")
@login_required
def hand_over(slug: str, member_id: int):
    group = _managed(slug)
    member = _member(group, member_id)
    if not member.is_member or member.is_trekker:
        flash("Kies een lid dat nog geen trekker is.", "error")
    else:
        service.hand_over(group, member, current_user)
        flash(f"{member.user.first_name} is nu trekker van {group.name}.", "success")
        if not access.can_manage(current_user, group):
            return see_other("groups.group", slug=slug)
    return see_other("groups.manage", slug=slug)


@bp.post("/groepen/<slug>/contact")
@login_required
def contact(slug: str):
    group = _managed(slug)
    row = access.member_row(current_user, group)
    require(row is not None and row.is_trekker)
    form = ContactForm()
    if not form.validate_on_submit():
        return form_invalid("groups/manage.html", **_manage_context(group, contact_form=form))
    service.save_contact(row, form.show_email.data, form.phone.data or "")
    flash("Uw contactgegevens op de pagina van de groep zijn opgeslagen.", "success")
    return see_other("groups.manage", slug=slug)


STATUS_MESSAGES = {
    GroupStatus.ACTIVE: "{} is weer actief.",
    GroupStatus.PAUSED: "{} is gepauzeerd. Alles blijft bewaard; u kunt de groep weer starten.",
    GroupStatus.ENDED: "{} is gestopt. De pagina, het nieuws en het gesprek blijven bewaard.",
}


@bp.post("/groepen/<slug>/status")
@login_required
def set_status(slug: str):
    group = _managed(slug)
    wanted = request.form.get("status", "")
    status = next((status for status in STATUS_MESSAGES if status.value == wanted), None)
    if status is None:
        flash("Kies actief, gepauzeerd of gestopt.", "error")
    else:
        service.set_status(group, status)
        flash(STATUS_MESSAGES[status].format(group.name), "success")
    return see_other("groups.manage", slug=slug)
