"""Home, the accessibility statement, privacy, the text-size switch and the health check.
"""

from flask import Blueprint

bp = Blueprint("pages", __name__)
