"""Home, the accessibility statement, privacy, the text-size switch and the health check."""

from flask import Blueprint, current_app, make_response, redirect, request
from sqlalchemy import text

from portal.board.service import home_board
from portal.extensions import db
from portal.web import TEXT_SIZE_COOKIE, TEXT_SIZES, render, safe_next

bp = Blueprint("pages", __name__)

ONE_YEAR = 60 * 60 * 24 * 365


@bp.get("/")
def home():
    return render("pages/home.html", board=home_board())


@bp.get("/toegankelijkheid")
def accessibility():
    return render("pages/toegankelijkheid.html")


@bp.get("/privacy")
def privacy():
    return render("pages/privacy.html")


@bp.post("/tekstgrootte")
def set_text_size():
    """Remember the chosen text size in a cookie; works without JavaScript (PRG)."""
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
