"""Wijken: which wijk a request is for (``hosts.py``), and the platform admin's management of
the wijken (``/beheer/wijken``). The scope that keeps queries inside a wijk is
``portal/wijk.py``."""

from flask import Blueprint

bp = Blueprint("wijken", __name__)
