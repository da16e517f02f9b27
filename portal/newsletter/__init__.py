"""De wijkbrief: the wijk's monthly newsletter by mail, on paper and on the web (issue 29).

Routes: ``views.py`` (``/nieuwsbrief``: subscribing, confirming, unsubscribing, the archive, the
web and the paper version), ``redactie_views.py`` (``/redactie/nieuwsbrieven``: composing,
the preview, the test mail, sending once, the counts); rules: ``access.py``; queries and
changes: ``service.py``; the blocks that fill themselves from the portal: ``blocks.py`` (one
dict of kind -> filler); how an issue reads as mail (text and HTML) and on the web:
``render.py``; ``flask read-bounces``: ``bounces.py``.
"""

from flask import Blueprint

bp = Blueprint("newsletter", __name__)
