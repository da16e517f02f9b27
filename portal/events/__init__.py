"""Agenda: events, sign-up, the printable month and the calendar feeds.

Routes: ``views.py``; rules: ``access.py``; seats and reminders: ``service.py``.
"""

from flask import Blueprint

bp = Blueprint("events", __name__)
