"""Buurtportaal Vleuten-De Meern: buurtcirkels and a wijkplatform in one Flask app."""

from importlib import import_module

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import changes, errors, keeping, pagecache, security, sessioncookie, templating, web
from portal.config import Config, check_production
from portal.database import configure_database, include_name
from portal.extensions import babel, compress, csrf, db, htmx, limiter, login_manager, migrate
from portal.requests import PortalRequest
from portal.wijken import hosts


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, CLI and error pages."""
    app = web.PortalApp(__name__, instance_relative_config=True)
    app.request_class = PortalRequest
    app.url_map.converters["int"] = web.DatabaseIntConverter
    app.config.from_object(Config())
    if config:
        app.config.update(config)
    check_production(app.config)

    _init_extensions(app)
    pagecache.init_app(app)  # wraps app.wsgi_app: the visitors' copies
    keeping.init_app(app)  # the store of the parts and rows declared in portal/kept.py
    # In front of both: every committed change empties them in every worker (and server).
    changes.init_app(app, empties=(app.extensions["page_cache"], app.extensions["kept"]))
    if app.config["PROXY_FIX"]:
        hops = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _register_blueprints(app)
    _register_moderated_content()
    security.init_app(app)
    sessioncookie.init_app(app)
    web.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    hosts.init_app(app)  # last: its before_request goes first, so every request knows its wijk

    from portal import cli

    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    configure_database(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True, include_name=include_name)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app)
    compress.init_app(app)
    from portal import compression  # ISA-L's gzip for Flask-Compress
    compression.use_isal()
    from portal import staticfiles  # static files compressed once, with gzip too
    staticfiles.init_app(app)
    limiter.init_app(app)
    from portal.extensions import limit_only_writes  # reads pass Flask-Limiter's hooks
    limit_only_writes(app)
    login_manager.init_app(app, add_context_processor=False)  # templating.py gives current_user
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Log eerst in om verder te gaan."
    login_manager.login_message_category = "info"

    from flask import session

    from portal.accounts import sessions
    from portal.models import User

    @login_manager.user_loader
    def load_user(token: str) -> User | None:
        """The person of this device's session (Flask-Login's alternative id: the cookie holds
        a device token, ``portal/accounts/sessions.py``) with their membership, kept per change
        (``kept.device_session``): every page asks, few requests change an account. An ended or
        unknown session (an old cookie, a number from before) is a visitor's. The membership
        is remembered for the rest of the request (``circles.access.membership_of``)."""
        from portal import kept
        from portal.circles.access import remember_membership

        user = sessions.signed_in(token)
        if user is None:
            for key in ("_user_id", "_fresh", "_id"):
                session.pop(key, None)
            return None
        user_id = user.id
        remember_membership(user, lambda: kept.own_membership(user_id=user_id))
        return user


# Each domain defines its blueprint ``bp`` in its package; these modules add its routes.
ROUTE_MODULES = (
    "pages.views", "accounts.views",
    "circles.views", "circles.help_views", "circles.overview_views", "circles.coordinator_views",
    "circles.neighbours",
    "board.views", "board.admin", "board.gemeente_signal_views", "board.cards", "board.signalen_api.views",
    "events.views", "notifications.views", "moderation.views", "surveys.views", "surveys.builder",
    "wijken.views", "infopoint.views", "infopoint.queue_views", "infopoint.kaart_views",
    "infopoint.proposal_views", "infopoint.referral_views", "groups.views", "groups.manage_views",
    "meedenken.views", "meedenken.reply_views", "meedenken.kerngroep_views", "meedenken.reactie_views",
    "newsletter.views", "newsletter.redactie_views",
)
DOMAINS = ("pages", "accounts", "circles", "board", "events", "notifications", "moderation", "surveys",
           "wijken", "infopoint", "groups", "meedenken", "newsletter")


def _register_blueprints(app: Flask) -> None:
    for module in ROUTE_MODULES:
        import_module(f"portal.{module}")
    for domain in DOMAINS:
        app.register_blueprint(import_module(f"portal.{domain}").bp)


def _register_moderated_content() -> None:
    """Each domain tells moderation what of its content can wait, be reported and be hidden,
    so ``portal/moderation`` stays below the domains and imports none of them."""
    from portal.board.moderated import POSTS, REPLIES
    from portal.circles.moderated import HELP_ITEMS, HELP_MESSAGES
    from portal.groups.moderated import GROUP_MESSAGES
    from portal.meedenken.moderated import INBRENG, INBRENG_REPLIES
    from portal.moderation import subjects

    subjects.register(POSTS, REPLIES, HELP_ITEMS, HELP_MESSAGES, GROUP_MESSAGES, INBRENG, INBRENG_REPLIES)

    from portal.accounts import sessions
    from portal.moderation import service

    # A blocked account's sessions end at their next request (``sessions.signed_in``);
    # unblocking ends them all, so none from before the block comes back.
    service.when_unblocked(sessions.end_all_sessions)
