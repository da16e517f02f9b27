"""Moderation: the queue, decisions, the log, the people, and reports.

Below the domains: it imports none of them. Each domain tells it about its own reportable
content (``subjects.register``) and offers the report route itself (``reports.report_page``).
Rules: ``access.py``; changes: ``service.py``; reading: ``queue.py``; who may post: ``policy.py``.
"""

from flask import Blueprint

bp = Blueprint("moderation", __name__)
