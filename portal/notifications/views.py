"""The mail settings page and the unsubscribe links in every notification."""

from flask import flash, request
from flask_login import current_user, login_required

from portal.extensions import csrf
from portal.notifications import bp
from portal.notifications.forms import MailPreferencesForm
from portal.notifications.service import (
    KIND_BY_SLUG,
    KIND_LABELS,
    preferences_for,
    save_preferences,
    unsubscribe,
    user_from_token,
)
from portal.web import form_invalid, render, see_other


@bp.route("/account/meldingen", methods=["GET", "POST"])
@login_required
def preferences():
    preference = preferences_for(current_user)
    form = MailPreferencesForm(obj=preference if request.method == "GET" else None)
    if form.validate_on_submit():
        save_preferences(current_user, form.help_items.data, form.event_reminders.data, form.moderation.data,
                         form.post_updates.data,
                         digest=form.digest.data if "digest" in request.form else None,
                         digest_weekday=(form.digest_weekday.data if "digest_weekday" in request.form
                                         else None))
        flash("Uw e-mailinstellingen zijn opgeslagen.", "success")
        return see_other("accounts.account")
    if form.errors:
        return form_invalid("notifications/preferences.html", form=form)
    return render("notifications/preferences.html", form=form)


def _unsubscribe_target(soort: str, token: str):
    kind = KIND_BY_SLUG.get(soort)
    user = user_from_token(kind, token) if kind else None
    return kind, user


@bp.get("/afmelden/<soort>/<token>")
def unsubscribe_page(soort: str, token: str):
    """The link in the mail's footer: a page with one button, no sign-in needed."""
    kind, user = _unsubscribe_target(soort, token)
    if user is None:
        return render("notifications/unsubscribe.html", status=404, valid=False)
    return render("notifications/unsubscribe.html", valid=True, done=False, label=KIND_LABELS[kind],
                  user=user)


@bp.post("/afmelden/<soort>/<token>")
@csrf.exempt
def unsubscribe_now(soort: str, token: str):
    """Unsubscribe at once: the page's button, and the RFC 8058 one-click target.

    Exempt from CSRF on purpose. Mail providers (Gmail, Yahoo, ...) POST
    ``List-Unsubscribe=One-Click`` to the address in the ``List-Unsubscribe`` header from
    their own servers, without our session or a CSRF token, and RFC 8058 requires that this
    POST alone unsubscribes. What protects it instead is the signed token in the address:
    only the person who got the mail has it, and it can do exactly one harmless thing,
    switch off one kind of mail for one person.
    """
    kind, user = _unsubscribe_target(soort, token)
    if user is None:
        return render("notifications/unsubscribe.html", status=404, valid=False)
    unsubscribe(user, kind)
    return render("notifications/unsubscribe.html", valid=True, done=True, label=KIND_LABELS[kind],
                  user=user)
