"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that Alembic can alter tables on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
babel = Babel()
compress = Compress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def limit_only_writes(app) -> None:
    """Every limit here is on a POST (``methods=["POST"]``: signing in, resets, posting), but
    Flask-Limiter works through its hooks at every request: exemptions, meta limits and
    headers, 7-13 % of a signed-in page. So a read skips its two hooks (its teardown stays).
    Measured reason: benchmarks/README.md ("Framework overrides");
    ``tests/test_framework_overrides.py`` fails when Flask-Limiter's hooks change."""
    from portal.database import READ_ONLY_METHODS  # database imports this module

    before, after = app.before_request_funcs[None], app.after_request_funcs[None]
    check = next((f for f in before if getattr(f, "__self__", None) is limiter), None)
    headers = next((f for f in after if getattr(f, "args", None) == (limiter,)), None)
    if check is None or headers is None:  # RATELIMIT_ENABLED off: Flask-Limiter hooked in nothing
        return

    def check_limits_of_a_write():
        if request.method not in READ_ONLY_METHODS:
            return check()
        return None

    def limit_headers_of_a_write(response):
        return response if request.method in READ_ONLY_METHODS else headers(response)

    before[before.index(check)] = check_limits_of_a_write
    after[after.index(headers)] = limit_headers_of_a_write
