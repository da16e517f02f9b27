"""Meedenken: a traject on one of the gemeente's plans, its inbreng, the advies to the gemeente,
the reaction, what became of each contribution, and the uitvoering.

Routes: ``views.py`` (the traject and inbreng), ``kerngroep_views.py`` (what moderators do:
new traject, advies, terugkoppeling, maatregelen) and ``reactie_views.py`` (the gemeente's
page behind the signed link); rules: ``access.py``; queries and changes: ``service.py``.
"""

from flask import Blueprint

bp = Blueprint("meedenken", __name__)
