"""Wijkplatform: themes, topic boards, posts, replies, steun and signals.

Routes: ``views.py`` (everyone) and ``admin.py`` (theme management); rules: ``access.py``;
queries and changes: ``service.py``; meldingen to the gemeente's Signalen: ``signalen/``.
"""

from flask import Blueprint

bp = Blueprint("board", __name__)
