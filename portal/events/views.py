"""Agenda: events, sign-up and calendar feeds."""

from flask import Blueprint

from portal.web import render

bp = Blueprint("events", __name__)


@bp.get("/agenda")
def agenda():
    return render("events/agenda.html")
