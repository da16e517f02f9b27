"""Buurtcirkels: find your circle, the map, the circle page and help items."""

from flask import Blueprint

from portal.web import render

bp = Blueprint("circles", __name__)


@bp.get("/cirkels")
def index():
    return render("circles/index.html")
