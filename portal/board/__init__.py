"""Wijkplatform: themes, topic boards, posts, replies, steun and signals.

Routes: ``views.py`` (everyone), ``admin.py`` (theme management), ``cards.py`` (paper cards)
and ``gemeente_signal_views.py`` (the gemeente's answer page, hiding an answer, the Atom
feed); rules: ``access.py``; queries and changes: ``service.py``; signals mailed to the
gemeente, their status and answers: ``gemeente_signals.py``; meldingen openbare ruimte filed
in the gemeente's Signalen system through its API: ``signalen_api/``.
"""

from flask import Blueprint

bp = Blueprint("board", __name__)
