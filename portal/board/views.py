"""Wijkplatform: themes, topic boards, posts, replies, support and signals."""

from flask import Blueprint

from portal.web import render

bp = Blueprint("board", __name__)


@bp.get("/themas")
def themes():
    return render("board/themes.html")
