"""Buurtcirkels: find your circle, the map, the circle page and help items.

Routes: ``views.py`` (the circle page), ``help_views.py`` (a help item and its conversation),
``overview_views.py`` (the verbinder's overview), ``neighbours.py`` (the verbinder's list of
neighbours without internet) and ``coordinator_views.py`` (``/beheer/cirkels``); rules:
``access.py``; queries and changes: ``service.py``, and ``coordination.py`` for what
coordinators change and the list of neighbours without internet; mail: ``mail.py``.
"""

from flask import Blueprint

bp = Blueprint("circles", __name__)
