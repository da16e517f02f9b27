"""Buurtcirkels: find your circle, the map, the circle page and help items.

Routes: ``views.py``; rules: ``access.py``; queries and changes: ``service.py``; mail: ``mail.py``.
"""

from flask import Blueprint

bp = Blueprint("circles", __name__)
