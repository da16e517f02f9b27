"""Moderation: the review queue, decisions and the audit log."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/moderatie")
