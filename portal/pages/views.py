"""Home, the accessibility statement, privacy, the text-size switch and the health check."""

from flask import abort, current_app, make_response, redirect, request
from flask_login import current_user
from sqlalchemy import text

from portal import kept
from portal.circles.access import circle_of
from portal.extensions import csrf, db
from portal.pagecache import for_visitors
from portal.pages import bp
from portal.security import is_cross_site_request
from portal.web import TEXT_SIZE_COOKIE, TEXT_SIZES, render, safe_next

ONE_YEAR = 60 * 60 * 24 * 365


@bp.get("/")
@for_visitors
def home():
    """The entry points (with a link to one's own circle), then the newest ideas and answered
    signals: the same for everyone, so rendered once per change (``kept.home_board``)."""
    return render("pages/home.html", board=kept.home_board(), groups=kept.home_groups(),
                  circle=circle_of(current_user))


@bp.get("/toegankelijkheid")
@for_visitors
def accessibility():
    return render("pages/toegankelijkheid.html")


@bp.get("/privacy")
@for_visitors
def privacy():
    return render("pages/privacy.html")


@bp.post("/tekstgrootte")
@csrf.exempt
def set_text_size():
    """Remember the chosen text size in a cookie; works without JavaScript (PRG).

    This form has no CSRF token, so that reading a page never needs a session: it changes
    nothing on the server, only a display cookie, and a post from another site is refused
    by the browser's own Sec-Fetch-Site/Origin headers instead."""
    if is_cross_site_request():
        abort(403)
    size = request.form.get("maat", "normaal")
    response = make_response(redirect(safe_next(request.form.get("next")), code=303))
    if size in TEXT_SIZES:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            size,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        db.session.rollback()
        return {"status": "database unavailable"}, 503
    return {"status": "ok"}, 200
