"""Accounts: sign in, register, sign out, the account page, my data.
"""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
