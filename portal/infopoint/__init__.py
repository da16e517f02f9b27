"""The wijkinformatiepunt and the sociale kaart (issue 26).

Routes: ``views.py`` (the wijkinformatiepunt page, its question form, its calendar),
``queue_views.py`` (the informatiepunt's questions, closed days and the organisations to
check), ``kaart_views.py`` (the sociale kaart, its HSDS export and the booklet),
``proposal_views.py`` (changes an organisation proposes, reviewed by a moderator),
``referral_views.py`` (a verbinder points a help item to a service; the buurtcirkels a
service covers; the queries in ``referrals.py``); rules:
``access.py``; queries and changes: ``service.py``; when a spreekuur is: ``hours.py`` (pure);
the export: ``hsds.py``; the calendar: ``ical.py``.
"""

from flask import Blueprint

bp = Blueprint("infopoint", __name__)
