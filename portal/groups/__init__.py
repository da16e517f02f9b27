"""Werkgroepen and bewonersgroepen: the list, a group's page, joining and leaving, the
trekker's work (requests, news, handing on, pausing), proposals and the quiet groups.

Routes: ``views.py`` (the list and a group's page, joining, the thread) and
``manage_views.py`` (new groups and proposals, news, the trekker's list, status); rules:
``access.py``; queries and changes: ``service.py`` (``announce_news`` is the one place news
is mailed); the daily nudge of quiet groups: ``service.nudge_quiet_groups`` (``portal/cron.py``).
"""

from flask import Blueprint

bp = Blueprint("groups", __name__)
