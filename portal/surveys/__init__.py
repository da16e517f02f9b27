"""Peilingen (surveys): build one, answer it on the portal or on paper, read the results.

Routes: ``views.py`` (the list, answering, paper forms, the printable questionnaire, the
results and their CSV) and ``builder.py`` (moderators: build, preview, publish, open answers,
the contact list, a post "Uit de peiling"); rules: ``access.py``; queries and changes:
``service.py``; counting and the chart: ``results.py``.
"""

from flask import Blueprint

bp = Blueprint("surveys", __name__)
