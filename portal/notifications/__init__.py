"""Notifications: what mail each person wants, the unsubscribe links, and ``notify``.

``service.py`` is what the domains use (``notify``, the preferences); ``views.py`` the mail
settings page (``/account/meldingen``) and the unsubscribe links (``/afmelden/...``). The
mail itself goes through the outbox (``portal/outbox.py``).
"""

from flask import Blueprint

bp = Blueprint("notifications", __name__)
