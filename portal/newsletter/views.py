"""The wijkbrief for readers: subscribing (no account; double opt-in), an account holder's one
button, confirming, one-click unsubscribing (RFC 8058), the archive, the web version and the
large-print paper version."""

import segno
from flask import flash, redirect, request, url_for
from flask_login import current_user
from itsdangerous import SignatureExpired
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from portal.access import found_or_404, require
from portal.extensions import csrf, limiter
from portal.mail import public_url
from portal.newsletter import bp, render, service
from portal.newsletter.access import can_edit_newsletters, can_opt_in
from portal.newsletter.forms import OptInForm, SubscribeForm
from portal.pagecache import for_visitors
from portal.web import form_invalid, safe_next, see_other
from portal.web import render as render_page


def _subscribe_context(form) -> dict:
    subscription = service.account_subscription(current_user) if current_user.is_authenticated else None
    return {"form": form, "issues": service.sent_newsletters(),
            "subscription": subscription, "receives": bool(subscription and subscription.receives),
            "can_edit": can_edit_newsletters(current_user)}


@bp.route("/nieuwsbrief", methods=["GET", "POST"])
@limiter.limit("5 per hour;20 per day", methods=["POST"])
def subscribe():
    """Subscribing with an address and an unticked consent box, and the archive. The same
    answer whether or not we know the address. The form carries a CSRF token, so this page
    is rendered for everyone (not kept for visitors)."""
    form = SubscribeForm()
    form.neighbourhood_id.choices = [SelectChoice("", "Geen keuze")] + [
        SelectChoice(str(n.id), n.name) for n in service.neighbourhoods()]
    if form.validate_on_submit():
        service.subscribe(form.email.data, form.organisation.data or "", form.neighbourhood_id.data,
                          source=public_url("newsletter.subscribe"))
        return see_other("newsletter.subscribed")
    if form.errors:
        return form_invalid("newsletter/subscribe.html", **_subscribe_context(form))
    return render_page("newsletter/subscribe.html", **_subscribe_context(form))


@bp.post("/nieuwsbrief/ontvangen")
def opt():
    """A signed-in person's one button: the wijkbrief on their account's address, or not."""
    require(can_opt_in(current_user))
    form = OptInForm()
    if form.validate_on_submit() and form.action.data in ("aan", "uit"):
        if form.action.data == "aan":
            service.opt_in(current_user)
            flash(f"U krijgt de wijkbrief voortaan op {current_user.email}.", "success")
        else:
            service.opt_out(current_user)
            flash("U krijgt de wijkbrief niet meer.", "success")
    return redirect(safe_next(request.form.get("next"), url_for("newsletter.subscribe")), code=303)


@bp.get("/nieuwsbrief/aangemeld")
@for_visitors
def subscribed():
    return render_page("newsletter/subscribed.html", days=service.CONFIRM_DAYS)


@bp.route("/nieuwsbrief/bevestigen/<token>", methods=["GET", "POST"])
@csrf.exempt
def confirm(token: str):
    """The link in the confirmation mail: a page with one button (a mail scanner that opens
    links confirms nothing), whose POST confirms, once. Tampered: a kind 404; too old: 410;
    the second time: "al bevestigd". No CSRF token: the signed token in the address is the
    proof, and it can do one thing only (confirm that address)."""
    try:
        subscriber = service.confirm(token) if request.method == "POST" else service.confirmable(token)
    except SignatureExpired:
        return render_page("newsletter/confirmed.html", status=410, state="expired",
                           days=service.CONFIRM_DAYS)
    except service.AlreadyConfirmed:
        return render_page("newsletter/confirmed.html", state="already")
    if subscriber is None:
        return render_page("newsletter/confirmed.html", status=404, state="invalid")
    return render_page("newsletter/confirmed.html", state="done" if request.method == "POST" else "ask",
                       subscriber=subscriber, token=token, days=service.CONFIRM_DAYS)


@bp.get("/nieuwsbrief/afmelden/<token>")
def unsubscribe(token: str):
    """The link under every wijkbrief: a page with one button, no sign-in needed."""
    subscriber = service.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render_page("newsletter/unsubscribe.html", status=404, valid=False)
    return render_page("newsletter/unsubscribe.html", valid=True, done=False, subscriber=subscriber)


@bp.post("/nieuwsbrief/afmelden/<token>")
@csrf.exempt
def unsubscribe_now(token: str):
    """Unsubscribe at once: the page's button, and the RFC 8058 one-click target.

    Exempt from CSRF on purpose, like ``notifications.unsubscribe_now``: mail providers POST
    ``List-Unsubscribe=One-Click`` from their own servers, without our session or a token.
    The signed token in the address protects it: it can only stop the wijkbrief for one
    address."""
    subscriber = service.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        return render_page("newsletter/unsubscribe.html", status=404, valid=False)
    service.unsubscribe(subscriber)
    return render_page("newsletter/unsubscribe.html", valid=True, done=True, subscriber=subscriber)


def _issue_context(number: int) -> dict:
    newsletter = found_or_404(service.sent_newsletter(number))
    return {"newsletter": newsletter, "blocks": render.block_views(newsletter),
            "intro_parts": render.parts(newsletter.intro)}


@bp.get("/nieuwsbrief/<int:nummer>")
@for_visitors
def issue(nummer: int):
    return render_page("newsletter/issue.html", **_issue_context(nummer))


def qr_svg(url: str, title: str) -> Markup:
    """A QR code as inline SVG, drawn on the server (as the circle's flyer does): no style
    attributes (the CSP), a title for screen readers, sized in CSS. segno writes only black
    and white modules, so it is safe in the page."""
    svg = segno.make(url, error="m").svg_inline(scale=6, omitsize=True, title=title, svgclass="flyer-qr",
                                                lineclass=None)
    return Markup(svg)  # noqa: S704 - generated by segno, contains no user text


@bp.get("/nieuwsbrief/<int:nummer>/afdrukken")
@for_visitors
def print_issue(nummer: int):
    """A4 in large print, one column, the agenda as a table, QR codes to the portal."""
    context = _issue_context(nummer)
    web = public_url("newsletter.issue", nummer=nummer)
    home = public_url("pages.home")
    return render_page("newsletter/print.html", **context, web_url=web, home_url=home,
                       web_qr=qr_svg(web, "QR-code naar deze wijkbrief op de website"),
                       home_qr=qr_svg(home, "QR-code naar het Buurtportaal"))
